// One member account and Region: the vault (with its key and lock) and the IAM role that the
// organization's backup policy names, created under exactly those names, the fleet's alarms, and an
// AWS Backup Audit Manager framework that proves the protection. No backup plan or selection: AWS
// Backup creates the plan from the policy. Deploy one such stack per account and Region (or a
// CloudFormation StackSet with the same names; docs/organizations.md).
//
// Check it with the organization's selection known to the policy pack:
//   npm start -- examples/organization/member --policy-config examples/organization/member/policy-config.json
import { ProtectionBaseline, ResilientTable } from "../../../components";
import { MEMBER } from "../settings";

const baseline = new ProtectionBaseline("organization", {
    organizationMember: MEMBER,
    // Cold storage and cross-Region copies of DynamoDB backups need it, in every account and Region.
    advancedDynamoDbBackup: "enable",
    // Recovery points cannot be deleted before 35 days, even by an administrator of this account.
    vaultLock: { mode: "governance", minRetentionDays: 35 },
    audit: true,
});

// A production table of this account: it joins the baseline for the key and alarms, and carries
// `environment: production`, so the organization's plan selects it.
const orders = new ResilientTable("orders", {
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
    baseline,
});

export const vaultName = baseline.vaultName;
export const tableName = orders.name;
