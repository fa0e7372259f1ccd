// recoverItems against a real DynamoDB-compatible server (dynalite), with the seed's accident as data.
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../cli/recover/attributes";
import type { RecoverOptions } from "../../../cli/recover/options";
import { recoverItems } from "../../../cli/recover/recover";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import {
    buildScenario,
    canonical,
    keyOnly,
    LOST,
    order,
    ordersTable,
    putAll,
    putOne,
    snapshot,
    uniquePrefix,
    VICTIM,
    type Scenario,
} from "./scenario";

function toPlainKey(item: Item): Record<string, unknown> {
    return { customerId: item.customerId.S, orderId: item.orderId.S };
}

describe("recoverItems against dynalite", () => {
    let local: LocalDynamo;
    let client: DynamoDBClient;
    let dir: string;

    before(async () => {
        local = await startDynalite();
        client = local.client();
        dir = mkdtempSync(join(tmpdir(), "recover-"));
    });
    after(async () => {
        client.destroy();
        await local.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    let prefix: string;
    let scenario: Scenario;
    beforeEach(async () => {
        prefix = uniquePrefix();
        scenario = await buildScenario(client, prefix);
    });

    const base = (extra: Partial<RecoverOptions> = {}): RecoverOptions => ({
        from: `${prefix}Orders_Restore`,
        into: `${prefix}Orders`,
        endpoint: local.endpoint,
        region: local.region,
        credentials: local.credentials,
        retry: { baseDelayMs: 1 },
        ...extra,
    });
    const live = () => snapshot(client, `${prefix}Orders`);

    it("dry run reports the lost, differing and live-only items and writes nothing", async () => {
        const before = await live();
        const report = await recoverItems(base());
        assert.deepEqual(await live(), before);
        assert.equal(report.apply, false);
        assert.equal(report.complete, true);
        assert.deepEqual(
            {
                sourceItems: report.counts.sourceItems,
                missing: report.counts.missing,
                differing: report.counts.differing,
                identical: report.counts.identical,
                onlyInLive: report.counts.onlyInLive,
                toWrite: report.counts.toWrite,
                written: report.counts.written,
            },
            {
                sourceItems: 360,
                missing: LOST,
                differing: 1,
                identical: 353,
                onlyInLive: 3,
                toWrite: LOST,
                written: 0,
            },
        );
        assert.equal(report.samples.missing.length, LOST);
        assert.ok(report.samples.missing.every((k) => k.customerId === VICTIM));
        assert.deepEqual(report.samples.differing[0].attributes, ["status", "updatedAt"]);
        assert.deepEqual(report.samples.onlyInLive.map((k) => k.customerId).sort(), ["C-03", "C-05", "C-09"]);
        assert.match(report.plan.source, /Scan in 4 parallel segment/);
    });

    it("apply brings C-07's orders back, changes nothing else, and a second run is a no-op", async () => {
        const first = await recoverItems(base({ apply: true, filter: { partitionKeyValues: [VICTIM] } }));
        assert.equal(first.counts.written, LOST);
        assert.equal(first.counts.sourceItems, 30, "Query reads only C-07's orders");
        assert.match(first.plan.source, /^Query 1 partition key value/);
        assert.deepEqual(await live(), scenario.expectedAfter);
        assert.ok(
            (await live()).includes(canonical(scenario.updatedInLive)),
            "the order updated after the restore point is kept",
        );

        const second = await recoverItems(base({ apply: true, filter: { partitionKeyValues: [VICTIM] } }));
        assert.equal(second.counts.missing, 0);
        assert.equal(second.counts.toWrite, 0);
        assert.equal(second.counts.written, 0);
        assert.equal(second.counts.writeUnits, 0);
        assert.deepEqual(await live(), scenario.expectedAfter);
    });

    it("recovers the whole table by parallel Scan without touching other customers' newer orders", async () => {
        const report = await recoverItems(base({ apply: true, segments: 3 }));
        assert.equal(report.counts.written, LOST);
        assert.equal(report.counts.onlyInLive, 3);
        assert.deepEqual(await live(), scenario.expectedAfter);
    });

    it("filters a Scan with --where on a non-key attribute and a Query with a sort key prefix", async () => {
        const where = await recoverItems(
            base({ filter: { where: [{ attribute: "status", value: "SHIPPED" }] } }),
        );
        assert.equal(where.counts.missing, LOST);
        assert.equal(where.counts.differing, 1, "the filter selects by the restored item, which was SHIPPED");
        assert.equal(where.counts.onlyInLive, 3);

        const prefixed = await recoverItems(
            base({ apply: true, filter: { partitionKeyValues: [VICTIM], keyPrefix: "2025-09-24" } }),
        );
        assert.equal(prefixed.counts.sourceItems, 3);
        assert.equal(prefixed.counts.written, 3, "only the last day");
        const rest = await recoverItems(base({ filter: { partitionKeyValues: [VICTIM] } }));
        assert.equal(rest.counts.missing, 3, "the day before is still missing");
    });

    it("the live-only pass reads keys only and looks up only the keys the restored pass did not see", async () => {
        const realClient = local.client();
        const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
        const recording = {
            send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
                sent.push({ name: command.constructor.name, input: command.input });
                return realClient.send(command as never);
            },
        };
        const report = await recoverItems(base({ client: recording as never }));
        realClient.destroy();
        assert.equal(report.counts.onlyInLive, 3);
        assert.equal(report.counts.liveItems, 357);

        const liveScans = sent.filter(
            (c) => c.name === "ScanCommand" && c.input.TableName === `${prefix}Orders`,
        );
        assert.ok(liveScans.length > 0);
        for (const scan of liveScans) {
            const names = scan.input.ExpressionAttributeNames as Record<string, string>;
            const projected = String(scan.input.ProjectionExpression)
                .split(", ")
                .map((p) => names[p]);
            assert.deepEqual(projected, ["customerId", "orderId"]);
        }
        const restoredLookups = sent
            .filter((c) => c.name === "BatchGetItemCommand")
            .map(
                (c) =>
                    (c.input.RequestItems as Record<string, { Keys: Item[]; ProjectionExpression?: string }>)[
                        `${prefix}Orders_Restore`
                    ],
            )
            .filter((r) => r !== undefined);
        const looked = restoredLookups.flatMap((r) => r.Keys.map((k) => k.customerId.S));
        assert.deepEqual(
            looked.sort(),
            ["C-03", "C-05", "C-09"],
            "only the keys written after the restore point",
        );
        assert.ok(restoredLookups.every((r) => r.ProjectionExpression));
    });

    it("counts a live item as only in live only when no restored item has its key, whatever the filter", async () => {
        // The order updated in the live table is RETURNED there and SHIPPED in the restored table:
        // the restored pass does not select it, yet it is in the restored table.
        const report = await recoverItems(
            base({ filter: { where: [{ attribute: "status", value: "RETURNED" }] } }),
        );
        assert.equal(report.counts.sourceItems, 0);
        assert.equal(report.counts.liveItems, 1);
        assert.equal(report.counts.onlyInLive, 0);
    });

    it("recovers exactly the keys of a keys file, reading plain JSON keys", async () => {
        const keysFile = join(dir, `${prefix}keys.json`);
        const wanted = scenario.lost
            .slice(0, 2)
            .map((i) => ({ customerId: i.customerId.S, orderId: i.orderId.S }));
        writeFileSync(keysFile, JSON.stringify([...wanted, { customerId: "C-99", orderId: "nope" }]));
        const report = await recoverItems(base({ apply: true, keysFile }));
        assert.equal(report.plan.source, "look up 3 keys");
        assert.equal(report.counts.written, 2);
        assert.equal(report.counts.notFound, 1);
    });

    it("queries a global secondary index named with --index", async () => {
        const index = {
            AttributeDefinitions: [
                { AttributeName: "orderId", AttributeType: "S" as const },
                { AttributeName: "customerId", AttributeType: "S" as const },
            ],
            KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" as const }],
            GlobalSecondaryIndexes: [
                {
                    IndexName: "byCustomer",
                    KeySchema: [{ AttributeName: "customerId", KeyType: "HASH" as const }],
                    Projection: { ProjectionType: "ALL" as const },
                },
            ],
        };
        await client.send(new CreateTableCommand(ordersTable(`${prefix}ById_Restore`, index)));
        await client.send(new CreateTableCommand(ordersTable(`${prefix}ById`, index)));
        // In this table the order id alone is the key, so make it unique across customers.
        const byId = (i: (typeof scenario.restored)[number]) => ({
            ...i,
            orderId: { S: `${i.customerId.S}#${i.orderId.S}` },
        });
        const lostIds = new Set(scenario.lost.map((i) => byId(i).orderId.S));
        await putAll(client, `${prefix}ById_Restore`, scenario.restored.map(byId));
        await putAll(
            client,
            `${prefix}ById`,
            scenario.restored.map(byId).filter((i) => !lostIds.has(i.orderId.S)),
        );
        const report = await recoverItems(
            base({
                from: `${prefix}ById_Restore`,
                into: `${prefix}ById`,
                filter: { index: "byCustomer", where: [{ attribute: "customerId", value: VICTIM }] },
            }),
        );
        assert.equal(report.plan.source, "Query index byCustomer");
        assert.equal(report.counts.sourceItems, 30);
        assert.equal(report.counts.missing, LOST);
        assert.equal(report.counts.onlyInLive, 0);
        assert.match(report.plan.live!, /Query index byCustomer/);

        const scan = await recoverItems(
            base({
                from: `${prefix}ById_Restore`,
                into: `${prefix}ById`,
                filter: { where: [{ attribute: "customerId", value: VICTIM }] },
            }),
        );
        assert.equal(scan.counts.missing, report.counts.missing, "Query and Scan find the same items");
        assert.match(scan.notes.join(" "), /--index byCustomer/);
    });

    it("changed mode restores items older (or unversioned) in the live table and leaves newer ones", async () => {
        const table = `${prefix}Orders`;
        const older = order(VICTIM, 0, 0, { status: "CORRUPTED", updatedAt: "2025-09-01T00:00:00Z" });
        const unversioned = { ...keyOnly(order(VICTIM, 0, 1)), status: { S: "CORRUPTED" } };
        await putOne(client, table, older);
        await putOne(client, table, unversioned);

        const dry = await recoverItems(
            base({
                mode: "changed",
                compareAttribute: "updatedAt",
                filter: { partitionKeyValues: [VICTIM] },
            }),
        );
        assert.equal(dry.counts.toWrite, LOST + 2);
        assert.equal(dry.counts.skippedLiveNewer, 1);

        const report = await recoverItems(
            base({
                apply: true,
                mode: "changed",
                compareAttribute: "updatedAt",
                filter: { partitionKeyValues: [VICTIM] },
            }),
        );
        assert.equal(report.counts.written, LOST + 2);
        assert.equal(report.counts.skippedLiveNewer, 1, "the RETURNED order is newer in the live table");
        assert.deepEqual(await live(), scenario.expectedAfter);

        const again = await recoverItems(
            base({
                apply: true,
                mode: "changed",
                compareAttribute: "updatedAt",
                filter: { partitionKeyValues: [VICTIM] },
            }),
        );
        assert.equal(again.counts.written, 0);
    });

    it("never overwrites an item the application writes between the comparison and the write", async () => {
        const raced = scenario.lost[0];
        const appVersion = {
            ...raced,
            status: { S: "RE-ORDERED" },
            updatedAt: { S: "2025-09-25T13:00:00Z" },
        };
        const realClient = local.client();
        const racing = {
            send: async (command: {
                constructor: { name: string };
                input: { Item?: Record<string, unknown> };
            }) => {
                if (
                    command.constructor.name === "PutItemCommand" &&
                    canonical(keyOnly(command.input.Item as never)) === canonical(keyOnly(raced))
                ) {
                    await putOne(client, `${prefix}Orders`, appVersion);
                }
                return realClient.send(command as never);
            },
        };
        const report = await recoverItems(
            base({ client: racing as never, apply: true, filter: { partitionKeyValues: [VICTIM] } }),
        );
        realClient.destroy();
        assert.equal(report.counts.written, LOST - 1);
        assert.equal(report.counts.skippedByCondition, 1);
        assert.ok((await live()).includes(canonical(appVersion)));
    });

    it("retries throttled requests and unprocessed keys with backoff, and still recovers everything", async () => {
        const realClient = local.client();
        const failures: Record<string, { left: number; name?: string }> = {
            PutItemCommand: { left: 3, name: "ProvisionedThroughputExceededException" },
            ScanCommand: { left: 1, name: "ThrottlingException" },
            QueryCommand: { left: 1, name: "RequestLimitExceeded" },
            BatchGetItemCommand: { left: 2 },
        };
        let sent = 0;
        const flaky = {
            send: async (command: {
                constructor: { name: string };
                input: { RequestItems?: Record<string, unknown> };
            }) => {
                sent++;
                const failure = failures[command.constructor.name];
                if (failure && failure.left > 0) {
                    failure.left--;
                    if (failure.name) throw Object.assign(new Error("Rate exceeded"), { name: failure.name });
                    // Nothing processed: every key comes back as unprocessed.
                    return { Responses: {}, UnprocessedKeys: command.input.RequestItems };
                }
                return realClient.send(command as never);
            },
        };
        const report = await recoverItems(
            base({ client: flaky as never, apply: true, filter: { partitionKeyValues: [VICTIM] } }),
        );
        realClient.destroy();
        assert.equal(report.counts.throttledRetries, 4, "3 PutItem + 1 Query");
        assert.equal(report.counts.unprocessedRetries, 2);
        assert.equal(report.counts.written, LOST);
        assert.ok(sent > 0);
        assert.deepEqual(await live(), scenario.expectedAfter);
    });

    it("gives up with the throttling error once attempts run out, after writing only what succeeded", async () => {
        const realClient = local.client();
        const alwaysThrottled = {
            send: async (command: { constructor: { name: string } }) => {
                if (command.constructor.name === "PutItemCommand") {
                    throw Object.assign(new Error("Throughput exceeds the current capacity"), {
                        name: "ProvisionedThroughputExceededException",
                    });
                }
                return realClient.send(command as never);
            },
        };
        await assert.rejects(
            recoverItems(
                base({
                    client: alwaysThrottled as never,
                    apply: true,
                    retry: { baseDelayMs: 1, maxAttempts: 3 },
                }),
            ),
            { name: "ProvisionedThroughputExceededException" },
        );
        realClient.destroy();
    });

    it("lists every item that is not identical in the items file, page by page, and a resumed run continues it", async () => {
        const itemsFile = join(dir, `${prefix}items.jsonl`);
        const checkpointFile = join(dir, `${prefix}items-checkpoint.json`);
        const controller = new AbortController();
        const options = base({ apply: true, pageSize: 10, segments: 2, checkpointFile, itemsFile });
        const first = await recoverItems({
            ...options,
            signal: controller.signal,
            onProgress: (p) => {
                if (p.counts.sourceItems >= 150) controller.abort();
            },
        });
        assert.equal(first.interrupted, true);
        await recoverItems(options);
        const lines = readFileSync(itemsFile, "utf8")
            .trimEnd()
            .split("\n")
            .map((l) => JSON.parse(l));
        const of = (found: string) => lines.filter((l) => l.found === found);
        assert.equal(of("missing").length, LOST, "each lost order once, across both runs");
        assert.ok(of("missing").every((l) => l.outcome === "written" && l.key.customerId === VICTIM));
        assert.deepEqual(of("differing"), [
            {
                key: toPlainKey(scenario.updatedInLive),
                found: "differing",
                outcome: "left alone (mode missing)",
                attributes: ["status", "updatedAt"],
            },
        ]);
        assert.deepEqual(
            of("only in live")
                .map((l) => l.key.customerId)
                .sort(),
            ["C-03", "C-05", "C-09"],
        );
        assert.equal(lines.length, LOST + 1 + 3, "identical items are not listed");
    });

    it("resumes from its checkpoint after an interrupted run, without re-reading finished pages", async () => {
        const checkpointFile = join(dir, `${prefix}checkpoint.json`);
        const controller = new AbortController();
        const options = base({ apply: true, pageSize: 10, segments: 2, checkpointFile });
        const first = await recoverItems({
            ...options,
            signal: controller.signal,
            onProgress: (p) => {
                if (p.counts.sourceItems >= 150) controller.abort();
            },
        });
        assert.equal(first.interrupted, true);
        assert.equal(first.complete, false);
        const saved = JSON.parse(readFileSync(checkpointFile, "utf8"));
        assert.equal(saved.complete, false);
        assert.ok(Object.values(saved.units).some((u) => (u as { startKey?: unknown }).startKey));

        const second = await recoverItems(options);
        assert.equal(second.resumed, true);
        assert.equal(second.complete, true);
        assert.equal(second.counts.sourceItems, 360, "each restored item is counted once across both runs");
        assert.equal(second.counts.written, LOST);
        assert.deepEqual(await live(), scenario.expectedAfter);

        const third = await recoverItems(options);
        assert.equal(third.resumed, false, "a finished checkpoint starts a fresh pass");
        assert.equal(third.counts.written, 0);
    });
});
