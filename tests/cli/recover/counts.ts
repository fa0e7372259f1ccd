// The counts of a recovery report that describe the tables (not the retries of one run), and the
// sums and picks the worker tests compare: N workers' reports summed against one process's.
import type { RecoveryCounts, RecoveryReport } from "../../../cli/recover/report";

export const TABLE_COUNTS: ReadonlyArray<keyof RecoveryCounts> = [
    "sourceItems",
    "liveItems",
    "missing",
    "differing",
    "identical",
    "onlyInLive",
    "toWrite",
    "written",
    "skippedByCondition",
];

/** What a dry run and an --apply run both find: the table counts without what was written. */
export const FOUND_COUNTS = TABLE_COUNTS.filter((k) => k !== "written" && k !== "skippedByCondition");

export function pick(
    report: RecoveryReport,
    keys: ReadonlyArray<keyof RecoveryCounts> = TABLE_COUNTS,
): Partial<RecoveryCounts> {
    return Object.fromEntries(keys.map((k) => [k, report.counts[k]]));
}

export function sum(
    reports: readonly RecoveryReport[],
    keys: ReadonlyArray<keyof RecoveryCounts> = TABLE_COUNTS,
): Partial<RecoveryCounts> {
    return Object.fromEntries(keys.map((k) => [k, reports.reduce((n, r) => n + r.counts[k], 0)]));
}
