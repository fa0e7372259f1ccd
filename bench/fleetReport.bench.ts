// `check --backend` on a generated self-managed backend: 400 stacks of 25 resources, and 2,000
// (BENCH_FLEET_STACKS="400,2000" sets the sizes). Each size is measured as a user runs it (its own
// process, compiled CLI): the whole command writing the HTML report, against a floor that only lists,
// reads, decompresses and parses the same checkpoints in a bare Node process; peak memory of both.
// Half the checkpoints are gzip, half plain JSON, as a backend that switched PULUMI_DIY_BACKEND_GZIP on.
// BENCH_FLEET_STATE=1 adds the old way for the first size: `check --state` on the same stacks' exports.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { BenchResult, ratio, round } from "./measure";
import { runCommand } from "./runCommand";
import { generateExport } from "./state.bench";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");

/** A backend of `stacks` stacks of 25 resources in `dir` (project layout); also their exports when asked. */
function generateBackend(dir: string, stacks: number, exportsDir?: string): number {
    const text = generateExport(25);
    let bytes = 0;
    fs.writeFileSync(path.join(dir, ".pulumi", "meta.yaml"), "version: 1\n");
    for (let i = 0; i < stacks; i++) {
        const project = `svc${i % 40}`;
        const stack = `env${i}`;
        const projectDir = path.join(dir, ".pulumi", "stacks", project);
        fs.mkdirSync(projectDir, { recursive: true });
        const own = text.replace(/urn:pulumi:prod::bench::/g, `urn:pulumi:${stack}::${project}::`);
        const deployment = JSON.parse(own).deployment;
        const checkpoint = Buffer.from(
            JSON.stringify({
                version: 3,
                checkpoint: { stack: `organization/${project}/${stack}`, latest: deployment },
            }),
        );
        const body = i % 2 === 0 ? zlib.gzipSync(checkpoint) : checkpoint;
        fs.writeFileSync(path.join(projectDir, `${stack}.json${i % 2 === 0 ? ".gz" : ""}`), body);
        bytes += checkpoint.length;
        if (exportsDir) fs.writeFileSync(path.join(exportsDir, `${project}_${stack}.json`), own);
    }
    return bytes;
}

/** The floor: list, read, decompress, parse every checkpoint; nothing else. Plain Node, no project code. */
const FLOOR = `
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const root = path.join(process.argv[1], ".pulumi", "stacks");
let resources = 0;
for (const project of fs.readdirSync(root)) {
  for (const file of fs.readdirSync(path.join(root, project))) {
    let bytes = fs.readFileSync(path.join(root, project, file));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
    resources += JSON.parse(bytes.toString("utf8")).checkpoint.latest.resources.length;
  }
}
console.log(resources);
`;

function buildIfStale(): void {
    const sources = ["cli/fleet/run.ts", "cli/analyzer/evaluate.ts", "cli/check/command.ts"].map(
        (f) => fs.statSync(path.join(ROOT, f)).mtimeMs,
    );
    if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= Math.max(...sources)) return;
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
}

export async function bench(): Promise<BenchResult> {
    buildIfStale();
    const sizes = (process.env.BENCH_FLEET_STACKS ?? "400,2000").split(",").map(Number);
    const rows: BenchResult["rows"] = [];
    const notes: string[] = [];
    const peaks: number[] = [];
    for (const [n, stacks] of sizes.entries()) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-bench-"));
        const exportsDir =
            n === 0 && process.env.BENCH_FLEET_STATE
                ? fs.mkdtempSync(path.join(os.tmpdir(), "fleet-exports-"))
                : undefined;
        fs.mkdirSync(path.join(dir, ".pulumi", "stacks"), { recursive: true });
        try {
            const bytes = generateBackend(dir, stacks, exportsDir);
            const floor = await runCommand(process.execPath, ["-e", FLOOR, dir]);
            if (floor.code !== 0) throw new Error(`the floor failed: ${floor.stderr}`);
            const html = path.join(dir, "report.html");
            const whole = await runCommand(process.execPath, [
                CLI,
                "check",
                "--backend",
                `file://${dir}`,
                "--format",
                "html",
                "--output",
                html,
            ]);
            if (whole.code !== 1)
                throw new Error(
                    `check --backend exited ${whole.code}, expected 1: ${whole.stderr.split("\n")[0]}`,
                );
            const label = `${stacks} stacks x 25 (${round(bytes / 1e6)} MB JSON)`;
            const cpu = (r: typeof floor) => (r.cpuSeconds === undefined ? "" : round(r.cpuSeconds, 2));
            rows.push({
                run: label,
                step: "floor: read + decompress + parse",
                s: round(floor.seconds, 2),
                "cpu s": cpu(floor),
                "peak MB": round(floor.peakRssMb ?? 0, 0),
            });
            rows.push({
                run: label,
                step: "check --backend --format html",
                s: round(whole.seconds, 2),
                "cpu s": cpu(whole),
                "peak MB": round(whole.peakRssMb ?? 0, 0),
                "x floor": ratio(whole.seconds, floor.seconds),
                "cpu x floor":
                    whole.cpuSeconds !== undefined && floor.cpuSeconds
                        ? ratio(whole.cpuSeconds, floor.cpuSeconds)
                        : "",
            });
            peaks.push(whole.peakRssMb ?? 0);
            if (exportsDir) {
                const state = await runCommand(process.execPath, [
                    CLI,
                    "check",
                    "--state",
                    exportsDir,
                    "--json",
                ]);
                rows.push({
                    run: label,
                    step: "before: check --state on the exports",
                    s: round(state.seconds, 2),
                    "cpu s": cpu(state),
                    "peak MB": round(state.peakRssMb ?? 0, 0),
                    "x floor": ratio(state.seconds, floor.seconds),
                    "cpu x floor":
                        state.cpuSeconds !== undefined && floor.cpuSeconds
                            ? ratio(state.cpuSeconds, floor.cpuSeconds)
                            : "",
                });
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            if (exportsDir) fs.rmSync(exportsDir, { recursive: true, force: true });
        }
    }
    if (peaks.length >= 2)
        notes.push(
            `peak memory ${sizes[sizes.length - 1]} vs ${sizes[0]} stacks: ${ratio(peaks[peaks.length - 1], peaks[0])} (flat is 1.00x; stacks are read ${8} at a time and dropped once checked)`,
        );
    notes.push(
        "target: check --backend <= 6x the floor (issue 27); both include starting Node. CPU seconds (GNU time) are steadier than wall time on a shared machine.",
    );
    return { title: "check --backend on a generated self-managed backend (fleet report)", rows, notes };
}

if (require.main === module) {
    bench().then((r) => console.log(r.title, r.rows, r.notes));
}
