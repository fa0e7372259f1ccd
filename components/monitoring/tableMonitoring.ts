/**
 * Drift alarms for a DynamoDB table: what the policy pack cannot see because it happens after the
 * deployment, in the console or from a script. EventBridge rules on the CloudTrail records of the
 * calls that remove a table's safety net (PITR turned off, deletion protection turned off, the table
 * or one of its backups deleted), and on AWS Backup jobs for the table that fail; all routed to one
 * SNS topic. Optionally, AWS Config managed rules that check every table carrying the production tag,
 * including tables never declared in Pulumi. See docs/monitoring.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TIER_TAG_KEY } from "../core/constants";
import { alarmTopicPolicy } from "./alarmTopicPolicy";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import { formatProblems, ArgProblem, isKnown, show } from "../core/problems";
import { hideUnset } from "../core/hideUnset";
import type { TableMonitoringArgs } from "./types";

/** EventBridge's `detail-type` for API calls recorded by CloudTrail (EventBridge User Guide). */
export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";
/** EventBridge's `detail-type` for AWS Backup job changes (AWS Backup Developer Guide, "EventBridge"). */
export const BACKUP_JOB_DETAIL_TYPE = "Backup Job State Change";
/** Backup job states that mean no recovery point was made. */
export const FAILED_BACKUP_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;

/**
 * AWS Config managed rules for DynamoDB tables, by the rule's name in the AWS Config Developer Guide
 * ("dynamodb-pitr-enabled", ...) and its source identifier.
 */
export const DYNAMODB_CONFIG_RULES = {
    "dynamodb-pitr-enabled": "DYNAMODB_PITR_ENABLED",
    "dynamodb-in-backup-plan": "DYNAMODB_IN_BACKUP_PLAN",
    "dynamodb-table-deletion-protection-enabled": "DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED",
} as const;

/** The alarms, by the role that names each EventBridge rule (`<name>-<role>`). */
export type TableAlarm = "safety-net-changed" | "backup-job-failed";

/** The CloudTrail-recorded calls that remove a table's safety net, one alarm for all. */
export const DRIFT_EVENT_NAMES = [
    "UpdateContinuousBackups",
    "UpdateTable",
    "DeleteTable",
    "DeleteBackup",
] as const;

/**
 * The EventBridge event pattern that matches a call removing the table's safety net: PITR turned off
 * (`UpdateContinuousBackups` with `pointInTimeRecoveryEnabled: false`), deletion protection turned off
 * (`UpdateTable` with `deletionProtectionEnabled: false`), the table deleted (`DeleteTable`), or one
 * of its on-demand backups deleted (`DeleteBackup`). One rule with `$or` (EventBridge User Guide,
 * "Event patterns", $or matching) rather than four: the alert carries the event name. CloudTrail
 * records the table as the caller named it, by name or by ARN (DynamoDB accepts both), so both are
 * matched; a backup's ARN starts with its table's ARN (`<table arn>/backup/<id>`).
 */
export function driftEventPattern(tableName: string, tableArn: string): object {
    return safetyNetPattern([tableName, tableArn], [{ prefix: `${tableArn}/backup/` }]);
}

/**
 * The safety-net pattern for the tables a filter matches: `tableName` values for the calls that name
 * a table, `backupArn` values for `DeleteBackup`. Without filters, every table of the account and
 * Region. Shared by one table's alarm and a baseline's fleet alarm.
 */
export function safetyNetPattern(tableFilter?: unknown[], backupFilter?: unknown[]): object {
    const table = tableFilter === undefined ? {} : { tableName: tableFilter };
    const deletions =
        tableFilter === undefined && backupFilter === undefined
            ? [{ eventName: ["DeleteTable", "DeleteBackup"] }]
            : [
                  { eventName: ["DeleteTable"], requestParameters: table },
                  { eventName: ["DeleteBackup"], requestParameters: { backupArn: backupFilter } },
              ];
    return {
        source: ["aws.dynamodb"],
        "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
        detail: {
            eventSource: ["dynamodb.amazonaws.com"],
            $or: [
                {
                    eventName: ["UpdateContinuousBackups"],
                    requestParameters: {
                        ...table,
                        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: [false] },
                    },
                },
                {
                    eventName: ["UpdateTable"],
                    requestParameters: { ...table, deletionProtectionEnabled: [false] },
                },
                ...deletions,
            ],
        },
    };
}

/** The EventBridge event pattern that matches an AWS Backup job of the table that made no recovery point. */
export function backupJobFailedPattern(tableArn: string): object {
    return {
        source: ["aws.backup"],
        "detail-type": [BACKUP_JOB_DETAIL_TYPE],
        detail: { resourceArn: [tableArn], state: [...FAILED_BACKUP_JOB_STATES] },
    };
}

const DESCRIPTIONS: Record<TableAlarm, string> = {
    "safety-net-changed":
        "point-in-time recovery or deletion protection turned off, the table or one of its backups deleted",
    "backup-job-failed": "an AWS Backup job for the table failed, aborted or expired",
};

/**
 * Alarms on one table's safety net (see the module comment). Created by {@link ResilientTable} for
 * production tables unless `monitoring: false`; usable alone for any table.
 */
export class TableMonitoring extends pulumi.ComponentResource {
    /** The ARN of the topic that receives the alerts. */
    readonly topicArn: pulumi.Output<string>;
    /** The topic the component created, when none was passed in. */
    readonly topic?: aws.sns.Topic;
    /** The EventBridge rules, by alarm. */
    readonly rules: Partial<Record<TableAlarm, aws.cloudwatch.EventRule>> = {};
    /** The AWS Config rules, by managed rule name, when `configRules` is on. */
    readonly configRules: Partial<Record<keyof typeof DYNAMODB_CONFIG_RULES, aws.cfg.Rule>> = {};

    constructor(name: string, args: TableMonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("dynamodb-pitr:index:TableMonitoring", name, {}, opts);
        const problems = argKeyProblems("TableMonitoring", args, ARG_SHAPES.TableMonitoring);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(formatProblems("TableMonitoring", name, problems), this, true);
        }
        const childOpts = { parent: this };
        const { region, tags } = args;

        if (args.topicArn === undefined) {
            this.topic = new aws.sns.Topic(`${name}-alerts`, { region, tags }, childOpts);
        }
        const topicArn = pulumi.output(args.topicArn ?? this.topic!.arn);

        const patterns: Partial<Record<TableAlarm, pulumi.Output<string>>> = {
            "safety-net-changed": pulumi
                .all([args.tableName, args.tableArn])
                .apply(([tableName, tableArn]) => JSON.stringify(driftEventPattern(tableName, tableArn))),
        };
        if (args.backupJobAlerts) {
            patterns["backup-job-failed"] = pulumi
                .output(args.tableArn)
                .apply((tableArn) => JSON.stringify(backupJobFailedPattern(tableArn)));
        }
        for (const [alarm, eventPattern] of Object.entries(patterns) as [
            TableAlarm,
            pulumi.Output<string>,
        ][]) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${alarm}`,
                {
                    description: pulumi.interpolate`DynamoDB table ${args.tableName}: ${DESCRIPTIONS[alarm]}.`,
                    eventPattern,
                    region,
                    tags,
                },
                childOpts,
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${alarm}`,
                { rule: rule.name, arn: topicArn, region },
                childOpts,
            );
            this.rules[alarm] = rule;
        }

        if (this.topic !== undefined) {
            // Only these rules may publish: the condition on the source ARN keeps any other rule in the
            // account (or another account's) from using the topic (SNS Developer Guide, "Amazon SNS
            // access policy": confused-deputy prevention).
            const ruleArns = Object.values(this.rules).map((rule) => rule!.arn);
            new aws.sns.TopicPolicy(
                `${name}-alerts`,
                {
                    arn: this.topic.arn,
                    policy: alarmTopicPolicy("AllowTableAlarmRules", this.topic.arn, ruleArns),
                    region,
                },
                childOpts,
            );
        }

        if (args.configRules) this.createConfigRules(name, args, childOpts);

        this.topicArn = topicArn;
        this.registerOutputs({ topicArn });
        hideUnset(this);
    }

    /** AWS Config's managed rules for DynamoDB, on the tables tagged for production (or the tag given). */
    private createConfigRules(
        name: string,
        args: TableMonitoringArgs,
        childOpts: { parent: pulumi.Resource },
    ) {
        const { region, tags } = args;
        const scope = typeof args.configRules === "object" ? args.configRules : {};
        for (const [ruleName, identifier] of Object.entries(DYNAMODB_CONFIG_RULES)) {
            this.configRules[ruleName as keyof typeof DYNAMODB_CONFIG_RULES] = new aws.cfg.Rule(
                `${name}-${ruleName}`,
                {
                    description: `AWS managed rule ${ruleName}, on DynamoDB tables tagged for production.`,
                    source: { owner: "AWS", sourceIdentifier: identifier },
                    // A tag scope: AWS Config accepts a tag key and value, or resource types, not both.
                    scope: {
                        tagKey: scope.tagKey ?? TIER_TAG_KEY,
                        tagValue: scope.tagValue ?? "production",
                    },
                    region,
                    tags,
                },
                childOpts,
            );
        }
    }
}

/** The tag scope `configRules` takes (its unknown keys are reported by the key check, argShapes.ts). */
const CONFIG_RULE_OPTIONS = ["tagKey", "tagValue"] as const;

/**
 * An SNS topic ARN, `arn:<partition>:sns:<region>:<account>:<name>`; a name is 1 to 256 letters,
 * digits, `-` and `_`, with `.fifo` for a FIFO topic (SNS API Reference, CreateTopic).
 */
export const SNS_TOPIC_ARN_PATTERN =
    /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * Every problem with `monitoring`, before any child exists: its shape (a boolean or the options
 * object), a topic ARN that is an SNS topic's, a boolean `backupJobAlerts`, a tag scope AWS Config
 * accepts (ConfigRule Scope: a key of 1 to 128 characters, a value of 1 to 256). An unknown option
 * (a misspelt `topicArn` would silently send alerts to a new topic) is reported by the table's key
 * check, `checkArgumentNames` (components/shapes/argShapes.ts), with every other argument. A topic ARN not
 * known yet (an `Output`) is left to AWS. `monitoring: false` on a production table is allowed: it is
 * the documented opt-out.
 */
export function validateMonitoring(args: { readonly monitoring?: unknown }): ArgProblem[] {
    const monitoring = args?.monitoring;
    if (monitoring === undefined || typeof monitoring === "boolean") return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (monitoring === null || typeof monitoring !== "object" || Array.isArray(monitoring)) {
        add(
            "monitoring",
            `\`monitoring\` is ${show(monitoring)}; it must be true, false or { topicArn?, backupJobAlerts?, ` +
                "configRules? }. Fix: write `monitoring: true` (without quotes), or pass the options object.",
        );
        return problems;
    }
    const options = monitoring as Record<string, unknown>;
    // Unknown keys, here and in `configRules`, are reported by the table's key check (argShapes.ts).

    const topicArn = options.topicArn;
    if (topicArn !== undefined && isKnown(topicArn)) {
        if (typeof topicArn !== "string" || !SNS_TOPIC_ARN_PATTERN.test(topicArn)) {
            add(
                "monitoring.topicArn",
                `\`monitoring.topicArn\` is ${show(topicArn)}; it must be an SNS topic ARN, ` +
                    '"arn:<partition>:sns:<region>:<account>:<name>". Fix: pass the topic\'s `arn` ' +
                    "(e.g. `topic.arn`), or leave it unset to have a topic created.",
            );
        }
    }
    if (options.backupJobAlerts !== undefined && typeof options.backupJobAlerts !== "boolean") {
        add(
            "monitoring.backupJobAlerts",
            `\`monitoring.backupJobAlerts\` is ${show(options.backupJobAlerts)}; it must be true or false. Fix: ` +
                "write the boolean without quotes, or leave it unset (on when the table has a backup plan).",
        );
    }

    const configRules = options.configRules;
    if (configRules === undefined || typeof configRules === "boolean") return problems;
    if (configRules === null || typeof configRules !== "object" || Array.isArray(configRules)) {
        add(
            "monitoring.configRules",
            `\`monitoring.configRules\` is ${show(configRules)}; it must be true, false or { tagKey?, tagValue? }. ` +
                "Fix: write `configRules: true` (without quotes), or pass the tag scope.",
        );
        return problems;
    }
    const scope = configRules as Record<string, unknown>;
    const limits = { tagKey: [128, `"${TIER_TAG_KEY}"`], tagValue: [256, '"production"'] } as const;
    for (const field of CONFIG_RULE_OPTIONS) {
        const value = scope[field];
        const [max, fallback] = limits[field];
        if (value !== undefined && (typeof value !== "string" || value.length < 1 || value.length > max)) {
            add(
                `monitoring.configRules.${field}`,
                `\`monitoring.configRules.${field}\` is ${show(value)}; AWS Config takes a tag ${field === "tagKey" ? "key" : "value"} ` +
                    `of 1 to ${max} characters. Fix: give the tag that marks production tables, or leave it unset for ${fallback}.`,
            );
        }
    }
    return problems;
}
