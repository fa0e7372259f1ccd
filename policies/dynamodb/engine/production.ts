/**
 * Decides whether a table is production, from (in this order) the `allTablesAreProduction` switch,
 * the tags the stack puts on it (resource tags over the AWS provider's `defaultTags`, as AWS merges
 * them, and `aws.dynamodb.Tag` resources with the same weight as the table's own tags), the tables it
 * refers to, the stack's tags, and the stack name. A table whose tag names another environment
 * (`environment: staging`) is not production, whatever the stack is called. An unknown tag that could
 * decide it makes the answer "unknown", never a guess. The precedence table is in docs/policies.md.
 */
import { PRODUCTION_STACK_NAME_PATTERN, ProductionConfig } from "./config";
import { TableFacts, TagSource } from "./tableFacts";
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
    /**
     * The per-resource view: true only when the table's own tags make it production, which no other
     * resource can change; otherwise `false` meaning "not decided here".
     * Stack tags, the stack name and references are left to the stack check.
     */
    readonly local?: boolean;
    /**
     * Set when a Tag resource of unknown target may name another environment on this table: then the
     * coarser signals (references, stack tags, stack name) cannot decide, and "unknown" is said instead.
     */
    readonly mayBeDeclared?: { readonly path: string; readonly reason: string };
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

/**
 * Compiled stack-name patterns by their source: a pure memo (the same text always compiles to the
 * same expression, which has no `g` flag and so keeps no position between tests). Nothing about a
 * stack or a call is kept.
 */
const patterns = new Map<string, RegExp>();

/** The configured stack name pattern, compiled once rather than for every table. */
function stackNamePattern(source: string): RegExp {
    let re = patterns.get(source);
    if (!re) {
        re = new RegExp(source, "i");
        if (patterns.size >= 64) patterns.clear();
        patterns.set(source, re);
    }
    return re;
}

/**
 * Why a stack name makes its tables production, in words: the default pattern's meaning, or the knob
 * that a configured pattern comes from. Never the regular expression itself, which reads as noise in
 * every message of a report.
 */
export function stackNameReason(stackName: string, pattern: string): string {
    return pattern === PRODUCTION_STACK_NAME_PATTERN
        ? `stack \`${stackName}\` is named like production`
        : `stack \`${stackName}\` matches the configured \`productionStackNamePattern\``;
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
    const extra = ctx.extraTagSources ?? [];
    let unknown: { path: string; reason: string } | undefined;
    let declared: { reason: string } | undefined;
    for (const key of config.productionTagKeys) {
        // The tags the stack itself puts on the table: the table's own tag over its provider's default,
        // as AWS merges them (the first source from the top that has the key), and, with exactly the
        // same weight, every `aws.dynamodb.Tag` resource on it (AWS keeps whichever wrote last, so
        // neither can be said to win). Among these a production value wins (data safety first), then
        // an unknown one, then another environment.
        const found: Array<{ source: TagSource; hit: Exclude<TagLookup, undefined> }> = [];
        for (const source of extra) {
            const hit = lookup(source, key);
            if (hit) found.push({ source, hit });
        }
        for (let i = table.tagSources.length - 1; i >= 0; i--) {
            const hit = lookup(table.tagSources[i], key);
            if (hit) {
                found.push({ source: table.tagSources[i], hit });
                break;
            }
        }
        for (const { source, hit } of found) {
            if (hit.kind === "value" && values.has(hit.value.trim().toLowerCase())) {
                return { production: true, reason: tagReason(source, hit) };
            }
        }
        for (const { source, hit } of found) {
            if (hit.kind === "unknown") {
                unknown = unknown ?? { path: hit.path, reason: unknownReason(source, hit.path) };
            } else {
                declared = declared ?? { reason: tagReason(source, hit) };
            }
        }
    }
    if (ctx.local) {
        // The per-resource verdict: only a production tag is final (no other resource can take it
        // away); everything else, a fellow replica's tag included (a Tag resource may name another
        // environment on this replica), may change with the rest of the stack in view.
        return { production: false, reason: "not production by its own tags; the stack check decides" };
    }
    // A tag that may name another environment (unknown during preview) may outrank everything below,
    // so nothing below may decide: unknown, never a guess.
    if (unknown) {
        return { production: "unknown", path: unknown.path, reason: unknown.reason };
    }
    // A table (or its provider, or a Tag resource) whose tag names another environment has said what
    // it is: the stack's name and tags, and the tables it refers to, are coarser signals and do not
    // override it.
    if (declared) {
        return { production: false, reason: declared.reason, declared: true };
    }
    const coarse = coarser(table, config, ctx, values);
    if (coarse.production === true && ctx.mayBeDeclared) {
        return { production: "unknown", path: ctx.mayBeDeclared.path, reason: ctx.mayBeDeclared.reason };
    }
    return coarse;
}

/** Production-ness from what is coarser than the table's tags: fellow replicas, references, the stack. */
function coarser(
    table: TableFacts,
    config: ProductionConfig,
    ctx: StackContext,
    values: Set<string>,
): Production {
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
                reason: stackNameReason(table.stackName, config.productionStackNamePattern),
            };
        }
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
