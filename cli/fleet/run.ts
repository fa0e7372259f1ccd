/**
 * `dynamodb-pitr check --backend <url>`: every stack of a Pulumi backend, read straight from the
 * backend (no `pulumi stack export`), checked with the policy pack, one report for the fleet.
 *
 * Stacks are read a few at a time (`concurrency`) and each is dropped once checked: what is kept per
 * stack is its table rows and diagnostics, so memory does not grow with the stacks' resources. The
 * bundled pack runs in this process (cli/analyzer/evaluate.ts); another `--policy-pack` over gRPC.
 */
import * as fs from "fs";
import type { PolicyPackClient } from "../analyzer/client";
import { evaluateInProcess, evaluateOverGrpc, inProcessInfo, StackIdentity } from "../analyzer/evaluate";
import type { RawPolicyConfig } from "../analyzer/policyConfig";
import { startPolicyPack } from "../analyzer/start";
import type { AnalyzerInfo, Diagnostic, PolicyConfig } from "../analyzer/types";
import { checkpointToExport, decompress, toText } from "../backend/decode";
import { openBackend } from "../backend/index";
import { Backend, BackendError, StackReadError, StackRef } from "../backend/types";
import { policyViews, writeReport } from "../report/formats";
import type { CheckIo } from "../report/types";
import { stateLevels } from "../state/census";
import { disagreements } from "../state/selfCheck";
import { convertStack } from "../state/convert";
import { parseJson, readStackExport, StateError } from "../state/parse";
import { matchesFilter } from "./filter";
import { renderFleet } from "./render";
import { tableRows } from "./tables";
import {
    FleetError,
    FleetFormat,
    FleetResult,
    FleetStack,
    fleetExitCode,
    FORMATS,
    summariseFleet,
} from "./types";

export interface FleetOptions {
    backend: string;
    stackFilter?: string;
    project?: string;
    /** Pulumi Cloud: only this organization's stacks. */
    organization?: string;
    format: FleetFormat;
    /** Write the report here instead of standard output. */
    output?: string;
    /** Also write SARIF here (as `check --sarif`). */
    sarif?: string;
    /** A pack folder other than the bundled one: checked over gRPC. */
    packDir?: string;
    policyConfig?: RawPolicyConfig;
    /** Added to (and over) each stack's own tags. */
    stackTags: Record<string, string>;
    color: boolean;
    progress: (text: string) => void;
    /** Stacks read at once. @default 8 */
    concurrency?: number;
    /** PULUMI_ACCESS_TOKEN. */
    token?: string;
}

type Evaluate = (
    config: Record<string, PolicyConfig>,
    stack: StackIdentity,
    r: Parameters<typeof evaluateInProcess>[2],
) => Promise<Diagnostic[]>;

/** Runs `fn` on each item, at most `limit` at once; results in the items' order. */
export async function mapBounded<T, R>(
    items: T[],
    limit: number,
    fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
    const out = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}

/** Reads and checks one stack; a `StackReadError`/`StateError` becomes the stack's one-line error. */
async function checkOne(
    ref: StackRef,
    config: Record<string, PolicyConfig>,
    evaluate: Evaluate,
    extraTags: Record<string, string>,
): Promise<FleetStack> {
    const [bytes, ownTags] = await Promise.all([ref.read(), ref.tags()]);
    const exported = readStackExport(checkpointToExport(parseJson(toText(decompress(bytes)))), ref.location);
    const project = ref.project || exported.project;
    const stack = ref.stack || exported.stack;
    const converted = convertStack(exported);
    const tags = { ...ownTags, ...extraTags };
    const violations = await evaluate(config, { stack, project, tags }, converted.resources);
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const tables = tableRows(converted.resources, config, tags, violations);
    return {
        name: ref.project ? ref.name : project ? `${project}/${stack}` : stack,
        project,
        stack,
        location: ref.location,
        tags,
        resources: converted.resources.length,
        tables,
        violations,
        disagreements: disagreements(tables, violations, config),
        mandatory,
        advisory: violations.length - mandatory,
        warnings: [...exported.warnings, ...converted.warnings],
        exitCode: mandatory > 0 ? 1 : 0,
    };
}

const oneLine = (e: unknown) => String((e as Error)?.message ?? e).split("\n")[0];

/** Resolves to the exit code: 0 all passed, 1 a stack failed the pack, 2 a stack or the backend could not be read. */
export async function runFleetCheck(options: FleetOptions, io: CheckIo): Promise<number> {
    const refs = await listStacks(options, io);
    if (typeof refs === "number") return refs;
    const evaluator = await startEvaluator(options, io);
    if (typeof evaluator === "number") return evaluator;
    const { pack, info } = evaluator;
    const config = stateLevels(info, options.policyConfig);

    const errors: FleetError[] = [];
    let done = 0;
    let results: Array<FleetStack | undefined>;
    try {
        results = await mapBounded(refs, options.concurrency ?? 8, async (ref) => {
            try {
                return await checkOne(ref, config, evaluator.evaluate, options.stackTags);
            } catch (e) {
                const known = e instanceof StackReadError || e instanceof StateError;
                errors.push({
                    name: ref.name,
                    location: ref.location,
                    message: known ? oneLine(e) : `check failed: ${oneLine(e)}`,
                });
                return undefined;
            } finally {
                options.progress(`Checked ${++done}/${refs.length} stacks...`);
            }
        });
    } finally {
        await pack?.close();
    }
    options.progress("");
    const order = new Map(refs.map((r, i) => [r.name, i]));
    errors.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    const stacks = results.filter((s): s is FleetStack => s !== undefined);
    const result: FleetResult = {
        backend: options.backend,
        policyPack: { name: info.name, version: info.version, path: pack ? "grpc" : "in-process" },
        generatedAt: new Date().toISOString(),
        stacks,
        errors,
        summary: summariseFleet(stacks, errors),
        policies: policyViews(info),
    };
    writeFleet(result, options, io);
    return fleetExitCode(result.summary);
}

/** The backend's stacks that match the filter; or the exit code 2 when there are none or it cannot be read. */
async function listStacks(options: FleetOptions, io: CheckIo): Promise<StackRef[] | 2> {
    let backend: Backend;
    let refs: StackRef[];
    try {
        backend = openBackend(options.backend, {
            token: options.token,
            organization: options.organization,
            project: options.project,
        });
        options.progress(`Listing the stacks of ${options.backend}...`);
        refs = await backend.list();
    } catch (e) {
        options.progress("");
        if (!(e instanceof BackendError || e instanceof StackReadError)) throw e;
        io.stderr.write(`error: backend ${options.backend}: ${oneLine(e)}\n`);
        return 2;
    }
    const listed = refs.length;
    refs = refs.filter((r) => matchesFilter(r, options.stackFilter, options.project));
    if (refs.length === 0) {
        options.progress("");
        const narrowed =
            options.stackFilter || options.project ? ` (${listed} listed, none matches the filter)` : "";
        io.stderr.write(`error: backend ${options.backend}: no stacks${narrowed}\n`);
        return 2;
    }
    return refs;
}

/**
 * The bundled pack, evaluated in this process; or a pack given by path, started and driven over gRPC
 * (then `pack` is set, to close). The exit code 2 when that pack does not start.
 */
async function startEvaluator(
    options: FleetOptions,
    io: CheckIo,
): Promise<{ pack?: PolicyPackClient; info: AnalyzerInfo; evaluate: Evaluate } | 2> {
    if (!options.packDir) {
        const info = inProcessInfo();
        return {
            info,
            evaluate: (config, stack, resources) => evaluateInProcess(config, stack, resources, info),
        };
    }
    let pack: PolicyPackClient | undefined;
    let info: AnalyzerInfo;
    options.progress("Starting the policy pack...");
    try {
        pack = await startPolicyPack(options.packDir);
        info = await pack.getAnalyzerInfo();
    } catch (e) {
        options.progress("");
        await pack?.close();
        io.stderr.write(`error: policy pack ${options.packDir} failed to start: ${oneLine(e)}\n`);
        return 2;
    }
    // One pack process holds one stack's configuration at a time: its stacks go one by one.
    let queue: Promise<unknown> = Promise.resolve();
    const client = pack;
    const evaluate: Evaluate = (config, stack, resources) => {
        const run = queue.then(() => evaluateOverGrpc(client, config, stack, resources));
        queue = run.catch(() => undefined);
        return run;
    };
    return { pack, info, evaluate };
}

/** The stacks' errors and warnings, then the report (to `--output` or standard output) and SARIF. */
function writeFleet(result: FleetResult, options: FleetOptions, io: CheckIo): void {
    for (const e of result.errors) io.stderr.write(`error: stack ${e.name} (${e.location}): ${e.message}\n`);
    for (const s of result.stacks)
        for (const d of s.disagreements)
            io.stderr.write(`error: stack ${s.name}: the report contradicts itself: ${d}; exit 2\n`);
    for (const s of result.stacks)
        for (const w of s.warnings) io.stderr.write(`warning: stack ${s.name}: ${w}\n`);
    const report = renderFleet(result, options.format, { color: options.color && !options.output });
    writeReport(report, options.output, io);
    if (options.sarif) fs.writeFileSync(options.sarif, renderFleet(result, "sarif", { color: false }));
}

/**
 * `--backend` without a URL (last, or before another option) means PULUMI_BACKEND_URL, as the
 * Pulumi CLI reads it; the argument list is returned with the URL filled in.
 */
export function withDefaultBackend(argv: string[], env: NodeJS.ProcessEnv = process.env): string[] {
    const i = argv.indexOf("--backend");
    if (i < 0 || (i + 1 < argv.length && !argv[i + 1].startsWith("--"))) return argv;
    const url = env.PULUMI_BACKEND_URL;
    if (!url)
        throw new BackendError(
            "--backend: no URL given and PULUMI_BACKEND_URL is not set; give file://<path>, s3://<bucket>/<prefix> or https://api.pulumi.com",
        );
    return [...argv.slice(0, i + 1), url, ...argv.slice(i + 1)];
}

/** `--format`, checked: one of text, json, sarif, markdown, html. */
export function parseFormat(value: string | undefined, json: boolean): FleetFormat {
    if (value === undefined) return json ? "json" : "text";
    if (!FORMATS.includes(value as FleetFormat))
        throw new BackendError(`--format ${value}: expected one of ${FORMATS.join(", ")}`);
    return value as FleetFormat;
}
