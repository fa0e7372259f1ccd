// Small helpers shared by the benchmarks: timing, medians, rounding, and the result shape.
import { readFileSync } from "node:fs";

/** What every `*.bench.ts` module's `bench()` returns: a titled table. */
export interface BenchResult {
    title: string;
    rows: Array<Record<string, string | number>>;
    /** Optional remarks printed under the table (targets, skipped parts and why). */
    notes?: string[];
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
    return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `fn` and returns how long it took, in milliseconds, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const start = process.hrtime.bigint();
    const value = await fn();
    return { ms: msSince(start), value };
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds to `digits` decimals. */
export function round(n: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round(n * f) / f;
}

/** A ratio as the tables print it: "1.23x". */
export function ratio(a: number, b: number): string {
    return `${round(a / b, 2).toFixed(2)}x`;
}

/** A whole number from an environment variable, or the default. */
export function envCount(name: string, fallback: number): number {
    const raw = process.env[name];
    if (raw === undefined || raw === "") {
        return fallback;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
        throw new Error(`${name} is ${raw}; it must be a positive whole number.`);
    }
    return n;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function cpuSeconds(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
        return undefined;
    }
}
