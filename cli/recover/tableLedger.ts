// Claims kept in a small DynamoDB table (`--claims-table`), for an S3-compatible `--state` that
// does not enforce conditional writes. One item per claim: the partition key `share` (S) is the
// state location and the worker's index, so one table serves any number of recoveries; the sort
// key `generation` (N) numbers the claims. A claim is a PutItem with
// `attribute_not_exists(share)`, which DynamoDB refuses (ConditionalCheckFailedException) when
// the item exists; reads are strongly consistent.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
import {
    type CreateTableCommandInput,
    DescribeTableCommand,
    GetItemCommand,
    PutItemCommand,
    QueryCommand,
    type KeySchemaElement,
} from "@aws-sdk/client-dynamodb";
import type { ClaimLedger } from "./claimLedger";
import type { DynamoSender } from "./preflight";

/** The claims table's key schema, as `recover` expects it. */
export const CLAIMS_TABLE_KEYS = { partition: "share", sort: "generation" } as const;

/** The CreateTable input of a claims table named `table` (on demand: a few writes per worker). */
export function claimsTableDefinition(table: string): CreateTableCommandInput {
    return {
        TableName: table,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
            { AttributeName: CLAIMS_TABLE_KEYS.partition, AttributeType: "S" },
            { AttributeName: CLAIMS_TABLE_KEYS.sort, AttributeType: "N" },
        ],
        KeySchema: [
            { AttributeName: CLAIMS_TABLE_KEYS.partition, KeyType: "HASH" },
            { AttributeName: CLAIMS_TABLE_KEYS.sort, KeyType: "RANGE" },
        ],
    };
}

/** The AWS CLI command that creates a claims table named `table` (claimsTableDefinition's input). */
export function createClaimsTableCommand(table: string): string {
    const d = claimsTableDefinition(table);
    return [
        `aws dynamodb create-table --table-name ${table} --billing-mode ${d.BillingMode}`,
        `--attribute-definitions ${d.AttributeDefinitions!.map((a) => `AttributeName=${a.AttributeName},AttributeType=${a.AttributeType}`).join(" ")}`,
        `--key-schema ${d.KeySchema!.map((k) => `AttributeName=${k.AttributeName},KeyType=${k.KeyType}`).join(" ")}`,
    ].join(" ");
}

/** A problem with the claims table's name, before anything is sent; undefined when it can be used. */
export function checkClaimsTableName(table: string): string | undefined {
    return /^[a-zA-Z0-9_.-]{3,255}$/.test(table)
        ? undefined
        : `\`--claims-table\` is ${JSON.stringify(table)}; a DynamoDB table name is 3 to 255 letters, digits, underscores, hyphens and dots.`;
}

/** Problems with the claims table as it is: absent, or keyed otherwise than `share` (S) and `generation` (N). */
export async function checkClaimsTable(client: DynamoSender, table: string): Promise<string[]> {
    const create = `create it with: ${createClaimsTableCommand(table)}`;
    let description;
    try {
        description = await client.send(new DescribeTableCommand({ TableName: table }));
    } catch (error) {
        if ((error as Error).name === "ResourceNotFoundException")
            return [`the claims table ${table} (\`--claims-table\`) does not exist; ${create}`];
        throw error;
    }
    const t = description.Table;
    const keys = (t?.KeySchema ?? []) as KeySchemaElement[];
    const type = (name: string) =>
        t?.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
    const hash = keys.find((k) => k.KeyType === "HASH")?.AttributeName;
    const range = keys.find((k) => k.KeyType === "RANGE")?.AttributeName;
    if (
        hash !== CLAIMS_TABLE_KEYS.partition ||
        range !== CLAIMS_TABLE_KEYS.sort ||
        type(hash) !== "S" ||
        type(range) !== "N"
    )
        return [
            `the claims table ${table} (\`--claims-table\`) has the key ${hash ?? "(none)"}${range ? ` + ${range}` : ""}; it needs the partition key share (S) and the sort key generation (N): ${create}`,
        ];
    return [];
}

/** The claims of the recovery whose state is at `location`, kept in `table`. */
export function tableLedger(client: DynamoSender, table: string, location: string): ClaimLedger {
    const share = (index: number) => ({ S: `${location}#${String(index).padStart(5, "0")}` });
    return {
        where: `DynamoDB table ${table}`,
        latest: async (index) => {
            const out = await client.send(
                new QueryCommand({
                    TableName: table,
                    KeyConditionExpression: "#s = :s",
                    ExpressionAttributeNames: { "#s": CLAIMS_TABLE_KEYS.partition },
                    ExpressionAttributeValues: { ":s": share(index) },
                    ScanIndexForward: false,
                    Limit: 1,
                    ConsistentRead: true,
                }),
            );
            const top = out.Items?.[0]?.[CLAIMS_TABLE_KEYS.sort]?.N;
            return top === undefined ? 0 : Number(top);
        },
        take: async (index, generation, body) => {
            try {
                await client.send(
                    new PutItemCommand({
                        TableName: table,
                        Item: {
                            [CLAIMS_TABLE_KEYS.partition]: share(index),
                            [CLAIMS_TABLE_KEYS.sort]: { N: String(generation) },
                            claim: { S: body },
                        },
                        ConditionExpression: "attribute_not_exists(#s)",
                        ExpressionAttributeNames: { "#s": CLAIMS_TABLE_KEYS.partition },
                    }),
                );
                return true;
            } catch (error) {
                if ((error as Error).name === "ConditionalCheckFailedException") return false;
                throw error;
            }
        },
        exists: async (index, generation) => {
            const out = await client.send(
                new GetItemCommand({
                    TableName: table,
                    Key: {
                        [CLAIMS_TABLE_KEYS.partition]: share(index),
                        [CLAIMS_TABLE_KEYS.sort]: { N: String(generation) },
                    },
                    ConsistentRead: true,
                }),
            );
            return out.Item !== undefined;
        },
    };
}
