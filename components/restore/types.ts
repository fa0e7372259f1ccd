/** The argument type of a point-in-time or backup restore: types only, imported without a circle. */
import type * as pulumi from "@pulumi/pulumi";

/**
 * A point-in-time restore: the table is created as a copy of `source` at an instant. DynamoDB always
 * restores into a **new** table and never touches the source (API Reference,
 * RestoreTableToPointInTime). Declare the source's keys and indexes as usual; what the restore does
 * not carry over (PITR, TTL, streams, tags, deletion protection) comes from the component's own
 * arguments and tier.
 *
 * A restore is one-shot: the restore inputs are ignored after the table exists (`ignoreChanges`), so
 * changing `restoreDateTime` later, or removing `restore`, never replaces a table that now holds new
 * data. To restore again, declare a table under a new resource name: a new table is created and the
 * first one is left as it is.
 */
export interface TableRestore {
    /** Name of the source table in the same Region, e.g. `Orders`. Give this or `sourceTableArn`. */
    readonly sourceTableName?: pulumi.Input<string>;
    /**
     * ARN of the source table; needed when the source is in another Region (cross-Region restore).
     * Give this or `sourceTableName`.
     */
    readonly sourceTableArn?: pulumi.Input<string>;
    /**
     * The instant to restore to: ISO 8601 with a timezone, any second, e.g. `2025-09-25T10:00:00Z`.
     * It must lie in the source's restorable window when the table is created: not in the future, at
     * least 5 minutes ago, and within the source's recovery period. Give this or `restoreToLatestTime`.
     */
    readonly restoreDateTime?: pulumi.Input<string>;
    /** Restore to the latest restorable time (about 5 minutes ago). Give this or `restoreDateTime`. */
    readonly restoreToLatestTime?: boolean;
    /**
     * The source's PITR recovery period in days, used to check that `restoreDateTime` is not too old.
     * Defaults to 35, DynamoDB's default and maximum; set it when the source keeps a shorter window.
     * @default 35
     */
    readonly sourceRecoveryPeriodInDays?: number;
    /**
     * Restore from a backup instead of a point in time: a DynamoDB backup ARN
     * (`arn:aws:dynamodb:<region>:<account>:table/<name>/backup/<id>`: an on-demand backup, such as
     * the ones `backupBeforeChange` takes, or the SYSTEM backup DynamoDB keeps of a deleted table) or
     * an AWS Backup recovery point ARN (`arn:aws:backup:<region>:<account>:recovery-point:<id>`).
     * The backup names its own source and time, so give neither `sourceTableName`/`sourceTableArn`
     * nor `restoreDateTime`/`restoreToLatestTime` with it. API Reference, RestoreTableFromBackup.
     */
    readonly restoreBackupArn?: pulumi.Input<string>;
}
