// The checkout service's tables, built from the platform team's golden template: the app team
// writes keys and indexes; encryption, tags, PITR, deletion protection and backups come from
// `platform.ts`. The three tables share one KMS key and one backup plan, whose tag selection covers
// all of them (and any table added later) without a selection per table.
import { Platform } from "./platform";

const platform = new Platform({ team: "checkout", costCenter: "cc-4711" });

const orders = platform.table("orders", {
    hashKey: "orderId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "customerId", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId" }],
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
});

export const tableNames = [orders.name, carts.name, payments.name];
export const backupPlanArn = platform.backups.planArn;
export const backupVaultName = platform.backups.vaultName;
