/**
 * AWS Backup schedules as pure data: the rule shape for custom schedules, the presets a platform team
 * names in one word, and how a schedule turns into rules. This module imports nothing local.
 *
 * Limits come from the AWS Backup API Reference (BackupRuleInput, Lifecycle, CopyAction) and the AWS
 * Backup Developer Guide.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A lifecycle for recovery points, in days after creation. */
export interface BackupLifecycle {
    /**
     * Days after which a recovery point moves to cold storage. For DynamoDB this needs AWS Backup's
     * advanced DynamoDB backup features (see `advancedDynamoDbBackup`). Defaults to never.
     */
    readonly moveToColdStorageAfterDays?: number;
    /**
     * Days after which a recovery point is deleted: at most 36,500 (100 years), and at least 90 days
     * after `moveToColdStorageAfterDays` (cold storage bills a 90-day minimum). Defaults to never:
     * recovery points are kept until deleted by hand.
     */
    readonly deleteAfterDays?: number;
}

/** Copies each recovery point of a rule to another vault (another Region or another account). */
export interface BackupCopyAction {
    /**
     * ARN of the destination vault: `arn:aws:backup:<region>:<account>:backup-vault:<name>`. For
     * DynamoDB, copies need advanced DynamoDB backup features in the source account and Region.
     */
    readonly destinationVaultArn: pulumi.Input<string>;
    /** The copy's own lifecycle. Defaults to keeping copies until deleted by hand. */
    readonly lifecycle?: BackupLifecycle;
}

/** A custom backup rule: when to back up, how long to keep, where to copy. */
export interface BackupRuleArgs {
    /** Rule name, unique in the plan: 1 to 50 characters of `a-z A-Z 0-9 - _ .` (BackupRuleInput). */
    readonly name: string;
    /**
     * When to back up: an AWS cron expression with six fields,
     * `cron(minutes hours day-of-month month day-of-week year)`, e.g. `cron(0 5 ? * * *)` for 05:00
     * every day. Exactly one of day-of-month and day-of-week is `?`. AWS Backup runs a rule at most
     * once an hour, so `minutes` is a single number.
     */
    readonly schedule: string;
    /**
     * IANA time zone the schedule is read in, e.g. `Europe/Paris`.
     * @default "Etc/UTC"
     */
    readonly scheduleTimezone?: string;
    /**
     * Minutes after the scheduled time within which the job must start, or it is cancelled; at least 60.
     * @default AWS Backup's 480 (8 hours)
     */
    readonly startWindowMinutes?: number;
    /**
     * Minutes after the job starts within which it must complete, or it is cancelled; more than
     * `startWindowMinutes`.
     * @default AWS Backup's 10,080 (7 days)
     */
    readonly completionWindowMinutes?: number;
    /** How long recovery points stay in warm storage, cold storage, and in total. */
    readonly lifecycle?: BackupLifecycle;
    /** Tags put on each recovery point. DynamoDB needs advanced DynamoDB backup for these. */
    readonly recoveryPointTags?: Record<string, string>;
    /** Copies of each recovery point to other vaults, each with its own lifecycle. */
    readonly copyActions?: BackupCopyAction[];
}

/** Single-rule presets, after aws-cdk's `BackupPlanRule` (same schedules and retentions). */
export const RULE_PRESETS = {
    /** Every day at 05:00 UTC, kept 35 days. */
    daily: { name: "Daily", schedule: "cron(0 5 * * ? *)", lifecycle: { deleteAfterDays: 35 } },
    /** Every Saturday at 05:00 UTC, kept 90 days. */
    weekly: { name: "Weekly", schedule: "cron(0 5 ? * SAT *)", lifecycle: { deleteAfterDays: 90 } },
    /** The 1st of each month at 05:00 UTC, cold after 30 days, kept 1 year. */
    "monthly-1-year": {
        name: "Monthly1Year",
        schedule: "cron(0 5 1 * ? *)",
        lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 },
    },
    /** The 1st of each month at 05:00 UTC, cold after 90 days, kept 5 years. */
    "monthly-5-year": {
        name: "Monthly5Year",
        schedule: "cron(0 5 1 * ? *)",
        lifecycle: { moveToColdStorageAfterDays: 90, deleteAfterDays: 365 * 5 },
    },
    /** The 1st of each month at 05:00 UTC, cold after 90 days, kept 7 years. */
    "monthly-7-year": {
        name: "Monthly7Year",
        schedule: "cron(0 5 1 * ? *)",
        lifecycle: { moveToColdStorageAfterDays: 90, deleteAfterDays: 365 * 7 },
    },
} as const satisfies Record<string, BackupRuleArgs>;

/** Plan presets, after aws-cdk's `BackupPlan.daily35DayRetention` and friends. */
export const PLAN_PRESETS = {
    "daily-monthly-1-year": ["daily", "monthly-1-year"],
    "daily-weekly-monthly-5-year": ["daily", "weekly", "monthly-5-year"],
    "daily-weekly-monthly-7-year": ["daily", "weekly", "monthly-7-year"],
} as const satisfies Record<string, readonly (keyof typeof RULE_PRESETS)[]>;

export type RulePreset = keyof typeof RULE_PRESETS;
export type PlanPreset = keyof typeof PLAN_PRESETS;
/** A schedule named in one word. */
export type BackupPreset = RulePreset | PlanPreset;
export const BACKUP_PRESETS = [
    ...Object.keys(RULE_PRESETS),
    ...Object.keys(PLAN_PRESETS),
] as readonly BackupPreset[];

/**
 * The schedule production tables get when they say nothing: a daily backup kept 35 days and a monthly
 * one kept a year. PITR already gives any second of the last 35 days, but it lives and dies with the
 * table and its account settings; the daily recovery points sit in a separate vault under a separate
 * key, and the monthly ones reach back a year, past PITR's window, for corruption noticed late.
 * Longer retention (5 or 7 years) is a compliance decision with a storage bill, so it is asked for,
 * not assumed.
 */
export const DEFAULT_BACKUP_PRESET: BackupPreset = "daily-monthly-1-year";

/** What to back up and when: a preset, or a list of presets and custom rules. */
export type BackupSchedule = BackupPreset | ReadonlyArray<BackupPreset | BackupRuleArgs>;

/**
 * Turns a schedule into its rules. Presets' cold-storage steps are kept only when advanced DynamoDB
 * backup is on: without it AWS Backup ignores them for DynamoDB (API Reference, Lifecycle), and the
 * recovery points stay in warm storage for the same retention.
 */
export function resolveSchedule(schedule: BackupSchedule, advancedDynamoDbBackup: boolean): BackupRuleArgs[] {
    const entries = typeof schedule === "string" ? [schedule] : [...schedule];
    const rules: BackupRuleArgs[] = [];
    for (const entry of entries) {
        if (typeof entry !== "string") {
            rules.push(entry);
            continue;
        }
        const names: readonly RulePreset[] =
            entry in PLAN_PRESETS ? PLAN_PRESETS[entry as PlanPreset] : [entry as RulePreset];
        for (const name of names) {
            const preset: BackupRuleArgs = RULE_PRESETS[name];
            const lifecycle = advancedDynamoDbBackup
                ? preset.lifecycle
                : { deleteAfterDays: preset.lifecycle?.deleteAfterDays };
            rules.push({ ...preset, lifecycle });
        }
    }
    return rules;
}
