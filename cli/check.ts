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
    PolicyConfig,
    PolicyPackClient,
    Remediation,
    Resource,
    startPolicyPack,
} from "./analyzer";
import { estimateCost } from "./cost/estimate";
import { renderCost } from "./cost/format";
import { parseTableSizeGb } from "./cost/tableSize";
import type { CostReport } from "./cost/types";
import type { CapturedResource } from "./mockRuntime";
import { loadProject, ProjectError, ProjectSettings } from "./project";
import { renderReport, resourceSummary, toSarif } from "./report";
import { bundledPackDir, toAnalyzerResources } from "./stackResources";
import { BackendError } from "./backend/types";
import { parseFormat, runFleetCheck, withDefaultBackend } from "./fleet/run";
import { runStateCheck } from "./state";
import { requireTsNode } from "./tsNode";

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

/** A failure of the check itself (not a policy violation): one line, exit code 2. */
export class CheckError extends Error {}

/** The program failed (threw, or a resource rejected its inputs); `--verbose` shows its stack. */
class ProgramError extends CheckError {
    constructor(
        message: string,
        readonly cause: unknown,
        /** The program's own message is meant for users (a component's argument errors): show it whole. */
        readonly userFacing: boolean,
    ) {
        super(message);
    }
}

const USAGE = `usage: dynamodb-pitr check [program] [options]
       dynamodb-pitr check --state <file-or-folder> [--state ...] [options]

Runs a Pulumi program offline (mock runtime, no cloud, no CLI) and checks it with the policy pack.
  program                  a folder with Pulumi.yaml, or a program file (default: examples/orders)
  --stack <name>           stack name (default: dev); reads Pulumi.<stack>.yaml
  --project <name>         project name (default: from Pulumi.yaml)
  --config <key=value>     config value, repeatable (e.g. --config aws:region=eu-west-1)
  --stack-tag <key=value>  stack tag the pack can read, repeatable
  --policy-pack <dir>      policy pack folder (default: the bundled pack)
  --policy-config <file>   policy configuration, as for --policy-pack-config
  --json                   print the result as JSON
  --sarif <file>           also write a SARIF 2.1.0 report
  --table-size-gb <n>      table size the cost estimate assumes, in GB (default: 10); see docs/cost.md
  --transpile-only         skip the TypeScript type check of the program
  --verbose                show stack traces and the pack's logs
  --no-color               no colours
  --state <file-or-folder> check existing stacks from \`pulumi stack export\` JSON instead of a
                           program (a folder: every *.json in it); repeatable
  --backend [url]          check every stack of a Pulumi backend: file://<path>, s3://<bucket>/<prefix>
                           or https://api.pulumi.com (default: PULUMI_BACKEND_URL); see docs/fleet-report.md
  --stack-filter <glob>    with --backend: only stacks whose name matches (* and ?)
  --format <f>             with --backend: text, json, sarif, markdown or html (default: text)
  --output <file>          with --backend: write the report to a file`;

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of values ?? []) {
        const at = item.indexOf("=");
        if (at <= 0) throw new CheckError(`${flag} ${item}: expected key=value`);
        out[item.slice(0, at)] = item.slice(at + 1);
    }
    return out;
}

/** Runs the check; resolves to the exit code. Never throws. */
export async function runCheck(argv: string[], io: CheckIo = process): Promise<number> {
    let verbose = argv.includes("--verbose");
    try {
        const { values, positionals } = parseArgs({
            args: withDefaultBackend(argv),
            allowPositionals: true,
            options: {
                stack: { type: "string" },
                project: { type: "string" },
                config: { type: "string", multiple: true },
                "stack-tag": { type: "string", multiple: true },
                "policy-pack": { type: "string" },
                "policy-config": { type: "string" },
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
            },
        });
        verbose = values.verbose === true;
        if (values.help) {
            io.stdout.write(`${USAGE}\n`);
            return 0;
        }
        if (positionals.length > 1)
            throw new CheckError(`expected one program, got ${positionals.length}: ${positionals.join(" ")}`);
        const tableSizeGb = parseTableSizeGb(values["table-size-gb"]);
        if (typeof tableSizeGb !== "number") throw new CheckError(tableSizeGb.problem);
        const color =
            io.stdout.isTTY === true && !values["no-color"] && !process.env.NO_COLOR && !values.json;
        const progress =
            io.stderr.isTTY === true && !values.json
                ? (text: string) => io.stderr.write(`\r\x1b[2K${text}`)
                : () => undefined;

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
                    packDir: values["policy-pack"] ? path.resolve(values["policy-pack"]) : undefined,
                    policyConfig: values["policy-config"]
                        ? readPolicyConfig(values["policy-config"])
                        : undefined,
                    stackTags: pairs(values["stack-tag"], "--stack-tag"),
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
                    packDir: path.resolve(values["policy-pack"] ?? bundledPackDir()),
                    policyConfig: values["policy-config"]
                        ? readPolicyConfig(values["policy-config"])
                        : undefined,
                    stackTags: pairs(values["stack-tag"], "--stack-tag"),
                    json: values.json === true,
                    sarif: values.sarif,
                    color,
                    progress,
                },
                io,
            );
        }
        const target = positionals[0] ?? defaultProgram();
        const project = loadProject(target, {
            stack: values.stack,
            project: values.project,
            config: pairs(values.config, "--config"),
        });
        const policyConfig = values["policy-config"] ? readPolicyConfig(values["policy-config"]) : undefined;

        progress(
            `Running ${path.relative(process.cwd(), project.entry) || project.entry} under the mock runtime...`,
        );
        const captured = await runProgram(project, { transpileOnly: values["transpile-only"] === true });
        const resources = toAnalyzerResources(captured, {
            project: project.name,
            stack: project.stack,
            config: project.config,
        });

        progress("Starting the policy pack...");
        const packDir = path.resolve(values["policy-pack"] ?? bundledPackDir());
        const result = await analyze(
            packDir,
            project,
            resources,
            captured,
            policyConfig,
            pairs(values["stack-tag"], "--stack-tag"),
            (t) => progress(t),
        );
        progress("");
        result.cost = estimateCost(captured, { tableSizeGb, config: project.config });

        if (values.sarif) {
            fs.writeFileSync(values.sarif, JSON.stringify(toSarif(result, project.entry, captured), null, 2));
        }
        if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
            io.stdout.write(renderReport(result, captured, { color, programDir: project.dir }));
            io.stdout.write(`\n${renderCost(result.cost, { color })}`);
            if (positionals.length === 0) {
                const violations = path.relative(
                    process.cwd(),
                    path.join(path.dirname(bundledPackDir()), "examples", "violations"),
                );
                io.stdout.write(
                    `\nThat was ${result.program}. Check a stack the pack rejects with \`npm start -- ${violations}\`,\n` +
                        "or your own program with `npx dynamodb-pitr check <folder with Pulumi.yaml>`.\n",
                );
            }
        }
        return result.summary.mandatory > 0 ? 1 : 0;
    } catch (e) {
        io.stderr.write(`\r${formatFailure(e, verbose)}\n`);
        return 2;
    }
}

function defaultProgram(): string {
    const orders = path.join(path.dirname(bundledPackDir()), "examples", "orders");
    return path.relative(process.cwd(), orders) || orders;
}

function readPolicyConfig(file: string): Record<string, PolicyConfig | string> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new CheckError(`--policy-config ${file}: no such file`);
    }
    try {
        const parsed = JSON.parse(text);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
        return parsed;
    } catch (e) {
        throw new CheckError(
            `--policy-config ${file}: not a JSON object of policy names to settings (${(e as Error).message})`,
        );
    }
}

let tsNodeRegistered: boolean | undefined;

/** Runs the program's entry file under the mock runtime as a preview. */
async function runProgram(
    project: ProjectSettings,
    options: { transpileOnly: boolean },
): Promise<CapturedResource[]> {
    // Already running under ts-node (tests, `ts-node cli/main.ts`): TypeScript loads as is.
    const hosted = (process as any)[Symbol.for("ts-node.register.instance")] !== undefined;
    if (/\.tsx?$/.test(project.entry) && tsNodeRegistered === undefined && !hosted) {
        const tsconfig = path.join(project.dir, "tsconfig.json");
        requireTsNode(project.dir, path.relative(process.cwd(), project.entry) || project.entry).register({
            transpileOnly: options.transpileOnly,
            skipProject: !fs.existsSync(tsconfig),
            project: fs.existsSync(tsconfig) ? tsconfig : undefined,
            compilerOptions: {
                module: "commonjs",
                target: "ES2020",
                moduleResolution: "node",
                esModuleInterop: true,
                skipLibCheck: true,
            },
        });
        tsNodeRegistered = options.transpileOnly;
    }
    // A program run before in this process must run again, not come from the module cache.
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(project.dir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`))
            delete require.cache[file];
    }
    const cwd = process.cwd();
    const where = path.relative(cwd, project.entry) || project.entry;
    process.chdir(project.dir);
    try {
        // Loaded here: @pulumi/pulumi takes a second or two to load, which --state and --backend do not need.
        const { previewNewResource, runUnderMocks } = await import("./mockRuntime");
        const run = await runUnderMocks(
            async () => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const exported = require(project.entry);
                const main = exported?.default ?? exported;
                return typeof main === "function" ? await main() : exported;
            },
            {
                project: project.name,
                stack: project.stack,
                config: project.config,
                preview: true,
                newResource: previewNewResource,
            },
        );
        return run.resources;
    } catch (e) {
        throw programFailure(where, e);
    } finally {
        process.chdir(cwd);
    }
}

function programFailure(where: string, e: unknown): Error {
    const error = e as Error & { diagnosticText?: string; diagnosticCodes?: number[] };
    if (error?.name === "TSError") {
        const first = (error.diagnosticText ?? error.message).split("\n").find((l) => l.trim()) ?? "";
        return new ProgramError(`${where} does not compile: ${first.trim()}`, e, true);
    }
    if (error instanceof SyntaxError) {
        return new ProgramError(`${where} does not compile: ${error.message}`, e, true);
    }
    const message = String(error?.message ?? e).trim();
    const userFacing = (error as { hideStack?: boolean })?.hideStack === true;
    return new ProgramError(`${where} failed: ${message}`, e, userFacing);
}

async function analyze(
    packDir: string,
    project: ProjectSettings,
    resources: Resource[],
    captured: CapturedResource[],
    policyConfig: Record<string, PolicyConfig | string> | undefined,
    stackTags: Record<string, string>,
    progress: (text: string) => void,
): Promise<CheckResult> {
    let pack: PolicyPackClient;
    try {
        pack = await startPolicyPack(packDir);
    } catch (e) {
        throw new CheckError(
            `policy pack ${packDir} failed to start: ${String((e as Error).message).split("\n")[0]}`,
        );
    }
    try {
        const info: AnalyzerInfo = await pack.getAnalyzerInfo();
        await pack.configureStack({
            stack: project.stack,
            project: project.name,
            dryRun: true,
            tags: stackTags,
            config: project.config,
        });
        if (policyConfig) await pack.configure(policyConfig as Record<string, PolicyConfig>);
        const levels = effectiveLevels(info, policyConfig);

        const violations: Diagnostic[] = [];
        const remediations: Array<Remediation & { urn: string }> = [];
        const remediating = [...levels.values()].includes("remediate");
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
    } finally {
        await pack.close();
    }
}

function effectiveLevels(
    info: AnalyzerInfo,
    config: Record<string, PolicyConfig | string> | undefined,
): Map<string, string> {
    const levels = new Map(info.policies.map((p) => [p.name, p.enforcementLevel as string]));
    for (const [name, value] of Object.entries(config ?? {})) {
        const level = typeof value === "string" ? value : value?.enforcementLevel;
        if (name === "all" && level) for (const key of levels.keys()) levels.set(key, level);
        else if (level) levels.set(name, level);
    }
    return levels;
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
    if (error instanceof CheckError || error instanceof ProjectError || error instanceof BackendError)
        return `error: ${message.split("\n")[0]}`;
    return `error: ${message.split("\n")[0]} (run with --verbose for details)`;
}
