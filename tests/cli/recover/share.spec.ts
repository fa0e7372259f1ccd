// Worker mode's pure parts and its state store: the worker index, the split, atomic creation in a
// folder and in S3 (against a stub client), and claims with heartbeats and fencing.
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    GetObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    S3Client,
    S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { claimShare } from "../../../cli/recover/claim";
import { storeLedger } from "../../../cli/recover/claimLedger";
import { claimObject, shareOf, workerSpec } from "../../../cli/recover/share";
import { checkStateLocation, FolderStateStore, S3StateStore } from "../../../cli/recover/stateStore";

function s3Error(name: string, status: number): S3ServiceException {
    return new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status } });
}

/** Resolves when `signal` aborts; rejects after `ms`, naming what it waited for. */
function aborted(signal: AbortSignal, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
        signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
        });
    });
}

describe("recover worker mode: the index and the split", () => {
    it("takes the index from --worker before the engines' variables", () => {
        assert.deepEqual(workerSpec("4", "2", { JOB_COMPLETION_INDEX: "3" }).spec, { count: 4, index: 2 });
    });

    it("reads a Kubernetes Indexed Job's JOB_COMPLETION_INDEX and an AWS Batch array job's AWS_BATCH_JOB_ARRAY_INDEX", () => {
        assert.deepEqual(workerSpec("4", undefined, { JOB_COMPLETION_INDEX: "3" }).spec, {
            count: 4,
            index: 3,
        });
        assert.deepEqual(workerSpec("4", undefined, { AWS_BATCH_JOB_ARRAY_INDEX: "1" }).spec, {
            count: 4,
            index: 1,
        });
    });

    it("names the source, the value and the range of an index out of range", () => {
        const { problems } = workerSpec("4", undefined, { AWS_BATCH_JOB_ARRAY_INDEX: "4" });
        assert.deepEqual(problems, [
            "AWS_BATCH_JOB_ARRAY_INDEX is 4; with `--workers` 4 it must be a whole number from 0 to 3.",
        ]);
        assert.match(workerSpec("4", "-1", {}).problems[0], /^`--worker` is -1; .* from 0 to 3\.$/);
    });

    it("refuses a worker count outside 1 to 10,000 and a missing index, saying how to give one", () => {
        assert.match(
            workerSpec("0", "0", {}).problems[0],
            /`--workers` is 0; it must be a whole number from 1 to 10,000/,
        );
        assert.match(
            workerSpec("3", undefined, {}).problems[0],
            /pass --worker <0 to 2>.*JOB_COMPLETION_INDEX/,
        );
        assert.match(
            workerSpec(undefined, "1", {}).problems[0],
            /`--worker` is 1, but `--workers` is not given/,
        );
    });

    it("splits units so that every unit belongs to exactly one worker, the same way every time", () => {
        const units = Array.from({ length: 13 }, (_, i) => `scan-${i}`);
        for (const count of [1, 2, 3, 4, 8, 13, 20]) {
            const shares = Array.from({ length: count }, (_, index) => shareOf(units, { count, index }));
            assert.deepEqual(
                shares.flat().sort(),
                [...units].sort(),
                `${count} workers cover every unit once`,
            );
            assert.deepEqual(shareOf(units, { count, index: 0 }), shares[0]);
        }
        assert.deepEqual(shareOf(units, { count: 4, index: 1 }), ["scan-1", "scan-5", "scan-9"]);
    });

    it("checks an s3:// state location's bucket before anything is sent", () => {
        assert.equal(checkStateLocation("s3://recovery-state/orders/"), undefined);
        assert.match(
            checkStateLocation("s3://Bad_Bucket/x")!,
            /`--state` is s3:\/\/Bad_Bucket\/x; .*bucket name/,
        );
    });
});

describe("recover worker mode: the state store", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "recover-state-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("creates an object in a folder once, whoever else tries at the same moment", async () => {
        const stores = Array.from({ length: 8 }, () => new FolderStateStore(dir));
        const won = await Promise.all(
            stores.map((s, i) => s.create("workers/00001/claim-000001.json", `${i}`)),
        );
        assert.equal(won.filter(Boolean).length, 1);
        assert.deepEqual(await stores[0].list("workers/"), ["workers/00001/claim-000001.json"]);
    });

    it("creates an S3 object with If-None-Match: *, and reads 412 as someone else's", async () => {
        const s3 = mockClient(S3Client);
        s3.on(PutObjectCommand).rejectsOnce(s3Error("PreconditionFailed", 412));
        const store = new S3StateStore("s3://state-bucket/job-1", new S3Client({ region: "us-east-1" }));
        assert.equal(await store.create("workers/00000/claim-000001.json", "{}"), false);
        const sent = s3.commandCalls(PutObjectCommand)[0].args[0].input;
        assert.equal(sent.IfNoneMatch, "*");
        assert.equal(sent.Bucket, "state-bucket");
        assert.equal(sent.Key, "job-1/workers/00000/claim-000001.json");
        s3.restore();
    });

    it("tries an S3 create again after 409 ConditionalRequestConflict, and reads a missing object as none", async () => {
        const s3 = mockClient(S3Client);
        s3.on(PutObjectCommand).rejectsOnce(s3Error("ConditionalRequestConflict", 409)).resolves({});
        s3.on(GetObjectCommand).rejects(s3Error("NoSuchKey", 404));
        s3.on(ListObjectsV2Command)
            .resolvesOnce({
                Contents: [{ Key: "p/workers/b" }],
                IsTruncated: true,
                NextContinuationToken: "t",
            })
            .resolvesOnce({ Contents: [{ Key: "p/workers/a" }], IsTruncated: false });
        const store = new S3StateStore("s3://state-bucket/p/", new S3Client({ region: "us-east-1" }));
        assert.equal(await store.create("x.json", "{}"), true);
        assert.equal(s3.commandCalls(PutObjectCommand).length, 2);
        assert.equal(await store.read("missing.json"), undefined);
        assert.deepEqual(await store.list("workers/"), ["workers/a", "workers/b"]);
        assert.equal(s3.commandCalls(ListObjectsV2Command)[1].args[0].input.ContinuationToken, "t");
        s3.restore();
    });
});

describe("recover worker mode: claims", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "recover-claim-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("lets a second copy of an index take the share only once the first one's heartbeat stops", async () => {
        const store = new FolderStateStore(dir);
        const first = await claimShare(store, storeLedger(store), 2, { leaseMs: 300, owner: "first" });
        assert.equal(first?.generation, 1);
        let waited = "";
        let secondClaimed = false;
        const second = claimShare(store, storeLedger(store), 2, {
            leaseMs: 300,
            owner: "second",
            onWait: (m) => (waited = m),
        }).then((claim) => {
            secondClaimed = true;
            return claim;
        });
        // While the first beats, the second waits: several leases pass without it claiming.
        const beats = async (n: number) => {
            for (let i = 0; i < n; i++) {
                const before = await store.read("workers/00002/heartbeat.json");
                await new Promise<void>((resolve, reject) => {
                    const started = Date.now();
                    const poll = setInterval(async () => {
                        if ((await store.read("workers/00002/heartbeat.json")) !== before) {
                            clearInterval(poll);
                            resolve();
                        } else if (Date.now() - started > 5_000) {
                            clearInterval(poll);
                            reject(
                                new Error("timed out after 5 s waiting for the first copy's next heartbeat"),
                            );
                        }
                    }, 20);
                });
            }
        };
        await beats(6);
        assert.equal(secondClaimed, false, "the second copy waits while the first one beats");
        assert.match(waited, /worker 2's share is claimed \(generation 1\)/);
        first!.release();
        const taken = await second;
        assert.equal(taken?.generation, 2);
        taken!.release();
    });

    it("fences off a holder once a newer generation exists", async () => {
        const store = new FolderStateStore(dir);
        const holder = await claimShare(store, storeLedger(store), 0, { leaseMs: 150, owner: "holder" });
        assert.equal(holder!.fenced.aborted, false);
        assert.equal(await store.create(claimObject(0, 2), "{}"), true);
        await aborted(holder!.fenced, 5_000, "the holder to see generation 2 and stop");
        assert.match(String((holder!.fenced.reason as Error).message), /taken over by generation 2/);
        holder!.release();
    });

    it("claims nothing for a share already done", async () => {
        const store = new FolderStateStore(dir);
        const claim = await claimShare(store, storeLedger(store), 1, {
            leaseMs: 100,
            owner: "late",
            isDone: async () => true,
        });
        assert.equal(claim, undefined);
        assert.deepEqual(await store.list("workers/"), []);
    });
});
