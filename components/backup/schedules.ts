/**
 * AWS Backup schedules for DynamoDB tables, as pure data and pure checks: the presets a platform team
 * names in one word, the rule shape for custom schedules, an AWS cron expression checker, and
 * {@link validateBackupPlanArgs}, which reports every problem with a plan's arguments before any
 * resource exists. No Pulumi resources are created here.
 *
 * Limits come from the AWS Backup API Reference (BackupRuleInput, Lifecycle, CopyAction,
 * BackupVaultLockConfiguration, RestoreTestingPlanForCreate) and the AWS Backup Developer Guide.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Tier, TIERS } from "../core/constants";
import { ArgProblem, show } from "../table/validateTableArgs";

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

// ---------------------------------------------------------------------------------------------------
// AWS cron expressions

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const CRON_FIELDS: readonly CronField[] = [
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day-of-week", min: 1, max: 7, names: DAYS },
    { name: "year", min: 1970, max: 2199 },
];

/**
 * Why an AWS cron expression is invalid, or undefined when it is valid. The grammar is EventBridge's
 * (EventBridge User Guide, "Cron expressions"), which AWS Backup uses (BackupRuleInput
 * ScheduleExpression): six fields; `,` `-` `*` `/` everywhere; `?` only in day-of-month or
 * day-of-week, and exactly one of them; `L` and `W` in day-of-month; `L` and `#` in day-of-week.
 */
export function cronProblem(expression: unknown): string | undefined {
    if (typeof expression !== "string") return "it is not a string";
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    if (!match) return "it must have the form cron(minutes hours day-of-month month day-of-week year)";
    const parts = match[1].trim().split(/\s+/);
    if (parts.length !== 6) {
        return `it has ${parts.length} field${parts.length === 1 ? "" : "s"}; an AWS cron expression has 6: minutes hours day-of-month month day-of-week year`;
    }
    for (let i = 0; i < 6; i++) {
        const found = fieldProblem(parts[i], CRON_FIELDS[i]);
        if (found) return `${CRON_FIELDS[i].name} ${JSON.stringify(parts[i])}: ${found}`;
    }
    const [minutes, , dayOfMonth, , dayOfWeek] = parts;
    if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
        return "exactly one of day-of-month and day-of-week must be `?` (e.g. `cron(0 5 ? * * *)` or `cron(0 5 * * ? *)`)";
    }
    if (!/^\d+$/.test(minutes)) {
        return "minutes must be a single number; AWS Backup runs a rule at most once an hour";
    }
    return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
    const dayField = field.name === "day-of-month" || field.name === "day-of-week";
    if (text === "?") return dayField ? undefined : "`?` is allowed only in day-of-month and day-of-week";
    if (field.name === "day-of-month" && /^(L|LW|\d{1,2}W)$/.test(text)) {
        return text.endsWith("W") && text !== "LW" ? range(Number(text.slice(0, -1)), field) : undefined;
    }
    if (field.name === "day-of-week") {
        const hash = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(text);
        if (hash) return value(hash[1], field) === undefined ? `"${hash[1]}" is not a day` : undefined;
        if (/^([A-Za-z]{3}|\d)?L$/.test(text)) {
            const day = text.slice(0, -1);
            return day === "" || value(day, field) !== undefined ? undefined : `"${day}" is not a day`;
        }
    }
    for (const item of text.split(",")) {
        const [base, step, extra] = item.split("/");
        if (extra !== undefined) return `"${item}" has more than one \`/\``;
        if (step !== undefined && !/^\d+$/.test(step)) return `the step "${step}" must be a whole number`;
        if (base === "*") continue;
        const ends = base.split("-");
        if (ends.length > 2) return `"${base}" is not a value or a range`;
        for (const end of ends) {
            const v = value(end, field);
            if (v === undefined) return `"${end}" is not ${allowedValues(field)}`;
        }
    }
    return undefined;
}

function value(text: string, field: CronField): number | undefined {
    if (/^\d+$/.test(text)) {
        const n = Number(text);
        return n >= field.min && n <= field.max ? n : undefined;
    }
    const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
    return i >= 0 ? i + 1 : undefined;
}

function range(n: number, field: CronField): string | undefined {
    return n >= field.min && n <= field.max ? undefined : `${n} is not ${allowedValues(field)}`;
}

function allowedValues(field: CronField): string {
    const names = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : "";
    return `a number from ${field.min} to ${field.max}${names}`;
}

// ---------------------------------------------------------------------------------------------------
// Plan arguments

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
}

/** Backup rule, plan and selection names: 1 to 50 characters of `a-z A-Z 0-9 - _ .` (BackupRuleInput). */
export const BACKUP_RULE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,50}$/;
/** Vault names: 2 to 50 characters of `a-z A-Z 0-9 - _` (CreateBackupVault BackupVaultName). */
export const VAULT_NAME_PATTERN = /^[a-zA-Z0-9_-]{2,50}$/;
/** AWS Backup's longest retention: 100 years (API Reference, Lifecycle DeleteAfterDays). */
export const MAX_RETENTION_DAYS = 36500;
/** Cold storage bills at least 90 days, so deletion comes 90 days after the move at the earliest. */
export const COLD_STORAGE_MIN_DAYS = 90;
/** A vault's ARN: `arn:<partition>:backup:<region>:<account>:backup-vault:<name>`. */
const VAULT_ARN_PATTERN =
    /^arn:aws[a-z-]*:backup:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:backup-vault:[a-zA-Z0-9_-]{2,50}$/;

const ADVANCED_FIX =
    'advanced DynamoDB backup must be on in the account and Region (AWS Backup Developer Guide, "Advanced DynamoDB backup"). ' +
    'Fix: set `advancedDynamoDbBackup: "enable"` (or "already-enabled" if it is on)';

function isKnown(value: unknown): boolean {
    if (value === null || typeof value !== "object") return true;
    return !("then" in value) && !(value as { __pulumiOutput?: boolean }).__pulumiOutput;
}

function wholeNumber(value: unknown, min: number, max: number): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

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
    /`(tier|advancedDynamoDbBackup|planName|vaultName|schedule|vaultLock|notifications|restoreTesting|selectTags)\b/g;

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

/** True when the schedule can be expanded into rules (its presets exist, its rules are objects). */
function scheduleIsUsable(schedule: unknown): schedule is BackupSchedule {
    const usable = (entry: unknown) =>
        typeof entry === "string"
            ? (BACKUP_PRESETS as readonly string[]).includes(entry)
            : entry !== null && typeof entry === "object";
    return Array.isArray(schedule)
        ? schedule.every(usable)
        : typeof schedule === "string" && usable(schedule);
}

function checkSchedule(
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

/** True for a time zone name the runtime knows (IANA database), such as `Europe/Paris`. */
export function isTimeZone(value: unknown): boolean {
    if (typeof value !== "string" || value.length === 0) return false;
    try {
        new Intl.DateTimeFormat("en", { timeZone: value });
        return true;
    } catch {
        return false;
    }
}

// ---------------------------------------------------------------------------------------------------
// A table's `backup` argument

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

const NOT_FOR_A_TABLE = ["tier", "tables", "selectTags", "region"];

/**
 * Problems with a table's `backup` argument: a preset, a list of presets and rules, plan options
 * with a `schedule`, `{ plan }` to join a shared plan, or `false` / `"none"`.
 */
export function validateTableBackup(
    backup: unknown,
    context: { readonly tableRegion?: string; readonly providerRegion?: string } = {},
): ArgProblem[] {
    if (backup === undefined || backup === false || backup === "none") return [];
    if (typeof backup === "string" || Array.isArray(backup)) {
        const problems = validateBackupPlanArgs({ schedule: backup as BackupSchedule });
        return renameRoot(problems, "schedule", "backup").map((p) =>
            p.propertyPath === "backup" && typeof backup === "string"
                ? {
                      propertyPath: "backup",
                      reason:
                          `\`backup\` is ${show(backup)}; it must be a preset (${BACKUP_PRESETS.map((n) => `"${n}"`).join(", ")}), ` +
                          'a list of presets and rules, { plan } to join a shared plan, or "none". Fix: pick one.',
                  }
                : p,
        );
    }
    if (backup === null || typeof backup !== "object") {
        return [
            {
                propertyPath: "backup",
                reason: `\`backup\` is ${show(backup)}; it must be a preset name, a list of rules, plan options, { plan } or "none".`,
            },
        ];
    }
    if ("plan" in backup) {
        const plan = (backup as { plan: unknown }).plan;
        const missing = ["planId", "planArn", "roleArn", "vaultName"].filter(
            (field) =>
                plan === null ||
                typeof plan !== "object" ||
                (plan as Record<string, unknown>)[field] === undefined,
        );
        const planRegion = (plan as { region?: unknown } | null)?.region ?? context.providerRegion;
        const tableRegion = context.tableRegion ?? context.providerRegion;
        if (missing.length === 0 && typeof planRegion === "string" && typeof tableRegion === "string") {
            if (planRegion !== tableRegion) {
                return [
                    {
                        propertyPath: "backup.plan",
                        reason:
                            `\`backup.plan\` is in ${planRegion} but the table is in ${tableRegion}; an AWS Backup plan selects ` +
                            `resources in its own Region only, so the table would never be backed up. Fix: use a plan in ${tableRegion}.`,
                    },
                ];
            }
        }
        return missing.length === 0
            ? []
            : [
                  {
                      propertyPath: "backup.plan",
                      reason:
                          `\`backup.plan\` lacks ${missing.map((m) => `\`${m}\``).join(", ")}; it must be a TableBackupPlan, or ` +
                          "{ planId, planArn, roleArn, vaultName } exported by the stack that owns the plan.",
                  },
              ];
    }
    const problems = validateBackupPlanArgs(backup as BackupPlanOptions, "backup.");
    for (const field of NOT_FOR_A_TABLE) {
        if (field in backup) {
            problems.push({
                propertyPath: `backup.${field}`,
                reason:
                    `\`backup.${field}\` is set, but a table's own plan takes \`${field}\` from the table. Fix: remove it, ` +
                    "or create a TableBackupPlan and pass it as { plan }.",
            });
        }
    }
    return problems;
}
