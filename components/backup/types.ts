/**
 * The argument types of AWS Backup plans and of a table's `backup` argument: types only, so any
 * module (the argument-shape registry included) can import them without an import circle.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../core/constants";
import type { BackupSchedule } from "./presets";

/** Vault Lock: recovery points cannot be deleted or shortened below `minRetentionDays`. */
export interface BackupVaultLockArgs {
    /**
     * `governance`: users with the right IAM permissions can still remove the lock.
     * `compliance`: after `changeableForDays` nobody, not even the account root user or AWS, can
     * remove the lock or delete a recovery point early, for as long as the vault exists. This cannot
     * be undone.
     */
    readonly mode: "governance" | "compliance";
    /** Shortest retention a recovery point may have; jobs asking for less fail. 1 to 36,500 days. */
    readonly minRetentionDays?: number;
    /** Longest retention a recovery point may have; jobs asking for more (or forever) fail. Up to 36,500. */
    readonly maxRetentionDays?: number;
    /**
     * Compliance mode only, and required there: the grace period, in days (at least 3), during which
     * the lock can still be removed. After it the lock is permanent.
     */
    readonly changeableForDays?: number;
}

/** Restore testing: AWS Backup restores a recent recovery point on a schedule, then deletes the copy. */
export interface RestoreTestingArgs {
    /**
     * When to run, as an AWS cron expression.
     * @default "cron(0 8 ? * MON *)": Mondays at 08:00, so a broken restore is found during the working week
     */
    readonly schedule?: string;
    /** IANA time zone of `schedule`. @default "Etc/UTC" */
    readonly scheduleTimezone?: string;
    /** Pick the latest recovery point created within this many days (1 to 365). @default 7 */
    readonly selectionWindowDays?: number;
    /** Hours the restored table is kept for checks before AWS Backup deletes it (1 to 168). @default 24 */
    readonly validationWindowHours?: number;
    /** Hours within which the test must start (1 to 168). @default 24 */
    readonly startWindowHours?: number;
}

/** What {@link validateBackupPlanArgs} checks: the schedule and options of a plan. */
export interface BackupPlanOptions {
    readonly tier?: Tier;
    readonly schedule?: BackupSchedule;
    readonly planName?: string;
    readonly vaultName?: string;
    /**
     * `enable` turns on advanced DynamoDB backup for the account and Region from this plan;
     * `already-enabled` states it is on (another stack or the console did it). Unset: neither is assumed.
     */
    readonly advancedDynamoDbBackup?: "enable" | "already-enabled";
    readonly vaultLock?: BackupVaultLockArgs;
    readonly notifications?: {
        readonly topicArn?: pulumi.Input<string>;
        readonly events?: readonly string[];
    };
    readonly restoreTesting?: boolean | RestoreTestingArgs;
    readonly selectTags?: Record<string, string>;
    readonly airGapped?: AirGappedDestination;
}

/**
 * What a table needs to know of a plan to join it: enough to add a selection. A `TableBackupPlan`
 * is one; a plan from another stack can be described by its exported outputs.
 */
export interface BackupPlanReference {
    /** The plan's id (`aws.backup.Plan` `id`). */
    readonly planId: pulumi.Input<string>;
    /** The plan's ARN, reported as what protects the table. */
    readonly planArn: pulumi.Input<string>;
    /** The role AWS Backup assumes for the selection. */
    readonly roleArn: pulumi.Input<string>;
    /** The vault the plan stores recovery points in. */
    readonly vaultName: pulumi.Input<string>;
    /**
     * Tags the plan already selects DynamoDB tables by. A table carrying all of them needs no
     * selection of its own.
     */
    readonly selectedTags?: Readonly<Record<string, string>>;
    /** The plan's Region, when it is not the provider's. A plan selects resources in its own Region only. */
    readonly region?: string;
}

/** Arguments of a {@link TableBackupPlan}. */
export interface TableBackupPlanArgs {
    /**
     * The tier of the data the plan protects. `production` (the default) makes the vault and its KMS
     * key `protect`ed and `retainOnDelete`: a deployment can neither delete nor replace them, and
     * they stay in AWS with their recovery points if they leave the stack.
     * @default "production"
     */
    readonly tier?: Tier;

    /**
     * When to back up and how long to keep: a preset (`daily`, `weekly`, `monthly-1-year`,
     * `monthly-5-year`, `monthly-7-year`, `daily-monthly-1-year`, `daily-weekly-monthly-5-year`,
     * `daily-weekly-monthly-7-year`) or a list of presets and custom rules. Defaults to
     * `daily-monthly-1-year`: daily recovery points for 35 days, independent of the table and its PITR,
     * and monthly ones for a year, for damage noticed after PITR's 35 days.
     * @default "daily-monthly-1-year"
     */
    readonly schedule?: BackupSchedule;

    /**
     * KMS key that encrypts the vault. Defaults to a customer-managed key the component creates with
     * yearly rotation, so that the key policy (not only IAM) controls who can read the backups.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;

    /** Vault name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly vaultName?: string;
    /** Plan name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly planName?: string;

    /**
     * Role AWS Backup assumes to back up and restore. Defaults to a role the component creates,
     * trusted by `backup.amazonaws.com`, with the managed policies `AWSBackupServiceRolePolicyForBackup`
     * and `AWSBackupServiceRolePolicyForRestores`.
     */
    readonly roleArn?: pulumi.Input<string>;

    /** ARNs of tables to select now. More can join later with {@link TableBackupPlan.selectTables}. */
    readonly tables?: pulumi.Input<string>[];

    /**
     * Selects every DynamoDB table in the account and Region that carries all these tags, e.g.
     * `{ environment: "production" }`: one selection protects every production table, including
     * tables created after the plan. Defaults to no tag selection.
     */
    readonly selectTags?: Record<string, string>;

    /**
     * AWS Backup's advanced DynamoDB backup features (cold storage, cross-Region and cross-account
     * copies, recovery point tags, backups encrypted with the vault's key). `enable` turns them on for
     * the account and Region with `aws.backup.RegionSettings` (an account-wide setting: let one stack
     * own it); `already-enabled` states that they are on. Unset: rules that need them are refused,
     * and presets keep recovery points in warm storage.
     */
    readonly advancedDynamoDbBackup?: "enable" | "already-enabled";

    /**
     * Vault Lock: makes recovery points immutable within a retention range. In `compliance` mode the
     * lock becomes permanent after `changeableForDays`; nobody can remove it or delete a recovery
     * point early. Defaults to no lock.
     */
    readonly vaultLock?: BackupPlanOptions["vaultLock"];

    /**
     * SNS notifications of the vault's jobs. Without `topicArn`, a topic is created with a policy that
     * lets AWS Backup publish; a topic passed in needs that policy too. `events` defaults to every
     * backup and restore job's outcome (`BACKUP_JOB_COMPLETED`, `RESTORE_JOB_COMPLETED`, whose
     * messages carry failures), `COPY_JOB_FAILED` and `RECOVERY_POINT_MODIFIED`. Defaults to none.
     */
    readonly notifications?: {
        readonly topicArn?: pulumi.Input<string>;
        readonly events?: readonly string[];
    };

    /**
     * Restore testing: AWS Backup restores the latest recovery point of each table in the vault on a
     * schedule (weekly by default), keeps the restored table for the validation window, then deletes
     * it. `true` uses the defaults. Defaults to off: each test creates a billed table.
     */
    readonly restoreTesting?: boolean | RestoreTestingArgs;

    /**
     * A vault the workload account cannot empty: every rule also copies its recovery points there (a
     * logically air-gapped vault, e.g. an {@link AirGappedVault}'s `destination`, or a compliance-locked
     * vault in another account). Someone with admin in this account can delete the table, turn PITR
     * off and empty this account's vault, but not these copies. Needs `advancedDynamoDbBackup`; each
     * copy's retention must fit the destination's minimum and maximum. Production plans without any
     * copy outside the account get an advisory at preview.
     * @default - no air-gapped copy
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
     */
    readonly airGapped?: AirGappedDestination;

    /** Region of the vault, plan and selections. Defaults to the provider's Region. */
    readonly region?: string;

    /** Tags for the vault, key, plan and topic. The component adds `environment: <tier>`. */
    readonly tags?: Record<string, string>;
}

/**
 * The `backup` argument of a table: a schedule (the table gets its own plan), plan options with a
 * `schedule`, `{ plan }` to join a shared plan, or `false` / `"none"`.
 */
export type TableBackup =
    | BackupSchedule
    | Omit<TableBackupPlanArgs, "tier" | "tables" | "selectTags" | "region">
    | {
          /** A shared plan: a {@link TableBackupPlan}, or the outputs of one from another stack. */
          readonly plan: BackupPlanReference;
      }
    | false
    | "none";

/** The audit framework's options. */
export interface BaselineAuditArgs {
    /**
     * Shortest retention, in days, every plan rule and recovery point must have.
     * @default 35 (the daily preset's, as long as PITR's window)
     */
    readonly minRetentionDays?: number;
    /**
     * Longest time, in hours, between backups of a table (plan frequency), and the oldest its latest
     * recovery point may be. 1 to 744 (31 days). @default 24
     */
    readonly maxHoursBetweenBackups?: number;
    /** Regions that must hold a copy of every recovery point (cross-Region control). @default [] (no control) */
    readonly copyRegions?: readonly string[];
    /** Accounts that must hold a copy of every recovery point (cross-account control). @default [] (no control) */
    readonly copyAccounts?: readonly string[];
    /**
     * An S3 bucket for a daily control compliance report (`aws.backup.ReportPlan`, CSV and JSON). The
     * bucket policy must let AWS Backup write (Developer Guide, "Creating report plans").
     * @default - no report plan
     */
    readonly reportBucket?: string;
    /** Key prefix of the reports in `reportBucket`. @default - the bucket's root */
    readonly reportKeyPrefix?: string;
}

/**
 * A vault the workload account cannot empty, that every rule of a plan copies its recovery points to:
 * a logically air-gapped vault (always compliance-locked, recovery points held in an AWS Backup
 * service-owned account), or a compliance-locked vault in another account. An {@link AirGappedVault}'s
 * `destination` is one; a vault made elsewhere is described by its ARN and retention range.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
 */
export interface AirGappedDestination {
    /**
     * ARN of the destination vault, `arn:aws:backup:<region>:<12-digit account>:backup-vault:<name>`.
     * Copies of DynamoDB recovery points need advanced DynamoDB backup in the source account and Region.
     */
    readonly vaultArn: pulumi.Input<string>;
    /**
     * The vault's minimum retention, in days: a copy kept for less fails. Checked before any cloud call
     * when given. At least 7 for a logically air-gapped vault.
     * @default - not checked
     */
    readonly minRetentionDays?: number;
    /**
     * The vault's maximum retention, in days: a copy kept for longer (or forever) fails. Checked before
     * any cloud call when given.
     * @default - not checked
     */
    readonly maxRetentionDays?: number;
    /**
     * Days after which each copy is deleted from the destination (1 to 36,500).
     * @default - the rule's own retention (`lifecycle.deleteAfterDays`)
     */
    readonly deleteAfterDays?: number;
}

/** Sharing a logically air-gapped vault with AWS RAM, so a recovery account can restore from it. */
export interface AirGappedVaultShare {
    /** 12-digit IDs of the accounts to share with (the recovery accounts). @default [] */
    readonly accountIds?: readonly string[];
    /**
     * ARN of an organization (`arn:aws:organizations::<management account>:organization/o-…`) or of an
     * organizational unit to share with every account in it. @default - none
     */
    readonly organizationArn?: string;
    /**
     * Allow accounts outside the owner's organization. Off by default, so a typo in an account ID cannot
     * hand the backups to a stranger; a recovery account in a separate organization needs it on.
     * @default false
     */
    readonly allowExternalPrincipals?: boolean;
}

/** Arguments of an {@link AirGappedVault}. */
export interface AirGappedVaultArgs {
    /**
     * The tier of the data the vault holds. `production` (the default) makes the vault `protect`ed and
     * `retainOnDelete`, as the table's own vault.
     * @default "production"
     */
    readonly tier?: Tier;
    /** Vault name: 2 to 50 characters of `a-z A-Z 0-9 - _`. Defaults to `<project>-<stack>-<name>`, cut to fit. */
    readonly vaultName?: string;
    /**
     * Shortest retention a recovery point may have, in days: 7 to 36,500. The vault is always locked in
     * compliance mode: nobody, not even the account root user, deletes a recovery point younger than
     * its retention. Copies asking for less fail.
     * @default 7 (AWS's minimum for a logically air-gapped vault)
     */
    readonly minRetentionDays?: number;
    /**
     * Longest retention a recovery point may have, in days: from `minRetentionDays` to 36,500. Copies
     * asking for more (or forever) fail.
     * @default 365 (the monthly recovery points of the default schedule are kept a year)
     */
    readonly maxRetentionDays?: number;
    /**
     * A customer-managed KMS key for the vault. Defaults to an AWS-owned key, which no account (and so
     * no attacker in one) can disable or schedule for deletion; a customer-managed key puts the key
     * policy in your hands, and its loss makes the backups unreadable.
     * @default - an AWS-owned key
     */
    readonly encryptionKeyArn?: pulumi.Input<string>;
    /** Share the vault through AWS RAM to recovery accounts or an organization. @default - not shared */
    readonly share?: AirGappedVaultShare;
    /**
     * SNS notifications of the vault's jobs, as {@link TableBackupPlan}'s `notifications`.
     * @default - none
     */
    readonly notifications?: {
        readonly topicArn?: pulumi.Input<string>;
        readonly events?: readonly string[];
    };
    /** Region of the vault. Defaults to the provider's Region. */
    readonly region?: string;
    /** Tags for the vault and share. The component adds `environment: <tier>`. */
    readonly tags?: Record<string, string>;
}
