// One recovery run: the pages of each read unit compared, written and counted, the checkpoint moved
// as each page is handled in full (see recover.ts for the whole design).
import { PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { appendFileSync } from "node:fs";
import { AdaptiveConcurrency } from "./adaptiveConcurrency";
import { compareValues, differingAttributes, itemsEqual, toPlain, writeUnits, type Item } from "./attributes";
import type { CheckpointKeeper, CheckpointState, UnitProgress } from "./checkpoint";
import { filterAttributes, filterSelects, type ReadPlan, type ReadUnit, type RecoveryFilter } from "./filter";
import { keyId, keyOf, type TableSchema } from "./keys";
import { DEFAULT_MAX_CONCURRENCY, type RecoverOptions } from "./options";
import type { DynamoSender } from "./preflight";
import { ConcurrencyLimiter, type RateLimiter } from "./rateLimiter";
import { emptyCounts, type RecoveryCounts, type RecoverySamples } from "./report";
import { isConnectionError, withRetry } from "./retry";
import { TableIo, type Page } from "./tableIo";

/**
 * Keys of restored items remembered for the live pass, so that a narrow recovery (one customer,
 * one day) need not look them up again. About 250 bytes each, so at most a few MB; past this many,
 * the live pass looks the remaining keys up in the restored table, and the count is the same either
 * way (as after a resumed run, which remembers nothing).
 */
export const REMEMBERED_KEYS = 10_000;

/** Pages a stream reads (and looks up) ahead of the one being compared and written. */
export const READ_AHEAD = 2;

/** What a page (or a unit of keys) found and did, joined to the run's counts once it is handled in full. */
export interface PageTally {
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

/** One recovery run over a plan's units; `execute` once per phase. */
export class Run {
    aborted = false;
    /** The first error a stream met; the other streams stop after their page in progress. */
    private failure: unknown;
    private readonly writes: AdaptiveConcurrency;
    private readonly io: TableIo;
    /** Keys of the restored items read in this run (up to REMEMBERED_KEYS). */
    private readonly restoredKeys = new Set<string>();
    /** The attributes the live pass reads of a restored item to tell whether the filter selects it. */
    private readonly selectionAttributes: string[];
    private readonly sampleSize: number;
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
        /** What the restored table is read with, and the live table (undefined without a live pass). */
        private readonly filters: { readonly source: RecoveryFilter; readonly live?: RecoveryFilter },
        /** Where the checkpoint is kept, if anywhere. */
        private readonly keeper?: CheckpointKeeper,
    ) {
        this.io = new TableIo(client, options, schema, state);
        this.writes = new AdaptiveConcurrency({ max: options.concurrency ?? DEFAULT_MAX_CONCURRENCY });
        this.sampleSize = options.sampleSize ?? 10;
        this.selectionAttributes = filterAttributes(filters.source, schema);
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
        this.keeper?.save(this.state);
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
            if (phase === "restored") await this.handleRestoredPage(page.items, page.other, tally, progress);
            else this.handleLivePage(page.items, page.other, tally);
            this.examined += page.scanned;
            progress.startKey = page.lastKey;
            progress.done = page.lastKey === undefined;
            progress.pending = undefined;
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
                        ? this.io.readPage(this.options.from, unit.kind, unit.request, start)
                        : this.io.readPage(this.options.into, unit.kind, unit.request, start, true);
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
            return { ...page, other: await this.io.getByKeys(this.options.into, keys) };
        }
        const unseen = page.items.filter((i) => !this.restoredKeys.has(keyId(this.schema, i)));
        const keys = unseen.map((i) => keyOf(this.schema, i));
        return { ...page, other: await this.io.getByKeys(this.options.from, keys, this.selectionAttributes) };
    }

    private async handleRestoredPage(
        items: Item[],
        live: Map<string, Item>,
        tally: PageTally,
        progress: UnitProgress,
    ): Promise<void> {
        tally.counts.sourceItems += items.length;
        for (const item of items) {
            if (this.restoredKeys.size >= REMEMBERED_KEYS) break;
            this.restoredKeys.add(keyId(this.schema, item));
        }
        // A stopped or killed run may have written some of this page's missing items before the
        // page was recorded: it recorded their keys first (`pending`). Such an item found now
        // exactly as restored was written by that run, so it counts as missing and written, as it
        // would in one uninterrupted run, and is not written again.
        const earlier = progress.pending ? new Set(progress.pending) : undefined;
        const ours = (item: Item, current: Item | undefined) =>
            earlier !== undefined &&
            current !== undefined &&
            earlier.has(keyId(this.schema, item)) &&
            itemsEqual(item, current);
        // The live table is counted as it was before the run, in two halves that hold nothing per
        // item: here, the live items that have a selected restored item's key (found now, before
        // any write); in the live pass, those that have not. Items this run writes are thus never
        // counted, however many there are, and a resumed run counts the same.
        for (const item of items) {
            const current = live.get(keyId(this.schema, item));
            if (
                current &&
                !ours(item, current) &&
                this.filters.live &&
                filterSelects(this.filters.live, this.schema, current)
            )
                tally.counts.liveItems++;
        }
        if (this.apply && this.keeper) {
            const missing = items.filter((i) => {
                const current = live.get(keyId(this.schema, i));
                return current === undefined || ours(i, current);
            });
            if (missing.length > 0) {
                progress.pending = missing.map((i) => keyId(this.schema, i));
                await this.keeper.saveNow(this.state);
            }
        }
        await settleAll(
            items.map((item) => {
                const current = live.get(keyId(this.schema, item));
                return ours(item, current)
                    ? this.countOurs(item, tally)
                    : this.handlePair(item, current, tally);
            }),
        );
    }

    /** A missing item an earlier, stopped run of this recovery wrote: counted as if written now. */
    private async countOurs(item: Item, tally: PageTally): Promise<void> {
        const key = keyOf(this.schema, item);
        tally.counts.missing++;
        tally.counts.toWrite++;
        tally.counts.written++;
        this.sample(this.samples.missing, toPlain(key));
        this.list(tally, key, "missing", "written");
    }

    private handleLivePage(items: Item[], restored: Map<string, Item>, tally: PageTally): void {
        for (const item of items) {
            const id = keyId(this.schema, item);
            // A selected restored item has this key: counted in the restored pass (if it was there).
            if (this.restoredKeys.has(id)) continue;
            const source = restored.get(id);
            if (source && filterSelects(this.filters.source, this.schema, source)) continue;
            tally.counts.liveItems++;
            if (!source) this.onlyInLive(item, tally);
        }
    }

    private async handleKeys(keys: readonly Item[], tally: PageTally): Promise<void> {
        const [restored, live] = await Promise.all([
            this.io.getByKeys(this.options.from, keys),
            this.io.getByKeys(this.options.into, keys),
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
                if (unsure && (await this.io.liveHolds(item))) {
                    tally.counts.written++;
                    return "written";
                }
                tally.counts.skippedByCondition++;
                return "skipped: the live item appeared or changed meanwhile";
            }
        });
    }

    private sample<T>(list: T[], entry: T): void {
        if (list.length < this.sampleSize) list.push(entry);
    }
}
