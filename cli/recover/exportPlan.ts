// A recovery whose source is a DynamoDB export to S3 (`--from-export`): what is refused up front,
// and the read plan, one unit per data file (so that workers split the data files).
import { checkExportLocation, type ExportManifest } from "./exportSource";
import type { ReadPlan, RecoveryFilter } from "./filter";
import type { RecoverOptions } from "./options";

/** Problems with `fromExport` and the options around it, found before anything is sent. */
export function checkExportOptions(options: RecoverOptions): string[] {
    if (options.fromExport === undefined) return [];
    const problems: string[] = [];
    if (options.from !== undefined)
        problems.push(
            "`--from-export` and `--from` both name where the items come from; give one: --from <restored table> or --from-export s3://<bucket>/<export-prefix>/AWSDynamoDB/<ExportId>/.",
        );
    const location = checkExportLocation(options.fromExport);
    if (location) problems.push(location);
    if (options.keysFile || options.filter?.keys)
        problems.push(
            "`--keys-file` looks keys up in the source, and an export cannot be looked up by key; use --partition-key-values, --key-prefix or --where with --from-export.",
        );
    if (options.filter?.index)
        problems.push(
            "`--index` Queries a table's index, and an export has none; use --where with --from-export (every item of the export is read and filtered).",
        );
    return problems;
}

/** One read unit per data file, in the manifest's order. */
export function exportPlan(manifest: ExportManifest, location: string, filter: RecoveryFilter): ReadPlan {
    const filtered = filter.partitionKeyValues || filter.keyPrefix !== undefined || filter.where?.length;
    return {
        kind: "export",
        description:
            `read export ${location}: ${manifest.files.length} data file(s), ${manifest.itemCount ?? "?"} item(s)` +
            (filtered ? ", filtered as read" : ""),
        units: manifest.files.map((file, i) => ({ id: `file-${i}`, kind: "file" as const, file })),
    };
}

/** Items in a plan's data files (a worker's share of them), when the manifest counts them all. */
export function exportTotal(plan: ReadPlan): number | undefined {
    let total = 0;
    for (const unit of plan.units) {
        if (unit.kind !== "file" || unit.file.itemCount === undefined) return undefined;
        total += unit.file.itemCount;
    }
    return total;
}

/** Why the live pass does not run with an export. */
export const NO_LIVE_PASS_NOTE =
    "the live-only pass does not run from an export (an export cannot be looked up by key), so items only in the live table are reported as 0; they are never written either way.";
