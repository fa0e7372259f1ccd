// Restore the Orders table (examples/orders) into a new table, Orders_Restore. The equivalent AWS
// CLI command:
//
//   aws dynamodb restore-table-to-point-in-time --source-table-name Orders \
//       --target-table-name Orders_Restore --use-latest-restorable-time
//
// Unlike the CLI, the restored table comes out with everything a restore leaves behind (PITR,
// stream, tags, deletion protection, encryption, backups) set again from its tier. Orders itself is
// only read.
//
// By default the table is restored to Orders' latest restorable time (about 5 minutes ago), which
// lies in the window whatever the day. After an incident, restore to the instant before it instead:
//
//   pulumi config set restoreDateTime 2026-11-25T09:00:00Z
//
// The time must lie inside Orders' restorable window when the table is created: not in the future,
// at least 5 minutes ago, and within its 35-day recovery period. A time outside the window fails at
// preview, before anything is created, with the window in the message.
//
// A restore is one-shot: after Orders_Restore exists, changing or removing `restore` changes
// nothing (the table keeps its data). To restore again, add a table under a new resource name.
//
// In your own project, import from the package instead: `import { ResilientTable } from "dynamodb-pitr";`
import * as pulumi from "@pulumi/pulumi";
import { ResilientTable } from "../../components";

const config = new pulumi.Config();
// An instant of your choosing, e.g. "2026-11-25T09:00:00Z"; unset: the latest restorable time.
const restoreDateTime = config.get("restoreDateTime");

const restored = new ResilientTable("orders-restore", {
    name: "Orders_Restore",
    // The source's keys and indexes, as declared in examples/orders.
    hashKey: "orderId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "customerId", type: "S" },
        { name: "createdAt", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId", rangeKey: "createdAt" }],
    restore:
        restoreDateTime === undefined
            ? { sourceTableName: "Orders", restoreToLatestTime: true }
            : { sourceTableName: "Orders", restoreDateTime },
    tags: { service: "checkout", restoredFrom: "Orders" },
});

export const tableName = restored.name;
export const tableArn = restored.arn;
export const restoredTo = restoreDateTime ?? "latest restorable time";
