// Items recovered per second: `recoverItems` (conditional PutItem in parallel, paced, checked
// against the live table) against a naive loop that scans the restored table and sends one
// conditional PutItem at a time. Both run against the same local dynalite server (in its own
// process), in the same run, on the same data. BENCH_RECOVER_ITEMS sets the item count
// (default 100,000).
import {
    BatchWriteItemCommand,
    CreateTableCommand,
    PutItemCommand,
    ScanCommand,
    type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { recoverItems } from "../cli/recover/recover";
import { startDynalite } from "../tests/support/dynalite";

type Item = Record<string, AttributeValue>;

function table(name: string) {
    return new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
            { AttributeName: "customerId", AttributeType: "S" },
            { AttributeName: "orderId", AttributeType: "S" },
        ],
        KeySchema: [
            { AttributeName: "customerId", KeyType: "HASH" },
            { AttributeName: "orderId", KeyType: "RANGE" },
        ],
    });
}

function orderItem(i: number): Item {
    return {
        customerId: { S: `C-${i % 1000}` },
        orderId: { S: `2025-09-24T10:00:00Z#${String(i).padStart(7, "0")}` },
        total: { N: String(i % 977) },
        status: { S: "SHIPPED" },
        lines: { S: "x".repeat(200) },
    };
}

export async function bench(): Promise<{ title: string; rows: Array<Record<string, string | number>> }> {
    const items = Number(process.env.BENCH_RECOVER_ITEMS ?? 100_000);
    if (!Number.isInteger(items) || items < 1)
        throw new Error(
            `BENCH_RECOVER_ITEMS is ${process.env.BENCH_RECOVER_ITEMS}; it must be a positive whole number.`,
        );
    const local = await startDynalite({ childProcess: true });
    const client = local.client();
    try {
        for (const name of ["Orders_Restore", "Orders_Naive", "Orders_Recover"])
            await client.send(table(name));
        for (let i = 0; i < items; i += 25) {
            const batch = [];
            for (let j = i; j < Math.min(items, i + 25); j++)
                batch.push({ PutRequest: { Item: orderItem(j) } });
            let pending: typeof batch = batch;
            while (pending.length) {
                const out = await client.send(
                    new BatchWriteItemCommand({ RequestItems: { Orders_Restore: pending } }),
                );
                pending = (out.UnprocessedItems?.Orders_Restore ?? []) as typeof batch;
            }
        }

        // Naive: read the restored table page by page and write each item with the same safety condition.
        const naiveStart = process.hrtime.bigint();
        let naiveWritten = 0;
        let start: Item | undefined;
        do {
            const page = await client.send(
                new ScanCommand({ TableName: "Orders_Restore", ExclusiveStartKey: start }),
            );
            for (const item of page.Items ?? []) {
                await client.send(
                    new PutItemCommand({
                        TableName: "Orders_Naive",
                        Item: item,
                        ConditionExpression: "attribute_not_exists(customerId)",
                    }),
                );
                naiveWritten++;
            }
            start = page.LastEvaluatedKey;
        } while (start);
        const naiveSeconds = Number(process.hrtime.bigint() - naiveStart) / 1e9;

        // recoverItems with its defaults, except a rate limit high enough not to be the bottleneck.
        const recoverStart = process.hrtime.bigint();
        const report = await recoverItems({
            from: "Orders_Restore",
            into: "Orders_Recover",
            apply: true,
            client,
            rateLimitWcu: 1_000_000,
        });
        const recoverSeconds = Number(process.hrtime.bigint() - recoverStart) / 1e9;
        if (report.counts.written !== items || naiveWritten !== items) {
            throw new Error(
                `Expected ${items} items written, got ${report.counts.written} (recover) and ${naiveWritten} (naive).`,
            );
        }

        const naiveRate = naiveWritten / naiveSeconds;
        const recoverRate = report.counts.written / recoverSeconds;
        return {
            title: `recover: items recovered per second, ${items} items, local dynalite`,
            rows: [
                {
                    method: "naive loop (Scan, one conditional PutItem at a time)",
                    items: naiveWritten,
                    seconds: round(naiveSeconds),
                    "items/s": Math.round(naiveRate),
                },
                {
                    method: "recoverItems (compare + 16 parallel conditional PutItem, 4 Scan segments)",
                    items: report.counts.written,
                    seconds: round(recoverSeconds),
                    "items/s": Math.round(recoverRate),
                },
                {
                    method: "ratio recoverItems / naive",
                    items,
                    seconds: "",
                    "items/s": `${round(recoverRate / naiveRate)}x`,
                },
            ],
        };
    } finally {
        client.destroy();
        await local.stop();
    }
}

function round(n: number): number {
    return Math.round(n * 100) / 100;
}
