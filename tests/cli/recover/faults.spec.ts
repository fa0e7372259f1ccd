// recoverItems when the network or the server misbehaves: a server that goes away for a while in
// the middle of a run (through a proxy that drops connections on command), a write applied whose
// answer is lost, and an outage longer than the retries, resumed from the checkpoint. Against
// dynalite; each test takes about a second.
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../cli/recover/attributes";
import type { RecoverOptions } from "../../../cli/recover/options";
import { recoverItems } from "../../../cli/recover/recover";
import { summarize } from "../../../cli/recover/report";
import { startDelayProxy, type DelayProxy } from "../../support/delayProxy";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import { buildScenario, canonical, keyOnly, LOST, snapshot, uniquePrefix, type Scenario } from "./scenario";

describe("recoverItems when connections drop", () => {
    let local: LocalDynamo;
    let proxy: DelayProxy;
    let client: DynamoDBClient;
    let dir: string;

    before(async () => {
        local = await startDynalite();
        proxy = await startDelayProxy({ host: "127.0.0.1", port: Number(new URL(local.endpoint).port) }, 2);
        client = local.client();
        dir = mkdtempSync(join(tmpdir(), "recover-faults-"));
    });
    after(async () => {
        client.destroy();
        await proxy.stop();
        await local.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    let prefix: string;
    let scenario: Scenario;
    beforeEach(async () => {
        prefix = uniquePrefix();
        scenario = await buildScenario(client, prefix);
    });

    // Through the proxy, small pages so that the run spans many requests. The backoff is the
    // largest its jitter allows (20, 40, 80, ... ms), so that retries span the outage whatever the
    // machine's speed.
    const base = (extra: Partial<RecoverOptions> = {}): RecoverOptions => ({
        from: `${prefix}Orders_Restore`,
        into: `${prefix}Orders`,
        endpoint: proxy.endpoint,
        region: local.region,
        credentials: local.credentials,
        apply: true,
        pageSize: 10,
        segments: 2,
        retry: { baseDelayMs: 20, maxAttempts: 10, random: () => 0.999 },
        ...extra,
    });
    const live = () => snapshot(client, `${prefix}Orders`);

    it("rides out a server that goes away for half a second mid-run, reports the retries, writes each item once", async () => {
        let outage: Promise<void> | undefined;
        const report = await recoverItems(
            base({
                onProgress: () => {
                    outage ??= proxy.outage(500);
                },
            }),
        );
        await outage;
        assert.equal(report.complete, true);
        assert.ok(report.counts.connectionRetries > 0, "requests were refused during the outage");
        assert.equal(report.counts.sourceItems, 360);
        assert.equal(report.counts.written, LOST);
        assert.equal(report.counts.skippedByCondition, 0);
        assert.deepEqual(await live(), scenario.expectedAfter);
        assert.match(
            summarize(report),
            /retries: 0 after throttling, 0 for unprocessed keys, \d+ after dropped connections/,
        );
    });

    it("counts a write whose answer was lost as written once, not as skipped", async () => {
        // The first two PutItems reach the server, then their connection drops before the answer.
        const real = local.client();
        let lost = 2;
        const losing = {
            send: async (command: { constructor: { name: string } }) => {
                const output = await real.send(command as never);
                if (command.constructor.name === "PutItemCommand" && lost > 0) {
                    lost--;
                    throw Object.assign(new Error("socket hang up"), { name: "Error", code: "ECONNRESET" });
                }
                return output;
            },
        };
        const report = await recoverItems(base({ client: losing as never, endpoint: undefined }));
        real.destroy();
        assert.equal(report.counts.connectionRetries, 2);
        assert.equal(report.counts.written, LOST, "the two writes sent twice are counted once");
        assert.equal(report.counts.skippedByCondition, 0);
        assert.deepEqual(await live(), scenario.expectedAfter);
    });

    it("still skips a write refused because the application wrote the item, even after a dropped connection", async () => {
        const real = local.client();
        const raced = scenario.lost[0];
        const appVersion: Item = { ...raced, status: { S: "RE-ORDERED" } };
        let dropped = false;
        const racing = {
            send: async (command: { constructor: { name: string }; input: { Item?: Item } }) => {
                const mine =
                    command.constructor.name === "PutItemCommand" &&
                    canonical(keyOnly(command.input.Item!)) === canonical(keyOnly(raced));
                if (mine && !dropped) {
                    // Lost before reaching the server; meanwhile the application writes the item.
                    dropped = true;
                    await real.send(
                        new PutItemCommand({
                            TableName: `${prefix}Orders`,
                            Item: appVersion,
                        }),
                    );
                    throw Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
                }
                return real.send(command as never);
            },
        };
        const report = await recoverItems(base({ client: racing as never, endpoint: undefined }));
        real.destroy();
        assert.equal(report.counts.written, LOST - 1);
        assert.equal(report.counts.skippedByCondition, 1);
        assert.ok((await live()).includes(canonical(appVersion)), "the application's item stays");
    });

    it("stops with the connection error when an outage outlasts the retries, and resumes from its checkpoint", async () => {
        const checkpointFile = join(dir, `${prefix}checkpoint.json`);
        let outage: Promise<void> | undefined;
        await assert.rejects(
            recoverItems(
                base({
                    checkpointFile,
                    retry: { baseDelayMs: 1, maxAttempts: 3 },
                    onProgress: (p) => {
                        if (p.counts.sourceItems >= 100) outage ??= proxy.outage(400);
                    },
                }),
            ),
            (error: Error & { code?: string }) => error.code === "ECONNRESET",
        );
        await outage;
        const resumed = await recoverItems(base({ checkpointFile }));
        assert.equal(resumed.resumed, true);
        assert.equal(resumed.complete, true);
        assert.equal(resumed.counts.sourceItems, 360, "each restored item counted once across both runs");
        assert.deepEqual(await live(), scenario.expectedAfter);
        const again = await recoverItems(base({ checkpointFile }));
        assert.equal(again.counts.written, 0, "nothing is written twice");
        assert.equal(again.counts.missing, 0);
    });
});
