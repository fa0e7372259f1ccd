// The pure parts of recovery: value comparison, capacity estimates, pacing, backoff, read planning.
import { strict as assert } from "node:assert";
import {
    compareNumbers,
    compareValues,
    itemsEqual,
    itemSizeBytes,
    writeUnits,
} from "../../../cli/recover/attributes";
import {
    filterAttributes,
    filterSelects,
    parseWhere,
    planReads,
    validateFilter,
} from "../../../cli/recover/filter";
import { parseKeys, type TableSchema } from "../../../cli/recover/keys";
import { RateLimiter, ConcurrencyLimiter, type Clock } from "../../../cli/recover/rateLimiter";
import { recoveryClientConfig } from "../../../cli/recover/recover";
import { backoffMs, isConnectionError, isRetryable, withRetry } from "../../../cli/recover/retry";

const schema: TableSchema = {
    tableName: "Orders",
    partitionKey: { name: "customerId", type: "S" },
    sortKey: { name: "orderId", type: "S" },
    indexes: [{ name: "byStatus", projection: "KEYS_ONLY", partitionKey: { name: "status", type: "S" } }],
};

function fakeClock(): Clock & { slept: number[] } {
    let now = 0;
    const slept: number[] = [];
    return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

describe("recovery building blocks", () => {
    describe("attribute values", () => {
        it("compares DynamoDB numbers exactly, beyond double precision", () => {
            assert.equal(compareNumbers("1.50", "1.5"), 0);
            assert.equal(compareNumbers("-2", "1"), -1);
            assert.equal(compareNumbers("0", "-0.0"), 0);
            assert.equal(
                compareNumbers(
                    "12345678901234567890123456789012345678",
                    "12345678901234567890123456789012345677",
                ),
                1,
            );
            assert.equal(compareNumbers("1e3", "999"), 1);
            assert.equal(compareNumbers("-10", "-9"), -1);
        });

        it("orders strings by UTF-8 bytes and refuses to order different types", () => {
            assert.equal(compareValues({ S: "2025-09-24T10:00:00Z" }, { S: "2025-09-25T09:00:00Z" }), -1);
            assert.equal(compareValues({ S: "\uffff" }, { S: "\u{1f600}" }), -1);
            assert.equal(compareValues({ S: "1" }, { N: "1" }), undefined);
        });

        it("treats sets as unordered and numbers by value when comparing items", () => {
            assert.ok(
                itemsEqual(
                    { a: { SS: ["x", "y"] }, n: { N: "1.0" } },
                    { a: { SS: ["y", "x"] }, n: { N: "1" } },
                ),
            );
            assert.ok(!itemsEqual({ a: { S: "x" } }, { a: { S: "x" }, b: { NULL: true } }));
            assert.ok(
                itemsEqual(
                    { m: { M: { l: { L: [{ B: Uint8Array.of(1) }] } } } },
                    { m: { M: { l: { L: [{ B: Uint8Array.of(1) }] } } } },
                ),
            );
        });

        it("estimates item size and write units as DynamoDB bills them", () => {
            assert.equal(itemSizeBytes({ id: { S: "abc" } }), 5);
            assert.equal(writeUnits({ id: { S: "abc" } }), 1);
            assert.equal(writeUnits({ d: { S: "x".repeat(1024) } }), 2);
        });
    });

    describe("filters", () => {
        it("parses --where at the first equals sign", () => {
            assert.deepEqual(parseWhere("note=a=b"), { attribute: "note", value: "a=b" });
            assert.throws(() => parseWhere("=x"), /`--where` is "=x"; it must read attribute=value/);
        });

        it("Queries when partition key values are given, with begins_with on the sort key", () => {
            const plan = planReads(
                { partitionKeyValues: ["C-1", "C-2"], keyPrefix: "2025-09-24" },
                schema,
                4,
            );
            assert.equal(plan.kind, "query");
            assert.equal(plan.units.length, 2);
            const unit = plan.units[0];
            assert.ok(unit.kind === "query");
            assert.equal(unit.request.KeyConditionExpression, "#n0 = :v0 AND begins_with(#n1, :v1)");
            assert.deepEqual(unit.request.ExpressionAttributeNames, {
                "#n0": "customerId",
                "#n1": "orderId",
            });
        });

        it("Scans in parallel segments otherwise, matching a numeric --where as number or string", () => {
            const plan = planReads({ where: [{ attribute: "total", value: "17" }] }, schema, 3);
            assert.equal(plan.kind, "scan");
            assert.deepEqual(
                plan.units.map((u) =>
                    u.kind === "scan" ? [u.request.Segment, u.request.TotalSegments] : [],
                ),
                [
                    [0, 3],
                    [1, 3],
                    [2, 3],
                ],
            );
            const unit = plan.units[0];
            assert.ok(unit.kind === "scan");
            assert.equal(unit.request.FilterExpression, "(#n0 = :v0 OR #n0 = :v1)");
            assert.deepEqual(unit.request.ExpressionAttributeValues, {
                ":v0": { S: "17" },
                ":v1": { N: "17" },
            });
        });

        it("splits a keys file into BatchGetItem-sized lookups", () => {
            const keys = parseKeys(
                Array.from({ length: 250 }, (_, i) => ({ customerId: "C", orderId: { S: String(i) } })),
                schema,
            );
            const plan = planReads({ keys }, schema, 4);
            assert.deepEqual(
                plan.units.map((u) => (u.kind === "keys" ? u.keys.length : 0)),
                [100, 100, 50],
            );
        });

        it("rejects an index that does not project whole items, and mixed filters", () => {
            assert.deepEqual(
                validateFilter({ index: "byStatus", where: [{ attribute: "status", value: "X" }] }, schema),
                [
                    "`--index` byStatus projects KEYS_ONLY; recovery copies whole items, so the index must project ALL.",
                ],
            );
            assert.match(validateFilter({ keys: [], keyPrefix: "a" }, schema)[0], /cannot be combined/);
        });
    });

    describe("pacing", () => {
        it("lets one second of capacity through at once, then paces at the rate", async () => {
            const clock = fakeClock();
            const limiter = new RateLimiter(10, clock);
            for (let i = 0; i < 10; i++) await limiter.acquire(1);
            assert.deepEqual(clock.slept, []);
            await limiter.acquire(5);
            assert.equal(clock.now(), 500);
        });

        it("can start empty, so that the first second writes no more than the limit", async () => {
            const clock = fakeClock();
            const limiter = new RateLimiter(10, clock, 0);
            assert.equal(await limiter.acquire(5), true, "it had to wait");
            assert.equal(clock.now(), 500);
            assert.equal(
                await new RateLimiter(10, fakeClock()).acquire(5),
                false,
                "a full bucket does not wait",
            );
        });

        it("lets an item larger than the bucket through after a full second", async () => {
            const clock = fakeClock();
            const limiter = new RateLimiter(2, clock);
            await limiter.acquire(2);
            await limiter.acquire(5);
            assert.equal(clock.now(), 1000);
        });

        it("keeps at most N tasks in flight", async () => {
            const limiter = new ConcurrencyLimiter(2);
            let active = 0;
            let peak = 0;
            await Promise.all(
                Array.from({ length: 6 }, () =>
                    limiter.run(async () => {
                        peak = Math.max(peak, ++active);
                        await new Promise((r) => setTimeout(r, 2));
                        active--;
                    }),
                ),
            );
            assert.equal(peak, 2);
        });
    });

    describe("retries", () => {
        it("backs off exponentially with full jitter, capped", () => {
            const top = { random: () => 0.999999, baseDelayMs: 50, maxDelayMs: 1000 };
            assert.deepEqual(
                [1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, top)),
                [49, 99, 199, 399, 799, 999],
            );
        });

        it("treats dropped, refused and timed-out connections and bare 5xx answers as retryable", () => {
            const codes = ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"];
            for (const code of codes)
                assert.ok(isConnectionError(Object.assign(new Error("x"), { code })), code);
            assert.ok(isConnectionError({ name: "TimeoutError" }));
            assert.ok(isConnectionError({ name: "Error", $metadata: { httpStatusCode: 502 } }));
            assert.ok(
                !isConnectionError({ name: "ValidationException", $metadata: { httpStatusCode: 400 } }),
            );
            assert.ok(
                !isConnectionError(Object.assign(new Error("x"), { code: "ENOTFOUND" })),
                "a wrong host is not transient",
            );
            assert.ok(isRetryable({ name: "ThrottlingException" }));
            assert.ok(!isRetryable({ name: "ConditionalCheckFailedException" }));
        });

        it("retries throttling errors only", async () => {
            const clock = fakeClock();
            let calls = 0;
            const result = await withRetry(
                async () => {
                    if (++calls < 3)
                        throw Object.assign(new Error("slow down"), { name: "ThrottlingException" });
                    return "ok";
                },
                { clock },
            );
            assert.equal(result, "ok");
            assert.equal(calls, 3);
            await assert.rejects(
                withRetry(async () => {
                    throw Object.assign(new Error("bad"), { name: "ValidationException" });
                }),
                { name: "ValidationException" },
            );
        });
    });

    describe("the client recoverItems builds", () => {
        it("resolves middleware once per command and keeps a keep-alive socket for every request in flight", () => {
            const config = recoveryClientConfig({ region: "eu-west-1" });
            assert.equal(config.maxAttempts, 1, "retries are recoverItems' own");
            assert.equal(config.cacheMiddleware, true);
            const handler = config.requestHandler as {
                httpsAgent: { keepAlive: boolean; maxSockets: number };
            };
            assert.deepEqual(handler.httpsAgent, { keepAlive: true, maxSockets: 50 });
            const wide = recoveryClientConfig({ concurrency: 100, segments: 8 }).requestHandler as {
                httpAgent: { maxSockets: number };
                httpsAgent: { maxSockets: number };
            };
            assert.equal(wide.httpAgent.maxSockets, 116);
            const timeouts = config.requestHandler as Record<string, unknown>;
            assert.equal(timeouts.connectionTimeout, 5_000);
            assert.equal(timeouts.requestTimeout, 60_000);
            assert.equal(timeouts.throwOnRequestTimeout, true, "a request that hangs fails, and is retried");
            assert.equal(wide.httpsAgent.maxSockets, 116);
        });
    });
});

describe("which items a filter selects, evaluated in memory (the live table's count)", () => {
    const item = (
        customerId: string,
        orderId: string,
        extra: Record<string, { S: string } | { N: string }> = {},
    ) => ({
        customerId: { S: customerId },
        orderId: { S: orderId },
        ...extra,
    });

    it("selects as the Query or Scan would: partition key values, key prefix, where clauses", () => {
        const filter = {
            partitionKeyValues: ["C-07"],
            keyPrefix: "2025-09-2",
            where: [{ attribute: "total", value: "12.50" }],
        };
        assert.equal(
            filterSelects(filter, schema, item("C-07", "2025-09-24#1", { total: { N: "12.5" } })),
            true,
        );
        assert.equal(
            filterSelects(filter, schema, item("C-08", "2025-09-24#1", { total: { N: "12.5" } })),
            false,
        );
        assert.equal(
            filterSelects(filter, schema, item("C-07", "2025-09-19#1", { total: { N: "12.5" } })),
            false,
        );
        assert.equal(
            filterSelects(filter, schema, item("C-07", "2025-09-24#1", { total: { N: "13" } })),
            false,
        );
        assert.equal(filterSelects(filter, schema, item("C-07", "2025-09-24#1")), false, "no such attribute");
        assert.equal(
            filterSelects(
                { where: [{ attribute: "status", value: "SHIPPED" }] },
                schema,
                item("C", "o", { status: { S: "SHIPPED" } }),
            ),
            true,
        );
    });

    it("an index holds only items that have its keys", () => {
        const filter = { index: "byStatus", where: [{ attribute: "status", value: "SHIPPED" }] };
        assert.equal(filterSelects(filter, schema, item("C", "o", { status: { S: "SHIPPED" } })), true);
        assert.equal(filterSelects(filter, schema, item("C", "o")), false);
    });

    it("names the attributes a lookup must read to decide: keys, where attributes, index keys", () => {
        assert.deepEqual(
            filterAttributes(
                {
                    index: "byStatus",
                    where: [
                        { attribute: "status", value: "x" },
                        { attribute: "total", value: "1" },
                    ],
                },
                schema,
            ),
            ["customerId", "orderId", "status", "total"],
        );
    });
});
