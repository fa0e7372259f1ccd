// What a person watching `recover` sees while it runs. On a terminal, one line redrawn in place
// (at most five times a second): a bar when the number of items is known (a Scan reads the whole
// table; a keys file has its length), items compared, written and skipped, the rate and the time
// left. Elsewhere (a log file, CI), a plain line every `everyMs`, which a log keeps readable.
import type { RecoveryProgress } from "./options";

export interface ProgressOutput {
    write(text: string): unknown;
}

export interface ProgressOptions {
    /** Redraw one line in place (a terminal), or print plain lines. */
    readonly isTTY: boolean;
    /** With `apply`, writes are counted as written; in a dry run, as would be written. */
    readonly apply: boolean;
    /** Plain lines at most this often, in ms. Defaults to 10,000. */
    readonly everyMs?: number;
    /** Terminal width; a line is cut to fit so that it never wraps. */
    readonly columns?: number;
    readonly now?: () => number;
}

const REDRAW_MS = 200;
const BAR_WIDTH = 20;

export class ProgressPrinter {
    private readonly started: number;
    private phase: RecoveryProgress["phase"] | undefined;
    private phaseStarted = 0;
    private lastDraw = 0;
    private drawn = false;

    constructor(
        private readonly out: ProgressOutput,
        private readonly options: ProgressOptions,
    ) {
        this.started = this.now();
        // A terminal shows the first page at once; a log's first line comes after `everyMs`, so
        // that a short run prints nothing but its summary.
        this.lastDraw = options.isTTY ? -Infinity : this.started;
    }

    update(progress: RecoveryProgress): void {
        const now = this.now();
        if (progress.phase !== this.phase) {
            // The first phase began when the run did; the live pass when its first page arrives.
            this.phaseStarted = this.phase === undefined ? this.started : now;
            this.phase = progress.phase;
        }
        const every = this.options.isTTY ? REDRAW_MS : (this.options.everyMs ?? 10_000);
        if (now - this.lastDraw < every) return;
        this.lastDraw = now;
        const line = describeProgress(progress, (now - this.phaseStarted) / 1000, this.options);
        if (this.options.isTTY) {
            const width = Math.max(20, (this.options.columns ?? 100) - 1);
            this.out.write(`\r${line.slice(0, width)}\x1b[K`);
            this.drawn = true;
        } else {
            this.out.write(`recover: ${line}\n`);
        }
    }

    /** Clears the line on a terminal, before the summary is printed. */
    finish(): void {
        if (this.options.isTTY && this.drawn) this.out.write("\r\x1b[K");
    }

    private now(): number {
        return (this.options.now ?? Date.now)();
    }
}

/** One line: `restored: read 4,200 of ~10,000 [########------------] 42%  compared 4,200  written 3,900  skipped 12  1,020 items/s  ETA 8s`. */
export function describeProgress(
    p: RecoveryProgress,
    seconds: number,
    options: Pick<ProgressOptions, "apply" | "isTTY">,
): string {
    const c = p.counts;
    const n = (x: number) => Math.round(x).toLocaleString("en-US");
    const parts: string[] = [];
    const known = p.total !== undefined && p.total > 0;
    const fraction = known ? Math.min(1, p.examined / p.total!) : undefined;
    let head = `${p.phase}: read ${n(p.examined)}`;
    if (known) {
        head += ` of ~${n(p.total!)}`;
        if (options.isTTY) {
            const filled = Math.round(fraction! * BAR_WIDTH);
            head += ` [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
        }
        head += ` ${Math.floor(fraction! * 100)}%`;
    }
    parts.push(head);
    if (p.phase === "restored") {
        parts.push(`compared ${n(c.missing + c.differing + c.identical)}`);
        parts.push(options.apply ? `written ${n(c.written)}` : `would write ${n(c.toWrite)}`);
        parts.push(`skipped ${n(c.skippedByCondition + c.skippedLiveNewer + c.skippedNotComparable)}`);
    } else {
        parts.push(`only in live ${n(c.onlyInLive)}`);
    }
    const rate = seconds > 0 ? p.examined / seconds : 0;
    parts.push(`${n(rate)} items/s`);
    if (known && rate > 0) parts.push(`ETA ${duration((p.total! - Math.min(p.total!, p.examined)) / rate)}`);
    const retries = c.throttledRetries + c.unprocessedRetries + c.connectionRetries;
    if (retries > 0) parts.push(`retries ${n(retries)}`);
    return parts.join(options.isTTY ? "  " : ", ");
}

/** 8s, 3m05s, 2h10m */
function duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
