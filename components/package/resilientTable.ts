/**
 * `ResilientTable` as the Pulumi package presents it to Python, Go, .NET, Java and YAML programs.
 *
 * The package schema is inferred from TypeScript types by `@pulumi/pulumi/provider/experimental`,
 * which supports strings, numbers, booleans, arrays, string maps, `pulumi.Input`/`Output` of those,
 * and named interfaces. The TypeScript arguments use string-literal unions, union-typed options
 * (`backup`, `monitoring`, `adopt.fromResource`), anonymous object types and `aws.dynamodb.TableArgs`,
 * which it does not. This class takes the same arguments in those terms (strings whose allowed values
 * are documented, named interfaces) and passes them on to the TypeScript component unchanged in
 * meaning: it is that component, registered once under the same type token.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import * as components from "..";
import type { BackupBeforeChange } from "../table/types";
import type { TableRestore } from "../restore/types";
import type { ProtectionBaselineReference } from "../baseline/reference";
import type { AlertScope } from "../monitoring/types";
import type { ArgProblem } from "../core/problems";
import { toPackageProblems } from "./packageProblems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";

/** A key attribute: its name and DynamoDB scalar type. */
export interface TableAttribute {
    /** Attribute name. */
    readonly name: string;
    /** `S` (string), `N` (number) or `B` (binary). */
    readonly type: string;
}

/** A global secondary index. Same shape as `aws.dynamodb.Table`'s `globalSecondaryIndexes` entries. */
export interface GlobalSecondaryIndex {
    /** Index name, unique across the table's GSIs and LSIs. */
    readonly name: string;
    /** Partition key of the index; must be declared in `attributes`. */
    readonly hashKey: string;
    /** Sort key of the index; must be declared in `attributes` when given. */
    readonly rangeKey?: string;
    /** `ALL`, `KEYS_ONLY` or `INCLUDE`. Defaults to `ALL`, so queries on the index never miss an attribute. */
    readonly projectionType?: string;
    /** Attributes projected into the index when `projectionType` is `INCLUDE`. */
    readonly nonKeyAttributes?: string[];
    /** Read capacity units; required when the table is `PROVISIONED`, forbidden otherwise. */
    readonly readCapacity?: number;
    /** Write capacity units; required when the table is `PROVISIONED`, forbidden otherwise. */
    readonly writeCapacity?: number;
}

/** A local secondary index: the table's partition key with another sort key. */
export interface LocalSecondaryIndex {
    /** Index name, unique across the table's GSIs and LSIs. */
    readonly name: string;
    /** Sort key of the index; must be declared in `attributes`. */
    readonly rangeKey: string;
    /** `ALL`, `KEYS_ONLY` or `INCLUDE`. Defaults to `ALL`. */
    readonly projectionType?: string;
    /** Attributes projected into the index when `projectionType` is `INCLUDE`. */
    readonly nonKeyAttributes?: string[];
}

/** A global-table replica in another Region. Each replica always gets PITR on. */
export interface TableReplica {
    /** The replica's Region, e.g. `eu-west-1`. Must differ from the table's own Region. */
    readonly regionName: string;
    /**
     * KMS key for the replica (keys are regional). Defaults to a customer-managed key the component
     * creates in that Region with rotation on, when the table uses customer-managed encryption.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Copy the table's tags to the replica. Defaults to `true`, so the replica is recognised as production too. */
    readonly propagateTags?: boolean;
}

/** Point-in-time recovery settings. PITR itself is always on. */
export interface PointInTimeRecovery {
    /**
     * The PITR window: a whole number of days from 1 to 35 (DynamoDB PointInTimeRecoverySpecification).
     * Defaults to 35, the longest window AWS offers, because an accident is often noticed days later.
     */
    readonly recoveryPeriodInDays?: pulumi.Input<number>;
}

/** An AWS Backup plan shared by several tables, described by its outputs (a `TableBackupPlan`'s, or another stack's). */
export interface SharedBackupPlan {
    /** The plan's id (`planId` output of `TableBackupPlan`). */
    readonly planId: pulumi.Input<string>;
    /** The plan's ARN, reported as what protects the table. */
    readonly planArn: pulumi.Input<string>;
    /** The role AWS Backup assumes for the table's selection. */
    readonly roleArn: pulumi.Input<string>;
    /** The vault the plan stores recovery points in. */
    readonly vaultName: pulumi.Input<string>;
    /** Tags the plan already selects tables by; a table carrying all of them gets no selection of its own. */
    readonly selectedTags?: Record<string, string>;
    /** The plan's Region, when it is not the provider's. A plan selects resources in its own Region only. */
    readonly region?: string;
}

/** Take over an existing table instead of creating one (see docs/migration.md). */
export interface TableAdoption {
    /**
     * The full URN of a table this stack already manages under another URN (from
     * `pulumi stack --show-urns`). The table is registered with it as an alias and updated in place.
     * Give this or `importExistingTable`.
     */
    readonly fromResource?: string;
    /**
     * The physical name of a table created outside Pulumi; it is imported. Every input must match the
     * live table, or the import fails. Give this or `fromResource`.
     */
    readonly importExistingTable?: string;
    /** The partition key of the live table (`KeyType: HASH`). Required: keys that differ would replace the table. */
    readonly hashKey: string;
    /** The sort key of the live table (`KeyType: RANGE`); leave unset when it has none. */
    readonly rangeKey?: string;
}

/** Drift alarms on the table (docs/monitoring.md). */
export interface TableMonitoringSettings {
    /** Turn the alarms on or off. Defaults to on for `production`, off for other tiers. */
    readonly enabled?: boolean;
    /**
     * The SNS topic to alert. Defaults to a topic the component creates, with a policy that lets only
     * the component's EventBridge rules publish to it.
     */
    readonly topicArn?: pulumi.Input<string>;
    /** Alert when an AWS Backup job for the table fails. Defaults to `true` when the table is in a backup plan. */
    readonly backupJobAlerts?: boolean;
    /**
     * Deploy the AWS Config managed rules `dynamodb-pitr-enabled`, `dynamodb-in-backup-plan` and
     * `dynamodb-table-deletion-protection-enabled`. They need an AWS Config recorder. Defaults to `false`.
     */
    readonly configRules?: boolean;
}

/**
 * The protection baseline a table joins, described by its outputs: a `ProtectionBaseline`'s of the same
 * program, or the platform stack's (through a stack reference). The fields the table checks before
 * anything is created (`region`, `selectedTags`, `selectedTableArns`, the alert scope, the Regions of
 * `replicaKmsKeyArns`) must be plain values, as the baseline was given them; the key, plan, vault and
 * topic may be outputs.
 */
export interface TableBaseline {
    /** The baseline's resource name, for messages. Defaults to none: messages say "(reference)". */
    readonly baselineName?: string;
    /** The baseline's Region; a table joins the baseline of its own Region. Defaults to the provider's Region. */
    readonly region?: string;
    /** The shared customer-managed key (`kmsKeyArn` output); the table uses it unless it brings its own. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * The shared key of each replica Region, by Region name (`replicaKmsKeyArns` output). A table may
     * place replicas in these Regions only. Defaults to none: no replicas.
     */
    readonly replicaKmsKeyArns?: Record<string, pulumi.Input<string>>;
    /**
     * The tags the baseline's backup selection selects tables by (`selectedTags` output); the table
     * carries them. Defaults to none: the table carries its tier tag only.
     */
    readonly selectedTags?: Record<string, string>;
    /**
     * The ARNs the baseline selects when it selects by list (`selectedTableArns` output); the table's
     * `name` must match one. Defaults to none: the selection is by tag.
     */
    readonly selectedTableArns?: string[];
    /** The baseline's backup plan (`planArn` output). */
    readonly planArn: pulumi.Input<string>;
    /** The vault that holds the recovery points (`vaultName` output). */
    readonly vaultName: pulumi.Input<string>;
    /**
     * Which tables the baseline's alarms watch: `account` or `none` (the baseline has `alerts: false`),
     * or give `alertTableNamePrefix` or `alertTableNames`. Defaults to `account` when `alertTopicArn`
     * is given, `none` otherwise.
     */
    readonly alertScope?: string;
    /** The name prefix the alarms are narrowed to (`alertTableNamePrefix` output). Defaults to none. */
    readonly alertTableNamePrefix?: string;
    /** The table names the alarms are narrowed to (`alertTableNames` output). Defaults to none. */
    readonly alertTableNames?: string[];
    /** The topic the alarms publish to (`alertTopicArn` output). Defaults to none: the baseline has no alarms. */
    readonly alertTopicArn?: pulumi.Input<string>;
}

/** Arguments of a {@link ResilientTable} in the Pulumi package. */
export interface ResilientTableArgs {
    /**
     * The environment tier: `production`, `staging` or `development`. Defaults to `production`:
     * forgetting to say what a table is must never leave it unprotected. Production means PITR that
     * cannot be turned off, deletion protection, `protect` and `retainOnDelete`, customer-managed KMS
     * encryption, an AWS Backup plan, drift alarms, and the tag `environment: production`.
     */
    readonly tier?: string;
    /**
     * Physical table name: 3 to 255 characters of `a-z A-Z 0-9 _ - .`. Defaults to a name Pulumi
     * generates, which lets a replacement create the new table before the old one is touched.
     */
    readonly name?: pulumi.Input<string>;
    /** Partition key attribute name; must be declared in `attributes`. */
    readonly hashKey: string;
    /** Sort key attribute name; must be declared in `attributes` when given. Defaults to none: a partition key only. */
    readonly rangeKey?: string;
    /** Every attribute used as a key of the table or of an index, with its type. */
    readonly attributes: TableAttribute[];
    /** Global secondary indexes. Defaults to none. */
    readonly globalSecondaryIndexes?: GlobalSecondaryIndex[];
    /** Local secondary indexes (need a table sort key; created with the table only). Defaults to none. */
    readonly localSecondaryIndexes?: LocalSecondaryIndex[];
    /** `PAY_PER_REQUEST` (on-demand) or `PROVISIONED`. Defaults to `PAY_PER_REQUEST`. */
    readonly billingMode?: string;
    /** Read capacity units; required with `PROVISIONED`, forbidden with `PAY_PER_REQUEST`. Defaults to none. */
    readonly readCapacity?: number;
    /** Write capacity units; required with `PROVISIONED`, forbidden with `PAY_PER_REQUEST`. Defaults to none. */
    readonly writeCapacity?: number;
    /** `STANDARD` or `STANDARD_INFREQUENT_ACCESS`. Defaults to `STANDARD`. */
    readonly tableClass?: string;
    /** Point-in-time recovery window. PITR is always on; its window defaults to 35 days. */
    readonly pointInTimeRecovery?: PointInTimeRecovery;
    /** Turns PITR off. Refused for `production` tables. Defaults to `false`. */
    readonly dangerouslyDisablePointInTimeRecovery?: boolean;
    /** DynamoDB deletion protection. Always `true` for `production`; defaults to `false` for other tiers. */
    readonly deletionProtectionEnabled?: boolean;
    /**
     * Lets Pulumi replace a production table when a change needs it. Without it the table has
     * `protect: true`, and a replacing change fails before anything is deleted. Defaults to `false`.
     */
    readonly dangerouslyAllowReplacement?: boolean;
    /**
     * Server-side encryption: `customer-managed` (the `kmsKeyArn` given, or a key the component creates
     * with rotation) or `aws-owned`. Defaults to `customer-managed` for production, `aws-owned` otherwise.
     */
    readonly encryption?: string;
    /**
     * ARN of the customer-managed KMS key to encrypt the table with. Implies `encryption: customer-managed`.
     * Defaults to a key the component creates, when the encryption is customer-managed.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Name of a Number attribute holding an expiry time (epoch seconds) for DynamoDB TTL. Defaults to no TTL. */
    readonly ttlAttribute?: string;
    /**
     * Turns on DynamoDB Streams with this view type: `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or
     * `NEW_AND_OLD_IMAGES`. Defaults to none, or `NEW_AND_OLD_IMAGES` when `replicas` are given.
     */
    readonly streamViewType?: string;
    /** Global-table replicas in other Regions; each gets PITR and the table's encryption policy. Defaults to none. */
    readonly replicas?: TableReplica[];
    /** The Region the table lives in. Defaults to the AWS provider's Region. */
    readonly region?: string;
    /**
     * Tags. The component adds `environment: <tier>`; a different `environment` value here is an error.
     * Defaults to that tag alone; the AWS provider's `defaultTags` are merged as usual.
     */
    readonly tags?: Record<string, string>;
    /**
     * Create the table as a restore of another table at a point in time, or of a backup. A restore
     * always creates a new table and never touches the source; it happens once, when the table is
     * created. Defaults to none: an empty new table.
     */
    readonly restore?: TableRestore;
    /** Take an on-demand backup whenever `trigger` changes, before a risky change. Defaults to none. */
    readonly backupBeforeChange?: BackupBeforeChange;
    /**
     * Scheduled backups with AWS Backup: a preset (`daily`, `weekly`, `monthly-1-year`,
     * `monthly-5-year`, `monthly-7-year`, `daily-monthly-1-year`, `daily-weekly-monthly-5-year`,
     * `daily-weekly-monthly-7-year`) for a plan of the table's own, or `none`. Defaults to
     * `daily-monthly-1-year` for production and `none` for other tiers. Ignored when `sharedBackupPlan`
     * is given.
     */
    readonly backup?: string;
    /** Join a shared AWS Backup plan (a `TableBackupPlan`'s outputs) instead of creating one. Defaults to none. */
    readonly sharedBackupPlan?: SharedBackupPlan;
    /** Take over an existing table instead of creating one. Defaults to none: a new table. */
    readonly adopt?: TableAdoption;
    /** Drift alarms. Defaults to on for production, off otherwise. */
    readonly monitoring?: TableMonitoringSettings;
    /**
     * The protection baseline of the table's account and Region (a `ProtectionBaseline`'s outputs): the
     * table uses the baseline's shared key (unless it brings its own `kmsKeyArn`), carries the tags its
     * backup plan selects, and is watched by its alarms; it registers no key, plan or alarms of its
     * own. `monitoring.enabled: false` opts out of alarms on purpose. Defaults to none: the table has
     * protection of its own. See docs/fleet.md.
     */
    readonly baseline?: TableBaseline;
    /**
     * For a production table that had protection of its own and now joins a `baseline`: keep its own
     * key and backup vault (with their recovery points) instead of moving to the baseline's. Defaults
     * to `false`. See the migration section of docs/fleet.md.
     */
    readonly keepOwnKeyAndVault?: boolean;
}

/** The fields of a {@link TableBaseline} the table checks before anything exists: they must be plain values. */
const PLAIN_BASELINE_FIELDS = [
    "baselineName",
    "region",
    "selectedTags",
    "selectedTableArns",
    "alertScope",
    "alertTableNamePrefix",
    "alertTableNames",
    "replicaKmsKeyArns",
] as const;

/** Whether `value` is, or holds outside a map's values, an output not known before deployment. */
function holdsOutput(value: unknown, mapValuesMayBeOutputs = false): boolean {
    if (pulumi.Output.isInstance(value)) return true;
    if (Array.isArray(value)) return value.some((v) => holdsOutput(v));
    if (value !== null && typeof value === "object" && !mapValuesMayBeOutputs)
        return Object.values(value).some((v) => holdsOutput(v));
    return false;
}

/**
 * What in a table's package arguments cannot be said in the TypeScript component's terms: a baseline
 * whose checked fields are outputs, an alert scope that contradicts itself, a schedule of the table's
 * own (a baseline given by its outputs cannot add plans).
 */
export function packageTableProblems(args: ResilientTableArgs): ArgProblem[] {
    const baseline: unknown = args.baseline;
    if (baseline === undefined || baseline === null) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (pulumi.Output.isInstance(baseline)) {
        add(
            "baseline",
            "`baseline` is one output of another resource, known only during deployment; the table checks the " +
                "baseline's Region, tags and alert scope before anything is created. Fix: give `baseline` as an object " +
                "whose `region`, `selectedTags` and alert scope are plain values and whose `kmsKeyArn`, `planArn`, " +
                "`vaultName` and `alertTopicArn` are the baseline's outputs.",
        );
        return problems;
    }
    if (typeof baseline !== "object") return problems; // refused by the component, naming the value
    const b = baseline as TableBaseline;
    for (const field of PLAIN_BASELINE_FIELDS) {
        if (holdsOutput(b[field], field === "replicaKmsKeyArns")) {
            add(
                `baseline.${field}`,
                `\`baseline.${field}\` is an output of another resource, known only during deployment; the table checks it ` +
                    "before anything is created. Fix: write it as a plain value, as the baseline was given it" +
                    (field === "replicaKmsKeyArns"
                        ? ": a map from each replica Region to the key ARN (the ARN may be an output)."
                        : "."),
            );
        }
    }
    const narrowed = [
        ...(b.alertTableNamePrefix !== undefined ? ["alertTableNamePrefix"] : []),
        ...(b.alertTableNames !== undefined ? ["alertTableNames"] : []),
    ];
    if (narrowed.length > 1) {
        add(
            "baseline.alertTableNames",
            "`baseline.alertTableNamePrefix` and `baseline.alertTableNames` are both given; a baseline's alarms " +
                "watch one or the other. Fix: copy the one the baseline has.",
        );
    }
    const scope = b.alertScope;
    if (scope !== undefined && scope !== "account" && scope !== "none") {
        add(
            "baseline.alertScope",
            `\`baseline.alertScope\` is ${JSON.stringify(scope)}; it must be "account" or "none". Fix: correct it, or ` +
                "give `alertTableNamePrefix` or `alertTableNames` for a narrower scope.",
        );
    } else if (scope === "account" && narrowed.length > 0) {
        add(
            "baseline.alertScope",
            `\`baseline.alertScope\` is "account", and \`baseline.${narrowed[0]}\` narrows it. Fix: keep the one the baseline has.`,
        );
    } else if (scope === "none" && (narrowed.length > 0 || b.alertTopicArn !== undefined)) {
        add(
            "baseline.alertScope",
            '`baseline.alertScope` is "none" (the baseline has no alarms), but the alert topic or scope is given. ' +
                "Fix: remove one or the other, as the baseline has it.",
        );
    }
    if (args.backup !== undefined && args.backup !== "none" && args.sharedBackupPlan === undefined) {
        add(
            "backup",
            `\`backup\` is ${JSON.stringify(args.backup)}, a schedule of the table's own, but a table of the package ` +
                "joins its baseline by the baseline's outputs, which cannot add plans. Fix: remove `backup` (the " +
                "baseline's plan backs the table up), or create a TableBackupPlan with that schedule and pass its " +
                "outputs as `sharedBackupPlan`.",
        );
    }
    return problems;
}

/** The TypeScript reference to a baseline, from its outputs as the package takes them. */
export function toBaselineReference(baseline: TableBaseline): ProtectionBaselineReference {
    const alertScope: AlertScope | undefined =
        baseline.alertTableNamePrefix !== undefined
            ? { tableNamePrefix: baseline.alertTableNamePrefix }
            : baseline.alertTableNames !== undefined
              ? { tableNames: baseline.alertTableNames }
              : baseline.alertScope === "account" ||
                  (baseline.alertScope === undefined && baseline.alertTopicArn !== undefined)
                ? "account"
                : undefined;
    return {
        baselineName: baseline.baselineName,
        region: baseline.region,
        kmsKeyArn: baseline.kmsKeyArn,
        replicaKmsKeyArns: baseline.replicaKmsKeyArns,
        selectedTags: baseline.selectedTags,
        selectedTableArns: baseline.selectedTableArns,
        planArn: baseline.planArn,
        vaultName: baseline.vaultName,
        alertScope,
        alertTopicArn: alertScope === undefined ? undefined : baseline.alertTopicArn,
    };
}

/** The TypeScript component's arguments, from the package's. */
export function toComponentArgs(args: ResilientTableArgs): components.ResilientTableArgs {
    const { sharedBackupPlan, adopt, monitoring, backup, baseline, ...rest } = args;
    const { enabled, configRules, ...monitoringOptions } = monitoring ?? {};
    const joined = baseline !== undefined && baseline !== null;
    // In a baseline, `monitoring: { enabled: true }` alone says what joining does anyway: the baseline's alarms.
    const onlyEnabled =
        enabled === true && configRules === undefined && Object.keys(monitoringOptions).length === 0;
    return {
        ...(rest as Omit<
            ResilientTableArgs,
            "sharedBackupPlan" | "adopt" | "monitoring" | "backup" | "baseline"
        >),
        baseline: joined
            ? typeof baseline === "object" && !pulumi.Output.isInstance(baseline)
                ? toBaselineReference(baseline)
                : (baseline as unknown as ProtectionBaselineReference)
            : undefined,
        tier: args.tier as components.ResilientTableArgs["tier"],
        attributes: args.attributes as components.ResilientTableArgs["attributes"],
        globalSecondaryIndexes:
            args.globalSecondaryIndexes as components.ResilientTableArgs["globalSecondaryIndexes"],
        localSecondaryIndexes:
            args.localSecondaryIndexes as components.ResilientTableArgs["localSecondaryIndexes"],
        billingMode: args.billingMode as components.ResilientTableArgs["billingMode"],
        tableClass: args.tableClass as components.ResilientTableArgs["tableClass"],
        encryption: args.encryption as components.ResilientTableArgs["encryption"],
        streamViewType: args.streamViewType as components.ResilientTableArgs["streamViewType"],
        backup:
            sharedBackupPlan !== undefined
                ? { plan: sharedBackupPlan }
                : (backup as components.ResilientTableArgs["backup"]),
        adopt:
            adopt === undefined
                ? undefined
                : {
                      fromResource: adopt.fromResource,
                      importExistingTable: adopt.importExistingTable,
                      keySchema: { hashKey: adopt.hashKey, rangeKey: adopt.rangeKey },
                  },
        monitoring:
            monitoring === undefined || (joined && onlyEnabled)
                ? undefined
                : enabled === false
                  ? false
                  : { ...monitoringOptions, configRules },
    };
}

/** How the TypeScript component's advice reads in the package's terms. */
const RENAMES: Array<[string, string]> = [
    ["monitoring: false", "monitoring: { enabled: false }"],
    ["alerts.scope", "alertScope"],
];

/** The TypeScript component's arguments, once the package's own problems are ruled out. */
function checked(name: string, args: ResilientTableArgs): components.ResilientTableArgs {
    const problems = [
        ...argKeyProblems("ResilientTable", args, ARG_SHAPES["package:ResilientTable"]),
        ...packageTableProblems(args ?? ({} as ResilientTableArgs)),
    ];
    if (problems.length > 0) throw new components.TableArgsError(name, problems);
    return toComponentArgs(args);
}

/**
 * The TypeScript `ResilientTable`, seen by the schema analyzer as a direct `ComponentResource`
 * subclass: the analyzer only recognises components that extend `ComponentResource` itself, and
 * reads outputs from the members declared below.
 */
const TypeScriptResilientTable = components.ResilientTable as unknown as new (
    name: string,
    args: components.ResilientTableArgs,
    opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/**
 * A DynamoDB table that cannot silently lose data: point-in-time recovery always on (35 days by
 * default), and for production (the default tier) deletion protection, Pulumi `protect` and
 * `retainOnDelete`, customer-managed KMS encryption with rotation, an AWS Backup plan, drift alarms,
 * and the `environment: production` tag the policy pack reads.
 */
export class ResilientTable extends TypeScriptResilientTable {
    /** The DynamoDB table. */
    declare readonly table: aws.dynamodb.Table;
    /** The table's physical name. */
    declare readonly name: pulumi.Output<string>;
    /** The table's ARN. */
    declare readonly arn: pulumi.Output<string>;
    /** The stream's ARN, when streams are on (empty otherwise). */
    declare readonly streamArn: pulumi.Output<string>;
    /** The ARN of the KMS key that encrypts the table; unset with `encryption: aws-owned`. */
    declare readonly kmsKeyArn: pulumi.Output<string | undefined>;
    /** The environment tier the table was created as. */
    declare readonly tier: string;
    /** The PITR window, in days; 0 when PITR was turned off (non-production only). */
    declare readonly recoveryPeriodInDays: pulumi.Output<number>;
    /** ARN of the AWS Backup plan that protects the table; unset when it has none. */
    declare readonly backupPlanArn: pulumi.Output<string | undefined>;
    /** Name of the vault that holds the table's recovery points; unset when it has no plan. */
    declare readonly backupVaultName: pulumi.Output<string | undefined>;

    constructor(name: string, args: ResilientTableArgs, opts?: pulumi.ComponentResourceOptions) {
        try {
            super(name, checked(name, args), opts);
        } catch (e) {
            throw e instanceof components.TableArgsError
                ? new components.TableArgsError(name, toPackageProblems(e.problems, RENAMES))
                : e;
        }
    }
}
