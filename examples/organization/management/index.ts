// The management (or backup-policy delegated administrator) account: one AWS Organizations backup
// policy, attached to two OUs, that makes AWS Backup create the same plan in every account of them
// and in every Region of settings.ts. Each member account needs the vault and role the policy names:
// see ../member. docs/organizations.md walks through the rollout.
//
// In your own project, import from the package instead: `import { OrganizationBackupPolicy } from "dynamodb-pitr";`
import { OrganizationBackupPolicy } from "../../../components";
import { POLICY } from "../settings";

const policy = new OrganizationBackupPolicy("dynamodb", {
    ...POLICY,
    // The production and the payments OUs (IDs from `aws organizations list-organizational-units-for-parent`).
    targetIds: ["ou-ab12-prod0001", "ou-ab12-paym0001"],
});

export const policyId = policy.policyId;
/** The document AWS receives (minified JSON); `pulumi stack output content | jq .` to read it. */
export const content = policy.content;
/** Write this to the member stacks' policy pack config file (`--policy-pack-config`). */
export const packConfig = policy.packConfig;
