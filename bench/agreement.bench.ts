// The long run of the differential suite (tests/cli/agreement/everyPath.spec.ts): generated stacks
// (tests/support/stackGenerator.ts) through every path that gives a verdict — the pack over gRPC, the
// in-process evaluator with every stack of a backend in flight, a preview's unknowns on both,
// `check --state` and `check --backend` (whole, another concurrency, one stack alone) — and the
// number of disagreements, which must be 0. BENCH_AGREEMENT_STACKS (default 20,000) sets the count,
// BENCH_AGREEMENT_SEED the seed (default: the time; printed, so any run can be replayed).
import fc from "fast-check";
import { startPack } from "../tests/support/policyPack";
import { checkAgreement } from "../tests/support/agreement";
import { configArb, stackArb } from "../tests/support/stackGenerator";
import { BenchResult, envCount, msSince, round } from "./measure";

const PER_BACKEND = 200;

export async function bench(): Promise<BenchResult> {
    const total = envCount("BENCH_AGREEMENT_STACKS", 20_000);
    const seed = Number(process.env.BENCH_AGREEMENT_SEED ?? Date.now() % 2 ** 31);
    console.log(`  agreement: seed ${seed} (replay with BENCH_AGREEMENT_SEED=${seed}), ${total} stacks`);
    const pack = await startPack();
    const info = await pack.getAnalyzerInfo();
    const started = process.hrtime.bigint();
    let stacks = 0;
    let diagnostics = 0;
    const disagreements: string[] = [];
    try {
        const backends = fc.sample(
            fc.tuple(
                configArb,
                fc.array(stackArb, { minLength: PER_BACKEND, maxLength: PER_BACKEND }),
                fc.array(fc.nat(), { minLength: 4096, maxLength: 4096 }),
            ),
            { seed, numRuns: Math.ceil(total / PER_BACKEND) },
        );
        for (const [config, generated, randoms] of backends) {
            let at = 0;
            const pick = (n: number) => randoms[at++ % randoms.length] % n;
            const run = await checkAgreement(pack, info, generated, config, pick);
            stacks += run.stacks;
            diagnostics += run.diagnostics;
            disagreements.push(...run.disagreements);
        }
    } finally {
        await pack.close();
    }
    const seconds = msSince(started) / 1000;
    return {
        title: "One verdict on every path: generated stacks, disagreements (must be 0)",
        rows: [
            {
                seed,
                stacks,
                "diagnostics (gRPC)": diagnostics,
                paths: "gRPC, in process, preview unknowns, --state, --backend ×3",
                disagreements: disagreements.length,
                s: round(seconds, 1),
            },
        ],
        notes:
            disagreements.length === 0
                ? ["Target: 0 disagreements — holds."]
                : ["Target: 0 disagreements — MISSED:", ...disagreements.slice(0, 20)],
    };
}
