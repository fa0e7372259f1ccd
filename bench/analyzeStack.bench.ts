// AnalyzeStack over generated stacks of 1,000, 10,000 and 20,000 resources (one table in five):
// our pack against a no-op pack (one resource policy: CrossGuard calls no stack code at all) and a
// no-op stack-policy pack (CrossGuard still deserializes every resource for it), each started once,
// so process start is excluded. Median of BENCH_ANALYZE_RUNS (default 3) calls per size, after one
// warm-up call. BENCH_ANALYZE_SIZES overrides the sizes (comma-separated).
import { AnalyzeResult, PolicyPackClient, encodeAnalyzeStack, startPolicyPack } from "../cli/analyzer";
import { BenchResult, envCount, median, ratio, round, timed } from "./measure";
import { NOOP_PACK_DIR, PACK_DIR, buildPack } from "./packStart.bench";
import * as path from "path";
import { generateStack } from "./stack";

const NOOP_STACK_PACK_DIR = path.join(__dirname, "fixtures", "noop-stack-pack");

async function started(dir: string): Promise<PolicyPackClient> {
    const pack = await startPolicyPack(dir, { timeoutMs: 120_000 });
    await pack.configureStack({ stack: "prod", project: "orders", tags: {}, dryRun: true });
    return pack;
}

export async function bench(): Promise<BenchResult> {
    const runs = envCount("BENCH_ANALYZE_RUNS", 3);
    const sizes = (process.env.BENCH_ANALYZE_SIZES ?? "1000,10000,20000").split(",").map(Number);
    buildPack();
    const packs = await Promise.all([PACK_DIR, NOOP_PACK_DIR, NOOP_STACK_PACK_DIR].map(started));
    const medians = new Map<number, number[]>();
    const violations = new Map<number, number>();
    const encodeMs = new Map<number, number>();
    try {
        for (const size of sizes) {
            // The request is encoded once, as the engine (written in Go) would send it: the figures are
            // the pack's (transfer, decoding, policies, answer), not this Node client's encoding.
            const encoded = await timed(async () => encodeAnalyzeStack(generateStack(size)));
            encodeMs.set(size, encoded.ms);
            const request = encoded.value;
            const times: number[][] = packs.map(() => []);
            // One warm-up call each on the first size, then interleaved measured calls.
            for (let i = size === sizes[0] ? -1 : 0; i < runs; i++) {
                for (const [j, pack] of packs.entries()) {
                    const { ms, value } = await timed<AnalyzeResult>(() => pack.analyzeStackRequest(request));
                    if (i >= 0) {
                        times[j].push(ms);
                    }
                    if (j === 0) {
                        violations.set(size, value.diagnostics.length);
                    }
                }
            }
            medians.set(size, times.map(median));
        }
    } finally {
        await Promise.all(packs.map((p) => p.close()));
    }
    const rows: Array<Record<string, string | number>> = [];
    for (const size of sizes) {
        const m = medians.get(size) ?? [];
        rows.push({
            resources: size,
            tables: Math.round(size / 5),
            "ours ms": round(m[0]),
            "no-op ms": round(m[1]),
            "no-op stack policy ms": round(m[2]),
            "ours − no-op ms": round(m[0] - m[1]),
            "ours / no-op": ratio(m[0], m[1]),
            "ours / no-op stack policy": ratio(m[0], m[2]),
            violations: violations.get(size) ?? 0,
            "client encode ms (not counted)": round(encodeMs.get(size) ?? 0),
        });
    }
    const notes: string[] = [];
    const at10k = medians.get(10_000);
    const at20k = medians.get(20_000);
    if (at10k && at20k) {
        rows.push({
            resources: "growth 10k → 20k",
            tables: "",
            "ours ms": ratio(at20k[0], at10k[0]),
            "no-op ms": ratio(at20k[1], at10k[1]),
            "no-op stack policy ms": ratio(at20k[2], at10k[2]),
            "ours − no-op ms": "",
            "ours / no-op": "",
            "ours / no-op stack policy": "",
            violations: "",
            "client encode ms (not counted)": "",
        });
    }
    if (at10k) {
        const holds = at10k[0] <= 1.3 * at10k[1] && at10k[0] < 1000;
        notes.push(
            `Target at 10,000 resources: ≤ 1.3x the no-op pack and under 1 s — ${holds ? "holds" : "missed"} ` +
                `(${ratio(at10k[0], at10k[1])}, ${round(at10k[0])} ms; the no-op pack alone takes ${round(at10k[1])} ms, ` +
                `and ${ratio(at10k[0], at10k[2])} the no-op stack-policy pack, which pays CrossGuard's own cost ` +
                "of handing every resource to a stack policy).",
        );
    }
    notes.push(
        "The request is encoded once before timing, as the engine sends it; the times are the pack's: " +
            "transfer, CrossGuard's decoding, the policies, and the answer.",
    );
    return {
        title: `AnalyzeStack on generated stacks (pack started once; median of ${runs} after a warm-up on the first size)`,
        rows,
        notes,
    };
}
