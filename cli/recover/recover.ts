// Item-level recovery: copy what an accident removed (or changed) from a restored table back into
// the live table, without ever overwriting an item that exists there or is newer.
//
// How it works, per page of at most `pageSize` items read from the restored table:
//   1. look the same keys up in the live table (BatchGetItem, strongly consistent);
//   2. classify each item: missing, identical, differing (and, in `changed` mode, older or newer);
//   3. with `apply`, write each item to restore with a conditional PutItem, in parallel, paced by a
//      token bucket in write capacity units; how many writes are in flight adapts to the latency,
//      the rate limit and throttling (see adaptiveConcurrency.ts);
//   4. record the page's LastEvaluatedKey and the counters in the checkpoint file.
// Reads run ahead of the writes: each stream reads its next pages (up to READ_AHEAD) while the
// current page is compared and written, and looks each page up in the live table as soon as it is
// read, so reads, comparisons and writes overlap (the checkpoint still advances only once a page is
// fully handled, in order).
// Then, to report items only in the live table, the live table is read with the same filter, keys
// only, and each key is looked up in the restored table (keys only, read-only), except the keys of
// the restored items this run has just read, up to REMEMBERED_KEYS of them. Memory therefore does
// not grow with the table: a recovery of a billion items holds the same few pages as one of a
// thousand.
//
// Why conditional PutItem and not BatchWriteItem: BatchWriteItem cannot carry a condition, so it
// would overwrite an item the application wrote after the comparison. TransactWriteItems can, but
// one failed condition cancels the whole transaction (up to 100 items), and each item costs twice
// the write capacity. A conditional PutItem per item costs one write, fails alone (the item is then
// counted as skipped), and in parallel reaches the throughput the rate limit allows anyway.
import {
    BatchGetItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    type DynamoDBClientConfig,
    QueryCommand,
    ScanCommand,
    type AttributeValue,
    type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { compareValues, differingAttributes, itemsEqual, toPlain, writeUnits, type Item } from "./attributes";
import { appendFileSync, writeFileSync } from "node:fs";
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
import {
    checkClientConfig,
    checkTableNames,
    checkTables,
    RecoveryRefusedError,
    type DynamoSender,
} from "./preflight";
import { AdaptiveConcurrency } from "./adaptiveConcurrency";
import { ConcurrencyLimiter, RateLimiter, systemClock } from "./rateLimiter";
import {
    emptyCounts,
    emptySamples,
    type RecoveryCounts,
    type RecoveryReport,
    type RecoverySamples,
} from "./report";
import { backoff, isConnectionError, withRetry, type RetryOptions } from "./retry";

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
    /**
     * The most conditional writes in flight at once. Defaults to 256. The number in flight starts
     * at 16 (or this, if lower) and grows while writes queue, until the rate limit, throttling or
     * the server's latency says it is enough; it halves on throttling.
     */
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
    /**
     * A JSON Lines file listing every item that is not identical in both tables, one line each as
     * its page is handled: its key, what was found (missing, differing, only in live, not found) and
     * what was done. Written as the run goes, never held in memory; a resumed run appends to it.
     */
    readonly itemsFile?: string;
    /** Called after every page. */
    readonly onProgress?: (progress: RecoveryProgress) => void;
    /** A client to use. When absent, one is built from `region`, `endpoint` and `credentials`. */
    readonly client?: DynamoSender;
    readonly region?: string;
    /** A custom endpoint such as a local DynamoDB-compatible server. */
    readonly endpoint?: string;
    readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /** Backoff for throttling, unprocessed keys and dropped connections. */
    readonly retry?: RetryOptions;
}

export interface RecoveryProgress {
    readonly phase: "restored" | "live";
    readonly counts: Readonly<RecoveryCounts>;
    /** Items this phase has read so far in this run (for a Scan, before its filter). */
    readonly examined: number;
    /** About how many items this phase reads in all, when known: a Scan's table item count, a keys file's length. */
    readonly total?: number;
    /** Conditional writes allowed in flight at the moment. */
    readonly writesInFlight: number;
}

/** The most conditional writes in flight by default; the number actually in flight adapts below it. */
export const DEFAULT_MAX_CONCURRENCY = 256;

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
    upfront.push(...checkTableNames(options.from, options.into));
    if (upfront.length) throw new RecoveryRefusedError(upfront);

    if (options.client) return recoverWith(options.client, options, startedAt, mode, apply);
    const built = new DynamoDBClient(
        recoveryClientConfig({ ...options, concurrency: options.concurrency ?? DEFAULT_MAX_CONCURRENCY }),
    );
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
 *   waits for a socket or a new connection (16 writes when `concurrency` is not given);
 * - a connection timeout and a request timeout, so that a server that stops answering fails the
 *   request (and it is retried) instead of hanging the run.
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
        requestHandler: {
            httpAgent: agent,
            httpsAgent: agent,
            connectionTimeout: CONNECTION_TIMEOUT_MS,
            requestTimeout: REQUEST_TIMEOUT_MS,
            // Without this the SDK only logs a warning when the request timeout passes.
            throwOnRequestTimeout: true,
        },
    };
}

/** A new connection that takes longer than this is abandoned and retried. */
const CONNECTION_TIMEOUT_MS = 5_000;
/** A request without an answer after this long is abandoned and retried (DynamoDB answers in milliseconds). */
const REQUEST_TIMEOUT_MS = 60_000;

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
            // Counters added since the checkpoint was written start at 0.
            state = { ...previous, counts: { ...emptyCounts(), ...previous.counts } };
            resumed = true;
        }
    }

    const rateLimitWcu = options.rateLimitWcu ?? defaultRateLimit(tables.liveDescription);
    // A fresh run starts the items file afresh; a resumed one continues it.
    if (options.itemsFile && !resumed) writeFileSync(options.itemsFile, "");
    // The bucket starts empty: the first second writes at the limit too, not at twice it, and the
    // writes in flight grow only as far as the limit needs.
    const rate = new RateLimiter(rateLimitWcu, systemClock, 0);
    const run = new Run(client, options, tables.source, state, rate, mode, apply);
    await run.execute("restored", sourcePlan, planTotal(sourcePlan, tables.sourceDescription));
    if (livePlan && !run.aborted)
        await run.execute("live", livePlan, planTotal(livePlan, tables.liveDescription));

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
        ...(apply ? { peakWritesInFlight: run.peakWritesInFlight } : {}),
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

/** How many items a plan reads, when that can be known up front (DescribeTable's ItemCount is refreshed about every six hours). */
function planTotal(plan: ReadPlan, table: TableDescription): number | undefined {
    if (plan.kind === "keys")
        return plan.units.reduce((n, u) => n + (u.kind === "keys" ? u.keys.length : 0), 0);
    return plan.kind === "scan" ? table.ItemCount : undefined;
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
 * Keys of restored items remembered for the live pass, so that a narrow recovery (one customer,
 * one day) need not look them up again. About 250 bytes each, so at most a few MB; past this many,
 * the live pass looks the remaining keys up in the restored table, and the count is the same either
 * way (as after a resumed run, which remembers nothing).
 */
export const REMEMBERED_KEYS = 10_000;

/** The live pass reads keys only, this many times `pageSize` per request. */
export const LIVE_PAGE_FACTOR = 10;

/** Pages a stream reads (and looks up) ahead of the one being compared and written. */
export const READ_AHEAD = 2;

/** What a page (or a unit of keys) found and did, joined to the run's counts once it is handled in full. */
interface PageTally {
    counts: RecoveryCounts;
    /** The page's lines of the items file. */
    lines: string[];
}

type WriteOutcome = "written" | "would write" | "skipped: the live item appeared or changed meanwhile";

/**
 * Waits for every one of a page's writes, then throws the first failure: a failed write must not
 * leave the page's other writes running after the run has stopped.
 */
async function settleAll(tasks: ReadonlyArray<Promise<void>>): Promise<void> {
    const failed = (await Promise.allSettled(tasks)).find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** A page read from one table, and the items with the same keys found in the other. */
interface Page {
    items: Item[];
    lastKey?: Item;
    /** Items the server read for this page (a Scan's ScannedCount, before its filter). */
    scanned: number;
    /** By keyId: live items in the restored phase; restored keys (not already seen) in the live phase. */
    other: Map<string, Item>;
}

class Run {
    aborted = false;
    /** The first error a stream met; the other streams stop after their page in progress. */
    private failure: unknown;
    private readonly writes: AdaptiveConcurrency;
    /** Keys of the restored items read in this run (up to REMEMBERED_KEYS). */
    private readonly restoredKeys = new Set<string>();
    /** Keys of the restored items this run found missing from the live table (all of them: as many as it writes). */
    private readonly missingKeys = new Set<string>();
    private readonly sampleSize: number;
    private readonly pageSize: number;
    private examined = 0;
    private total: number | undefined;

    constructor(
        private readonly client: DynamoSender,
        private readonly options: RecoverOptions,
        private readonly schema: TableSchema,
        private readonly state: CheckpointState,
        private readonly rate: RateLimiter,
        private readonly mode: "missing" | "changed",
        private readonly apply: boolean,
    ) {
        this.writes = new AdaptiveConcurrency({ max: options.concurrency ?? DEFAULT_MAX_CONCURRENCY });
        this.sampleSize = options.sampleSize ?? 10;
        this.pageSize = options.pageSize ?? 100;
    }

    get counts(): RecoveryCounts {
        return this.state.counts;
    }

    get samples(): RecoverySamples {
        return this.state.samples;
    }

    get peakWritesInFlight(): number {
        return this.writes.peak;
    }

    save(): void {
        if (this.options.checkpointFile) writeCheckpoint(this.options.checkpointFile, this.state);
    }

    /**
     * Runs every unit of the plan, `segments` at a time. When one fails, the others stop after the
     * page they are handling (so that no write is left running), and the first error is thrown.
     */
    async execute(phase: "restored" | "live", plan: ReadPlan, total: number | undefined): Promise<void> {
        this.examined = 0;
        this.total = total;
        const units = new ConcurrencyLimiter(Math.max(1, this.options.segments ?? 4));
        await Promise.allSettled(
            plan.units.map((unit) =>
                units.run(() =>
                    this.runUnit(phase, unit).catch((error: unknown) => {
                        this.failure ??= error;
                    }),
                ),
            ),
        );
        if (this.failure !== undefined) throw this.failure;
    }

    /** True when this stream must stop: the user asked to (then the run is reported as interrupted), or another stream failed. */
    private stopping(): boolean {
        if (this.failure !== undefined) return true;
        if (this.options.signal?.aborted) this.aborted = true;
        return this.aborted;
    }

    /**
     * A page (or a unit of keys) has been handled in full: its tally joins the counts and the
     * checkpoint moves, together, so that the counts saved always match the position saved (a
     * page that failed half way is read again on resume, and counted once).
     */
    private progressed(phase: "restored" | "live", tally: PageTally): void {
        for (const name of Object.keys(tally.counts) as Array<keyof RecoveryCounts>)
            this.counts[name] += tally.counts[name];
        if (this.options.itemsFile && tally.lines.length > 0)
            appendFileSync(this.options.itemsFile, tally.lines.join(""));
        this.save();
        this.options.onProgress?.({
            phase,
            counts: this.counts,
            examined: this.examined,
            ...(this.total !== undefined ? { total: this.total } : {}),
            writesInFlight: this.writes.limit,
        });
    }

    private async runUnit(phase: "restored" | "live", unit: ReadUnit): Promise<void> {
        const id = `${phase}:${unit.id}`;
        const progress = (this.state.units[id] ??= { done: false });
        if (progress.done || this.stopping()) return;
        if (unit.kind === "keys") {
            const tally: PageTally = { counts: emptyCounts(), lines: [] };
            await this.handleKeys(unit.keys, tally);
            this.examined += unit.keys.length;
            progress.done = true;
            this.progressed(phase, tally);
            return;
        }
        // Nothing is counted and the checkpoint does not move until a page has been handled in full.
        const pages = this.readAhead(phase, unit, progress.startKey);
        for (let next = pages(); next; next = pages()) {
            if (this.stopping()) return;
            const page = await next;
            const tally: PageTally = { counts: emptyCounts(), lines: [] };
            if (phase === "restored") await this.handleRestoredPage(page.items, page.other, tally);
            else this.handleLivePage(page.items, page.other, tally);
            this.examined += page.scanned;
            progress.startKey = page.lastKey;
            progress.done = page.lastKey === undefined;
            this.progressed(phase, tally);
        }
    }

    /**
     * The unit's pages in order, each a promise of the page and its lookup in the other table.
     * Reading only reads, so up to READ_AHEAD pages are read ahead of the one being handled: the
     * next Query or Scan request is sent as soon as the previous one answers (it needs its
     * LastEvaluatedKey), and each page is looked up while the next one is read. Returns undefined
     * once the last page has been handed out.
     */
    private readAhead(
        phase: "restored" | "live",
        unit: ReadUnit & { kind: "query" | "scan" },
        startKey: Item | undefined,
    ): () => Promise<Page> | undefined {
        const queue: Array<Promise<Page>> = [];
        let start = startKey;
        let more = true;
        let reading = false;
        const fill = () => {
            while (more && !reading && queue.length < READ_AHEAD) {
                reading = true;
                const read =
                    phase === "restored"
                        ? this.readPage(this.options.from, unit.kind, unit.request, start)
                        : this.readPage(this.options.into, unit.kind, unit.request, start, true);
                const page = read.then((p) => this.lookUp(phase, p));
                // A page read ahead and never handled (the run stopped) fails unheard.
                page.catch(() => undefined);
                queue.push(page);
                read.then(
                    (p) => {
                        start = p.lastKey;
                        more = p.lastKey !== undefined;
                        reading = false;
                        fill();
                    },
                    () => {
                        more = false;
                        reading = false;
                    },
                );
            }
        };
        fill();
        return () => {
            const next = queue.shift();
            fill();
            return next;
        };
    }

    /**
     * In the restored phase, the live items with the page's keys. In the live phase, which of the
     * page's keys (except those remembered from the restored phase) exist in the restored table.
     */
    private async lookUp(phase: "restored" | "live", page: Omit<Page, "other">): Promise<Page> {
        if (phase === "restored") {
            const keys = page.items.map((i) => keyOf(this.schema, i));
            return { ...page, other: await this.getByKeys(this.options.into, keys) };
        }
        const unseen = page.items.filter((i) => !this.restoredKeys.has(keyId(this.schema, i)));
        const keys = unseen.map((i) => keyOf(this.schema, i));
        return { ...page, other: await this.getByKeys(this.options.from, keys, true) };
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

    private async handleRestoredPage(
        items: Item[],
        live: Map<string, Item>,
        tally: PageTally,
    ): Promise<void> {
        tally.counts.sourceItems += items.length;
        for (const item of items) {
            if (this.restoredKeys.size >= REMEMBERED_KEYS) break;
            this.restoredKeys.add(keyId(this.schema, item));
        }
        await settleAll(
            items.map((item) => this.handlePair(item, live.get(keyId(this.schema, item)), tally)),
        );
    }

    private handleLivePage(items: Item[], restored: Map<string, Item>, tally: PageTally): void {
        for (const item of items) {
            const id = keyId(this.schema, item);
            // The live table is counted as it was before the run: an item this run found missing
            // (and wrote, or saw appear meanwhile) is not counted again when this pass reads it.
            if (!this.missingKeys.has(id)) tally.counts.liveItems++;
            if (!this.restoredKeys.has(id) && !restored.has(id)) this.onlyInLive(item, tally);
        }
    }

    private async handleKeys(keys: readonly Item[], tally: PageTally): Promise<void> {
        const [restored, live] = await Promise.all([
            this.getByKeys(this.options.from, keys),
            this.getByKeys(this.options.into, keys),
        ]);
        const pairs: Array<Promise<void>> = [];
        for (const key of keys) {
            const id = keyId(this.schema, key);
            const source = restored.get(id);
            const current = live.get(id);
            if (current) tally.counts.liveItems++;
            if (source) {
                tally.counts.sourceItems++;
                pairs.push(this.handlePair(source, current, tally));
            } else if (current) {
                this.onlyInLive(current, tally);
            } else {
                tally.counts.notFound++;
                this.list(tally, key, "not found", "nothing to do");
            }
        }
        await settleAll(pairs);
    }

    private onlyInLive(item: Item, tally: PageTally): void {
        tally.counts.onlyInLive++;
        this.list(tally, item, "only in live", "left alone");
        this.sample(this.samples.onlyInLive, toPlain(keyOf(this.schema, item)));
    }

    private async handlePair(source: Item, live: Item | undefined, tally: PageTally): Promise<void> {
        const key = keyOf(this.schema, source);
        if (!live) {
            tally.counts.missing++;
            this.missingKeys.add(keyId(this.schema, source));
            this.sample(this.samples.missing, toPlain(key));
            const pk = this.schema.partitionKey.name;
            const outcome = await this.write(
                source,
                "attribute_not_exists(#pk)",
                { "#pk": pk },
                undefined,
                tally,
            );
            this.list(tally, key, "missing", outcome);
            return;
        }
        if (itemsEqual(source, live)) {
            tally.counts.identical++;
            return;
        }
        tally.counts.differing++;
        const attributes = differingAttributes(source, live);
        this.sample(this.samples.differing, { key: toPlain(key), attributes });
        const differing = (outcome: string) => this.list(tally, key, "differing", outcome, attributes);
        if (this.mode !== "changed") return differing("left alone (mode missing)");
        const attr = this.options.compareAttribute!;
        const restoredValue = source[attr];
        if (restoredValue === undefined) {
            tally.counts.skippedNotComparable++;
            return differing(`left alone: the restored item has no ${attr}`);
        }
        const liveValue = live[attr];
        const order = liveValue === undefined ? -1 : compareValues(liveValue, restoredValue);
        if (order === undefined || order >= 0) {
            tally.counts.skippedLiveNewer++;
            return differing(`left alone: the live ${attr} is not older`);
        }
        differing(
            await this.write(
                source,
                "attribute_not_exists(#v) OR #v < :v",
                { "#v": attr },
                { ":v": restoredValue },
                tally,
            ),
        );
    }

    /** Adds an item's line to the page's part of the items file (when there is one). */
    private list(tally: PageTally, item: Item, found: string, outcome: string, attributes?: string[]): void {
        if (!this.options.itemsFile) return;
        const line = {
            key: toPlain(keyOf(this.schema, item)),
            found,
            outcome,
            ...(attributes ? { attributes } : {}),
        };
        tally.lines.push(JSON.stringify(line) + "\n");
    }

    /**
     * One conditional PutItem, retried on throttling and on dropped connections. A write whose
     * connection dropped may have been applied without its answer arriving; sent again, it then
     * fails its condition. So when a retried write fails its condition, the live item is read back:
     * if it is exactly the restored item, the write is counted as written (it was ours), otherwise
     * as skipped. Either way nothing is written twice, and nothing newer is overwritten.
     */
    private async write(
        item: Item,
        condition: string,
        names: Record<string, string>,
        values: Record<string, AttributeValue> | undefined,
        tally: PageTally,
    ): Promise<WriteOutcome> {
        tally.counts.toWrite++;
        if (!this.apply) return "would write";
        const units = writeUnits(item);
        return this.writes.run(async (): Promise<WriteOutcome> => {
            const queued = Date.now();
            const waited = await this.rate.acquire(units);
            const rateLimited = waited || Date.now() - queued > 1;
            tally.counts.writeUnits += units;
            let unsure = false;
            try {
                await withRetry(
                    () =>
                        this.client.send(
                            new PutItemCommand({
                                TableName: this.options.into,
                                Item: item,
                                ConditionExpression: condition,
                                ExpressionAttributeNames: names,
                                ...(values ? { ExpressionAttributeValues: values } : {}),
                            }),
                        ),
                    this.options.retry,
                    (error) => {
                        if (isConnectionError(error)) {
                            unsure = true;
                            tally.counts.connectionRetries++;
                        } else {
                            tally.counts.throttledRetries++;
                            this.writes.throttled();
                        }
                    },
                );
                this.writes.succeeded(rateLimited);
                tally.counts.written++;
                return "written";
            } catch (error) {
                if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
                if (unsure && (await this.liveHolds(item))) {
                    tally.counts.written++;
                    return "written";
                }
                tally.counts.skippedByCondition++;
                return "skipped: the live item appeared or changed meanwhile";
            }
        });
    }

    /** True when the live table holds exactly this item (strongly consistent read). */
    private async liveHolds(item: Item): Promise<boolean> {
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
        return withRetry(fn, this.options.retry, (error) => {
            if (isConnectionError(error)) this.counts.connectionRetries++;
            else this.counts.throttledRetries++;
        });
    }

    private sample<T>(list: T[], entry: T): void {
        if (list.length < this.sampleSize) list.push(entry);
    }
}
