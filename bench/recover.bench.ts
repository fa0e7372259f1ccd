// Items recovered per second: `recoverItems` (compare with the live table, conditional PutItem in
// parallel, paced, then the live-only pass) against a naive loop that scans the restored table and
// sends one conditional PutItem at a time. Everything runs against the same local dynalite server
// (in its own process), in the same run, on the same data; each method first runs once on a small
// warm-up table so that none of them pays for loading and compiling the SDK's code paths.
// BENCH_RECOVER_ITEMS sets the item count (default 100,000).
//
// Rows:
// - the naive loop with a plain SDK client (`new DynamoDBClient({...})`, what a script would use);
// - the naive loop with the client settings recoverItems uses for its own client
//   (`recoveryClientConfig`), to show how much of the difference is the client and how much the
//   parallel writes;
// - recoverItems building its own client, as the `recover` command runs;
// - recoverItems given the plain client, as a library caller passing `client` runs it.
import {
    BatchWriteItemCommand,
    CreateTableCommand,
    DescribeTableCommand,
    DynamoDBClient,
    PutItemCommand,
    ScanCommand,
    type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { recoverItems, recoveryClientConfig, type RecoverOptions } from "../cli/recover/recover";
import { startDynalite, type LocalDynamo } from "../tests/support/dynalite";
import type { BenchResult } from "./measure";

type Item = Record<string, AttributeValue>;

const WARM_UP_ITEMS = 500;

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

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
    await client.send(table(name));
    // dynalite makes a table ACTIVE right after answering CreateTable; wait until it says so.
    while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== "ACTIVE")
        await new Promise((resolve) => setTimeout(resolve, 10));
}

async function load(client: DynamoDBClient, name: string, items: number): Promise<void> {
    for (let i = 0; i < items; i += 25) {
        const batch = [];
        for (let j = i; j < Math.min(items, i + 25); j++) batch.push({ PutRequest: { Item: orderItem(j) } });
        let pending: typeof batch = batch;
        while (pending.length) {
            const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [name]: pending } }));
            pending = (out.UnprocessedItems?.[name] ?? []) as typeof batch;
        }
    }
}

/** Reads the restored table page by page and writes each item with the same safety condition. */
async function naiveLoop(client: DynamoDBClient, from: string, into: string): Promise<number> {
    let written = 0;
    let start: Item | undefined;
    do {
        const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) {
            await client.send(
                new PutItemCommand({
                    TableName: into,
                    Item: item,
                    ConditionExpression: "attribute_not_exists(customerId)",
                }),
            );
            written++;
        }
        start = page.LastEvaluatedKey;
    } while (start);
    return written;
}

interface Method {
    readonly name: string;
    run(from: string, into: string): Promise<number>;
}

export async function bench(): Promise<BenchResult> {
    const items = Number(process.env.BENCH_RECOVER_ITEMS ?? 100_000);
    if (!Number.isInteger(items) || items < 1)
        throw new Error(
            `BENCH_RECOVER_ITEMS is ${process.env.BENCH_RECOVER_ITEMS}; it must be a positive whole number.`,
        );
    const local: LocalDynamo = await startDynalite({ childProcess: true });
    const plain = local.client();
    const where = { endpoint: local.endpoint, region: local.region, credentials: local.credentials };
    const tuned = new DynamoDBClient(recoveryClientConfig(where));
    // A rate limit high enough not to be the bottleneck; everything else as the defaults.
    const recover = async (from: string, into: string, extra: Partial<RecoverOptions>) =>
        (await recoverItems({ from, into, apply: true, rateLimitWcu: 1_000_000, ...extra })).counts.written;
    const methods: Method[] = [
        {
            name: "naive loop (Scan, one conditional PutItem at a time), plain SDK client",
            run: (from, into) => naiveLoop(plain, from, into),
        },
        {
            name: "naive loop, with recoverItems' client settings",
            run: (from, into) => naiveLoop(tuned, from, into),
        },
        {
            name: "recoverItems (compare, 16 parallel conditional PutItem, 4 Scan segments, live-only pass), own client",
            run: (from, into) => recover(from, into, where),
        },
        {
            name: "recoverItems, given the plain SDK client",
            run: (from, into) => recover(from, into, { client: plain }),
        },
    ];
    try {
        await createTable(plain, "Orders_Restore");
        await createTable(plain, "Warm_Restore");
        await load(plain, "Orders_Restore", items);
        await load(plain, "Warm_Restore", Math.min(items, WARM_UP_ITEMS));
        for (const [i, method] of methods.entries()) {
            await createTable(plain, `Warm_${i}`);
            await method.run("Warm_Restore", `Warm_${i}`);
        }

        const rates: number[] = [];
        const rows: Array<Record<string, string | number>> = [];
        for (const [i, method] of methods.entries()) {
            await createTable(plain, `Orders_${i}`);
            const start = process.hrtime.bigint();
            const written = await method.run("Orders_Restore", `Orders_${i}`);
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            if (written !== items)
                throw new Error(`Expected ${items} items written by ${method.name}, got ${written}.`);
            rates.push(written / seconds);
            rows.push({
                method: method.name,
                items: written,
                seconds: round(seconds),
                "items/s": Math.round(written / seconds),
            });
        }
        const [naive, naiveTuned, own, given] = rates;
        rows.push(
            {
                method: "ratio recoverItems (own client) / naive loop",
                items,
                seconds: "",
                "items/s": `${round(own / naive)}x`,
            },
            {
                method: "ratio recoverItems (own client) / naive loop with the same client settings",
                items,
                seconds: "",
                "items/s": `${round(own / naiveTuned)}x`,
            },
            {
                method: "ratio recoverItems (given the plain client) / naive loop",
                items,
                seconds: "",
                "items/s": `${round(given / naive)}x`,
            },
        );
        return {
            title: `recover: items recovered per second, ${items} items, local dynalite`,
            rows,
            notes: [
                "dynalite and this process share the machine's cores: recoverItems gains from running writes in parallel only when a core is free for each.",
            ],
        };
    } finally {
        plain.destroy();
        tuned.destroy();
        await local.stop();
    }
}

function round(n: number): number {
    return Math.round(n * 100) / 100;
}
