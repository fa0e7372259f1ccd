// The checkout service's tables, built from the platform team's golden template: the app team
// writes keys and indexes; encryption, tags, PITR, deletion protection, backups and alarms come from
// the team's protection baseline in `platform.ts`. Each table registers itself and nothing else:
// the key, the backup plan (one tag selection for all of them, and any table added later) and the
// alarms are shared.
import { Platform } from "./platform";

const platform = new Platform({ team: "checkout", costCenter: "cc-4711", replicaRegions: ["eu-west-1"] });

const orders = platform.table("orders", {
    hashKey: "orderId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "customerId", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId" }],
    // A global table: the replica gets PITR, deletion protection and the baseline's key in eu-west-1.
    replicas: [{ regionName: "eu-west-1" }],
});

const carts = platform.table("carts", {
    hashKey: "customerId",
    attributes: [{ name: "customerId", type: "S" }],
    ttlAttribute: "expiresAt",
});

const payments = platform.table("payments", {
    hashKey: "orderId",
    rangeKey: "paymentId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "paymentId", type: "S" },
    ],
    pointInTimeRecovery: { recoveryPeriodInDays: 35 },
    // Payments keep a yearly recovery point for 10 years too: a second plan in the same vault,
    // shared by every table that asks for the same schedule.
    backup: [{ name: "Yearly", schedule: "cron(0 5 1 1 ? *)", lifecycle: { deleteAfterDays: 3650 } }],
});

export const tableNames = [orders.name, carts.name, payments.name];
export const backupPlanArn = platform.baseline.planArn;
export const backupVaultName = platform.baseline.vaultName;
export const alertTopicArn = platform.baseline.alertTopicArn;
