/**
 * AWS Backup's names, limits and vault events (AWS Backup API Reference: BackupRuleInput,
 * CreateBackupVault, Lifecycle, PutBackupVaultNotifications). Pure data; imports nothing local.
 */

/**
 * Vault events AWS Backup delivers. `BACKUP_JOB_COMPLETED` and `RESTORE_JOB_COMPLETED` carry the
 * job's final state, failures included (PutBackupVaultNotifications, BackupVaultEvents).
 */
export const VAULT_EVENTS = [
    "BACKUP_JOB_STARTED",
    "BACKUP_JOB_COMPLETED",
    "COPY_JOB_STARTED",
    "COPY_JOB_SUCCESSFUL",
    "COPY_JOB_FAILED",
    "RESTORE_JOB_STARTED",
    "RESTORE_JOB_COMPLETED",
    "RECOVERY_POINT_MODIFIED",
    "S3_BACKUP_OBJECT_FAILED",
    "S3_RESTORE_OBJECT_FAILED",
] as const;

export type VaultEvent = (typeof VAULT_EVENTS)[number];

/**
 * Events the API still accepts but no longer sends ("deprecated events ... do not return statuses or
 * notifications", PutBackupVaultNotifications): subscribing to them gives silence, not alerts.
 */
export const DEPRECATED_VAULT_EVENTS = [
    "BACKUP_JOB_SUCCESSFUL",
    "BACKUP_JOB_FAILED",
    "BACKUP_JOB_EXPIRED",
    "RESTORE_JOB_SUCCESSFUL",
    "RESTORE_JOB_FAILED",
    "BACKUP_PLAN_CREATED",
    "BACKUP_PLAN_MODIFIED",
];

/** The events notified by default: every job's outcome (success or failure) and failed copies. */
export const DEFAULT_VAULT_EVENTS: readonly VaultEvent[] = [
    "BACKUP_JOB_COMPLETED",
    "RESTORE_JOB_COMPLETED",
    "COPY_JOB_FAILED",
    "RECOVERY_POINT_MODIFIED",
];

/** Backup rule, plan and selection names: 1 to 50 characters of `a-z A-Z 0-9 - _ .` (BackupRuleInput). */
export const BACKUP_RULE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,50}$/;

/** Vault names: 2 to 50 characters of `a-z A-Z 0-9 - _` (CreateBackupVault BackupVaultName). */
export const VAULT_NAME_PATTERN = /^[a-zA-Z0-9_-]{2,50}$/;

/** AWS Backup's longest retention: 100 years (API Reference, Lifecycle DeleteAfterDays). */
export const MAX_RETENTION_DAYS = 36500;

/** Cold storage bills at least 90 days, so deletion comes 90 days after the move at the earliest. */
export const COLD_STORAGE_MIN_DAYS = 90;
