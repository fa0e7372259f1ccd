// Which items a recovery covers, and how to read them: Query when the filter names partition key
// values (or an index's partition key), parallel Scan segments otherwise, direct key lookups for a
// file of keys. Pure: builds request parameters, sends nothing.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { compareNumbers, valuesEqual, type Item } from "./attributes";
import { keyAttributes, scalarValue, type IndexSchema, type TableSchema } from "./keys";

export interface WhereClause {
    readonly attribute: string;
    readonly value: string;
}

export interface RecoveryFilter {
    /** Only items whose partition key is one of these values (read with one Query each). */
    readonly partitionKeyValues?: readonly string[];
    /** Only items whose sort key (or, for a table without one, partition key) begins with this text. */
    readonly keyPrefix?: string;
    /**
     * Only items whose attribute equals the value. A value that reads as a number also matches a
     * number attribute of that value.
     */
    readonly where?: readonly WhereClause[];
    /** Read through this secondary index; one `where` clause must name its partition key. */
    readonly index?: string;
    /** Exactly these keys (looked up directly); other filters then do not apply. */
    readonly keys?: readonly Item[];
}

/** Parses `attribute=value` as given to `--where`. */
export function parseWhere(text: string): WhereClause {
    const at = text.indexOf("=");
    if (at <= 0)
        throw new Error(`\`--where\` is "${text}"; it must read attribute=value, e.g. customerId=C-1042.`);
    return { attribute: text.slice(0, at).trim(), value: text.slice(at + 1) };
}

/** The parameters of one Query or Scan stream, without table name and start key. */
export interface ReadRequest {
    IndexName?: string;
    KeyConditionExpression?: string;
    FilterExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
    Segment?: number;
    TotalSegments?: number;
}

export type ReadUnit =
    | { readonly id: string; readonly kind: "query" | "scan"; readonly request: ReadRequest }
    | { readonly id: string; readonly kind: "keys"; readonly keys: readonly Item[] };

export interface ReadPlan {
    readonly kind: "query" | "scan" | "keys";
    readonly description: string;
    readonly units: readonly ReadUnit[];
}

/** BatchGetItem takes at most 100 keys per call (DynamoDB API Reference, BatchGetItem). */
export const KEYS_PER_BATCH = 100;

/** Problems with a filter for this table, one sentence each; empty when it can be used. */
export function validateFilter(filter: RecoveryFilter, schema: TableSchema): string[] {
    const problems: string[] = [];
    if (
        filter.keys &&
        (filter.partitionKeyValues || filter.keyPrefix || filter.where?.length || filter.index)
    ) {
        problems.push("`--keys-file` names exact keys; it cannot be combined with other filters.");
    }
    if (filter.partitionKeyValues && filter.index) {
        problems.push("`--partition-key-values` and `--index` both choose how to Query; give one of them.");
    }
    if (filter.partitionKeyValues?.length === 0)
        problems.push("`--partition-key-values` is empty; give at least one value.");
    if (filter.keyPrefix !== undefined && filter.partitionKeyValues && !schema.sortKey) {
        problems.push(
            `\`--key-prefix\` with \`--partition-key-values\` needs a sort key, and table \`${schema.tableName}\` has none.`,
        );
    }
    if (filter.index) {
        const index = schema.indexes.find((i) => i.name === filter.index);
        if (!index) {
            const known = schema.indexes.map((i) => i.name).join(", ") || "none";
            problems.push(
                `\`--index\` is ${filter.index}; table \`${schema.tableName}\` has no such index (it has: ${known}).`,
            );
        } else {
            if (index.projection !== "ALL") {
                problems.push(
                    `\`--index\` ${index.name} projects ${index.projection}; recovery copies whole items, so the index must project ALL.`,
                );
            }
            if (!filter.where?.some((w) => w.attribute === index.partitionKey.name)) {
                problems.push(
                    `\`--index\` ${index.name} needs \`--where ${index.partitionKey.name}=<value>\` to Query it.`,
                );
            }
        }
    }
    for (const value of filter.partitionKeyValues ?? []) {
        try {
            scalarValue(schema.partitionKey.type, value);
        } catch (error) {
            problems.push(`\`--partition-key-values\`: ${(error as Error).message}`);
        }
    }
    return problems;
}

/** How to read the items the filter selects from a table with this schema, split into `segments` streams for Scan. */
export function planReads(filter: RecoveryFilter, schema: TableSchema, segments: number): ReadPlan {
    if (filter.keys) {
        const units: ReadUnit[] = [];
        for (let i = 0; i < filter.keys.length; i += KEYS_PER_BATCH) {
            units.push({
                id: `keys-${i / KEYS_PER_BATCH}`,
                kind: "keys",
                keys: filter.keys.slice(i, i + KEYS_PER_BATCH),
            });
        }
        return { kind: "keys", description: `look up ${filter.keys.length} keys`, units };
    }
    const where = filter.where ?? [];
    if (filter.partitionKeyValues) {
        const units = filter.partitionKeyValues.map((value, i): ReadUnit => {
            const e = new Expressions();
            let keyCondition = `${e.name(schema.partitionKey.name)} = ${e.value(scalarValue(schema.partitionKey.type, value))}`;
            if (filter.keyPrefix !== undefined && schema.sortKey) {
                keyCondition += ` AND begins_with(${e.name(schema.sortKey.name)}, ${e.value(prefixValue(schema, filter.keyPrefix, true))})`;
            }
            const filterExpression = whereExpression(e, where);
            return {
                id: `query-${i}`,
                kind: "query",
                request: e.request({
                    KeyConditionExpression: keyCondition,
                    FilterExpression: filterExpression,
                }),
            };
        });
        return { kind: "query", description: `Query ${units.length} partition key value(s)`, units };
    }
    const index = filter.index ? schema.indexes.find((i) => i.name === filter.index) : undefined;
    if (index) {
        const e = new Expressions();
        const keyClause = where.find((w) => w.attribute === index.partitionKey.name)!;
        const keyCondition = `${e.name(keyClause.attribute)} = ${e.value(scalarValue(index.partitionKey.type, keyClause.value))}`;
        const rest = where.filter((w) => w !== keyClause);
        const parts = [whereExpression(e, rest), prefixExpression(e, schema, filter.keyPrefix)].filter(
            (p) => p,
        );
        const request = e.request({
            IndexName: index.name,
            KeyConditionExpression: keyCondition,
            FilterExpression: parts.join(" AND ") || undefined,
        });
        return {
            kind: "query",
            description: `Query index ${index.name}`,
            units: [{ id: "query-0", kind: "query", request }],
        };
    }
    const units: ReadUnit[] = [];
    for (let segment = 0; segment < segments; segment++) {
        const e = new Expressions();
        const parts = [whereExpression(e, where), prefixExpression(e, schema, filter.keyPrefix)].filter(
            (p) => p,
        );
        units.push({
            id: `scan-${segment}`,
            kind: "scan",
            request: e.request({
                FilterExpression: parts.join(" AND ") || undefined,
                Segment: segment,
                TotalSegments: segments,
            }),
        });
    }
    return { kind: "scan", description: `Scan in ${segments} parallel segment(s)`, units };
}

/**
 * True when the filter selects this item, as the Query or Scan of `planReads` would: its partition
 * key values, key prefix, `where` clauses and, for an index, the index's keys being present (an
 * index holds only the items that have them). Evaluates only the attributes `filterAttributes`
 * names, so a lookup may project those alone. A keys filter selects every item.
 */
export function filterSelects(filter: RecoveryFilter, schema: TableSchema, item: Item): boolean {
    if (filter.keys) return true;
    if (filter.partitionKeyValues) {
        const pk = item[schema.partitionKey.name];
        const wanted = filter.partitionKeyValues.map((v) => scalarValue(schema.partitionKey.type, v));
        if (!pk || !wanted.some((w) => valuesEqual(w, pk))) return false;
    }
    if (filter.keyPrefix !== undefined && (schema.sortKey || !filter.partitionKeyValues)) {
        const attr = schema.sortKey ?? schema.partitionKey;
        if (!beginsWith(item[attr.name], prefixValue(schema, filter.keyPrefix, true))) return false;
    }
    const index = filter.index ? schema.indexes.find((i) => i.name === filter.index) : undefined;
    if (index && keyAttributes(index).some((a) => item[a.name] === undefined)) return false;
    return (filter.where ?? []).every((w) => whereHolds(w, item[w.attribute]));
}

/** The attributes `filterSelects` reads: the key attributes, the `where` attributes, an index's keys. */
export function filterAttributes(filter: RecoveryFilter, schema: TableSchema): string[] {
    const index = filter.index ? schema.indexes.find((i) => i.name === filter.index) : undefined;
    const names = [
        ...keyAttributes(schema).map((a) => a.name),
        ...(index ? keyAttributes(index).map((a) => a.name) : []),
        ...(filter.where ?? []).map((w) => w.attribute),
    ];
    return [...new Set(names)];
}

function whereHolds(clause: WhereClause, value: AttributeValue | undefined): boolean {
    if (value === undefined) return false;
    if (value.S !== undefined) return value.S === clause.value;
    return (
        value.N !== undefined &&
        NUMBER.test(clause.value.trim()) &&
        compareNumbers(value.N, clause.value.trim()) === 0
    );
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue): boolean {
    if (value?.S !== undefined && prefix.S !== undefined) return value.S.startsWith(prefix.S);
    if (value?.B !== undefined && prefix.B !== undefined) {
        const bytes = Buffer.from(value.B);
        const head = Buffer.from(prefix.B);
        return bytes.length >= head.length && bytes.subarray(0, head.length).equals(head);
    }
    return false;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An index the filter could Query instead of a Scan, to suggest to the user. */
export function suggestIndex(filter: RecoveryFilter, schema: TableSchema): IndexSchema | undefined {
    if (filter.index || filter.partitionKeyValues || filter.keys) return undefined;
    return schema.indexes.find(
        (i) => i.projection === "ALL" && filter.where?.some((w) => w.attribute === i.partitionKey.name),
    );
}

function prefixValue(schema: TableSchema, prefix: string, onSortKey: boolean): AttributeValue {
    const type = onSortKey && schema.sortKey ? schema.sortKey.type : schema.partitionKey.type;
    return type === "B" ? { B: Buffer.from(prefix, "base64") } : { S: prefix };
}

function prefixExpression(
    e: Expressions,
    schema: TableSchema,
    prefix: string | undefined,
): string | undefined {
    if (prefix === undefined) return undefined;
    const attr = schema.sortKey ?? schema.partitionKey;
    return `begins_with(${e.name(attr.name)}, ${e.value(prefixValue(schema, prefix, true))})`;
}

function whereExpression(e: Expressions, where: readonly WhereClause[]): string | undefined {
    if (where.length === 0) return undefined;
    return where
        .map((w) => {
            const name = e.name(w.attribute);
            const asString = `${name} = ${e.value({ S: w.value })}`;
            const numeric = NUMBER.test(w.value.trim());
            return numeric ? `(${asString} OR ${name} = ${e.value({ N: w.value.trim() })})` : asString;
        })
        .join(" AND ");
}

/** Allocates placeholders so that no user text is ever spliced into an expression. */
class Expressions {
    private readonly names: Record<string, string> = {};
    private readonly values: Record<string, AttributeValue> = {};
    private nameCount = 0;
    private valueCount = 0;

    name(attribute: string): string {
        const existing = Object.entries(this.names).find(([, n]) => n === attribute);
        if (existing) return existing[0];
        const placeholder = `#n${this.nameCount++}`;
        this.names[placeholder] = attribute;
        return placeholder;
    }

    value(v: AttributeValue): string {
        const placeholder = `:v${this.valueCount++}`;
        this.values[placeholder] = v;
        return placeholder;
    }

    request(parts: ReadRequest): ReadRequest {
        const out: ReadRequest = {};
        for (const [k, v] of Object.entries(parts))
            if (v !== undefined) (out as Record<string, unknown>)[k] = v;
        if (this.nameCount) out.ExpressionAttributeNames = this.names;
        if (this.valueCount) out.ExpressionAttributeValues = this.values;
        return out;
    }
}
