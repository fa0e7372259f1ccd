import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import type { Tier } from "../core/constants";
import type { TableBackup } from "../backup/types";
import type { TableMonitoringOptions } from "../monitoring/types";
import type { ProtectionBaselineReference } from "../baseline/reference";
import type { TableRestore } from "../restore/types";

/** A key attribute: its name and DynamoDB scalar type (`S` string, `N` number, `B` binary). */
export interface TableAttribute {
    readonly name: string;
    readonly type: "S" | "N" | "B";
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
    readonly projectionType?: "ALL" | "KEYS_ONLY" | "INCLUDE";
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
    readonly projectionType?: "ALL" | "KEYS_ONLY" | "INCLUDE";
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

/**
 * Takes a DynamoDB on-demand backup of the table whenever `trigger` changes, before the change it
 * guards (a data migration, a release) runs: make that step depend on
 * {@link ResilientTable.backupBeforeChange}. On-demand backups are kept until deleted, beyond PITR's
 * window (API Reference, CreateBackup).
 */
export interface BackupBeforeChange {
    /**
     * A value you change before a risky deployment: a migration version, a release id. Each new value
     * takes a new backup named `<table>-<trigger>-<yyyymmddThhmmss>`; earlier backups are kept.
     */
    readonly trigger: pulumi.Input<string>;
    /**
     * Delete the backups this resource took when it is destroyed. Defaults to `false`: a backup
     * outlives the stack, because it may be the only copy of the data.
     * @default false
     */
    readonly deleteBackupOnDestroy?: boolean;
}

/**
 * Arguments of a {@link ResilientTable}. The shape follows `aws.dynamodb.Table` (same key, attribute
 * and index fields), so a bare table moves over by changing its constructor; what protects the data
 * (PITR, deletion protection, encryption, tags) is managed by the component from `tier`.
 */
export interface ResilientTableArgs {
    /**
     * The environment tier. Defaults to `production`: forgetting to say what a table is must never
     * leave it unprotected. Production means PITR that cannot be turned off, deletion protection,
     * the Pulumi `protect` and `retainOnDelete` options, customer-managed KMS encryption, and the tag
     * `environment: production` that the policy pack reads. `staging` and `development` relax these,
     * never PITR's availability.
     * @default "production"
     */
    readonly tier?: Tier;

    /**
     * Physical table name: 3 to 255 characters of `a-z A-Z 0-9 _ - .` (DynamoDB CreateTable).
     * Defaults to a name Pulumi generates from the resource name, which lets a replacement create
     * the new table before the old one is touched.
     */
    readonly name?: pulumi.Input<string>;

    /** Partition key attribute name; must be declared in `attributes`. */
    readonly hashKey: string;
    /** Sort key attribute name; must be declared in `attributes` when given. */
    readonly rangeKey?: string;
    /**
     * Every attribute used as a key of the table or of an index, with its type. DynamoDB rejects
     * attributes that no key uses, so the component reports them before any cloud call.
     */
    readonly attributes: TableAttribute[];
    /** Global secondary indexes. */
    readonly globalSecondaryIndexes?: GlobalSecondaryIndex[];
    /** Local secondary indexes (need a table sort key; created with the table only). */
    readonly localSecondaryIndexes?: LocalSecondaryIndex[];

    /**
     * `PAY_PER_REQUEST` (on-demand) or `PROVISIONED`. Defaults to `PAY_PER_REQUEST`: no capacity to
     * plan, no throttling from a forgotten scaling policy.
     * @default "PAY_PER_REQUEST"
     */
    readonly billingMode?: "PAY_PER_REQUEST" | "PROVISIONED";
    /** Read capacity units; required with `PROVISIONED`, forbidden with `PAY_PER_REQUEST`. */
    readonly readCapacity?: number;
    /** Write capacity units; required with `PROVISIONED`, forbidden with `PAY_PER_REQUEST`. */
    readonly writeCapacity?: number;
    /**
     * `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
     * @default "STANDARD"
     */
    readonly tableClass?: "STANDARD" | "STANDARD_INFREQUENT_ACCESS";

    /**
     * Point-in-time recovery. Always on; only the window can be chosen: a whole number of days from
     * 1 to 35 (DynamoDB PointInTimeRecoverySpecification). Defaults to 35, the longest window AWS
     * offers, because an accident is often noticed days later.
     */
    readonly pointInTimeRecovery?: {
        /** @default 35 */
        readonly recoveryPeriodInDays?: pulumi.Input<number>;
    };

    /**
     * Turns PITR off. Refused for `production` tables. For other tiers, this is the only way to run a
     * table without PITR, and its name says what it does.
     * @default false
     */
    readonly dangerouslyDisablePointInTimeRecovery?: boolean;

    /**
     * DynamoDB deletion protection. Always `true` for `production` (setting `false` is an error);
     * defaults to `false` for other tiers.
     */
    readonly deletionProtectionEnabled?: boolean;

    /**
     * Lets Pulumi replace a production table when a change needs it (a new name, new keys). Without
     * it, the table is created with `protect: true` and any replacing change fails at `pulumi up`
     * before anything is deleted. Even with it, a production table keeps `retainOnDelete`: the old
     * table stays in AWS with its data, and only leaves the stack.
     * @default false
     */
    readonly dangerouslyAllowReplacement?: boolean;

    /**
     * Server-side encryption. `customer-managed` uses `kmsKeyArn`, or a KMS key the component creates
     * with yearly rotation on; `aws-owned` uses DynamoDB's default key. Production tables must use
     * `customer-managed`, so that key policy and CloudTrail control who can read the data.
     * @default "customer-managed" for production, "aws-owned" otherwise
     */
    readonly encryption?: "customer-managed" | "aws-owned";
    /** ARN of the customer-managed KMS key to encrypt the table with. Implies `encryption: customer-managed`. */
    readonly kmsKeyArn?: pulumi.Input<string>;

    /** Name of a Number attribute holding an expiry time (epoch seconds) for DynamoDB TTL. Not a key attribute. */
    readonly ttlAttribute?: string;

    /**
     * Turns on DynamoDB Streams with this view type. Defaults to none, or `NEW_AND_OLD_IMAGES` when
     * `replicas` are given (global tables replicate through the stream and need that view type).
     */
    readonly streamViewType?: "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES";

    /** Global-table replicas in other Regions; each gets PITR and the same encryption policy as the table. */
    readonly replicas?: TableReplica[];

    /**
     * The Region the table lives in. Defaults to the AWS provider's Region (`aws:region`). Used to
     * create the table in another Region and to check that no replica sits in the table's own Region.
     */
    readonly region?: string;

    /**
     * Tags. The component adds `environment: <tier>`; a different `environment` value here is an
     * error. The provider's `defaultTags` are merged by the provider as usual.
     */
    readonly tags?: Record<string, string>;

    /**
     * Anything else `aws.dynamodb.Table` accepts (on-demand throughput limits, warm throughput, import
     * from S3, ...), passed through to the table as is. Fields the component manages (keys,
     * attributes, PITR, deletion protection, encryption, replicas, tags, stream, TTL, billing) are
     * not accepted here: use the fields above.
     */
    readonly tableArgs?: PassThroughTableArgs;

    /**
     * Create the table as a point-in-time restore of another table (see {@link TableRestore}). The
     * restored table gets PITR, TTL, streams, tags and protection from this component, as any other.
     * Defaults to none: an empty new table.
     */
    readonly restore?: TableRestore;

    /**
     * Take an on-demand backup whenever a trigger value changes (see {@link BackupBeforeChange}).
     * Defaults to none.
     */
    readonly backupBeforeChange?: BackupBeforeChange;

    /**
     * Scheduled backups with AWS Backup, independent of the table and of PITR's 35 days. One of:
     * - a preset, e.g. `"daily-weekly-monthly-7-year"`, or a list of presets and custom rules: the
     *   table gets its own `TableBackupPlan` (vault, KMS key, role, plan, selection);
     * - plan options with a `schedule` (vault lock, notifications, restore testing, ...): the same, configured;
     * - `{ plan }`: joins a shared `TableBackupPlan` (or another stack's plan outputs) with one selection,
     *   or none when the plan already selects the table by its tags;
     * - `false` or `"none"`: no scheduled backups (PITR stays on).
     *
     * Defaults to `"daily-monthly-1-year"` for production (daily recovery points kept 35 days in a
     * separate vault, monthly ones kept a year, past PITR's window) and to none for other tiers.
     * @default "daily-monthly-1-year" for production, "none" otherwise
     */
    readonly backup?: TableBackup;

    /**
     * Take over an existing table instead of creating one: a table this stack already manages under
     * another URN (a bare `aws.dynamodb.Table`, another module's table) through an alias, or a table
     * created outside Pulumi through `import` (see {@link TableAdoption} and docs/migration.md). The
     * live table's keys must be stated, and its encryption (`kmsKeyArn` or `encryption`), so adopting
     * can neither replace the table nor silently change its key.
     * Defaults to none: a new table.
     */
    readonly adopt?: TableAdoption;

    /**
     * Drift alarms (see {@link TableMonitoringOptions} and docs/monitoring.md): EventBridge rules on
     * CloudTrail calls that turn PITR or deletion protection off or delete the table or its backups,
     * and on failed AWS Backup jobs when the table has a plan, sent to an SNS topic; optionally AWS
     * Config rules. `true` or options turn it on, `false` off. `false` is an explicit opt-out that is
     * accepted for production tables too (for example when alarms are managed account-wide), so that
     * the choice shows in the program. A misspelt option (`topic` for `topicArn`) is an error, not ignored.
     * @default on for production, off otherwise
     */
    readonly monitoring?: boolean | TableMonitoringOptions;

    /**
     * The protection baseline of the table's account and Region (a {@link ProtectionBaseline}, or its
     * outputs from the platform's stack): the table uses the baseline's shared KMS key (unless it brings
     * its own `kmsKeyArn`), carries the tags its backup selection selects, and is watched by its alarms,
     * so the component registers only itself and the table. `backup` may then name another schedule
     * (added to the baseline's plan, in its vault); `monitoring: false` opts out of alarms on purpose.
     * A table without a baseline gets everything of its own, as a fleet of one. See docs/fleet.md.
     * @default none: the table's own key, plan and alarms
     */
    readonly baseline?: ProtectionBaselineReference;

    /**
     * For a production table that had protection of its own and now joins a `baseline`: keep its own
     * KMS key (the table stays encrypted with it, and so do its PITR history and on-demand backups) and
     * its own backup vault with every recovery point in it, protected and retained, while its own plan,
     * selection, role and alarms are removed once the baseline covers it. Without it, moving such a table
     * to a baseline stops at `pulumi up` on the protected key and vault, and nothing is deleted. See the
     * migration section of docs/fleet.md.
     * @default false
     */
    readonly keepOwnKeyAndVault?: boolean;
}

/** Fields the component manages; `tableArgs` may not set them. */
export const MANAGED_TABLE_FIELDS = [
    "attributes",
    "billingMode",
    "deletionProtectionEnabled",
    "globalSecondaryIndexes",
    "hashKey",
    "localSecondaryIndexes",
    "name",
    "pointInTimeRecovery",
    "rangeKey",
    "readCapacity",
    "region",
    "replicas",
    "restoreBackupArn",
    "restoreDateTime",
    "restoreSourceName",
    "restoreSourceTableArn",
    "restoreToLatestTime",
    "serverSideEncryption",
    "streamEnabled",
    "streamViewType",
    "tableClass",
    "tags",
    "ttl",
    "writeCapacity",
] as const;

export type PassThroughTableArgs = Omit<aws.dynamodb.TableArgs, (typeof MANAGED_TABLE_FIELDS)[number]>;

/** The table as the stack already knows it: where its URN pointed before the component existed. */
export interface PreviousTableResource {
    /**
     * The resource name the table was declared with, e.g. `"orders"` in
     * `new aws.dynamodb.Table("orders", …)`. Defaults to the component's name.
     */
    readonly name?: string;
    /**
     * The table's former parent: `"none"` for a table declared at the top of the program (its parent
     * was the stack), or the component that held it. Defaults to `"none"`. For a parent that is no
     * longer in the program (another module's component), give the full URN as `fromResource` instead.
     * @default "none"
     */
    readonly parent?: pulumi.Resource | "none";
    /**
     * The former type token. Defaults to `aws:dynamodb/table:Table`, which every version of
     * `@pulumi/aws` uses. An alias cannot cross providers: a table declared with another provider
     * (`aws-native`, Terraform) is taken over with `importExistingTable`.
     * @default "aws:dynamodb/table:Table"
     */
    readonly type?: string;
    /** The former project, when the table moves between projects. Defaults to the current project. */
    readonly project?: string;
    /** The former stack, when the table moves between stacks. Defaults to the current stack. */
    readonly stack?: string;
}

/** The key schema of the live table, as `aws dynamodb describe-table` shows it under `KeySchema`. */
export interface AdoptedKeySchema {
    /** The attribute whose `KeyType` is `HASH`. */
    readonly hashKey: string;
    /** The attribute whose `KeyType` is `RANGE`; leave unset when the table has none. */
    readonly rangeKey?: string;
}

/**
 * Take over an existing table instead of creating one (see docs/migration.md). Give exactly one of
 * `fromResource` (a table this stack already manages under another URN) and `importExistingTable` (a
 * table created outside Pulumi), and always `keySchema`.
 *
 * Run `pulumi preview` before `pulumi up`: the table must show as `~ update` (from a resource) or
 * `= import` (from outside), never `+-`/`replace`. A production table is created with `protect`, so a
 * replacement would fail rather than delete it; the preview is where to see it first.
 */
export interface TableAdoption {
    /**
     * The table this stack already manages under another URN: the full URN (copy it from
     * `pulumi stack --show-urns`), or its former name, parent, type, project and stack. The child
     * table is registered with this as an alias, so Pulumi updates the table in place.
     */
    readonly fromResource?: string | PreviousTableResource;
    /**
     * The physical name of a table created outside Pulumi (by hand, by a script, by another tool).
     * Sets the `import` resource option on the child table, and `name` when unset. The import fails
     * unless every input matches the live table: PITR on with the window declared, deletion protection
     * on for production, the `environment` tag, the same key (`kmsKeyArn`), billing mode, indexes,
     * stream and TTL. Bring the live table in line first, or import it as a bare table and then move
     * it over with `fromResource` (docs/migration.md). Leave the option in place after the import: it
     * does nothing once the table is in the stack.
     */
    readonly importExistingTable?: string;
    /**
     * The key schema of the live table. Required: a table's keys can never change in place, so keys
     * that differ from the live table's would replace it. The program cannot read the live table
     * offline; stating its keys here lets the mismatch be caught before any cloud call.
     */
    readonly keySchema: AdoptedKeySchema;
}

/** A table the application may be pointed at: a `ResilientTable`, an `aws.dynamodb.Table`, or plain values. */
export interface ActiveTableCandidate {
    readonly name: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
}

/**
 * Arguments of an {@link ActiveTable}: the tables an application may use, and which one it uses now.
 */
export interface ActiveTableArgs {
    /**
     * Every table the application may be pointed at, by a key you choose, e.g.
     * `{ orders, "orders-restore": restored }`. Listing a table here changes nothing about it: its
     * protection (`protect`, `retainOnDelete`, deletion protection) stays as its own component set it.
     */
    readonly tables: Readonly<Record<string, ActiveTableCandidate>>;
    /**
     * The key in `tables` of the table the application uses. Cutting over to a restored table, and
     * back, is a change of this one value.
     */
    readonly active: string;
    /**
     * Prefix of the SSM parameters the application reads: `<prefix>/table-name` and
     * `<prefix>/table-arn`. Must start with `/`. Defaults to `/dynamodb-pitr/<resource name>`.
     */
    readonly parameterPrefix?: string;
    /** The Region of the parameters. Defaults to the AWS provider's Region; use the application's. */
    readonly region?: string;
    /** Tags on the parameters. */
    readonly tags?: Record<string, string>;
}
