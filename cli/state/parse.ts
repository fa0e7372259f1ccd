/**
 * `dynamodb-pitr check --state <file-or-folder>`: audits stacks that already exist, from the JSON of
 * `pulumi stack export`, with the same policy pack and the same analyzer gRPC protocol as a preview,
 * without the Pulumi CLI and without cloud credentials.
 *
 * The format is Pulumi's `apitype.UntypedDeployment` holding a `DeploymentV3`
 * (https://github.com/pulumi/pulumi/blob/master/sdk/go/common/apitype/core.go): `{version: 3,
 * deployment: {manifest, secrets_providers, resources: ResourceV3[], pending_operations}}`. Secret
 * values are `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...}` holding
 * either `ciphertext` (a plain export: encrypted by the stack's secrets provider, unreadable offline)
 * or `plaintext` (`--show-secrets`: the value as JSON text).
 *
 * This module reads an export and checks its shape; ./convert.ts turns it into the pack's resources,
 * ./census.ts counts its tables, ./command.ts drives the pack.
 */
import * as path from "path";

const SUPPORTED_VERSION = 3;

/** One resource of a `DeploymentV3`, as `pulumi stack export` writes it (`apitype.ResourceV3`). */
export interface ResourceV3 {
    urn: string;
    custom: boolean;
    delete?: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    external?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: string;
    aliases?: string[];
    additionalSecretOutputs?: string[];
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
}

/** A problem with a file: the whole file (`StateError`) or one value in it (a warning). */
export class StateError extends Error {}

/** A stack export, checked for shape, with the stack and project read from its URNs. */
export interface StackExport {
    file: string;
    stack: string;
    project: string;
    resources: ResourceV3[];
    /** One line each: things the check could not read but worked around. */
    warnings: string[];
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → its parts; the name may itself hold `::`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::") : [];
    if (parts.length < 4) return { stack: "", project: "", type: "", name: urn };
    const [stack, project, qualifiedType, ...name] = parts;
    return { stack, project, type: qualifiedType.split("$").pop() ?? "", name: name.join("::") };
}

/**
 * Parses the text of `pulumi stack export`. Throws a `StateError` whose message says, in one line,
 * what is wrong (the caller prefixes the file name).
 */
export function parseStackExport(text: string, file: string): StackExport {
    return readStackExport(parseJson(text), file);
}

/** JSON.parse, its failure said in one line (a `StateError`): cut off, or not JSON at all. */
export function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        // The file ends where the parser gave up: cut off (an interrupted export or copy), not malformed.
        const message = (e as Error).message;
        const at = /at position (\d+)/.exec(message);
        const truncated =
            /end of (JSON )?input|Unterminated/i.test(message) ||
            (at !== null && Number(at[1]) >= text.trimEnd().length);
        throw new StateError(
            `${truncated ? "truncated JSON" : "not JSON"} (${(e as Error).message}); export the stack again with \`pulumi stack export --file <file>\``,
        );
    }
}

/** Checks the shape of a parsed stack export; throws a `StateError` saying what is wrong. */
export function readStackExport(json: unknown, file: string): StackExport {
    if (!isObject(json) || !("deployment" in json) || !("version" in json)) {
        throw new StateError(
            "not a Pulumi stack export (expected an object with `version` and `deployment`, as `pulumi stack export` writes)",
        );
    }
    if (json.version !== SUPPORTED_VERSION) {
        throw new StateError(
            `stack export version ${JSON.stringify(json.version)} is not supported; only version ${SUPPORTED_VERSION} (Pulumi 3.x) is read`,
        );
    }
    const deployment = json.deployment;
    if (!isObject(deployment)) throw new StateError("`deployment` is not an object");
    const resources = deployment.resources ?? [];
    if (!Array.isArray(resources)) throw new StateError("`deployment.resources` is not a list");
    const warnings: string[] = [];
    resources.forEach((r, i) => {
        if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string")
            throw new StateError(`\`deployment.resources[${i}]\` has no \`urn\` and \`type\``);
    });
    const pending = Array.isArray(deployment.pending_operations) ? deployment.pending_operations.length : 0;
    if (pending > 0)
        warnings.push(
            `${pending} pending operation(s) from an interrupted update; the resources they touch may differ from the state (run \`pulumi refresh\`)`,
        );
    const first = (resources as ResourceV3[]).find((r) => r.urn.startsWith("urn:pulumi:"));
    const parsed = first ? parseUrn(first.urn) : undefined;
    return {
        file,
        stack: parsed?.stack || path.basename(file).replace(/\.json$/i, ""),
        project: parsed?.project || "",
        resources: resources as ResourceV3[],
        warnings,
    };
}
