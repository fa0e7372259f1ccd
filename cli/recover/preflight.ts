// The checks that run before anything is read in bulk or written. Each failure is one sentence;
// all that can be found are collected and reported together, and nothing is written.
import { DescribeTableCommand, DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";
import { describeKeySchema, sameKeySchema, tableSchema, type TableSchema } from "./keys";

/** Thrown when a recovery must not start; `problems` holds one line per reason. */
export class RecoveryRefusedError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(problems.join("\n"));
        this.name = "RecoveryRefusedError";
    }
}

export type DynamoSender = Pick<DynamoDBClient, "send">;

/** A table name as DynamoDB takes it: 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.` (CreateTable TableName). */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * What is wrong with the two table names, found without a network call: each must be a DynamoDB
 * table name, and they must differ. Runs before the Region and credentials are looked for, so a
 * typo is named as such, not as a missing Region.
 */
export function checkTableNames(from: unknown, into: unknown): string[] {
    const problems: string[] = [];
    for (const [flag, name] of [
        ["--from", from],
        ["--into", into],
    ] as const) {
        if (typeof name !== "string" || !TABLE_NAME.test(name)) {
            const shown =
                typeof name === "string"
                    ? `${JSON.stringify(name)} (${name.length} characters)`
                    : String(name);
            problems.push(
                `\`${flag}\` is ${shown}; a table name is 3 to 255 characters of a-z, A-Z, 0-9, \`_\`, \`-\` and \`.\`. Fix: give the table's exact name.`,
            );
        }
    }
    if (problems.length === 0 && from === into) {
        problems.push(
            `\`--from\` and \`--into\` are both \`${String(from)}\`; recovery copies from a restored table into the live one, so they must differ.`,
        );
    }
    return problems;
}

/** Refuses when the client has no region or no credentials (only for clients this tool builds). */
export async function checkClientConfig(client: DynamoDBClient): Promise<string[]> {
    const problems: string[] = [];
    try {
        await client.config.region();
    } catch {
        problems.push(
            "No AWS region is set; pass `--region` (or set AWS_REGION) to the Region both tables are in.",
        );
        return problems;
    }
    try {
        await client.config.credentials();
    } catch {
        problems.push(
            "No AWS credentials were found; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or sign in with `aws sso login`).",
        );
    }
    return problems;
}

export interface TablePair {
    readonly source: TableSchema;
    readonly live: TableSchema;
    readonly sourceDescription: TableDescription;
    readonly liveDescription: TableDescription;
}

/** Describes the live table alone (the source is an export): it must exist and be ACTIVE. */
export async function checkLiveTable(client: DynamoSender, into: string): Promise<TablePair> {
    let table: TableDescription | undefined;
    try {
        table = (await client.send(new DescribeTableCommand({ TableName: into }))).Table;
    } catch (error) {
        if ((error as Error).name === "ResourceNotFoundException")
            throw new RecoveryRefusedError([
                `Table \`${into}\` (\`--into\`) does not exist in this account and Region.`,
            ]);
        throw error;
    }
    if (!table || (table.TableStatus && table.TableStatus !== "ACTIVE" && table.TableStatus !== "UPDATING"))
        throw new RecoveryRefusedError([
            `Table \`${into}\` (\`--into\`) is ${table?.TableStatus ?? "not described"}; wait until it is ACTIVE.`,
        ]);
    const schema = tableSchema(table);
    return { source: schema, live: schema, sourceDescription: table, liveDescription: table };
}

/** Describes both tables and checks they exist, are ACTIVE, differ, and share a key schema. */
export async function checkTables(client: DynamoSender, from: string, into: string): Promise<TablePair> {
    if (from === into) {
        throw new RecoveryRefusedError([
            `\`--from\` and \`--into\` are both \`${from}\`; recovery copies from a restored table into the live one, so they must differ.`,
        ]);
    }
    const problems: string[] = [];
    const describe = async (name: string, flag: string): Promise<TableDescription | undefined> => {
        try {
            const table = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
            if (table?.TableStatus && table.TableStatus !== "ACTIVE" && table.TableStatus !== "UPDATING") {
                problems.push(
                    `Table \`${name}\` (\`${flag}\`) is ${table.TableStatus}; wait until it is ACTIVE (a restore can take a while).`,
                );
            }
            return table;
        } catch (error) {
            if ((error as Error).name === "ResourceNotFoundException") {
                problems.push(`Table \`${name}\` (\`${flag}\`) does not exist in this account and Region.`);
                return undefined;
            }
            throw error;
        }
    };
    const [source, live] = await Promise.all([describe(from, "--from"), describe(into, "--into")]);
    if (source && live) {
        const a = tableSchema(source);
        const b = tableSchema(live);
        if (!sameKeySchema(a, b)) {
            problems.push(
                `Key schemas differ: \`${from}\` has ${describeKeySchema(a)}, \`${into}\` has ${describeKeySchema(b)}; items cannot be copied between them.`,
            );
        }
        if (problems.length === 0)
            return { source: a, live: b, sourceDescription: source, liveDescription: live };
    }
    throw new RecoveryRefusedError(problems);
}
