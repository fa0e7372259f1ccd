import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { hideUnset } from "../core/hideUnset";
import { PITR_DEFAULT_DAYS, REPLICA_STREAM_VIEW_TYPE, Tier, TIER_TAG_KEY } from "../core/constants";
import { ResilientTableArgs } from "./types";
import { ArgProblem, formatProblems, isKnown, show } from "../core/problems";
import { checkTableName, validateTableArgs } from "./validateTableArgs";
import { checkRecoveryPeriod } from "../core/recoveryPeriod";
import { OnDemandBackup } from "../backup/onDemandBackup";
import { attachTableBackup, TableBackupPlan } from "../backup/backupPlan";
import { validateTableBackup } from "../backup/tableBackup";
import {
    checkRestoreBackupArn,
    checkRestoreDateTime,
    checkRestoreSource,
    restoreClock,
    validateRestore,
} from "../restore/restoreWindow";
import { adoptionOptions, validateAdoption } from "./adoption";
import { TableMonitoring, validateMonitoring } from "../monitoring/tableMonitoring";
import { joinedTags, validateJoin } from "./baselineJoin";
import { ProtectionBaselineReference } from "../baseline/reference";
import { providerOf } from "../core/providers";
import { physicalName, VAULT_NAME_RULES } from "../core/names";

export * from "./types";

/**
 * The arguments of a component are invalid. The message lists every problem, one per line, each
 * naming the field, the value, what is allowed and the fix; `problems` holds them for programs.
 * The stack is hidden: the message is what a user needs.
 */
export class TableArgsError extends pulumi.ResourceError {
    constructor(
        readonly componentName: string,
        readonly problems: ArgProblem[],
        resource?: pulumi.Resource,
        typeName = "ResilientTable",
    ) {
        super(formatProblems(typeName, componentName, problems), resource, true);
        this.name = "TableArgsError";
    }
}

export { formatProblems } from "../core/problems";

/**
 * A DynamoDB table that cannot silently lose data: point-in-time recovery always on (35 days by
 * default), and for production (the default tier) deletion protection, Pulumi `protect` and
 * `retainOnDelete`, customer-managed KMS encryption with rotation, and the `environment: production`
 * tag the policy pack reads. The arguments follow `aws.dynamodb.Table`, so a bare table moves over
 * by changing its constructor.
 *
 * ```ts
 * const orders = new ResilientTable("orders", {
 *     hashKey: "orderId",
 *     attributes: [{ name: "orderId", type: "S" }, { name: "customerId", type: "S" }],
 *     globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId" }],
 * });
 * ```
 */
export class ResilientTable extends pulumi.ComponentResource {
    /** The DynamoDB table. */
    readonly table: aws.dynamodb.Table;
    /** The table's physical name. */
    readonly name: pulumi.Output<string>;
    /** The table's ARN. */
    readonly arn: pulumi.Output<string>;
    /** The stream's ARN, when streams are on (empty otherwise). */
    readonly streamArn: pulumi.Output<string>;
    /** The ARN of the KMS key that encrypts the table; undefined with `encryption: "aws-owned"`. */
    readonly kmsKeyArn: pulumi.Output<string | undefined>;
    /** The KMS key the component created, when it created one. */
    readonly kmsKey?: aws.kms.Key;
    /** The environment tier the table was created as. */
    readonly tier: Tier;
    /** The PITR window, in days; 0 when PITR was turned off (non-production only). */
    readonly recoveryPeriodInDays: pulumi.Output<number>;
    /** The on-demand backup taken when `backupBeforeChange.trigger` changes; make risky steps depend on it. */
    readonly backupBeforeChange?: OnDemandBackup;
    /** The AWS Backup plan the table created for itself, when it did (see `backup`). */
    readonly backupPlan?: TableBackupPlan;
    /** ARN of the AWS Backup plan that protects the table; undefined when it has none. */
    readonly backupPlanArn: pulumi.Output<string | undefined>;
    /** Name of the vault that holds the table's recovery points; undefined when it has no plan. */
    readonly backupVaultName: pulumi.Output<string | undefined>;
    /** The drift alarms on the table, when `monitoring` is on (production by default) and it has no baseline. */
    readonly monitoring?: TableMonitoring;
    /** The protection baseline the table joined, when it joined one. */
    readonly baseline?: ProtectionBaselineReference;
    /** The table's former backup vault, kept with its recovery points (`keepOwnKeyAndVault`). */
    readonly keptBackupVault?: aws.backup.Vault;

    constructor(name: string, args: ResilientTableArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("dynamodb-pitr:index:ResilientTable", name, {}, opts);

        // 1. Validate everything that is known, before any child exists.
        const providerRegion = opts.provider || opts.providers ? undefined : aws.config.region;
        const now = restoreClock.now();
        const tableProvider = opts.provider ?? providerOf(opts.providers);
        const problems = [
            ...validateJoin(args, {
                tier: args.tier ?? "production",
                providerRegion,
                provider: tableProvider,
            }),
            ...checkKeepOwnKeyAndVault(args),
            ...validateTableArgs(args, { providerRegion }),
            ...validateRestore(args.restore, { now, targetName: args.name }),
            ...checkBackupBeforeChange(args.backupBeforeChange),
            ...validateTableBackup(args.backup, { tableRegion: args.region, providerRegion }),
            ...validateAdoption(args),
            ...validateMonitoring(args),
        ];
        if (problems.length > 0) throw new TableArgsError(name, problems, this);

        const tier: Tier = args.tier ?? "production";
        const production = tier === "production";
        const pitrEnabled = !args.dangerouslyDisablePointInTimeRecovery;
        const childOpts = { parent: this };
        // A table in a baseline registers only itself: key, plan and alarms are the baseline's.
        const baseline = args.baseline;
        const keepOwn = baseline !== undefined && args.keepOwnKeyAndVault === true;
        const ownSchedule =
            baseline !== undefined && (typeof args.backup === "string" || Array.isArray(args.backup))
                ? baseline.scheduleTags!(
                      args.backup as Parameters<NonNullable<typeof baseline.scheduleTags>>[0],
                  )
                : {};
        const tableTags = baseline
            ? { ...joinedTags(baseline, args.tags, tier), ...ownSchedule }
            : { ...args.tags, [TIER_TAG_KEY]: tier };
        // Values known only later (Outputs) are checked when they resolve; a bad one fails the
        // deployment with the same message before the table is created.
        const checked = <T>(value: pulumi.Input<T> | undefined, check: (v: unknown) => ArgProblem[]) =>
            value === undefined
                ? undefined
                : pulumi.output(value).apply((v) => {
                      const found = check(v);
                      if (found.length > 0) throw new TableArgsError(name, found, this);
                      return v;
                  });

        // 2. Encryption: a customer-managed key for production (one the user passes, or one created
        //    here with rotation), and the same policy for every replica Region.
        const customerManaged =
            args.kmsKeyArn !== undefined ||
            (args.encryption ?? (production ? "customer-managed" : "aws-owned")) === "customer-managed";
        const keyOpts = { ...childOpts, protect: production, retainOnDelete: production };
        const keyTags = { ...args.tags, [TIER_TAG_KEY]: tier };
        if (customerManaged && args.kmsKeyArn === undefined && (baseline === undefined || keepOwn)) {
            this.kmsKey = new aws.kms.Key(
                `${name}-key`,
                {
                    description: `Encrypts DynamoDB table ${name} (${tier})`,
                    enableKeyRotation: true,
                    // The longest waiting period: a key scheduled for deletion by mistake can be
                    // recovered for 30 days, and with it the table's data.
                    deletionWindowInDays: 30,
                    region: args.region,
                    tags: keyTags,
                },
                keyOpts,
            );
        }
        const kmsKeyArn: pulumi.Input<string> | undefined =
            args.kmsKeyArn ?? this.kmsKey?.arn ?? (customerManaged ? baseline?.kmsKeyArn : undefined);
        const replicas = (args.replicas ?? []).map((replica) => ({
            regionName: replica.regionName,
            pointInTimeRecovery: pitrEnabled,
            propagateTags: replica.propagateTags ?? true,
            deletionProtectionEnabled: production || args.deletionProtectionEnabled === true,
            kmsKeyArn: !customerManaged
                ? undefined
                : (replica.kmsKeyArn ??
                  (baseline !== undefined && !keepOwn
                      ? baseline.replicaKmsKeyArns?.[replica.regionName]
                      : undefined) ??
                  new aws.kms.Key(
                      `${name}-key-${replica.regionName}`,
                      {
                          description: `Encrypts the ${replica.regionName} replica of DynamoDB table ${name} (${tier})`,
                          enableKeyRotation: true,
                          deletionWindowInDays: 30,
                          region: replica.regionName,
                          tags: keyTags,
                      },
                      keyOpts,
                  ).arn),
        }));

        // 3. The table.
        const streamViewType =
            args.streamViewType ?? (replicas.length > 0 ? REPLICA_STREAM_VIEW_TYPE : undefined);
        const recoveryPeriodInDays = pitrEnabled
            ? (checked(args.pointInTimeRecovery?.recoveryPeriodInDays, (v) => checkRecoveryPeriod(v)) ??
              PITR_DEFAULT_DAYS)
            : undefined;
        const provisioned = args.billingMode === "PROVISIONED";
        this.table = new aws.dynamodb.Table(
            name,
            {
                ...args.tableArgs,
                // An imported table keeps its physical name.
                name: checked(args.name ?? args.adopt?.importExistingTable, (v) => checkTableName(v)),
                hashKey: args.hashKey,
                rangeKey: args.rangeKey,
                attributes: args.attributes.map((a) => ({ name: a.name, type: a.type })),
                globalSecondaryIndexes: args.globalSecondaryIndexes?.map((index) => ({
                    name: index.name,
                    hashKey: index.hashKey,
                    rangeKey: index.rangeKey,
                    projectionType: index.projectionType ?? "ALL",
                    nonKeyAttributes: index.nonKeyAttributes,
                    readCapacity: index.readCapacity,
                    writeCapacity: index.writeCapacity,
                })),
                localSecondaryIndexes: args.localSecondaryIndexes?.map((index) => ({
                    name: index.name,
                    rangeKey: index.rangeKey,
                    projectionType: index.projectionType ?? "ALL",
                    nonKeyAttributes: index.nonKeyAttributes,
                })),
                billingMode: args.billingMode ?? "PAY_PER_REQUEST",
                readCapacity: provisioned ? args.readCapacity : undefined,
                writeCapacity: provisioned ? args.writeCapacity : undefined,
                tableClass: args.tableClass ?? "STANDARD",
                pointInTimeRecovery: pitrEnabled
                    ? { enabled: true, recoveryPeriodInDays }
                    : { enabled: false },
                deletionProtectionEnabled: production || args.deletionProtectionEnabled === true,
                serverSideEncryption: customerManaged ? { enabled: true, kmsKeyArn } : { enabled: false },
                ttl: args.ttlAttribute ? { attributeName: args.ttlAttribute, enabled: true } : undefined,
                streamEnabled: streamViewType !== undefined,
                streamViewType,
                replicas: replicas.length > 0 ? replicas : undefined,
                region: args.region,
                tags: tableTags,
                // A restore: the new table starts as a copy of the source; the source is only read.
                restoreSourceName: checked(args.restore?.sourceTableName, (v) =>
                    checkRestoreSource(v, "restore.sourceTableName"),
                ),
                restoreSourceTableArn: checked(args.restore?.sourceTableArn, (v) =>
                    checkRestoreSource(v, "restore.sourceTableArn"),
                ),
                restoreDateTime: checked(args.restore?.restoreDateTime, (v) =>
                    checkRestoreDateTime(v, now, args.restore?.sourceRecoveryPeriodInDays),
                ),
                restoreToLatestTime: args.restore?.restoreToLatestTime === true ? true : undefined,
                // A restore from a backup: an on-demand, system or AWS Backup backup of any table.
                restoreBackupArn: checked(args.restore?.restoreBackupArn, checkRestoreBackupArn),
            },
            {
                ...childOpts,
                // A restore is one-shot: once the table exists, its restore inputs are ignored, so
                // changing or removing `restore` can never replace a table that now holds new data.
                // Restoring again means declaring a new table (a new resource name).
                ignoreChanges: [...RESTORE_INPUTS],
                // A production table can be neither deleted nor replaced by a deployment: `protect`
                // makes any change that would delete it fail before it happens, and `retainOnDelete`
                // keeps it in AWS if it ever leaves the stack.
                protect: production && !args.dangerouslyAllowReplacement,
                retainOnDelete: production,
                // Adoption: an alias to the URN the table had before, or the import of a table made
                // outside Pulumi; either way the existing table is updated in place, never replaced.
                ...adoptionOptions(args.adopt),
            },
        );

        if (args.restore !== undefined) warnIfRestoreChanged(name, args.restore, this.table, this);

        // 4. A backup before risky changes, taken after the table exists.
        if (args.backupBeforeChange !== undefined) {
            this.backupBeforeChange = new OnDemandBackup(
                `${name}-backup-before-change`,
                {
                    tableName: this.table.name,
                    trigger: args.backupBeforeChange.trigger,
                    region: args.region ?? providerRegion,
                    deleteBackupOnDestroy: args.backupBeforeChange.deleteBackupOnDestroy === true,
                },
                childOpts,
            );
        }

        // 5. Scheduled backups: the baseline's plan (and the one of the table's own schedule), the
        //    table's own AWS Backup plan, or a selection in a shared one.
        const sharedPlan =
            typeof args.backup === "object" && !Array.isArray(args.backup) && "plan" in args.backup;
        const backup =
            baseline !== undefined && !sharedPlan
                ? { planArn: pulumi.output(baseline.planArn), vaultName: pulumi.output(baseline.vaultName) }
                : attachTableBackup(
                      name,
                      this,
                      { arn: this.table.arn, tags: tableTags, tier, region: args.region, kmsKeyArn },
                      args.backup,
                  );
        this.backupPlan = "plan" in backup ? backup.plan : undefined;
        this.backupPlanArn = backup.planArn;
        this.backupVaultName = backup.vaultName;
        if (keepOwn) this.keptBackupVault = keepBackupVault(name, this, args, tier, kmsKeyArn);
        this.baseline = baseline;

        // 6. Drift alarms: on by default for production, where a console change is a data-loss risk.
        //    A table in a baseline is watched by the baseline's rules.
        const monitoring = baseline !== undefined ? false : (args.monitoring ?? production);
        if (monitoring !== false) {
            const options = monitoring === true ? {} : monitoring;
            const inBackupPlan = !(
                args.backup === false ||
                args.backup === "none" ||
                (args.backup === undefined && !production)
            );
            this.monitoring = new TableMonitoring(
                `${name}-monitoring`,
                {
                    ...options,
                    backupJobAlerts: options.backupJobAlerts ?? inBackupPlan,
                    tableName: this.table.name,
                    tableArn: this.table.arn,
                    region: args.region,
                    tags: tableTags,
                },
                childOpts,
            );
        }

        this.name = this.table.name;
        this.arn = this.table.arn;
        this.streamArn = this.table.streamArn;
        this.kmsKeyArn = pulumi.output(kmsKeyArn);
        this.tier = tier;
        this.recoveryPeriodInDays = pulumi.output(recoveryPeriodInDays ?? 0);
        // The component's recorded state holds what identifies the table; the other outputs are its
        // properties. Every recorded output is serialized for each of a fleet's hundreds of tables on
        // every deployment, so the record stays small.
        this.registerOutputs({ name: this.name, arn: this.arn });
        hideUnset(this, [
            ...(streamViewType === undefined ? ["streamArn"] : []),
            ...(kmsKeyArn === undefined ? ["kmsKeyArn"] : []),
            ...(backup.none ? ["backupPlanArn", "backupVaultName"] : []),
        ]);
    }
}

/**
 * The backup vault a table had of its own before it joined a baseline, declared again as it was
 * (same physical name, key and settings) under the table, with an alias to its former place under
 * the table's `TableBackupPlan`: the vault and its recovery points stay, protected and retained,
 * while the plan, selection and role around it are removed. See docs/fleet.md, "Moving a platform over".
 */
function keepBackupVault(
    name: string,
    parent: pulumi.Resource,
    args: ResilientTableArgs,
    tier: Tier,
    kmsKeyArn: pulumi.Input<string> | undefined,
): aws.backup.Vault {
    const planName = `${name}-backup`;
    const formerPlan = pulumi.createUrn(planName, "dynamodb-pitr:index:TableBackupPlan", parent);
    return new aws.backup.Vault(
        `${planName}-vault`,
        {
            name: physicalName([pulumi.getProject(), pulumi.getStack(), planName], VAULT_NAME_RULES),
            kmsKeyArn,
            forceDestroy: false,
            region: args.region,
            tags: { ...args.tags, [TIER_TAG_KEY]: tier },
        },
        { parent, protect: true, retainOnDelete: true, aliases: [{ parent: formerPlan }] },
    );
}

function checkKeepOwnKeyAndVault(args: ResilientTableArgs): ArgProblem[] {
    const keep: unknown = args.keepOwnKeyAndVault;
    if (keep === undefined || keep === false) return [];
    if (keep !== true) {
        return [
            {
                propertyPath: "keepOwnKeyAndVault",
                reason: `\`keepOwnKeyAndVault\` is ${show(keep)}; it must be true or false. Fix: write the boolean without quotes.`,
            },
        ];
    }
    if (args.baseline === undefined) {
        return [
            {
                propertyPath: "keepOwnKeyAndVault",
                reason:
                    "`keepOwnKeyAndVault` is true, but the table joins no `baseline`; a table without one keeps its key and " +
                    "vault anyway. Fix: remove it, or set `baseline`.",
            },
        ];
    }
    return [];
}

/** The `aws.dynamodb.Table` inputs that make it a restore; ignored after creation. */
export const RESTORE_INPUTS = [
    "restoreSourceName",
    "restoreSourceTableArn",
    "restoreDateTime",
    "restoreToLatestTime",
    "restoreBackupArn",
] as const;

function checkBackupBeforeChange(backup: ResilientTableArgs["backupBeforeChange"]): ArgProblem[] {
    if (backup === undefined) return [];
    if (backup === null || typeof backup !== "object" || Array.isArray(backup)) {
        return [
            {
                propertyPath: "backupBeforeChange",
                reason:
                    `\`backupBeforeChange\` is ${show(backup)}; it must be { trigger, deleteBackupOnDestroy? }. ` +
                    'Fix: pass the trigger inside an object, e.g. `backupBeforeChange: { trigger: "migration-42" }`.',
            },
        ];
    }
    const trigger = backup.trigger;
    if (trigger === undefined || trigger === "") {
        return [
            {
                propertyPath: "backupBeforeChange.trigger",
                reason:
                    "`backupBeforeChange.trigger` is unset; set a value you change before a risky deployment, " +
                    'e.g. a migration version (`trigger: "migration-42"`).',
            },
        ];
    }
    const problems: ArgProblem[] = [];
    if (typeof trigger !== "string" && isKnown(trigger)) {
        problems.push({
            propertyPath: "backupBeforeChange.trigger",
            reason:
                `\`backupBeforeChange.trigger\` is ${show(trigger)}; it must be a string, since it becomes part of ` +
                'the backup\'s name. Fix: quote it, e.g. `trigger: "migration-42"`.',
        });
    }
    const keep: unknown = backup.deleteBackupOnDestroy;
    if (keep !== undefined && typeof keep !== "boolean") {
        problems.push({
            propertyPath: "backupBeforeChange.deleteBackupOnDestroy",
            reason:
                `\`backupBeforeChange.deleteBackupOnDestroy\` is ${show(keep)}; it must be true or false. Fix: write ` +
                "the boolean without quotes, or leave it unset to keep the backups.",
        });
    }
    return problems;
}

/**
 * Warns when the declared restore differs from the one the existing table was created with: the
 * change is ignored (one-shot restore), and the user should know how to restore again.
 */
function warnIfRestoreChanged(
    name: string,
    restore: NonNullable<ResilientTableArgs["restore"]>,
    table: aws.dynamodb.Table,
    resource: pulumi.Resource,
) {
    const normal = (v: unknown) => (v === "" || v === false || v === null ? undefined : v);
    pulumi
        .all([
            restore.sourceTableName,
            restore.sourceTableArn,
            restore.restoreDateTime,
            restore.restoreToLatestTime === true ? true : undefined,
            restore.restoreBackupArn,
            table.restoreSourceName,
            table.restoreSourceTableArn,
            table.restoreDateTime,
            table.restoreToLatestTime,
            table.restoreBackupArn,
        ])
        .apply((values) => {
            // Instants compare as instants: the provider may record another spelling of the same time.
            const instant = (v: unknown) =>
                typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : v;
            const [declared, recorded] = [values.slice(0, 5), values.slice(5)].map((list) =>
                list.map((v, i) => (i === 2 ? instant(normal(v)) : normal(v))),
            );
            if (declared.every((v, i) => v === recorded[i])) return;
            const [sourceName, sourceArn, at, , backupArn] = values.slice(5).map(normal);
            const was = recorded.every((v) => v === undefined)
                ? "was not created by a restore"
                : backupArn !== undefined
                  ? `was restored from backup ${backupArn}`
                  : `was restored from ${sourceName ?? sourceArn} at ${at ?? "the latest restorable time"}`;
            void pulumi.log.warn(
                `ResilientTable "${name}": \`restore\` changed, but the table ${was}; a restore happens only when ` +
                    "a table is created, so the change is ignored and the table keeps its data. To restore again, " +
                    "declare a table under a new resource name.",
                resource,
            );
        });
}
