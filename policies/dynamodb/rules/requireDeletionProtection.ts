/**
 * Rule: production tables have deletion protection on (`deletionProtectionEnabled`), and, as advice,
 * the Pulumi `protect` option, so neither the AWS API nor `pulumi destroy` can delete them.
 * Matches AWS Config `dynamodb-table-deletion-protection-enabled` and Security Hub DynamoDB.6.
 */
import { ResourceValidationArgs, ReportViolation } from "@pulumi/policy";
import { Decision, compliant, notApplicable, problemWith, unknownField } from "../engine/decision";
import { TableFacts } from "../engine/tableFacts";
import { decideProduction } from "../engine/production";
import {
    TableRule,
    configSchemaOf,
    readRuleConfig,
    tablesOfArgs,
    validateTables,
} from "../crossguard/tableRule";
import { TablePolicy } from "../crossguard/tablePolicy";
import { validateTablesInStack } from "../crossguard/stackRule";
import { UNKNOWN, asBoolean } from "../engine/values";
import { metadataOf } from "../engine/metadata";

export interface DeletionProtectionConfig {
    /** Also advise setting the `protect` resource option on production tables. */
    readonly adviseProtectOption: boolean;
}

export function decideDeletionProtection(table: TableFacts): Decision {
    const f = table.deletionProtectionEnabled;
    if (table.cannotVerify || !f) {
        return notApplicable("this declaration has no deletion protection setting");
    }
    const on = asBoolean(f.value);
    if (on === true) {
        return compliant(`\`${f.path}\` is true`);
    }
    if (on === UNKNOWN) {
        return unknownField(f);
    }
    return {
        outcome: "non-compliant",
        path: f.path,
        problem: problemWith(f),
        fix: table.fixes?.deletionProtection ?? "set it to true",
    };
}

/** Advice on the `protect` option: the resource that declares the table should be protected. */
export function decideProtectOption(table: TableFacts): Decision {
    return table.protect === true
        ? compliant("the `protect` option is set")
        : {
              outcome: "non-compliant",
              path: "protect",
              problem: "unset",
              fix: "pass `{ protect: true }` in its resource options so that `pulumi destroy` cannot delete it",
          };
}

export const deletionProtectionRule: TableRule<DeletionProtectionConfig> = {
    what: "deletion protection",
    schema: {
        adviseProtectOption: {
            type: "boolean",
            default: true,
            description:
                "Also report, as advisory, production tables whose resource lacks the `protect` option.",
        },
    },
    decide: (table) => decideDeletionProtection(table),
};

const validate = validateTables(deletionProtectionRule);

function protectAdvice(table: TableFacts): string {
    return (
        `Production ${table.subject} has the \`protect\` resource option unset; pass ` +
        "`{ protect: true }` in its resource options so that `pulumi destroy` cannot delete it."
    );
}

export const requireDeletionProtection: TablePolicy = {
    name: "dynamodb-production-table-deletion-protection",
    ...metadataOf("dynamodb-production-table-deletion-protection"),
    description:
        "Production DynamoDB tables must have deletion protection enabled; the Pulumi `protect` option is advised as well.",
    enforcementLevel: "mandatory",
    configSchema: configSchemaOf(deletionProtectionRule),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        validate(args, reportViolation);
        try {
            const config = readRuleConfig<DeletionProtectionConfig>(
                args.getConfig(),
                deletionProtectionRule.schema,
            );
            if (!config.adviseProtectOption) {
                return;
            }
            // One piece of advice per resource, even when it declares several tables; here only for a
            // table its own tags make production (the stack check advises on the others).
            const table = tablesOfArgs(args).find(
                (t) => decideProduction(t, config, { local: true }).production === true,
            );
            if (table && decideProtectOption(table).outcome === "non-compliant") {
                reportViolation({ message: protectAdvice(table), enforcementLevel: "advisory" } as any);
            }
        } catch {
            // Advice only: never fail the check because of it.
        }
    },
    validateStack: validateTablesInStack(deletionProtectionRule, (tables, productionOf, config, report) => {
        if (!config.adviseProtectOption) {
            return;
        }
        if (tables.some((t) => decideProduction(t, config, { local: true }).production === true)) {
            return; // advised by the resource policy
        }
        const table = tables.find((t) => !t.cannotVerify && productionOf(t).production === true);
        if (table && decideProtectOption(table).outcome === "non-compliant") {
            report(protectAdvice(table), table.urn, true);
        }
    }),
};
