/**
 * The parts a {@link ResilientTable} builds besides its checks: the KMS keys, the
 * `aws.dynamodb.Table` inputs, the drift alarms, a kept backup vault, and the warning when a
 * declared restore no longer matches the table.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PITR_DEFAULT_DAYS, REPLICA_STREAM_VIEW_TYPE, Tier, TIER_TAG_KEY } from "../core/constants";
import { checkRecoveryPeriod } from "../core/recoveryPeriod";
import { physicalName, VAULT_NAME_RULES } from "../core/names";
import type { ArgProblem } from "../core/problems";
import { TableMonitoring } from "../monitoring/tableMonitoring";
import { OnDemandBackup } from "../backup/onDemandBackup";
import { attachTableBackup } from "../backup/backupPlan";
import { checkRestoreBackupArn, checkRestoreDateTime, checkRestoreSource } from "../restore/restoreWindow";
import { adoptionOptions } from "./adoption";
import { joinedTags } from "./baselineJoin";
import type { ResilientTableArgs } from "./types";
import { checkTableName } from "./validateTableArgs";

/** The `aws.dynamodb.Table` inputs that make it a restore; ignored after creation. */
export const RESTORE_INPUTS = [
    "restoreSourceName",
    "restoreSourceTableArn",
    "restoreDateTime",
    "restoreToLatestTime",
    "restoreBackupArn",
] as const;

/** Checks a value once it resolves, failing the deployment with the component's error if it is bad. */
export type Checked = <T>(
    value: pulumi.Input<T> | undefined,
    check: (v: unknown) => ArgProblem[],
) => pulumi.Output<pulumi.Unwrap<T>> | undefined;

/** The table's tags: the baseline's selection tags and the table's own schedule's, or its own and its tier. */
export function tagsOf(args: ResilientTableArgs, tier: Tier): Record<string, string> {
    const baseline = args.baseline;
    const ownSchedule =
        baseline !== undefined && (typeof args.backup === "string" || Array.isArray(args.backup))
            ? baseline.scheduleTags!(args.backup as Parameters<NonNullable<typeof baseline.scheduleTags>>[0])
            : {};
    return baseline
        ? { ...joinedTags(baseline, args.tags, tier), ...ownSchedule }
        : { ...args.tags, [TIER_TAG_KEY]: tier };
}

/**
 * The table's encryption: whether it is customer-managed, the key created for it (when none is
 * passed and no baseline provides one), its ARN, and the replicas, each with its Region's key.
 */
export function tableKeys(
    name: string,
    args: ResilientTableArgs,
    context: { tier: Tier; keepOwn: boolean; pitrEnabled: boolean; childOpts: { parent: pulumi.Resource } },
) {
    const { tier, keepOwn, pitrEnabled, childOpts } = context;
    const production = tier === "production";
    const baseline = args.baseline;
    let kmsKey: aws.kms.Key | undefined;
    const customerManaged =
        args.kmsKeyArn !== undefined ||
        (args.encryption ?? (production ? "customer-managed" : "aws-owned")) === "customer-managed";
    const keyOpts = { ...childOpts, protect: production, retainOnDelete: production };
    const keyTags = { ...args.tags, [TIER_TAG_KEY]: tier };
    if (customerManaged && args.kmsKeyArn === undefined && (baseline === undefined || keepOwn)) {
        kmsKey = new aws.kms.Key(
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
        args.kmsKeyArn ?? kmsKey?.arn ?? (customerManaged ? baseline?.kmsKeyArn : undefined);
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
    return { customerManaged, kmsKey, kmsKeyArn, replicas };
}

/**
 * The DynamoDB table, with the options that keep a production table: one-shot restore inputs,
 * `protect` and `retainOnDelete`, and adoption.
 */
export function createTable(
    name: string,
    args: ResilientTableArgs,
    childOpts: { parent: pulumi.Resource },
    decisions: Omit<Decided, "recoveryPeriodInDays" | "streamViewType">,
) {
    const { checked, production, replicas } = decisions;
    const pitrEnabled = !args.dangerouslyDisablePointInTimeRecovery;
    const streamViewType =
        args.streamViewType ?? (replicas.length > 0 ? REPLICA_STREAM_VIEW_TYPE : undefined);
    const recoveryPeriodInDays = pitrEnabled
        ? (checked(args.pointInTimeRecovery?.recoveryPeriodInDays, (v) => checkRecoveryPeriod(v)) ??
          PITR_DEFAULT_DAYS)
        : undefined;
    const decided: Decided = { ...decisions, streamViewType, recoveryPeriodInDays };
    const table = new aws.dynamodb.Table(name, tableInputs(args, decided), {
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
    });
    return { table, streamViewType, recoveryPeriodInDays };
}

/** What the component decided before creating the table. */
interface Decided {
    checked: Checked;
    now: Date;
    production: boolean;
    recoveryPeriodInDays: pulumi.Input<number> | undefined;
    customerManaged: boolean;
    kmsKeyArn: pulumi.Input<string> | undefined;
    streamViewType: string | undefined;
    replicas: ReturnType<typeof tableKeys>["replicas"];
    tableTags: Record<string, string>;
}

/** The `aws.dynamodb.Table` inputs, from the arguments and what the component decided. */
function tableInputs(args: ResilientTableArgs, decided: Decided): aws.dynamodb.TableArgs {
    const { checked, now, production, recoveryPeriodInDays, customerManaged, kmsKeyArn } = decided;
    const { streamViewType, replicas, tableTags } = decided;
    const pitrEnabled = !args.dangerouslyDisablePointInTimeRecovery;
    const provisioned = args.billingMode === "PROVISIONED";
    return {
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
        pointInTimeRecovery: pitrEnabled ? { enabled: true, recoveryPeriodInDays } : { enabled: false },
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
    };
}

/** The drift alarms of a table, unless it is in a baseline (watched by the baseline's rules) or they are off. */
export function tableMonitoring(
    name: string,
    args: ResilientTableArgs,
    context: {
        production: boolean;
        tableTags: Record<string, string>;
        table: aws.dynamodb.Table;
        childOpts: { parent: pulumi.Resource };
    },
): TableMonitoring | undefined {
    const { production, tableTags, table, childOpts } = context;
    const baseline = args.baseline;
    const monitoring = baseline !== undefined ? false : (args.monitoring ?? production);
    if (monitoring !== false) {
        const options = monitoring === true ? {} : monitoring;
        const inBackupPlan = !(
            args.backup === false ||
            args.backup === "none" ||
            (args.backup === undefined && !production)
        );
        return new TableMonitoring(
            `${name}-monitoring`,
            {
                ...options,
                backupJobAlerts: options.backupJobAlerts ?? inBackupPlan,
                tableName: table.name,
                tableArn: table.arn,
                region: args.region,
                tags: tableTags,
            },
            childOpts,
        );
    }
    return undefined;
}

/**
 * The backup vault a table had of its own before it joined a baseline, declared again as it was
 * (same physical name, key and settings) under the table, with an alias to its former place under
 * the table's `TableBackupPlan`: the vault and its recovery points stay, protected and retained,
 * while the plan, selection and role around it are removed. See docs/fleet.md, "Moving a platform over".
 */
export function keepBackupVault(
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

/**
 * Warns when the declared restore differs from the one the existing table was created with: the
 * change is ignored (one-shot restore), and the user should know how to restore again.
 */
export function warnIfRestoreChanged(
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

/** The on-demand backup taken whenever `backupBeforeChange.trigger` changes, after the table exists. */
export function backupBeforeChange(
    name: string,
    args: ResilientTableArgs,
    table: aws.dynamodb.Table,
    context: { region?: string; childOpts: { parent: pulumi.Resource } },
): OnDemandBackup | undefined {
    const { region, childOpts } = context;
    if (args.backupBeforeChange !== undefined) {
        return new OnDemandBackup(
            `${name}-backup-before-change`,
            {
                tableName: table.name,
                trigger: args.backupBeforeChange.trigger,
                region,
                deleteBackupOnDestroy: args.backupBeforeChange.deleteBackupOnDestroy === true,
            },
            childOpts,
        );
    }
    return undefined;
}

/**
 * What backs the table up on a schedule: the baseline's plan (unless the table joins a shared plan
 * of its own), or the table's own plan or selection, as {@link attachTableBackup} attaches it.
 */
export function scheduledBackup(
    name: string,
    parent: pulumi.Resource,
    args: ResilientTableArgs,
    context: {
        table: aws.dynamodb.Table;
        tableTags: Record<string, string>;
        tier: Tier;
        kmsKeyArn: pulumi.Input<string> | undefined;
    },
) {
    const { table, tableTags, tier, kmsKeyArn } = context;
    const baseline = args.baseline;
    const sharedPlan =
        typeof args.backup === "object" && !Array.isArray(args.backup) && "plan" in args.backup;
    return baseline !== undefined && !sharedPlan
        ? { planArn: pulumi.output(baseline.planArn), vaultName: pulumi.output(baseline.vaultName) }
        : attachTableBackup(
              name,
              parent,
              { arn: table.arn, tags: tableTags, tier, region: args.region, kmsKeyArn },
              args.backup,
          );
}
