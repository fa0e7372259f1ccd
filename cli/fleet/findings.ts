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
        (t) => t.findings.length > 0 || (t.production === true && (t.pitr === "disabled" || !t.inBackupPlan)),
    );
