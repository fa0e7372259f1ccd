/**
 * The arguments of the package's `TableBackupPlan`, `ProtectionBaseline` and
 * `OrganizationBackupPolicy`, in the types the package schema inference supports (see
 * ../resilientTable.ts for which, and why). Their doc comments are the schema's descriptions.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupRuleArgs } from "../../backup/presets";
import type { RestoreTestingArgs } from "../../backup/types";

/** Vault Lock: makes recovery points immutable within a retention range. */
export interface VaultLock {
    /**
     * `governance` (users with the right IAM permissions can remove the lock) or `compliance` (after
     * `changeableForDays` nobody can remove the lock or delete a recovery point early; this cannot be undone).
     */
    readonly mode: string;
    /** Shortest retention a recovery point may have; jobs asking for less fail. 1 to 36,500 days. */
    readonly minRetentionDays?: number;
    /** Longest retention a recovery point may have; jobs asking for more fail. Up to 36,500 days. */
    readonly maxRetentionDays?: number;
    /** Compliance mode only, and required there: the grace period in days (at least 3) before the lock is permanent. */
    readonly changeableForDays?: number;
}

/** SNS notifications of the vault's jobs. */
export interface BackupNotifications {
    /** The topic to notify. Defaults to a topic the component creates, with a policy that lets AWS Backup publish. */
    readonly topicArn?: pulumi.Input<string>;
    /**
     * Vault events to send. Defaults to `BACKUP_JOB_COMPLETED`, `RESTORE_JOB_COMPLETED`,
     * `COPY_JOB_FAILED` and `RECOVERY_POINT_MODIFIED`.
     */
    readonly events?: string[];
}

/** Arguments of a {@link TableBackupPlan} in the Pulumi package. */
export interface TableBackupPlanArgs {
    /**
     * The tier of the data the plan protects: `production`, `staging` or `development`. Defaults to
     * `production`, which makes the vault and its key `protect`ed and `retainOnDelete`.
     */
    readonly tier?: string;
    /**
     * A schedule preset: `daily`, `weekly`, `monthly-1-year`, `monthly-5-year`, `monthly-7-year`,
     * `daily-monthly-1-year`, `daily-weekly-monthly-5-year` or `daily-weekly-monthly-7-year`. Defaults
     * to `daily-monthly-1-year` (daily recovery points kept 35 days, monthly ones kept a year) when no
     * `rules` are given.
     */
    readonly schedule?: string;
    /** Custom rules, in addition to `schedule` when both are given. Defaults to none. */
    readonly rules?: BackupRuleArgs[];
    /** KMS key that encrypts the vault. Defaults to a customer-managed key the component creates with rotation. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Vault name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly vaultName?: string;
    /** Plan name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly planName?: string;
    /** Role AWS Backup assumes to back up and restore. Defaults to a role the component creates. */
    readonly roleArn?: pulumi.Input<string>;
    /** ARNs of tables to select. Defaults to none. */
    readonly tables?: pulumi.Input<string>[];
    /**
     * Selects every DynamoDB table in the account and Region that carries all these tags, e.g.
     * `{ environment: production }`, including tables created later. Defaults to no tag selection.
     */
    readonly selectTags?: Record<string, string>;
    /**
     * AWS Backup's advanced DynamoDB backup features: `enable` turns them on for the account and
     * Region, `already-enabled` states that they are on. Defaults to neither: rules that need them are refused.
     */
    readonly advancedDynamoDbBackup?: string;
    /** Vault Lock. Defaults to no lock. */
    readonly vaultLock?: VaultLock;
    /** SNS notifications of the vault's jobs. Defaults to none. */
    readonly notifications?: BackupNotifications;
    /**
     * Restore testing: AWS Backup restores the latest recovery point on a schedule, then deletes the
     * copy. Give `{}` for the defaults. Defaults to off: each test creates a billed table.
     */
    readonly restoreTesting?: RestoreTestingArgs;
    /**
     * A vault the workload account cannot empty (a logically air-gapped vault, or a compliance-locked
     * vault in another account): every rule also copies there. Needs `advancedDynamoDbBackup`.
     * Defaults to no air-gapped copy.
     */
    readonly airGapped?: AirGappedDestination;
    /** Region of the vault, plan and selections. Defaults to the provider's Region. */
    readonly region?: string;
    /** Tags for the vault, key, plan and topic. The component adds `environment: <tier>`. Defaults to that tag alone. */
    readonly tags?: Record<string, string>;
}

/** Arguments of a {@link ProtectionBaseline} in the Pulumi package. */
export interface ProtectionBaselineArgs {
    /**
     * The Region the baseline protects. Defaults to the provider's Region. Backup selections,
     * EventBridge rules, AWS Config rules and KMS keys act in their own Region only: create one baseline
     * per Region that holds tables.
     */
    readonly region?: string;
    /**
     * Regions where joined tables have global-table replicas. Each gets a shared KMS key, a rule that
     * forwards the replicas' safety-net events to the baseline's topic, and AWS Config rules when those
     * are on. A joined table may place replicas in these Regions only. Defaults to none.
     */
    readonly replicaRegions?: string[];
    /**
     * The customer-managed KMS key joined tables and the vault use. Defaults to a key the baseline
     * creates with yearly rotation, protected and retained: one key for the fleet, not one per table.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Select every DynamoDB table of the Region that carries all these tags, including tables created
     * later. Give this or `selectionTableArns`. Defaults to `{ environment: production }` when neither is given.
     */
    readonly selectionTags?: Record<string, string>;
    /**
     * Select these tables by ARN (`*` allowed in the name): at most 500, or 30 with wildcards. Give this
     * or `selectionTags`. Defaults to none: the selection is by tag.
     */
    readonly selectionTableArns?: string[];
    /**
     * A schedule preset: `daily`, `weekly`, `monthly-1-year`, `monthly-5-year`, `monthly-7-year`,
     * `daily-monthly-1-year`, `daily-weekly-monthly-5-year` or `daily-weekly-monthly-7-year`. Defaults
     * to `daily-monthly-1-year` when no `rules` are given.
     */
    readonly schedule?: string;
    /** Custom rules, in addition to `schedule` when both are given. Defaults to none. */
    readonly rules?: BackupRuleArgs[];
    /**
     * AWS Backup's advanced DynamoDB backup features: `enable` turns them on for the account and
     * Region, `already-enabled` states that they are on. Defaults to neither: rules that need them are refused.
     */
    readonly advancedDynamoDbBackup?: string;
    /** Vault Lock. Defaults to no lock. */
    readonly vaultLock?: VaultLock;
    /** SNS notifications of the vault's jobs. Defaults to none. */
    readonly notifications?: BackupNotifications;
    /**
     * A vault the workload account cannot empty (a logically air-gapped vault, or a compliance-locked
     * vault in another account): every rule also copies there. Needs `advancedDynamoDbBackup`; not in member mode.
     * Defaults to no air-gapped copy.
     */
    readonly airGapped?: AirGappedDestination;
    /** Restore testing; give `{}` for the defaults. Defaults to off: each test creates a billed table. */
    readonly restoreTesting?: RestoreTestingArgs;
    /** Vault name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly vaultName?: string;
    /** Plan name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly planName?: string;
    /**
     * The fleet's drift and backup-job alarms, one rule set for every table in scope, to one SNS topic.
     * `false` turns them off; production tables then refuse to join unless their `monitoring.enabled`
     * is `false`. Defaults to `true`.
     */
    readonly alerts?: boolean;
    /**
     * Which tables the alarms watch: `account` (every table of the account and Region, whatever its
     * tier). EventBridge cannot filter by tag; to narrow the scope give `alertTableNamePrefix` or
     * `alertTableNames` instead. Defaults to `account` when neither is given.
     */
    readonly alertScope?: string;
    /** Watch only the tables whose name starts with this prefix, e.g. `prod-`. Defaults to none. */
    readonly alertTableNamePrefix?: string;
    /** Watch only these tables, by name; the list must fit EventBridge's 2,048-character event pattern. Defaults to none. */
    readonly alertTableNames?: string[];
    /**
     * The SNS topic to alert, in the baseline's Region; it needs a policy that lets `events.amazonaws.com`
     * publish. Defaults to a topic the baseline creates, which only its rules may publish to.
     */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** Alert on AWS Backup jobs of tables in scope that fail, abort or expire. Defaults to `true`. */
    readonly backupJobAlerts?: boolean;
    /**
     * AWS Config managed rules `dynamodb-pitr-enabled`, `dynamodb-in-backup-plan` and
     * `dynamodb-table-deletion-protection-enabled`, once per Region, on tables with the selection's tier
     * tag. They need an AWS Config recorder; set `false` where there is none. Defaults to `true`.
     */
    readonly configRules?: boolean;
    /** Tags for every resource the baseline creates. Defaults to `environment: production` alone, which it always adds. */
    readonly tags?: Record<string, string>;
    /**
     * Member-account mode for an account an `OrganizationBackupPolicy` protects: the vault (with its key
     * and lock) and IAM role the policy names, the alarms and Config rules, and no plan or selection.
     * Give `{}` for the policy's default names. Defaults to off.
     */
    readonly organizationMember?: OrganizationMember;
    /** An AWS Backup Audit Manager framework proving the protection; give `{}` for the defaults. Defaults to off. */
    readonly audit?: BaselineAudit;
}

/** The names an organization backup policy gives each member account. */
export interface OrganizationMember {
    /** The vault the policy names. Defaults to `dynamodb-organization-backups`. */
    readonly vaultName?: string;
    /** The IAM role the policy names. Defaults to `dynamodb-organization-backup`. */
    readonly roleName?: string;
    /** The tags the policy selects tables by. Defaults to `{ environment: production }`. */
    readonly selectedTags?: Record<string, string>;
    /** Create the IAM role (IAM is global: only one Region's baseline of an account should). Defaults to `true`. */
    readonly createRole?: boolean;
    /** The vaults outside the account the policy copies to, as its `memberArgs` give them. Defaults to unknown (no advisory). */
    readonly copiesOutsideAccount?: string[];
}

/** The audit framework's options. */
export interface BaselineAudit {
    /** Shortest retention, in days, plans and recovery points must have. Defaults to 35. */
    readonly minRetentionDays?: number;
    /** Longest time, in hours, between backups, and the oldest the latest recovery point may be. Defaults to 24. */
    readonly maxHoursBetweenBackups?: number;
    /** Regions that must hold a copy of every recovery point. Defaults to none (no control). */
    readonly copyRegions?: string[];
    /** Accounts that must hold a copy of every recovery point. Defaults to none (no control). */
    readonly copyAccounts?: string[];
    /** An S3 bucket for a daily compliance report. Defaults to no report plan. */
    readonly reportBucket?: string;
    /** Key prefix of the reports. Defaults to the bucket's root. */
    readonly reportKeyPrefix?: string;
}

/** A vault the workload account cannot delete, that every rule copies to. */
export interface AirGappedDestination {
    /** The vault's ARN, `arn:aws:backup:<region>:<12-digit account>:backup-vault:<name>`. */
    readonly vaultArn: pulumi.Input<string>;
    /** The vault's minimum retention in days (at least 7), to check copies against. Defaults to unchecked. */
    readonly minRetentionDays?: number;
    /** The vault's maximum retention in days, to check copies against. Defaults to unchecked. */
    readonly maxRetentionDays?: number;
    /** Days after which each copy is deleted (1 to 36,500). Defaults to the rule's own retention. */
    readonly deleteAfterDays?: number;
}

/** A copy of every recovery point to another vault. */
export interface OrganizationCopyTo {
    /** The destination vault's ARN; `$account` may stand for the account ID. */
    readonly vaultArn: pulumi.Input<string>;
    /** Days after which the copy is deleted (1 to 36,500). Defaults to the rule's own retention. */
    readonly deleteAfterDays?: number;
}

/** Arguments of an {@link OrganizationBackupPolicy} in the Pulumi package. */
export interface OrganizationBackupPolicyArgs {
    /** Root (`r-…`), OU (`ou-…-…`) or 12-digit account IDs to attach the policy to; one attachment each. */
    readonly targetIds: pulumi.Input<string>[];
    /** The Regions where AWS Backup creates the plan in every account the policy reaches. Required, non-empty. */
    readonly regions: string[];
    /** A schedule preset, as `TableBackupPlan`'s. Defaults to `daily-monthly-1-year` when no `rules` are given. */
    readonly schedule?: string;
    /** Custom rules, in addition to `schedule` when both are given. Defaults to none. */
    readonly rules?: BackupRuleArgs[];
    /** The tags a DynamoDB table must carry to be selected. Defaults to `{ environment: production }`. */
    readonly selectionTags?: Record<string, string>;
    /** The vault name in every member account and Region. Defaults to `dynamodb-organization-backups`. */
    readonly vaultName?: string;
    /** The IAM role name AWS Backup assumes in every member account. Defaults to `dynamodb-organization-backup`. */
    readonly roleName?: string;
    /** Copies of every rule's recovery points, keyed by destination vault ARN. Defaults to none. */
    readonly copyTo?: OrganizationCopyTo[];
    /**
     * A vault no member account can empty (a logically air-gapped vault, or a compliance-locked
     * vault in another account): every rule also copies there; its ARN names a 12-digit account. Needs `advancedDynamoDbBackup`.
     * Defaults to no air-gapped copy.
     */
    readonly airGapped?: AirGappedDestination;
    /** The plan's name in every member account. Defaults to `dynamodb-tables`. */
    readonly planName?: string;
    /** `already-enabled` states that advanced DynamoDB backup is on in every member account and Region. Defaults to unset. */
    readonly advancedDynamoDbBackup?: string;
    /** Let policies lower in the organization change this plan. Defaults to `false`. */
    readonly allowChildPolicyChanges?: boolean;
    /** Description of the Organizations policy. Defaults to one naming the selection and Regions. */
    readonly description?: string;
    /** Tags on the Organizations policy. Defaults to none. */
    readonly tags?: Record<string, string>;
}
