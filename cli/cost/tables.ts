/**
 * The DynamoDB tables a stack declares, as the cost estimate sees them: one entry per table and one
 * per replica of a global table (each replica is a table of its own, with its own PITR bill), with
 * the Region, tags and PITR setting each will have. Reads `aws` and `aws-native` resources alike,
 * whatever component declared them.
 */
import type { CostResource } from "./types";

export interface TableInstance {
    /** Unique in the stack: the resource's URN, with `#<region>` for a replica. */
    readonly key: string;
    readonly urn: string;
    /** The resource name; a replica's is `<name> replica <region>`. */
    readonly name: string;
    /** The physical table name, when the program sets it. */
    readonly tableName?: string;
    /** The table's Region; undefined for the provider's, when the stack's config does not say. */
    readonly region?: string;
    /** For a replica, the Region of the table it belongs to. */
    readonly replicaOf?: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly pitr: boolean;
}

export interface StackDefaults {
    /** `aws:region` from the stack's config. */
    readonly region?: string;
    /** `aws:defaultTags.tags` from the stack's config: the provider adds them to every table. */
    readonly tags?: Readonly<Record<string, string>>;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const obj = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Known string tags of a map (`aws`) or of a `[{ key, value }]` list (`aws-native`). */
export function tagsOf(value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(value)) {
        for (const tag of value) {
            const { key, value: v } = obj(tag);
            if (typeof key === "string" && typeof v === "string") out[key] = v;
        }
    } else {
        for (const [key, v] of Object.entries(obj(value))) if (typeof v === "string") out[key] = v;
    }
    return out;
}

/** The provider defaults a stack's config sets (`aws:region`, `aws:defaultTags`). */
export function stackDefaults(config: Readonly<Record<string, string>> = {}): StackDefaults {
    let tags: Record<string, string> | undefined;
    try {
        tags = tagsOf(obj(JSON.parse(config["aws:defaultTags"] ?? "{}")).tags);
    } catch {
        tags = undefined;
    }
    return { region: config["aws:region"], tags };
}

function instance(
    r: CostResource,
    fields: Omit<TableInstance, "key" | "urn" | "name">,
    replicaRegion?: string,
): TableInstance {
    return {
        key: replicaRegion ? `${r.urn}#${replicaRegion}` : r.urn,
        urn: r.urn,
        name: replicaRegion ? `${r.name} replica ${replicaRegion}` : r.name,
        ...fields,
    };
}

/** Every table and replica the resources declare. */
export function tableInstances(
    resources: readonly CostResource[],
    defaults: StackDefaults = {},
): TableInstance[] {
    const out: TableInstance[] = [];
    for (const r of resources) {
        const i = r.inputs;
        switch (r.type) {
            case "aws:dynamodb/table:Table":
                out.push(...tableAndReplicas(r, defaults));
                break;
            case "aws:dynamodb/tableReplica:TableReplica":
                out.push(
                    instance(r, {
                        region: str(i.region) ?? defaults.region,
                        tags: { ...defaults.tags, ...tagsOf(i.tags) },
                        pitr: i.pointInTimeRecovery === true,
                    }),
                );
                break;
            case "aws-native:dynamodb:Table":
                out.push(
                    instance(r, {
                        tableName: str(i.tableName),
                        region: defaults.region,
                        tags: tagsOf(i.tags),
                        pitr: obj(i.pointInTimeRecoverySpecification).pointInTimeRecoveryEnabled === true,
                    }),
                );
                break;
            case "aws-native:dynamodb:GlobalTable":
                out.push(...globalTableReplicas(r));
                break;
        }
    }
    return out;
}

/** An `aws:dynamodb/table:Table` and the replicas it declares inline. */
function tableAndReplicas(r: CostResource, defaults: StackDefaults): TableInstance[] {
    const i = r.inputs;
    const out: TableInstance[] = [];
    const region = str(i.region) ?? defaults.region;
    const tags = { ...defaults.tags, ...tagsOf(i.tags) };
    const tableName = str(i.name);
    out.push(
        instance(r, {
            tableName,
            region,
            tags,
            pitr: obj(i.pointInTimeRecovery).enabled === true,
        }),
    );
    for (const replica of list(i.replicas).map(obj)) {
        const at = str(replica.regionName);
        if (!at) continue;
        out.push(
            instance(
                r,
                {
                    tableName,
                    region: at,
                    replicaOf: region,
                    // A replica carries the table's tags only when told to propagate them.
                    tags: replica.propagateTags === true ? tags : {},
                    pitr: replica.pointInTimeRecovery === true,
                },
                at,
            ),
        );
    }
    return out;
}

/** The replicas of an `aws-native:dynamodb:GlobalTable`, each a table of its own. */
function globalTableReplicas(r: CostResource): TableInstance[] {
    const i = r.inputs;
    const out: TableInstance[] = [];
    for (const replica of list(i.replicas).map(obj)) {
        const at = str(replica.region);
        if (!at) continue;
        out.push(
            instance(
                r,
                {
                    tableName: str(i.tableName),
                    region: at,
                    tags: tagsOf(replica.tags),
                    pitr: obj(replica.pointInTimeRecoverySpecification).pointInTimeRecoveryEnabled === true,
                },
                at,
            ),
        );
    }
    return out;
}
