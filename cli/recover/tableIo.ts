// The DynamoDB reads of a recovery run: pages of a Query or Scan, lookups by key in chunks of 100,
// and the read-back of a written item; each retried with backoff and counted in the run's counts.
import { BatchGetItemCommand, GetItemCommand, QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { itemsEqual, type Item } from "./attributes";
import type { CheckpointState } from "./checkpoint";
import { KEYS_PER_BATCH, type ReadRequest } from "./filter";
import { keyAttributes, keyId, keyOf, type TableSchema } from "./keys";
import type { RecoverOptions } from "./options";
import type { DynamoSender } from "./preflight";
import type { RecoveryCounts } from "./report";
import { backoff, isConnectionError, withRetry } from "./retry";

/** The live pass reads keys only, this many times `pageSize` per request. */
export const LIVE_PAGE_FACTOR = 10;

/** A page read from one table, and the items with the same keys found in the other. */
export interface Page {
    items: Item[];
    lastKey?: Item;
    /** Items the server read for this page (a Scan's ScannedCount, before its filter). */
    scanned: number;
    /** By keyId: live items in the restored phase; restored keys (not already seen) in the live phase. */
    other: Map<string, Item>;
}

/** Reads one recovery run makes, in the run's tables, with its retry options and counts. */
export class TableIo {
    private readonly pageSize: number;

    constructor(
        private readonly client: DynamoSender,
        private readonly options: RecoverOptions,
        private readonly schema: TableSchema,
        private readonly state: CheckpointState,
    ) {
        this.pageSize = options.pageSize ?? 100;
    }

    private get counts(): RecoveryCounts {
        return this.state.counts;
    }

    async readPage(
        table: string,
        kind: "query" | "scan",
        request: ReadRequest,
        startKey: Item | undefined,
        keysOnly = false,
    ): Promise<Omit<Page, "other">> {
        const input = {
            TableName: table,
            ...request,
            ...(keysOnly ? this.keyProjection(request.ExpressionAttributeNames) : {}),
            // Keys alone are small, and each page is looked up in chunks of 100 anyway: the live
            // pass reads ten times as many per request, so that it costs few round trips.
            Limit: keysOnly ? this.pageSize * LIVE_PAGE_FACTOR : this.pageSize,
            // A restored table is not written to, and the live one is re-checked by key anyway;
            // consistent reads are not available on global secondary indexes.
            ...(request.IndexName ? {} : { ConsistentRead: true }),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        };
        const output = await this.retrying(() =>
            this.client.send(kind === "query" ? new QueryCommand(input) : new ScanCommand(input)),
        );
        const items = output.Items ?? [];
        return { items, lastKey: output.LastEvaluatedKey, scanned: output.ScannedCount ?? items.length };
    }

    /** A ProjectionExpression of the key attributes (or of `attributes`), with its names added to `names`. */
    keyProjection(
        names: Record<string, string> | undefined,
        attributes: readonly string[] = keyAttributes(this.schema).map((a) => a.name),
    ): {
        ProjectionExpression: string;
        ExpressionAttributeNames: Record<string, string>;
    } {
        const merged = { ...names };
        const placeholders = attributes.map((name, i) => {
            merged[`#key${i}`] = name;
            return `#key${i}`;
        });
        return { ProjectionExpression: placeholders.join(", "), ExpressionAttributeNames: merged };
    }

    /** True when the live table holds exactly this item (strongly consistent read). */
    async liveHolds(item: Item): Promise<boolean> {
        const output = await this.retrying(() =>
            this.client.send(
                new GetItemCommand({
                    TableName: this.options.into,
                    Key: keyOf(this.schema, item),
                    ConsistentRead: true,
                }),
            ),
        );
        return output.Item !== undefined && itemsEqual(output.Item, item);
    }

    /** BatchGetItem in chunks of 100, repeating UnprocessedKeys with backoff; `only` names the attributes to read (default: all). */
    async getByKeys(
        table: string,
        keys: readonly Item[],
        only?: readonly string[],
    ): Promise<Map<string, Item>> {
        const found = new Map<string, Item>();
        const projection = only ? this.keyProjection(undefined, only) : {};
        for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) {
            let pending: Item[] = keys.slice(i, i + KEYS_PER_BATCH);
            for (let attempt = 1; pending.length > 0; attempt++) {
                const output = await this.retrying(() =>
                    this.client.send(
                        new BatchGetItemCommand({
                            RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ...projection } },
                        }),
                    ),
                );
                for (const item of output.Responses?.[table] ?? []) found.set(keyId(this.schema, item), item);
                pending = output.UnprocessedKeys?.[table]?.Keys ?? [];
                if (pending.length > 0) {
                    if (attempt >= (this.options.retry?.maxAttempts ?? 10)) {
                        throw new Error(
                            `BatchGetItem on \`${table}\` still had ${pending.length} unprocessed key(s) after ${attempt} attempts.`,
                        );
                    }
                    this.counts.unprocessedRetries++;
                    await backoff(attempt, this.options.retry);
                }
            }
        }
        return found;
    }

    private retrying<T>(fn: () => Promise<T>): Promise<T> {
        return withRetry(fn, this.options.retry, (error) => {
            if (isConnectionError(error)) this.counts.connectionRetries++;
            else this.counts.throttledRetries++;
        });
    }
}
