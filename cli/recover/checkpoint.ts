// The checkpoint file that makes a recovery resumable: where each read stream stopped (its
// LastEvaluatedKey) and the counters so far. Written after every page, atomically (write then
// rename), so a kill at any moment leaves the last complete page recorded.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Item } from "./attributes";
import type { RecoveryCounts, RecoverySamples } from "./report";

export interface UnitProgress {
    done: boolean;
    /** Where to continue: the LastEvaluatedKey of the last page fully handled. */
    startKey?: Item;
    /**
     * The keys (as keyId) the page in progress found missing, recorded before its writes: a run
     * that resumes this page counts those it finds written as its own (see run.ts).
     */
    pending?: string[];
}

export interface CheckpointState {
    version: 1;
    /** Identifies the run (tables, filter, mode, apply); a checkpoint only resumes the same run. */
    fingerprint: string;
    complete: boolean;
    units: Record<string, UnitProgress>;
    counts: RecoveryCounts;
    samples: RecoverySamples;
    updatedAt: string;
}

/** Where a run's checkpoint is kept: a local file (`--checkpoint`) or a worker's object in `--state`. */
export interface CheckpointKeeper {
    /** Where, as messages name it. */
    readonly where: string;
    load(): Promise<CheckpointState | undefined>;
    /** Records the state as it is now (it may be written a little later; the last one saved wins). */
    save(state: CheckpointState): void;
    /** Waits until the last state saved is written. */
    flush(): Promise<void>;
    /** Records the state and waits until it is written. */
    saveNow(state: CheckpointState): Promise<void>;
}

/** A checkpoint kept in a local file, written synchronously after every page. */
export function fileKeeper(path: string): CheckpointKeeper {
    return {
        where: path,
        load: async () => readCheckpoint(path),
        save: (state) => writeCheckpoint(path, state),
        flush: async () => undefined,
        saveNow: async (state) => writeCheckpoint(path, state),
    };
}

/** Reads a checkpoint, or undefined when the file does not exist. */
export function readCheckpoint(path: string): CheckpointState | undefined {
    if (!existsSync(path)) return undefined;
    return parseCheckpoint(readFileSync(path, "utf8"), path);
}

/** Parses a checkpoint's text; `where` names it in errors. */
export function parseCheckpoint(text: string, where: string): CheckpointState {
    let raw: unknown;
    try {
        raw = JSON.parse(text, reviveBinary);
    } catch (error) {
        throw new Error(
            `Checkpoint ${where} is not valid JSON (${(error as Error).message}); delete it to start over.`,
        );
    }
    const state = raw as Partial<CheckpointState>;
    if (state.version !== 1 || typeof state.fingerprint !== "string" || typeof state.units !== "object") {
        throw new Error(
            `Checkpoint ${where} is not a recovery checkpoint; delete it or choose another file.`,
        );
    }
    return state as CheckpointState;
}

/** The checkpoint's text, binary key values as base64. */
export function serializeCheckpoint(state: CheckpointState): string {
    return JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, replaceBinary, 2);
}

export function writeCheckpoint(path: string, state: CheckpointState): void {
    const temp = `${path}.tmp`;
    writeFileSync(temp, serializeCheckpoint(state));
    renameSync(temp, path);
}

/** Binary key values (Uint8Array) do not survive JSON; store them as {"B64": "..."}. */
function replaceBinary(this: unknown, key: string, value: unknown): unknown {
    const original = (this as Record<string, unknown>)[key];
    if (key === "B" && original instanceof Uint8Array)
        return { B64: Buffer.from(original).toString("base64") };
    return value;
}

function reviveBinary(key: string, value: unknown): unknown {
    if (key === "B" && typeof value === "object" && value !== null && "B64" in value) {
        return new Uint8Array(Buffer.from(String((value as { B64: string }).B64), "base64"));
    }
    return value;
}
