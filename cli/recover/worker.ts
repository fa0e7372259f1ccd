// A worker's session in the shared state (`--state`): its claim on its share, its checkpoint kept
// as an object beside the others', and its report once it is done. Checkpoints are written in the
// background, one at a time, the newest waiting state replacing an older one, so that a slow store
// never holds up the pages (a resumed worker reads again at most the pages after the last one
// written; its writes are conditional, so nothing is written twice).
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { hostname } from "node:os";
import {
    parseCheckpoint,
    serializeCheckpoint,
    type CheckpointKeeper,
    type CheckpointState,
} from "./checkpoint";
import { claimShare, type Claim } from "./claim";
import { enforcesCreateOnly, storeLedger } from "./claimLedger";
import { RecoveryRefusedError, type DynamoSender } from "./preflight";
import type { RecoveryReport } from "./report";
import { workerObject, type WorkerSpec } from "./share";
import { openStateStore, type StateStore } from "./stateStore";
import { tableLedger } from "./tableLedger";

/** How long a worker's heartbeat may stay still before another copy takes its share over, by default. */
export const DEFAULT_LEASE_SECONDS = 30;

export interface ShareSession {
    readonly store: StateStore;
    readonly claim: Claim;
    readonly keeper: CheckpointKeeper;
    /** Writes the worker's report, waits for the last checkpoint, stops the heartbeat. */
    finish(report: RecoveryReport): Promise<void>;
    /** Stops the heartbeat and releases the store (after a failure). */
    close(): Promise<void>;
}

export interface ShareOptions {
    readonly state: string | StateStore;
    readonly workers: WorkerSpec;
    readonly fingerprint: string;
    readonly leaseSeconds?: number;
    readonly signal?: AbortSignal;
    readonly onWait?: (message: string) => void;
    readonly s3?: S3ClientConfig;
    /** Keep the claims in this DynamoDB table instead of the state store (`--claims-table`). */
    readonly claims?: { readonly client: DynamoSender; readonly table: string };
}

/**
 * Claims the share and opens its checkpoint; undefined (and nothing claimed) when the share's
 * report says it is already done for this same run.
 */
export async function openShare(options: ShareOptions): Promise<ShareSession | { done: RecoveryReport }> {
    const store =
        typeof options.state === "string" ? openStateStore(options.state, options.s3) : options.state;
    const index = options.workers.index;
    const finished = async (): Promise<RecoveryReport | undefined> => {
        const text = await store.read(workerObject(index, "report"));
        if (!text) return undefined;
        const report = JSON.parse(text) as RecoveryReport & { fingerprint?: string };
        return report.complete && report.fingerprint === options.fingerprint ? report : undefined;
    };
    const done = await finished();
    if (done) return { done };
    const ledger = options.claims
        ? tableLedger(options.claims.client, options.claims.table, store.location)
        : storeLedger(store);
    if (!options.claims && !(await enforcesCreateOnly(store, workerObject(index, "create-check"))))
        throw new RecoveryRefusedError([
            `\`--state\` ${store.location} did not refuse a second create of the same object (PutObject with If-None-Match: *, which Amazon S3 enforces): two copies of one worker could both claim its share. Use a store that enforces conditional writes, or give --claims-table <table> to keep the claims in a DynamoDB table (docs/recovery.md, "Tables too large for one machine").`,
        ]);
    const claim = await claimShare(store, ledger, index, {
        leaseMs: (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000,
        owner: `${hostname()}:${process.pid}`,
        signal: options.signal,
        onWait: options.onWait,
        isDone: async () => (await finished()) !== undefined,
    });
    if (!claim) {
        const report = await finished();
        if (report) return { done: report };
        throw new Error(`worker ${index}'s share was reported done, then not found in ${store.location}.`);
    }
    const keeper = storeKeeper(store, workerObject(index, "checkpoint"), claim.fenced);
    return {
        store,
        claim,
        keeper,
        finish: async (report) => {
            await keeper.flush();
            const body = JSON.stringify(
                { ...report, fingerprint: options.fingerprint, worker: options.workers },
                null,
                2,
            );
            await store.write(workerObject(index, "report"), body);
            claim.release();
            if (typeof options.state === "string") store.close();
        },
        close: async () => {
            await keeper.flush().catch(() => undefined);
            claim.release();
            if (typeof options.state === "string") store.close();
        },
    };
}

/**
 * A checkpoint kept as an object of the store, written in the background, the newest state first.
 * Once `fenced` is aborted (a newer copy holds the share) nothing more is written.
 */
export function storeKeeper(store: StateStore, name: string, fenced?: AbortSignal): CheckpointKeeper {
    let pending: string | undefined;
    let writing: Promise<void> | undefined;
    let failure: unknown;
    const drain = async () => {
        while (pending !== undefined) {
            const body = pending;
            pending = undefined;
            if (fenced?.aborted) break;
            try {
                await store.write(name, body);
            } catch (error) {
                failure = error;
            }
        }
        writing = undefined;
    };
    const keeper: CheckpointKeeper = {
        where: `${store.location.replace(/\/?$/, "/")}${name}`,
        load: async () => {
            const text = await store.read(name);
            return text === undefined ? undefined : parseCheckpoint(text, name);
        },
        save: (state: CheckpointState) => {
            if (fenced?.aborted) return;
            pending = serializeCheckpoint(state);
            writing ??= drain();
        },
        flush: async () => {
            while (writing) await writing;
            if (failure !== undefined) throw failure;
        },
        saveNow: async (state: CheckpointState) => {
            keeper.save(state);
            await keeper.flush();
        },
    };
    return keeper;
}
