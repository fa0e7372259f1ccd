/**
 * What the stack generator (stackGenerator.ts) makes and the agreement check (agreement.ts) reads:
 * generated stacks as `pulumi stack export` writes them, the items they are built from, their export
 * file, and a preview's unknown values over the same resources.
 */
import { PropertyMap, Resource, UNKNOWN } from "../../cli/analyzer";

/** The account every generated resource lives in. */
export const ACCOUNT = "111122223333";

/** One stack export's resources, as the export's `deployment.resources` holds them. */
export interface ExportResource {
    urn: string;
    custom: boolean;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    provider?: string;
    protect?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface GeneratedStack {
    project: string;
    stack: string;
    /** The stack's tags (`pulumi stack tag`), kept beside its checkpoint in a backend. */
    tags: Record<string, string>;
    resources: ExportResource[];
}

/** What a table-declaring item looks like before it is placed in a stack. */
export type Item =
    | {
          kind: "table";
          pitr: boolean | undefined;
          days: number;
          tags: { env?: string; team?: string };
          replicas: boolean[];
          protect: boolean;
          deletion: boolean;
          restoreFrom: number | undefined;
          encrypted: boolean;
      }
    | { kind: "replica"; of: number; pitr: boolean; tags: { env?: string; team?: string } }
    | { kind: "native"; pitr: boolean | undefined; tags: { env?: string; team?: string } }
    | { kind: "global"; replicas: Array<{ pitr: boolean; env?: string }> }
    | {
          kind: "cfn";
          transform: "none" | "sam" | "macro";
          yaml: boolean;
          tables: Array<{ pitr: boolean; env?: string }>;
          selection: "none" | "getatt" | "tags";
      }
    | { kind: "tag"; of: number; value: string }
    | { kind: "legacyGlobal"; of: number; memberPitr: boolean; memberEnv?: string }
    | { kind: "plan"; of: number; copies: "air-gapped" | "other-account" | "same-account" }
    | { kind: "selection"; how: "arn" | "tags" | "wildcard" | "dependency"; of: number; native: boolean };

/** The export file of a generated stack (`pulumi stack export`). */
export function exportOf(s: GeneratedStack): { version: 3; deployment: unknown } {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-12-01T00:00:00Z", magic: "", version: "v3.248.0" },
            resources: s.resources,
        },
    };
}

/**
 * A preview's view of the same resources: some values not known yet (an ARN, tags, a PITR block, a
 * template), chosen by `pick` (fast-check's random source), as the engine sends them before an update.
 */
export function withUnknowns(resources: Resource[], pick: (n: number) => number): Resource[] {
    const keys = [
        "arn",
        "tags",
        "pointInTimeRecovery",
        "templateBody",
        "resources",
        "resourceArn",
        "globalTableArn",
    ];
    return resources.map((r) => {
        if (pick(4) !== 0) return r;
        const present = keys.filter((k) => r.properties[k] !== undefined);
        if (present.length === 0) return r;
        const properties: PropertyMap = { ...r.properties, [present[pick(present.length)]]: UNKNOWN };
        return { ...r, properties };
    });
}
