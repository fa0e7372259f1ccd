/**
 * Decides whether a table is production, from (in this order) the `allTablesAreProduction` switch,
 * its tags (resource tags over the AWS provider's `defaultTags`, as AWS merges them), the stack's tags,
 * and the stack name. A table whose own tag names another environment (`environment: staging`) is
 * not production, whatever the stack is called. An unknown tag that could decide it makes the answer
 * "unknown", never a guess.
 */
import { ProductionConfig } from "./config";
import { TableFacts, TagSource } from "./facts";
import { UNKNOWN, isRecord } from "./values";

export type Production =
    | { readonly production: true; readonly reason: string }
    | { readonly production: false; readonly reason: string }
    | { readonly production: "unknown"; readonly path: string; readonly reason: string };

export interface StackContext {
    /** Stack tags, from `pulumi stack tag` (CrossGuard's `stackTags`). */
    readonly stackTags?: ReadonlyMap<string, string>;
}

type TagLookup =
    { kind: "value"; value: string; path: string } | { kind: "unknown"; path: string } | undefined;

/** Finds `key` (case-insensitive) in one tag source: a map, or a list of `{key, value}` / `{Key, Value}`. */
function lookup(source: TagSource, key: string): TagLookup {
    const wanted = key.toLowerCase();
    const tags = source.value;
    if (tags === UNKNOWN) {
        return { kind: "unknown", path: source.path };
    }
    if (Array.isArray(tags)) {
        for (let i = tags.length - 1; i >= 0; i--) {
            const t = tags[i];
            if (t === UNKNOWN) {
                return { kind: "unknown", path: `${source.path}[${i}]` };
            }
            if (!isRecord(t)) {
                continue;
            }
            const k = t.key ?? t.Key;
            const v = t.value ?? t.Value;
            if (k === UNKNOWN) {
                return { kind: "unknown", path: `${source.path}[${i}].key` };
            }
            if (typeof k === "string" && k.toLowerCase() === wanted) {
                if (v === UNKNOWN) {
                    return { kind: "unknown", path: `${source.path}[${i}].value` };
                }
                return {
                    kind: "value",
                    value: typeof v === "string" ? v : String(v),
                    path: `${source.path}[${i}]`,
                };
            }
        }
        return undefined;
    }
    if (isRecord(tags)) {
        for (const [k, v] of Object.entries(tags)) {
            if (k.toLowerCase() === wanted) {
                if (v === UNKNOWN) {
                    return { kind: "unknown", path: `${source.path}.${k}` };
                }
                return {
                    kind: "value",
                    value: typeof v === "string" ? v : String(v),
                    path: `${source.path}.${k}`,
                };
            }
        }
    }
    return undefined;
}

export function decideProduction(
    table: TableFacts,
    config: ProductionConfig,
    ctx: StackContext = {},
): Production {
    if (config.allTablesAreProduction) {
        return { production: true, reason: "`allTablesAreProduction` is on" };
    }
    const values = new Set(config.productionTagValues.map((v) => v.toLowerCase()));
    let unknown: { path: string } | undefined;
    let declared: { path: string; value: string } | undefined;
    for (const key of config.productionTagKeys) {
        // Highest precedence first: the first source that has the key (or may have it) decides.
        for (let i = table.tagSources.length - 1; i >= 0; i--) {
            const found = lookup(table.tagSources[i], key);
            if (!found) {
                continue;
            }
            if (found.kind === "unknown") {
                unknown = unknown ?? { path: found.path };
            } else if (values.has(found.value.trim().toLowerCase())) {
                return { production: true, reason: `tag \`${found.path}\` is "${found.value}"` };
            } else {
                declared = declared ?? { path: found.path, value: found.value };
            }
            break;
        }
    }
    // A table (or its provider) whose own tag names another environment has said what it is: the
    // stack's name and tags are coarser signals and do not override it.
    if (declared && !unknown) {
        return { production: false, reason: `tag \`${declared.path}\` is "${declared.value}"` };
    }
    for (const key of config.productionTagKeys) {
        for (const [k, v] of ctx.stackTags ?? []) {
            if (k.toLowerCase() === key.toLowerCase() && values.has(String(v).toLowerCase())) {
                return { production: true, reason: `stack tag \`${k}\` is "${v}"` };
            }
        }
    }
    if (config.productionStackNamePattern) {
        let pattern: RegExp;
        try {
            pattern = new RegExp(config.productionStackNamePattern, "i");
        } catch {
            return {
                production: "unknown",
                path: "productionStackNamePattern",
                reason: `the configured \`productionStackNamePattern\` ${JSON.stringify(config.productionStackNamePattern)} is not a valid regular expression`,
            };
        }
        if (table.stackName && pattern.test(table.stackName)) {
            return {
                production: true,
                reason: `stack \`${table.stackName}\` matches \`${config.productionStackNamePattern}\``,
            };
        }
    }
    if (unknown) {
        return {
            production: "unknown",
            path: unknown.path,
            reason: `tag \`${unknown.path}\` is unknown during preview`,
        };
    }
    return { production: false, reason: "no production tag, stack tag or stack name" };
}
