/**
 * One row per DynamoDB table of a stack, for the fleet report: the census row (production-ness and
 * why, PITR, backup coverage: the pack's own decisions, `state/census.ts`) and the pack's diagnostics
 * about its resource, whose messages carry the fix. Counts in the totals come from these rows.
 */
import type { Diagnostic, PolicyConfig, Resource } from "../analyzer/types";
import { CensusRow, censusRows } from "../state/census";
import { isUnverifiable } from "../state/selfCheck";

export interface TableRow extends CensusRow {
    /** The pack's diagnostics for this table's resource. */
    findings: Array<{ policyName: string; enforcementLevel: string; message: string }>;
}

export function tableRows(
    resources: Resource[],
    config: Record<string, PolicyConfig | undefined>,
    stackTags: Record<string, string>,
    violations: Diagnostic[],
): TableRow[] {
    const byUrn = new Map<string, Diagnostic[]>();
    for (const v of violations) {
        const list = byUrn.get(v.urn) ?? [];
        list.push(v);
        byUrn.set(v.urn, list);
    }
    return censusRows(resources, config, stackTags).map((row) => ({
        ...row,
        cannotVerify: row.cannotVerify || (byUrn.get(row.urn) ?? []).some(isUnverifiable),
        findings: (byUrn.get(row.urn) ?? []).map((d) => ({
            policyName: d.policyName,
            enforcementLevel: d.enforcementLevel,
            message: d.message,
        })),
    }));
}
