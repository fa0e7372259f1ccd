/**
 * The arguments of an {@link OrganizationBackupPolicy} and the names it shares with the member
 * accounts' baselines. Types and constants only, so the component, the document builder and
 * ProtectionBaseline's member mode can all import them without importing each other.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupSchedule } from "../backup/presets";
import type { AirGappedDestination } from "../backup/types";

/**
 * The vault the organization's plan stores recovery points in, in every member account and Region.
 * A `ProtectionBaseline` in member mode creates it under this name unless told otherwise.
 */
export const DEFAULT_ORGANIZATION_VAULT_NAME = "dynamodb-organization-backups";
/** The IAM role AWS Backup assumes in every member account; created by member-mode baselines. */
export const DEFAULT_ORGANIZATION_ROLE_NAME = "dynamodb-organization-backup";
/** The plan's name in the policy; AWS Backup creates a plan of this name in every member account. */
export const DEFAULT_ORGANIZATION_PLAN_NAME = "dynamodb-tables";

/** A copy of every recovery point to another vault (another Region or another account). */
export interface OrganizationCopyTo {
    /**
     * The destination vault's ARN, `arn:aws:backup:<region>:<account>:backup-vault:<name>`; `$account`
     * may stand for the account ID (the member account that made the backup), e.g.
     * `arn:aws:backup:eu-west-1:$account:backup-vault:dynamodb-organization-backups`.
     */
    readonly vaultArn: pulumi.Input<string>;
    /**
     * Days after which the copy is deleted (1 to 36,500).
     * @default - the same retention as the rule's own recovery points
     */
    readonly deleteAfterDays?: number;
}

/** Arguments of an {@link OrganizationBackupPolicy}. */
export interface OrganizationBackupPolicyArgs {
    /**
     * Where the policy is attached: the organization's root (`r-` and 4 to 32 characters), organizational
     * units (`ou-<root part>-<8 to 32 characters>`) or accounts (12 digits). One `PolicyAttachment` each.
     * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
     */
    readonly targetIds: ReadonlyArray<pulumi.Input<string>>;
    /** The Regions where AWS Backup creates the plan in every account the policy reaches. Required, non-empty. */
    readonly regions: readonly string[];
    /**
     * When to back up and how long to keep, as {@link TableBackupPlan}'s `schedule`: one plan rule each.
     * @default "daily-monthly-1-year"
     */
    readonly schedule?: BackupSchedule;
    /**
     * Which DynamoDB tables the plan selects: those carrying every one of these tags. The policy selects
     * DynamoDB tables only (`resource_types: ["arn:aws:dynamodb:*:*:table/*"]`), never other resources
     * that carry the same tags.
     * @default { tags: { environment: "production" } }
     */
    readonly selection?: { readonly tags: Readonly<Record<string, string>> };
    /**
     * The vault name in every member account and Region (`target_backup_vault_name`); it must exist there.
     * @default "dynamodb-organization-backups"
     */
    readonly vaultName?: string;
    /**
     * The IAM role name AWS Backup assumes in every member account (`arn:aws:iam::$account:role/<roleName>`);
     * it must exist there. @default "dynamodb-organization-backup"
     */
    readonly roleName?: string;
    /** Copies of every rule's recovery points, keyed by destination vault ARN. @default [] */
    readonly copyTo?: readonly OrganizationCopyTo[];
    /**
     * A vault no member account can empty (a logically air-gapped vault in a central or recovery
     * account, or a compliance-locked vault there): every rule copies each member's recovery points
     * to it, as one more `copy_actions` entry. Its ARN must be known when the policy is built, and each
     * copy's retention must fit its minimum and maximum. Needs `advancedDynamoDbBackup`.
     * @default - no air-gapped copy
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
     */
    readonly airGapped?: AirGappedDestination;
    /** The plan's name in the policy and in every member account. @default "dynamodb-tables" */
    readonly planName?: string;
    /**
     * States that AWS Backup's advanced DynamoDB backup is on in every member account and Region (a
     * member-mode `ProtectionBaseline` with `advancedDynamoDbBackup: "enable"` turns it on): needed for
     * cold storage and copies. Unset: presets keep recovery points warm, and copies are refused.
     */
    readonly advancedDynamoDbBackup?: "already-enabled";
    /**
     * Let policies attached lower in the organization (an OU's, an account's) change this plan with
     * inheritance operators. Off: the plan carries `@@operators_allowed_for_child_policies: ["@@none"]`,
     * so no child policy can shorten retention or drop the selection.
     * @default false
     */
    readonly allowChildPolicyChanges?: boolean;
    /** Description of the Organizations policy. @default - names the schedule and selection */
    readonly description?: string;
    /** Tags on the Organizations policy. @default {} */
    readonly tags?: Record<string, string>;
}

/**
 * What each member account's `ProtectionBaseline` needs to match an organization's backup policy:
 * pass it as `organizationMember` (see docs/organizations.md).
 */
export interface OrganizationMemberArgs {
    /** The vault the policy names. @default "dynamodb-organization-backups" */
    readonly vaultName?: string;
    /** The IAM role the policy names. @default "dynamodb-organization-backup" */
    readonly roleName?: string;
    /**
     * The tags the policy selects tables by; tables joining the baseline are given them.
     * @default { environment: "production" }
     */
    readonly selectedTags?: Readonly<Record<string, string>>;
    /**
     * Create the IAM role. IAM is global: when one account has a member baseline in several Regions,
     * only one of them creates the role; set `false` in the others. @default true
     */
    readonly createRole?: boolean;
    /**
     * The vaults outside the member account the policy copies every recovery point to (its `copyTo`
     * and `airGapped`), as the policy's `memberArgs` give them. Empty: an admin in the member account
     * could delete every recovery point, and the baseline says so at preview.
     * @default - unknown: no advisory
     */
    readonly copiesOutsideAccount?: readonly string[];
}
