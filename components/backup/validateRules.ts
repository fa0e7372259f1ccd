/**
 * The checks of a plan's schedule and of each of its rules (name, cron expression, time zone,
 * windows, lifecycle, copies): part of {@link validateBackupPlanArgs}. Pure; no resources.
 */
import { isKnown, show } from "../core/problems";
import { cronProblem, isTimeZone } from "./cron";
import { BACKUP_RULE_NAME_PATTERN, COLD_STORAGE_MIN_DAYS, MAX_RETENTION_DAYS } from "./limits";
import {
    BACKUP_PRESETS,
    BackupLifecycle,
    BackupPreset,
    BackupRuleArgs,
    BackupSchedule,
    resolveSchedule,
} from "./presets";

/** A vault's ARN: `arn:<partition>:backup:<region>:<account>:backup-vault:<name>`. */
const VAULT_ARN_PATTERN =
    /^arn:aws[a-z-]*:backup:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:backup-vault:[a-zA-Z0-9_-]{2,50}$/;

export const ADVANCED_FIX =
    'advanced DynamoDB backup must be on in the account and Region (AWS Backup Developer Guide, "Advanced DynamoDB backup"). ' +
    'Fix: set `advancedDynamoDbBackup: "enable"` (or "already-enabled" if it is on)';

export function wholeNumber(value: unknown, min: number, max: number): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** True when the schedule can be expanded into rules (its presets exist, its rules are objects). */
export function scheduleIsUsable(schedule: unknown): schedule is BackupSchedule {
    const usable = (entry: unknown) =>
        typeof entry === "string"
            ? (BACKUP_PRESETS as readonly string[]).includes(entry)
            : entry !== null && typeof entry === "object";
    return Array.isArray(schedule)
        ? schedule.every(usable)
        : typeof schedule === "string" && usable(schedule);
}

export function checkSchedule(
    schedule: BackupSchedule | undefined,
    advanced: boolean,
    add: (path: string, reason: string) => void,
) {
    if (schedule === undefined) return;
    const presets = BACKUP_PRESETS.map((p) => `"${p}"`).join(", ");
    const checkPreset = (path: string, name: string) => {
        if (!(BACKUP_PRESETS as readonly string[]).includes(name)) {
            add(
                path,
                `\`${path}\` is ${show(name)}; a preset is one of ${presets}. Fix: pick one, or write a rule { name, schedule, lifecycle }.`,
            );
            return false;
        }
        return true;
    };
    if (typeof schedule === "string") {
        checkPreset("schedule", schedule);
        return;
    }
    if (!Array.isArray(schedule) || schedule.length === 0) {
        add(
            "schedule",
            `\`schedule\` is ${show(schedule)}; it must be a preset (${presets}) or a non-empty list of presets and rules.`,
        );
        return;
    }
    const names = new Map<string, string>();
    schedule.forEach((entry, i) => {
        const path = `schedule[${i}]`;
        if (typeof entry === "string") {
            if (!checkPreset(path, entry)) return;
            for (const rule of resolveSchedule(entry as BackupPreset, advanced))
                noteName(rule.name, path, names, add);
            return;
        }
        if (entry === null || typeof entry !== "object") {
            add(
                path,
                `\`${path}\` is ${show(entry)}; it must be a preset name or a rule { name, schedule, lifecycle }.`,
            );
            return;
        }
        checkRule(entry, path, advanced, add);
        if (typeof entry.name === "string") noteName(entry.name, `${path}.name`, names, add);
    });
}

function noteName(
    name: string,
    path: string,
    names: Map<string, string>,
    add: (path: string, reason: string) => void,
) {
    const earlier = names.get(name);
    if (earlier !== undefined) {
        add(
            path,
            `rule name "${name}" is used by both \`${earlier}\` and \`${path}\`; rule names must be unique in a plan. Fix: rename one, or list the preset once.`,
        );
    }
    names.set(name, path);
}

function checkRule(
    rule: BackupRuleArgs,
    path: string,
    advanced: boolean,
    add: (path: string, reason: string) => void,
) {
    if (typeof rule.name !== "string" || !BACKUP_RULE_NAME_PATTERN.test(rule.name)) {
        const length = typeof rule.name === "string" ? ` (${rule.name.length} characters)` : "";
        add(
            `${path}.name`,
            `\`${path}.name\` is ${show(rule.name)}${length}; a rule name is 1 to 50 characters of a-z, A-Z, 0-9, \`-\`, \`_\` and \`.\`.`,
        );
    }
    const cron = cronProblem(rule.schedule);
    if (cron) {
        add(
            `${path}.schedule`,
            `\`${path}.schedule\` is ${show(rule.schedule)}; ${cron}. Fix: write an AWS cron expression such as "cron(0 5 ? * * *)" (05:00 every day).`,
        );
    }
    if (rule.scheduleTimezone !== undefined && !isTimeZone(rule.scheduleTimezone)) {
        add(
            `${path}.scheduleTimezone`,
            `\`${path}.scheduleTimezone\` is ${show(rule.scheduleTimezone)}; it must be an IANA time zone such as "Etc/UTC" or "Europe/Paris".`,
        );
    }
    checkWindows(rule, path, add);
    checkLifecycle(rule.lifecycle, `${path}.lifecycle`, advanced, add);
    if (
        rule.recoveryPointTags !== undefined &&
        Object.keys(rule.recoveryPointTags ?? {}).length > 0 &&
        !advanced
    ) {
        add(
            `${path}.recoveryPointTags`,
            `\`${path}.recoveryPointTags\` is set; tags on DynamoDB recovery points need advanced DynamoDB backup. ${ADVANCED_FIX}.`,
        );
    }
    checkCopyActions(rule, path, advanced, add);
}

/** The start and completion windows of a rule, in minutes. */
function checkWindows(rule: BackupRuleArgs, path: string, add: (path: string, reason: string) => void) {
    const start = rule.startWindowMinutes;
    if (start !== undefined && !wholeNumber(start, 60, Number.MAX_SAFE_INTEGER)) {
        add(
            `${path}.startWindowMinutes`,
            `\`${path}.startWindowMinutes\` is ${show(start)}; it must be a whole number of minutes of at least 60 (BackupRuleInput). Fix: set 60 or more, or leave it unset for 8 hours.`,
        );
    }
    const completion = rule.completionWindowMinutes;
    if (completion !== undefined) {
        if (!wholeNumber(completion, 1, Number.MAX_SAFE_INTEGER)) {
            add(
                `${path}.completionWindowMinutes`,
                `\`${path}.completionWindowMinutes\` is ${show(completion)}; it must be a whole number of minutes. Fix: set one, or leave it unset for 7 days.`,
            );
        } else if (completion <= (typeof start === "number" ? start : 480)) {
            const startText =
                typeof start === "number"
                    ? `\`${path}.startWindowMinutes\` (${start})`
                    : "the default start window (480)";
            add(
                `${path}.completionWindowMinutes`,
                `\`${path}.completionWindowMinutes\` is ${completion}; it must be greater than ${startText}, or a job could be cancelled before it may start. Fix: raise it above ${typeof start === "number" ? start : 480}.`,
            );
        }
    }
}

/** A rule's copies: each to a vault ARN, each with a valid lifecycle, and advanced backup on. */
function checkCopyActions(
    rule: BackupRuleArgs,
    path: string,
    advanced: boolean,
    add: (path: string, reason: string) => void,
) {
    if (rule.copyActions !== undefined) {
        if (!Array.isArray(rule.copyActions)) {
            add(
                `${path}.copyActions`,
                `\`${path}.copyActions\` is ${show(rule.copyActions)}; it must be a list.`,
            );
            return;
        }
        rule.copyActions.forEach((copy, j) => {
            const copyPath = `${path}.copyActions[${j}]`;
            const arn = copy?.destinationVaultArn;
            if (isKnown(arn) && (typeof arn !== "string" || !VAULT_ARN_PATTERN.test(arn))) {
                add(
                    `${copyPath}.destinationVaultArn`,
                    `\`${copyPath}.destinationVaultArn\` is ${show(arn)}; it must be a backup vault ARN, "arn:aws:backup:<region>:<12-digit account>:backup-vault:<name>". Fix: use the destination vault's \`arn\` output.`,
                );
            }
            checkLifecycle(copy?.lifecycle, `${copyPath}.lifecycle`, advanced, add);
        });
        if (rule.copyActions.length > 0 && !advanced) {
            add(
                `${path}.copyActions`,
                `\`${path}.copyActions\` copies DynamoDB recovery points to another vault; cross-Region and cross-account copies of DynamoDB backups need advanced DynamoDB backup. ${ADVANCED_FIX}.`,
            );
        }
    }
}

function checkLifecycle(
    lifecycle: BackupLifecycle | undefined,
    path: string,
    advanced: boolean,
    add: (path: string, reason: string) => void,
) {
    if (lifecycle === undefined) return;
    if (lifecycle === null || typeof lifecycle !== "object") {
        add(
            path,
            `\`${path}\` is ${show(lifecycle)}; it must be { moveToColdStorageAfterDays?, deleteAfterDays? }.`,
        );
        return;
    }
    const cold = lifecycle.moveToColdStorageAfterDays;
    const del = lifecycle.deleteAfterDays;
    const coldOk = cold === undefined || wholeNumber(cold, 1, MAX_RETENTION_DAYS);
    const delOk = del === undefined || wholeNumber(del, 1, MAX_RETENTION_DAYS);
    if (!coldOk) {
        add(
            `${path}.moveToColdStorageAfterDays`,
            `\`${path}.moveToColdStorageAfterDays\` is ${show(cold)}; it must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`,
        );
    }
    if (!delOk) {
        add(
            `${path}.deleteAfterDays`,
            `\`${path}.deleteAfterDays\` is ${show(del)}; it must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (100 years, AWS Backup's longest retention). Fix: set a number in that range, or leave it unset to keep recovery points until deleted by hand.`,
        );
    }
    if (coldOk && delOk && cold !== undefined && del !== undefined && del < cold + COLD_STORAGE_MIN_DAYS) {
        add(
            `${path}.deleteAfterDays`,
            `\`${path}.deleteAfterDays\` is ${del} with \`moveToColdStorageAfterDays\` ${cold}; recovery points must stay in cold storage at least ${COLD_STORAGE_MIN_DAYS} days, so deleteAfterDays must be at least ${cold + COLD_STORAGE_MIN_DAYS}. Fix: raise deleteAfterDays to ${cold + COLD_STORAGE_MIN_DAYS} or more, or drop the cold storage step.`,
        );
    }
    if (cold !== undefined && coldOk && !advanced) {
        add(
            `${path}.moveToColdStorageAfterDays`,
            `\`${path}.moveToColdStorageAfterDays\` is ${cold}; cold storage for DynamoDB needs advanced DynamoDB backup (without it AWS Backup ignores the step). ${ADVANCED_FIX}, or remove moveToColdStorageAfterDays.`,
        );
    }
}
