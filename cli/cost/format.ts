/**
 * The cost estimate as `check` prints it: one row per table (PITR, backups with the recovery points
 * they keep, total), one line of fixed costs by kind, the total, and what the figures assume.
 */
import { paint } from "../core/text";
import { usd } from "./money";
import type { CostReport, FixedCostKind } from "./types";

/** Rows shown before the rest are summed up in one line (all are in `--json`). */
export const MAX_TABLE_ROWS = 20;

const KINDS: Record<FixedCostKind, [string, string]> = {
    "kms-key": ["KMS key", "KMS keys"],
    "eventbridge-rule": ["EventBridge rule", "EventBridge rules"],
    "config-rule": ["Config rule", "Config rules"],
    "cloudwatch-alarm": ["CloudWatch alarm", "CloudWatch alarms"],
    "sns-topic": ["SNS topic", "SNS topics"],
};

const points = (n: number) => String(Math.round(n * 10) / 10);

export function renderCost(report: CostReport, options: { color: boolean }): string {
    const bold = paint(options.color, 1);
    const dim = paint(options.color, 2);
    const lines: string[] = [];
    const { tableSizeGb } = report.assumptions;
    lines.push(
        bold(
            `Protection cost, a month (estimate; ${report.prices.region} prices as of ${report.prices.asOf}; ` +
                `${tableSizeGb} GB a table, --table-size-gb):`,
        ),
    );
    const rows = report.tables.slice(0, MAX_TABLE_ROWS).map((t) => {
        const warm = t.backups.reduce((n, b) => n + (b.airGapped ? 0 : b.warmRecoveryPoints), 0);
        const cold = t.backups.reduce((n, b) => n + b.coldRecoveryPoints, 0);
        const airGapped = t.backups.reduce((n, b) => n + (b.airGapped ? b.warmRecoveryPoints : 0), 0);
        const isolated = airGapped > 0 ? `, ${points(airGapped)} air-gapped` : "";
        return [
            t.name,
            `PITR ${t.pitr ? usd(t.pitrMonthly) : "off"}`,
            t.backups.length === 0
                ? t.organizationBackupPolicy
                    ? "backups by the organization's policy (not costed)"
                    : "no backup plan"
                : `backups ${usd(t.backupMonthly)} (${points(warm)} warm, ${points(cold)} cold${isolated} recovery points)`,
            usd(t.monthly),
        ];
    });
    const widths = [0, 1, 2].map((c) => Math.max(0, ...rows.map((r) => r[c].length)));
    for (const [name, pitr, backups, total] of rows)
        lines.push(
            `  ${name.padEnd(widths[0])}  ${pitr.padEnd(widths[1])}  ${backups.padEnd(widths[2])}  ${bold(total)}`,
        );
    const rest = report.tables.slice(MAX_TABLE_ROWS);
    if (rest.length > 0) {
        const total = rest.reduce((n, t) => n + t.monthly, 0);
        lines.push(`  ... ${rest.length} more table(s) ${usd(total)} (every row is in --json)`);
    }
    if (report.tables.length === 0) lines.push("  no DynamoDB table");

    const byKind = new Map<FixedCostKind, { count: number; monthly: number }>();
    for (const f of report.fixed) {
        const k = byKind.get(f.kind) ?? { count: 0, monthly: 0 };
        byKind.set(f.kind, { count: k.count + 1, monthly: k.monthly + f.monthly });
    }
    if (byKind.size > 0) {
        const items = [...byKind].map(
            ([kind, k]) => `${k.count} ${KINDS[kind][k.count === 1 ? 0 : 1]} ${usd(k.monthly)}`,
        );
        lines.push(`  fixed: ${items.join(" · ")}`);
    }
    const s = report.totals;
    lines.push(
        `  ${bold(`total ${usd(s.monthly)} a month`)}: PITR ${usd(s.pitr)}, backups ${usd(s.backups)}, fixed ${usd(s.fixed)}`,
    );
    for (const u of report.uncosted) lines.push(dim(`  not costed: selection ${u.name}: ${u.reason}`));
    for (const note of report.notes) lines.push(dim(`  ${note}`));
    if (report.pricesDoc) lines.push(dim(`  Prices, Regions and what is left out: ${report.pricesDoc}.`));
    return `${lines.join("\n")}\n`;
}
