/**
 * The shared parts a {@link ProtectionBaseline} creates: its keys, its backups (a plan, or the
 * vault and role of an organization member), the fleet's alarms and the AWS Config rules.
 */
import { isolationAdvisory } from "../backup/airGapped";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TableBackupPlan } from "../backup/backupPlan";
import { DEFAULT_BACKUP_PRESET } from "../backup/presets";
import { TIER_TAG_KEY } from "../core/constants";
import { alarmTopicPolicy } from "../monitoring/alarmTopicPolicy";
import {
    BACKUP_JOB_ALERT,
    DRIFT_ALERT,
    fleetBackupJobFailedPattern,
    fleetDriftPattern,
} from "../monitoring/fleetAlerts";
import { DYNAMODB_CONFIG_RULES } from "../monitoring/tableMonitoring";
import type { AlertScope } from "../monitoring/types";
import { DEFAULT_SELECTION_TAGS, planOptionsOf } from "./baselineArgs";
import { createMemberBackups } from "./member";
import type { BaselineSelection, ProtectionBaselineArgs } from "./types";

type ChildOpts = { parent: pulumi.Resource };

/** The shared key (unless `kmsKeyArn` is given) and one key per replica Region (keys are regional). */
export function baselineKeys(
    name: string,
    args: ProtectionBaselineArgs,
    context: { region?: string; tags: Record<string, string>; keepOpts: pulumi.CustomResourceOptions },
) {
    const { tags, keepOpts } = context;
    const region = context.region;
    const newKey = (suffix: string, keyRegion: string | undefined, what: string) =>
        new aws.kms.Key(
            `${name}-${suffix}`,
            {
                description: `Encrypts the DynamoDB tables ${what} and their backups (protection baseline ${name})`,
                enableKeyRotation: true,
                // The longest waiting period: a key scheduled for deletion by mistake can be
                // recovered for 30 days, and with it every table and backup it encrypts.
                deletionWindowInDays: 30,
                region: keyRegion,
                tags,
            },
            keepOpts,
        );
    const key = args.kmsKeyArn === undefined ? newKey("key", region, "of the baseline's Region") : undefined;
    const replicaKeys: Record<string, pulumi.Output<string>> = {};
    for (const replicaRegion of args.replicaRegions ?? []) {
        replicaKeys[replicaRegion] = newKey(
            `key-${replicaRegion}`,
            replicaRegion,
            `replicas in ${replicaRegion}`,
        ).arn;
    }
    return { key, replicaKeys };
}

/**
 * The fleet's backups: one vault, one plan, one role, one selection; in member mode
 * (`organizationMember`) the vault and role the organization's policy names, and no plan or selection.
 */
export function fleetBackups(
    name: string,
    args: ProtectionBaselineArgs,
    context: {
        selection: BaselineSelection;
        kmsKeyArn: pulumi.Output<string>;
        region?: string;
        tags: Record<string, string>;
        parent: pulumi.Resource;
    },
) {
    const { selection, kmsKeyArn, region, tags, parent } = context;
    const member = args.organizationMember;
    if (member) {
        const selectedTags = { ...(member.selectedTags ?? DEFAULT_SELECTION_TAGS) };
        const created = createMemberBackups(
            name,
            member,
            {
                kmsKeyArn,
                vaultLock: args.vaultLock,
                advancedDynamoDbBackup: args.advancedDynamoDbBackup,
                region,
                tags,
            },
            parent,
        );
        // Only when the policy's `memberArgs` say where its copies go; unset, nothing is known. An
        // `airGapped` destination says the policy copies there.
        const advisory =
            member.copiesOutsideAccount === undefined
                ? undefined
                : isolationAdvisory(`ProtectionBaseline "${name}"`, {
                      tier: "production",
                      airGapped: args.airGapped,
                      rules: [],
                      vaultLockMode: args.vaultLock?.mode,
                      copiesOutsideAccount: member.copiesOutsideAccount,
                  });
        if (advisory) void pulumi.log.warn(advisory, parent);
        return {
            selectedTags,
            selectedTableArns: undefined,
            plan: undefined,
            memberVault: created.vault,
            memberRole: created.role,
            planArn: pulumi.output("organization-backup-policy"),
            vaultName: created.vaultName,
            roleArn: created.roleArn,
        };
    } else {
        const selectedTags = "tags" in selection ? { ...selection.tags } : undefined;
        const selectedTableArns = "tags" in selection ? undefined : [...selection.tableArns];
        const backups = new TableBackupPlan(
            `${name}-backup`,
            {
                ...planOptionsOf(args),
                tier: "production",
                schedule: args.schedule ?? DEFAULT_BACKUP_PRESET,
                kmsKeyArn,
                selectTags: selectedTags,
                tables: selectedTableArns ? [...selectedTableArns] : undefined,
                region,
                tags: args.tags,
            },
            { parent },
        );
        return {
            selectedTags,
            selectedTableArns,
            plan: backups,
            memberVault: undefined,
            memberRole: undefined,
            planArn: backups.planArn,
            vaultName: backups.vaultName,
            roleArn: backups.roleArn,
        };
    }
}

/** The fleet's alarms: one rule set, to one topic (created here unless `alerts.topicArn` is given). */
export function fleetAlarms(
    name: string,
    args: ProtectionBaselineArgs,
    context: {
        region?: string;
        tags: Record<string, string>;
        childOpts: ChildOpts;
        eventRules: aws.cloudwatch.EventRule[];
    },
) {
    const { region, tags, childOpts, eventRules } = context;
    if (args.alerts !== false) {
        let topic: aws.sns.Topic | undefined;
        const alerts = args.alerts ?? {};
        const scope = alerts.scope ?? "account";
        if (alerts.topicArn === undefined) {
            topic = new aws.sns.Topic(`${name}-alerts`, { region, tags }, childOpts);
        }
        const topicArn = pulumi.output(alerts.topicArn ?? topic!.arn);
        const rules: Array<[string, object, typeof DRIFT_ALERT | typeof BACKUP_JOB_ALERT, string]> = [
            [
                "safety-net-changed",
                fleetDriftPattern(scope),
                DRIFT_ALERT,
                "a table's PITR or deletion protection turned off, or a table or backup deleted",
            ],
        ];
        if (alerts.backupJobAlerts !== false) {
            rules.push([
                "backup-job-failed",
                fleetBackupJobFailedPattern(scope),
                BACKUP_JOB_ALERT,
                "an AWS Backup job of a table failed, aborted or expired",
            ]);
        }
        for (const [role, pattern, alert, what] of rules) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${role}`,
                {
                    description: `DynamoDB fleet (${describeScope(scope)}): ${what}.`,
                    eventPattern: JSON.stringify(pattern),
                    region,
                    tags,
                },
                childOpts,
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${role}`,
                { rule: rule.name, arn: topicArn, inputTransformer: alert, region },
                childOpts,
            );
            eventRules.push(rule);
        }
        if (topic !== undefined) {
            // Only the baseline's rules may publish.
            new aws.sns.TopicPolicy(
                `${name}-alerts`,
                {
                    arn: topic.arn,
                    policy: alarmTopicPolicy(
                        "AllowBaselineAlarmRules",
                        topic.arn,
                        eventRules.map((r) => r.arn),
                    ),
                    region,
                },
                childOpts,
            );
        }
        return { scope, topic, topicArn };
    }
    return undefined;
}

/** The AWS Config managed rules, once in the baseline's Region and once in each replica Region. */
export function fleetConfigRules(
    name: string,
    args: ProtectionBaselineArgs,
    context: {
        region?: string;
        tags: Record<string, string>;
        childOpts: ChildOpts;
        replicaRegions: readonly string[];
        selectedTags?: Readonly<Record<string, string>>;
    },
): aws.cfg.Rule[] {
    const { region, tags, childOpts, replicaRegions, selectedTags } = context;
    const rules: aws.cfg.Rule[] = [];
    if (args.configRules !== false) {
        const scope = typeof args.configRules === "object" ? args.configRules : {};
        const tagKey = scope.tagKey ?? TIER_TAG_KEY;
        const tagValue = scope.tagValue ?? selectedTags?.[tagKey] ?? "production";
        for (const ruleRegion of [undefined, ...replicaRegions]) {
            for (const [ruleName, identifier] of Object.entries(DYNAMODB_CONFIG_RULES)) {
                const suffix = ruleRegion === undefined ? ruleName : `${ruleName}-${ruleRegion}`;
                rules.push(
                    new aws.cfg.Rule(
                        `${name}-${suffix}`,
                        {
                            description: `AWS managed rule ${ruleName}, on DynamoDB tables tagged ${tagKey}=${tagValue}.`,
                            source: { owner: "AWS", sourceIdentifier: identifier },
                            scope: { tagKey, tagValue },
                            region: ruleRegion ?? region,
                            tags,
                        },
                        childOpts,
                    ),
                );
            }
        }
    }
    return rules;
}

export function describeScope(scope: AlertScope): string {
    if (scope === "account") return "every table of the account and Region";
    if ("tableNamePrefix" in scope) return `tables named ${scope.tableNamePrefix}*`;
    return `${scope.tableNames.length} listed tables`;
}
