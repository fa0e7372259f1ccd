/**
 * What the pack says about itself and each policy, in one place: severity, compliance framework,
 * remediation steps, a link and tags per policy (`@pulumi/policy` 1.21 `Policy` fields, shown by
 * Pulumi Cloud's policy findings), and the pack's own description, display name, README, provider,
 * tags and repository (`PolicyPackArgs`). The policies spread their entry into themselves; the CLI's
 * SARIF and JSON reports and the table in docs/policies.md read the same entries (the docs table is
 * checked against this module by tests/policies/metadata.spec.ts).
 *
 * The controls and their wording are AWS Security Hub's "AWS Foundational Security Best Practices"
 * DynamoDB controls (https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html)
 * and AWS Control Tower's proactive DynamoDB controls
 * (https://docs.aws.amazon.com/controltower/latest/controlreference/dynamodb-rules.html). Security Hub
 * rates DynamoDB.2, .4 and .6 "Medium"; the severities below are this pack's, for production tables.
 */

/** `@pulumi/policy`'s `Severity` (kept here so that this leaf imports nothing). */
export type Severity = "low" | "medium" | "high" | "critical";

/** `@pulumi/policy`'s `PolicyComplianceFramework`. */
export interface Framework {
    readonly name: string;
    readonly version: string;
    /** The control's ID, e.g. "DynamoDB.2". */
    readonly reference: string;
    /** The control's title, as the framework words it. */
    readonly specification: string;
}

/** The metadata fields of one policy, exactly as `@pulumi/policy`'s `Policy` names them. */
export interface PolicyMetadata {
    readonly displayName: string;
    readonly severity: Severity;
    readonly framework: Framework;
    readonly remediationSteps: string;
    readonly url: string;
    readonly tags: string[];
}

const FSBP = { name: "AWS Foundational Security Best Practices", version: "1.0.0" };
const CONTROL_TOWER = { name: "AWS Control Tower proactive controls", version: "1.0" };
/** For a rule no published control covers: the pack's own reference, so that every policy has one. */
const OWN = { name: "dynamodb-pitr data protection", version: "1" };

const SECURITY_HUB = "https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html";
const PITR_GUIDE =
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html";

/** Every policy of the pack, by name. A policy without an entry fails `metadataOf` (and the tests). */
export const POLICY_METADATA: { readonly [policy: string]: PolicyMetadata } = {
    "dynamodb-production-table-pitr-enabled": {
        displayName: "Production tables have point-in-time recovery",
        severity: "high",
        framework: {
            ...FSBP,
            reference: "DynamoDB.2",
            specification: "DynamoDB tables should have point-in-time recovery enabled",
        },
        remediationSteps:
            "Set `pointInTimeRecovery.enabled: true` on the table and `pointInTimeRecovery: true` on every replica " +
            "(aws-native: `pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled: true`; CloudFormation: " +
            "`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true`), or declare the table with " +
            "`ResilientTable`, which turns it on. The enforcement level `remediate` turns it on at preview.",
        url: `${SECURITY_HUB}#dynamodb-2`,
        tags: ["dynamodb", "pitr", "backup", "data-loss"],
    },
    "dynamodb-production-table-pitr-recovery-period": {
        displayName: "Production tables keep the full PITR recovery period",
        severity: "medium",
        framework: {
            ...OWN,
            reference: "PITR-PERIOD",
            specification:
                "Production DynamoDB tables should keep point-in-time recovery for at least the required recovery period",
        },
        remediationSteps:
            "Set `pointInTimeRecovery.recoveryPeriodInDays` (aws-native: `pointInTimeRecoverySpecification.recoveryPeriodInDays`) " +
            "to at least the configured `minimumRecoveryPeriodInDays` (35 by default), or leave it unset: DynamoDB then keeps 35 days.",
        url: PITR_GUIDE,
        tags: ["dynamodb", "pitr", "retention", "data-loss"],
    },
    "dynamodb-production-table-deletion-protection": {
        displayName: "Production tables have deletion protection",
        severity: "medium",
        framework: {
            ...FSBP,
            reference: "DynamoDB.6",
            specification: "DynamoDB tables should have deletion protection enabled",
        },
        remediationSteps:
            "Set `deletionProtectionEnabled: true` on the table and on every replica; also give the resource the " +
            "Pulumi option `protect: true`, so that `pulumi destroy` stops before it.",
        url: `${SECURITY_HUB}#dynamodb-6`,
        tags: ["dynamodb", "deletion-protection", "data-loss"],
    },
    "dynamodb-production-table-customer-managed-key": {
        displayName: "Production tables use a customer managed KMS key",
        severity: "low",
        framework: {
            ...CONTROL_TOWER,
            reference: "CT.DYNAMODB.PR.2",
            specification: "Require an Amazon DynamoDB table to be encrypted at rest using an AWS KMS key",
        },
        remediationSteps:
            "Set `serverSideEncryption: { enabled: true, kmsKeyArn: <your key's ARN> }` (replicas: `kmsKeyArn`; " +
            "aws-native: `sseSpecification.kmsMasterKeyId`), with a key whose policy lets you restore and back up the table.",
        url: "https://docs.aws.amazon.com/controltower/latest/controlreference/dynamodb-rules.html#ct-dynamodb-pr-2-description",
        tags: ["dynamodb", "encryption", "kms"],
    },
    "dynamodb-production-table-in-backup-plan": {
        displayName: "Production tables are in an AWS Backup plan",
        severity: "high",
        framework: {
            ...FSBP,
            reference: "DynamoDB.4",
            specification: "DynamoDB tables should be present in a backup plan",
        },
        remediationSteps:
            "Select the table in an AWS Backup plan: by ARN in an `aws.backup.Selection`'s `resources`, by tag " +
            "(`selectionTags` or `condition`), or with `TableBackupPlan`/`ResilientTable`. A selection made outside " +
            "the stack is declared with the `tagSelectionsOutsideStack` or `organizationBackupSelections` knob.",
        url: `${SECURITY_HUB}#dynamodb-4`,
        tags: ["dynamodb", "aws-backup", "backup", "data-loss"],
    },
    "dynamodb-production-table-backups-isolated": {
        displayName: "Production tables' backups are out of their account's reach",
        severity: "medium",
        framework: {
            ...OWN,
            reference: "ISOLATED-BACKUPS",
            specification:
                "A production DynamoDB table's backups should reach a vault its own account cannot delete",
        },
        remediationSteps:
            "Have a backup plan that selects the table copy its recovery points to a logically air-gapped vault " +
            "(`aws.backup.LogicallyAirGappedVault`), to a vault with a compliance-mode Vault Lock " +
            "(`aws.backup.VaultLockConfiguration` with `changeableForDays`), or to a vault in another account; " +
            "list such vaults made outside the stack in `isolatedVaultArns`.",
        url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html",
        tags: ["dynamodb", "aws-backup", "ransomware", "data-loss"],
    },
    "dynamodb-restore-time-within-recovery-window": {
        displayName: "Point-in-time restores ask for a time inside the window",
        severity: "medium",
        framework: {
            ...OWN,
            reference: "RESTORE-WINDOW",
            specification:
                "A DynamoDB table restored to a point in time should ask for a time the source table can still restore to",
        },
        remediationSteps:
            "Set `restoreDateTime` to a time between the source table's earliest restorable time (at most the recovery " +
            "period ago) and about five minutes ago, or use `restoreToLatestTime: true`.",
        url: PITR_GUIDE,
        tags: ["dynamodb", "pitr", "restore"],
    },
};

/** A policy's metadata; throws for a policy without an entry, so that none ships without it. */
export function metadataOf(policy: string): PolicyMetadata {
    const found = POLICY_METADATA[policy];
    if (!found) {
        throw new Error(
            `policy \`${policy}\` has no entry in POLICY_METADATA (dynamodb/engine/metadata.ts); add one`,
        );
    }
    return found;
}

/**
 * GitHub code scanning's `security-severity` (a CVSS-like score) for each severity, in the middle of
 * the band it ranks as low (0.1-3.9), medium (4.0-6.9), high (7.0-8.9) and critical (9.0-10.0).
 */
export const SECURITY_SEVERITY: { readonly [s in Severity]: string } = {
    low: "2.0",
    medium: "5.5",
    high: "8.0",
    critical: "9.5",
};

/** The pack's own metadata (`PolicyPackArgs`); the README is built from the policies' entries. */
export const PACK_METADATA = {
    displayName: "DynamoDB data-loss protection",
    description:
        "No production DynamoDB table without point-in-time recovery, backups and deletion protection, however it is declared.",
    provider: "aws",
    tags: ["aws", "dynamodb", "backup", "pitr", "data-protection"],
    repository: "https://www.npmjs.com/package/dynamodb-pitr",
    readme: packReadme(),
} as const;

function packReadme(): string {
    const rows = Object.entries(POLICY_METADATA).map(
        ([name, m]) =>
            `| \`${name}\` | ${m.severity} | ${m.framework.reference}: ${m.framework.specification} |`,
    );
    return [
        "# dynamodb-pitr",
        "",
        "Production DynamoDB tables cannot lose data: point-in-time recovery, the full recovery period, an AWS Backup",
        "plan and deletion protection, for every way a table is declared (aws, aws-native, CloudFormation templates,",
        "replicas). A table is production by its tags, its provider's default tags, the stack's tags or the stack's",
        "name; see docs/policies.md in the `dynamodb-pitr` package for the knobs.",
        "",
        "| Policy | Severity | Control |",
        "| --- | --- | --- |",
        ...rows,
        "",
    ].join("\n");
}
