// Claiming a worker's share, so that two copies of the same index (engines start a second one after
// a lost node, or when a node only seemed lost) never work on the same segments at once.
//
// A share's claims are numbered generations: `claim-000001.json`, `claim-000002.json`, ... Each is
// created only if absent (S3 `If-None-Match: *`, or O_EXCL in a folder), so of two copies that try
// to take the same generation exactly one succeeds. The holder of generation g rewrites the share's
// heartbeat every third of the lease. A copy that finds generation g held waits: when the heartbeat
// has not changed for a whole lease (by its own clock, so clocks need not agree) the holder is gone
// (killed, its node lost), and the copy creates generation g + 1. A holder checks at every
// heartbeat whether generation g + 1 exists; if it does, it stops (it is fenced off): its heartbeat
// must then have stalled for a whole lease. A worker killed and started again thus resumes from its
// checkpoint once its old claim's lease has run out. The claims are kept in a ledger (claimLedger.ts:
// the state store's objects, or a DynamoDB table); the heartbeat is an object of the state store.
import type { ClaimLedger } from "./claimLedger";
import { workerObject } from "./share";
import type { StateStore } from "./stateStore";

export interface ClaimOptions {
    /** How long a heartbeat may stay unchanged before its holder counts as gone. */
    readonly leaseMs: number;
    /** Who claims (host and process), written into the claim for people reading the store. */
    readonly owner: string;
    /** Stop waiting for a held share. */
    readonly signal?: AbortSignal;
    /** Told once when the share is held by another copy and this one waits. */
    readonly onWait?: (message: string) => void;
    /** True when the share is already done: then waiting stops and nothing is claimed. */
    readonly isDone?: () => Promise<boolean>;
}

export interface Claim {
    readonly generation: number;
    /** Aborted when a newer generation took the share over: the holder must stop. */
    readonly fenced: AbortSignal;
    /** Stops the heartbeat. */
    release(): void;
}

interface Heartbeat {
    generation: number;
    beat: number;
    owner: string;
    at: string;
}

/** Claims worker `index`'s share, waiting while another live copy holds it; undefined when the share is done. */
export async function claimShare(
    store: StateStore,
    ledger: ClaimLedger,
    index: number,
    options: ClaimOptions,
): Promise<Claim | undefined> {
    const poll = Math.max(20, Math.min(1000, Math.floor(options.leaseMs / 4)));
    let told = false;
    for (;;) {
        if (options.signal?.aborted) throw new Error("stopped while waiting for the share's claim");
        if (await options.isDone?.()) return undefined;
        const held = await ledger.latest(index);
        if (held > 0) {
            if (!told)
                options.onWait?.(
                    `worker ${index}'s share is claimed (generation ${held}); waiting until its heartbeat has been still for ${options.leaseMs / 1000} s.`,
                );
            told = true;
            const outcome = await waitUntilStale(store, ledger, index, held, options, poll);
            if (outcome !== "stale") continue;
        }
        const generation = held + 1;
        const claim = JSON.stringify({ generation, owner: options.owner, at: new Date().toISOString() });
        if (await ledger.take(index, generation, claim))
            return hold(store, ledger, index, generation, options);
    }
}

/** Waits until the heartbeat of generation `held` has not changed for a lease ("stale"), or a newer generation appears. */
async function waitUntilStale(
    store: StateStore,
    ledger: ClaimLedger,
    index: number,
    held: number,
    options: ClaimOptions,
    poll: number,
): Promise<"stale" | "changed"> {
    let seen = await store.read(workerObject(index, "heartbeat"));
    let since = Date.now();
    for (;;) {
        await new Promise((resolve) => setTimeout(resolve, poll));
        if (options.signal?.aborted) throw new Error("stopped while waiting for the share's claim");
        if ((await ledger.latest(index)) !== held) return "changed";
        if (await options.isDone?.()) return "changed";
        const now = await store.read(workerObject(index, "heartbeat"));
        if (now !== seen) {
            seen = now;
            since = Date.now();
        } else if (Date.now() - since >= options.leaseMs) {
            return "stale";
        }
    }
}

/** Holds generation `generation`: beats, and watches for a newer generation. */
async function hold(
    store: StateStore,
    ledger: ClaimLedger,
    index: number,
    generation: number,
    options: ClaimOptions,
): Promise<Claim> {
    const fenced = new AbortController();
    let beat = 0;
    const write = () => {
        const heartbeat: Heartbeat = {
            generation,
            beat: beat++,
            owner: options.owner,
            at: new Date().toISOString(),
        };
        return store.write(workerObject(index, "heartbeat"), JSON.stringify(heartbeat));
    };
    await write();
    let busy = false;
    const timer = setInterval(
        () => {
            if (busy) return;
            busy = true;
            void (async () => {
                try {
                    if (await ledger.exists(index, generation + 1)) {
                        fenced.abort(
                            new Error(
                                `worker ${index}'s share was taken over by generation ${generation + 1}.`,
                            ),
                        );
                        clearInterval(timer);
                        return;
                    }
                    await write();
                } catch {
                    // A missed beat is only a missed beat: the next one tries again.
                } finally {
                    busy = false;
                }
            })();
        },
        Math.max(10, Math.floor(options.leaseMs / 3)),
    );
    timer.unref();
    return { generation, fenced: fenced.signal, release: () => clearInterval(timer) };
}
