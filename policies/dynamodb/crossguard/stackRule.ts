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
import { readStack } from "./stackReading";

/** Reports a violation on a resource of the stack; advisory ones at advisory level. */
export type StackReport = (message: string, urn: string, advisory: boolean) => void;

export function stackReporter(reportViolation: ReportViolation): StackReport {
    return (message, urn, advisory) =>
        advisory
            ? reportViolation({ message, enforcementLevel: "advisory", urn } as any, urn)
            : reportViolation(message, urn);
}

/**
 * A `validateStack` for a table rule. `extra` runs once per resource that declares tables, with
 * production-ness decided with the stack in view (deletion protection's `protect` advice).
 */
export function validateTablesInStack<C>(
    rule: TableRule<C>,
    extra?: (
        tables: readonly TableFacts[],
        productionOf: (table: TableFacts) => Production,
        config: C & ProductionConfig,
        report: StackReport,
    ) => void,
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
    return validate;
}
