// Worker mode against dynalite: N workers sharing a state folder recover what one process does,
// an interrupted worker started again resumes its share, and a finished share is not done twice.
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RecoverOptions } from "../../../cli/recover/options";
import { recoverItems } from "../../../cli/recover/recover";
import { runRecover } from "../../../cli/recover/command";
import { summarize, type RecoveryReport } from "../../../cli/recover/report";
import { FolderStateStore, openStateStore } from "../../../cli/recover/stateStore";
import {
    claimsTableDefinition,
    createClaimsTableCommand,
    tableLedger,
} from "../../../cli/recover/tableLedger";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import { startFakeS3 } from "../../support/fakeS3";
import { startS3rver } from "../../support/s3rver";
import { pick, sum } from "./counts";
import { buildScenario, createTable, snapshot, uniquePrefix, type Scenario } from "./scenario";

describe("recover worker mode against dynalite", () => {
    let local: LocalDynamo;
    let client: DynamoDBClient;
    let dir: string;
    let prefix: string;
    let scenario: Scenario;

    before(async () => {
        local = await startDynalite();
        client = local.client();
    });
    after(async () => {
        client.destroy();
        await local.stop();
    });
    beforeEach(async () => {
        prefix = uniquePrefix();
        scenario = await buildScenario(client, `w${prefix}`);
        dir = mkdtempSync(join(tmpdir(), "recover-workers-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const base = (extra: Partial<RecoverOptions> = {}): RecoverOptions => ({
        from: `w${prefix}Orders_Restore`,
        into: `w${prefix}Orders`,
        endpoint: local.endpoint,
        region: local.region,
        credentials: local.credentials,
        retry: { baseDelayMs: 1 },
        pageSize: 25,
        segments: 6,
        ...extra,
    });

    it("three workers find and write together exactly what one process finds", async () => {
        const single = await recoverItems(base());
        const dry = await Promise.all(
            [0, 1, 2].map((index) =>
                recoverItems(base({ workers: { count: 3, index }, state: join(dir, "dry") })),
            ),
        );
        assert.deepEqual(sum(dry), pick(single));
        assert.ok(
            dry.every((r) => r.counts.sourceItems > 0),
            "every worker has a share",
        );
        assert.match(dry[1].plan.source, /worker 1 of 3: 2 of them/);

        const applied = await Promise.all(
            [0, 1, 2].map((index) =>
                recoverItems(base({ apply: true, workers: { count: 3, index }, state: join(dir, "apply") })),
            ),
        );
        assert.equal(sum(applied).written, scenario.lost.length);
        assert.deepEqual(await snapshot(client, `w${prefix}Orders`), scenario.expectedAfter);
        const store = new FolderStateStore(join(dir, "apply"));
        const reports = (await store.list("workers/")).filter((n) => n.endsWith("report.json"));
        assert.equal(reports.length, 3);
    });

    it("a worker stopped mid-share and started again resumes from its checkpoint and counts each item once", async () => {
        const single = await recoverItems(base({ apply: false }));
        const state = join(dir, "state");
        const stop = new AbortController();
        let pages = 0;
        const first = await recoverItems(
            base({
                apply: true,
                workers: { count: 2, index: 0 },
                state,
                leaseSeconds: 0.2,
                signal: stop.signal,
                onProgress: () => {
                    if (++pages === 2) stop.abort();
                },
            }),
        );
        assert.equal(first.interrupted, true);
        let waited = "";
        const again = await recoverItems(
            base({
                apply: true,
                workers: { count: 2, index: 0 },
                state,
                leaseSeconds: 0.2,
                onWait: (m) => (waited = m),
            }),
        );
        assert.equal(again.resumed, true);
        assert.equal(again.complete, true);
        assert.match(
            waited,
            /claimed \(generation 1\)/,
            "the restarted copy waited for the old claim's lease",
        );
        const other = await recoverItems(base({ apply: true, workers: { count: 2, index: 1 }, state }));
        const merged = sum([again, other]);
        assert.equal(merged.sourceItems, single.counts.sourceItems);
        assert.equal(merged.liveItems, single.counts.liveItems);
        assert.equal(merged.missing, single.counts.missing);
        assert.equal(merged.written, scenario.lost.length);
        assert.deepEqual(await snapshot(client, `w${prefix}Orders`), scenario.expectedAfter);

        const late = await recoverItems(base({ apply: true, workers: { count: 2, index: 1 }, state }));
        assert.match(late.notes.join("\n"), /already done; nothing was read or written/);
    });

    it("recover status merges the workers' reports into the single process's counts, and names the unfinished", async () => {
        const single = await recoverItems(base());
        const state = join(dir, "status");
        const io = () => {
            const out = { stdout: "", stderr: "" };
            return {
                out,
                io: {
                    stdout: { write: (t: string) => (out.stdout += t) },
                    stderr: { write: (t: string) => (out.stderr += t) },
                },
            };
        };
        const none = io();
        assert.equal(
            await runRecover(["status", "--state", state, "--workers", "3"], { ...none.io, isTTY: false }),
            3,
        );
        assert.match(none.out.stdout, /Workers: 0 of 3 done; unfinished: none; not started: 0, 1, 2/);

        await recoverItems(base({ workers: { count: 3, index: 0 }, state }));
        await recoverItems(base({ workers: { count: 3, index: 2 }, state }));
        const partial = io();
        assert.equal(await runRecover(["status", "--state", state], { ...partial.io, isTTY: false }), 3);
        assert.match(partial.out.stdout, /Workers: 2 of 3 done; unfinished: none; not started: 1/);

        await recoverItems(base({ workers: { count: 3, index: 1 }, state }));
        const reportFile = join(dir, "merged.json");
        const all = io();
        const code = await runRecover(["status", "--state", state, "--report", reportFile], {
            ...all.io,
            isTTY: false,
        });
        assert.equal(code, 0, all.out.stderr);
        assert.match(all.out.stdout, /Workers: 3 of 3 done/);
        const merged = JSON.parse(readFileSync(reportFile, "utf8")) as RecoveryReport;
        assert.deepEqual(pick(merged), pick(single));
        assert.equal(merged.complete, true);
        const summaryLine = (text: string) => text.split("\n").find((l) => l.includes("missing from live:"));
        assert.equal(summaryLine(all.out.stdout), summaryLine(summarize(single)));
    });

    it("keeps the state in S3: claims created with If-None-Match, checkpoints and reports beside them", async () => {
        const single = await recoverItems(base());
        const bucket = new Map<string, Buffer>();
        const s3 = await startFakeS3({ "recovery-state": bucket });
        try {
            const state = "s3://recovery-state/orders/";
            const reports = await Promise.all(
                [0, 1].map((index) =>
                    recoverItems(base({ workers: { count: 2, index }, state, s3Endpoint: s3.endpoint })),
                ),
            );
            assert.deepEqual(sum(reports), pick(single));
            const keys = [...bucket.keys()].sort();
            assert.ok(keys.includes("orders/workers/00000/claim-000001.json"));
            assert.ok(keys.includes("orders/workers/00001/report.json"));
            // A third copy of worker 0 finds the share done; a claim of the same generation is refused.
            const late = await recoverItems(
                base({ workers: { count: 2, index: 0 }, state, s3Endpoint: s3.endpoint }),
            );
            assert.match(late.notes.join("\n"), /already done/);
            const store = openStateStore(state, {
                region: local.region,
                credentials: local.credentials,
                endpoint: s3.endpoint,
                forcePathStyle: true,
            });
            assert.equal(await store.create("workers/00000/claim-000001.json", "{}"), false);
            store.close();
        } finally {
            await s3.close();
        }
    });

    it("on an S3 server that ignores If-None-Match: refuses to claim, then claims through --claims-table", async () => {
        const single = await recoverItems(base());
        const s3 = await startS3rver(["recovery-state"], local.credentials, local.region);
        try {
            const state = "s3://recovery-state/orders/";
            const onS3 = (index: number, extra: Partial<RecoverOptions> = {}) =>
                base({ workers: { count: 2, index }, state, s3Endpoint: s3.endpoint, apply: true, ...extra });
            const before = await snapshot(client, `w${prefix}Orders`);
            await assert.rejects(recoverItems(onS3(0)), (error: Error) => {
                assert.match(error.message, /did not refuse a second create of the same object/);
                assert.match(error.message, /--claims-table <table>/);
                return true;
            });
            assert.deepEqual(await snapshot(client, `w${prefix}Orders`), before, "nothing was written");
            assert.deepEqual(
                (await s3.keys("recovery-state")).filter((k) => /claim/.test(k)),
                [],
                "no claim was made in a store that cannot make one safely",
            );

            const table = `w${prefix}RecoverClaims`;
            await assert.rejects(
                recoverItems(onS3(0, { claimsTable: table })),
                new RegExp(
                    `the claims table ${table} \\(.--claims-table.\\) does not exist; create it with: aws dynamodb create-table`,
                ),
            );
            await createTable(client, claimsTableDefinition(table));
            assert.match(createClaimsTableCommand(table), /AttributeName=generation,KeyType=RANGE/);
            const reports = await Promise.all(
                [0, 1].map((i) => recoverItems(onS3(i, { claimsTable: table }))),
            );
            assert.equal(sum(reports).written, single.counts.missing);
            assert.deepEqual(await snapshot(client, `w${prefix}Orders`), scenario.expectedAfter);
            const keys = await s3.keys("recovery-state");
            assert.ok(keys.includes("orders/workers/00001/report.json"), keys.join(", "));
            assert.ok(!keys.some((k) => /claim-/.test(k)), "the claims are in the table, not in S3");

            // The table holds generation 1 of each share; a second claim of it loses, the next wins.
            const ledger = tableLedger(client, table, state);
            assert.equal(await ledger.latest(0), 1);
            assert.equal(await ledger.latest(1), 1);
            assert.equal(await ledger.take(0, 1, "{}"), false);
            assert.equal(await ledger.exists(0, 2), false);
            const racers = await Promise.all([ledger.take(0, 2, "a"), ledger.take(0, 2, "b")]);
            assert.deepEqual(
                racers.sort(),
                [false, true],
                "of two copies taking one generation, exactly one wins",
            );
            assert.equal(await ledger.latest(0), 2);
            assert.equal(
                await tableLedger(client, table, "s3://other/").latest(0),
                0,
                "one table, many recoveries",
            );

            // `recover status` reads the reports from s3rver; without a Region it says so, plainly.
            const io = () => {
                const out = { stdout: "", stderr: "" };
                const sink = {
                    stdout: { write: (t: string) => (out.stdout += t) },
                    stderr: { write: (t: string) => (out.stderr += t) },
                    isTTY: false,
                };
                return { out, sink };
            };
            const status = ["status", "--state", state, "--s3-endpoint", s3.endpoint];
            const saved = { ...process.env };
            for (const v of ["AWS_REGION", "AWS_DEFAULT_REGION"]) delete process.env[v];
            process.env.AWS_CONFIG_FILE = join(dir, "no-config");
            process.env.AWS_ACCESS_KEY_ID = local.credentials.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = local.credentials.secretAccessKey;
            try {
                const withRegion = io();
                const code = await runRecover([...status, "--region", local.region], withRegion.sink);
                assert.equal(code, 0, withRegion.out.stderr);
                assert.match(withRegion.out.stdout, /Workers: 2 of 2 done/);
                const noRegion = io();
                assert.equal(await runRecover(status, noRegion.sink), 1);
                assert.equal(
                    noRegion.out.stderr,
                    `recover status: No AWS region is set for ${state}; pass \`--region\` (or set AWS_REGION) to the bucket's Region.\n`,
                );
            } finally {
                for (const v of [
                    "AWS_REGION",
                    "AWS_DEFAULT_REGION",
                    "AWS_CONFIG_FILE",
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                ])
                    if (saved[v] === undefined) delete process.env[v];
                    else process.env[v] = saved[v];
            }
        } finally {
            await s3.stop();
        }
    });

    it("refuses a claims table keyed otherwise, and --claims-table without --workers", async () => {
        const table = `w${prefix}BadClaims`;
        await createTable(client, {
            TableName: table,
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        });
        await assert.rejects(
            recoverItems(base({ workers: { count: 2, index: 0 }, state: dir, claimsTable: table })),
            /has the key id; it needs the partition key share \(S\) and the sort key generation \(N\)/,
        );
        await assert.rejects(
            recoverItems(base({ claimsTable: table })),
            /`--claims-table` is given without `--workers`/,
        );
        await assert.rejects(
            recoverItems(base({ workers: { count: 2, index: 0 }, state: dir, claimsTable: "a b" })),
            /`--claims-table` is "a b"; a DynamoDB table name is 3 to 255/,
        );
    });

    it("refuses worker mode without a state location, before reading anything", async () => {
        await assert.rejects(
            recoverItems(base({ workers: { count: 2, index: 0 } })),
            /`--workers` needs `--state/,
        );
    });
});
