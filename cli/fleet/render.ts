/** The fleet report in each `--format`: text (a terminal), json, sarif, markdown (a PR comment), html. */
import type { CheckResult } from "../report/types";
import { toSarif } from "../report/sarif";
import { paint } from "../core/text";
import { renderHtml } from "./html";
import { BACKUP_CELL, BACKUP_NOTE, failing, finding } from "./findings";
import { FleetFormat, FleetResult } from "./types";

export function renderFleet(result: FleetResult, format: FleetFormat, opts: { color: boolean }): string {
    switch (format) {
        case "json":
            return `${JSON.stringify(result, null, 2)}\n`;
        case "sarif":
            return `${JSON.stringify(fleetSarif(result), null, 2)}\n`;
        case "markdown":
            return renderMarkdown(result);
        case "html":
            return renderHtml(result);
        default:
            return renderText(result, opts.color);
    }
}

export function totalsLine(result: FleetResult): string {
    const t = result.summary;
    return (
        `${t.stacks} stack(s)${t.stacksNotRead ? ` (${t.stacksNotRead} could not be read)` : ""}, ${t.stacksFailed} failed; ` +
        `${t.tables} table(s), ${t.productionTables} production, ${t.productionTablesWithoutPitr} without PITR, ` +
        `${t.productionTablesWithoutBackups} without backups, ${t.cannotVerify} cannot verify`
    );
}

function renderText(result: FleetResult, color: boolean): string {
    const out: string[] = [
        `Fleet report for ${result.backend} (${result.policyPack.name} ${result.policyPack.version})`,
        `Totals: ${totalsLine(result)}.`,
        "",
    ];
    const width = Math.max(
        0,
        ...result.stacks.map((s) => s.name.length),
        ...result.errors.map((e) => e.name.length),
    );
    for (const s of result.stacks) {
        const status =
            s.exitCode === 1
                ? paint(color, 31)(`FAILED (${s.mandatory} mandatory)`)
                : paint(color, 32)(s.advisory ? `PASSED (${s.advisory} advisory)` : "PASSED");
        out.push(`${s.name.padEnd(width)}  ${status}  ${s.tables.length} table(s)`);
        for (const t of failing(s)) {
            out.push(
                `  ${t.subject}: ${t.production === true ? `production (${t.productionReason})` : t.production === "unknown" ? "production unknown" : "not production"}; PITR ${t.pitr}${BACKUP_NOTE[t.backupPlan]}`,
            );
            for (const f of t.findings)
                out.push(`    [${f.enforcementLevel}] ${f.policyName}: ${finding(f.message)}`);
        }
    }
    for (const e of result.errors)
        out.push(`${e.name.padEnd(width)}  ${paint(color, 33)("NOT READ")}  ${e.message}`);
    return `${out.join("\n")}\n`;
}

const md = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function renderMarkdown(result: FleetResult): string {
    const t = result.summary;
    const out: string[] = [
        `## DynamoDB PITR fleet report`,
        "",
        `Backend \`${result.backend}\`, policy pack ${result.policyPack.name} ${result.policyPack.version}, ${result.generatedAt}.`,
        "",
        "| Stacks | Failed | Not read | Tables | Production | Without PITR | Without backups | Cannot verify |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        `| ${t.stacks} | ${t.stacksFailed} | ${t.stacksNotRead} | ${t.tables} | ${t.productionTables} | ${t.productionTablesWithoutPitr} | ${t.productionTablesWithoutBackups} | ${t.cannotVerify} |`,
        "",
    ];
    const failed = result.stacks.filter((s) => failing(s).length > 0);
    for (const s of failed) {
        out.push(`### ${s.exitCode === 1 ? "❌" : "⚠️"} ${md(s.name)}`, "");
        out.push(
            "| Table | Why production | PITR | Backups | Finding and fix |",
            "| --- | --- | --- | --- | --- |",
        );
        for (const row of failing(s)) {
            const fix = row.findings
                .map((f) => `**${f.enforcementLevel}** ${md(finding(f.message))}`)
                .join("<br>");
            out.push(
                `| ${md(row.subject)} | ${md(row.production === true ? row.productionReason : String(row.production))} | ${row.pitr} | ${BACKUP_CELL[row.backupPlan]} | ${fix} |`,
            );
        }
        out.push("");
    }
    if (result.errors.length) {
        out.push("### Not read", "", "| Stack | Problem |", "| --- | --- |");
        for (const e of result.errors) out.push(`| ${md(e.name)} | ${md(e.message)} |`);
        out.push("");
    }
    const passed = result.stacks.filter((s) => failing(s).length === 0);
    if (passed.length) {
        out.push(`<details><summary>${passed.length} stack(s) passed</summary>`, "");
        for (const s of passed) out.push(`- ${md(s.name)} (${s.tables.length} table(s))`);
        out.push("", "</details>", "");
    }
    return `${out.join("\n")}`;
}

function fleetSarif(result: FleetResult): object {
    const runs = result.stacks.flatMap((s) => {
        const check = {
            stack: s.name,
            policyPack: { name: result.policyPack.name, version: result.policyPack.version },
            violations: s.violations,
            policies: result.policies,
        } as unknown as CheckResult;
        return (toSarif(check, s.location) as { runs: object[] }).runs;
    });
    return { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs };
}
