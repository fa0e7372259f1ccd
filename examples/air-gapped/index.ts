// A production table whose backups survive someone with admin in its account (ransomware, a
// compromised pipeline): every daily and monthly recovery point is also copied to a logically
// air-gapped vault, which AWS keeps locked in compliance mode and stores in an account AWS Backup
// owns, shared through AWS RAM with a recovery account that can restore from it. See
// docs/ransomware.md for what each setup leaves an attacker, and docs/restore.md for the restore.
//
// One stack here for brevity; in production the vault usually lives in a central backup account's
// stack, and this stack passes its ARN: `airGapped: { vaultArn, minRetentionDays: 7, maxRetentionDays: 365 }`.
//
// In your own project, import from the package instead: `import { AirGappedVault, ResilientTable } from "dynamodb-pitr";`
import { AirGappedVault, ResilientTable } from "../../components";

/** The account that restores when this one is lost (from `aws sts get-caller-identity` there). */
const RECOVERY_ACCOUNT = "111122223333";

const lastResort = new AirGappedVault("last-resort", {
    // Copies are kept 7 days at least and a year at most: the default schedule's monthly points fit.
    minRetentionDays: 7,
    maxRetentionDays: 365,
    share: { accountIds: [RECOVERY_ACCOUNT] },
    notifications: {},
});

const orders = new ResilientTable("orders", {
    name: "Orders",
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
    tier: "production",
    backup: {
        schedule: "daily-monthly-1-year",
        // Copies of DynamoDB recovery points need AWS Backup's advanced DynamoDB backup.
        advancedDynamoDbBackup: "enable",
        airGapped: lastResort.destination,
    },
});

export const tableArn = orders.arn;
export const airGappedVaultArn = lastResort.vaultArn;
