import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PLAN_NAME_RULES, physicalName } from "../core/names";
import type { BackupPlanReference, TableBackup, TableBackupPlanArgs } from "./types";
import { BackupRuleArgs, BackupSchedule, DEFAULT_BACKUP_PRESET, resolveSchedule } from "./presets";
import {
    backupRole,
    PlanParts,
    regionSettings,
    restoreTesting,
    vaultNotifications,
    vaultWithKey,
} from "./planParts";
import { validateBackupPlanArgs } from "./validatePlanArgs";
import { isolationAdvisory, withAirGappedCopies } from "./airGapped";
import { Tier, TIER_TAG_KEY } from "../core/constants";
import { ArgProblem } from "../core/problems";
import { argKeyProblems } from "../core/argKeys";
import { hideUnset } from "../core/hideUnset";
import { ARG_SHAPES } from "../shapes/argShapes";

/** Every DynamoDB table; narrowed by tag conditions in a tag selection. */
const ALL_DYNAMODB_TABLES = "arn:aws:dynamodb:*:*:table/*";

/**
 * The arguments are invalid: the message lists every problem, one per line, each with the field, the
 * value, what is allowed and the fix. The stack is hidden; `problems` holds them for programs.
 */
export class BackupPlanArgsError extends pulumi.ResourceError {
    constructor(
        readonly componentName: string,
        readonly problems: ArgProblem[],
        resource?: pulumi.Resource,
    ) {
        const count = problems.length === 1 ? "an invalid argument" : `${problems.length} invalid arguments`;
        super(
            `TableBackupPlan "${componentName}" has ${count}:\n${problems.map((p) => `  - ${p.reason}`).join("\n")}`,
            resource,
            true,
        );
        this.name = "BackupPlanArgsError";
    }
}

/**
 * An AWS Backup plan for DynamoDB tables: a vault encrypted with a customer-managed KMS key, a plan
 * with its rules, the IAM role AWS Backup assumes, and selections of tables by ARN or by tag. One plan
 * can protect many tables: share it, and each consumer adds a selection with {@link selectTables}, or
 * select by tag once.
 *
 * ```ts
 * const backups = new TableBackupPlan("platform", {
 *     schedule: "daily-weekly-monthly-7-year",
 *     selectTags: { environment: "production" },
 * });
 * ```
 */
export class TableBackupPlan extends pulumi.ComponentResource implements BackupPlanReference {
    readonly plan: aws.backup.Plan;
    readonly vault: aws.backup.Vault;
    /** The KMS key the component created for the vault, when it created one. */
    readonly kmsKey?: aws.kms.Key;
    /** The role the component created, when no `roleArn` was given. */
    readonly role?: aws.iam.Role;
    /** The topic the component created for notifications, when it created one. */
    readonly topic?: aws.sns.Topic;
    readonly restoreTestingPlan?: aws.backup.RestoreTestingPlan;
    /** Selections made so far, by ARN and by tag. */
    readonly selections: aws.backup.Selection[] = [];

    readonly planArn: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;
    readonly vaultName: pulumi.Output<string>;
    readonly vaultArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    /** The tags the plan selects tables by (from `selectTags`). */
    readonly selectedTags?: Readonly<Record<string, string>>;
    /** The rules the plan was created with, presets expanded. */
    readonly rules: readonly BackupRuleArgs[];
    readonly tier: Tier;

    /** The Region given in the arguments; undefined for the provider's Region. */
    readonly region?: string;

    constructor(name: string, args: TableBackupPlanArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("dynamodb-pitr:index:TableBackupPlan", name, {}, opts);

        // 1. Validate everything that is known, before any child exists.
        const problems = [
            ...argKeyProblems("TableBackupPlan", args, ARG_SHAPES.TableBackupPlan),
            ...validateBackupPlanArgs(args),
        ];
        if (problems.length > 0) throw new BackupPlanArgsError(name, problems, this);

        const tier: Tier = args.tier ?? "production";
        const production = tier === "production";
        const region = args.region;
        const tags = { ...args.tags, [TIER_TAG_KEY]: tier };
        const childOpts = { parent: this };
        // What holds the recovery points is kept like the production table itself: no deployment can
        // delete or replace it, and it stays in AWS if it leaves the stack.
        const keepOpts = { ...childOpts, protect: production, retainOnDelete: production };
        const baseName = [pulumi.getProject(), pulumi.getStack(), name];
        this.tier = tier;
        this.region = region;
        const parts: PlanParts = { region, tags, childOpts, keepOpts, baseName, tier };

        // 2. Account settings: advanced DynamoDB backup, when asked for.
        const settings = regionSettings(name, args, parts);

        // 3. The vault and its key.
        const { kmsKey, vault } = vaultWithKey(name, args, parts);
        this.kmsKey = kmsKey;
        this.vault = vault;

        // 4. The role AWS Backup assumes.
        this.role = backupRole(name, args, parts);
        this.roleArn = pulumi.output(args.roleArn ?? this.role!.arn);

        // 5. The plan.
        const advanced = args.advancedDynamoDbBackup !== undefined;
        this.rules = withAirGappedCopies(
            resolveSchedule(args.schedule ?? DEFAULT_BACKUP_PRESET, advanced),
            args.airGapped,
        );
        const advisory = isolationAdvisory(`TableBackupPlan "${name}"`, {
            tier,
            airGapped: args.airGapped,
            rules: this.rules,
            vaultLockMode: args.vaultLock?.mode,
        });
        if (advisory) void pulumi.log.warn(advisory, this);
        this.plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: args.planName ?? physicalName(baseName, PLAN_NAME_RULES),
                rules: planRules(this.rules, this.vault.name),
                region,
                tags,
            },
            // Cold storage and copies only work once the Region settings are in place.
            { ...childOpts, dependsOn: settings ? [settings] : [] },
        );
        this.planArn = this.plan.arn;
        this.planId = this.plan.id;
        this.vaultName = this.vault.name;
        this.vaultArn = this.vault.arn;

        // 6. Selections.
        if (args.tables && args.tables.length > 0) this.selectTables(`${name}-tables`, args.tables);
        if (args.selectTags) {
            this.selectedTags = { ...args.selectTags };
            this.selections.push(
                new aws.backup.Selection(
                    `${name}-tagged`,
                    {
                        name: physicalName([...baseName, "tagged"], PLAN_NAME_RULES),
                        planId: this.plan.id,
                        iamRoleArn: this.roleArn,
                        ...tablesTagged(args.selectTags),
                        region,
                    },
                    { ...childOpts, deleteBeforeReplace: true },
                ),
            );
        }

        // 7. Notifications.
        this.topic = vaultNotifications(name, args, this.vault, parts);

        // 8. Restore testing: restore the latest recovery point of every table in this vault.
        this.restoreTestingPlan = restoreTesting(name, args, this.vault, this.roleArn, parts);

        this.registerOutputs({
            planArn: this.planArn,
            planId: this.planId,
            vaultName: this.vaultName,
            vaultArn: this.vaultArn,
            roleArn: this.roleArn,
        });
        hideUnset(this);
    }

    /**
     * Adds tables to the plan with a selection of their own, named `name`: each consumer of a shared
     * plan adds its own, so removing one consumer never touches the others'. Returns the selection.
     */
    selectTables(
        name: string,
        tableArns: pulumi.Input<string>[],
        opts: pulumi.CustomResourceOptions = {},
    ): aws.backup.Selection {
        const selection = selectTables(this, name, tableArns, { parent: this, ...opts }, this.region);
        this.selections.push(selection);
        return selection;
    }
}

/**
 * Adds a selection of `tableArns` to a plan, which may be a {@link TableBackupPlan} or a reference to
 * one in another stack. The selection's physical name includes the project and stack, so many stacks
 * can join one plan.
 */
export function selectTables(
    plan: BackupPlanReference,
    name: string,
    tableArns: pulumi.Input<string>[],
    opts: pulumi.CustomResourceOptions = {},
    region?: string,
): aws.backup.Selection {
    return new aws.backup.Selection(
        name,
        {
            name: physicalName([pulumi.getProject(), pulumi.getStack(), name], PLAN_NAME_RULES),
            planId: plan.planId,
            iamRoleArn: plan.roleArn,
            resources: tableArns,
            region,
        },
        // Selections cannot be updated in place; with a fixed name, the old one goes first.
        { deleteBeforeReplace: true, ...opts },
    );
}

/**
 * A selection's `resources` and `conditions` that pick DynamoDB tables carrying every one of `tags`:
 * tables only (not every resource with the tag), and only those with all the tags.
 */
export function tablesTagged(tags: Readonly<Record<string, string>>) {
    return {
        resources: [ALL_DYNAMODB_TABLES],
        conditions: [
            {
                stringEquals: Object.entries(tags).map(([key, value]) => ({
                    key: `aws:ResourceTag/${key}`,
                    value,
                })),
            },
        ],
    };
}

/** A plan's rules as `aws.backup.Plan` takes them, each storing into `targetVaultName`. */
export function planRules(rules: readonly BackupRuleArgs[], targetVaultName: pulumi.Input<string>) {
    return rules.map((rule) => ({
        ruleName: rule.name,
        targetVaultName,
        schedule: rule.schedule,
        scheduleExpressionTimezone: rule.scheduleTimezone,
        startWindow: rule.startWindowMinutes,
        completionWindow: rule.completionWindowMinutes,
        lifecycle: lifecycleOf(rule.lifecycle),
        recoveryPointTags: rule.recoveryPointTags,
        copyActions: rule.copyActions?.map((copy) => ({
            destinationVaultArn: copy.destinationVaultArn,
            lifecycle: lifecycleOf(copy.lifecycle),
        })),
    }));
}

function lifecycleOf(lifecycle: BackupRuleArgs["lifecycle"]) {
    if (
        !lifecycle ||
        (lifecycle.deleteAfterDays === undefined && lifecycle.moveToColdStorageAfterDays === undefined)
    ) {
        return undefined;
    }
    return { coldStorageAfter: lifecycle.moveToColdStorageAfterDays, deleteAfter: lifecycle.deleteAfterDays };
}

/** What protects a table, as {@link attachTableBackup} reports it. */
export interface TableBackupAttachment {
    /** The plan the table created for itself, when it did. */
    readonly plan?: TableBackupPlan;
    /** The selection that adds the table to a plan (none when a tag selection already covers it). */
    readonly selection?: aws.backup.Selection;
    readonly planArn: pulumi.Output<string | undefined>;
    readonly vaultName: pulumi.Output<string | undefined>;
    /** True when nothing backs the table up on a schedule (`backup: false`, or a non-production default). */
    readonly none?: boolean;
}

/**
 * Puts a table under backup, as its `backup` argument says (already validated). Production tables
 * without one get their own plan with {@link DEFAULT_BACKUP_PRESET}; other tiers get none.
 */
export function attachTableBackup(
    name: string,
    parent: pulumi.Resource,
    table: {
        arn: pulumi.Input<string>;
        tags: Record<string, string>;
        tier: Tier;
        region?: string;
        /** The table's customer-managed key, if any: its own plan's vault uses it too. */
        kmsKeyArn?: pulumi.Input<string>;
    },
    backup: TableBackup | undefined,
): TableBackupAttachment {
    const none = { planArn: pulumi.output(undefined), vaultName: pulumi.output(undefined), none: true };
    if (backup === false || backup === "none") return none;
    if (backup === undefined && table.tier !== "production") return none;

    if (typeof backup === "object" && !Array.isArray(backup) && "plan" in backup) {
        const plan = backup.plan;
        const coveredByTags =
            plan.selectedTags !== undefined &&
            Object.entries(plan.selectedTags).every(([key, value]) => table.tags[key] === value);
        const selection = coveredByTags
            ? undefined
            : selectTables(plan, `${name}-backup`, [table.arn], { parent }, table.region);
        return {
            selection,
            planArn: pulumi.output(plan.planArn),
            vaultName: pulumi.output(plan.vaultName),
        };
    }

    const options: Omit<TableBackupPlanArgs, "tier" | "tables" | "selectTags" | "region"> =
        backup === undefined || typeof backup === "string" || Array.isArray(backup)
            ? { schedule: (backup as BackupSchedule | undefined) ?? DEFAULT_BACKUP_PRESET }
            : (backup as Omit<TableBackupPlanArgs, "tier" | "tables" | "selectTags" | "region">);
    const plan = new TableBackupPlan(
        `${name}-backup`,
        {
            tags: table.tags,
            // One key for the table and its recovery points: without advanced DynamoDB backup, AWS
            // Backup encrypts DynamoDB backups with the table's key anyway (AWS Backup Developer Guide,
            // "Encryption for backups in AWS Backup"). A separate key is one `kmsKeyArn` away.
            kmsKeyArn: table.kmsKeyArn,
            ...options,
            tier: table.tier,
            tables: [table.arn],
            region: table.region,
        },
        { parent },
    );
    return { plan, selection: plan.selections[0], planArn: plan.planArn, vaultName: plan.vaultName };
}
