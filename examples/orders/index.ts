// The e-commerce Orders table: one item per order, looked up by order id, and listed per customer
// through a global secondary index. Production tier (the default): PITR for 35 days, deletion
// protection, `protect` + `retainOnDelete`, a customer-managed KMS key with rotation, and the
// `environment: production` tag the policy pack reads.
//
// In your own project, import from the package instead: `import { ResilientTable } from "dynamodb-pitr";`
import { ResilientTable } from "../../components";

const orders = new ResilientTable("orders", {
    name: "Orders",
    hashKey: "orderId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "customerId", type: "S" },
        { name: "createdAt", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId", rangeKey: "createdAt" }],
    pointInTimeRecovery: { recoveryPeriodInDays: 35 },
    tier: "production",
    tags: { service: "checkout" },
});

export const tableName = orders.name;
export const tableArn = orders.arn;
export const kmsKeyArn = orders.kmsKeyArn;
