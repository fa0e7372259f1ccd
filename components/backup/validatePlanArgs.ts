/**
 * {@link validateBackupPlanArgs}: every problem with a plan's schedule and options, before any
 * resource exists. Pure checks; no Pulumi resources are created here.
 *
 * Limits come from the AWS Backup API Reference (BackupRuleInput, Lifecycle, CopyAction,
 * BackupVaultLockConfiguration, RestoreTestingPlanForCreate) and the AWS Backup Developer Guide.
 */
import { TIERS } from "../core/constants";
import { ArgProblem, isKnown, show } from "../core/problems";
import { cronProblem, isTimeZone } from "./cron";
import { checkSchedule, scheduleIsUsable, wholeNumber } from "./validateRules";
import {
    BACKUP_RULE_NAME_PATTERN,
    DEPRECATED_VAULT_EVENTS,
    MAX_RETENTION_DAYS,
    VAULT_EVENTS,
    VAULT_NAME_PATTERN,
} from "./limits";
import { BackupRuleArgs, DEFAULT_BACKUP_PRESET, resolveSchedule } from "./presets";
import { validateAirGappedDestination } from "./airGapped";
import type { BackupPlanOptions, BackupVaultLockArgs, RestoreTestingArgs } from "./types";

/**
 * Every problem with a plan's schedule and options, in a stable order, each naming the field, the
 * value, what is allowed and the fix. `prefix` is prepended to every property path (e.g. `backup.`).
 */
export function validateBackupPlanArgs(args: BackupPlanOptions, prefix = ""): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (path: string, reason: string) =>
        problems.push({ propertyPath: `${prefix}${path}`, reason: withPrefix(reason, prefix) });
    if (args === null || typeof args !== "object") {
        add("", `the backup arguments are ${show(args)}; pass an object.`);
        return problems;
    }

    if (args.tier !== undefined && !(TIERS as readonly string[]).includes(args.tier)) {
        add(
            "tier",
            `\`tier\` is ${show(args.tier)}; it must be one of ${TIERS.map((t) => `"${t}"`).join(", ")}.`,
        );
    }
    const advanced = args.advancedDynamoDbBackup !== undefined;
    if (advanced && !["enable", "already-enabled"].includes(args.advancedDynamoDbBackup as string)) {
        add(
            "advancedDynamoDbBackup",
            `\`advancedDynamoDbBackup\` is ${show(args.advancedDynamoDbBackup)}; it must be "enable" or "already-enabled", or unset.`,
        );
    }
    for (const [field, pattern, rule] of [
        ["planName", BACKUP_RULE_NAME_PATTERN, "1 to 50 characters of a-z, A-Z, 0-9, `-`, `_` and `.`"],
        ["vaultName", VAULT_NAME_PATTERN, "2 to 50 characters of a-z, A-Z, 0-9, `-` and `_`"],
    ] as const) {
        const v = args[field];
        if (v !== undefined && (typeof v !== "string" || !pattern.test(v))) {
            const length = typeof v === "string" ? ` (${v.length} characters)` : "";
            add(
                field,
                `\`${field}\` is ${show(v)}${length}; it must be ${rule}. Fix: choose such a name, or leave it unset for a generated one.`,
            );
        }
    }

    checkSchedule(args.schedule, advanced, add);
    const rules = scheduleIsUsable(args.schedule) ? resolveSchedule(args.schedule, advanced) : [];
    checkVaultLock(args.vaultLock, rules, add);
    if (args.airGapped !== undefined) {
        const planRules = scheduleIsUsable(args.schedule ?? DEFAULT_BACKUP_PRESET)
            ? resolveSchedule(args.schedule ?? DEFAULT_BACKUP_PRESET, advanced)
            : [];
        problems.push(
            ...validateAirGappedDestination(args.airGapped, planRules, advanced, `${prefix}airGapped`).map(
                (p) => ({
                    propertyPath: p.propertyPath,
                    reason: withPrefix(p.reason, prefix),
                }),
            ),
        );
    }
    checkNotifications(args.notifications, add);
    checkRestoreTesting(args.restoreTesting, add);

    if (args.selectTags !== undefined) {
        const tags = args.selectTags;
        if (
            tags === null ||
            typeof tags !== "object" ||
            Array.isArray(tags) ||
            Object.keys(tags).length === 0
        ) {
            add(
                "selectTags",
                `\`selectTags\` is ${show(tags)}; it must be a non-empty map of tag names to values, e.g. { environment: "production" }.`,
            );
        } else {
            for (const [key, v] of Object.entries(tags)) {
                if (typeof v !== "string") {
                    add(`selectTags.${key}`, `\`selectTags.${key}\` is ${show(v)}; tag values are strings.`);
                }
            }
        }
    }
    return problems;
}

const ROOT_FIELDS =
    /`(tier|advancedDynamoDbBackup|planName|vaultName|schedule|vaultLock|notifications|restoreTesting|selectTags|airGapped)\b/g;

/** Puts `prefix` before every field name the message quotes, so paths read as the user wrote them. */
function withPrefix(reason: string, prefix: string): string {
    return prefix === "" ? reason : reason.replace(ROOT_FIELDS, (_, root: string) => `\`${prefix}${root}`);
}

/**
 * Renames the root of every problem's path and quoted fields: `schedule[0]` becomes `backup[0]` when
 * the user gave the schedule directly as `backup`.
 */
export function renameRoot(problems: ArgProblem[], from: string, to: string): ArgProblem[] {
    const quoted = new RegExp(`\`${from}(?=[\\[.\`])`, "g");
    return problems.map((p) => ({
        propertyPath: p.propertyPath.startsWith(from)
            ? to + p.propertyPath.slice(from.length)
            : p.propertyPath,
        reason: p.reason.replace(quoted, `\`${to}`),
    }));
}

function checkVaultLock(
    lock: BackupVaultLockArgs | undefined,
    rules: BackupRuleArgs[],
    add: (path: string, reason: string) => void,
) {
    if (lock === undefined) return;
    if (lock === null || typeof lock !== "object") {
        add(
            "vaultLock",
            `\`vaultLock\` is ${show(lock)}; it must be { mode, minRetentionDays?, maxRetentionDays?, changeableForDays? }.`,
        );
        return;
    }
    if (lock.mode !== "governance" && lock.mode !== "compliance") {
        add(
            "vaultLock.mode",
            `\`vaultLock.mode\` is ${show(lock.mode)}; it must be "governance" (removable with IAM permission) or "compliance" (permanent after the grace period).`,
        );
    }
    const { minRetentionDays: min, maxRetentionDays: max, changeableForDays: grace } = lock;
    const minOk = min === undefined || wholeNumber(min, 1, MAX_RETENTION_DAYS);
    const maxOk = max === undefined || wholeNumber(max, 1, MAX_RETENTION_DAYS);
    if (!minOk) {
        add(
            "vaultLock.minRetentionDays",
            `\`vaultLock.minRetentionDays\` is ${show(min)}; it must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`,
        );
    }
    if (!maxOk) {
        add(
            "vaultLock.maxRetentionDays",
            `\`vaultLock.maxRetentionDays\` is ${show(max)}; it must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`,
        );
    }
    if (minOk && maxOk && min !== undefined && max !== undefined && min > max) {
        add(
            "vaultLock.minRetentionDays",
            `\`vaultLock.minRetentionDays\` is ${min}, more than \`vaultLock.maxRetentionDays\` (${max}); the minimum must not exceed the maximum. Fix: lower the minimum or raise the maximum.`,
        );
    }
    if (lock.mode === "compliance" && (grace === undefined || !wholeNumber(grace, 3, MAX_RETENTION_DAYS))) {
        add(
            "vaultLock.changeableForDays",
            `\`vaultLock.changeableForDays\` is ${show(grace)}; compliance mode needs a grace period of at least 3 days, after which the lock can never be removed. Fix: set it explicitly (e.g. 7) once you are sure, or use mode "governance".`,
        );
    }
    if (lock.mode === "governance" && grace !== undefined) {
        add(
            "vaultLock.changeableForDays",
            `\`vaultLock.changeableForDays\` is ${show(grace)} with mode "governance"; a grace period makes the lock compliance mode. Fix: remove it, or set mode "compliance".`,
        );
    }
    // A job whose retention falls outside the lock's range fails (Developer Guide, "AWS Backup Vault Lock").
    for (const rule of rules) {
        const keep = rule.lifecycle?.deleteAfterDays;
        if (minOk && min !== undefined && typeof keep === "number" && keep < min) {
            add(
                "vaultLock.minRetentionDays",
                `\`vaultLock.minRetentionDays\` is ${min} but rule "${rule.name}" keeps recovery points ${keep} days; its backup jobs would fail. Fix: lower the minimum to ${keep} or keep that rule's backups longer.`,
            );
        }
        if (maxOk && max !== undefined && (keep === undefined || keep > max)) {
            add(
                "vaultLock.maxRetentionDays",
                `\`vaultLock.maxRetentionDays\` is ${max} but rule "${rule.name}" keeps recovery points ${keep === undefined ? "forever" : `${keep} days`}; its backup jobs would fail. Fix: raise the maximum or give the rule a deleteAfterDays of at most ${max}.`,
            );
        }
    }
}

function checkNotifications(
    notifications: BackupPlanOptions["notifications"],
    add: (path: string, reason: string) => void,
) {
    if (notifications === undefined) return;
    if (notifications === null || typeof notifications !== "object") {
        add(
            "notifications",
            `\`notifications\` is ${show(notifications)}; it must be { topicArn?, events? }.`,
        );
        return;
    }
    const topic = notifications.topicArn;
    if (
        isKnown(topic) &&
        topic !== undefined &&
        (typeof topic !== "string" ||
            !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topic))
    ) {
        add(
            "notifications.topicArn",
            `\`notifications.topicArn\` is ${show(topic)}; it must be a standard (not FIFO) SNS topic ARN in this account, "arn:aws:sns:<region>:<account>:<name>". Fix: pass the topic's \`arn\`, or leave it unset to create a topic.`,
        );
    }
    const events = notifications.events;
    if (events === undefined) return;
    if (!Array.isArray(events) || events.length === 0) {
        add(
            "notifications.events",
            `\`notifications.events\` is ${show(events)}; it must be a non-empty list of vault events.`,
        );
        return;
    }
    events.forEach((event, i) => {
        const path = `notifications.events[${i}]`;
        if (DEPRECATED_VAULT_EVENTS.includes(event)) {
            const instead = event.startsWith("RESTORE") ? "RESTORE_JOB_COMPLETED" : "BACKUP_JOB_COMPLETED";
            add(
                path,
                `\`${path}\` is "${event}", an event AWS Backup no longer sends, so it would never notify anyone. Fix: use "${instead}", whose message carries the job's state (failed, expired, ...).`,
            );
        } else if (!(VAULT_EVENTS as readonly string[]).includes(event)) {
            add(
                path,
                `\`${path}\` is ${show(event)}; it must be one of ${VAULT_EVENTS.map((e) => `"${e}"`).join(", ")}.`,
            );
        }
    });
}

function checkRestoreTesting(
    testing: boolean | RestoreTestingArgs | undefined,
    add: (path: string, reason: string) => void,
) {
    if (testing === undefined || typeof testing === "boolean") return;
    if (testing === null || typeof testing !== "object") {
        add(
            "restoreTesting",
            `\`restoreTesting\` is ${show(testing)}; it must be true, false or { schedule?, ... }.`,
        );
        return;
    }
    if (testing.schedule !== undefined) {
        const cron = cronProblem(testing.schedule);
        if (cron) {
            add(
                "restoreTesting.schedule",
                `\`restoreTesting.schedule\` is ${show(testing.schedule)}; ${cron}. Fix: write an AWS cron expression such as "cron(0 8 ? * MON *)".`,
            );
        }
    }
    if (testing.scheduleTimezone !== undefined && !isTimeZone(testing.scheduleTimezone)) {
        add(
            "restoreTesting.scheduleTimezone",
            `\`restoreTesting.scheduleTimezone\` is ${show(testing.scheduleTimezone)}; it must be an IANA time zone such as "Etc/UTC".`,
        );
    }
    for (const [field, min, max, unit] of [
        ["selectionWindowDays", 1, 365, "days"],
        ["validationWindowHours", 1, 168, "hours"],
        ["startWindowHours", 1, 168, "hours"],
    ] as const) {
        const v = testing[field];
        if (v !== undefined && !wholeNumber(v, min, max)) {
            add(
                `restoreTesting.${field}`,
                `\`restoreTesting.${field}\` is ${show(v)}; it must be a whole number of ${unit} from ${min} to ${max}.`,
            );
        }
    }
}
