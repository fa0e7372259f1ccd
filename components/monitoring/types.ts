/** The argument types of table and fleet monitoring: types only, imported without a circle. */
import type * as pulumi from "@pulumi/pulumi";

/** Which tables the fleet's alarms watch. */
export type AlertScope =
    /** Every DynamoDB table of the account and Region, whatever its tier. */
    | "account"
    /** The tables whose name starts with this prefix, e.g. `prod-`. */
    | { readonly tableNamePrefix: string }
    /** These tables, by name; the patterns must fit EventBridge's 2,048-character limit. */
    | { readonly tableNames: readonly string[] };

/** What to monitor, as {@link ResilientTable}'s `monitoring` argument takes it. */
export interface TableMonitoringOptions {
    /**
     * The SNS topic to alert. Defaults to a topic the component creates, with a policy that lets only
     * these EventBridge rules publish to it. A topic passed in needs a policy allowing
     * `events.amazonaws.com` to `sns:Publish` (and, if it is encrypted, a KMS key EventBridge may use).
     */
    readonly topicArn?: pulumi.Input<string>;
    /**
     * Alert when an AWS Backup job for the table fails, aborts or expires. Defaults to `true` when the
     * table is in a backup plan (the component knows), `false` otherwise.
     */
    readonly backupJobAlerts?: boolean;
    /**
     * Deploy AWS Config managed rules `dynamodb-pitr-enabled`, `dynamodb-in-backup-plan` and
     * `dynamodb-table-deletion-protection-enabled`, scoped to tables tagged `environment: production`
     * (or the tag given). They need an AWS Config recorder that records `AWS::DynamoDB::Table` in the
     * account and Region. The rules check every tagged table, so one set per account and Region is
     * enough: a `ProtectionBaseline` creates them once; without one, turn this on for one table only.
     * @default false
     */
    readonly configRules?: boolean | { readonly tagKey?: string; readonly tagValue?: string };
}

export interface TableMonitoringArgs extends TableMonitoringOptions {
    /** The table's physical name. */
    readonly tableName: pulumi.Input<string>;
    /** The table's ARN. */
    readonly tableArn: pulumi.Input<string>;
    /** The table's Region; EventBridge rules see only events of their own Region. Defaults to the provider's. */
    readonly region?: string;
    /** Tags for the rules and the topic. */
    readonly tags?: Record<string, string>;
}
