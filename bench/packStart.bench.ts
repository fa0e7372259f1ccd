// Pack cold start: from spawning the pack, as the Pulumi CLI does, to the first GetAnalyzerInfo
// answered. Three packs side by side in the same run: ours precompiled (policies/, `main`
// bin/index.js), ours from TypeScript (ts-node compiles and type-checks it at start, as the CLI's
// runner does for a `.ts` main), and a no-op pack with one policy that does nothing.
// BENCH_START_RUNS sets the number of starts per pack (default 5); the median is reported.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startPolicyPack } from "../cli/analyzer";
import { BenchResult, envCount, median, msSince, ratio, round } from "./measure";

const ROOT = path.resolve(__dirname, "..");
export const PACK_DIR = path.join(ROOT, "policies");
export const NOOP_PACK_DIR = path.join(__dirname, "fixtures", "noop-pack");

/** Compiles policies/ to policies/bin, as `npm run build:policies` does. */
export function buildPack(): void {
    const tsc = require.resolve("typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", path.join(PACK_DIR, "tsconfig.json")], { stdio: "inherit" });
}

/**
 * A temporary pack folder whose `main` is policies/index.ts, with the pack's compiler options, so
 * the runner loads our TypeScript sources through ts-node. Returns the folder and a cleanup.
 */
function typeScriptPack(): { dir: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dynamodb-pitr-ts-pack-"));
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    pkg.main = path.relative(dir, path.join(PACK_DIR, "index.ts"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 4));
    fs.copyFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), path.join(dir, "PulumiPolicy.yaml"));
    const tsconfig = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "tsconfig.json"), "utf8"));
    delete tsconfig.compilerOptions.outDir;
    delete tsconfig.compilerOptions.rootDir;
    fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: tsconfig.compilerOptions }, null, 4),
    );
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Spawn → GetAnalyzerInfo answered, in milliseconds; checks the pack serves its policies. */
export async function coldStart(dir: string, expectPolicies: number): Promise<number> {
    const start = process.hrtime.bigint();
    const pack = await startPolicyPack(dir, { timeoutMs: 120_000 });
    try {
        const info = await pack.getAnalyzerInfo();
        const ms = msSince(start);
        if (info.policies.length !== expectPolicies) {
            throw new Error(
                `Pack ${dir} serves ${info.policies.length} policies, expected ${expectPolicies}.`,
            );
        }
        return ms;
    } finally {
        await pack.close();
    }
}

export async function bench(): Promise<BenchResult> {
    const runs = envCount("BENCH_START_RUNS", 5);
    buildPack();
    // Loading the pack in this process would start its server; count its policies from the pack file.
    const ours = [...fs.readFileSync(path.join(PACK_DIR, "index.ts"), "utf8").matchAll(/^ {4}\w+,$/gm)]
        .length;
    const ts = typeScriptPack();
    const packs = [
        { pack: "no-op pack (one policy that does nothing)", dir: NOOP_PACK_DIR, policies: 1, runs },
        { pack: "ours, precompiled (main bin/index.js)", dir: PACK_DIR, policies: ours, runs },
        // Type-checking takes seconds per start: three starts are enough for its median.
        {
            pack: "ours, TypeScript via ts-node (type-checked)",
            dir: ts.dir,
            policies: ours,
            runs: Math.min(runs, 3),
        },
    ];
    const times: number[][] = packs.map(() => []);
    try {
        // Interleaved, so that a slow moment of the machine does not land on one pack only.
        for (let i = 0; i < runs; i++) {
            for (const [j, p] of packs.entries()) {
                if (i >= p.runs) {
                    continue;
                }
                times[j].push(await coldStart(p.dir, p.policies));
            }
        }
    } finally {
        ts.remove();
    }
    const noop = median(times[0]);
    return {
        title: "Pack cold start: spawn → GetAnalyzerInfo answered",
        rows: packs.map((p, j) => ({
            pack: p.pack,
            runs: p.runs,
            "median ms": round(median(times[j])),
            "min ms": round(Math.min(...times[j])),
            "max ms": round(Math.max(...times[j])),
            "ratio / no-op": ratio(median(times[j]), noop),
        })),
        notes: [
            `Target: precompiled ≤ 1,500 ms — ${median(times[1]) <= 1500 ? "holds" : "missed"}.`,
            `Precompiled is ${ratio(median(times[2]), median(times[1]))} faster than from TypeScript; the CLI default (policies/package.json \`main\`) is bin/index.js.`,
        ],
    };
}
