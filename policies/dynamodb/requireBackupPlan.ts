/**
 * Stack rule: every production table is selected by an AWS Backup plan, so that backups outlive the
 * table and PITR's 35 days. A selection (`aws.backup.Selection` or aws-native `backup.BackupSelection`)
 * covers a table when it names it directly (through the table's ARN output: at preview that ARN is
 * unknown, so the selection's property dependencies on the table count), by a tag, or by a wildcard
 * ARN. Matches AWS Config `dynamodb-in-backup-plan` / `dynamodb-resources-protected-by-backup-plan`,
 * Security Hub DynamoDB.4 and cdk-nag `DynamoDBInBackupPlan`.
 *
 * Linear in the stack's size: selections are indexed once (by target URN, by tag, by wildcard), then
 * each table is looked up; only selections with ARN patterns or conditions are scanned per table.
 */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ProductionConfig, productionConfigSchema, readConfig } from "./config";
import { Decision, compliant } from "./decision";
import { TYPES, TableFacts, TagSource } from "./facts";
import { decideProduction } from "./production";
import { tablesOfArgs } from "./rule";
import { UNKNOWN, isRecord, readProp } from "./values";

type Condition = { op: "equals" | "like" | "notEquals" | "notLike"; key: string; value: string };

/** A backup selection, reduced to what can select a table. */
export interface SelectionFacts {
    readonly name: string;
    /** URNs of resources whose outputs feed the selection's `resources`. */
    readonly targetUrns: readonly string[];
    /** Known ARN patterns of `resources` (`*` wildcards allowed). */
    readonly resources: readonly string[];
    /** True when some entry of `resources` is unknown and no property dependency explains it. */
    readonly unknownResources: boolean;
    /** Tag selections (`selectionTags` / `listOfTags`): key equals value. */
    readonly tags: readonly { key: string; value: string }[];
    readonly conditions: readonly Condition[];
    readonly notResources: readonly string[];
}

function strings(value: unknown): { known: string[]; unknown: boolean } {
    if (value === UNKNOWN) {
        return { known: [], unknown: true };
    }
    if (!Array.isArray(value)) {
        return { known: [], unknown: false };
    }
    return {
        known: value.filter((v): v is string => typeof v === "string"),
        unknown: value.some((v) => v === UNKNOWN),
    };
}

function list(value: unknown): Record<string, unknown>[] {
    return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Reads a selection from a resource's plain properties; undefined for other resources. */
export function selectionOf(
    type: string,
    name: string,
    props: unknown,
    propertyDependencies: { [key: string]: readonly string[] },
    dependencies: readonly string[],
): SelectionFacts | undefined {
    const p = isRecord(props) ? props : {};
    let body: Record<string, unknown>;
    let deps: readonly string[];
    const tags: { key: string; value: string }[] = [];
    const conditions: Condition[] = [];
    if (type === TYPES.backupSelection) {
        body = p;
        deps = propertyDependencies.resources ?? [];
        for (const t of list(p.selectionTags)) {
            if (
                String(t.type).toUpperCase() === "STRINGEQUALS" &&
                typeof t.key === "string" &&
                typeof t.value === "string"
            ) {
                tags.push({ key: t.key, value: t.value });
            }
        }
        for (const c of list(p.conditions)) {
            const ops = [
                ["stringEquals", "equals"],
                ["stringLikes", "like"],
                ["stringNotEquals", "notEquals"],
                ["stringNotLikes", "notLike"],
            ] as const;
            for (const [prop, op] of ops) {
                for (const e of list(c[prop])) {
                    if (typeof e.key === "string" && typeof e.value === "string") {
                        conditions.push({ op, key: e.key, value: e.value });
                    }
                }
            }
        }
    } else if (type === TYPES.nativeBackupSelection) {
        body = isRecord(p.backupSelection) ? p.backupSelection : {};
        deps = propertyDependencies.backupSelection ?? [];
        for (const t of list(body.listOfTags)) {
            const op = String(t.conditionType).toUpperCase();
            if (
                op === "STRINGEQUALS" &&
                typeof t.conditionKey === "string" &&
                typeof t.conditionValue === "string"
            ) {
                tags.push({ key: t.conditionKey, value: t.conditionValue });
            }
        }
        const c = isRecord(body.conditions) ? body.conditions : {};
        const ops = [
            ["stringEquals", "equals"],
            ["stringLike", "like"],
            ["stringNotEquals", "notEquals"],
            ["stringNotLike", "notLike"],
        ] as const;
        for (const [prop, op] of ops) {
            for (const e of list(c[prop])) {
                if (typeof e.conditionKey === "string" && typeof e.conditionValue === "string") {
                    conditions.push({ op, key: e.conditionKey, value: e.conditionValue });
                }
            }
        }
    } else {
        return undefined;
    }
    const resources = strings(body.resources);
    // Without property dependencies (an older engine, a state file), fall back to all dependencies.
    const targetUrns = resources.unknown && deps.length === 0 ? dependencies : deps;
    return {
        name,
        targetUrns,
        resources: resources.known,
        unknownResources: resources.unknown && targetUrns.length === 0,
        tags,
        conditions,
        notResources: strings(body.notResources).known,
    };
}

/** `*` matches any run of characters, as in AWS Backup resource ARNs. */
function glob(pattern: string, value: string): boolean {
    const re = new RegExp(
        `^${pattern
            .split("*")
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    );
    return re.test(value);
}

/** The table's effective tags, merged lowest to highest precedence; undefined if any set is unknown. */
export function effectiveTags(sources: readonly TagSource[]): Map<string, string> | undefined {
    const out = new Map<string, string>();
    for (const s of sources) {
        if (s.value === UNKNOWN) {
            return undefined;
        }
        const entries: [unknown, unknown][] = Array.isArray(s.value)
            ? list(s.value).map((t) => [t.key ?? t.Key, t.value ?? t.Value])
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

/** The ARN the selection would see, or a stand-in built from the table name when only that is known. */
function arnsOf(table: TableFacts): string[] {
    const out: string[] = [];
    if (typeof table.arn?.value === "string") {
        out.push(table.arn.value);
    }
    if (typeof table.tableName?.value === "string") {
        out.push(`arn:aws:dynamodb:*:*:table/${table.tableName.value}`);
    }
    return out;
}

/** Does an ARN pattern of a selection match the table? `undefined` when the table's ARN and name are unknown. */
function arnMatches(pattern: string, table: TableFacts): boolean | undefined {
    if (pattern === "*") {
        return true;
    }
    const arns = arnsOf(table);
    if (arns.length === 0) {
        // Every DynamoDB table matches `arn:<partition>:dynamodb:*:*:table/*`, whatever its name.
        if (/^arn:[^:]+:dynamodb:\*:\*:table\/\*$/.test(pattern)) {
            return true;
        }
        return /^arn:[^:]+:dynamodb:/.test(pattern) || pattern.includes("*") ? undefined : false;
    }
    return arns.some((arn) => {
        if (arn.includes(":*:*:")) {
            // Only the name is known: compare the pattern's table part.
            const name = arn.slice(arn.indexOf(":table/") + 7);
            const m = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/(.+)$/.exec(pattern);
            return m ? glob(m[1], name) : false;
        }
        return glob(pattern, arn);
    });
}

/** True if any is true, else undefined if any is undefined, else false. */
function anyOf(values: Iterable<boolean | undefined>): boolean | undefined {
    let result: boolean | undefined = false;
    for (const v of values) {
        if (v === true) {
            return true;
        }
        if (v === undefined) {
            result = undefined;
        }
    }
    return result;
}

function conditionHolds(c: Condition, tags: Map<string, string> | undefined): boolean | undefined {
    const m = /^aws:ResourceTag\/(.+)$/.exec(c.key);
    if (!m) {
        return undefined;
    }
    if (!tags) {
        return undefined;
    }
    const v = tags.get(m[1]);
    switch (c.op) {
        case "equals":
            return v === c.value;
        case "like":
            return v !== undefined && glob(c.value, v);
        case "notEquals":
            return v !== c.value;
        case "notLike":
            return v === undefined || !glob(c.value, v);
    }
}

/** Does the selection cover the table? `undefined` when that depends on unknown values. */
export function selects(sel: SelectionFacts, table: TableFacts): boolean | undefined {
    const excluded = anyOf(sel.notResources.filter((p) => p !== "*").map((p) => arnMatches(p, table)));
    if (excluded === true) {
        return false;
    }
    const tags = effectiveTags(table.tagSources);
    let picked: boolean | undefined = sel.targetUrns.includes(table.urn)
        ? true
        : anyOf(sel.resources.map((p) => arnMatches(p, table)));
    if (!picked && sel.tags.length > 0) {
        picked = tags ? sel.tags.some((t) => tags.get(t.key) === t.value) : undefined;
    }
    if (!picked) {
        return sel.unknownResources || picked === undefined ? undefined : false;
    }
    if (excluded === undefined) {
        return undefined;
    }
    for (const c of sel.conditions) {
        const holds = conditionHolds(c, tags);
        if (holds === false) {
            return false;
        }
        if (holds === undefined) {
            return undefined;
        }
    }
    return true;
}

/** The pure decision: is this table in some backup selection? */
export function decideBackupPlan(table: TableFacts, selections: readonly SelectionFacts[]): Decision {
    let maybe: SelectionFacts | undefined;
    for (const sel of selections) {
        const s = selects(sel, table);
        if (s === true) {
            return compliant(`backup selection \`${sel.name}\` selects it`);
        }
        if (s === undefined) {
            maybe = maybe ?? sel;
        }
    }
    if (maybe) {
        return {
            outcome: "unverifiable",
            reason: `backup selection \`${maybe.name}\` may select it, but its resources or the table's tags are unknown during preview`,
        };
    }
    return {
        outcome: "non-compliant",
        path: "",
        problem: "",
        fix:
            "add it to a backup plan with an aws.backup.Selection whose `resources` include the table's ARN, " +
            "or that selects its tags, or use ResilientTable, which creates one",
    };
}

/** The tables this rule looks at: whole tables, not replicas of a table that is checked itself. */
function backupTables(r: PolicyResource): TableFacts[] {
    const tables = tablesOfArgs(r);
    switch (r.type) {
        case TYPES.table:
        case TYPES.nativeTable:
        case TYPES.nativeGlobalTable:
            return tables.slice(0, 1).filter((t) => !t.cannotVerify);
        case TYPES.cloudFormationStack:
            return tables.filter((t) => !t.cannotVerify && !t.replicaIndex);
        default:
            return [];
    }
}

function urns(list: unknown): string[] {
    return Array.isArray(list)
        ? list
              .filter((r) => r !== null && typeof r === "object")
              .map((r) => String((r as PolicyResource).urn))
        : [];
}

const schema = {
    ...productionConfigSchema,
};

export const requireBackupPlan: StackValidationPolicy = {
    name: "dynamodb-production-table-in-backup-plan",
    description:
        "Production DynamoDB tables must be selected by an AWS Backup plan, directly, by tag or by wildcard, so that backups outlive the table and the PITR window.",
    enforcementLevel: "mandatory",
    configSchema: { properties: schema as Record<string, any> },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = readConfig<ProductionConfig>(args.getConfig(), schema);
        const selections: SelectionFacts[] = [];
        const tables: TableFacts[] = [];
        for (const r of args.resources) {
            try {
                if (r.type === TYPES.backupSelection || r.type === TYPES.nativeBackupSelection) {
                    const propDeps: { [key: string]: string[] } = {};
                    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) {
                        propDeps[k] = urns(v);
                    }
                    const sel = selectionOf(
                        r.type,
                        r.name,
                        readProp(r, "props"),
                        propDeps,
                        urns(r.dependencies),
                    );
                    if (sel) {
                        selections.push(sel);
                    }
                } else {
                    tables.push(...backupTables(r));
                }
            } catch {
                // One unreadable resource must not stop the check of the others.
            }
        }
        // Index the simple selections so most tables are decided in constant time.
        const byUrn = new Set<string>();
        const byTag = new Map<string, Set<string>>();
        let wildcard: SelectionFacts | undefined;
        // A table the index does not pick is checked only against the selections the index cannot
        // rule out: those with conditions, exclusions, ARN patterns or unknown resources, and, when
        // the table's own tags are unknown, those that select by tag. A selection that names tables
        // by URN only never selects another table, so scanning it for every table (quadratic in the
        // stack's size) would change nothing.
        const complex: SelectionFacts[] = [];
        const byTagOnly: SelectionFacts[] = [];
        for (const s of selections) {
            const simple = s.conditions.length === 0 && s.notResources.length === 0;
            if (simple) {
                s.targetUrns.forEach((u) => byUrn.add(u));
                s.tags.forEach((t) => byTag.set(t.key, (byTag.get(t.key) ?? new Set()).add(t.value)));
                if (s.resources.includes("*")) {
                    wildcard = wildcard ?? s;
                }
            }
            if (!simple || s.resources.length > 0 || s.unknownResources) {
                complex.push(s);
            } else if (s.tags.length > 0) {
                byTagOnly.push(s);
            }
        }
        // In the stack's order, so that messages name the same selection as a full scan would.
        const scannedWithTags = new Set([...complex, ...byTagOnly]);
        const complexOrTags = selections.filter((s) => scannedWithTags.has(s));
        const scanned = (tagsUnknown: boolean) => (tagsUnknown ? complexOrTags : complex);
        for (const table of tables) {
            try {
                const production = decideProduction(table, config, { stackTags: args.stackTags });
                if (production.production === false) {
                    continue;
                }
                const tags = effectiveTags(table.tagSources);
                const quick =
                    wildcard !== undefined ||
                    byUrn.has(table.urn) ||
                    (tags !== undefined && [...tags].some(([k, v]) => byTag.get(k)?.has(v)));
                const decision = quick
                    ? compliant("selected")
                    : decideBackupPlan(table, scanned(tags === undefined));
                if (decision.outcome === "compliant" || decision.outcome === "not-applicable") {
                    continue;
                }
                if (production.production === "unknown") {
                    reportViolation(
                        {
                            message: `Cannot verify that ${table.subject} is in a backup plan: cannot tell whether it is a production table: ${production.reason}.`,
                            enforcementLevel: "advisory",
                            urn: table.urn,
                        } as any,
                        table.urn,
                    );
                } else if (decision.outcome === "unverifiable") {
                    reportViolation(
                        {
                            message: `Cannot verify that ${table.subject} is in a backup plan: ${decision.reason}.`,
                            enforcementLevel: "advisory",
                            urn: table.urn,
                        } as any,
                        table.urn,
                    );
                } else if (decision.outcome === "non-compliant") {
                    reportViolation(
                        `Production ${table.subject} is not selected by any AWS Backup plan; ${decision.fix}. ` +
                            `It is production because ${production.reason}.`,
                        table.urn,
                    );
                }
            } catch {
                // Never fail the stack check because of one table.
            }
        }
    },
};
