/**
 * The arguments of the package's `ResilientTable`, in the types the package schema inference supports
 * (see ../resilientTable.ts for which, and why). Their doc comments are the schema's descriptions.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupBeforeChange } from "../../table/types";
import type { TableRestore } from "../../restore/types";

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
