/**
 * The arguments of a {@link ProtectionBaseline} and their validation: pure functions, run before any
 * resource exists, each problem naming the field, the value, what is allowed and the fix.
 */
import { BackupPlanOptions } from "../backup/types";
import { validateBackupPlanArgs } from "../backup/validatePlanArgs";
import { validateAudit } from "../backup/audit";
import { validateOrganizationMember } from "./member";
import { largestPatternSize, MAX_EVENT_PATTERN_CHARACTERS } from "../monitoring/fleetAlerts";
import { AWS_QUOTAS } from "../core/quotas";
import { REGION_PATTERN } from "../core/regions";
import { TIER_TAG_KEY } from "../core/constants";
import { SNS_TOPIC_ARN_PATTERN } from "../monitoring/tableMonitoring";
import { ArgProblem, isKnown, show } from "../core/problems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import type { ProtectionBaselineArgs } from "./types";

/** The tag a baseline selects tables by unless told otherwise. */
export const DEFAULT_SELECTION_TAGS: Readonly<Record<string, string>> = { [TIER_TAG_KEY]: "production" };
/** The tag that puts a joined table on one of the baseline's extra schedules. */
export const DEFAULT_SCHEDULE_TAG_KEY = "backup-schedule";

/** The arguments that configure the baseline's vault and plan, as a `TableBackupPlan` takes them. */
export function planOptionsOf(args: ProtectionBaselineArgs) {
    return {
        schedule: args.schedule,
        advancedDynamoDbBackup: args.advancedDynamoDbBackup,
        vaultLock: args.vaultLock,
        notifications: args.notifications,
        restoreTesting: args.restoreTesting,
        airGapped: args.airGapped,
        vaultName: args.vaultName,
        planName: args.planName,
    };
}

/** An AWS Region name, e.g. `eu-west-1` or `us-gov-west-1`. */
/** A DynamoDB table ARN, wildcards allowed in the name (as AWS Backup selections take them). */
const TABLE_ARN_PATTERN =
    /^arn:(aws[a-z-]*|\*):dynamodb:([a-z0-9-]+|\*):(\d{12}|\*):table\/[a-zA-Z0-9_.*-]{1,255}$/;
/** Tag keys: 1 to 128 characters; values 0 to 256 (AWS General Reference, "Tagging AWS resources"). */
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;

/** Every problem with a baseline's arguments, before any resource exists. */
export function validateBaselineArgs(args: ProtectionBaselineArgs, providerRegion?: string): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (args === null || typeof args !== "object") {
        add("", `the arguments are ${show(args)}; they must be an object. Fix: pass {} for the defaults.`);
        return problems;
    }
    problems.push(...argKeyProblems("ProtectionBaseline", args, ARG_SHAPES.ProtectionBaseline));

    const region = args.region;
    if (region !== undefined && (typeof region !== "string" || !REGION_PATTERN.test(region))) {
        add(
            "region",
            `\`region\` is ${show(region)}; it must be an AWS Region name such as "eu-west-1". Fix: correct it, ` +
                "or leave it unset for the provider's Region.",
        );
    }
    const home = typeof region === "string" ? region : providerRegion;
    const replicas: unknown = args.replicaRegions;
    if (replicas !== undefined) {
        if (!Array.isArray(replicas)) {
            add(
                "replicaRegions",
                `\`replicaRegions\` is ${show(replicas)}; it must be a list of Region names. Fix: write e.g. ["eu-west-1"].`,
            );
        } else {
            const seen = new Set<string>();
            replicas.forEach((r: unknown, i) => {
                const path = `replicaRegions[${i}]`;
                if (typeof r !== "string" || !REGION_PATTERN.test(r)) {
                    add(
                        path,
                        `\`${path}\` is ${show(r)}; it must be an AWS Region name such as "eu-west-1". Fix: correct it.`,
                    );
                } else if (r === home) {
                    add(
                        path,
                        `\`${path}\` is "${r}", the baseline's own Region; replica Regions are the other Regions joined ` +
                            "tables replicate to. Fix: remove it.",
                    );
                } else if (seen.has(r)) {
                    add(path, `\`${path}\` is "${r}", listed twice. Fix: remove the duplicate.`);
                }
                if (typeof r === "string") seen.add(r);
            });
        }
    }

    problems.push(...validateOrganizationMember(args as unknown as Record<string, unknown>));
    problems.push(...validateAudit(args.audit));
    problems.push(...validateSelection(args.selection));
    problems.push(...validateAlerts(args.alerts));
    const topicArn = args.alerts ? args.alerts.topicArn : undefined;
    if (typeof topicArn === "string" && SNS_TOPIC_ARN_PATTERN.test(topicArn) && home !== undefined) {
        const topicRegion = topicArn.split(":")[3];
        if (topicRegion !== home) {
            add(
                "alerts.topicArn",
                `\`alerts.topicArn\` is a topic in ${topicRegion}, but the baseline is in ${home}; EventBridge rules send to ` +
                    `topics of their own Region. Fix: pass a topic in ${home}, or leave it unset to have one created.`,
            );
        }
    }
    problems.push(...validateBackupPlanArgs(planOptionsOf(args) as BackupPlanOptions));
    const key = args.scheduleTagKey;
    if (key !== undefined && (typeof key !== "string" || key.length < 1 || key.length > TAG_KEY_MAX)) {
        add(
            "scheduleTagKey",
            `\`scheduleTagKey\` is ${show(key)}; it must be a tag key of 1 to ${TAG_KEY_MAX} characters. Fix: correct it, ` +
                `or leave it unset for "${DEFAULT_SCHEDULE_TAG_KEY}".`,
        );
    }
    const config = args.configRules;
    if (
        config !== undefined &&
        typeof config !== "boolean" &&
        (config === null || typeof config !== "object")
    ) {
        add(
            "configRules",
            `\`configRules\` is ${show(config)}; it must be true, false or { tagKey?, tagValue? }. Fix: write the ` +
                "boolean without quotes.",
        );
    }
    return problems;
}

function validateSelection(selection: unknown): ArgProblem[] {
    if (selection === undefined) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (selection === null || typeof selection !== "object" || Array.isArray(selection)) {
        add(
            "selection",
            `\`selection\` is ${show(selection)}; it must be { tags } or { tableArns }. Fix: e.g. ` +
                '`selection: { tags: { environment: "production" } }`.',
        );
        return problems;
    }
    const s = selection as Record<string, unknown>;
    if ("tags" in s && "tableArns" in s) {
        add(
            "selection",
            "`selection` has both `tags` and `tableArns`; a baseline selects by one of them. Fix: keep one " +
                "(tags cover tables created later, lists do not).",
        );
    }
    if ("tags" in s) {
        const tags = s.tags;
        if (
            tags === null ||
            typeof tags !== "object" ||
            Array.isArray(tags) ||
            Object.keys(tags).length === 0
        ) {
            add(
                "selection.tags",
                `\`selection.tags\` is ${show(tags)}; it must name at least one tag, e.g. { environment: "production" }. ` +
                    "Fix: give the tags production tables carry.",
            );
        } else {
            const entries = Object.entries(tags as Record<string, unknown>);
            const max = AWS_QUOTAS.tagsPerSelection.limit;
            if (entries.length > max) {
                add(
                    "selection.tags",
                    `\`selection.tags\` has ${entries.length} tags; an AWS Backup selection takes at most ${max}. Fix: keep the tags that decide.`,
                );
            }
            for (const [k, v] of entries) {
                if (k.length > TAG_KEY_MAX || typeof v !== "string" || v.length > TAG_VALUE_MAX) {
                    add(
                        `selection.tags.${k}`,
                        `\`selection.tags.${k}\` is ${show(v)}; a tag has a key of 1 to ${TAG_KEY_MAX} characters and a ` +
                            `string value of at most ${TAG_VALUE_MAX}. Fix: correct it.`,
                    );
                }
            }
        }
    }
    if ("tableArns" in s) {
        const arns = s.tableArns;
        if (!Array.isArray(arns) || arns.length === 0) {
            add(
                "selection.tableArns",
                `\`selection.tableArns\` is ${show(arns)}; it must be a non-empty list of table ARNs. Fix: list them, or ` +
                    "select by tags.",
            );
        } else {
            const wildcards = arns.some((a) => typeof a === "string" && a.includes("*"));
            const max = wildcards
                ? AWS_QUOTAS.wildcardArnsPerSelection.limit
                : AWS_QUOTAS.arnsPerSelection.limit;
            if (arns.length > max) {
                add(
                    "selection.tableArns",
                    `\`selection.tableArns\` has ${arns.length} ARNs; an AWS Backup selection takes at most ${max}` +
                        `${wildcards ? " when any has a wildcard" : ""}. Fix: select by tags, which has no limit on the tables covered.`,
                );
            }
            arns.forEach((arn, i) => {
                if (isKnown(arn) && (typeof arn !== "string" || !TABLE_ARN_PATTERN.test(arn))) {
                    add(
                        `selection.tableArns[${i}]`,
                        `\`selection.tableArns[${i}]\` is ${show(arn)}; it must be a DynamoDB table ARN, ` +
                            '"arn:aws:dynamodb:<region>:<account>:table/<name>" (`*` allowed). Fix: correct it.',
                    );
                }
            });
        }
    }
    return problems;
}

function validateAlerts(alerts: unknown): ArgProblem[] {
    if (alerts === undefined || alerts === false) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (alerts === null || typeof alerts !== "object" || Array.isArray(alerts)) {
        add(
            "alerts",
            `\`alerts\` is ${show(alerts)}; it must be false or { scope?, topicArn?, backupJobAlerts? }. Fix: leave it ` +
                "unset for alarms on every table of the account and Region.",
        );
        return problems;
    }
    const a = alerts as Record<string, unknown>;
    if (a.topicArn !== undefined && isKnown(a.topicArn)) {
        if (typeof a.topicArn !== "string" || !SNS_TOPIC_ARN_PATTERN.test(a.topicArn)) {
            add(
                "alerts.topicArn",
                `\`alerts.topicArn\` is ${show(a.topicArn)}; it must be an SNS topic ARN, ` +
                    '"arn:<partition>:sns:<region>:<account>:<name>". Fix: pass the topic\'s `arn`, or leave it unset.',
            );
        }
    }
    if (a.backupJobAlerts !== undefined && typeof a.backupJobAlerts !== "boolean") {
        add(
            "alerts.backupJobAlerts",
            `\`alerts.backupJobAlerts\` is ${show(a.backupJobAlerts)}; it must be true or false. Fix: write the boolean ` +
                "without quotes.",
        );
    }
    problems.push(...validateAlertScope(a.scope));
    return problems;
}

/** Table names as DynamoDB takes them (CreateTable TableName); a prefix may be shorter. */
const NAME_CHARACTERS = /^[a-zA-Z0-9_.-]+$/;

function validateAlertScope(scope: unknown): ArgProblem[] {
    if (scope === undefined || scope === "account") return [];
    const fix = 'Fix: write "account", { tableNamePrefix: "prod-" } or { tableNames: ["Orders"] }.';
    if (scope === null || typeof scope !== "object" || Array.isArray(scope)) {
        return [
            {
                propertyPath: "alerts.scope",
                reason: `\`alerts.scope\` is ${show(scope)}; it must be "account", { tableNamePrefix } or { tableNames }. ${fix}`,
            },
        ];
    }
    const s = scope as Record<string, unknown>;
    if ("tableNamePrefix" in s) {
        const prefix = s.tableNamePrefix;
        if (
            typeof prefix !== "string" ||
            prefix.length < 1 ||
            prefix.length > 254 ||
            !NAME_CHARACTERS.test(prefix)
        ) {
            return [
                {
                    propertyPath: "alerts.scope.tableNamePrefix",
                    reason:
                        `\`alerts.scope.tableNamePrefix\` is ${show(prefix)}; it must be 1 to 254 characters of a-z, A-Z, ` +
                        "0-9, `_`, `-` and `.`, as table names are. Fix: correct it.",
                },
            ];
        }
        const size = largestPatternSize({ tableNamePrefix: prefix });
        if (size > MAX_EVENT_PATTERN_CHARACTERS) {
            return [
                {
                    propertyPath: "alerts.scope.tableNamePrefix",
                    reason:
                        `\`alerts.scope.tableNamePrefix\` is ${prefix.length} characters long, which makes an event pattern of ` +
                        `${size} characters; EventBridge takes at most ${MAX_EVENT_PATTERN_CHARACTERS}. Fix: use a prefix of at ` +
                        `most ${longestPrefix()} characters.`,
                },
            ];
        }
        return [];
    }
    if ("tableNames" in s) {
        const names = s.tableNames;
        if (!Array.isArray(names) || names.length === 0) {
            return [
                {
                    propertyPath: "alerts.scope.tableNames",
                    reason: `\`alerts.scope.tableNames\` is ${show(names)}; it must be a non-empty list of table names. ${fix}`,
                },
            ];
        }
        const bad = names.findIndex((n) => typeof n !== "string" || !/^[a-zA-Z0-9_.-]{3,255}$/.test(n));
        if (bad >= 0) {
            return [
                {
                    propertyPath: `alerts.scope.tableNames[${bad}]`,
                    reason:
                        `\`alerts.scope.tableNames[${bad}]\` is ${show(names[bad])}; a table name is 3 to 255 characters ` +
                        "of a-z, A-Z, 0-9, `_`, `-` and `.`. Fix: correct it.",
                },
            ];
        }
        const size = largestPatternSize({ tableNames: names as string[] });
        if (size > MAX_EVENT_PATTERN_CHARACTERS) {
            return [
                {
                    propertyPath: "alerts.scope.tableNames",
                    reason:
                        `\`alerts.scope.tableNames\` lists ${names.length} tables, which makes an event pattern of ${size} ` +
                        `characters; EventBridge takes at most ${MAX_EVENT_PATTERN_CHARACTERS}. Fix: use ` +
                        '{ tableNamePrefix } or "account", which cover any number of tables.',
                },
            ];
        }
        return [];
    }
    return [
        {
            propertyPath: "alerts.scope",
            reason: `\`alerts.scope\` is ${show(scope)}; it must be "account", { tableNamePrefix } or { tableNames }. ${fix}`,
        },
    ];
}

/** The longest name prefix whose alarm patterns fit EventBridge's limit. */
function longestPrefix(): number {
    let length = 1;
    while (largestPatternSize({ tableNamePrefix: "p".repeat(length + 1) }) <= MAX_EVENT_PATTERN_CHARACTERS)
        length++;
    return length;
}
