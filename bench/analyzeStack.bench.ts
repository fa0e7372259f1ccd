// AnalyzeStack over generated stacks of several shapes (bench/stackShapes.ts), at 10,000 and 20,000
// resources: our pack against a no-op pack (one resource policy: CrossGuard calls no stack code at all)
// and a no-op stack-policy pack (CrossGuard still deserializes every resource for it), each started
// once, so process start is excluded. The three packs are called in turn for each measured call
// (interleaved, so a busy machine slows all three alike); figures are medians of BENCH_ANALYZE_RUNS
// (default 5) calls, after one warm-up call. BENCH_ANALYZE_SIZES overrides the sizes
// (comma-separated); BENCH_ANALYZE_SHAPES picks shapes by a word of their names.
import { AnalyzeResult, PolicyPackClient, encodeAnalyzeStack, startPolicyPack } from "../cli/analyzer";
import { BenchResult, envCount, median, ratio, round, timed } from "./measure";
import { NOOP_PACK_DIR, PACK_DIR, buildPack } from "./packStart.bench";
import * as path from "path";
import { SHAPES } from "./stackShapes";

const NOOP_STACK_PACK_DIR = path.join(__dirname, "fixtures", "noop-stack-pack");

/** Targets from the issue: against the no-op stack-policy pack, and growth from 10k to 20k. */
const MAX_RATIO = 1.45;
const MAX_GROWTH = 2.2;

async function started(dir: string): Promise<PolicyPackClient> {
    const pack = await startPolicyPack(dir, { timeoutMs: 120_000 });
    await pack.configureStack({ stack: "prod", project: "orders", tags: {}, dryRun: true });
    return pack;
}

export async function bench(): Promise<BenchResult> {
    const runs = envCount("BENCH_ANALYZE_RUNS", 5);
    const sizes = (process.env.BENCH_ANALYZE_SIZES ?? "10000,20000").split(",").map(Number);
    const words = (process.env.BENCH_ANALYZE_SHAPES ?? "").split(",").filter((w) => w !== "");
    const shapes = SHAPES.filter((s) => words.length === 0 || words.some((w) => s.name.includes(w)));
    buildPack();
    const packs = await Promise.all([PACK_DIR, NOOP_PACK_DIR, NOOP_STACK_PACK_DIR].map(started));
    const rows: Array<Record<string, string | number>> = [];
    const missed: string[] = [];
    let warmed = false;
    try {
        for (const shape of shapes) {
            const medians = new Map<number, number[]>();
            for (const size of sizes) {
                // Encoded once, as the engine (written in Go) would send it: the figures are the
                // pack's (transfer, decoding, policies, answer), not this Node client's encoding.
                const resources = shape.generate(size);
                // Tables: aws.dynamodb.Table resources, plus four in each CloudFormation template.
                const tables =
                    resources.filter((r) => r.type === "aws:dynamodb/table:Table").length +
                    4 * resources.filter((r) => r.type === "aws:cloudformation/stack:Stack").length;
                const request = encodeAnalyzeStack(resources);
                const times: number[][] = packs.map(() => []);
                let violations = 0;
                for (let i = warmed ? 0 : -1; i < runs; i++) {
                    // Each round starts with a different pack, so none is always first after a pause.
                    for (let n = 0; n < packs.length; n++) {
                        const j = (n + Math.max(i, 0)) % packs.length;
                        const pack = packs[j];
                        const { ms, value } = await timed<AnalyzeResult>(() =>
                            pack.analyzeStackRequest(request),
                        );
                        if (i >= 0) {
                            times[j].push(ms);
                        }
                        if (j === 0) {
                            violations = value.diagnostics.length;
                        }
                    }
                }
                warmed = true;
                const m = times.map(median);
                medians.set(size, m);
                const r = m[0] / m[2];
                if (r > MAX_RATIO) {
                    missed.push(`${shape.name} at ${size}: ${ratio(m[0], m[2])} the no-op stack-policy pack`);
                }
                rows.push({
                    shape: shape.name,
                    resources: size,
                    tables: tables,
                    "ours ms": round(m[0]),
                    "no-op ms": round(m[1]),
                    "no-op stack policy ms": round(m[2]),
                    "ours / no-op": ratio(m[0], m[1]),
                    "ours / no-op stack policy": ratio(m[0], m[2]),
                    "ours − no-op stack policy ms": round(m[0] - m[2]),
                    violations,
                });
            }
            const a = medians.get(10_000);
            const b = medians.get(20_000);
            if (a && b) {
                if (b[0] / a[0] > MAX_GROWTH) {
                    missed.push(`${shape.name}: 10k → 20k ${ratio(b[0], a[0])}`);
                }
                rows.push({
                    shape: shape.name,
                    resources: "growth 10k → 20k",
                    tables: "",
                    "ours ms": ratio(b[0], a[0]),
                    "no-op ms": ratio(b[1], a[1]),
                    "no-op stack policy ms": ratio(b[2], a[2]),
                    "ours / no-op": "",
                    "ours / no-op stack policy": "",
                    "ours − no-op stack policy ms": "",
                    violations: "",
                });
            }
        }
    } finally {
        await Promise.all(packs.map((p) => p.close()));
    }
    const notes = [
        `Targets: ours ≤ ${MAX_RATIO}x the no-op stack-policy pack on every shape and size; ours 10k → 20k ≤ ${MAX_GROWTH}x — ` +
            (missed.length === 0 ? "hold" : `missed: ${missed.join("; ")}`) +
            ".",
        "The no-op pack has no stack policy, so CrossGuard never decodes the stack for it: ours / no-op includes " +
            "CrossGuard's own cost of handing every resource to a stack policy.",
        "The request is encoded once before timing, as the engine sends it; the times are the pack's: " +
            "transfer, CrossGuard's decoding, the policies, and the answer.",
    ];
    return {
        title: `AnalyzeStack by stack shape (packs started once, called in turn; median of ${runs} after a warm-up)`,
        rows,
        notes,
    };
}
