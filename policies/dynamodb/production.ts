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
    | {
          readonly production: false;
          readonly reason: string;
          /** True when the table's own tag names another environment (it then inherits nothing). */
          readonly declared?: true;
      }
    | { readonly production: "unknown"; readonly path: string; readonly reason: string };

/** Production-ness that a table takes from another one it refers to (the table it replicates, its restore source). */
export interface Inherited {
    /** Completes "It is production because ...", e.g. "it replicates table `orders` (...)". */
    readonly via: string;
    readonly production: Production;
}

export interface StackContext {
    /** Stack tags, from `pulumi stack tag` (CrossGuard's `stackTags`). */
    readonly stackTags?: ReadonlyMap<string, string>;
    /** Tags set on the table by other resources (`aws.dynamodb.Tag`), over the table's own. */
    readonly extraTagSources?: readonly TagSource[];
    /** Tables this one refers to; any production one makes it production, unless its own tag says otherwise. */
    readonly inherited?: readonly Inherited[];
}

type TagLookup =
    | { kind: "value"; value: string; path: string; key: string }
    | { kind: "unknown"; path: string }
    | undefined;

/** An `aws.dynamodb.Tag`'s `key` and `value`; paths are that resource's properties. */
function lookupTagResource(source: TagSource, wanted: string): TagLookup {
    const t = source.value;
    if (t === UNKNOWN || !isRecord(t) || t.key === UNKNOWN) {
        return { kind: "unknown", path: "key" };
    }
    if (typeof t.key !== "string" || t.key.toLowerCase() !== wanted) {
        return undefined;
    }
    if (t.value === UNKNOWN) {
        return { kind: "unknown", path: "value" };
    }
    return { kind: "value", value: String(t.value ?? ""), path: "value", key: t.key };
}

/** Finds `key` (case-insensitive) in one tag source: a map, or a list of `{key, value}` / `{Key, Value}`. */
function lookup(source: TagSource, key: string): TagLookup {
    const wanted = key.toLowerCase();
    if (source.owner !== undefined) {
        return lookupTagResource(source, wanted);
    }
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
                    key: k,
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
                    key: k,
                };
            }
        }
    }
    return undefined;
}

const valueSets = new WeakMap<ProductionConfig, Set<string>>();

/** The production tag values, lower-cased, once per configuration. */
function valueSet(config: ProductionConfig): Set<string> {
    let set = valueSets.get(config);
    if (!set) {
        set = new Set(config.productionTagValues.map((v) => v.toLowerCase()));
        valueSets.set(config, set);
    }
    return set;
}

let lastPattern: { source: string; re: RegExp } | undefined;

/** The configured stack name pattern, compiled once rather than for every table. */
function stackNamePattern(source: string): RegExp {
    if (lastPattern?.source !== source) {
        lastPattern = { source, re: new RegExp(source, "i") };
    }
    return lastPattern.re;
}

/** "tag `tags.environment` is "production"", or for an `aws.dynamodb.Tag`, which resource sets it. */
function tagReason(source: TagSource, found: { path: string; value: string; key: string }): string {
    return source.owner !== undefined
        ? `${source.owner} sets tag \`${found.key}\` to "${found.value}"`
        : `tag \`${found.path}\` is "${found.value}"`;
}

function unknownReason(source: TagSource, path: string): string {
    return source.owner !== undefined
        ? `\`${path}\` of ${source.owner} is unknown during preview`
        : `tag \`${path}\` is unknown during preview`;
}

/** Production-ness from the table's own tags only (no stack, no references): for fellow replicas. */
function fromSiblings(table: TableFacts, config: ProductionConfig): Inherited[] {
    return (table.siblings ?? []).map((s) => ({
        via: `it is a replica of the same global table as ${s.subject}`,
        production: decideProduction(
            { ...table, tagSources: s.tagSources, siblings: undefined, stackName: "" },
            { ...config, productionStackNamePattern: "" },
        ),
    }));
}

export function decideProduction(
    table: TableFacts,
    config: ProductionConfig,
    ctx: StackContext = {},
): Production {
    if (config.allTablesAreProduction) {
        return { production: true, reason: "`allTablesAreProduction` is on" };
    }
    const values = valueSet(config);
    const sources = ctx.extraTagSources ? [...table.tagSources, ...ctx.extraTagSources] : table.tagSources;
    let unknown: { path: string; reason: string } | undefined;
    let declared: { reason: string } | undefined;
    for (const key of config.productionTagKeys) {
        // Highest precedence first: the first source that has the key (or may have it) decides.
        for (let i = sources.length - 1; i >= 0; i--) {
            const found = lookup(sources[i], key);
            if (!found) {
                continue;
            }
            if (found.kind === "unknown") {
                unknown = unknown ?? { path: found.path, reason: unknownReason(sources[i], found.path) };
            } else if (values.has(found.value.trim().toLowerCase())) {
                return { production: true, reason: tagReason(sources[i], found) };
            } else {
                declared = declared ?? { reason: tagReason(sources[i], found) };
            }
            break;
        }
    }
    // A table (or its provider) whose own tag names another environment has said what it is: the
    // stack's name and tags, and the tables it refers to, are coarser signals and do not override it.
    if (declared && !unknown) {
        return { production: false, reason: declared.reason, declared: true };
    }
    const inherited = table.siblings
        ? [...fromSiblings(table, config), ...(ctx.inherited ?? [])]
        : (ctx.inherited ?? []);
    for (const parent of inherited) {
        if (parent.production.production === true) {
            return {
                production: true,
                reason: `${parent.via}, which is production because ${parent.production.reason}`,
            };
        }
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
            pattern = stackNamePattern(config.productionStackNamePattern);
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
        return { production: "unknown", path: unknown.path, reason: unknown.reason };
    }
    for (const parent of inherited) {
        if (parent.production.production === "unknown") {
            return {
                production: "unknown",
                path: parent.production.path,
                reason: `${parent.via}, whose production-ness is unknown: ${parent.production.reason}`,
            };
        }
    }
    return { production: false, reason: "no production tag, stack tag or stack name" };
}
