/**
 * `TableBackupPlan` as the Pulumi package presents it to other languages: the same arguments, in
 * types the package schema inference supports (see ./resilientTable.ts for which, and why).
 */
import * as pulumi from "@pulumi/pulumi";
import * as components from "..";
import type { BackupRuleArgs, BackupSchedule } from "../backup/presets";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import type { TableBackupPlanArgs } from "./types/backup";

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
