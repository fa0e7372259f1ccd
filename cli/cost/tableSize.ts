/** The `--table-size-gb` flag: the size every table is assumed to hold for the cost estimate. */
import { DEFAULT_TABLE_SIZE_GB } from "./estimate";

/** DynamoDB sets no table size limit; past a petabyte a figure is more likely a typo. */
export const MAX_TABLE_SIZE_GB = 1_000_000;

/** The size the flag gives (the default when absent), or a one-line error naming the value and the fix. */
export function parseTableSizeGb(text: string | undefined): number | { problem: string } {
    if (text === undefined) return DEFAULT_TABLE_SIZE_GB;
    const size = /^\s*\d*\.?\d+(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
    if (Number.isFinite(size) && size > 0 && size <= MAX_TABLE_SIZE_GB) return size;
    return {
        problem:
            `--table-size-gb is ${JSON.stringify(text)}; it must be a number of GB greater than 0 and at most ` +
            `${MAX_TABLE_SIZE_GB.toLocaleString("en-US")}. Fix: give the size you expect a table to reach, ` +
            `e.g. --table-size-gb 25 (default ${DEFAULT_TABLE_SIZE_GB}).`,
    };
}
