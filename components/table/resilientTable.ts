import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { hideUnset } from "../core/hideUnset";
import { Tier } from "../core/constants";
import { ResilientTableArgs } from "./types";
import { ArgProblem, formatProblems } from "../core/problems";
import { OnDemandBackup } from "../backup/onDemandBackup";
import { TableBackupPlan } from "../backup/backupPlan";
import { restoreClock } from "../restore/restoreWindow";
import { TableMonitoring } from "../monitoring/tableMonitoring";
import { ProtectionBaselineReference } from "../baseline/reference";
import { providerOf } from "../core/providers";
import { tableProblems } from "./tableChecks";
import {
    backupBeforeChange,
    Checked,
    keepBackupVault,
    scheduledBackup,
    createTable,
    tableKeys,
    tableMonitoring,
    tagsOf,
    warnIfRestoreChanged,
} from "./tableParts";

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
        const problems = tableProblems(args, {
            providerRegion,
            now,
            provider: opts.provider ?? providerOf(opts.providers),
        });
        if (problems.length > 0) throw new TableArgsError(name, problems, this);

        const tier: Tier = args.tier ?? "production";
        const production = tier === "production";
        const pitrEnabled = !args.dangerouslyDisablePointInTimeRecovery;
        const childOpts = { parent: this };
        // A table in a baseline registers only itself: key, plan and alarms are the baseline's.
        const baseline = args.baseline;
        const keepOwn = baseline !== undefined && args.keepOwnKeyAndVault === true;
        const tableTags = tagsOf(args, tier);
        // Values known only later (Outputs) are checked when they resolve; a bad one fails the
        // deployment with the same message before the table is created.
        const checked = checkedLater(name, this);

        // 2. Encryption: a customer-managed key for production (one the user passes, or one created
        //    here with rotation), and the same policy for every replica Region.
        const { customerManaged, kmsKey, kmsKeyArn, replicas } = tableKeys(name, args, {
            tier,
            keepOwn,
            pitrEnabled,
            childOpts,
        });
        this.kmsKey = kmsKey;

        // 3. The table.
        const { table, streamViewType, recoveryPeriodInDays } = createTable(name, args, childOpts, {
            checked,
            now,
            production,
            customerManaged,
            kmsKeyArn,
            replicas,
            tableTags,
        });
        this.table = table;

        if (args.restore !== undefined) warnIfRestoreChanged(name, args.restore, this.table, this);

        // 4. A backup before risky changes, taken after the table exists.
        this.backupBeforeChange = backupBeforeChange(name, args, this.table, {
            region: args.region ?? providerRegion,
            childOpts,
        });

        // 5. Scheduled backups: the baseline's plan (and the one of the table's own schedule), the
        //    table's own AWS Backup plan, or a selection in a shared one.
        const backup = scheduledBackup(name, this, args, { table: this.table, tableTags, tier, kmsKeyArn });
        this.backupPlan = "plan" in backup ? backup.plan : undefined;
        this.backupPlanArn = backup.planArn;
        this.backupVaultName = backup.vaultName;
        if (keepOwn) this.keptBackupVault = keepBackupVault(name, this, args, tier, kmsKeyArn);
        this.baseline = baseline;

        // 6. Drift alarms: on by default for production, where a console change is a data-loss risk.
        //    A table in a baseline is watched by the baseline's rules.
        this.monitoring = tableMonitoring(name, args, {
            production,
            tableTags,
            table: this.table,
            childOpts,
        });

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

/** Checks a value once it resolves; a bad one fails the deployment with the component's error. */
function checkedLater(name: string, resource: pulumi.Resource): Checked {
    return (value, check) =>
        value === undefined
            ? undefined
            : pulumi.output(value).apply((v) => {
                  const found = check(v);
                  if (found.length > 0) throw new TableArgsError(name, found, resource);
                  return v;
              });
}
