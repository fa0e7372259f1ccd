// What a recovery found and did: counters, samples, the JSON report, and the summary people read.
import { writeFileSync } from "node:fs";

export interface RecoveryCounts {
    /** Items of the restored table that the filter selects. */
    sourceItems: number;
    /**
     * Items of the live table that the filter selects, as it was before this run (items this run
     * found missing and wrote are not counted again): identical + differing + onlyInLive when the
     * filter selects the same items in both tables. 0 with `--skip-live-pass`.
     */
    liveItems: number;
    /** In the restored table, not in the live one. */
    missing: number;
    /** In both, with different contents. */
    differing: number;
    /** In both, equal. */
    identical: number;
    /** In the live table only (written after the restore point, or deleted since on purpose): never touched. */
    onlyInLive: number;
    /** Keys from a keys file found in neither table. */
    notFound: number;
    /** Items this run writes (`apply`) or would write (dry run): missing ones, plus restorable changed ones in `changed` mode. */
    toWrite: number;
    /** Conditional writes that succeeded. */
    written: number;
    /** Conditional writes refused because the live item appeared or changed after it was compared. */
    skippedByCondition: number;
    /** `changed` mode: the live item's compare attribute is not older than the restored one's. */
    skippedLiveNewer: number;
    /** `changed` mode: the restored item lacks the compare attribute, so it cannot be shown to be newer. */
    skippedNotComparable: number;
    /** Requests retried after a throttling error. */
    throttledRetries: number;
    /** BatchGetItem calls repeated for their UnprocessedKeys. */
    unprocessedRetries: number;
    /** Requests sent again after a dropped or refused connection, a timeout or a 5xx answer. */
    connectionRetries: number;
    /** Write capacity units the writes were estimated to use (the rate limiter's accounting). */
    writeUnits: number;
}

export function emptyCounts(): RecoveryCounts {
    return {
        sourceItems: 0,
        liveItems: 0,
        missing: 0,
        differing: 0,
        identical: 0,
        onlyInLive: 0,
        notFound: 0,
        toWrite: 0,
        written: 0,
        skippedByCondition: 0,
        skippedLiveNewer: 0,
        skippedNotComparable: 0,
        throttledRetries: 0,
        unprocessedRetries: 0,
        connectionRetries: 0,
        writeUnits: 0,
    };
}

export interface RecoverySamples {
    missing: Record<string, unknown>[];
    differing: Array<{ key: Record<string, unknown>; attributes: string[] }>;
    onlyInLive: Record<string, unknown>[];
}

export function emptySamples(): RecoverySamples {
    return { missing: [], differing: [], onlyInLive: [] };
}

export interface RecoveryReport {
    readonly from: string;
    readonly into: string;
    readonly apply: boolean;
    readonly mode: "missing" | "changed";
    readonly compareAttribute?: string;
    readonly filter: Record<string, unknown>;
    /** How the restored table was read, and how the live one was (for items only in it). */
    readonly plan: { readonly source: string; readonly live?: string };
    readonly rateLimitWcu: number;
    /** The most conditional writes in flight at once (the limit adapts to latency and throttling). */
    readonly peakWritesInFlight?: number;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    /** Every selected item was compared (and, with `apply`, written where needed). */
    readonly complete: boolean;
    /** The run was stopped early; its checkpoint (if any) resumes it. */
    readonly interrupted: boolean;
    /** The run continued from a checkpoint; counts include the earlier part. */
    readonly resumed: boolean;
    readonly checkpoint?: string;
    /** Worker mode: which worker's share this report covers (`recover status` merges them). */
    readonly workers?: { readonly count: number; readonly index: number };
    readonly counts: RecoveryCounts;
    readonly samples: RecoverySamples;
    /** Advice, e.g. an index that would avoid a Scan. */
    readonly notes: string[];
}

export function writeReport(path: string, report: RecoveryReport): void {
    writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
}

/** A short human summary, one fact per line. */
export function summarize(report: RecoveryReport): string {
    const c = report.counts;
    const lines = [
        `${report.apply ? "Recovery" : "Dry run"}: ${report.from} -> ${report.into} (${report.plan.source}; mode ${report.mode})`,
        `  restored table: ${c.sourceItems} item(s) selected` +
            (report.plan.live ? `; live table: ${c.liveItems}` : ""),
        `  missing from live: ${c.missing}   differing: ${c.differing}   identical: ${c.identical}   only in live: ${c.onlyInLive}` +
            (c.notFound ? `   not found: ${c.notFound}` : ""),
    ];
    if (report.apply) {
        lines.push(
            `  written: ${c.written}   skipped (live item appeared or changed meanwhile): ${c.skippedByCondition}`,
        );
    } else {
        lines.push(`  would write: ${c.toWrite} (nothing written; add --apply to write)`);
    }
    if (report.mode === "changed") {
        lines.push(
            `  changed, live is newer: ${c.skippedLiveNewer}   changed, no \`${report.compareAttribute}\` to compare: ${c.skippedNotComparable}`,
        );
    } else if (c.differing > 0) {
        lines.push(
            `  differing items are left alone; --mode changed --compare-attribute <attr> restores older ones`,
        );
    }
    if (c.throttledRetries || c.unprocessedRetries || c.connectionRetries) {
        lines.push(
            `  retries: ${c.throttledRetries} after throttling, ${c.unprocessedRetries} for unprocessed keys` +
                (c.connectionRetries ? `, ${c.connectionRetries} after dropped connections` : ""),
        );
    }
    if (report.interrupted) lines.push(`  interrupted: run again with the same --checkpoint to resume`);
    for (const note of report.notes) lines.push(`  note: ${note}`);
    return lines.join("\n");
}
