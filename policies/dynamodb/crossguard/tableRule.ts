/**
 * CrossGuard wiring shared by the table rules: build table facts from the resource, decide
 * production-ness, run the rule's pure decision, and word the violation. Never throws: an unexpected
 * error becomes an advisory violation that says so, rather than a failed preview.
 */
import { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { KnobSchema, ProductionConfig, productionConfigSchema, readConfig } from "../engine/config";
import { Decision, forProductionTable } from "../engine/decision";
import { TABLE_TYPES, TableFacts } from "../engine/tableFacts";
import { Production, decideProduction } from "../engine/production";
import { tablesOf } from "../facts/tables";

export interface TableRule<C> {
    /** What the rule checks, for "Cannot verify <what> on ...", e.g. "point-in-time recovery". */
    readonly what: string;
    /** The rule's own knobs with their JSON schema (type, default, description). */
    readonly schema: { readonly [knob: string]: KnobSchema };
    /** The rule's decision for one table, before production-ness is taken into account. */
    readonly decide: (table: TableFacts, config: C & ProductionConfig) => Decision;
    /** True when the rule applies to every table, production or not (the restore window). */
    readonly allTables?: boolean;
}

/** The rule's knobs, plus the production knobs unless the rule applies to every table. */
export function configSchemaOf(rule: { schema: TableRule<unknown>["schema"]; allTables?: boolean }) {
    const production = rule.allTables ? {} : productionConfigSchema;
    return { properties: { ...production, ...rule.schema } as Record<string, any> };
}

/**
 * Each rule's configuration, read once per distinct configuration: CrossGuard's `getConfig` builds a
 * new object on every call, so the configuration is keyed by its JSON text (a few knobs).
 */
const configs = new WeakMap<object, Map<string, unknown>>();

/** The same, by the configuration object itself, when a caller hands out one object repeatedly. */
const byObject = new WeakMap<object, WeakMap<object, unknown>>();

export function readRuleConfig<C>(raw: unknown, schema: TableRule<C>["schema"]): C & ProductionConfig {
    if (raw === null || typeof raw !== "object") {
        return readRuleConfigByText(raw, schema);
    }
    let seen = byObject.get(raw);
    if (!seen) {
        seen = new WeakMap();
        byObject.set(raw, seen);
    }
    if (!seen.has(schema)) {
        seen.set(schema, readRuleConfigByText(raw, schema));
    }
    return seen.get(schema) as C & ProductionConfig;
}

function readRuleConfigByText<C>(raw: unknown, schema: TableRule<C>["schema"]): C & ProductionConfig {
    const read = () => readConfig<C & ProductionConfig>(raw, { ...productionConfigSchema, ...schema });
    let text: string | undefined;
    try {
        text = JSON.stringify(raw ?? null);
    } catch {
        return read();
    }
    if (text === undefined) {
        return read();
    }
    let bySchema = configs.get(schema);
    if (!bySchema) {
        bySchema = new Map();
        configs.set(schema, bySchema);
    }
    if (!bySchema.has(text)) {
        if (bySchema.size >= 64) bySchema.clear();
        bySchema.set(text, Object.freeze(read()));
    }
    return bySchema.get(text) as C & ProductionConfig;
}

type TableArgs = Pick<ResourceValidationArgs, "type" | "name" | "urn" | "props" | "opts" | "provider">;

/**
 * The tables of one decoded resource, read once for all the pack's policies: with the shared
 * decoding (sharedDecoding.ts) every policy of a request gets the same decoded properties (each
 * behind its own unknown-checking proxy), so the second and later policies reuse the first one's
 * facts. Keyed by the decoded object (freed with the request) and checked against the resource's
 * URN, provider and `protect`.
 */
const readOnce = new WeakMap<
    object,
    { urn: string; provider: unknown; protect: unknown; tables: readonly TableFacts[] }
>();

/** The object behind CrossGuard's unknown-checking proxy (`proxy.ts` `getSpecialProxyTarget`), or the value. */
function targetOf(value: unknown): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    const target = (value as Record<string, unknown>)["__getSpecialProxyTarget"];
    return target !== null && typeof target === "object" ? target : value;
}

/** Tables declared by a resource (as a resource policy or a stack policy sees it), or none. */
export function tablesOfArgs(args: TableArgs): TableFacts[] {
    if (!TABLE_TYPES.includes(args.type)) {
        return [];
    }
    const key = targetOf(args.props);
    if (key === null || typeof key !== "object") {
        return readTablesOfArgs(args);
    }
    const seen = readOnce.get(key);
    const provider = targetOf(args.provider?.props);
    const protect = args.opts?.protect;
    if (seen && seen.urn === args.urn && seen.provider === provider && seen.protect === protect) {
        return [...seen.tables];
    }
    const tables = readTablesOfArgs(args);
    readOnce.set(key, { urn: args.urn, provider, protect, tables });
    return [...tables];
}

/** Tables declared by a resource, read afresh (remediation writes to the properties it reads). */
export function readTablesOfArgs(args: TableArgs): TableFacts[] {
    if (!TABLE_TYPES.includes(args.type)) {
        return [];
    }
    return tablesOf({
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: args.props,
        protect: args.opts?.protect,
        providerProps: args.provider?.props,
    });
}

/** The full verdict of a rule on one table, with production-ness applied (seeing this resource alone). */
export function judge<C>(
    rule: TableRule<C>,
    table: TableFacts,
    config: C & ProductionConfig,
    stackTags?: ReadonlyMap<string, string>,
): { decision: Decision; production: Production } {
    const check = rule.decide(table, config);
    if (rule.allTables || check.outcome === "compliant" || check.outcome === "not-applicable") {
        return { decision: check, production: { production: false, reason: "not needed" } };
    }
    const production = decideProduction(table, config, { stackTags });
    return { decision: forProductionTable(check, production), production };
}

/**
 * The per-resource (early) verdict: only what no other resource of the stack can change. That is a
 * rule that applies to every table, a table that cannot be read at all, and a table that its own
 * tags (or `allTablesAreProduction`) make production: a production tag is
 * never taken away (a Tag resource weighs as much as the table's own tag, and production wins), while
 * anything else (an untagged table in a stack named `prod`) may be decided by a Tag resource, a table
 * it replicates or is restored from. Undefined when the verdict waits for the stack check
 * (`stackRule.ts`), which reports exactly those tables.
 */
export function judgeEarly<C>(
    rule: TableRule<C>,
    table: TableFacts,
    config: C & ProductionConfig,
    check: Decision = rule.decide(table, config),
): { decision: Decision; production: Production } | undefined {
    if (rule.allTables || check.outcome === "compliant" || check.outcome === "not-applicable") {
        return { decision: check, production: { production: false, reason: "not needed" } };
    }
    if (check.outcome === "unverifiable" && check.regardlessOfProduction) {
        return { decision: check, production: { production: false, reason: "not needed" } };
    }
    const production = decideProduction(table, config, { local: true });
    return production.production === true
        ? { decision: forProductionTable(check, production), production }
        : undefined;
}

/** The message a user reads for a non-compliant or unverifiable decision. */
export function wording(
    rule: { what: string; allTables?: boolean },
    table: TableFacts,
    decision: Decision,
    production: Production,
): string | undefined {
    if (decision.outcome === "non-compliant") {
        const who = rule.allTables ? capitalise(table.subject) : `Production ${table.subject}`;
        const why = production.production === true ? ` It is production because ${production.reason}.` : "";
        return `${who} has \`${decision.path}\` ${decision.problem}; ${decision.fix}.${why}`;
    }
    if (decision.outcome === "unverifiable") {
        return `Cannot verify ${rule.what} on ${table.subject}: ${decision.reason}.`;
    }
    return undefined;
}

function capitalise(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A `validateResource` for a table rule: one violation per failing table (a resource may declare
 * several: replicas, CloudFormation tables) that `judgeEarly` can decide alone. Unverifiable tables
 * are reported as advisory.
 */
export function validateTables<C>(rule: TableRule<C>) {
    return (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
        let tables: TableFacts[];
        try {
            tables = tablesOfArgs(args);
        } catch (e) {
            reportViolation({
                message: `Cannot check ${rule.what} on \`${args.name}\`: ${String(e)}.`,
                enforcementLevel: "advisory",
            } as any);
            return;
        }
        if (tables.length === 0) {
            notApplicable(args, `\`${args.type}\` declares no DynamoDB table`);
            return;
        }
        let config: C & ProductionConfig;
        try {
            config = readRuleConfig<C>(args.getConfig(), rule.schema);
        } catch {
            config = readRuleConfig<C>({}, rule.schema);
        }
        const notApplying: string[] = [];
        for (const table of tables) {
            try {
                const early = judgeEarly(rule, table, config);
                if (!early) {
                    continue; // the stack check decides, with the whole stack in view
                }
                const { decision, production } = early;
                if (decision.outcome === "not-applicable") {
                    notApplying.push(`${table.subject}: ${decision.reason}`);
                    continue;
                }
                const message = wording(rule, table, decision, production);
                if (message === undefined) {
                    continue;
                }
                if (decision.outcome === "unverifiable") {
                    reportViolation({ message, enforcementLevel: "advisory" } as any);
                } else {
                    reportViolation(message);
                }
            } catch (e) {
                reportViolation({
                    message: `Cannot check ${rule.what} on ${table.subject}: ${String(e)}.`,
                    enforcementLevel: "advisory",
                } as any);
            }
        }
        if (notApplying.length === tables.length) {
            notApplicable(args, notApplying.join("; "));
        }
    };
}

/**
 * Tells CrossGuard the policy does not apply to this resource (`args.notApplicable`, `@pulumi/policy`
 * 1.21), which Pulumi Cloud shows apart from "passed". It throws, so call it last. A caller that hands
 * out args without it (an older CrossGuard) simply gets no answer, as before.
 */
function notApplicable(args: ResourceValidationArgs, reason: string): void {
    if (typeof args.notApplicable === "function") {
        args.notApplicable(reason);
    }
}
