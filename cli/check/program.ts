/**
 * `dynamodb-pitr check [program]`: runs a Pulumi program under the SDK's mock runtime as a preview,
 * puts the resources it would create through the policy pack (./analyze.ts), estimates what their
 * protection costs, and prints the report (or JSON, or SARIF).
 */
import * as fs from "fs";
import * as path from "path";
import { EffectivePolicyConfig, resolvePolicyConfig } from "../analyzer/policyConfig";
import type { Resource } from "../analyzer/types";
import { packageRoot, rel } from "../core/paths";
import { estimateCost } from "../cost/estimate";
import { renderCost } from "../cost/format";
import { readOrganizationSelections } from "../../policies/dynamodb/backup/organizationSelections";
import type { CostReport } from "../cost/types";
import type { CapturedResource } from "../program/mockRuntime";
import { programFailure, runProgram, watchLateErrors } from "../program/programHost";
import { loadProject, ProjectSettings } from "../program/project";
import { toAnalyzerResources } from "../program/stackResources";
import { analyze, startPack } from "./analyze";
import { checkWithNodeArgs, needsNodeArgs } from "./nodeArgs";
import { CheckSettings, CheckValues, pairs } from "./options";
import { fleetOfChecks } from "../fleet/fromChecks";
import { renderFleet } from "../fleet/render";
import { relativeUri } from "../program/sourcePosition";
import { parseOutputFormat, policyViews, writeReport } from "../report/formats";
import { toSarif } from "../report/sarif";
import { renderReport } from "../report/text";
import type { CheckIo, CheckResult, Located } from "../report/types";

type LateErrors = ReturnType<typeof watchLateErrors>;

/** The policy whose config holds the organization backup policy's selections. */
const BACKUP_POLICY = "dynamodb-production-table-in-backup-plan";

/** This package's docs/cost.md, as a path from the working directory (in a project, under node_modules). */
function pricesDoc(): string | undefined {
    const doc = path.join(packageRoot(), "docs", "cost.md");
    return fs.existsSync(doc) ? rel(doc) : undefined;
}

/** Checks the program in `positionals[0]` (default: .); resolves to the exit code (0 or 1). */
export async function checkProgram(
    argv: string[],
    values: CheckValues,
    positionals: string[],
    settings: CheckSettings,
    late: LateErrors,
    io: CheckIo,
): Promise<number> {
    const project = loadProject(positionals[0] ?? ".", {
        stack: values.stack,
        project: values.project,
        config: pairs(values.config, "--config"),
    });
    if (needsNodeArgs(project.runtime.nodeargs))
        return await checkWithNodeArgs(project.runtime.nodeargs, argv, io);

    const format = parseOutputFormat(values.format, values.json === true);
    const { result, captured, resources, config } = await runAndAnalyze(project, values, settings, late);
    settings.progress("");
    if (late.errors.length > 0)
        throw programFailure(path.relative(process.cwd(), project.entry), late.errors[0]);
    const cost = estimateCost(captured, {
        tableSizeGb: settings.tableSizeGb,
        config: project.config,
        // The pack's own reading of its config, so the estimate and the verdict agree on coverage.
        organizationSelections: readOrganizationSelections(config[BACKUP_POLICY]),
        pricesDoc: pricesDoc(),
    });
    result.cost = cost;
    result.violations = result.violations.map((v) => ({ ...v, ...locate(captured, v.urn) }));

    if (values.sarif) {
        fs.writeFileSync(values.sarif, JSON.stringify(toSarif(result, project.entry, captured), null, 2));
    }
    const checked = {
        result,
        resources,
        location: rel(project.entry),
        stackTags: settings.stackTags,
        config,
    };
    const report =
        format === "json"
            ? `${JSON.stringify(result, null, 2)}\n`
            : format === "sarif"
              ? `${JSON.stringify(toSarif(result, project.entry, captured), null, 2)}\n`
              : format === "markdown" || format === "html"
                ? renderFleet(fleetOfChecks(rel(project.entry), [checked]), format, { color: false })
                : textReport(result, cost, captured, project, positionals, settings.color);
    writeReport(report, values.output, io);
    return result.summary.mandatory > 0 ? 1 : 0;
}

/** Where the program declared the resource: its file (relative, as editors and SARIF take it), line and column. */
function locate(captured: CapturedResource[], urn: string): Located {
    const source = captured.find((r) => r.urn === urn)?.source;
    return source ? { file: relativeUri(source.file), line: source.line, column: source.column } : {};
}

/** Starts the pack, runs the program under the mock runtime, and analyzes what it registered. */
async function runAndAnalyze(
    project: ProjectSettings,
    values: CheckValues,
    settings: CheckSettings,
    late: LateErrors,
): Promise<{
    result: CheckResult;
    captured: CapturedResource[];
    resources: Resource[];
    config: EffectivePolicyConfig;
}> {
    const { progress, packDir } = settings;
    progress("Starting the policy pack...");
    const pack = await startPack(packDir);
    try {
        const info = await pack.getAnalyzerInfo();
        const config = resolvePolicyConfig(
            info,
            settings.policyConfig,
            `--policy-config ${values["policy-config"]}`,
        );
        progress(`Running ${rel(project.entry)} under the mock runtime...`);
        const captured = await runProgram(
            project,
            { transpileOnly: values["transpile-only"] === true, timeoutSeconds: settings.timeoutSeconds },
            late,
        );
        const resources = toAnalyzerResources(captured, {
            project: project.name,
            stack: project.stack,
            config: project.config,
        });
        const result = await analyze(
            pack,
            info,
            packDir,
            project,
            resources,
            captured,
            config,
            settings.stackTags,
            progress,
        );
        result.policies = policyViews(info);
        return { result, captured, resources, config };
    } finally {
        await pack.close();
    }
}

/** The report and the cost; for this package's own example, where to go next. */
function textReport(
    result: CheckResult,
    cost: CostReport,
    captured: CapturedResource[],
    project: ProjectSettings,
    positionals: string[],
    color: boolean,
): string {
    let text = renderReport(result, captured, { color, programDir: project.dir });
    text += `\n${renderCost(cost, { color })}`;
    if (positionals.length === 0 && project.root === packageRoot()) {
        const violations = path.relative(process.cwd(), path.join(packageRoot(), "examples", "violations"));
        text +=
            `\nThat was ${result.program}. Check a stack the pack rejects with \`npm start -- ${violations}\`,\n` +
            "or your own program with `npx dynamodb-pitr check <folder of your Pulumi project>`.\n";
    }
    return text;
}
