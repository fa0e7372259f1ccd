// Item-level recovery: copy what an accident removed (or changed) from a restored table back into
// the live table, without ever overwriting an item that exists there or is newer.
//
// How it works, per page of at most `pageSize` items read from the restored table:
//   1. look the same keys up in the live table (BatchGetItem, strongly consistent);
//   2. classify each item: missing, identical, differing (and, in `changed` mode, older or newer);
//   3. with `apply`, write each item to restore with a conditional PutItem, in parallel up to
//      `concurrency`, paced by a token bucket in write capacity units;
//   4. record the page's LastEvaluatedKey and the counters in the checkpoint file.
// While a page's writes are in flight, the next page is already read and looked up, so that the
// writes never wait for reads (the checkpoint still advances only once a page is fully handled).
// Then, to report items only in the live table, the live table is read with the same filter, keys
// only, and each key not already seen in the restored table during this run is looked up there
// (read-only).
//
// Why conditional PutItem and not BatchWriteItem: BatchWriteItem cannot carry a condition, so it
// would overwrite an item the application wrote after the comparison. TransactWriteItems can, but
// one failed condition cancels the whole transaction (up to 100 items), and each item costs twice
// the write capacity. A conditional PutItem per item costs one write, fails alone (the item is then
// counted as skipped), and in parallel reaches the throughput the rate limit allows anyway.
import {
    BatchGetItemCommand,
    DynamoDBClient,
    PutItemCommand,
    type DynamoDBClientConfig,
    QueryCommand,
    ScanCommand,
    type AttributeValue,
    type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { compareValues, differingAttributes, itemsEqual, toPlain, writeUnits, type Item } from "./attributes";
import { readCheckpoint, writeCheckpoint, type CheckpointState } from "./checkpoint";
import {
    planReads,
    suggestIndex,
    validateFilter,
    KEYS_PER_BATCH,
    type ReadPlan,
    type ReadRequest,
    type ReadUnit,
    type RecoveryFilter,
} from "./filter";
import { keyAttributes, keyId, keyOf, readKeysFile, type TableSchema } from "./keys";
import { checkClientConfig, checkTables, RecoveryRefusedError, type DynamoSender } from "./preflight";
import { ConcurrencyLimiter, RateLimiter } from "./rateLimiter";
import {
    emptyCounts,
    emptySamples,
    type RecoveryCounts,
    type RecoveryReport,
    type RecoverySamples,
} from "./report";
import { backoff, withRetry, type RetryOptions } from "./retry";

export interface RecoverOptions {
    /** The restored table to copy from, e.g. `Orders_Restore`. */
    readonly from: string;
    /** The live table to copy into, e.g. `Orders`. */
    readonly into: string;
    /** Which items to consider. Defaults to every item of the restored table. */
    readonly filter?: RecoveryFilter;
    /**
     * A JSON file of keys to recover (see `readKeysFile`), typed by the tables' key schema; the
     * same as `filter.keys`, read once the tables are described.
     */
    readonly keysFile?: string;
    /** Write. Defaults to false: a dry run that only reads and reports. */
    readonly apply?: boolean;
    /**
     * `missing` (the default) writes only items absent from the live table, with the condition
     * `attribute_not_exists(<partition key>)`. `changed` also restores items whose
     * `compareAttribute` is older (or absent) in the live table, with the condition
     * `attribute_not_exists(<attr>) OR <attr> < <restored value>`.
     */
    readonly mode?: "missing" | "changed";
    /** The version or timestamp attribute `changed` mode compares (numbers, ISO-8601 strings). */
    readonly compareAttribute?: string;
    /**
     * Write capacity units per second the recovery may use. Defaults to half the live table's
     * provisioned write capacity, or 1,000 for an on-demand table (one partition's write limit),
     * so that the application keeps the rest.
     */
    readonly rateLimitWcu?: number;
    /** Conditional writes in flight at once. Defaults to 16. */
    readonly concurrency?: number;
    /** Parallel Scan segments when the filter cannot use Query. Defaults to 4. */
    readonly segments?: number;
    /** Items per Query/Scan page (and per checkpoint). Defaults to 100, one BatchGetItem's worth. */
    readonly pageSize?: number;
    /** File to resume from and record progress in. No checkpoint when not given. */
    readonly checkpointFile?: string;
    /** Also read the live table to report items that exist only there. Defaults to true. */
    readonly reportOnlyInLive?: boolean;
    /** Keys kept per category in the report. Defaults to 10. */
    readonly sampleSize?: number;
    /** Stops after the pages in progress; the checkpoint then resumes the run. */
    readonly signal?: AbortSignal;
    /** Called after every page. */
    readonly onProgress?: (progress: RecoveryProgress) => void;
    /** A client to use. When absent, one is built from `region`, `endpoint` and `credentials`. */
    readonly client?: DynamoSender;
    readonly region?: string;
    /** A custom endpoint such as a local DynamoDB-compatible server. */
    readonly endpoint?: string;
    readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /** Backoff for throttling and unprocessed keys. */
    readonly retry?: RetryOptions;
}

export interface RecoveryProgress {
    readonly phase: "restored" | "live";
    readonly counts: Readonly<RecoveryCounts>;
}

export { RecoveryRefusedError };

/** Compares (and with `apply`, recovers) items from `from` into `into`. Throws RecoveryRefusedError before any write. */
export async function recoverItems(options: RecoverOptions): Promise<RecoveryReport> {
    const startedAt = new Date();
    const mode = options.mode ?? "missing";
    const apply = options.apply ?? false;

    const upfront: string[] = [];
    if (mode === "changed" && !options.compareAttribute) {
        upfront.push(
            "`--mode changed` needs `--compare-attribute <attr>`, the version or timestamp to compare.",
        );
    }
    if (mode !== "missing" && mode !== "changed")
        upfront.push(`\`--mode\` is ${String(mode)}; it must be missing or changed.`);
    for (const [name, value] of [
        ["--rate-limit-wcu", options.rateLimitWcu],
        ["--segments", options.segments],
        ["concurrency", options.concurrency],
        ["pageSize", options.pageSize],
    ] as const) {
        if (value !== undefined && !(Number.isInteger(value) && value >= 1))
            upfront.push(`\`${name}\` is ${value}; it must be a whole number of at least 1.`);
    }
    if (upfront.length) throw new RecoveryRefusedError(upfront);

    if (options.client) return recoverWith(options.client, options, startedAt, mode, apply);
    const built = new DynamoDBClient(recoveryClientConfig(options));
    try {
        const problems = await checkClientConfig(built);
        if (problems.length) throw new RecoveryRefusedError(problems);
        return await recoverWith(built, options, startedAt, mode, apply);
    } finally {
        built.destroy();
    }
}

/**
 * The configuration of the client `recoverItems` builds when none is given:
 * - `maxAttempts: 1`: its own backoff handles throttling; the SDK's retries would multiply it;
 * - `cacheMiddleware`: a recovery sends the same few commands thousands of times, so each
 *   command's middleware stack is resolved once instead of on every request;
 * - keep-alive connections, as many as the writes in flight plus the reads, so that no request
 *   waits for a socket or a new connection.
 */
export function recoveryClientConfig(
    options: Pick<RecoverOptions, "region" | "endpoint" | "credentials" | "concurrency" | "segments">,
): DynamoDBClientConfig {
    const sockets = Math.max(50, (options.concurrency ?? 16) + 2 * (options.segments ?? 4));
    const agent = { keepAlive: true, maxSockets: sockets };
    return {
        region: options.region,
        endpoint: options.endpoint,
        credentials: options.credentials,
        maxAttempts: 1,
        cacheMiddleware: true,
        requestHandler: { httpAgent: agent, httpsAgent: agent },
    };
}

async function recoverWith(
    client: DynamoSender,
    options: RecoverOptions,
    startedAt: Date,
    mode: "missing" | "changed",
    apply: boolean,
): Promise<RecoveryReport> {
    let filter = options.filter ?? {};
    const tables = await checkTables(client, options.from, options.into);
    if (options.keysFile) {
        try {
            filter = {
                ...filter,
                keys: [...(filter.keys ?? []), ...readKeysFile(options.keysFile, tables.source)],
            };
        } catch (error) {
            throw new RecoveryRefusedError([(error as Error).message]);
        }
    }
    const problems = validateFilter(filter, tables.source);
    if (
        options.compareAttribute &&
        keyAttributes(tables.source).some((a) => a.name === options.compareAttribute)
    ) {
        problems.push(
            `\`--compare-attribute\` is ${options.compareAttribute}, a key attribute; name a version or timestamp attribute.`,
        );
    }
    if (problems.length) throw new RecoveryRefusedError(problems);

    const segments = options.segments ?? 4;
    const sourcePlan = planReads(filter, tables.source, segments);
    // A keys file is looked up in both tables at once; otherwise the live table is read with the same filter.
    const livePlan =
        sourcePlan.kind !== "keys" && options.reportOnlyInLive !== false
            ? planReads(liveFilter(filter, tables.live), tables.live, segments)
            : undefined;

    const fingerprint = JSON.stringify({
        from: options.from,
        into: options.into,
        filter: describeFilter(filter),
        mode,
        apply,
        compare: options.compareAttribute,
        segments,
        pageSize: options.pageSize ?? 100,
    });
    let state: CheckpointState = {
        version: 1,
        fingerprint,
        complete: false,
        units: {},
        counts: emptyCounts(),
        samples: emptySamples(),
        updatedAt: "",
    };
    let resumed = false;
    if (options.checkpointFile) {
        const previous = readCheckpoint(options.checkpointFile);
        if (previous && previous.fingerprint !== fingerprint) {
            throw new RecoveryRefusedError([
                `Checkpoint ${options.checkpointFile} belongs to a different run (other tables, filter, mode or --apply); delete it or choose another file.`,
            ]);
        }
        if (previous && !previous.complete) {
            state = previous;
            resumed = true;
        }
    }

    const rateLimitWcu = options.rateLimitWcu ?? defaultRateLimit(tables.liveDescription);
    const run = new Run(client, options, tables.source, state, new RateLimiter(rateLimitWcu), mode, apply);
    await run.execute("restored", sourcePlan);
    if (livePlan && !run.aborted) await run.execute("live", livePlan);

    const complete = !run.aborted;
    state.complete = complete;
    run.save();

    const notes: string[] = [];
    const index = suggestIndex(filter, tables.source);
    if (index)
        notes.push(
            `index ${index.name} has ${index.partitionKey.name} as its partition key; \`--index ${index.name}\` would Query instead of Scan.`,
        );
    const finishedAt = new Date();
    return {
        from: options.from,
        into: options.into,
        apply,
        mode,
        ...(options.compareAttribute ? { compareAttribute: options.compareAttribute } : {}),
        filter: describeFilter(filter),
        plan: { source: sourcePlan.description, ...(livePlan ? { live: livePlan.description } : {}) },
        rateLimitWcu,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        complete,
        interrupted: run.aborted,
        resumed,
        ...(options.checkpointFile ? { checkpoint: options.checkpointFile } : {}),
        counts: state.counts,
        samples: state.samples,
        notes,
    };
}

/** Half the provisioned write capacity, or 1,000 WCU (one partition's limit) for on-demand tables. */
export function defaultRateLimit(table: TableDescription): number {
    const provisioned =
        table.BillingModeSummary?.BillingMode !== "PAY_PER_REQUEST"
            ? table.ProvisionedThroughput?.WriteCapacityUnits
            : undefined;
    return provisioned && provisioned > 0 ? Math.max(1, Math.floor(provisioned / 2)) : 1000;
}

/** The live table may lack the index the restored one is read through; then it is scanned with the same conditions. */
function liveFilter(filter: RecoveryFilter, live: TableSchema): RecoveryFilter {
    if (filter.index && !live.indexes.some((i) => i.name === filter.index && i.projection === "ALL")) {
        return { ...filter, index: undefined };
    }
    return filter;
}

function describeFilter(filter: RecoveryFilter): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (filter.partitionKeyValues) out.partitionKeyValues = filter.partitionKeyValues;
    if (filter.keyPrefix !== undefined) out.keyPrefix = filter.keyPrefix;
    if (filter.where?.length) out.where = filter.where.map((w) => `${w.attribute}=${w.value}`);
    if (filter.index) out.index = filter.index;
    if (filter.keys) out.keys = filter.keys.length;
    return out;
}

/**
 * Keys of restored items remembered for the live pass, so that it need not look them up again.
 * About 100 bytes each; beyond this many, the live pass looks the rest up in the restored table.
 */
export const REMEMBERED_KEYS = 1_000_000;

/** A page read from one table, and the items with the same keys found in the other. */
interface Page {
    items: Item[];
    lastKey?: Item;
    /** By keyId: live items in the restored phase; restored keys (not already seen) in the live phase. */
    other: Map<string, Item>;
}

class Run {
    aborted = false;
    private readonly writes: ConcurrencyLimiter;
    /** Keys of the restored items read in this run (up to REMEMBERED_KEYS). */
    private readonly restoredKeys = new Set<string>();
    private readonly sampleSize: number;
    private readonly pageSize: number;

    constructor(
        private readonly client: DynamoSender,
        private readonly options: RecoverOptions,
        private readonly schema: TableSchema,
        private readonly state: CheckpointState,
        private readonly rate: RateLimiter,
        private readonly mode: "missing" | "changed",
        private readonly apply: boolean,
    ) {
        this.writes = new ConcurrencyLimiter(options.concurrency ?? 16);
        this.sampleSize = options.sampleSize ?? 10;
        this.pageSize = options.pageSize ?? 100;
    }

    get counts(): RecoveryCounts {
        return this.state.counts;
    }

    get samples(): RecoverySamples {
        return this.state.samples;
    }

    save(): void {
        if (this.options.checkpointFile) writeCheckpoint(this.options.checkpointFile, this.state);
    }

    /** Runs every unit of the plan, `segments` at a time. */
    async execute(phase: "restored" | "live", plan: ReadPlan): Promise<void> {
        const units = new ConcurrencyLimiter(Math.max(1, this.options.segments ?? 4));
        await Promise.all(plan.units.map((unit) => units.run(() => this.runUnit(phase, unit))));
    }

    private async runUnit(phase: "restored" | "live", unit: ReadUnit): Promise<void> {
        const id = `${phase}:${unit.id}`;
        const progress = (this.state.units[id] ??= { done: false });
        if (unit.kind === "keys") {
            if (progress.done) return;
            if (this.options.signal?.aborted) {
                this.aborted = true;
                return;
            }
            await this.handleKeys(unit.keys);
            progress.done = true;
            this.save();
            this.options.onProgress?.({ phase, counts: this.counts });
            return;
        }
        // Reading a page (and, in the restored phase, looking its keys up in the live table) only
        // reads, so the next one is fetched while the current page's writes are in flight. Nothing
        // is counted and the checkpoint does not move until a page has been handled in full.
        const fetch = (startKey: Item | undefined) => {
            const next =
                phase === "restored" ? this.readRestored(unit, startKey) : this.readLive(unit, startKey);
            // An abort can leave a read-ahead unused; its failure is then nobody's to report.
            next.catch(() => undefined);
            return next;
        };
        let next = progress.done ? undefined : fetch(progress.startKey);
        while (next && !progress.done) {
            if (this.options.signal?.aborted) {
                this.aborted = true;
                return;
            }
            const page = await next;
            next = page.lastKey !== undefined ? fetch(page.lastKey) : undefined;
            if (phase === "restored") await this.handleRestoredPage(page.items, page.other);
            else this.handleLivePage(page.items, page.other);
            progress.startKey = page.lastKey;
            progress.done = page.lastKey === undefined;
            this.save();
            this.options.onProgress?.({ phase, counts: this.counts });
        }
    }

    /** A page of the restored table and the live items with the same keys. */
    private async readRestored(
        unit: ReadUnit & { kind: "query" | "scan" },
        startKey: Item | undefined,
    ): Promise<Page> {
        const page = await this.readPage(this.options.from, unit.kind, unit.request, startKey);
        const live = await this.getByKeys(
            this.options.into,
            page.items.map((i) => keyOf(this.schema, i)),
        );
        return { ...page, other: live };
    }

    /**
     * A page of the live table's keys, and which of those not seen in the restored phase exist in
     * the restored table.
     */
    private async readLive(
        unit: ReadUnit & { kind: "query" | "scan" },
        startKey: Item | undefined,
    ): Promise<Page> {
        const page = await this.readPage(this.options.into, unit.kind, unit.request, startKey, true);
        const unseen = page.items.filter((i) => !this.restoredKeys.has(keyId(this.schema, i)));
        const restored = await this.getByKeys(
            this.options.from,
            unseen.map((i) => keyOf(this.schema, i)),
            true,
        );
        return { ...page, other: restored };
    }

    private async readPage(
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
            Limit: this.pageSize,
            // A restored table is not written to, and the live one is re-checked by key anyway;
            // consistent reads are not available on global secondary indexes.
            ...(request.IndexName ? {} : { ConsistentRead: true }),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        };
        const output = await this.retrying(() =>
            this.client.send(kind === "query" ? new QueryCommand(input) : new ScanCommand(input)),
        );
        return { items: output.Items ?? [], lastKey: output.LastEvaluatedKey };
    }

    /** A ProjectionExpression of the key attributes, with its names added to `names`. */
    private keyProjection(names: Record<string, string> | undefined): {
        ProjectionExpression: string;
        ExpressionAttributeNames: Record<string, string>;
    } {
        const merged = { ...names };
        const placeholders = keyAttributes(this.schema).map((attr, i) => {
            merged[`#key${i}`] = attr.name;
            return `#key${i}`;
        });
        return { ProjectionExpression: placeholders.join(", "), ExpressionAttributeNames: merged };
    }

    private async handleRestoredPage(items: Item[], live: Map<string, Item>): Promise<void> {
        this.counts.sourceItems += items.length;
        for (const item of items) {
            if (this.restoredKeys.size >= REMEMBERED_KEYS) break;
            this.restoredKeys.add(keyId(this.schema, item));
        }
        await Promise.all(items.map((item) => this.handlePair(item, live.get(keyId(this.schema, item)))));
    }

    private handleLivePage(items: Item[], restored: Map<string, Item>): void {
        this.counts.liveItems += items.length;
        for (const item of items) {
            const id = keyId(this.schema, item);
            if (!this.restoredKeys.has(id) && !restored.has(id)) this.onlyInLive(item);
        }
    }

    private async handleKeys(keys: readonly Item[]): Promise<void> {
        const [restored, live] = await Promise.all([
            this.getByKeys(this.options.from, keys),
            this.getByKeys(this.options.into, keys),
        ]);
        const pairs: Array<Promise<void>> = [];
        for (const key of keys) {
            const id = keyId(this.schema, key);
            const source = restored.get(id);
            const current = live.get(id);
            if (current) this.counts.liveItems++;
            if (source) {
                this.counts.sourceItems++;
                pairs.push(this.handlePair(source, current));
            } else if (current) {
                this.onlyInLive(current);
            } else {
                this.counts.notFound++;
            }
        }
        await Promise.all(pairs);
    }

    private onlyInLive(item: Item): void {
        this.counts.onlyInLive++;
        this.sample(this.samples.onlyInLive, toPlain(keyOf(this.schema, item)));
    }

    private async handlePair(source: Item, live: Item | undefined): Promise<void> {
        const key = keyOf(this.schema, source);
        if (!live) {
            this.counts.missing++;
            this.sample(this.samples.missing, toPlain(key));
            const pk = this.schema.partitionKey.name;
            await this.write(source, "attribute_not_exists(#pk)", { "#pk": pk }, undefined);
            return;
        }
        if (itemsEqual(source, live)) {
            this.counts.identical++;
            return;
        }
        this.counts.differing++;
        this.sample(this.samples.differing, {
            key: toPlain(key),
            attributes: differingAttributes(source, live),
        });
        if (this.mode !== "changed") return;
        const attr = this.options.compareAttribute!;
        const restoredValue = source[attr];
        if (restoredValue === undefined) {
            this.counts.skippedNotComparable++;
            return;
        }
        const liveValue = live[attr];
        const order = liveValue === undefined ? -1 : compareValues(liveValue, restoredValue);
        if (order === undefined || order >= 0) {
            this.counts.skippedLiveNewer++;
            return;
        }
        await this.write(
            source,
            "attribute_not_exists(#v) OR #v < :v",
            { "#v": attr },
            { ":v": restoredValue },
        );
    }

    private async write(
        item: Item,
        condition: string,
        names: Record<string, string>,
        values: Record<string, AttributeValue> | undefined,
    ): Promise<void> {
        this.counts.toWrite++;
        if (!this.apply) return;
        const units = writeUnits(item);
        await this.writes.run(async () => {
            await this.rate.acquire(units);
            this.counts.writeUnits += units;
            try {
                await this.retrying(() =>
                    this.client.send(
                        new PutItemCommand({
                            TableName: this.options.into,
                            Item: item,
                            ConditionExpression: condition,
                            ExpressionAttributeNames: names,
                            ...(values ? { ExpressionAttributeValues: values } : {}),
                        }),
                    ),
                );
                this.counts.written++;
            } catch (error) {
                if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
                this.counts.skippedByCondition++;
            }
        });
    }

    /** BatchGetItem in chunks of 100, repeating UnprocessedKeys with backoff; `keysOnly` reads just the keys. */
    private async getByKeys(
        table: string,
        keys: readonly Item[],
        keysOnly = false,
    ): Promise<Map<string, Item>> {
        const found = new Map<string, Item>();
        const projection = keysOnly ? this.keyProjection(undefined) : {};
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
        return withRetry(fn, this.options.retry, () => this.counts.throttledRetries++);
    }

    private sample<T>(list: T[], entry: T): void {
        if (list.length < this.sampleSize) list.push(entry);
    }
}
