/**
 * Production-ness followed through references between resources of one stack, which a resource
 * policy (seeing one resource at a time) cannot see:
 *
 * - `aws.dynamodb.Tag` (`resourceArn`, `key`, `value`) tags a table: its tag counts as the table's own;
 * - `aws.dynamodb.TableReplica` (`globalTableArn`) is a replica of that table and is production when
 *   the table is;
 * - `aws.dynamodb.Table` restored from another (`restoreSourceTableArn`, `restoreSourceName`) holds
 *   that table's data and is production when the source is;
 * - a table whose `tags` come from another resource's output: the unknown tag names that resource.
 *
 * A reference is followed through its value when known (an ARN, a table name), else through the
 * engine's property dependency on the table (the ARN of a table created in the same update is unknown
 * at preview). A reference that names no table of the stack is not followed (the table lives
 * elsewhere); one that is unknown with no dependency makes production-ness unknown, never a guess.
 * Cycles are broken; linear in the number of resources.
 */
import { ProductionConfig } from "../engine/config";
import { parseTableArn } from "./arn";
import { TYPES, TableFacts, TagSource } from "../engine/tableFacts";
import { Inherited, Production, decideProduction } from "../engine/production";
import { UNKNOWN, push } from "../engine/values";

/** A resource of the stack, as the stack rule has read it. */
export interface LinkInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Plain properties (after `snapshot`), or only the ones references need. */
    readonly props: Record<string, unknown>;
    readonly propertyDependencies: { readonly [key: string]: readonly string[] };
    /** The tables it declares (`tablesOf`). */
    readonly tables: readonly TableFacts[];
}

/** A reference from a table to the table it takes production-ness from. */
interface Parent {
    readonly via: string;
    /** Undefined when the reference cannot be resolved: then `unknown` says why. */
    readonly table?: TableFacts;
    readonly unknown?: { readonly path: string; readonly reason: string };
}

export interface Links {
    /** Tag resources on each table. */
    readonly tags: Map<TableFacts, TagSource[]>;
    readonly parents: Map<TableFacts, Parent[]>;
    /** A Tag whose target is unknown and could mark any table production. */
    readonly floating?: Inherited;
    /**
     * A Tag whose target is unknown and whose tag may name another environment: it may outrank the
     * stack's name and tags, and the tables a table refers to, on any table.
     */
    readonly floatingOther?: { readonly path: string; readonly reason: string };
    /** Table URN → the resources its unknown `tags` come from. */
    readonly tagsFrom: Map<string, string>;
}

type Target = { readonly tables: readonly TableFacts[] } | { readonly unknown: string };

/** Builds the stack's reference graph; never throws on malformed properties. */
/** True when the resource may refer to a table (or have tags from another resource). */
function refers(r: LinkInput): boolean {
    if (r.type === TYPES.tag || r.type === TYPES.tableReplica) {
        return true;
    }
    const p = r.props;
    return (
        p.restoreSourceTableArn !== undefined ||
        p.restoreSourceName !== undefined ||
        (p.tags === UNKNOWN && (r.propertyDependencies.tags ?? []).length > 0)
    );
}

export function linkTables(resources: readonly LinkInput[], config: ProductionConfig): Links {
    if (!resources.some(refers)) {
        // Most stacks: nothing to follow, so no index of tables is built.
        return { tags: new Map(), parents: new Map(), tagsFrom: new Map() };
    }
    const byUrn = new Map<string, TableFacts[]>();
    const byArn = new Map<string, TableFacts[]>();
    const byName = new Map<string, TableFacts[]>();
    const inputOf = new Map<string, LinkInput>();
    const nameOf = {
        get: (urn: string) => {
            const r = inputOf.get(urn);
            return r && `\`${r.name}\` (${r.type})`;
        },
    };
    for (const r of resources) {
        inputOf.set(r.urn, r);
        for (const t of r.tables) {
            if (t.cannotVerify) {
                continue;
            }
            push(byUrn, t.urn, t);
            if (typeof t.arn?.value === "string") {
                push(byArn, t.arn.value, t);
            }
            if (typeof t.tableName?.value === "string") {
                push(byName, t.tableName.value, t);
            }
        }
    }
    /** The tables an ARN (or name) property names, known or through its property dependency. */
    const resolve = (r: LinkInput, prop: string, byNameOnly = false): Target | undefined => {
        const value = r.props[prop];
        if (typeof value === "string") {
            const exact = byArn.get(value);
            if (exact) {
                return { tables: exact };
            }
            const parsed = byNameOnly ? { name: value, region: undefined } : parseTableArn(value);
            const named = parsed ? (byName.get(parsed.name) ?? []) : [];
            return {
                tables: named.filter((t) => !parsed?.region || !t.region || t.region === parsed.region),
            };
        }
        if (value !== UNKNOWN) {
            return undefined;
        }
        const deps = r.propertyDependencies[prop] ?? [];
        const tables = deps.flatMap((u) => byUrn.get(u) ?? []);
        if (tables.length > 0) {
            return { tables };
        }
        const from = deps.map((u) => nameOf.get(u)).filter((n) => n !== undefined);
        return {
            unknown:
                `\`${prop}\` of \`${r.name}\` (${r.type}) is unknown during preview` +
                (from.length > 0
                    ? ` (it comes from ${from.join(", ")}, which declares no table)`
                    : " and no property dependency names the table"),
        };
    };
    const tags = new Map<TableFacts, TagSource[]>();
    const parents = new Map<TableFacts, Parent[]>();
    const tagsFrom = new Map<string, string>();
    let floating: Inherited | undefined;
    let floatingOther: { path: string; reason: string } | undefined;
    const keys = new Set(config.productionTagKeys.map((k) => k.toLowerCase()));
    const values = new Set(config.productionTagValues.map((v) => v.toLowerCase()));
    const wholeTable = (t: TableFacts) => (t.replicaIndex === undefined ? (byUrn.get(t.urn) ?? [t]) : [t]);
    for (const r of resources) {
        if (r.type === TYPES.tag) {
            const owner = `aws.dynamodb.Tag \`${r.name}\``;
            const source: TagSource = { path: "", owner, value: { key: r.props.key, value: r.props.value } };
            const target = resolve(r, "resourceArn");
            if (!target) {
                continue;
            }
            if ("tables" in target) {
                for (const t of new Set(target.tables.flatMap(wholeTable))) {
                    push(tags, t, source);
                }
                continue;
            }
            // Only a Tag that could mark production matters when its table is unknown.
            const k = r.props.key;
            const v = r.props.value;
            const couldMark =
                (k === UNKNOWN || (typeof k === "string" && keys.has(k.toLowerCase()))) &&
                (v === UNKNOWN || (typeof v === "string" && values.has(v.trim().toLowerCase())));
            const couldDeclare =
                (k === UNKNOWN || (typeof k === "string" && keys.has(k.toLowerCase()))) &&
                (v === UNKNOWN || (typeof v === "string" && !values.has(v.trim().toLowerCase())));
            if (couldDeclare && !floatingOther) {
                floatingOther = {
                    path: "resourceArn",
                    reason: `${owner} may tag it with another environment: ${target.unknown}`,
                };
            }
            if (couldMark && !floating) {
                floating = {
                    via: `${owner} may tag it`,
                    production: { production: "unknown", path: "resourceArn", reason: target.unknown },
                };
            }
            continue;
        }
        const main = r.tables[0];
        if (!main || main.cannotVerify) {
            continue;
        }
        const refs: [string, string, boolean][] =
            r.type === TYPES.tableReplica
                ? [["globalTableArn", "it is a replica of", false]]
                : r.type === TYPES.table
                  ? [
                        ["restoreSourceTableArn", "it is restored from", false],
                        ["restoreSourceName", "it is restored from", true],
                    ]
                  : [];
        for (const [prop, via, byNameOnly] of refs) {
            const target = resolve(r, prop, byNameOnly);
            if (!target) {
                continue;
            }
            const found: Parent[] =
                "tables" in target
                    ? target.tables
                          .filter((t) => t.urn !== r.urn)
                          .map((t) => ({ via: `${via} ${t.subject}`, table: t }))
                    : [{ via: `${via} a table`, unknown: { path: prop, reason: target.unknown } }];
            for (const t of r.tables) {
                for (const p of found) {
                    push(parents, t, p);
                }
            }
        }
        if (r.props.tags === UNKNOWN && (r.propertyDependencies.tags ?? []).length > 0) {
            const from = (r.propertyDependencies.tags ?? []).map((u) => nameOf.get(u) ?? `\`${u}\``);
            tagsFrom.set(r.urn, from.join(", "));
        }
    }
    return { tags, parents, floating, floatingOther, tagsFrom };
}

const MAX_CHAIN = 100;

/**
 * Production-ness of every table with references followed, memoised; cycles and chains longer than
 * a hundred references end in "not production by this path" and "unknown" respectively (results that
 * depend on where the walk began are not memoised).
 */
export function productionResolver(
    links: Links,
    config: ProductionConfig,
    stackTags: ReadonlyMap<string, string> | undefined,
): (table: TableFacts) => Production {
    if (
        links.tags.size === 0 &&
        links.parents.size === 0 &&
        !links.floating &&
        !links.floatingOther &&
        links.tagsFrom.size === 0
    ) {
        return (table) => decideProduction(table, config, { stackTags });
    }
    const memo = new Map<TableFacts, Production>();
    const active = new Set<TableFacts>();
    // A result reached through a cut chain (or a cycle) depends on where the walk started: not kept.
    let partial = false;
    const resolve = (table: TableFacts, depth: number): Production => {
        const known = memo.get(table);
        if (known) {
            return known;
        }
        if (active.has(table)) {
            partial = true;
            return { production: false, reason: "it refers back to itself" };
        }
        if (depth > MAX_CHAIN) {
            partial = true;
            return {
                production: "unknown",
                path: "",
                reason: `it is more than ${MAX_CHAIN} references away from the table it derives from`,
            };
        }
        active.add(table);
        try {
            const inherited: Inherited[] = (links.parents.get(table) ?? []).map((p) => ({
                via: p.via,
                production: p.table
                    ? resolve(p.table, depth + 1)
                    : { production: "unknown", path: p.unknown?.path ?? "", reason: p.unknown?.reason ?? "" },
            }));
            if (links.floating) {
                inherited.push(links.floating);
            }
            let result = decideProduction(table, config, {
                stackTags,
                extraTagSources: links.tags.get(table),
                inherited,
                mayBeDeclared: links.floatingOther,
            });
            const from = links.tagsFrom.get(table.urn);
            if (result.production === "unknown" && from && result.path.startsWith("tags")) {
                result = { ...result, reason: `${result.reason} (the tags come from ${from})` };
            }
            if (!partial) {
                memo.set(table, result);
            }
            return result;
        } finally {
            active.delete(table);
        }
    };
    return (table) => {
        partial = false;
        return resolve(table, 0);
    };
}

/** Only the properties references read, so that a table's whole body need not be copied twice. */
export const REFERENCE_PROPS: { readonly [type: string]: readonly string[] } = {
    [TYPES.tag]: ["resourceArn", "key", "value"],
    [TYPES.tableReplica]: ["globalTableArn", "tags"],
    [TYPES.table]: ["restoreSourceTableArn", "restoreSourceName", "tags"],
    [TYPES.nativeTable]: ["tags"],
};
