/**
 * The resources a {@link TableBackupPlan} creates around its plan: the Region settings, the vault
 * and its key (and lock), the role AWS Backup assumes, notifications and restore testing. Created
 * in that order, as children of the plan.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Tier } from "../core/constants";
import { physicalName, RESTORE_TESTING_NAME_RULES, VAULT_NAME_RULES } from "../core/names";
import { DEFAULT_VAULT_EVENTS } from "./limits";
import type { BackupVaultLockArgs, RestoreTestingArgs, TableBackupPlanArgs } from "./types";

/**
 * The managed policies AWS Backup's service role needs: one to take backups, one to restore them
 * (AWS Backup Developer Guide, "Default service role for AWS Backup"). Restore testing restores too.
 */
export const BACKUP_SERVICE_POLICY_ARN =
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup";
export const RESTORE_SERVICE_POLICY_ARN =
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores";

/** What every part of a plan shares: its Region, tags, options and the base of its physical names. */
export interface PlanParts {
    readonly region?: string;
    readonly tags: Record<string, string>;
    readonly childOpts: pulumi.CustomResourceOptions;
    /** For what holds the recovery points: protected and retained in production. */
    readonly keepOpts: pulumi.CustomResourceOptions;
    readonly baseName: string[];
    readonly tier: Tier;
}

/** Advanced DynamoDB backup for the account and Region, when `advancedDynamoDbBackup` is `enable`. */
export function regionSettings(name: string, args: TableBackupPlanArgs, parts: PlanParts) {
    const { region, childOpts } = parts;
    return args.advancedDynamoDbBackup === "enable"
        ? new aws.backup.RegionSettings(
              `${name}-region-settings`,
              {
                  region,
                  // Opt in to DynamoDB, and let AWS Backup manage DynamoDB backups fully
                  // (advanced features). Other services' settings are left to their owners.
                  resourceTypeOptInPreference: { DynamoDB: true },
                  resourceTypeManagementPreference: { DynamoDB: true },
              },
              // An account-wide setting other plans rely on: never turned off by a destroy.
              { ...childOpts, retainOnDelete: true },
          )
        : undefined;
}

/** The vault, with the key the component creates for it when none is given, and its lock. */
export function vaultWithKey(name: string, args: TableBackupPlanArgs, parts: PlanParts) {
    const { region, tags, keepOpts, baseName, tier } = parts;
    let kmsKey: aws.kms.Key | undefined;
    if (args.kmsKeyArn === undefined) {
        kmsKey = new aws.kms.Key(
            `${name}-vault-key`,
            {
                description: `Encrypts AWS Backup vault ${name} (${tier})`,
                enableKeyRotation: true,
                // The longest waiting period: a key scheduled for deletion by mistake can be
                // recovered for 30 days, and with it every backup in the vault.
                deletionWindowInDays: 30,
                region,
                tags,
            },
            keepOpts,
        );
    }
    const vault = new aws.backup.Vault(
        `${name}-vault`,
        {
            name: args.vaultName ?? physicalName(baseName, VAULT_NAME_RULES),
            kmsKeyArn: args.kmsKeyArn ?? kmsKey!.arn,
            // Never delete recovery points to delete a vault.
            forceDestroy: false,
            region,
            tags,
        },
        keepOpts,
    );
    if (args.vaultLock) {
        lockVault(name, vault, args.vaultLock, region, keepOpts);
    }
    return { kmsKey, vault };
}

/** The vault's lock (`<name>-vault-lock`): governance mode, or compliance mode with its grace period. */
export function lockVault(
    name: string,
    vault: aws.backup.Vault,
    lock: BackupVaultLockArgs,
    region: string | undefined,
    keepOpts: pulumi.CustomResourceOptions,
): aws.backup.VaultLockConfiguration {
    return new aws.backup.VaultLockConfiguration(
        `${name}-vault-lock`,
        {
            backupVaultName: vault.name,
            minRetentionDays: lock.minRetentionDays,
            maxRetentionDays: lock.maxRetentionDays,
            // The grace period is what makes a lock compliance mode (PutBackupVaultLockConfiguration).
            changeableForDays: lock.mode === "compliance" ? lock.changeableForDays : undefined,
            region,
        },
        keepOpts,
    );
}

/** The role AWS Backup assumes, with its managed policies, when no `roleArn` is given. */
export function backupRole(
    name: string,
    args: TableBackupPlanArgs,
    parts: PlanParts,
): aws.iam.Role | undefined {
    const { tags, childOpts } = parts;
    if (args.roleArn === undefined) {
        return backupServiceRole(
            name,
            { description: `Lets AWS Backup back up and restore the DynamoDB tables of plan ${name}`, tags },
            childOpts,
        );
    }
    return undefined;
}

/**
 * An IAM role AWS Backup can assume (`<name>-role`), with AWS Backup's managed policies for backup
 * and restore attached (`<name>-backup-policy`, `<name>-restore-policy`).
 */
export function backupServiceRole(
    name: string,
    role: { name?: string; description: string; tags: Record<string, string> },
    childOpts: pulumi.CustomResourceOptions,
): aws.iam.Role {
    const serviceRole = new aws.iam.Role(
        `${name}-role`,
        {
            ...(role.name !== undefined ? { name: role.name } : {}),
            description: role.description,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "backup.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
            tags: role.tags,
        },
        childOpts,
    );
    for (const [suffix, policyArn] of [
        ["backup", BACKUP_SERVICE_POLICY_ARN],
        ["restore", RESTORE_SERVICE_POLICY_ARN],
    ]) {
        new aws.iam.RolePolicyAttachment(
            `${name}-${suffix}-policy`,
            { role: serviceRole.name, policyArn },
            childOpts,
        );
    }
    return serviceRole;
}

/** The vault's notifications, to a topic the component creates (with its policy) when none is given. */
export function vaultNotifications(
    name: string,
    args: Pick<TableBackupPlanArgs, "notifications">,
    vault: { readonly name: pulumi.Input<string> },
    parts: Pick<PlanParts, "region" | "tags" | "childOpts">,
): aws.sns.Topic | undefined {
    const { region, tags, childOpts } = parts;
    let topic: aws.sns.Topic | undefined;
    if (args.notifications) {
        let topicArn = args.notifications.topicArn;
        if (topicArn === undefined) {
            topic = new aws.sns.Topic(`${name}-notifications`, { region, tags }, childOpts);
            new aws.sns.TopicPolicy(
                `${name}-notifications`,
                {
                    arn: topic.arn,
                    policy: topic.arn.apply((arn) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Sid: "AwsBackupPublishes",
                                    Effect: "Allow",
                                    Principal: { Service: "backup.amazonaws.com" },
                                    Action: "SNS:Publish",
                                    Resource: arn,
                                },
                            ],
                        }),
                    ),
                    region,
                },
                childOpts,
            );
            topicArn = topic.arn;
        }
        new aws.backup.VaultNotifications(
            `${name}-notifications`,
            {
                backupVaultName: vault.name,
                snsTopicArn: topicArn,
                backupVaultEvents: [...(args.notifications.events ?? DEFAULT_VAULT_EVENTS)],
                region,
            },
            childOpts,
        );
    }
    return topic;
}

/** Restore testing of the latest recovery point of every table in the vault, when asked for. */
export function restoreTesting(
    name: string,
    args: TableBackupPlanArgs,
    vault: aws.backup.Vault,
    roleArn: pulumi.Output<string>,
    parts: PlanParts,
): aws.backup.RestoreTestingPlan | undefined {
    const { region, tags, childOpts, baseName } = parts;
    if (args.restoreTesting) {
        const testing: RestoreTestingArgs = args.restoreTesting === true ? {} : args.restoreTesting;
        const plan = new aws.backup.RestoreTestingPlan(
            `${name}-restore-testing`,
            {
                name: physicalName(baseName, RESTORE_TESTING_NAME_RULES),
                scheduleExpression: testing.schedule ?? "cron(0 8 ? * MON *)",
                scheduleExpressionTimezone: testing.scheduleTimezone,
                startWindowHours: testing.startWindowHours ?? 24,
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [vault.arn],
                    recoveryPointTypes: ["SNAPSHOT"],
                    selectionWindowDays: testing.selectionWindowDays ?? 7,
                },
                region,
                tags,
            },
            childOpts,
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-restore-testing`,
            {
                name: physicalName([...baseName, "tables"], RESTORE_TESTING_NAME_RULES),
                restoreTestingPlanName: plan.name,
                protectedResourceType: "DynamoDB",
                // Every DynamoDB table with a recovery point in this vault (the plan's vault filter).
                protectedResourceArns: ["*"],
                iamRoleArn: roleArn,
                validationWindowHours: testing.validationWindowHours ?? 24,
                region,
            },
            childOpts,
        );
        return plan;
    }
    return undefined;
}
