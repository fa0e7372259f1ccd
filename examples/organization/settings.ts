// What the management stack and every member stack must agree on, in one place: the Regions the
// organization's backup policy covers, the tags it selects tables by, and the vault and role names
// it writes into each account's plan. Both stacks import this file, so the names cannot drift.
import { OrganizationBackupPolicyArgs, OrganizationMemberArgs } from "../../components";

/** The Regions where member accounts hold DynamoDB tables. */
export const REGIONS = ["eu-west-1", "eu-central-1"];

/** Production tables carry `environment: production` (ResilientTable adds it); that is the selection. */
export const SELECTION = { tags: { environment: "production" } };

export const VAULT_NAME = "dynamodb-organization-backups";
export const ROLE_NAME = "dynamodb-organization-backup";

/** The policy's arguments, without where it is attached. */
export const POLICY: Omit<OrganizationBackupPolicyArgs, "targetIds"> = {
    regions: REGIONS,
    schedule: "daily-weekly-monthly-7-year",
    selection: SELECTION,
    vaultName: VAULT_NAME,
    roleName: ROLE_NAME,
    // Every member baseline turns advanced DynamoDB backup on, so cold storage and copies work.
    advancedDynamoDbBackup: "already-enabled",
};

/** What each member account's baseline takes as `organizationMember`. */
export const MEMBER: OrganizationMemberArgs = {
    vaultName: VAULT_NAME,
    roleName: ROLE_NAME,
    selectedTags: SELECTION.tags,
};
