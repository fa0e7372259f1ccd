// Key handling: a table's key schema as recovery needs it, comparing two schemas, taking the key out
// of an item, a stable string id per key, and reading a file of keys.
import { readFileSync } from "node:fs";
import type { AttributeValue, TableDescription } from "@aws-sdk/client-dynamodb";
import type { Item } from "./attributes";

export type ScalarType = "S" | "N" | "B";

export interface KeyAttribute {
    readonly name: string;
    readonly type: ScalarType;
}

export interface KeySchema {
    readonly partitionKey: KeyAttribute;
    readonly sortKey?: KeyAttribute;
}

export interface IndexSchema extends KeySchema {
    readonly name: string;
    /** "ALL", "KEYS_ONLY" or "INCLUDE" */
    readonly projection: string;
}

export interface TableSchema extends KeySchema {
    readonly tableName: string;
    readonly indexes: readonly IndexSchema[];
}

/** Reads the key schema (and those of its secondary indexes) out of a DescribeTable answer. */
export function tableSchema(table: TableDescription): TableSchema {
    const types = new Map(
        (table.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType as ScalarType]),
    );
    const keyOf = (elements: { AttributeName?: string; KeyType?: string }[] | undefined): KeySchema => {
        const attr = (kind: string): KeyAttribute | undefined => {
            const name = elements?.find((e) => e.KeyType === kind)?.AttributeName;
            return name === undefined ? undefined : { name, type: types.get(name) ?? "S" };
        };
        const partitionKey = attr("HASH");
        if (!partitionKey) throw new Error(`Table \`${table.TableName}\` reports no partition key.`);
        const sortKey = attr("RANGE");
        return sortKey ? { partitionKey, sortKey } : { partitionKey };
    };
    const indexes = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map(
        (i) => ({
            name: i.IndexName!,
            projection: i.Projection?.ProjectionType ?? "ALL",
            ...keyOf(i.KeySchema),
        }),
    );
    return { tableName: table.TableName!, indexes, ...keyOf(table.KeySchema) };
}

export function describeKeySchema(schema: KeySchema): string {
    const part = (a: KeyAttribute) => `${a.name} (${a.type})`;
    return schema.sortKey
        ? `${part(schema.partitionKey)} + ${part(schema.sortKey)}`
        : part(schema.partitionKey);
}

export function sameKeySchema(a: KeySchema, b: KeySchema): boolean {
    return describeKeySchema(a) === describeKeySchema(b);
}

export function keyAttributes(schema: KeySchema): KeyAttribute[] {
    return schema.sortKey ? [schema.partitionKey, schema.sortKey] : [schema.partitionKey];
}

/** The key part of an item. */
export function keyOf(schema: KeySchema, item: Item): Item {
    const key: Item = {};
    for (const attr of keyAttributes(schema)) key[attr.name] = item[attr.name];
    return key;
}

/** A string that identifies a key, for maps and sets. */
export function keyId(schema: KeySchema, item: Item): string {
    return JSON.stringify(keyAttributes(schema).map((a) => scalarText(item[a.name])));
}

function scalarText(v: AttributeValue | undefined): string {
    if (v === undefined) return "";
    if (v.S !== undefined) return "S:" + v.S;
    if (v.N !== undefined) return "N:" + v.N;
    if (v.B !== undefined) return "B:" + Buffer.from(v.B).toString("base64");
    return "?";
}

/** Turns a command-line text into a key value of the given type (binary is given as base64). */
export function scalarValue(type: ScalarType, text: string): AttributeValue {
    if (type === "N") {
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
            throw new Error(`"${text}" is not a number, and the key attribute is a number (N).`);
        }
        return { N: text.trim() };
    }
    if (type === "B") return { B: Buffer.from(text, "base64") };
    return { S: text };
}

/**
 * Reads a JSON file of keys: an array of objects holding each key attribute, either as plain values
 * (`{"customerId": "X", "orderId": "2025-09-24#17"}`) or as DynamoDB AttributeValues (`{"orderId": {"S": "..."}}`).
 */
export function readKeysFile(path: string, schema: KeySchema): Item[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
        throw new Error(`\`--keys-file\` ${path} could not be read as JSON: ${(error as Error).message}`);
    }
    return parseKeys(parsed, schema, path);
}

export function parseKeys(parsed: unknown, schema: KeySchema, source = "keys"): Item[] {
    if (!Array.isArray(parsed)) throw new Error(`\`--keys-file\` ${source} must hold a JSON array of keys.`);
    return parsed.map((entry: unknown, index) => {
        if (typeof entry !== "object" || entry === null) {
            throw new Error(`\`--keys-file\` ${source}: entry ${index} is not an object.`);
        }
        const key: Item = {};
        for (const attr of keyAttributes(schema)) {
            const value = (entry as Record<string, unknown>)[attr.name];
            if (value === undefined) {
                throw new Error(
                    `\`--keys-file\` ${source}: entry ${index} has no \`${attr.name}\`; every key needs it.`,
                );
            }
            key[attr.name] =
                typeof value === "object" && value !== null && attr.type in value
                    ? scalarValue(attr.type, String((value as Record<string, unknown>)[attr.type]))
                    : scalarValue(attr.type, String(value));
        }
        return key;
    });
}
