/**
 * Stack rule: every production table is selected by an AWS Backup plan, so that backups outlive the
 * table and PITR's 35 days. A selection (`aws.backup.Selection` or aws-native `backup.BackupSelection`)
 * covers a table when it names it directly (through the table's ARN output: at preview that ARN is
 * unknown, so the selection's property dependencies on the table count), by a tag, or by an ARN
 * pattern that matches the table (see `backup/backupSelections.ts`). Matches AWS Config
 * `dynamodb-in-backup-plan` / `dynamodb-resources-protected-by-backup-plan`, Security Hub DynamoDB.4
 * and cdk-nag `DynamoDBInBackupPlan`.
 *
 * Production-ness here follows references between resources (`facts/references.ts`): a table
 * tagged by an `aws.dynamodb.Tag`, a replica of a production table, a table restored from one.
 * Selections inside CloudFormation templates count too (`backup/cloudformationBackup.ts`). This rule
 * reports backup coverage only; every other rule reports its own verdicts, references included
 * (`crossguard/stackRule.ts`). The stack is read once for all the pack's stack checks
 * (`crossguard/stackReading.ts`).
 *
 * Linear in the stack's size: resources are read once, selections indexed once
 * (`backup/selectionIndex.ts`).
 */
import { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ProductionConfig, productionConfigSchema, readConfig } from "../engine/config";
import { Decision, compliant, notApplicable } from "../engine/decision";
import { SelectionFacts, viewOf } from "../backup/backupSelections";
import { TableFacts } from "../engine/tableFacts";
import { Production } from "../engine/production";
import {
    decideOrganizationCoverage,
    organizationSelectionsSchema,
    readOrganizationSelections,
} from "../backup/organizationSelections";
import { SelectionIndex, scanSelections } from "../backup/selectionIndex";
import { StackReport, stackReporter } from "../crossguard/stackRule";
import { StackReading, readStack } from "../crossguard/stackReading";
import { metadataOf } from "../engine/metadata";
import { backupTables } from "../backup/backupTables";

function verdict(found: ReturnType<typeof scanSelections>): Decision {
    if (found && "covered" in found) {
        return compliant(`backup selection \`${found.covered.name}\` selects it`);
    }
    if (found) {
        return {
            outcome: "unverifiable",
            reason: `backup selection \`${found.maybe.name}\` may select it, but ${found.why}`,
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

/** The pure decision: is this table in some backup selection? (A full scan; the policy uses the index.) */
export function decideBackupPlan(table: TableFacts, selections: readonly SelectionFacts[]): Decision {
    return verdict(scanSelections(selections, viewOf(table)));
}

const schema = {
    ...productionConfigSchema,
    tagSelectionsOutsideStack: {
        type: "array",
        items: { type: "string" },
        default: [] as string[],
        description:
            "Tag selections of backup plans outside this stack, in the stack's account and Region (a protection baseline " +
            'in the platform\'s stack), each "key=value,key=value": a table carrying every tag of one is covered.',
    },
};

/** `"environment=production,team=checkout"` as tag pairs; undefined if malformed. */
export function parseTagSelection(text: string): Array<[string, string]> | undefined {
    const pairs = text.split(",").map((pair) => {
        const at = pair.indexOf("=");
        return at > 0
            ? ([pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as [string, string])
            : undefined;
    });
    return pairs.every((p) => p !== undefined && p[0] !== "")
        ? (pairs as Array<[string, string]>)
        : undefined;
}

/**
 * A plan outside the stack that selects the table by its tags, as the policy configuration states:
 * covered when every tag of one selection is on the table; undefined when none matches or the table's
 * tags are unknown (the in-stack verdict stands).
 */
export function coveredOutside(
    tags: ReadonlyMap<string, string> | undefined,
    selections: ReadonlyArray<Array<[string, string]>>,
): Decision | undefined {
    if (!tags) return undefined;
    const match = selections.find((sel) => sel.every(([k, v]) => tags.get(k) === v));
    return match
        ? compliant(
              `a backup plan outside the stack selects tables tagged ${match.map(([k, v]) => `${k}=${v}`).join(", ")} ` +
                  "(policy config `tagSelectionsOutsideStack`)",
          )
        : undefined;
}

function checkBackup(table: TableFacts, production: Production, decision: Decision, report: StackReport) {
    if (decision.outcome === "compliant" || decision.outcome === "not-applicable") {
        return;
    }
    if (production.production === "unknown") {
        report(
            `Cannot verify that ${table.subject} is in a backup plan: cannot tell whether it is a production table: ${production.reason}.`,
            table.urn,
            true,
        );
    } else if (decision.outcome === "unverifiable") {
        report(
            `Cannot verify that ${table.subject} is in a backup plan: ${decision.reason}.`,
            table.urn,
            true,
        );
    } else if (decision.outcome === "non-compliant") {
        report(
            `Production ${table.subject} is not selected by any AWS Backup plan; ${decision.fix}. ` +
                `It is production because ${production.reason}.`,
            table.urn,
            false,
        );
    }
}

/** The backup rule's verdict on one table it judges: production-ness, and coverage once production. */
export interface BackupJudgement {
    readonly production: Production;
    /** Coverage (compliant, unverifiable or non-compliant); `not-applicable` when not production. */
    readonly decision: Decision;
}

/**
 * The rule's decision for every table it judges (whole tables, not replicas; readable ones), from the
 * stack's reading and the rule's raw configuration. The policy reports these, and the fleet report's
 * census counts them, so the two can never disagree.
 */
export function judgeBackups(
    reading: StackReading,
    rawConfig: unknown,
    stackTags: ReadonlyMap<string, string> | undefined,
): Map<TableFacts, BackupJudgement> {
    const config = readConfig<ProductionConfig & { tagSelectionsOutsideStack: string[] }>(rawConfig, schema);
    const outside = config.tagSelectionsOutsideStack
        .map(parseTagSelection)
        .filter((sel): sel is Array<[string, string]> => sel !== undefined);
    const organization = readOrganizationSelections(rawConfig);
    const { links, productionOf } = reading.resolve(config, stackTags);
    const index = new SelectionIndex(reading.selections);
    const out = new Map<TableFacts, BackupJudgement>();
    for (const input of reading.inputs) {
        for (const table of backupTables(input.type, input.tables)) {
            try {
                const production = productionOf(table);
                if (production.production === false) {
                    out.set(table, { production, decision: notApplicable("not a production table") });
                    continue;
                }
                const view = viewOf(table, links.tags.get(table));
                const inStack = verdict(index.lookup(view));
                const decision = decideOrganizationCoverage(
                    view.tags,
                    organization,
                    inStack.outcome === "compliant" || outside.length === 0
                        ? inStack
                        : (coveredOutside(view.tags, outside) ?? inStack),
                );
                out.set(table, { production, decision });
            } catch {
                // Never fail the stack check because of one table.
            }
        }
    }
    return out;
}

export const requireBackupPlan: StackValidationPolicy = {
    name: "dynamodb-production-table-in-backup-plan",
    ...metadataOf("dynamodb-production-table-in-backup-plan"),
    description:
        "Production DynamoDB tables must be selected by an AWS Backup plan, directly, by tag or by wildcard, so that backups outlive the table and the PITR window.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...schema, ...organizationSelectionsSchema } as Record<string, any> },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const report = stackReporter(reportViolation);
        const reading = readStack(args);
        const judged = judgeBackups(reading, args.getConfig(), args.stackTags);
        for (const [table, { production, decision }] of judged) {
            checkBackup(table, production, decision, report);
        }
        if (
            reading.inputs.every((input) => input.tables.length === 0) &&
            typeof args.notApplicable === "function"
        ) {
            args.notApplicable("the stack declares no DynamoDB table");
        }
    },
};
