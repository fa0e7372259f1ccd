/**
 * `dynamodb-pitr check --state <file-or-folder>`: audits stacks that already exist, from the JSON of
 * `pulumi stack export`, with the same policy pack and the same analyzer gRPC protocol as a preview,
 * without the Pulumi CLI and without cloud credentials.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackClient } from "../analyzer/client";
import { evaluateOverGrpc } from "../analyzer/evaluate";
import type { RawPolicyConfig } from "../analyzer/policyConfig";
import { startPolicyPack } from "../analyzer/start";
import type { AnalyzerInfo, PolicyConfig } from "../analyzer/types";
import { StackReadError } from "../backend/types";
import { rel } from "../core/paths";
import { OutputFormat, policyViews, writeReport } from "../report/formats";
import { toSarif } from "../report/sarif";
import { renderReport, resourceSummary } from "../report/text";
import type { CheckIo, CheckResult } from "../report/types";
import { censusRows, countRows, stateLevels, TableCensus } from "./census";
import { disagreements } from "./selfCheck";
import { ConvertedStack, convertStack } from "./convert";
import { readExportText, stateFiles } from "./files";
import { parseStackExport, StackExport, StateError } from "./parse";

/** One stack's result: a program check's result, plus what the summary needs. */
export interface StackCheck extends CheckResult {
    file: string;
    census: TableCensus;
    /** Where the census and the diagnostics disagree (`selfCheck.ts`): any entry means exit 2. */
    disagreements: string[];
    warnings: string[];
    exitCode: 0 | 1;
}

/** The `--json` output of a state check. */
export interface StateCheckResult {
    stacks: StackCheck[];
    errors: Array<{ file: string; message: string }>;
    summary: {
        stacksChecked: number;
        filesFailed: number;
        tables: number;
        productionTables: number;
        productionTablesWithoutPitr: number;
        mandatory: number;
        advisory: number;
        /** Stacks whose census and diagnostics disagree. */
        stacksContradicted: number;
    };
}

export interface StateCheckOptions {
    states: string[];
    packDir: string;
    policyConfig?: RawPolicyConfig;
    stackTags: Record<string, string>;
    format: OutputFormat;
    /** Write the report here instead of standard output. */
    output?: string;
    /**
     * Markdown and HTML: the fleet report's renderers, handed in by the caller (`cli/check`), since
     * `fleet/` reads this folder and not the other way round.
     */
    renderAsFleet?: (
        result: StateCheckResult,
        converted: ConvertedStack[],
        config: Record<string, PolicyConfig>,
        stackTags: Record<string, string>,
        format: "markdown" | "html",
    ) => string;
    sarif?: string;
    color: boolean;
    progress: (text: string) => void;
}

/** Checks every stack export with one pack process; resolves to the exit code (0, 1 or 2). */
export async function runStateCheck(options: StateCheckOptions, io: CheckIo): Promise<number> {
    const { files, errors } = stateFiles(options.states);
    const stacks: Array<{ exported: StackExport; converted: ConvertedStack }> = [];
    for (const file of files) {
        try {
            let text: string;
            try {
                text = readExportText(file);
            } catch (e) {
                if (e instanceof StackReadError) throw new StateError(`${e.message}`);
                throw new StateError(
                    `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
                );
            }
            options.progress(`Reading ${rel(file)}...`);
            const exported = parseStackExport(text, file);
            stacks.push({ exported, converted: convertStack(exported) });
        } catch (e) {
            if (!(e instanceof StateError)) throw e;
            errors.push({ file, message: e.message });
        }
    }
    options.progress("");
    for (const e of errors) io.stderr.write(`error: ${rel(e.file)}: ${e.message}\n`);
    if (stacks.length === 0) {
        io.stderr.write(`error: no stack export could be checked\n`);
        return 2;
    }

    options.progress("Starting the policy pack...");
    let pack: PolicyPackClient;
    try {
        pack = await startPolicyPack(options.packDir);
    } catch (e) {
        options.progress("");
        io.stderr.write(
            `error: policy pack ${options.packDir} failed to start: ${String((e as Error).message).split("\n")[0]}\n`,
        );
        return 2;
    }
    const results: StackCheck[] = [];
    let config: Record<string, PolicyConfig> = {};
    let info: AnalyzerInfo | undefined;
    try {
        info = await pack.getAnalyzerInfo();
        config = stateLevels(info, options.policyConfig);
        for (const { exported, converted } of stacks) {
            options.progress(`Checking ${exported.project}/${exported.stack}...`);
            results.push(await checkStack(pack, info, config, exported, converted, options));
        }
    } finally {
        await pack.close();
    }
    options.progress("");

    const policies = info ? policyViews(info) : [];
    for (const s of results) s.policies = policies;
    const result = summarise(results, errors);
    for (const s of results) for (const w of s.warnings) io.stderr.write(`warning: ${rel(s.file)}: ${w}\n`);
    if (options.sarif) fs.writeFileSync(options.sarif, statesSarif(results));
    const converted = stacks.map((s) => s.converted);
    const f = options.format;
    const report =
        f === "json"
            ? `${JSON.stringify({ ...result, policies }, null, 2)}\n`
            : f === "sarif"
              ? `${statesSarif(results)}\n`
              : (f === "markdown" || f === "html") && options.renderAsFleet
                ? options.renderAsFleet(result, converted, config, options.stackTags, f)
                : renderStates(result, converted, options.color);
    writeReport(report, options.output, io);
    for (const s of results)
        for (const d of s.disagreements)
            io.stderr.write(`error: ${rel(s.file)}: the report contradicts itself: ${d}; exit 2\n`);
    // A report that contradicts itself is not trusted (exit 2). A file that could not be read never
    // passes: its stack is unchecked (exit 2), unless another stack already failed the pack (exit 1).
    if (result.summary.stacksContradicted > 0) return 2;
    return result.summary.mandatory > 0 ? 1 : errors.length > 0 ? 2 : 0;
}

/** One SARIF log for every stack export checked: one run each, at the export's file. */
function statesSarif(results: StackCheck[]): string {
    const runs = results.flatMap((s) => (toSarif(s, s.file) as { runs: unknown[] }).runs);
    const log = { ...(toSarif(results[0], results[0].file) as object), runs };
    return JSON.stringify(log, null, 2);
}

async function checkStack(
    pack: PolicyPackClient,
    info: AnalyzerInfo,
    config: Record<string, PolicyConfig>,
    exported: StackExport,
    converted: ConvertedStack,
    options: StateCheckOptions,
): Promise<StackCheck> {
    const violations = await evaluateOverGrpc(
        pack,
        config,
        { stack: exported.stack, project: exported.project, tags: options.stackTags },
        converted.resources,
    );
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const rows = censusRows(converted.resources, config, options.stackTags);
    const census = countRows(rows);
    return {
        file: rel(exported.file),
        program: rel(exported.file),
        project: exported.project,
        stack: exported.stack,
        policyPack: { name: info.name, version: info.version, dir: rel(options.packDir) },
        resources: converted.captured.map(resourceSummary),
        violations,
        remediations: [],
        summary: {
            resources: converted.resources.length,
            tables: census.tables,
            mandatory,
            advisory: violations.length - mandatory,
            remediated: 0,
        },
        census,
        disagreements: disagreements(rows, violations, config),
        warnings: [...exported.warnings, ...converted.warnings],
        exitCode: mandatory > 0 ? 1 : 0,
    };
}

/** The summary over all stacks. Pure. */
export function summarise(stacks: StackCheck[], errors: StateCheckResult["errors"]): StateCheckResult {
    const sum = (f: (s: StackCheck) => number) => stacks.reduce((n, s) => n + f(s), 0);
    return {
        stacks,
        errors,
        summary: {
            stacksChecked: stacks.length,
            filesFailed: errors.length,
            tables: sum((s) => s.census.tables),
            productionTables: sum((s) => s.census.production),
            productionTablesWithoutPitr: sum((s) => s.census.productionWithoutPitr),
            mandatory: sum((s) => s.summary.mandatory),
            advisory: sum((s) => s.summary.advisory),
            stacksContradicted: stacks.filter((s) => s.disagreements.length > 0).length,
        },
    };
}

/** Per stack: its tables and backup resources, then its violations; then one summary for all. */
export function renderStates(result: StateCheckResult, converted: ConvertedStack[], color: boolean): string {
    const out: string[] = [];
    result.stacks.forEach((s, i) => {
        const shown = converted[i].captured.filter((r) =>
            /^aws(-native)?:(dynamodb|backup)[:/]/.test(r.type),
        );
        out.push(
            renderReport(s, shown, {
                color,
                programDir: path.dirname(s.file),
                heading: `Checking ${s.file} (project ${s.project}, stack ${s.stack}): ${s.summary.resources} resources in the state, ${shown.length} shown`,
                marker: "=",
            }),
        );
    });
    const t = result.summary;
    out.push("Summary:");
    out.push(
        `  ${t.stacksChecked} stack(s) checked${t.filesFailed ? `, ${t.filesFailed} file(s) could not be read` : ""}; ${t.productionTables} production table(s) of ${t.tables}; ${t.productionTablesWithoutPitr} production table(s) without PITR.`,
    );
    const width = Math.max(...result.stacks.map((s) => `${s.project}/${s.stack}`.length));
    for (const s of result.stacks) {
        const status = s.exitCode === 1 ? `FAILED (${s.summary.mandatory} mandatory)` : "PASSED";
        out.push(`  ${`${s.project}/${s.stack}`.padEnd(width)}  ${status}  exit ${s.exitCode}  ${s.file}`);
    }
    for (const e of result.errors)
        out.push(`  ${"(not checked)".padEnd(width)}  ERROR  exit 2  ${rel(e.file)}`);
    return `${out.join("\n")}\n`;
}
