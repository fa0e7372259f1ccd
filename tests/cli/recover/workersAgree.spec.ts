/**
 * N workers and one process agree (property-based, seeded): on generated tables (any size, any mix
 * of identical, missing, changed and live-only items), any worker count from 1 to 8, any segment
 * count and page size, from a restored table or from a PITR export with any number of data files,
 * the workers' reports summed, and `recover status`'s merged report, equal what one process
 * finds, and the live table ends as one process would leave it.
 *
 * RECOVER_AGREEMENT_SEED replays a run (a failure names its seed); RECOVER_AGREEMENT_RUNS sets the
 * count (default 20; the more, the longer: about 0.3 s a run).
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import type { Item } from "../../../cli/recover/attributes";
import type { RecoverOptions } from "../../../cli/recover/options";
import { recoverItems } from "../../../cli/recover/recover";
import type { RecoveryReport } from "../../../cli/recover/report";
import { FolderStateStore } from "../../../cli/recover/stateStore";
import { recoveryStatus } from "../../../cli/recover/status";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import { FOUND_COUNTS, pick, sum } from "./counts";
import { generateExport, writeExportFolder } from "./exportFixture";
import { canonical, createTable, keyOnly, ordersTable, putAll, snapshot, uniquePrefix } from "./scenario";

const SEED = Number(process.env.RECOVER_AGREEMENT_SEED ?? 20261207);
const RUNS = Number(process.env.RECOVER_AGREEMENT_RUNS ?? 20);

type Fate = "identical" | "missing" | "changed";

interface Case {
    fates: Fate[];
    customers: number;
    liveOnly: number;
    workers: number;
    segmentsPerWorker: number;
    pageSize: number;
    source: { kind: "table" } | { kind: "export"; files: number };
}

const caseArb: fc.Arbitrary<Case> = fc.record({
    fates: fc.array(fc.constantFrom<Fate>("identical", "missing", "changed"), { maxLength: 120 }),
    customers: fc.integer({ min: 1, max: 12 }),
    liveOnly: fc.integer({ min: 0, max: 20 }),
    workers: fc.integer({ min: 1, max: 8 }),
    segmentsPerWorker: fc.integer({ min: 1, max: 4 }),
    pageSize: fc.integer({ min: 3, max: 60 }),
    source: fc.oneof(
        fc.constant({ kind: "table" as const }),
        fc.record({ kind: fc.constant("export" as const), files: fc.integer({ min: 1, max: 12 }) }),
    ),
});

function order(i: number, customers: number, status = "SHIPPED"): Item {
    return {
        customerId: { S: `C-${i % customers}` },
        orderId: { S: `2025-09-24#${String(i).padStart(5, "0")}` },
        status: { S: status },
        amount: { N: String((i * 37) % 1000) },
    };
}

describe("recover: N workers and one process agree (property-based, seeded)", function () {
    this.timeout(10 * 60_000);
    let local: LocalDynamo;
    let client: DynamoDBClient;
    let dir: string;

    before(async () => {
        local = await startDynalite();
        client = local.client();
        dir = mkdtempSync(join(tmpdir(), "recover-agree-"));
    });
    after(async () => {
        client?.destroy();
        await local?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`sums ${RUNS} generated recoveries' workers to one process (seed ${SEED})`, async () => {
        let workersRun = 0;
        await fc.assert(
            fc.asyncProperty(caseArb, async (c) => {
                const prefix = `a${uniquePrefix()}`;
                const restored = c.fates.map((_, i) => order(i, c.customers));
                const live = [
                    ...c.fates.flatMap((fate, i) =>
                        fate === "identical"
                            ? [restored[i]]
                            : fate === "changed"
                              ? [order(i, c.customers, "RETURNED")]
                              : [],
                    ),
                    ...Array.from({ length: c.liveOnly }, (_, j) => order(100_000 + j, c.customers, "NEW")),
                ];
                await createTable(client, ordersTable(`${prefix}Live`));
                await putAll(client, `${prefix}Live`, live);
                const source: Partial<RecoverOptions> =
                    c.source.kind === "table"
                        ? { from: `${prefix}Restore` }
                        : { fromExport: join(dir, prefix, "export") };
                if (c.source.kind === "table") {
                    await createTable(client, ordersTable(`${prefix}Restore`));
                    await putAll(client, `${prefix}Restore`, restored);
                } else {
                    writeExportFolder(generateExport(restored, c.source.files), join(dir, prefix, "export"));
                }
                const base = (extra: Partial<RecoverOptions>): RecoverOptions => ({
                    ...source,
                    into: `${prefix}Live`,
                    endpoint: local.endpoint,
                    region: local.region,
                    credentials: local.credentials,
                    retry: { baseDelayMs: 1 },
                    pageSize: c.pageSize,
                    segments: c.workers * c.segmentsPerWorker,
                    ...extra,
                });

                const single = await recoverItems(base({}));
                const state = join(dir, prefix, "state");
                const reports: RecoveryReport[] = await Promise.all(
                    Array.from({ length: c.workers }, (_, index) =>
                        recoverItems(base({ apply: true, workers: { count: c.workers, index }, state })),
                    ),
                );
                workersRun += c.workers;
                const summed = sum(reports, FOUND_COUNTS);
                assert.deepEqual(
                    summed,
                    pick(single, FOUND_COUNTS),
                    "the workers' reports sum to one process's",
                );
                assert.equal(
                    reports.reduce((n, r) => n + r.counts.written, 0),
                    single.counts.missing,
                    "every missing item written once",
                );
                const status = await recoveryStatus(new FolderStateStore(state), c.workers);
                assert.deepEqual(status.done.length, c.workers);
                assert.deepEqual(
                    pick(status.report!, FOUND_COUNTS),
                    pick(single, FOUND_COUNTS),
                    "recover status merges the same",
                );

                const expected = new Map(live.map((i) => [canonical(keyOnly(i)), canonical(i)]));
                c.fates.forEach((fate, i) => {
                    if (fate === "missing")
                        expected.set(canonical(keyOnly(restored[i])), canonical(restored[i]));
                });
                assert.deepEqual(
                    await snapshot(client, `${prefix}Live`),
                    [...expected.values()].sort(),
                    "the live table holds what it held plus exactly the missing items; nothing newer overwritten",
                );
            }),
            { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
        assert.ok(workersRun >= RUNS, `ran ${workersRun} workers over ${RUNS} recoveries`);
    });
});
