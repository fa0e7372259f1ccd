/**
 * `TableBackupPlan` as the Pulumi package presents it to other languages: the same arguments, in
 * types the package schema inference supports (see ./resilientTable.ts for which, and why).
 */
import * as pulumi from "@pulumi/pulumi";
import * as components from "..";
import type { BackupRuleArgs, BackupSchedule } from "../backup/presets";
import type { RestoreTestingArgs } from "../backup/types";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";

/** Vault Lock: makes recovery points immutable within a retention range. */
export interface VaultLock {
    /**
     * `governance` (users with the right IAM permissions can remove the lock) or `compliance` (after
     * `changeableForDays` nobody can remove the lock or delete a recovery point early; this cannot be undone).
     */
    readonly mode: string;
    /** Shortest retention a recovery point may have; jobs asking for less fail. 1 to 36,500 days. */
    readonly minRetentionDays?: number;
    /** Longest retention a recovery point may have; jobs asking for more fail. Up to 36,500 days. */
    readonly maxRetentionDays?: number;
    /** Compliance mode only, and required there: the grace period in days (at least 3) before the lock is permanent. */
    readonly changeableForDays?: number;
}

/** SNS notifications of the vault's jobs. */
export interface BackupNotifications {
    /** The topic to notify. Defaults to a topic the component creates, with a policy that lets AWS Backup publish. */
    readonly topicArn?: pulumi.Input<string>;
    /**
     * Vault events to send. Defaults to `BACKUP_JOB_COMPLETED`, `RESTORE_JOB_COMPLETED`,
     * `COPY_JOB_FAILED` and `RECOVERY_POINT_MODIFIED`.
     */
    readonly events?: string[];
}

/** Arguments of a {@link TableBackupPlan} in the Pulumi package. */
export interface TableBackupPlanArgs {
    /**
     * The tier of the data the plan protects: `production`, `staging` or `development`. Defaults to
     * `production`, which makes the vault and its key `protect`ed and `retainOnDelete`.
     */
    readonly tier?: string;
    /**
     * A schedule preset: `daily`, `weekly`, `monthly-1-year`, `monthly-5-year`, `monthly-7-year`,
     * `daily-monthly-1-year`, `daily-weekly-monthly-5-year` or `daily-weekly-monthly-7-year`. Defaults
     * to `daily-monthly-1-year` (daily recovery points kept 35 days, monthly ones kept a year) when no
     * `rules` are given.
     */
    readonly schedule?: string;
    /** Custom rules, in addition to `schedule` when both are given. Defaults to none. */
    readonly rules?: BackupRuleArgs[];
    /** KMS key that encrypts the vault. Defaults to a customer-managed key the component creates with rotation. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Vault name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly vaultName?: string;
    /** Plan name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly planName?: string;
    /** Role AWS Backup assumes to back up and restore. Defaults to a role the component creates. */
    readonly roleArn?: pulumi.Input<string>;
    /** ARNs of tables to select. Defaults to none. */
    readonly tables?: pulumi.Input<string>[];
    /**
     * Selects every DynamoDB table in the account and Region that carries all these tags, e.g.
     * `{ environment: production }`, including tables created later. Defaults to no tag selection.
     */
    readonly selectTags?: Record<string, string>;
    /**
     * AWS Backup's advanced DynamoDB backup features: `enable` turns them on for the account and
     * Region, `already-enabled` states that they are on. Defaults to neither: rules that need them are refused.
     */
    readonly advancedDynamoDbBackup?: string;
    /** Vault Lock. Defaults to no lock. */
    readonly vaultLock?: VaultLock;
    /** SNS notifications of the vault's jobs. Defaults to none. */
    readonly notifications?: BackupNotifications;
    /**
     * Restore testing: AWS Backup restores the latest recovery point on a schedule, then deletes the
     * copy. Give `{}` for the defaults. Defaults to off: each test creates a billed table.
     */
    readonly restoreTesting?: RestoreTestingArgs;
    /** Region of the vault, plan and selections. Defaults to the provider's Region. */
    readonly region?: string;
    /** Tags for the vault, key, plan and topic. The component adds `environment: <tier>`. Defaults to that tag alone. */
    readonly tags?: Record<string, string>;
}

/** The TypeScript component's arguments, from the package's. */
export function toBackupPlanArgs(args: TableBackupPlanArgs): components.TableBackupPlanArgs {
    const { schedule, rules, ...rest } = args;
    return {
        ...(rest as Omit<TableBackupPlanArgs, "schedule" | "rules">),
        tier: args.tier as components.TableBackupPlanArgs["tier"],
        advancedDynamoDbBackup:
            args.advancedDynamoDbBackup as components.TableBackupPlanArgs["advancedDynamoDbBackup"],
        vaultLock: args.vaultLock as components.TableBackupPlanArgs["vaultLock"],
        schedule: toSchedule(schedule, rules),
    };
}

/** A preset name and custom rules, as the TypeScript components' `schedule`: the preset, or both in one list. */
export function toSchedule(
    schedule: string | undefined,
    rules: BackupRuleArgs[] | undefined,
): BackupSchedule | undefined {
    type Preset = components.BackupPreset;
    return rules === undefined || rules.length === 0
        ? (schedule as Preset | undefined)
        : [...(schedule === undefined ? [] : [schedule as Preset]), ...rules];
}

/** The TypeScript `TableBackupPlan`, seen by the schema analyzer as a direct `ComponentResource` subclass. */
const TypeScriptTableBackupPlan = components.TableBackupPlan as unknown as new (
    name: string,
    args: components.TableBackupPlanArgs,
    opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/** The TypeScript component's arguments, once no key of the package's is unknown. */
function checked(name: string, args: TableBackupPlanArgs): components.TableBackupPlanArgs {
    const problems = argKeyProblems("TableBackupPlan", args, ARG_SHAPES["package:TableBackupPlan"]);
    if (problems.length > 0) throw new components.BackupPlanArgsError(name, problems);
    return toBackupPlanArgs(args);
}

/**
 * An AWS Backup plan for DynamoDB tables: a vault encrypted with a customer-managed KMS key, a plan
 * with its rules, the IAM role AWS Backup assumes, and selections of tables by ARN or by tag. Share
 * one plan between tables by passing its outputs to each `ResilientTable`'s `sharedBackupPlan`.
 */
export class TableBackupPlan extends TypeScriptTableBackupPlan {
    /** The plan's ARN. */
    declare readonly planArn: pulumi.Output<string>;
    /** The plan's id. */
    declare readonly planId: pulumi.Output<string>;
    /** The vault's name. */
    declare readonly vaultName: pulumi.Output<string>;
    /** The vault's ARN. */
    declare readonly vaultArn: pulumi.Output<string>;
    /** The role AWS Backup assumes for the plan's selections. */
    declare readonly roleArn: pulumi.Output<string>;
    /** The tier the plan was created as. */
    declare readonly tier: string;

    constructor(name: string, args: TableBackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, checked(name, args), opts);
    }
}
