/**
 * One verdict on every path: random stacks (tests/support/stackGenerator.ts) through the pack over
 * gRPC, the in-process evaluator, `check --state` and `check --backend` (whole, another concurrency,
 * one stack alone) must give the same diagnostics, resource by resource (tests/support/agreement.ts).
 *
 * Seeded: AGREEMENT_SEED replays a run (a failure names its seed), AGREEMENT_STACKS sets the count
 * (at least 300 here; the bench runs 20,000).
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { AnalyzerInfo, PolicyPackClient } from "../../../cli/analyzer";
import { checkAgreement } from "../../support/agreement";
import { startPack } from "../../support/policyPack";
import { configArb, stackArb } from "../../support/stackGenerator";

const SEED = Number(process.env.AGREEMENT_SEED ?? 20261207);
const STACKS = Math.max(300, Number(process.env.AGREEMENT_STACKS ?? 300));
const PER_BACKEND = 50;

describe("one verdict on every path (property-based, seeded)", function () {
    this.timeout(10 * 60_000);
    let pack: PolicyPackClient;
    let info: AnalyzerInfo;
    before(async () => {
        pack = await startPack();
        info = await pack.getAnalyzerInfo();
    });
    after(async () => {
        await pack?.close();
    });

    it(`gives ${STACKS} generated stacks the same verdicts over gRPC, in process, --state and --backend (seed ${SEED})`, async () => {
        let compared = 0;
        let diagnostics = 0;
        await fc.assert(
            fc.asyncProperty(
                configArb,
                fc.array(stackArb, { minLength: PER_BACKEND, maxLength: PER_BACKEND }),
                fc.infiniteStream(fc.nat()),
                async (config, stacks, randoms) => {
                    const pick = (n: number) => randoms.next().value % n;
                    const run = await checkAgreement(pack, info, stacks, config, pick);
                    compared += run.stacks;
                    diagnostics += run.diagnostics;
                    assert.deepEqual(
                        run.disagreements,
                        [],
                        `config ${JSON.stringify(config)}: ${run.disagreements.length} disagreement(s) (replay with AGREEMENT_SEED=${SEED}):\n${run.disagreements.slice(0, 10).join("\n")}`,
                    );
                },
            ),
            { seed: SEED, numRuns: Math.ceil(STACKS / PER_BACKEND), endOnFailure: true },
        );
        assert.ok(compared >= STACKS, `compared ${compared} stacks`);
        // The generator must reach the rules: a run where nothing is ever reported proves nothing.
        assert.ok(diagnostics > STACKS, `only ${diagnostics} diagnostics over ${compared} stacks`);
    });
});
