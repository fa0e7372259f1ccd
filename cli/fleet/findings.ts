/** What the fleet report shows of a stack's tables: the failing ones, and each finding's fix. */
import type { TableRow } from "./tables";
import type { FleetStack } from "./types";

/** The message's lines after the policy's description: what is wrong with this table, and the fix. */
export function finding(message: string): string {
    const lines = message.trim().split("\n");
    return (lines.length > 1 ? lines.slice(1) : lines).join(" ").trim();
}

/** Tables the report lists under a stack: those the pack reported, or that are production without PITR. */
export const failing = (s: FleetStack): TableRow[] =>
    s.tables.filter(
        (t) =>
            t.findings.length > 0 ||
            (t.production === true && (t.pitr === "disabled" || t.backupPlan === "not-covered")),
    );

/** The backup column of a row, in words (HTML, and the Markdown table with the gap in bold). */
export const BACKUP_LABEL: Record<TableRow["backupPlan"], string> = {
    covered: "yes",
    "not-covered": "no",
    "cannot-verify": "cannot verify",
    "not-checked": "not checked",
};
export const BACKUP_CELL: Record<TableRow["backupPlan"], string> = {
    ...BACKUP_LABEL,
    "not-covered": "**no**",
};

/** What the text report adds after a table's PITR state about its backups (nothing when covered). */
export const BACKUP_NOTE: Record<TableRow["backupPlan"], string> = {
    covered: "",
    "not-covered": "; no backup plan",
    "cannot-verify": "; backup plan cannot be verified",
    "not-checked": "",
};
