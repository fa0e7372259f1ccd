// The seed's accident as data. `Orders` (customerId + orderId) holds ten days of orders for many
// customers; `Orders_Restore` is Orders as of the restore point, 2025-09-25T10:00:00Z. After the
// restore point customer C-07's orders of the last two days were deleted from Orders, one of
// C-07's older orders was legitimately updated, and other customers placed new orders.
import {
    BatchWriteItemCommand,
    CreateTableCommand,
    DeleteItemCommand,
    PutItemCommand,
    ScanCommand,
    waitUntilTableExists,
    type AttributeDefinition,
    type CreateTableCommandInput,
    type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../cli/recover/attributes";

export const VICTIM = "C-07";
export const CUSTOMERS = 12;
export const DAYS = 10;
export const ORDERS_PER_DAY = 3;

/** The orders C-07 lost: 2 days x 3 orders. */
export const LOST = 2 * ORDERS_PER_DAY;

export function order(
    customer: number | string,
    day: number,
    n: number,
    extra: Partial<Record<string, string>> = {},
): Item {
    const customerId = typeof customer === "number" ? `C-${String(customer).padStart(2, "0")}` : customer;
    const date = `2025-09-${String(15 + day).padStart(2, "0")}`;
    const time = `${date}T${String(8 + n).padStart(2, "0")}:00:00Z`;
    return {
        customerId: { S: customerId },
        orderId: { S: `${time}#${n}` },
        total: { N: String(10 + day * 3 + n) },
        status: { S: extra.status ?? "SHIPPED" },
        updatedAt: { S: extra.updatedAt ?? time },
    };
}

export function ordersTable(
    name: string,
    extra: Partial<CreateTableCommandInput> = {},
): CreateTableCommandInput {
    const definitions: AttributeDefinition[] = [
        { AttributeName: "customerId", AttributeType: "S" },
        { AttributeName: "orderId", AttributeType: "S" },
    ];
    return {
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: definitions,
        KeySchema: [
            { AttributeName: "customerId", KeyType: "HASH" },
            { AttributeName: "orderId", KeyType: "RANGE" },
        ],
        ...extra,
    };
}

/** Creates a table and waits until it is ACTIVE (dynalite makes it so on a later tick). */
export async function createTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
    await client.send(new CreateTableCommand(input));
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: input.TableName! });
}

export async function putAll(client: DynamoDBClient, table: string, items: readonly Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
        let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        while (requests.length) {
            const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
            requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
    }
}

/** Every item of a table, as canonical JSON lines sorted by key, for whole-table comparisons. */
export async function snapshot(client: DynamoDBClient, table: string): Promise<string[]> {
    const lines: string[] = [];
    let start: Item | undefined;
    do {
        const out = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        for (const item of out.Items ?? []) lines.push(canonical(item));
        start = out.LastEvaluatedKey;
    } while (start);
    return lines.sort();
}

export function canonical(item: Item): string {
    return JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))));
}

export interface Scenario {
    readonly restored: Item[];
    /** Orders as it should be after recovery: the live table plus C-07's lost orders. */
    readonly expectedAfter: string[];
    readonly lost: Item[];
    readonly updatedInLive: Item;
    readonly newInLive: Item[];
}

/** Creates `<prefix>Orders` and `<prefix>Orders_Restore` holding the scenario. */
export async function buildScenario(client: DynamoDBClient, prefix: string): Promise<Scenario> {
    const restored: Item[] = [];
    for (let c = 1; c <= CUSTOMERS; c++) {
        for (let day = 0; day < DAYS; day++)
            for (let n = 0; n < ORDERS_PER_DAY; n++) restored.push(order(c, day, n));
    }
    const victim = (item: Item) => item.customerId.S === VICTIM;
    const lost = restored.filter((i) => victim(i) && i.orderId.S! >= "2025-09-23");
    const updatedInLive = order(VICTIM, 2, 1, { status: "RETURNED", updatedAt: "2025-09-25T12:00:00Z" });
    const newInLive = [order(3, 10, 0), order(5, 10, 1), order(9, 11, 2)];
    const live = [
        ...restored.filter(
            (i) => !lost.includes(i) && canonical(keyOnly(i)) !== canonical(keyOnly(updatedInLive)),
        ),
        updatedInLive,
        ...newInLive,
    ];
    await createTable(client, ordersTable(`${prefix}Orders_Restore`));
    await createTable(client, ordersTable(`${prefix}Orders`));
    await putAll(client, `${prefix}Orders_Restore`, restored);
    await putAll(client, `${prefix}Orders`, live);
    return {
        restored,
        expectedAfter: [...live, ...lost].map(canonical).sort(),
        lost,
        updatedInLive,
        newInLive,
    };
}

export function keyOnly(item: Item): Item {
    return { customerId: item.customerId, orderId: item.orderId };
}

export async function putOne(client: DynamoDBClient, table: string, item: Item): Promise<void> {
    await client.send(new PutItemCommand({ TableName: table, Item: item }));
}

export async function deleteOne(client: DynamoDBClient, table: string, key: Item): Promise<void> {
    await client.send(new DeleteItemCommand({ TableName: table, Key: key }));
}

let counter = 0;
/** A fresh table-name prefix per test, so tests share one server without sharing tables. */
export function uniquePrefix(): string {
    counter += 1;
    return `t${counter}_`;
}
