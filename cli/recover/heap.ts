// Keeps the command's memory flat on a long run. What a recovery holds does not grow with the
// table (pages in flight, at most REMEMBERED_KEYS keys, the samples: about 13 MB of heap in use
// after a collection, from 30,000 items to 1,000,000), but V8 sizes its old generation from how
// fast the program allocates, not from what it keeps: a recovery allocates every page anew, the
// pages waiting for their writes live long enough to be promoted, and the heap V8 reserves (and the
// resident memory with it) grew by about 100 bytes per item read while what was in use stayed flat.
// A full collection every few seconds resets V8's limit to what is in use; on a heap this small it
// takes a few milliseconds.
//
// With --apply, every conditional write allocates about 150 KB in the SDK (serializing, signing,
// resolving the endpoint), and with up to 256 writes in flight each one lives through two or three
// young-generation collections (every 40 to 50 ms at that rate): its objects are promoted, and the
// old generation fills with garbage at tens of MB a second. Between two timed collections it then
// grew as far as V8's own limit allowed, which V8 sets from its measured collection speed; on a
// busy machine that limit, and so each peak, varied by tens of MB, and a longer run met higher
// peaks. So the command also looks every HEAP_CHECK_EVERY_MS at the old generation, and collects
// as soon as it has grown by OLD_GROWTH_BYTES since the last collection (or by half what that
// collection left, when more is in use: large items, so that a big heap is not collected over and
// over): the peak is then what is in use plus that much, however long the run. Only the command
// does this (it owns its process); the library leaves the process's collector alone.
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** How often the command collects in full at least, in ms. */
export const FULL_GC_EVERY_MS = 2_000;
/** How often the command looks at the old generation, in ms. */
export const HEAP_CHECK_EVERY_MS = 100;
/** Growth of the old generation since the last collection that starts a collection at once. */
export const OLD_GROWTH_BYTES = 16 * 1024 * 1024;
/** ... or this share of what the last collection left, when that is more. */
export const OLD_GROWTH_SHARE = 0.5;

export interface HeapKeeping {
    /** Collect in full at least this often, in ms. */
    readonly everyMs?: number;
    /** Look at the old generation this often, in ms. */
    readonly checkEveryMs?: number;
    /**
     * Collect once the old generation has grown by this many bytes since the last collection, or
     * by OLD_GROWTH_SHARE of what that collection left, when that is more.
     */
    readonly growthBytes?: number;
    /** The full collection; by default V8's, when it lets `gc` be exposed. */
    readonly gc?: () => void;
    /** Bytes in use outside the young generation; by default from V8's heap space statistics. */
    readonly oldGenerationUsed?: () => number;
    readonly now?: () => number;
}

/** Starts collecting in full (see above; when V8 lets `gc` be exposed); returns the function that stops it. */
export function keepHeapCompact(options: HeapKeeping = {}): () => void {
    const gc = options.gc ?? exposedGc();
    if (!gc) return () => undefined;
    const everyMs = options.everyMs ?? FULL_GC_EVERY_MS;
    const growth = options.growthBytes ?? OLD_GROWTH_BYTES;
    const used = options.oldGenerationUsed ?? oldGenerationUsed;
    const now = options.now ?? Date.now;
    let last = now();
    let after = used();
    const timer = setInterval(() => {
        if (now() - last < everyMs && used() - after < Math.max(growth, after * OLD_GROWTH_SHARE)) return;
        gc();
        last = now();
        after = used();
    }, options.checkEveryMs ?? HEAP_CHECK_EVERY_MS);
    timer.unref();
    return () => clearInterval(timer);
}

/** Bytes in use in every space of V8's heap but the young generation's. */
export function oldGenerationUsed(): number {
    let used = 0;
    for (const space of getHeapSpaceStatistics())
        if (!space.space_name.startsWith("new_")) used += space.space_used_size;
    return used;
}

function exposedGc(): (() => void) | undefined {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (existing) return existing;
    try {
        // `--expose-gc` set after start up applies to contexts created afterwards.
        setFlagsFromString("--expose-gc");
        return runInNewContext("gc") as () => void;
    } catch {
        return undefined;
    }
}
