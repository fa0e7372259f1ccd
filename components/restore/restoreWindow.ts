/**
 * Pure validation of a point-in-time restore ({@link TableRestore}): the source (a table name, or an
 * ARN for a cross-Region restore) and the instant to restore to, checked against the window DynamoDB
 * can restore from. The current time is a parameter, so the window is computed for the clock the
 * caller gives (the component uses {@link restoreClock}; tests pin it).
 *
 * DynamoDB restores to any second between `EarliestRestorableDateTime` (now minus the source's
 * recovery period, or the time PITR was turned on if later) and `LatestRestorableDateTime` (typically
 * 5 minutes before now). API Reference, PointInTimeRecoveryDescription and RestoreTableToPointInTime.
 */
import { PITR_DEFAULT_DAYS, TABLE_NAME_PATTERN } from "../core/constants";
import type { TableRestore } from "./types";
import { ArgProblem, isKnown, show } from "../core/problems";
import { checkRecoveryPeriod } from "../core/recoveryPeriod";

/** How far behind now the latest restorable time typically is (API Reference, PointInTimeRecoveryDescription). */
export const LATEST_RESTORABLE_LAG_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Where the component reads the current time. Replace `now` to pin the restorable window (tests,
 * or a program that checks a restore planned for a known moment); restore it afterwards.
 */
export const restoreClock: { now: () => Date } = { now: () => new Date() };

/**
 * A table ARN: `arn:<partition>:dynamodb:<region>:<account>:table/<name>`.
 * AWS General Reference, "Amazon Resource Names"; DynamoDB resource types.
 */
export const TABLE_ARN_PATTERN =
    /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]):dynamodb:([a-z]{2}(-[a-z]+)+-\d+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/;

/** The parts of a table ARN, or undefined when `arn` is not one. */
export function parseTableArn(
    arn: string,
): { partition: string; region: string; account: string; tableName: string } | undefined {
    const match = TABLE_ARN_PATTERN.exec(arn);
    if (!match) return undefined;
    return { partition: match[1], region: match[2], account: match[4], tableName: match[5] };
}

/**
 * A DynamoDB backup ARN, as `CreateBackup` and `ListBackups` return it (on-demand, system and
 * AWS Backup backups without advanced features):
 * `arn:<partition>:dynamodb:<region>:<account>:table/<name>/backup/<id>`, the id like
 * `01489173575360-b308cd7d`. API Reference, BackupDetails and RestoreTableFromBackup.
 */
export const BACKUP_ARN_PATTERN =
    /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]):dynamodb:([a-z]{2}(-[a-z]+)+-\d+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})\/backup\/([a-zA-Z0-9.-]+)$/;

/**
 * An AWS Backup recovery point ARN: `arn:<partition>:backup:<region>:<account>:recovery-point:<id>`,
 * e.g. `arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`
 * (AWS Backup API Reference, RecoveryPointByResource). DynamoDB tables backed up with AWS Backup's
 * advanced features have such ARNs.
 */
export const RECOVERY_POINT_ARN_PATTERN =
    /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]):backup:([a-z]{2}(-[a-z]+)+-\d+):(\d{12}):recovery-point:([a-zA-Z0-9-]+)$/;

/** Checks `restore.restoreBackupArn` once known: a DynamoDB backup ARN or an AWS Backup recovery point ARN. */
export function checkRestoreBackupArn(value: unknown): ArgProblem[] {
    if (
        typeof value === "string" &&
        (BACKUP_ARN_PATTERN.test(value) || RECOVERY_POINT_ARN_PATTERN.test(value))
    ) {
        return [];
    }
    const hint =
        typeof value === "string" && TABLE_ARN_PATTERN.test(value)
            ? " That is a table ARN: restore a table to a point in time with `restore.sourceTableArn`."
            : "";
    return [
        {
            propertyPath: "restore.restoreBackupArn",
            reason:
                `\`restore.restoreBackupArn\` is ${show(value)}; it must be a DynamoDB backup ARN such as ` +
                '"arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/backup/01489173575360-b308cd7d" or an AWS ' +
                'Backup recovery point ARN such as "arn:aws:backup:eu-west-1:123456789012:recovery-point:' +
                '1EB3B5E7-9EB0-435A-A80B-108B488B0D45".' +
                hint,
        },
    ];
}

/**
 * A backup restores in its own Region only: a recovery point of a logically air-gapped vault shared
 * to a recovery account (or any backup) in another Region must be copied to the table's Region first
 * (AWS Backup Developer Guide, "Restore a backup from a logically air-gapped vault"; "Copy a backup").
 * The account may differ: a recovery point shared through AWS RAM keeps its owner's account in its ARN.
 */
export function backupPlaceProblems(value: unknown, region: string | undefined): ArgProblem[] {
    if (typeof value !== "string" || region === undefined) return [];
    const match = RECOVERY_POINT_ARN_PATTERN.exec(value) ?? BACKUP_ARN_PATTERN.exec(value);
    if (!match || match[2] === region) return [];
    return [
        {
            propertyPath: "restore.restoreBackupArn",
            reason:
                `\`restore.restoreBackupArn\` is in Region ${match[2]}, but the table is created in ${region}; a backup ` +
                `restores in its own Region only. Fix: copy the recovery point to ${region} (\`aws backup start-copy-job\`) ` +
                `and restore the copy, or create the table in ${match[2]} (\`region\`).`,
        },
    ];
}

// ISO 8601 date and time with seconds and an explicit offset (`Z` or `+hh:mm`), fractions allowed.
const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO 8601 instant with a timezone, e.g. `2025-09-25T10:00:00Z` or
 * `2025-09-25T12:00:00+02:00`. Returns undefined for anything else, including impossible dates
 * (February 30) that `Date.parse` would roll over, and times without a zone, which would be read in
 * the machine's local zone.
 */
export function parseInstant(value: string): Date | undefined {
    const match = INSTANT_PATTERN.exec(value);
    if (!match) return undefined;
    const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
    const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (
        probe.getUTCFullYear() !== year ||
        probe.getUTCMonth() !== month - 1 ||
        probe.getUTCDate() !== day ||
        probe.getUTCHours() !== hour ||
        probe.getUTCMinutes() !== minute ||
        probe.getUTCSeconds() !== second
    ) {
        return undefined;
    }
    const offset = match[8];
    if (offset !== "Z" && (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(-2)) > 59))
        return undefined;
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : new Date(time);
}

/** An instant as AWS prints it: `2026-11-25T09:55:00Z` (milliseconds only when there are some). */
export function formatInstant(date: Date): string {
    return date.toISOString().replace(/\.000Z$/, "Z");
}

/** The restorable window at `now` for a source whose PITR keeps `recoveryPeriodInDays` days. */
export function restorableWindow(
    now: Date,
    recoveryPeriodInDays: number = PITR_DEFAULT_DAYS,
): { earliest: Date; latest: Date } {
    return {
        earliest: new Date(now.getTime() - recoveryPeriodInDays * DAY_MS),
        latest: new Date(now.getTime() - LATEST_RESTORABLE_LAG_MS),
    };
}

/** Context of the check: the current time. */
export interface RestoreContext {
    readonly now: Date;
    /** The restored table's own `name`, to refuse a restore onto its source. */
    readonly targetName?: unknown;
    /** The Region the table is created in (its `region`, else the provider's), when known. */
    readonly region?: string;
}

/**
 * Checks `restore` and returns every problem (empty when it is valid or absent). Values not known
 * yet (`Output`s) are skipped; {@link checkRestoreDateTime} and {@link checkRestoreSource} check them
 * once they resolve.
 */
export function validateRestore(restore: TableRestore | undefined, context: RestoreContext): ArgProblem[] {
    if (restore === undefined) return [];
    if (restore === null || typeof restore !== "object" || Array.isArray(restore)) {
        return [
            {
                propertyPath: "restore",
                reason:
                    `\`restore\` is ${show(restore)}; it must be { sourceTableName or sourceTableArn, ` +
                    "restoreDateTime or restoreToLatestTime: true } or { restoreBackupArn }.",
            },
        ];
    }
    const problems: ArgProblem[] = [];

    // A backup names its own source and time: neither may be given with it.
    if (restore.restoreBackupArn !== undefined) return backupRestoreProblems(restore, context.region);

    problems.push(...sourceProblems(restore, context));

    // The source's PITR window, when the user knows it.
    const period = restore.sourceRecoveryPeriodInDays;
    const periodProblems = checkRecoveryPeriod(period, "restore.sourceRecoveryPeriodInDays");
    problems.push(...periodProblems);

    problems.push(...timeProblems(restore, context, periodProblems.length === 0 ? period : undefined));
    return problems;
}

/** A restore from a backup: the backup names its own source and time, so neither may be given. */
function backupRestoreProblems(restore: TableRestore, region?: string): ArgProblem[] {
    const problems: ArgProblem[] = [];
    for (const field of ["sourceTableName", "sourceTableArn", "restoreDateTime"] as const) {
        if (restore[field] === undefined) continue;
        problems.push({
            propertyPath: `restore.${field}`,
            reason:
                `\`restore.restoreBackupArn\` and \`restore.${field}\` are both set; a backup holds one table at ` +
                `the time it was taken. Fix: remove \`${field}\`, or remove \`restoreBackupArn\` for a ` +
                "point-in-time restore.",
        });
    }
    if (restore.restoreToLatestTime === true) {
        problems.push({
            propertyPath: "restore.restoreToLatestTime",
            reason:
                "`restore.restoreBackupArn` is set and `restore.restoreToLatestTime` is true; a backup holds one " +
                "table at the time it was taken. Fix: remove `restoreToLatestTime`, or remove `restoreBackupArn` " +
                "for a point-in-time restore.",
        });
    }
    if (isKnown(restore.restoreBackupArn)) {
        problems.push(
            ...checkRestoreBackupArn(restore.restoreBackupArn),
            ...backupPlaceProblems(restore.restoreBackupArn, region),
        );
    }
    return problems;
}

/** The source: exactly one of a name (same Region) or an ARN (any Region), and never the target itself. */
function sourceProblems(restore: TableRestore, context: RestoreContext): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const hasName = restore.sourceTableName !== undefined;
    const hasArn = restore.sourceTableArn !== undefined;
    if (hasName && hasArn) {
        problems.push({
            propertyPath: "restore.sourceTableArn",
            reason:
                "`restore.sourceTableName` and `restore.sourceTableArn` are both set; name the source once. Fix: " +
                "keep `sourceTableArn` for a table in another Region, otherwise `sourceTableName`.",
        });
    } else if (!hasName && !hasArn) {
        problems.push({
            propertyPath: "restore.sourceTableName",
            reason:
                "`restore` names no source table; set `restore.sourceTableName` (same Region) or " +
                '`restore.sourceTableArn` (any Region), e.g. `sourceTableName: "Orders"`.',
        });
    }
    if (hasName && isKnown(restore.sourceTableName)) {
        problems.push(...checkRestoreSource(restore.sourceTableName, "restore.sourceTableName"));
    }
    // Same Region, same name: the source itself. (An ARN may name a table in another Region, where
    // the same name is a different table.)
    const sourceName = restore.sourceTableName;
    if (typeof sourceName === "string" && context.targetName === sourceName) {
        problems.push({
            propertyPath: "name",
            reason:
                `\`name\` is ${show(sourceName)}, the name of the table being restored; a restore always creates a ` +
                `new table and never overwrites its source. Fix: give the restored table another name, e.g. ` +
                `${show(`${sourceName}_Restore`)}.`,
        });
    }
    if (hasArn && isKnown(restore.sourceTableArn)) {
        problems.push(...checkRestoreSource(restore.sourceTableArn, "restore.sourceTableArn"));
    }
    return problems;
}

/**
 * The time: exactly one of an instant or "latest"; an instant within the source's window
 * (`knownPeriod` days when the user gave a valid one, the default otherwise).
 */
function timeProblems(restore: TableRestore, context: RestoreContext, knownPeriod: unknown): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const latest = restore.restoreToLatestTime;
    if (latest !== undefined && typeof latest !== "boolean") {
        problems.push({
            propertyPath: "restore.restoreToLatestTime",
            reason: `\`restore.restoreToLatestTime\` is ${show(latest)}; it must be true or false.`,
        });
    }
    const hasTime = restore.restoreDateTime !== undefined;
    if (hasTime && latest === true) {
        problems.push({
            propertyPath: "restore.restoreToLatestTime",
            reason:
                "`restore.restoreDateTime` is set and `restore.restoreToLatestTime` is true; choose one. Fix: " +
                "remove `restoreToLatestTime` to restore to that instant, or remove `restoreDateTime`.",
        });
    } else if (!hasTime && latest !== true) {
        problems.push({
            propertyPath: "restore.restoreDateTime",
            reason:
                "`restore` says no time to restore to; set `restore.restoreDateTime` to an ISO 8601 instant " +
                'such as "2025-09-25T10:00:00Z", or `restore.restoreToLatestTime: true`.',
        });
    }
    if (hasTime && isKnown(restore.restoreDateTime)) {
        const days = typeof knownPeriod === "number" ? knownPeriod : PITR_DEFAULT_DAYS;
        problems.push(...checkRestoreDateTime(restore.restoreDateTime, context.now, days));
    }
    return problems;
}

/** Checks a restore source once known: a table name, or a table ARN for `restore.sourceTableArn`. */
export function checkRestoreSource(
    value: unknown,
    path: "restore.sourceTableName" | "restore.sourceTableArn",
) {
    const problems: ArgProblem[] = [];
    if (path === "restore.sourceTableName") {
        if (typeof value !== "string" || !TABLE_NAME_PATTERN.test(value)) {
            const hint =
                typeof value === "string" && value.startsWith("arn:")
                    ? " Fix: pass an ARN as `restore.sourceTableArn`."
                    : "";
            problems.push({
                propertyPath: path,
                reason: `\`${path}\` is ${show(value)}; a table name is 3 to 255 characters of a-z A-Z 0-9 _ - .${hint}`,
            });
        }
    } else if (typeof value !== "string" || !TABLE_ARN_PATTERN.test(value)) {
        problems.push({
            propertyPath: path,
            reason:
                `\`${path}\` is ${show(value)}; it must be a table ARN such as ` +
                '"arn:aws:dynamodb:eu-west-1:123456789012:table/Orders" (an index or stream ARN is not a table).',
        });
    }
    return problems;
}

/**
 * Checks an instant to restore to, once known: a valid ISO 8601 instant with a timezone, not in the
 * future, not newer than the latest restorable time (5 minutes before `now`), and not older than the
 * source's recovery period. Every message gives the window computed at `now`.
 */
export function checkRestoreDateTime(
    value: unknown,
    now: Date,
    recoveryPeriodInDays: number = PITR_DEFAULT_DAYS,
    path = "restore.restoreDateTime",
): ArgProblem[] {
    const window = restorableWindow(now, recoveryPeriodInDays);
    const range = `the restorable window is ${formatInstant(window.earliest)} to ${formatInstant(window.latest)}`;
    const problem = (reason: string): ArgProblem[] => [{ propertyPath: path, reason }];
    if (typeof value !== "string") {
        return problem(
            `\`${path}\` is ${show(value)}; it must be an ISO 8601 instant such as "2025-09-25T10:00:00Z".`,
        );
    }
    const instant = parseInstant(value);
    if (instant === undefined) {
        return problem(
            `\`${path}\` is ${show(value)}, which is not an ISO 8601 instant with a timezone; write it as ` +
                '"YYYY-MM-DDThh:mm:ssZ" (UTC) or with an offset such as "+02:00", e.g. "2025-09-25T10:00:00Z".',
        );
    }
    if (instant.getTime() > now.getTime()) {
        return problem(
            `\`${path}\` is ${show(value)}, which is in the future; ${range} (UTC). Fix: pick a time inside it, ` +
                "or set `restoreToLatestTime: true`.",
        );
    }
    if (instant.getTime() > window.latest.getTime()) {
        return problem(
            `\`${path}\` is ${show(value)}, newer than the latest restorable time (about 5 minutes ago); ${range} ` +
                "(UTC). Fix: pick a time inside it, or set `restoreToLatestTime: true`.",
        );
    }
    if (instant.getTime() < window.earliest.getTime()) {
        return problem(
            `\`${path}\` is ${show(value)}, older than the source's ${recoveryPeriodInDays}-day recovery period; ` +
                `${range} (UTC). Fix: pick a time inside it, or restore from an on-demand backup. If this table ` +
                "was already restored, remove the `restore` block: the table keeps its data (restore inputs are " +
                "ignored after creation).",
        );
    }
    return [];
}
