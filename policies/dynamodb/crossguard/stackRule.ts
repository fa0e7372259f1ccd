/**
 * The stack half of a table rule. A resource policy sees one resource, so it reports only what no
 * other resource can change (`judgeEarly` in `tableRule.ts`); this `validateStack` reports every other
 * verdict of the same rule, under the same policy name, with the whole stack in view: production-ness
 * through `aws.dynamodb.Tag` resources, replicas and restores (`references.ts`), and the stack's tags
 * and name, which a tag the stack puts on the table outranks. Together the two halves give each
 * table's verdict once, on the table's own URN.
 *
 * CrossGuard runs `validateResource` in Analyze and `validateStack` in AnalyzeStack for one policy
 * object that has both (`@pulumi/policy` `server.js`: `isResourcePolicy` / `isStackPolicy`), with the
 * policy's one name, enforcement level and configuration.
 */
import { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { ProductionConfig } from "../engine/config";
import { forProductionTable } from "../engine/decision";
import { TableFacts } from "../engine/tableFacts";
import { Production } from "../engine/production";
import { TableRule, judgeEarly, readRuleConfig, wording } from "./tableRule";
import { StackReading, currentReading, readStack } from "./stackReading";

/** Reports a violation on a resource of the stack; advisory ones at advisory level. */
export type StackReport = (message: string, urn: string, advisory: boolean) => void;

export function stackReporter(reportViolation: ReportViolation): StackReport {
    return (message, urn, advisory) =>
        advisory
            ? reportViolation({ message, enforcementLevel: "advisory", urn } as any, urn)
            : reportViolation(message, urn);
}

/**
 * The resource type a stack half says it applies to when the stack check under way has already read
 * the stack and found no table this rule could report on. CrossGuard then skips the policy (reporting
 * it as not applicable) without decoding the stack for it again; no resource has this type.
 */
export const NOTHING_LEFT_TYPE = "dynamodb-pitr:stack:NoTableThatOnlyTheStackCanDecide";

const needs = new WeakMap<StackReading, Map<unknown, boolean>>();

/**
 * Whether the rule could report anything in its stack half, whatever its configuration: some table
 * fails the rule's check with its most demanding knobs (or needs `more`), and the resource policy
 * does not report it whatever the table's production-ness.
 */
function mayReport<C>(
    reading: StackReading,
    rule: TableRule<C>,
    more?: (table: TableFacts) => boolean,
): boolean {
    let byRule = needs.get(reading);
    if (!byRule) {
        byRule = new Map();
        needs.set(reading, byRule);
    }
    const known = byRule.get(rule);
    if (known !== undefined) {
        return known;
    }
    // The schema defaults are the most demanding knobs (a 35-day minimum recovery period).
    const demanding = readRuleConfig<C>({}, rule.schema);
    let may = false;
    for (const input of reading.inputs) {
        for (const table of input.tables) {
            const check = rule.decide(table, demanding);
            const open =
                check.outcome === "non-compliant" ||
                (check.outcome === "unverifiable" && !check.regardlessOfProduction);
            if (open || (more !== undefined && !table.cannotVerify && more(table))) {
                may = true;
                break;
            }
        }
        if (may) break;
    }
    byRule.set(rule, may);
    return may;
}

/**
 * A `validateStack` for a table rule. `extra` runs once per resource that declares tables, with
 * production-ness decided with the stack in view (deletion protection's `protect` advice); `needsExtra`
 * says whether a table may need it.
 */
export function validateTablesInStack<C>(
    rule: TableRule<C>,
    extra?: (
        tables: readonly TableFacts[],
        productionOf: (table: TableFacts) => Production,
        config: C & ProductionConfig,
        report: StackReport,
    ) => void,
    needsExtra?: (table: TableFacts) => boolean,
) {
    const validate = (args: StackValidationArgs, reportViolation: ReportViolation): void => {
        const report = stackReporter(reportViolation);
        let config: C & ProductionConfig;
        try {
            config = readRuleConfig<C>(args.getConfig(), rule.schema);
        } catch {
            config = readRuleConfig<C>({}, rule.schema);
        }
        const reading = readStack(args);
        const { productionOf } = reading.resolve(config, args.stackTags);
        for (const input of reading.inputs) {
            for (const table of input.tables) {
                try {
                    const check = rule.decide(table, config);
                    if (judgeEarly(rule, table, config, check)) {
                        continue; // reported (or passed) by the resource policy
                    }
                    const production = productionOf(table);
                    const decision = forProductionTable(check, production);
                    const message = wording(rule, table, decision, production);
                    if (message !== undefined) {
                        report(message, table.urn, decision.outcome === "unverifiable");
                    }
                } catch (e) {
                    report(`Cannot check ${rule.what} on ${table.subject}: ${String(e)}.`, table.urn, true);
                }
            }
            if (extra && input.tables.length > 0) {
                try {
                    extra(input.tables, productionOf, config, report);
                } catch {
                    // Advice only: never fail the check because of it.
                }
            }
        }
    };
    // CrossGuard reads `__pulumiType` just before it decodes the stack for this policy: when an earlier
    // stack check of the same call has read the stack and no table is left for this rule, it skips it.
    Object.defineProperty(validate, "__pulumiType", {
        get: () => {
            const reading = currentReading();
            return reading && !mayReport(reading, rule, needsExtra) ? NOTHING_LEFT_TYPE : undefined;
        },
    });
    return validate;
}
