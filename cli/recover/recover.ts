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
import { DynamoDBClient, type DynamoDBClientConfig, type TableDescription } from "@aws-sdk/client-dynamodb";
import { writeFileSync } from "node:fs";
import { checkExportOptions, exportPlan, exportTotal, NO_LIVE_PASS_NOTE } from "./exportPlan";
import { openExportSource, readExportManifest, type ExportSource } from "./exportSource";
import { fileKeeper, type CheckpointKeeper, type CheckpointState } from "./checkpoint";
import { planReads, suggestIndex, validateFilter, type ReadPlan, type RecoveryFilter } from "./filter";
import { keyAttributes, readKeysFile, type TableSchema } from "./keys";
import { DEFAULT_MAX_CONCURRENCY, type RecoverOptions } from "./options";
import {
    checkClientConfig,
    checkLiveTable,
    checkTableNames,
    checkTables,
    RecoveryRefusedError,
    type DynamoSender,
    type TablePair,
} from "./preflight";
import { RateLimiter, systemClock } from "./rateLimiter";
import { emptyCounts, emptySamples, type RecoveryReport } from "./report";
import { Run } from "./run";
import { shareOf, type WorkerSpec } from "./share";
import { checkClaimsTable, checkClaimsTableName } from "./tableLedger";
import { openShare } from "./worker";

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
    const names = options.fromExport
        ? checkTableNames("export", options.into).filter((p) => p.startsWith("`--into` is"))
        : checkTableNames(options.from, options.into);
    upfront.push(...names, ...checkExportOptions(options), ...checkWorkerOptions(options));
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
    const { tables, filter } = await prepare(client, options);
    if (options.workers && options.claimsTable) {
        const problems = await checkClaimsTable(client, options.claimsTable);
        if (problems.length) throw new RecoveryRefusedError(problems);
    }
    const exported = options.fromExport ? openExportSource(options.fromExport, s3Config(options)) : undefined;
    try {
        return await recoverFrom(client, options, startedAt, mode, apply, { tables, filter, exported });
    } finally {
        exported?.close();
    }
}

async function recoverFrom(
    client: DynamoSender,
    options: RecoverOptions,
    startedAt: Date,
    mode: "missing" | "changed",
    apply: boolean,
    { tables, filter, exported }: { tables: TablePair; filter: RecoveryFilter; exported?: ExportSource },
): Promise<RecoveryReport> {
    const workers = options.workers;
    // Segments are the whole job's: 4 per worker by default, so that each reads 4 streams at once.
    const segments = options.segments ?? 4 * (workers?.count ?? 1);
    const manifest = exported ? await readManifest(exported) : undefined;
    const sourcePlan = sharePlan(
        manifest
            ? exportPlan(manifest, options.fromExport!, filter)
            : planReads(filter, tables.source, segments),
        workers,
    );
    // A keys file is looked up in both tables at once; otherwise the live table is read with the
    // same filter. An export cannot be looked up by key, so it has no live pass.
    const live =
        sourcePlan.kind !== "keys" && !exported && options.reportOnlyInLive !== false
            ? liveFilter(filter, tables.live)
            : undefined;
    const livePlan = live ? sharePlan(planReads(live, tables.live, segments), workers) : undefined;

    const fingerprint = JSON.stringify({
        from: options.from ?? options.fromExport,
        into: options.into,
        filter: describeFilter(filter),
        mode,
        apply,
        compare: options.compareAttribute,
        segments,
        pageSize: options.pageSize ?? 100,
        ...(workers ? { workers: workers.count, worker: workers.index } : {}),
    });
    const session = workers ? await openWorkerShare(client, options, workers, fingerprint) : undefined;
    if (session && "done" in session)
        return { ...session.done, notes: [...session.done.notes, ALREADY_DONE] };
    const keeper =
        session?.keeper ?? (options.checkpointFile ? fileKeeper(options.checkpointFile) : undefined);
    try {
        const { state, resumed } = await openCheckpoint(keeper, fingerprint);
        const jobRate = options.rateLimitWcu ?? defaultRateLimit(tables.liveDescription);
        // The rate limit is the whole job's budget on the live table: each worker takes its part.
        const rateLimitWcu = workers ? jobRate / workers.count : jobRate;
        // A fresh run starts the items file afresh; a resumed one continues it.
        if (options.itemsFile && !resumed) writeFileSync(options.itemsFile, "");
        // The bucket starts empty: the first second writes at the limit too, not at twice it, and the
        // writes in flight grow only as far as the limit needs.
        const rate = new RateLimiter(rateLimitWcu, systemClock, 0);
        const signals = [options.signal, session?.claim.fenced].filter((s): s is AbortSignal => !!s);
        const runOptions = { ...options, signal: signals.length ? AbortSignal.any(signals) : undefined };
        const run = new Run(
            client,
            runOptions,
            tables.source,
            state,
            rate,
            mode,
            apply,
            { source: filter, live },
            keeper,
            exported,
        );
        const total = manifest ? exportTotal(sourcePlan) : planTotal(sourcePlan, tables.sourceDescription);
        await run.execute("restored", sourcePlan, total);
        if (livePlan && !run.aborted)
            await run.execute("live", livePlan, planTotal(livePlan, tables.liveDescription));
        if (session?.claim.fenced.aborted) throw session.claim.fenced.reason;

        state.complete = !run.aborted;
        run.save();
        const report = toReport(
            options,
            { filter, tables, sourcePlan, livePlan, rateLimitWcu, run, state, resumed, keeper },
            startedAt,
            mode,
            apply,
        );
        if (session) await session.finish(report);
        else await keeper?.flush();
        return report;
    } catch (error) {
        await session?.close();
        throw error;
    }
}

const ALREADY_DONE = "this worker's share was already done; nothing was read or written this time.";

/** Worker `workers.index`'s part of a plan. */
function sharePlan(plan: ReadPlan, workers: WorkerSpec | undefined): ReadPlan {
    if (!workers) return plan;
    const units = shareOf(plan.units, workers);
    return {
        ...plan,
        units,
        description: `${plan.description}; worker ${workers.index} of ${workers.count}: ${units.length} of them`,
    };
}

/** Problems with worker mode's options, found before anything is sent. */
function checkWorkerOptions(options: RecoverOptions): string[] {
    const problems: string[] = [];
    const w = options.workers;
    if (!w) {
        if (options.claimsTable !== undefined)
            problems.push(
                "`--claims-table` is given without `--workers`; it keeps the claims of worker mode, so add --workers <N> and --state.",
            );
        return problems;
    }
    if (
        !Number.isInteger(w.count) ||
        w.count < 1 ||
        !Number.isInteger(w.index) ||
        w.index < 0 ||
        w.index >= w.count
    )
        problems.push(
            `\`workers\` is ${JSON.stringify(w)}; count must be a whole number of at least 1 and index a whole number from 0 to count - 1.`,
        );
    if (!options.state)
        problems.push(
            "`--workers` needs `--state <s3://bucket/prefix/ or folder>`, where the workers keep their claims, checkpoints and reports.",
        );
    if (options.checkpointFile)
        problems.push(
            "`--checkpoint` and `--workers` both say where progress is kept; with --workers, --state keeps it.",
        );
    if (options.segments !== undefined && options.segments < w.count)
        problems.push(
            `\`--segments\` is ${options.segments} with \`--workers\` ${w.count}; it must be at least ${w.count} so that every worker has a Scan segment (leave it out for ${w.count * 4}, 4 per worker).`,
        );
    if (options.claimsTable !== undefined) {
        const problem = checkClaimsTableName(options.claimsTable);
        if (problem) problems.push(problem);
    }
    if (options.leaseSeconds !== undefined && !(options.leaseSeconds > 0))
        problems.push(`\`--lease-seconds\` is ${options.leaseSeconds}; it must be more than 0.`);
    return problems;
}

/** Claims the worker's share in the state store (waiting while another live copy holds it). */
async function openWorkerShare(
    client: DynamoSender,
    options: RecoverOptions,
    workers: WorkerSpec,
    fingerprint: string,
) {
    return openShare({
        claims: options.claimsTable ? { client, table: options.claimsTable } : undefined,
        state: options.state!,
        workers,
        fingerprint,
        leaseSeconds: options.leaseSeconds,
        signal: options.signal,
        onWait: options.onWait,
        s3: s3Config(options),
    });
}

/** The S3 client configuration of the state store and the export. */
function s3Config(options: RecoverOptions) {
    return {
        region: options.region,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(options.s3Endpoint ? { endpoint: options.s3Endpoint, forcePathStyle: true } : {}),
    };
}

/** The export's manifests, read and checked; a problem with them refuses the run before any write. */
async function readManifest(source: ExportSource) {
    try {
        return await readExportManifest(source);
    } catch (error) {
        throw new RecoveryRefusedError([(error as Error).message]);
    }
}

/** Describes the tables and checks the filter (with a keys file's keys) against them; refuses before any read. */
async function prepare(
    client: DynamoSender,
    options: RecoverOptions,
): Promise<{ tables: TablePair; filter: RecoveryFilter }> {
    let filter = options.filter ?? {};
    const tables = options.fromExport
        ? await checkLiveTable(client, options.into)
        : await checkTables(client, options.from!, options.into);
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
    return { tables, filter };
}

/** The checkpoint to resume, or a fresh state; refuses a checkpoint of another run. */
async function openCheckpoint(
    keeper: CheckpointKeeper | undefined,
    fingerprint: string,
): Promise<{ state: CheckpointState; resumed: boolean }> {
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
    if (keeper) {
        let previous: CheckpointState | undefined;
        try {
            previous = await keeper.load();
        } catch (error) {
            throw new RecoveryRefusedError([(error as Error).message]);
        }
        if (previous && previous.fingerprint !== fingerprint) {
            throw new RecoveryRefusedError([
                `Checkpoint ${keeper.where} belongs to a different run (other tables, filter, mode, --apply or workers); delete it or choose another file.`,
            ]);
        }
        if (previous && !previous.complete) {
            // Counters added since the checkpoint was written start at 0.
            state = { ...previous, counts: { ...emptyCounts(), ...previous.counts } };
            resumed = true;
        }
    }
    return { state, resumed };
}

/** What a finished (or interrupted) run did. */
interface Outcome {
    filter: RecoveryFilter;
    tables: TablePair;
    sourcePlan: ReadPlan;
    livePlan: ReadPlan | undefined;
    rateLimitWcu: number;
    run: Run;
    state: CheckpointState;
    resumed: boolean;
    keeper: CheckpointKeeper | undefined;
}

function toReport(
    options: RecoverOptions,
    outcome: Outcome,
    startedAt: Date,
    mode: "missing" | "changed",
    apply: boolean,
): RecoveryReport {
    const { filter, tables, sourcePlan, livePlan, rateLimitWcu, run, state, resumed, keeper } = outcome;
    const complete = state.complete;
    const notes: string[] = options.fromExport ? [NO_LIVE_PASS_NOTE] : [];
    const index = suggestIndex(filter, tables.source);
    if (index)
        notes.push(
            `index ${index.name} has ${index.partitionKey.name} as its partition key; \`--index ${index.name}\` would Query instead of Scan.`,
        );
    const finishedAt = new Date();
    return {
        from: options.from ?? options.fromExport!,
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
        ...(keeper ? { checkpoint: keeper.where } : {}),
        ...(options.workers ? { workers: options.workers } : {}),
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
