/**
 * Stack rule: a production table's backups reach a vault its own account cannot delete. Someone with
 * admin in the workload account (ransomware, a compromised pipeline) can turn PITR off, delete the
 * table and delete every recovery point of an unlocked or governance-locked vault of that account; a
 * logically air-gapped vault, a vault locked in compliance mode, or a vault in another account keeps
 * them (AWS Backup Developer Guide, "Logically air-gapped vault", "AWS Backup Vault Lock").
 *
 * Covered when a selection that selects the table belongs to a plan whose rules reach such a vault
 * (program or CloudFormation template; `backup/isolation.ts`), or when the table carries every tag of
 * one of the organization's isolated selections (policy config `organizationIsolatedSelections`, as
 * `OrganizationBackupPolicy`'s `packConfig` prints them when it has `airGapped` or copies to another
 * account). Advisory by default: most fleets adopt it in steps; set it mandatory once they have.
 */
import { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ProductionConfig, productionConfigSchema, readConfig } from "../engine/config";
import { Decision, compliant } from "../engine/decision";
import { TableView, viewOf } from "../backup/backupSelections";
import { TableFacts } from "../engine/tableFacts";
import { Production } from "../engine/production";
import { scanSelections } from "../backup/selectionIndex";
import { PlanIsolation, isolatedSelections } from "../backup/isolation";
import {
    OrganizationSelection,
    organizationSelectionSchema,
    readOrganizationSelections,
} from "../backup/organizationSelections";
import { StackReport, stackReporter } from "../crossguard/stackRule";
import { readStack } from "../crossguard/stackReading";
import { metadataOf } from "../engine/metadata";
import { backupTables } from "../backup/backupTables";

export const ISOLATED_BACKUPS = "dynamodb-production-table-backups-isolated";

const FIX =
    "copy its recovery points to a logically air-gapped vault or to a compliance-locked vault in another account " +
    "(TableBackupPlan, ProtectionBaseline or OrganizationBackupPolicy `airGapped`), or list such a vault outside " +
    "the stack in policy config `isolatedVaultArns`";

const schema = {
    ...productionConfigSchema,
    isolatedVaultArns: {
        type: "array",
        items: { type: "string" },
        default: [] as string[],
        description:
            "Vault ARNs outside this stack that an admin of the workload account cannot empty (a logically air-gapped " +
            "vault, or a compliance-locked vault in another account): a plan copying to one covers its tables.",
    },
    organizationIsolatedSelections: {
        type: "array",
        items: organizationSelectionSchema,
        default: [] as OrganizationSelection[],
        description:
            "Tag selections of an AWS Organizations backup policy that copies to a vault no member account can empty " +
            "(OrganizationBackupPolicy's `packConfig` prints them), each { tags: { key: value } }.",
    },
};

/** The pure decision for one table, given the stack's isolated selections and the organization's. */
export function decideIsolation(
    view: TableView,
    candidates: ReadonlyArray<{
        selection: Parameters<typeof scanSelections>[0][number];
        isolation: PlanIsolation;
    }>,
    organization: readonly OrganizationSelection[],
): Decision {
    const maybe: string[] = [];
    for (const { selection, isolation } of candidates) {
        const found = scanSelections([selection], view);
        if (!found) continue;
        if (!("covered" in found)) {
            maybe.push(`backup selection \`${found.maybe.name}\` may select it, but ${found.why}`);
            continue;
        }
        if (isolation.always)
            return compliant(`backup selection \`${selection.name}\` selects it and ${isolation.always}`);
        const account = view.arn.account;
        const other = isolation.copyAccounts.find((a) => a !== account);
        if (account !== undefined && other !== undefined) {
            return compliant(
                `backup selection \`${selection.name}\` selects it and copies to account ${other}`,
            );
        }
        if (account === undefined) {
            maybe.push(
                `backup selection \`${selection.name}\` copies it to account ${isolation.copyAccounts.join(", ")}, and the ` +
                    "table's own account is unknown during preview",
            );
        }
    }
    const tags = view.tags;
    const match =
        tags && organization.find((s) => Object.entries(s.tags).every(([k, v]) => tags.get(k) === v));
    if (match) {
        return compliant(
            "the organization's backup policy selects it and copies to a vault no member account can empty " +
                "(policy config `organizationIsolatedSelections`)",
        );
    }
    if (!tags && organization.length > 0) {
        maybe.push(
            "the organization's isolated selections select by tag, and the table's tags are unknown during preview",
        );
    }
    if (maybe.length > 0) return { outcome: "unverifiable", reason: maybe[0] };
    return { outcome: "non-compliant", path: "", problem: "", fix: FIX };
}

function report(table: TableFacts, production: Production, decision: Decision, out: StackReport) {
    if (decision.outcome === "compliant" || decision.outcome === "not-applicable") return;
    if (production.production === "unknown") {
        out(
            `Cannot verify that the backups of ${table.subject} reach a vault its account cannot delete: cannot tell ` +
                `whether it is a production table: ${production.reason}.`,
            table.urn,
            true,
        );
    } else if (decision.outcome === "unverifiable") {
        out(
            `Cannot verify that the backups of ${table.subject} reach a vault its account cannot delete: ${decision.reason}.`,
            table.urn,
            true,
        );
    } else if (decision.outcome === "non-compliant") {
        out(
            `Every backup of production ${table.subject} stays where an admin of its account can delete it (with the ` +
                `table and its PITR); ${decision.fix}. It is production because ${production.reason}.`,
            table.urn,
            false,
        );
    }
}

export const requireIsolatedBackups: StackValidationPolicy = {
    name: ISOLATED_BACKUPS,
    ...metadataOf(ISOLATED_BACKUPS),
    description:
        "A production DynamoDB table's backups must reach a vault its own account cannot delete (a logically air-gapped vault, a compliance-locked vault, or a vault in another account), so ransomware or a compromised admin cannot destroy every copy.",
    enforcementLevel: "advisory",
    configSchema: { properties: schema as Record<string, any> },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const raw = args.getConfig();
        const config = readConfig<ProductionConfig & { isolatedVaultArns: string[] }>(raw, schema);
        const organization = readOrganizationSelections({
            organizationBackupSelections: (raw as Record<string, unknown> | undefined)
                ?.organizationIsolatedSelections,
        });
        const out = stackReporter(reportViolation);
        const reading = readStack(args);
        const { links, productionOf } = reading.resolve(config, args.stackTags);
        const candidates = isolatedSelections(args.resources, reading.selections, config);
        for (const input of reading.inputs) {
            for (const table of backupTables(input.type, input.tables)) {
                try {
                    const production = productionOf(table);
                    if (production.production === false) continue;
                    const view = viewOf(table, links.tags.get(table));
                    report(table, production, decideIsolation(view, candidates, organization), out);
                } catch {
                    // Never fail the stack check because of one table.
                }
            }
        }
    },
};
