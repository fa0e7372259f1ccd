/**
 * AWS Backup selections (`aws.backup.Selection`, aws-native `backup.BackupSelection`) reduced to what
 * can select a DynamoDB table, and the three-valued answer "does this selection cover this table?".
 *
 * AWS Backup assigns a resource when it is named by `resources` (an ARN, `*` wildcards allowed) or by
 * a tag in `selectionTags` / `listOfTags` (either is enough), it is not named by `notResources`, and
 * every `conditions` entry holds (AWS Backup Developer Guide, "Assigning resources to a backup plan";
 * API Reference, BackupSelection). A part that is unknown during preview makes the answer unknown
 * only when the answer truly depends on it; whatever is known to rule the table out wins.
 */
import { TableArnParts, malformedPattern, matchArnPattern, globRegExp, parseTableArn } from "../facts/arn";
import { TYPES, TableFacts, TagSource } from "../engine/tableFacts";
import { UNKNOWN, isRecord } from "../engine/values";

export type ConditionOp = "equals" | "like" | "notEquals" | "notLike";
export interface Condition {
    readonly op: ConditionOp;
    readonly key: string;
    readonly value: string;
}

/** A backup selection, reduced to what can select a table. */
export interface SelectionFacts {
    readonly name: string;
    /** URNs of resources whose outputs feed the selection's `resources`. */
    readonly targetUrns: readonly string[];
    /** Known ARN patterns of `resources` (`*` wildcards allowed). */
    readonly resources: readonly string[];
    /** Tag selections (`selectionTags` / `listOfTags`): key equals value. */
    readonly tags: readonly { readonly key: string; readonly value: string }[];
    readonly conditions: readonly Condition[];
    readonly notResources: readonly string[];
    /**
     * Parts that cannot be read, each as the reason a table "may" be selected: an entry of `resources`
     * unknown without a property dependency that says where it comes from, a malformed ARN, an
     * unknown tag or condition. `picking` ones may add tables; `limiting` ones may remove them.
     */
    readonly unknown: { readonly picking: readonly string[]; readonly limiting: readonly string[] };
}

/** What a selection needs to know of a table; computed once per table. */
export interface TableView {
    readonly urn: string;
    /** A table of a CloudFormation template: the key a selection of the same template targets. */
    readonly templateKey?: string;
    readonly arn: TableArnParts;
    /** The table's effective tags, or undefined when some are unknown. */
    readonly tags: ReadonlyMap<string, string> | undefined;
}

/** A selection's answer for one table: covered, not covered, or why it cannot be told. */
export type Coverage = true | false | { readonly unknown: string };

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

const UNKNOWN_VALUE = "is unknown during preview";

interface Reader {
    readonly resources: string[];
    readonly tags: { key: string; value: string }[];
    readonly conditions: Condition[];
    readonly notResources: string[];
    readonly picking: string[];
    readonly limiting: string[];
}

/** Reads ARN patterns; an unknown or malformed entry is recorded with its path. */
function readPatterns(value: unknown, path: string, into: string[], why: string[], depsExplain: boolean) {
    if (value === UNKNOWN) {
        if (!depsExplain) {
            why.push(`\`${path}\` ${UNKNOWN_VALUE}`);
        }
        return;
    }
    list(value).forEach((v, i) => {
        if (v === UNKNOWN) {
            if (!depsExplain) {
                why.push(
                    `\`${path}[${i}]\` ${UNKNOWN_VALUE} and no property dependency says which resource it names`,
                );
            }
        } else if (typeof v === "string") {
            const bad = malformedPattern(v);
            if (bad) {
                why.push(`\`${path}[${i}]\` ${JSON.stringify(v)} cannot be read: ${bad}`);
            } else {
                into.push(v);
            }
        }
    });
}

/** One tag entry, in whichever field names the provider uses. */
function readTag(
    e: unknown,
    at: string,
    names: { type: string; key: string; value: string },
    r: Reader,
): { key: string; value: string } | undefined {
    if (e === UNKNOWN || !isRecord(e)) {
        if (e === UNKNOWN) {
            r.picking.push(`\`${at}\` ${UNKNOWN_VALUE}`);
        }
        return undefined;
    }
    for (const f of [names.type, names.key, names.value]) {
        if (e[f] === UNKNOWN) {
            r.picking.push(`\`${at}.${f}\` ${UNKNOWN_VALUE}`);
            return undefined;
        }
    }
    const type = String(e[names.type] ?? "STRINGEQUALS").toUpperCase();
    if (type !== "STRINGEQUALS" || typeof e[names.key] !== "string" || typeof e[names.value] !== "string") {
        r.picking.push(`\`${at}\` cannot be read (AWS Backup accepts STRINGEQUALS with a key and a value)`);
        return undefined;
    }
    return { key: e[names.key] as string, value: e[names.value] as string };
}

function readConditions(
    c: unknown,
    at: string,
    ops: readonly (readonly [string, ConditionOp])[],
    names: { key: string; value: string },
    r: Reader,
) {
    if (c === UNKNOWN) {
        r.limiting.push(`\`${at}\` ${UNKNOWN_VALUE}`);
        return;
    }
    if (!isRecord(c)) {
        return;
    }
    for (const [prop, op] of ops) {
        if (c[prop] === UNKNOWN) {
            r.limiting.push(`\`${at}.${prop}\` ${UNKNOWN_VALUE}`);
            continue;
        }
        list(c[prop]).forEach((e, i) => {
            const p = `${at}.${prop}[${i}]`;
            if (e === UNKNOWN || (isRecord(e) && (e[names.key] === UNKNOWN || e[names.value] === UNKNOWN))) {
                r.limiting.push(`\`${p}\` ${UNKNOWN_VALUE}`);
            } else if (
                isRecord(e) &&
                typeof e[names.key] === "string" &&
                typeof e[names.value] === "string"
            ) {
                r.conditions.push({ op, key: e[names.key] as string, value: e[names.value] as string });
            }
        });
    }
}

/** The tags and conditions of an `aws.backup.Selection`. */
function readAwsSelection(p: Record<string, unknown>, r: Reader): void {
    list(p.selectionTags).forEach((t, i) => {
        const tag = readTag(t, `selectionTags[${i}]`, { type: "type", key: "key", value: "value" }, r);
        if (tag) r.tags.push(tag);
    });
    if (p.selectionTags === UNKNOWN) r.picking.push(`\`selectionTags\` ${UNKNOWN_VALUE}`);
    if (p.conditions === UNKNOWN) r.limiting.push(`\`conditions\` ${UNKNOWN_VALUE}`);
    const ops = [
        ["stringEquals", "equals"],
        ["stringLikes", "like"],
        ["stringNotEquals", "notEquals"],
        ["stringNotLikes", "notLike"],
    ] as const;
    list(p.conditions).forEach((c, i) =>
        readConditions(c, `conditions[${i}]`, ops, { key: "key", value: "value" }, r),
    );
}

/** The tags and conditions of an aws-native `backup.BackupSelection`'s `backupSelection`. */
function readNativeSelection(body: Record<string, unknown>, prefix: string, r: Reader): void {
    list(body.listOfTags).forEach((t, i) => {
        const names = { type: "conditionType", key: "conditionKey", value: "conditionValue" };
        const tag = readTag(t, `${prefix}listOfTags[${i}]`, names, r);
        if (tag) r.tags.push(tag);
    });
    if (body.listOfTags === UNKNOWN) r.picking.push(`\`${prefix}listOfTags\` ${UNKNOWN_VALUE}`);
    const ops = [
        ["stringEquals", "equals"],
        ["stringLike", "like"],
        ["stringNotEquals", "notEquals"],
        ["stringNotLike", "notLike"],
    ] as const;
    readConditions(
        body.conditions,
        `${prefix}conditions`,
        ops,
        { key: "conditionKey", value: "conditionValue" },
        r,
    );
}

/** Reads a selection from a resource's plain properties; undefined for other resources. */
export function selectionOf(
    type: string,
    name: string,
    props: unknown,
    propertyDependencies: { readonly [key: string]: readonly string[] },
    dependencies: readonly string[],
): SelectionFacts | undefined {
    const p = isRecord(props) ? props : {};
    const r: Reader = {
        resources: [],
        tags: [],
        conditions: [],
        notResources: [],
        picking: [],
        limiting: [],
    };
    let body: Record<string, unknown>;
    let deps: readonly string[];
    let prefix: string;
    if (type === TYPES.backupSelection) {
        body = p;
        prefix = "";
        deps = propertyDependencies.resources ?? [];
        readAwsSelection(p, r);
    } else if (type === TYPES.nativeBackupSelection) {
        if (p.backupSelection === UNKNOWN) {
            r.picking.push(`\`backupSelection\` ${UNKNOWN_VALUE}`);
        }
        body = isRecord(p.backupSelection) ? p.backupSelection : {};
        prefix = "backupSelection.";
        deps = propertyDependencies.backupSelection ?? [];
        readNativeSelection(body, prefix, r);
    } else {
        return undefined;
    }
    const resourcesUnknown = body.resources === UNKNOWN || list(body.resources).some((v) => v === UNKNOWN);
    // Without property dependencies (an older engine, a state file), fall back to all dependencies.
    const targetUrns = resourcesUnknown && deps.length === 0 ? dependencies : deps;
    readPatterns(body.resources, `${prefix}resources`, r.resources, r.picking, targetUrns.length > 0);
    readPatterns(body.notResources, `${prefix}notResources`, r.notResources, r.limiting, false);
    return {
        name,
        targetUrns: resourcesUnknown ? targetUrns : [],
        resources: r.resources,
        tags: r.tags,
        conditions: r.conditions,
        notResources: r.notResources,
        unknown: { picking: r.picking, limiting: r.limiting },
    };
}

/** The table's effective tags, merged lowest to highest precedence; undefined if any set is unknown. */
export function effectiveTags(sources: readonly TagSource[]): Map<string, string> | undefined {
    const out = new Map<string, string>();
    for (const s of sources) {
        if (s.value === UNKNOWN) {
            return undefined;
        }
        const entries: [unknown, unknown][] =
            s.owner !== undefined
                ? isRecord(s.value)
                    ? [[s.value.key, s.value.value]]
                    : []
                : Array.isArray(s.value)
                  ? s.value.filter(isRecord).map((t) => [t.key ?? t.Key, t.value ?? t.Value])
                  : isRecord(s.value)
                    ? Object.entries(s.value)
                    : [];
        for (const [k, v] of entries) {
            if (k === UNKNOWN || v === UNKNOWN) {
                return undefined;
            }
            if (typeof k === "string" && v !== undefined) {
                out.set(k, String(v));
            }
        }
    }
    return out;
}

/** What is known of the table's ARN: its ARN output when known, else its name and Region. */
export function arnPartsOf(table: TableFacts): TableArnParts {
    const parsed = parseTableArn(table.arn?.value);
    if (parsed) {
        return parsed;
    }
    const name = table.tableName?.value;
    return { region: table.region, name: typeof name === "string" && name !== "" ? name : undefined };
}

export function viewOf(table: TableFacts, extraTagSources: readonly TagSource[] = []): TableView {
    const sources = extraTagSources.length > 0 ? [...table.tagSources, ...extraTagSources] : table.tagSources;
    return {
        urn: table.urn,
        templateKey: table.templateKey,
        arn: arnPartsOf(table),
        tags: effectiveTags(sources),
    };
}

function conditionHolds(c: Condition, tags: ReadonlyMap<string, string> | undefined): Coverage {
    const m = /^aws:ResourceTag\/(.+)$/.exec(c.key);
    if (!m) {
        return { unknown: `its condition key \`${c.key}\` is not \`aws:ResourceTag/<key>\`` };
    }
    if (!tags) {
        return { unknown: "the table's tags are unknown during preview" };
    }
    const v = tags.get(m[1]);
    switch (c.op) {
        case "equals":
            return v === c.value;
        case "like":
            return v !== undefined && globRegExp(c.value).test(v);
        case "notEquals":
            return v !== c.value;
        case "notLike":
            return v === undefined || !globRegExp(c.value).test(v);
    }
}

/** True if any is true; else the first unknown; else false. */
function anyPattern(patterns: readonly string[], arn: TableArnParts, what: string): Coverage {
    let unknown: Coverage = false;
    for (const p of patterns) {
        const m = matchArnPattern(p, arn);
        if (m === true) {
            return true;
        }
        if (m === undefined && unknown === false) {
            unknown = {
                unknown: `whether ${what} ${JSON.stringify(p)} matches depends on the table's ARN, which is unknown during preview`,
            };
        }
    }
    return unknown;
}

/**
 * Does the selection cover the table? `targeted` says whether the selection names the table through
 * a property dependency (the caller knows; see `targetUrns`).
 */
export function covers(
    sel: SelectionFacts,
    table: TableView,
    targeted = sel.targetUrns.includes(table.urn) ||
        (table.templateKey !== undefined && sel.targetUrns.includes(table.templateKey)),
): Coverage {
    // Picked by resources or by a tag (either is enough).
    let picked: Coverage = targeted ? true : anyPattern(sel.resources, table.arn, "`resources` entry");
    if (picked !== true && sel.tags.length > 0) {
        if (table.tags === undefined) {
            picked = picked === false ? { unknown: "the table's tags are unknown during preview" } : picked;
        } else if (sel.tags.some((t) => table.tags?.get(t.key) === t.value)) {
            picked = true;
        }
    }
    if (picked !== true && sel.unknown.picking.length > 0) {
        picked = picked === false ? { unknown: sel.unknown.picking[0] } : picked;
    }
    if (picked === false) {
        return false;
    }
    // Then nothing known may rule it out; an unknown exclusion or condition only makes it unknown.
    const excluded = anyPattern(sel.notResources, table.arn, "`notResources` entry");
    if (excluded === true) {
        return false;
    }
    let unknown: Coverage = picked === true ? (excluded === false ? true : excluded) : picked;
    for (const c of sel.conditions) {
        const holds = conditionHolds(c, table.tags);
        if (holds === false) {
            return false;
        }
        if (holds !== true && unknown === true) {
            unknown = holds;
        }
    }
    if (unknown === true && sel.unknown.limiting.length > 0) {
        unknown = { unknown: sel.unknown.limiting[0] };
    }
    return unknown;
}
