// Keeps the command's memory flat on a long run. What a recovery holds does not grow with the
// table (pages in flight, at most REMEMBERED_KEYS keys, the samples: about 13 MB of heap in use
// after a collection, from 30,000 items to 1,000,000), but V8 sizes its old generation from how
// fast the program allocates, not from what it keeps: a recovery allocates every page anew, the
// pages waiting for their writes live long enough to be promoted, and the heap V8 reserves (and the
// resident memory with it) grew by about 100 bytes per item read while what was in use stayed flat.
// A full collection every few seconds resets V8's limit to what is in use; on a heap this small it
// takes a few milliseconds. Only the command does this (it owns its process); the library leaves
// the process's collector alone.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** How often the command collects in full, in ms. */
export const FULL_GC_EVERY_MS = 2_000;

/** Starts collecting in full every `everyMs` (when V8 lets `gc` be exposed); returns the function that stops it. */
export function keepHeapCompact(everyMs = FULL_GC_EVERY_MS): () => void {
    const gc = exposedGc();
    if (!gc) return () => undefined;
    const timer = setInterval(() => gc(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
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
