// `recover --from-export`: a DynamoDB export to S3 (generated here, served by s3rver or read from
// a folder) as the source, against dynalite's live table. It recovers what a restored table
// recovers, overwrites nothing newer, splits its data files among workers, and names every missing
// or corrupt file.
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RecoverOptions } from "../../../cli/recover/options";
import { recoverItems } from "../../../cli/recover/recover";
import { runRecover } from "../../../cli/recover/command";
import { parseItemLine } from "../../../cli/recover/exportSource";
import { RecoveryRefusedError, type DynamoSender } from "../../../cli/recover/preflight";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import { startFakeS3 } from "../../support/fakeS3";
import { startS3rver, type LocalS3 } from "../../support/s3rver";
import { pick, sum } from "./counts";
import { dataFile, generateExport, itemLine, writeExportFolder, type GeneratedExport } from "./exportFixture";
import { buildScenario, keyOnly, snapshot, uniquePrefix, type Scenario } from "./scenario";

describe("recover --from-export against dynalite and an S3 export", () => {
    let local: LocalDynamo;
    let client: DynamoDBClient;
    let s3: LocalS3;
    let bucket: Map<string, Buffer>;
    let dir: string;
    let prefix: string;
    let scenario: Scenario;
    let generated: GeneratedExport;

    before(async () => {
        local = await startDynalite();
        client = local.client();
        bucket = new Map();
        s3 = await startS3rver(["exports"], local.credentials, local.region);
    });
    after(async () => {
        client.destroy();
        await s3.stop();
        await local.stop();
    });
    beforeEach(async () => {
        prefix = uniquePrefix();
        scenario = await buildScenario(client, `x${prefix}`);
        generated = generateExport(scenario.restored, 5, { prefix: `${prefix}orders/` });
        bucket.clear();
        for (const [k, v] of generated.objects) bucket.set(k, v);
        dir = mkdtempSync(join(tmpdir(), "recover-export-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Recovers with the export as `bucket` holds it now (put into s3rver first). */
    const recover = async (options: RecoverOptions) => {
        await s3.mirror("exports", bucket);
        return recoverItems(options);
    };
    const exportUrl = () => `s3://exports/${generated.folder}`;
    const base = (extra: Partial<RecoverOptions> = {}): RecoverOptions => ({
        fromExport: exportUrl(),
        into: `x${prefix}Orders`,
        endpoint: local.endpoint,
        s3Endpoint: s3.endpoint,
        region: local.region,
        credentials: local.credentials,
        retry: { baseDelayMs: 1 },
        pageSize: 25,
        ...extra,
    });
    const fromTable = (extra: Partial<RecoverOptions> = {}) => {
        const { fromExport: _, ...rest } = base({ reportOnlyInLive: false, ...extra });
        return { ...rest, from: `x${prefix}Orders_Restore` };
    };

    it("finds and writes what a recovery from the restored table does, reads no table in bulk, overwrites nothing newer", async () => {
        const restored = await recoverItems(fromTable());
        const sent: string[] = [];
        const counting: DynamoSender = {
            send: ((command: { constructor: { name: string }; input: unknown }) => {
                sent.push(`${command.constructor.name} ${JSON.stringify(command.input).slice(0, 200)}`);
                return client.send(command as never);
            }) as DynamoSender["send"],
        };
        const dry = await recover(base({ client: counting }));
        assert.deepEqual(pick(dry), pick(restored));
        assert.equal(dry.counts.sourceItems, scenario.restored.length);
        assert.equal(dry.counts.missing, scenario.lost.length);
        assert.match(dry.plan.source, /read export s3:\/\/exports\/.*: 5 data file\(s\), 360 item\(s\)/);
        assert.ok(
            sent.every((s) => !/Orders_Restore/.test(s) && !/^(Scan|Query)Command/.test(s)),
            `no Scan, no Query, no restored table: ${sent.find((s) => /Restore|^Scan|^Query/.test(s))}`,
        );

        const applied = await recover(base({ apply: true }));
        assert.equal(applied.counts.written, scenario.lost.length);
        assert.deepEqual(await snapshot(client, `x${prefix}Orders`), scenario.expectedAfter);
        const kept = await client.send(
            new GetItemCommand({ TableName: `x${prefix}Orders`, Key: keyOnly(scenario.updatedInLive) }),
        );
        assert.equal(
            kept.Item?.status.S,
            "RETURNED",
            "the item updated after the export stays as the application wrote it",
        );
        const again = await recover(base({ apply: true }));
        assert.equal(again.counts.written, 0);
    });

    it("reads a local copy of the export's folder, filtered like a table", async () => {
        writeExportFolder(generated, dir);
        const filter = { partitionKeyValues: ["C-07"] };
        const restored = await recoverItems(fromTable({ filter }));
        const report = await recover(base({ fromExport: dir, filter }));
        assert.deepEqual(pick(report), pick(restored));
        assert.equal(report.counts.missing, scenario.lost.length);
        assert.match(report.plan.source, /filtered as read/);
    });

    it("an empty data file (an empty partition) holds no items, and a gzip of no lines neither", async () => {
        const empty = generateExport([], 2, { prefix: `${prefix}empty/` });
        const key0 = empty.dataKeys[0];
        empty.objects.set(key0, Buffer.alloc(0));
        const manifestKey = `${empty.folder}manifest-files.json`;
        const lines = empty.objects.get(manifestKey)!.toString().trim().split("\n");
        lines[0] = JSON.stringify({ ...JSON.parse(lines[0]), md5Checksum: "1B2M2Y8AsgTpgAmY7PhCfg==" });
        empty.objects.set(manifestKey, Buffer.from(lines.join("\n") + "\n"));
        for (const [k, v] of empty.objects) bucket.set(k, v);
        const report = await recover(base({ fromExport: `s3://exports/${empty.folder}` }));
        assert.equal(report.complete, true);
        assert.equal(report.counts.sourceItems, 0);
        assert.match(report.plan.source, /2 data file\(s\), 0 item\(s\)/);
    });

    it("two workers split the data files and together equal one process", async () => {
        const single = await recover(base());
        const state = join(dir, "state");
        const totals: Array<number | undefined> = [];
        const reports = await Promise.all(
            [0, 1].map((index) =>
                recover(
                    base({
                        apply: true,
                        workers: { count: 2, index },
                        state,
                        onProgress: (p) => (totals[index] = p.total),
                    }),
                ),
            ),
        );
        assert.match(reports[0].plan.source, /worker 0 of 2: 3 of them/);
        assert.match(reports[1].plan.source, /worker 1 of 2: 2 of them/);
        assert.deepEqual(
            totals,
            reports.map((r) => r.counts.sourceItems),
            "each worker's progress counts its own data files' items",
        );
        assert.ok(reports.every((r) => r.counts.sourceItems > 0 && r.counts.sourceItems < 360));
        const merged = sum(reports);
        assert.deepEqual({ ...merged, written: 0 }, { ...pick(single), written: 0 });
        assert.equal(merged.written, scenario.lost.length);
        assert.deepEqual(await snapshot(client, `x${prefix}Orders`), scenario.expectedAfter);
    });

    it("more workers than data files: the workers without one report done with nothing, and the sum is one process", async () => {
        const single = await recover(base());
        const inFolder = await Promise.all(
            Array.from({ length: 7 }, (_, index) =>
                recover(base({ apply: true, workers: { count: 7, index }, state: join(dir, "state") })),
            ),
        );
        assert.ok(inFolder.every((r) => r.complete));
        assert.deepEqual(
            inFolder.slice(5).map((r) => r.counts.sourceItems),
            [0, 0],
            "workers 5 and 6 have no data file",
        );
        assert.match(inFolder[6].plan.source, /worker 6 of 7: 0 of them/);
        const merged = sum(inFolder);
        assert.deepEqual({ ...merged, written: 0 }, { ...pick(single), written: 0 });
        assert.equal(merged.written, scenario.lost.length);
        assert.deepEqual(await snapshot(client, `x${prefix}Orders`), scenario.expectedAfter);
    });

    it("an interrupted run resumes inside a data file and counts each item once", async () => {
        const checkpointFile = join(dir, "checkpoint.json");
        const stop = new AbortController();
        let pages = 0;
        const first = await recover(
            base({
                apply: true,
                checkpointFile,
                pageSize: 10,
                segments: 1,
                signal: stop.signal,
                onProgress: () => {
                    if (++pages === 3) stop.abort();
                },
            }),
        );
        assert.equal(first.interrupted, true);
        assert.ok(first.counts.sourceItems > 0 && first.counts.sourceItems < 360);
        const again = await recover(base({ apply: true, checkpointFile, pageSize: 10, segments: 1 }));
        assert.equal(again.resumed, true);
        assert.equal(again.complete, true);
        assert.equal(again.counts.sourceItems, scenario.restored.length);
        assert.equal(again.counts.written, scenario.lost.length);
        assert.deepEqual(await snapshot(client, `x${prefix}Orders`), scenario.expectedAfter);
    });

    describe("names a missing or corrupt file, never skips it", () => {
        const failsNaming = async (pattern: RegExp) => {
            await assert.rejects(recover(base({ apply: true })), (error: Error) => {
                assert.match(error.message, pattern);
                return true;
            });
        };
        const key = (n: number) => generated.dataKeys[n];
        const escaped = (n: number) => key(n).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

        it("a data file listed in manifest-files.json but absent", async () => {
            bucket.delete(key(2));
            await failsNaming(
                new RegExp(
                    `data file s3://exports/${escaped(2)} is listed in manifest-files.json but missing`,
                ),
            );
        });

        it("a data file S3 refuses to serve", async () => {
            // s3rver serves every object to a signed request; the project's fake S3 refuses one.
            const refusing = await startFakeS3({ exports: bucket }, 1000);
            refusing.denied.add(key(3));
            try {
                await assert.rejects(
                    recoverItems(base({ apply: true, s3Endpoint: refusing.endpoint })),
                    new RegExp(`could not read s3://exports/${escaped(3)}: AccessDenied`),
                );
            } finally {
                await refusing.close();
            }
        });

        it("a data file that is not gzip", async () => {
            bucket.set(key(1), Buffer.concat([bucket.get(key(1))!.subarray(0, 30), Buffer.from("garbage")]));
            await failsNaming(new RegExp(`data file s3://exports/${escaped(1)} is not valid gzip`));
        });

        it("a line that is not JSON", async () => {
            const lines = scenario.restored.filter((_, i) => i % 5 === 3).map(itemLine);
            lines.splice(4, 0, '{"Item": {"customerId": {"S": "C-01"}');
            bucket.set(key(3), dataFile(key(3), lines).body);
            await failsNaming(new RegExp(`data file s3://exports/${escaped(3)}, line 5, is not valid JSON`));
        });

        it("a data file holding fewer items than its manifest line says", async () => {
            const lines = scenario.restored.filter((_, i) => i % 5 === 4).map(itemLine);
            const truncated = dataFile(key(4), lines.slice(0, -1));
            bucket.set(key(4), truncated.body);
            await failsNaming(
                new RegExp(
                    `data file s3://exports/${escaped(4)} holds ${lines.length - 1} item\\(s\\), but manifest-files.json says ${lines.length}`,
                ),
            );
        });

        it("a data file whose MD5 differs from its manifest line", async () => {
            const lines = scenario.restored.filter((_, i) => i % 5 === 0).map(itemLine);
            lines[0] = lines[0].replace("SHIPPED", "SHIPPEX");
            bucket.set(key(0), gzipSync(lines.map((l) => l + "\n").join("")));
            await failsNaming(
                new RegExp(`data file s3://exports/${escaped(0)} has MD5 .*, but manifest-files.json says`),
            );
        });

        it("manifests that are missing, disagree, or are not DYNAMODB_JSON, before any write", async () => {
            const before = await snapshot(client, `x${prefix}Orders`);
            const summaryKey = `${generated.folder}manifest-summary.json`;
            const summary = JSON.parse(bucket.get(summaryKey)!.toString()) as Record<string, unknown>;
            bucket.set(summaryKey, Buffer.from(JSON.stringify({ ...summary, itemCount: 361 })));
            await assert.rejects(
                recover(base({ apply: true })),
                /manifest-files.json lists 360 item\(s\) in its data files, but s3:\/\/exports\/.*manifest-summary.json says 361/,
            );
            bucket.set(summaryKey, Buffer.from(JSON.stringify({ ...summary, outputFormat: "ION" })));
            await assert.rejects(recover(base({ apply: true })), (error: Error) => {
                assert.ok(error instanceof RecoveryRefusedError);
                assert.match(error.message, /outputFormat ION; only DYNAMODB_JSON exports can be read/);
                return true;
            });
            bucket.delete(summaryKey);
            await assert.rejects(
                recover(base({ apply: true })),
                /manifest-summary.json is missing: --from-export must name one export's folder/,
            );
            assert.deepEqual(await snapshot(client, `x${prefix}Orders`), before, "nothing was written");
        });

        it("on the command line: one line naming the file, no stack trace, exit 1", async () => {
            writeExportFolder(generated, dir);
            unlinkSync(join(dir, "data", "file-2.json.gz"));
            const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
            process.env.AWS_ACCESS_KEY_ID = local.credentials.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = local.credentials.secretAccessKey;
            const out = { stdout: "", stderr: "" };
            let code: number;
            try {
                code = await runRecover(
                    ["--from-export", dir, "--into", `x${prefix}Orders`, "--endpoint", local.endpoint].concat(
                        ["--region", local.region, "--report", join(dir, "report.json")],
                    ),
                    {
                        stdout: { write: (t: string) => (out.stdout += t) },
                        stderr: { write: (t: string) => (out.stderr += t) },
                        isTTY: false,
                    },
                );
            } finally {
                if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
                else process.env.AWS_ACCESS_KEY_ID = saved.id;
                if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
                else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
            }
            assert.equal(code, 1, out.stderr);
            assert.match(
                out.stderr,
                /recover: failed: data file .*file-2\.json\.gz is listed in manifest-files\.json but missing/,
            );
            assert.doesNotMatch(out.stderr, /\n\s+at /);
        });
    });

    it("refuses --from-export with --from (and with --keys-file) before any network call", async () => {
        const out = { stdout: "", stderr: "" };
        const code = await runRecover(
            [
                "--from",
                "Orders_Restore",
                "--from-export",
                exportUrl(),
                "--into",
                "Orders",
                "--endpoint",
                "http://127.0.0.1:1",
            ],
            {
                stdout: { write: (t: string) => (out.stdout += t) },
                stderr: { write: (t: string) => (out.stderr += t) },
                isTTY: false,
            },
        );
        assert.equal(code, 2);
        assert.match(
            out.stderr,
            /`--from-export` and `--from` both name where the items come from; give one/,
        );
        let sent = 0;
        const never: DynamoSender = {
            send: (() => {
                sent++;
                throw new Error("nothing may be sent");
            }) as DynamoSender["send"],
        };
        await assert.rejects(
            recoverItems({ ...base({ client: never, keysFile: "keys.json" }), from: "Orders_Restore" }),
            (error: Error) => {
                assert.ok(error instanceof RecoveryRefusedError);
                assert.match(error.message, /`--from-export` and `--from` both name/);
                assert.match(error.message, /`--keys-file` looks keys up in the source/);
                return true;
            },
        );
        assert.equal(sent, 0);
    });

    it("reads every DynamoDB JSON type of a data line", () => {
        const item = parseItemLine(
            '{"Item":{"k":{"S":"a"},"n":{"N":"1.5"},"b":{"B":"AQI="},"bs":{"BS":["AQ=="]},"ok":{"BOOL":true},"z":{"NULL":true},"ss":{"SS":["x"]},"ns":{"NS":["2"]},"m":{"M":{"l":{"L":[{"N":"3"},{"S":"y"}]}}}}}',
            "here",
        );
        assert.deepEqual(Buffer.from(item.b.B!), Buffer.from([1, 2]));
        assert.deepEqual(Buffer.from(item.bs.BS![0]), Buffer.from([1]));
        assert.deepEqual(item.m.M!.l.L, [{ N: "3" }, { S: "y" }]);
        assert.equal(item.ok.BOOL, true);
        assert.throws(
            () => parseItemLine('{"Item":{"k":{"X":"a"}}}', "data file f, line 7"),
            /data file f, line 7, k: unknown DynamoDB JSON type X/,
        );
        assert.throws(
            () => parseItemLine('{"Keys":{}}', "data file f, line 2"),
            /line 2, has no "Item" object/,
        );
    });
});
