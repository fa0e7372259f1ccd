/**
 * Production-ness followed through references between resources of one stack, which a resource
 * policy (seeing one resource at a time) cannot see:
 *
 * - `aws.dynamodb.Tag` (`resourceArn`, `key`, `value`) tags a table: its tag counts as the table's own;
 * - `aws.dynamodb.TableReplica` (`globalTableArn`) is a replica of that table and is production when
 *   the table is;
 * - `aws.dynamodb.Table` restored from another (`restoreSourceTableArn`, `restoreSourceName`) holds
 *   that table's data and is production when the source is;
 * - a table whose `tags` come from another resource's output: the unknown tag names that resource;
 * - a legacy (2017.11.29) `aws.dynamodb.GlobalTable` (`name`, `replicas[].regionName`) joins the tables
 *   of that name in the Regions it lists: each member is production when another member is.
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
    /** The URNs it depends on (`dependsOn` included); read only for a legacy global table. */
    readonly dependencies?: readonly string[];
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

/** True when the resource may refer to a table (or have tags from another resource). */
function refers(r: LinkInput): boolean {
    if (r.type === TYPES.tag || r.type === TYPES.tableReplica || r.type === TYPES.legacyGlobalTable) {
        return true;
    }
    const p = r.props;
    return (
        p.restoreSourceTableArn !== undefined ||
        p.restoreSourceName !== undefined ||
        (p.tags === UNKNOWN && (r.propertyDependencies.tags ?? []).length > 0)
    );
}

/** The stack's tables by URN, ARN and name, and its resources by URN. */
interface TableIndex {
    readonly byUrn: Map<string, TableFacts[]>;
    readonly byArn: Map<string, TableFacts[]>;
    readonly byName: Map<string, TableFacts[]>;
    readonly inputOf: Map<string, LinkInput>;
}

function indexTables(resources: readonly LinkInput[]): TableIndex {
    const index: TableIndex = { byUrn: new Map(), byArn: new Map(), byName: new Map(), inputOf: new Map() };
    for (const r of resources) {
        index.inputOf.set(r.urn, r);
        for (const t of r.tables) {
            if (t.cannotVerify) {
                continue;
            }
            push(index.byUrn, t.urn, t);
            if (typeof t.arn?.value === "string") {
                push(index.byArn, t.arn.value, t);
            }
            if (typeof t.tableName?.value === "string") {
                push(index.byName, t.tableName.value, t);
            }
        }
    }
    return index;
}

/** How messages name the resource of a URN, or undefined when it is not in the stack. */
function nameOf(index: TableIndex, urn: string): string | undefined {
    const r = index.inputOf.get(urn);
    return r && `\`${r.name}\` (${r.type})`;
}

/** The tables an ARN (or name) property names, known or through its property dependency. */
function resolve(index: TableIndex, r: LinkInput, prop: string, byNameOnly = false): Target | undefined {
    const value = r.props[prop];
    if (typeof value === "string") {
        const exact = index.byArn.get(value);
        if (exact) {
            return { tables: exact };
        }
        const parsed = byNameOnly ? { name: value, region: undefined } : parseTableArn(value);
        const named = parsed ? (index.byName.get(parsed.name) ?? []) : [];
        return {
            tables: named.filter((t) => !parsed?.region || !t.region || t.region === parsed.region),
        };
    }
    if (value !== UNKNOWN) {
        return undefined;
    }
    const deps = r.propertyDependencies[prop] ?? [];
    const tables = deps.flatMap((u) => index.byUrn.get(u) ?? []);
    if (tables.length > 0) {
        return { tables };
    }
    const from = deps.map((u) => nameOf(index, u)).filter((n) => n !== undefined);
    return {
        unknown:
            `\`${prop}\` of \`${r.name}\` (${r.type}) is unknown during preview` +
            (from.length > 0
                ? ` (it comes from ${from.join(", ")}, which declares no table)`
                : " and no property dependency names the table"),
    };
}

/** The graph being built by `linkTables`. */
interface Building {
    readonly tags: Map<TableFacts, TagSource[]>;
    readonly parents: Map<TableFacts, Parent[]>;
    readonly tagsFrom: Map<string, string>;
    floating?: Inherited;
    floatingOther?: { path: string; reason: string };
}

/** Follows an `aws.dynamodb.Tag` to the tables it tags, or notes it as floating when they are unknown. */
function linkTag(
    r: LinkInput,
    index: TableIndex,
    production: { readonly keys: ReadonlySet<string>; readonly values: ReadonlySet<string> },
    out: Building,
): void {
    const owner = `aws.dynamodb.Tag \`${r.name}\``;
    const source: TagSource = { path: "", owner, value: { key: r.props.key, value: r.props.value } };
    const target = resolve(index, r, "resourceArn");
    if (!target) {
        return;
    }
    if ("tables" in target) {
        const wholeTable = (t: TableFacts) =>
            t.replicaIndex === undefined ? (index.byUrn.get(t.urn) ?? [t]) : [t];
        for (const t of new Set(target.tables.flatMap(wholeTable))) {
            push(out.tags, t, source);
        }
        return;
    }
    // Only a Tag that could mark production matters when its table is unknown.
    const { keys, values } = production;
    const k = r.props.key;
    const v = r.props.value;
    const couldMark =
        (k === UNKNOWN || (typeof k === "string" && keys.has(k.toLowerCase()))) &&
        (v === UNKNOWN || (typeof v === "string" && values.has(v.trim().toLowerCase())));
    const couldDeclare =
        (k === UNKNOWN || (typeof k === "string" && keys.has(k.toLowerCase()))) &&
        (v === UNKNOWN || (typeof v === "string" && !values.has(v.trim().toLowerCase())));
    if (couldDeclare && !out.floatingOther) {
        out.floatingOther = {
            path: "resourceArn",
            reason: `${owner} may tag it with another environment: ${target.unknown}`,
        };
    }
    if (couldMark && !out.floating) {
        out.floating = {
            via: `${owner} may tag it`,
            production: { production: "unknown", path: "resourceArn", reason: target.unknown },
        };
    }
}

/** Follows a table's references to the tables it is a replica of or restored from, and its tags' source. */
function linkTable(r: LinkInput, index: TableIndex, out: Building): void {
    const main = r.tables[0];
    if (!main || main.cannotVerify) {
        return;
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
        const target = resolve(index, r, prop, byNameOnly);
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
                push(out.parents, t, p);
            }
        }
    }
    if (r.props.tags === UNKNOWN && (r.propertyDependencies.tags ?? []).length > 0) {
        const from = (r.propertyDependencies.tags ?? []).map((u) => nameOf(index, u) ?? `\`${u}\``);
        out.tagsFrom.set(r.urn, from.join(", "));
    }
}

/** The forms that make a table a legacy global table can join: a whole table, not a replica. */
const MEMBER_TYPES: ReadonlySet<string> = new Set([
    TYPES.table,
    TYPES.nativeTable,
    TYPES.cloudFormationStack,
]);

/** The Regions a legacy global table lists, or undefined when any Region may be one (unknown). */
function listedRegions(replicas: unknown): string[] | undefined {
    if (!Array.isArray(replicas)) {
        return undefined;
    }
    const regions: string[] = [];
    for (const entry of replicas) {
        const region =
            entry !== null && typeof entry === "object"
                ? (entry as { regionName?: unknown }).regionName
                : UNKNOWN;
        if (typeof region !== "string") {
            return undefined;
        }
        regions.push(region);
    }
    return regions;
}

/** Whether a table may be a member: a whole table, in a listed Region (or one that may be). */
function mayBeMember(t: TableFacts, regions: readonly string[] | undefined): boolean {
    return (
        MEMBER_TYPES.has(t.resourceType) &&
        t.replicaIndex === undefined &&
        (!regions || !t.region || regions.includes(t.region))
    );
}

/**
 * The member tables of a legacy `aws.dynamodb.GlobalTable`: the stack's tables named by its `name` in
 * the Regions it lists (a table whose Region is unknown may be one), and, when the name is unknown at
 * preview, the tables it depends on (`name: table.name`, `dependsOn`) and those named like them.
 */
function globalTableMembers(r: LinkInput, index: TableIndex): TableFacts[] {
    const regions = listedRegions(r.props.replicas);
    const name = r.props.name;
    const isMember = (t: TableFacts) => mayBeMember(t, regions);
    const deps = [...(r.propertyDependencies.name ?? []), ...(r.dependencies ?? [])];
    const depTables = deps
        .flatMap((u) => index.byUrn.get(u) ?? [])
        .filter(
            (t) =>
                isMember(t) &&
                (typeof name !== "string" ||
                    typeof t.tableName?.value !== "string" ||
                    t.tableName.value === name),
        );
    const names =
        typeof name === "string"
            ? [name]
            : depTables.map((t) => t.tableName?.value).filter((n) => typeof n === "string");
    const named = [...new Set(names)].flatMap((n) => (index.byName.get(n) ?? []).filter(isMember));
    return [...new Set([...depTables, ...named])];
}

/** Links each member of a legacy global table to the others; an unknown membership, to every candidate. */
function linkGlobalTable(r: LinkInput, index: TableIndex, out: Building): void {
    const label = `legacy global table \`${r.name}\` (${r.type})`;
    const members = globalTableMembers(r, index);
    if (members.length === 0 && r.props.name === UNKNOWN) {
        const regions = listedRegions(r.props.replicas);
        const unknown = {
            path: "name",
            reason: `\`name\` of ${label} is unknown during preview and no dependency names its member tables`,
        };
        for (const list of index.byUrn.values()) {
            for (const t of list) {
                if (mayBeMember(t, regions)) {
                    push(out.parents, t, { via: `it may be a member of ${label}`, unknown });
                }
            }
        }
        return;
    }
    for (const m of members) {
        for (const o of members) {
            if (o !== m && o.urn !== m.urn) {
                push(out.parents, m, { via: `it is a member of ${label} with ${o.subject}`, table: o });
            }
        }
    }
}

/** Builds the stack's reference graph; never throws on malformed properties. */
export function linkTables(resources: readonly LinkInput[], config: ProductionConfig): Links {
    if (!resources.some(refers)) {
        // Most stacks: nothing to follow, so no index of tables is built.
        return { tags: new Map(), parents: new Map(), tagsFrom: new Map() };
    }
    const index = indexTables(resources);
    const production = {
        keys: new Set(config.productionTagKeys.map((k) => k.toLowerCase())),
        values: new Set(config.productionTagValues.map((v) => v.toLowerCase())),
    };
    const out: Building = { tags: new Map(), parents: new Map(), tagsFrom: new Map() };
    for (const r of resources) {
        if (r.type === TYPES.tag) {
            linkTag(r, index, production, out);
        } else if (r.type === TYPES.legacyGlobalTable) {
            linkGlobalTable(r, index, out);
        } else {
            linkTable(r, index, out);
        }
    }
    const { tags, parents, floating, floatingOther, tagsFrom } = out;
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
    [TYPES.legacyGlobalTable]: ["name", "replicas"],
};
