/** The argument types of a {@link ProtectionBaseline}: types only, imported without a circle. */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupSchedule } from "../backup/presets";
import type {
    AirGappedDestination,
    BackupPlanOptions,
    BaselineAuditArgs,
    RestoreTestingArgs,
} from "../backup/types";
import type { AlertScope } from "../monitoring/types";
import type { OrganizationMemberArgs } from "../org/organizationPolicyArgs";

/** Which tables the baseline's backup plan selects. */
export type BaselineSelection =
    /** Every DynamoDB table of the Region carrying all these tags. */
    | { readonly tags: Readonly<Record<string, string>> }
    /**
     * These tables, by ARN (wildcards allowed, e.g. `arn:aws:dynamodb:eu-west-1:123456789012:table/orders-*`):
     * at most 500 ARNs, or 30 with wildcards (AWS Backup API Reference, BackupSelection).
     */
    | { readonly tableArns: readonly string[] };

/** The fleet's alarms. */
export interface BaselineAlerts {
    /**
     * Which tables the alarms watch. EventBridge cannot filter by tag, so: `"account"` (every table of
     * the account and Region, whatever its tier: the default, so that no production table is ever
     * unwatched), `{ tableNamePrefix }`, or `{ tableNames }` (at most what fits EventBridge's 2,048-character
     * event pattern). @default "account"
     */
    readonly scope?: AlertScope;
    /**
     * The SNS topic to alert, in the baseline's Region. Defaults to a topic the baseline creates, which
     * only its rules may publish to. A topic passed in needs a policy allowing `events.amazonaws.com`.
     */
    readonly topicArn?: pulumi.Input<string>;
    /** Alert on AWS Backup jobs of tables in scope that fail, abort or expire. @default true */
    readonly backupJobAlerts?: boolean;
}

/** Arguments of a {@link ProtectionBaseline}. */
export interface ProtectionBaselineArgs {
    /**
     * The Region the baseline protects. Defaults to the provider's Region. Backup selections, EventBridge
     * rules, AWS Config rules and KMS keys act in their own Region only: create one baseline per Region
     * that holds tables.
     */
    readonly region?: string;
    /**
     * Regions where joined tables have global-table replicas. Each gets a shared KMS key, an EventBridge
     * rule that forwards the replica's safety-net events to the baseline's Region (one topic for the
     * whole fleet), and AWS Config rules when those are on. A table may only place replicas in these
     * Regions, so no replica is ever unwatched. @default []
     */
    readonly replicaRegions?: readonly string[];
    /**
     * The customer-managed KMS key shared by joined tables and the backup vault. Defaults to a key the
     * baseline creates with yearly rotation and a 30-day deletion window, protected and retained: one
     * key (about $1 a month) for the fleet instead of one per table. A table can still bring its own
     * `kmsKeyArn`.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * The tables the backup plan selects: by tag (default `{ environment: "production" }`: one selection
     * covers every production table, including tables created later, in any stack of the account) or by
     * a list of ARNs. @default { tags: { environment: "production" } }
     */
    readonly selection?: BaselineSelection;
    /** When to back up and how long to keep, as {@link TableBackupPlan}'s `schedule`. @default "daily-monthly-1-year" */
    readonly schedule?: BackupSchedule;
    /** As {@link TableBackupPlan}'s `advancedDynamoDbBackup`. */
    readonly advancedDynamoDbBackup?: "enable" | "already-enabled";
    /** Vault Lock, as {@link TableBackupPlan}'s `vaultLock`. Defaults to no lock. */
    readonly vaultLock?: BackupPlanOptions["vaultLock"];
    /** SNS notifications of the vault's jobs, as {@link TableBackupPlan}'s `notifications`. Defaults to none. */
    readonly notifications?: {
        readonly topicArn?: pulumi.Input<string>;
        readonly events?: readonly string[];
    };
    /**
     * A vault the workload account cannot empty, as {@link TableBackupPlan}'s `airGapped`: every rule
     * copies there too. In member mode the organization's policy holds the rules and their copies (set
     * `airGapped` on the {@link OrganizationBackupPolicy}); here it names the same destination, is
     * checked (ARN, retention range, `advancedDynamoDbBackup`, which the policy's jobs need set by
     * hand) and creates nothing. @default - no air-gapped copy
     */
    readonly airGapped?: AirGappedDestination;
    /** Restore testing, as {@link TableBackupPlan}'s `restoreTesting`. Defaults to off. */
    readonly restoreTesting?: boolean | RestoreTestingArgs;
    /** Vault name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly vaultName?: string;
    /** Plan name. Defaults to `<project>-<stack>-<name>`, cut and hashed to fit 50 characters. */
    readonly planName?: string;
    /**
     * The fleet's drift and backup-job alarms: one rule set for every table in scope, to one SNS topic,
     * with the table's name in each alert. `false` turns them off; production tables then refuse to join
     * unless they say `monitoring: false` themselves. @default { scope: "account" }
     */
    readonly alerts?: false | BaselineAlerts;
    /**
     * AWS Config managed rules `dynamodb-pitr-enabled`, `dynamodb-in-backup-plan` and
     * `dynamodb-table-deletion-protection-enabled`, once per Region, scoped to tables with the selection's
     * tier tag. They need an AWS Config recorder recording `AWS::DynamoDB::Table` in the account and
     * Region (AWS Control Tower and most landing zones have one); set `false` where there is none.
     * @default true
     */
    readonly configRules?: boolean | { readonly tagKey?: string; readonly tagValue?: string };
    /** The tag key that puts a joined table on one of the baseline's extra schedules. @default "backup-schedule" */
    readonly scheduleTagKey?: string;
    /** Tags for every resource the baseline creates. The baseline adds `environment: production`. */
    readonly tags?: Record<string, string>;
    /**
     * Member-account mode, for an account an {@link OrganizationBackupPolicy} protects: the baseline
     * creates the vault (with its key and lock) and IAM role under the names the policy gives, and its
     * alarms and AWS Config rules, but no backup plan or selection: AWS Backup creates the plan from the
     * policy. Pass the policy's `memberArgs`. Not combinable with `schedule`, `selection`, `planName`,
     * `vaultName`, `restoreTesting`, `notifications` or `scheduleTagKey`.
     * @default - off: the baseline creates its own plan and selection
     */
    readonly organizationMember?: OrganizationMemberArgs;
    /**
     * An AWS Backup Audit Manager framework proving this protection (controls in components/backup/audit.ts),
     * with an optional daily report to S3. Needs AWS Config recording backup resources; each control
     * evaluation is billed. @default false
     */
    readonly audit?: boolean | BaselineAuditArgs;
}
