/**
 * One row per DynamoDB table of a stack, for the fleet report: whether it is production and why (the
 * pack's own production decision), its PITR state, and the pack's diagnostics about it (whose
 * messages carry the fix). Counts in the totals come from these rows.
 */
import { TABLE_TYPES } from "../../policies/dynamodb/engine/tableFacts";
import { decideProduction } from "../../policies/dynamodb/engine/production";
import { decidePitr, pitrRule } from "../../policies/dynamodb/rules/requirePitr";
import { readRuleConfig } from "../../policies/dynamodb/crossguard/tableRule";
import { tablesOf } from "../../policies/dynamodb/facts/tables";
import type { Diagnostic, Resource } from "../analyzer/types";
import { plain } from "../state/convert";

export const BACKUP_POLICY = "dynamodb-production-table-in-backup-plan";

export interface TableRow {
    /** How the pack names it, e.g. "table `orders` (aws:dynamodb/table:Table)". */
    subject: string;
    urn: string;
    production: boolean | "unknown";
    /** Why it is (or is not) production, as the pack decides it. */
    productionReason: string;
    pitr: "enabled" | "disabled" | "unknown" | "n/a";
    /** False when the backup-plan rule reported it. */
    inBackupPlan: boolean;
    /** The pack could not verify something about it (an unknown or encrypted value). */
    cannotVerify: boolean;
    /** The pack's diagnostics for this table's resource. */
    findings: Array<{ policyName: string; enforcementLevel: string; message: string }>;
}

const isUnverifiable = (d: Diagnostic) => /cannot verify|can't run/i.test(d.message);

export function tableRows(
    resources: Resource[],
    pitrConfig: unknown,
    stackTags: Record<string, string>,
    violations: Diagnostic[],
): TableRow[] {
    const config = readRuleConfig(pitrConfig, pitrRule.schema);
    const tags = new Map(Object.entries(stackTags));
    const byUrn = new Map<string, Diagnostic[]>();
    for (const v of violations) {
        const list = byUrn.get(v.urn) ?? [];
        list.push(v);
        byUrn.set(v.urn, list);
    }
    const rows: TableRow[] = [];
    for (const r of resources) {
        if (!TABLE_TYPES.includes(r.type)) continue;
        const found = byUrn.get(r.urn) ?? [];
        for (const table of tablesOf({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: plain(r.properties) as Record<string, unknown>,
            protect: r.options?.protect,
            providerProps: r.provider ? (plain(r.provider.properties) as Record<string, unknown>) : undefined,
        })) {
            const production = decideProduction(table, config, { stackTags: tags });
            const pitr = decidePitr(table);
            rows.push({
                subject: table.subject,
                urn: r.urn,
                production: production.production,
                productionReason: production.reason,
                pitr:
                    pitr.outcome === "compliant"
                        ? "enabled"
                        : pitr.outcome === "non-compliant"
                          ? "disabled"
                          : pitr.outcome === "unverifiable"
                            ? "unknown"
                            : "n/a",
                inBackupPlan: !found.some((d) => d.policyName === BACKUP_POLICY && !isUnverifiable(d)),
                cannotVerify:
                    production.production === "unknown" ||
                    pitr.outcome === "unverifiable" ||
                    found.some(isUnverifiable),
                findings: found.map((d) => ({
                    policyName: d.policyName,
                    enforcementLevel: d.enforcementLevel,
                    message: d.message,
                })),
            });
        }
    }
    return rows;
}
