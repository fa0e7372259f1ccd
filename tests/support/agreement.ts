/**
 * Every path that gives a verdict, on the same stacks: the pack over the analyzer gRPC protocol as
 * the engine drives it (the reference), the in-process evaluator with every stack in flight at once
 * in a shuffled order, `check --state` on the exports, and `check --backend` on a self-managed
 * backend holding them (whole, in another order and concurrency, and one stack alone). Each path's
 * diagnostics are compared with the reference's, stack by stack and resource by resource; the fleet
 * report must also agree with itself (no census disagreement, exit code as its stacks say).
 *
 * Used by tests/cli/agreement/everyPath.spec.ts (a bounded count, in `npm test`) and by
 * bench/agreement.bench.ts (the long run, which prints the number of disagreements).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { AnalyzerInfo, Diagnostic, PolicyConfig, PolicyPackClient, Resource } from "../../cli/analyzer";
import { evaluateInProcess, evaluateOverGrpc } from "../../cli/analyzer/evaluate";
import { runCheck } from "../../cli/check";
import { runFleetCheck } from "../../cli/fleet/run";
import { convertStack, parseStackExport, stateLevels } from "../../cli/state";
import { writeDiyBackend } from "./diyBackend";
import { exportOf, GeneratedStack, withUnknowns } from "./generatedStack";

/** One diagnostic as compared: everything a user reads of it. */
const key = (d: Diagnostic) => `${d.policyName} | ${d.enforcementLevel} | ${d.urn} | ${d.message}`;
const keys = (ds: readonly Diagnostic[]) => ds.map(key).sort();

function differences(
    label: string,
    stack: string,
    expected: readonly Diagnostic[],
    got: readonly Diagnostic[],
): string[] {
    const want = keys(expected);
    const have = keys(got);
    const missing = want.filter((k) => !have.includes(k));
    const extra = have.filter((k) => !want.includes(k));
    if (missing.length === 0 && extra.length === 0 && want.length === have.length) return [];
    return [
        `${label}, stack ${stack}: ` +
            [
                ...missing.map((m) => `missing [${m}]`),
                ...extra.map((e) => `extra [${e}]`),
                ...(missing.length + extra.length === 0
                    ? [`${have.length} diagnostics where gRPC gives ${want.length}`]
                    : []),
            ].join("; "),
    ];
}

function capture() {
    let text = "";
    const stream = Object.assign(
        new Writable({ write: (c: Buffer, _e: string, cb: () => void) => ((text += String(c)), cb()) }),
        { isTTY: false },
    );
    return { stream, text: () => text };
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = capture();
    const err = capture();
    const code = await runCheck(argv, { stdout: out.stream, stderr: err.stream } as never);
    return { code, stdout: out.text(), stderr: err.text() };
}

/** A permutation of `items` from `pick` (a random source in [0, n)). */
function shuffled<T>(items: readonly T[], pick: (n: number) => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
        const j = pick(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

/** The stack in another project (every URN follows). */
function renamed(s: GeneratedStack, project: string): GeneratedStack {
    const resources = JSON.parse(
        JSON.stringify(s.resources).split(`::${s.project}::`).join(`::${project}::`),
    );
    return { ...s, project, resources };
}

export interface AgreementRun {
    /** One sentence per disagreement; empty when every path agrees. */
    disagreements: string[];
    /** Stacks compared, and diagnostics the reference gave. */
    stacks: number;
    diagnostics: number;
}

/**
 * Checks one backend's worth of stacks under one raw policy configuration (as `--policy-config`
 * reads it) on every path. `pick` drives the shuffles, the unknowns and which stack is checked alone.
 */
export async function checkAgreement(
    pack: PolicyPackClient,
    info: AnalyzerInfo,
    generated: readonly GeneratedStack[],
    rawConfig: Record<string, PolicyConfig>,
    pick: (n: number) => number,
    options: { paths?: "all" | "in-process" } = {},
): Promise<AgreementRun> {
    // Unique full names: a backend holds one stack per project and name.
    const stacks = generated.map((s, i) => renamed(s, `p${i}-${s.project}`));
    const config = stateLevels(info, rawConfig);
    const converted = stacks.map(
        (s) => convertStack(parseStackExport(JSON.stringify(exportOf(s)), `${s.project}.json`)).resources,
    );
    const id = (i: number, tags = stacks[i].tags) => ({
        stack: stacks[i].stack,
        project: stacks[i].project,
        tags,
    });
    const name = (i: number) => `${stacks[i].project}/${stacks[i].stack}`;
    const out: string[] = [];

    // The reference: the pack over gRPC, one stack at a time, as the engine drives it.
    const reference: Diagnostic[][] = [];
    for (let i = 0; i < stacks.length; i++)
        reference.push(await evaluateOverGrpc(pack, config, id(i), converted[i]));

    // In process: every stack in flight at once, started in a shuffled order.
    const inProcess = new Array<Diagnostic[]>(stacks.length);
    await Promise.all(
        shuffled(
            stacks.map((_, i) => i),
            pick,
        ).map(async (i) => {
            inProcess[i] = await evaluateInProcess(config, id(i), converted[i], info);
        }),
    );
    stacks.forEach((_, i) => out.push(...differences("in process", name(i), reference[i], inProcess[i])));

    // A preview's unknowns: gRPC and in process on the same partly unknown resources.
    const previews: Resource[][] = converted.map((r) => withUnknowns(r, pick));
    const previewGrpc: Diagnostic[][] = [];
    for (let i = 0; i < stacks.length; i++)
        previewGrpc.push(await evaluateOverGrpc(pack, config, id(i), previews[i]));
    const previewInProcess = await Promise.all(
        previews.map((r, i) => evaluateInProcess(config, id(i), r, info)),
    );
    stacks.forEach((_, i) =>
        out.push(...differences("preview in process", name(i), previewGrpc[i], previewInProcess[i])),
    );

    if (options.paths === "in-process") {
        return { disagreements: out, stacks: stacks.length, diagnostics: reference.flat().length };
    }

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agreement-"));
    try {
        const configFile = path.join(dir, "policy-config.json");
        fs.writeFileSync(configFile, JSON.stringify(rawConfig));
        const root = writeDiyBackend(
            stacks.map((s, i) => ({
                project: s.project,
                stack: s.stack,
                export: exportOf(s),
                tags: s.tags,
                compression: i % 3 === 0 ? "gz" : undefined,
            })),
            { root: path.join(dir, "backend") },
        );
        const byName = (json: string) =>
            new Map<string, { violations: Diagnostic[]; disagreements: string[]; exitCode: number }>(
                (
                    JSON.parse(json).stacks as Array<{
                        name: string;
                        violations: Diagnostic[];
                        disagreements: string[];
                        exitCode: number;
                    }>
                ).map((s) => [s.name, s]),
            );
        const fleetAgrees = (
            label: string,
            run: { code: number; stdout: string; stderr: string },
            only?: number,
        ) => {
            let found: ReturnType<typeof byName>;
            try {
                found = byName(run.stdout);
            } catch {
                out.push(`${label}: exit ${run.code}, no JSON report: ${run.stderr.split("\n")[0]}`);
                return;
            }
            const expectedCode = (only === undefined ? stacks.map((_, i) => i) : [only]).some((i) =>
                reference[i].some((d) => d.enforcementLevel === "mandatory"),
            )
                ? 1
                : 0;
            if (run.code !== expectedCode)
                out.push(
                    `${label}: exit ${run.code} where the stacks' verdicts give ${expectedCode}: ${run.stderr.split("\n")[0]}`,
                );
            stacks.forEach((_, i) => {
                if (only !== undefined && i !== only) return;
                const s = found.get(name(i));
                if (!s) return void out.push(`${label}: stack ${name(i)} is not in the report`);
                out.push(...differences(label, name(i), reference[i], s.violations));
                for (const d of s.disagreements)
                    out.push(`${label}, stack ${name(i)}: the report contradicts itself: ${d}`);
            });
        };
        const url = `file://${root}`;
        fleetAgrees(
            "check --backend",
            await cli(["--backend", url, "--format", "json", "--policy-config", configFile, "--no-color"]),
        );
        // The same backend read with another concurrency (other interleavings of the stacks' checks).
        const report = path.join(dir, "shuffled.json");
        const code = await runFleetCheck(
            {
                backend: url,
                format: "json",
                output: report,
                policyConfig: rawConfig,
                stackTags: {},
                color: false,
                progress: () => undefined,
                concurrency: 1 + pick(32),
            },
            { stdout: capture().stream, stderr: capture().stream } as never,
        );
        fleetAgrees("check --backend (other concurrency)", {
            code,
            stdout: fs.readFileSync(report, "utf8"),
            stderr: "",
        });
        const alone = pick(stacks.length);
        fleetAgrees(
            "check --backend --stack-filter",
            await cli([
                "--backend",
                url,
                "--stack-filter",
                name(alone),
                "--format",
                "json",
                "--policy-config",
                configFile,
                "--no-color",
            ]),
            alone,
        );

        // check --state on the exports: it has no per-stack tags, so the stacks without tags are compared.
        const states = path.join(dir, "states");
        fs.mkdirSync(states);
        stacks.forEach((s, i) =>
            fs.writeFileSync(
                path.join(states, `${String(i).padStart(4, "0")}.json`),
                JSON.stringify(exportOf(s)),
            ),
        );
        const state = await cli(["--state", states, "--json", "--policy-config", configFile, "--no-color"]);
        let parsed:
            | {
                  stacks: Array<{
                      project: string;
                      stack: string;
                      violations: Diagnostic[];
                      disagreements: string[];
                  }>;
              }
            | undefined;
        try {
            parsed = JSON.parse(state.stdout);
        } catch {
            out.push(`check --state: exit ${state.code}, no JSON report: ${state.stderr.split("\n")[0]}`);
        }
        if (parsed) {
            const got = new Map(parsed.stacks.map((s) => [`${s.project}/${s.stack}`, s]));
            stacks.forEach((s, i) => {
                if (Object.keys(s.tags).length > 0) return;
                const r = got.get(name(i));
                if (!r) return void out.push(`check --state: stack ${name(i)} is not in the report`);
                out.push(...differences("check --state", name(i), reference[i], r.violations));
                for (const d of r.disagreements)
                    out.push(`check --state, stack ${name(i)}: the report contradicts itself: ${d}`);
            });
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return { disagreements: out, stacks: stacks.length, diagnostics: reference.flat().length };
}
