/**
 * `dynamodb-pitr check [program]`: runs a Pulumi program under the SDK's mock runtime as a preview,
 * prints the resources it would create, then puts them through the policy pack over the analyzer
 * gRPC protocol, as `pulumi preview --policy-pack` does (Analyze for each resource, AnalyzeStack for
 * the whole stack, Remediate where a policy is set to remediate). No cloud, no CLI.
 *
 * Exit codes: 0 no mandatory violation, 1 at least one, 2 the check could not run (bad program, bad
 * flags, pack failed to start).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import {
    AnalyzerInfo,
    Diagnostic,
    PolicyPackClient,
    Remediation,
    Resource,
    startPolicyPack,
} from "./analyzer";
import { estimateCost } from "./cost/estimate";
import { renderCost } from "./cost/format";
import { parseTableSizeGb } from "./cost/tableSize";
import type { CostReport } from "./cost/types";
import { CheckError, ProgramError } from "./errors";
import type { CapturedResource } from "./mockRuntime";
import {
    EffectivePolicyConfig,
    PolicyConfigError,
    readPolicyConfigFile,
    resolvePolicyConfig,
} from "./policyConfig";
import { checkWithNodeArgs, needsNodeArgs } from "./nodeArgs";
import { programFailure, runProgram, watchLateErrors } from "./programHost";
import { loadProject, ProjectError, ProjectSettings } from "./project";
import { renderReport, resourceSummary, toSarif } from "./report";
import { bundledPackDir, toAnalyzerResources } from "./stackResources";
import { BackendError } from "./backend/types";
import { parseFormat, runFleetCheck, withDefaultBackend } from "./fleet/run";
import { runStateCheck } from "./state";

export { CheckError } from "./errors";

export interface CheckIo {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** What a check found; also the `--json` output. */
export interface CheckResult {
    program: string;
    project: string;
    stack: string;
    policyPack: { name: string; version: string; dir: string };
    resources: Array<{
        urn: string;
        type: string;
        name: string;
        parent?: string;
        protect: boolean;
        retainOnDelete: boolean;
        inputs: Record<string, unknown>;
    }>;
    violations: Diagnostic[];
    remediations: Array<Remediation & { urn: string }>;
    summary: { resources: number; tables: number; mandatory: number; advisory: number; remediated: number };
    /** What the stack's protection costs a month (docs/cost.md). */
    cost?: CostReport;
}

/** Seconds a program may run before `check` stops it (`--timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** This package's folder (bin/cli/ compiled, cli/ from source). */
function packageRoot(): string {
    return path.dirname(bundledPackDir());
}

/** Where one of this package's docs is, from the working directory (the docs ship in the package). */
function doc(name: string): string {
    const file = path.join(packageRoot(), "docs", name);
    return path.relative(process.cwd(), file) || file;
}

function usage(): string {
    return `usage: dynamodb-pitr check [program] [options]
       dynamodb-pitr check --state <file-or-folder> [--state ...] [options]
       dynamodb-pitr check --backend [url] [options]

Runs a Pulumi program offline (mock runtime, no cloud, no CLI) and checks it with the policy pack.
  program                  a folder in a Node.js Pulumi project (its Pulumi.yaml is found there or
                           above, and its \`main\` runs), or a program file (default: .)
  --stack <name>           stack name (default: dev); reads Pulumi.<stack>.yaml
  --project <name>         project name (default: from Pulumi.yaml)
  --config <key=value>     config value, repeatable (e.g. --config aws:region=eu-west-1)
  --stack-tag <key=value>  stack tag the pack can read, repeatable
  --policy-pack <path>     policy pack folder or its PulumiPolicy.yaml (default: the bundled pack)
  --policy-config <file>   policy configuration, as for --policy-pack-config
  --timeout <seconds>      stop a program still running after this long, exit 2 (default: ${DEFAULT_TIMEOUT_SECONDS})
  --json                   print the result as JSON
  --sarif <file>           also write a SARIF 2.1.0 report
  --table-size-gb <n>      table size the cost estimate assumes, in GB (default: 10); see ${doc("cost.md")}
  --transpile-only         skip the TypeScript type check of the program
  --verbose                show stack traces and the pack's logs
  --no-color               no colours
  --state <file-or-folder> check existing stacks from \`pulumi stack export\` JSON instead of a
                           program (a folder: every *.json in it); repeatable; see ${doc("fleet-report.md")}
  --backend [url]          check every stack of a Pulumi backend: file://<path>, s3://<bucket>/<prefix>
                           or https://api.pulumi.com (default: PULUMI_BACKEND_URL); see ${doc("fleet-report.md")}
  --stack-filter <glob>    with --backend: only stacks whose name matches (* and ?)
  --format <f>             with --backend: text, json, sarif, markdown or html (default: text)
  --output <file>          with --backend: write the report to a file

Exit codes: 0 no mandatory violation, 1 at least one, 2 the check could not run.`;
}

/** The options of `check`, one entry each (add new ones here). */
const OPTIONS = {
    stack: { type: "string" },
    project: { type: "string" },
    config: { type: "string", multiple: true },
    "stack-tag": { type: "string", multiple: true },
    "policy-pack": { type: "string" },
    "policy-config": { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    sarif: { type: "string" },
    "transpile-only": { type: "boolean" },
    "table-size-gb": { type: "string" },
    verbose: { type: "boolean" },
    "no-color": { type: "boolean" },
    state: { type: "string", multiple: true },
    backend: { type: "string" },
    "stack-filter": { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

/** A command line `parseArgs` rejects: the reason, then the usage. */
class UsageError extends CheckError {}

function parseCommandLine(argv: string[]) {
    try {
        return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
    } catch (e) {
        throw new UsageError(String((e as Error).message).split("\n")[0]);
    }
}

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of values ?? []) {
        const at = item.indexOf("=");
        if (at <= 0) throw new CheckError(`${flag} ${item}: expected key=value`);
        out[item.slice(0, at)] = item.slice(at + 1);
    }
    return out;
}

function parseTimeout(value: string | undefined): number {
    if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
    const seconds = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > 86400)
        throw new CheckError(
            `--timeout ${value}: expected a number of seconds from 1 to 86400 (default ${DEFAULT_TIMEOUT_SECONDS})`,
        );
    return seconds;
}

/** The policy pack folder from `--policy-pack` (a folder or its PulumiPolicy.yaml), checked before it starts. */
export function resolvePackDir(given: string | undefined): string {
    if (given === undefined) return bundledPackDir();
    const resolved = path.resolve(given);
    if (!fs.existsSync(resolved)) throw new CheckError(`--policy-pack ${given}: no such file or folder`);
    if (fs.statSync(resolved).isFile()) {
        if (!/^PulumiPolicy\.ya?ml$/.test(path.basename(resolved)))
            throw new CheckError(
                `--policy-pack ${given}: is a file; give the policy pack's folder or its PulumiPolicy.yaml`,
            );
        return path.dirname(resolved);
    }
    if (!["PulumiPolicy.yaml", "PulumiPolicy.yml"].some((f) => fs.existsSync(path.join(resolved, f))))
        throw new CheckError(
            `--policy-pack ${given}: no PulumiPolicy.yaml in this folder; give the policy pack's folder`,
        );
    return resolved;
}

/** Runs the check; resolves to the exit code. Never throws. */
export async function runCheck(argv: string[], io: CheckIo = process): Promise<number> {
    let verbose = argv.includes("--verbose");
    const late = watchLateErrors();
    try {
        const { values, positionals } = parseCommandLine(withDefaultBackend(argv));
        verbose = values.verbose === true;
        if (values.help) {
            io.stdout.write(`${usage()}\n`);
            return 0;
        }
        if (positionals.length > 1)
            throw new CheckError(`expected one program, got ${positionals.length}: ${positionals.join(" ")}`);
        const tableSizeGb = parseTableSizeGb(values["table-size-gb"]);
        if (typeof tableSizeGb !== "number") throw new CheckError(tableSizeGb.problem);
        const timeoutSeconds = parseTimeout(values.timeout);
        const color =
            io.stdout.isTTY === true && !values["no-color"] && !process.env.NO_COLOR && !values.json;
        const progress =
            io.stderr.isTTY === true && !values.json
                ? (text: string) => io.stderr.write(`\r\x1b[2K${text}`)
                : () => undefined;
        const packDir = resolvePackDir(values["policy-pack"]);
        const policyConfig = values["policy-config"]
            ? readPolicyConfigFile(values["policy-config"])
            : undefined;
        const stackTags = pairs(values["stack-tag"], "--stack-tag");

        if (values.backend !== undefined) {
            if (positionals.length > 0 || values.state)
                throw new CheckError(
                    `--backend checks a backend's stacks; a program or --state cannot be given with it`,
                );
            return await runFleetCheck(
                {
                    backend: values.backend,
                    stackFilter: values["stack-filter"],
                    project: values.project,
                    format: parseFormat(values.format, values.json === true),
                    output: values.output,
                    sarif: values.sarif,
                    // The bundled pack is evaluated in process; a pack given by path runs over gRPC.
                    packDir: values["policy-pack"] !== undefined ? packDir : undefined,
                    policyConfig,
                    stackTags,
                    color,
                    progress,
                    token: process.env.PULUMI_ACCESS_TOKEN,
                },
                io,
            );
        }
        if (values.state) {
            if (positionals.length > 0)
                throw new CheckError(`--state checks stack exports; a program cannot be given with it`);
            if (values["table-size-gb"] !== undefined)
                throw new CheckError(
                    "--table-size-gb sizes a program's cost estimate; --state gives none, leave it out",
                );
            return await runStateCheck(
                {
                    states: values.state,
                    packDir,
                    policyConfig,
                    stackTags,
                    json: values.json === true,
                    sarif: values.sarif,
                    color,
                    progress,
                },
                io,
            );
        }
        const project = loadProject(positionals[0] ?? ".", {
            stack: values.stack,
            project: values.project,
            config: pairs(values.config, "--config"),
        });
        if (needsNodeArgs(project.runtime.nodeargs))
            return await checkWithNodeArgs(project.runtime.nodeargs, argv, io);

        progress("Starting the policy pack...");
        const pack = await startPack(packDir);
        let result: CheckResult;
        let captured: CapturedResource[];
        try {
            const info = await pack.getAnalyzerInfo();
            const config = resolvePolicyConfig(
                info,
                policyConfig,
                `--policy-config ${values["policy-config"]}`,
            );
            progress(
                `Running ${path.relative(process.cwd(), project.entry) || project.entry} under the mock runtime...`,
            );
            captured = await runProgram(
                project,
                { transpileOnly: values["transpile-only"] === true, timeoutSeconds },
                late,
            );
            const resources = toAnalyzerResources(captured, {
                project: project.name,
                stack: project.stack,
                config: project.config,
            });
            result = await analyze(
                pack,
                info,
                packDir,
                project,
                resources,
                captured,
                config,
                stackTags,
                progress,
            );
        } finally {
            await pack.close();
        }
        progress("");
        if (late.errors.length > 0)
            throw programFailure(path.relative(process.cwd(), project.entry), late.errors[0]);
        result.cost = estimateCost(captured, { tableSizeGb, config: project.config });

        if (values.sarif) {
            fs.writeFileSync(values.sarif, JSON.stringify(toSarif(result, project.entry, captured), null, 2));
        }
        if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
            io.stdout.write(renderReport(result, captured, { color, programDir: project.dir }));
            io.stdout.write(`\n${renderCost(result.cost, { color })}`);
            if (positionals.length === 0 && project.root === packageRoot()) {
                const violations = path.relative(
                    process.cwd(),
                    path.join(packageRoot(), "examples", "violations"),
                );
                io.stdout.write(
                    `\nThat was ${result.program}. Check a stack the pack rejects with \`npm start -- ${violations}\`,\n` +
                        "or your own program with `npx dynamodb-pitr check <folder of your Pulumi project>`.\n",
                );
            }
        }
        return result.summary.mandatory > 0 ? 1 : 0;
    } catch (e) {
        io.stderr.write(`\r${formatFailure(e, verbose)}\n`);
        if (e instanceof UsageError) io.stderr.write(`${usage()}\n`);
        return 2;
    } finally {
        late.stop();
    }
}

async function startPack(packDir: string): Promise<PolicyPackClient> {
    try {
        return await startPolicyPack(packDir, { timeoutMs: 20000 });
    } catch (e) {
        const where = path.relative(process.cwd(), packDir) || packDir;
        const reason = String((e as Error).message)
            .split("\n")[0]
            .replace(/^Policy pack .* failed to start: /, "");
        const hint = /Cannot find module '@pulumi\/policy'/.test(reason)
            ? " (@pulumi/policy is a peer dependency of dynamodb-pitr: install it in the project, e.g. `yarn add @pulumi/policy`; yarn 1 does not install peer dependencies)"
            : "";
        throw new CheckError(`policy pack ${where} failed to start: ${reason}${hint}`);
    }
}

async function analyze(
    pack: PolicyPackClient,
    info: AnalyzerInfo,
    packDir: string,
    project: ProjectSettings,
    resources: Resource[],
    captured: CapturedResource[],
    config: EffectivePolicyConfig,
    stackTags: Record<string, string>,
    progress: (text: string) => void,
): Promise<CheckResult> {
    {
        await pack.configureStack({
            stack: project.stack,
            project: project.name,
            dryRun: true,
            tags: stackTags,
            config: project.config,
        });
        // The engine always sends the whole configuration: every policy's level and settings.
        await pack.configure(config);

        const violations: Diagnostic[] = [];
        const remediations: Array<Remediation & { urn: string }> = [];
        const remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");
        let done = 0;
        for (const resource of resources) {
            progress(`Analyzing ${++done}/${resources.length} resources...`);
            let analyzed = resource;
            if (remediating) {
                const result = await pack.remediate(resource);
                for (const r of result.remediations) {
                    remediations.push({ ...r, urn: resource.urn });
                    if (r.properties)
                        analyzed = { ...analyzed, properties: r.properties as Resource["properties"] };
                }
            }
            // Analyze answers for the resource it was given; the engine attributes them to its URN.
            for (const d of (await pack.analyze(analyzed)).diagnostics)
                violations.push({ ...d, urn: d.urn || resource.urn });
        }
        progress("Analyzing the stack...");
        violations.push(...(await pack.analyzeStack(resources)).diagnostics);

        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
        return {
            program: path.relative(process.cwd(), project.entry) || project.entry,
            project: project.name,
            stack: project.stack,
            policyPack: {
                name: info.name,
                version: info.version,
                dir: path.relative(process.cwd(), packDir) || packDir,
            },
            resources: captured.map(resourceSummary),
            violations,
            remediations,
            summary: {
                resources: captured.length,
                tables: captured.filter(
                    (r) => /^aws(-native)?:dynamodb[:/]/i.test(r.type) && /table/i.test(r.type),
                ).length,
                mandatory,
                advisory: violations.length - mandatory,
                remediated: remediations.filter((r) => r.properties).length,
            },
        };
    }
}

function formatFailure(e: unknown, verbose: boolean): string {
    const error = e as Error;
    const message = String(error?.message ?? e);
    if (verbose) {
        const cause = error instanceof ProgramError ? (error.cause as Error) : error;
        return `error: ${message}\n${cause?.stack ?? ""}`;
    }
    if (error instanceof ProgramError) {
        return error.userFacing
            ? `error: ${message}`
            : `error: ${message.split("\n")[0]} (run with --verbose for details)`;
    }
    if (
        error instanceof CheckError ||
        error instanceof ProjectError ||
        error instanceof PolicyConfigError ||
        error instanceof BackendError
    )
        return `error: ${message.split("\n")[0]}`;
    return `error: ${message.split("\n")[0]} (run with --verbose for details)`;
}
