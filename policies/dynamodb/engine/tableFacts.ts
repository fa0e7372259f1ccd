/**
 * Table facts: what the rules need to know about one DynamoDB table (or replica), whatever form it
 * was declared in. `facts/tables.ts` builds them from resources; the rules decide on them alone.
 */
import { Field } from "./values";

/** Resource type tokens, from the provider packages' own classes (`__pulumiType`). */
export const TYPES = {
    table: "aws:dynamodb/table:Table",
    tableReplica: "aws:dynamodb/tableReplica:TableReplica",
    nativeTable: "aws-native:dynamodb:Table",
    nativeGlobalTable: "aws-native:dynamodb:GlobalTable",
    cloudFormationStack: "aws:cloudformation/stack:Stack",
    backupSelection: "aws:backup/selection:Selection",
    nativeBackupSelection: "aws-native:backup:BackupSelection",
    tag: "aws:dynamodb/tag:Tag",
    /** A legacy (2017.11.29) global table: it joins same-named `aws.dynamodb.Table`s in the Regions it lists. */
    legacyGlobalTable: "aws:dynamodb/globalTable:GlobalTable",
} as const;

/** The resource types that declare DynamoDB tables. */
export const TABLE_TYPES: readonly string[] = [
    TYPES.table,
    TYPES.tableReplica,
    TYPES.nativeTable,
    TYPES.nativeGlobalTable,
    TYPES.cloudFormationStack,
];

/** One set of tags, from lowest to highest precedence in `TableFacts.tagSources`. */
export interface TagSource {
    /** Where the tags come from, e.g. `tags`, or the provider's `defaultTags.tags`. */
    readonly path: string;
    /** A map, a list of `{key, value}` / `{Key, Value}`, `UNKNOWN`, or anything malformed. */
    readonly value: unknown;
    /**
     * Set when the tag is another resource (an `aws.dynamodb.Tag`), named here for messages: then
     * `value` is that resource's `{ key, value }`, and paths name its properties.
     */
    readonly owner?: string;
}

/** Another declaration in the same resource whose production-ness a table shares (a fellow replica). */
export interface Sibling {
    readonly subject: string;
    readonly tagSources: readonly TagSource[];
}

export interface TableFacts {
    /** The Pulumi resource that declares the table. */
    readonly urn: string;
    readonly resourceName: string;
    readonly resourceType: string;
    /** How messages name the table, e.g. "table `orders` (aws:dynamodb/table:Table)". */
    readonly subject: string;
    /** The stack's name, from the URN. */
    readonly stackName: string;
    /** Tag sets that decide production-ness, lowest precedence first. */
    readonly tagSources: readonly TagSource[];
    /** PITR flag; undefined when this form has no such setting. */
    readonly pitrEnabled?: Field;
    /** PITR recovery period; undefined when this form has no such setting. */
    readonly recoveryPeriodInDays?: Field;
    /**
     * How to fix a setting when "set it to true" is not enough for this form (SAM's SimpleTable has no
     * deletion protection property, and its PITR needs a word on where SAM takes it).
     */
    readonly fixes?: { readonly pitr?: string; readonly deletionProtection?: string };
    /** Where remediation would write PITR (the resource's own property), when it can. */
    readonly pitrRemediation?: "table" | "nativeTable" | "tableReplica";
    readonly deletionProtectionEnabled?: Field;
    /** Server-side encryption: whether it is on, its type, and the KMS key. */
    readonly encryption?: { readonly enabled?: Field; readonly type?: Field; readonly kmsKey: Field };
    /** The `protect` resource option of the declaring resource. */
    readonly protect?: boolean;
    /** Point-in-time restore settings (aws:dynamodb/table:Table only). */
    readonly restore?: { readonly dateTime: Field; readonly toLatestTime: Field };
    /** The table's ARN, when the form exposes one (outputs, after an update). */
    readonly arn?: Field;
    /** The table name, when given. */
    readonly tableName?: Field;
    /** For a replica of a multi-replica declaration, its position; whole-table rules read replica 0. */
    readonly replicaIndex?: number;
    /** The table's Region, when known (from its ARN, its replica entry or its provider). */
    readonly region?: string;
    /** Replicas of the same global table declared in the same resource: a production one makes this one production. */
    readonly siblings?: readonly Sibling[];
    /**
     * For a table of a CloudFormation template: the key (`<stack URN>#<logical ID>`) by which a backup
     * selection of the same template targets it.
     */
    readonly templateKey?: string;
    /** Set when the tables of this resource cannot be seen offline (a template URL, a broken body). */
    readonly cannotVerify?: string;
}
