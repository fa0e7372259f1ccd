// Items recovered per second through a real round trip, and recover's memory as the table grows.
//
// Throughput. dynalite runs in its own process; between it and every client sits a TCP proxy on
// 127.0.0.1, in a process of its own too, that holds each chunk for half the round trip in each direction (0, 2, 10 and 50 ms
// round trips by default), so every request pays the latency a client outside the table's Region
// or AZ pays. At each round trip, on the same BENCH_RECOVER_ITEMS items (default 10,000):
// - the naive loop: Scan the restored table, then one conditional PutItem at a time, with a plain
//   SDK client. It runs for at most BENCH_RECOVER_NAIVE_SECONDS (default 8 s; at 50 ms it would
//   need minutes for 10,000 items); its rate is steady from the first page on;
// - what the server sustains: the same conditional PutItems into an empty table, 256 in flight,
//   no reads and no comparisons: the ceiling for any recovery through this proxy on this machine;
// - the `recover` command as a user runs it: `node bin/cli/main.js recover --apply` in its own
//   process, from spawn to exit, with its default rate limit (1,000 WCU for an on-demand table).
// Targets: at 10 ms, recover >= 10x the naive loop; at every round trip, recover >= 80% of
// min(rate limit, server sustains).
//
// Memory. For each size in BENCH_RECOVER_MEMORY (default 30,000 and 100,000, a few minutes; set
// "100000,1000000" for the 1,000,000-item figure, which takes about half an hour here), a restored
// table of small items and an empty live table (every item missing, the worst case; set
// BENCH_RECOVER_MEMORY_LIVE=most for a live table that lacks 1% of them), then a dry run and an
// --apply run of the command (no proxy, no rate limit), each measured from outside: wall time and
// peak RSS. Target: at most 25 bytes of peak RSS per item from the smallest size to the largest.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    BatchWriteItemCommand,
    CreateTableCommand,
    DeleteTableCommand,
    DescribeTableCommand,
    DynamoDBClient,
    PutItemCommand,
    ScanCommand,
    type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { recoveryClientConfig } from "../cli/recover/recover";
import { startDynalite, type LocalDynamo } from "../tests/support/dynalite";
import { cpuSeconds, envCount, ratio, round, type BenchResult } from "./measure";
import { startProxyProcess } from "./proxyProcess";
import { runCommand } from "./runCommand";

type Item = Record<string, AttributeValue>;

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "bin", "cli", "main.js");
/** Writes in flight when measuring what the server sustains. */
const SUSTAIN_IN_FLIGHT = 256;

export function table(name: string) {
    return new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
            { AttributeName: "customerId", AttributeType: "S" },
            { AttributeName: "orderId", AttributeType: "S" },
        ],
        KeySchema: [
            { AttributeName: "customerId", KeyType: "HASH" },
            { AttributeName: "orderId", KeyType: "RANGE" },
        ],
    });
}

/** An order of about 260 bytes: one write capacity unit. */
export function orderItem(i: number): Item {
    return {
        customerId: { S: `C-${i % 1000}` },
        orderId: { S: `2025-09-24T10:00:00Z#${String(i).padStart(7, "0")}` },
        total: { N: String(i % 977) },
        status: { S: "SHIPPED" },
        lines: { S: "x".repeat(200) },
    };
}

/** A small item (small keys, one number), as in the memory measurements. */
function smallItem(i: number): Item {
    return { customerId: { S: `C${i % 5000}` }, orderId: { S: String(i) }, n: { N: String(i % 100) } };
}

export async function createTable(client: DynamoDBClient, name: string): Promise<void> {
    await client.send(table(name));
    while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== "ACTIVE")
        await new Promise((resolve) => setTimeout(resolve, 10));
}

/** BatchWriteItem, 25 items a request, 8 requests in flight. */
export async function load(
    client: DynamoDBClient,
    name: string,
    items: number,
    make: (i: number) => Item | undefined,
) {
    let next = 0;
    const worker = async () => {
        while (next < items) {
            const batch = [];
            for (; next < items && batch.length < 25; next++) {
                const item = make(next);
                if (item) batch.push({ PutRequest: { Item: item } });
            }
            let pending = batch;
            while (pending.length) {
                const out = await client.send(
                    new BatchWriteItemCommand({ RequestItems: { [name]: pending } }),
                );
                pending = (out.UnprocessedItems?.[name] ?? []) as typeof batch;
            }
        }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
}

/** Scan, then one conditional PutItem at a time, until done or `seconds` have passed. */
async function naiveLoop(client: DynamoDBClient, from: string, into: string, seconds: number) {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    let written = 0;
    let start: Item | undefined;
    do {
        const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) {
            await client.send(
                new PutItemCommand({
                    TableName: into,
                    Item: item,
                    ConditionExpression: "attribute_not_exists(customerId)",
                }),
            );
            written++;
            if (elapsed() >= seconds) return { written, seconds: elapsed() };
        }
        start = page.LastEvaluatedKey;
    } while (start);
    return { written, seconds: elapsed() };
}

/** The same conditional PutItems, `SUSTAIN_IN_FLIGHT` at a time, nothing else. */
export async function sustained(client: DynamoDBClient, into: string, items: number) {
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
        while (next < items) {
            const item = orderItem(next++);
            await client.send(
                new PutItemCommand({
                    TableName: into,
                    Item: item,
                    ConditionExpression: "attribute_not_exists(customerId)",
                }),
            );
        }
    };
    await Promise.all(Array.from({ length: SUSTAIN_IN_FLIGHT }, worker));
    return { written: items, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Rebuilds bin/ when a recovery source is newer than its compiled file, so that the command run is this code. */
export function ensureBuilt(): string | undefined {
    const stale = readdirSync(join(ROOT, "cli", "recover")).some((f) => {
        const compiled = join(ROOT, "bin", "cli", "recover", f.replace(/\.ts$/, ".js"));
        try {
            return statSync(join(ROOT, "cli", "recover", f)).mtimeMs > statSync(compiled).mtimeMs;
        } catch {
            return true;
        }
    });
    if (!stale) return undefined;
    execFileSync(
        process.execPath,
        [require.resolve("typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")],
        {
            stdio: "inherit",
        },
    );
    return "bin/ was rebuilt first (tsc -p tsconfig.build.json), not counted.";
}

interface RecoverRun {
    readonly seconds: number;
    readonly peakRssMb?: number;
    readonly cpuSeconds?: number;
    readonly report: {
        counts: { written: number; sourceItems: number; liveItems: number };
        rateLimitWcu: number;
        peakWritesInFlight?: number;
    };
}

async function recoverCommand(local: LocalDynamo, endpoint: string, args: string[]): Promise<RecoverRun> {
    const dir = mkdtempSync(join(tmpdir(), "bench-recover-"));
    const reportFile = join(dir, "report.json");
    try {
        const run = await runCommand(
            process.execPath,
            [
                CLI,
                "recover",
                ...args,
                "--endpoint",
                endpoint,
                "--region",
                local.region,
                "--report",
                reportFile,
            ],
            {
                ...process.env,
                AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
                AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
                AWS_EC2_METADATA_DISABLED: "true",
            },
        );
        if (run.code !== 0)
            throw new Error(`recover exited with ${run.code}: ${run.stderr.trim().split("\n").pop()}`);
        return {
            seconds: run.seconds,
            peakRssMb: run.peakRssMb,
            cpuSeconds: run.cpuSeconds,
            report: JSON.parse(readFileSync(reportFile, "utf8")),
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Runs one step of the bench; a failure names the step. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
    }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */

/** Milliseconds of the server's CPU per item between two readings. */
function serverMsPerItem(
    before: number | undefined,
    after: number | undefined,
    items: number,
): number | string {
    return before === undefined || after === undefined ? "n/a" : round(((after - before) * 1000) / items, 2);
}

function list(name: string, fallback: string): number[] {
    const raw = process.env[name] ?? fallback;
    if (raw.trim() === "") return [];
    const values = raw.split(",").map((v) => Number(v.trim()));
    if (values.some((v) => !Number.isInteger(v) || v < 0))
        throw new Error(`${name} is "${raw}"; it must be a comma-separated list of whole numbers.`);
    return values;
}

export async function bench(): Promise<BenchResult> {
    const items = envCount("BENCH_RECOVER_ITEMS", 10_000);
    const naiveSeconds = envCount("BENCH_RECOVER_NAIVE_SECONDS", 8);
    const roundTrips = list("BENCH_RECOVER_RTTS", "0,2,10,50");
    const memorySizes = list("BENCH_RECOVER_MEMORY", "30000,100000");
    const memoryLive = process.env.BENCH_RECOVER_MEMORY_LIVE ?? "empty";
    if (memoryLive !== "empty" && memoryLive !== "most")
        throw new Error(`BENCH_RECOVER_MEMORY_LIVE is "${memoryLive}"; it must be empty or most.`);
    const notes: string[] = [];
    const built = ensureBuilt();
    if (built) notes.push(built);

    const local = await startDynalite({ childProcess: true });
    const direct = local.client();
    const proxy = await startProxyProcess(Number(new URL(local.endpoint).port));
    const where = { endpoint: proxy.endpoint, region: local.region, credentials: local.credentials };
    const plain = new DynamoDBClient(where);
    // The SDK's own retries (3 attempts) cover a keep-alive connection closed under a request.
    const wide = new DynamoDBClient({
        ...recoveryClientConfig({ ...where, concurrency: SUSTAIN_IN_FLIGHT }),
        maxAttempts: 3,
    });
    const rows: Array<Record<string, string | number>> = [];
    try {
        await createTable(direct, "Orders_Restore");
        await load(direct, "Orders_Restore", items, orderItem);
        // Warm-up: each method once, on a few items, so that none pays for loading code paths.
        await createTable(direct, "Warm_Restore");
        await load(direct, "Warm_Restore", 300, orderItem);
        for (const name of ["Warm_Naive", "Warm_Sustain", "Warm_Recover"]) await createTable(direct, name);
        await naiveLoop(plain, "Warm_Restore", "Warm_Naive", 1);
        await sustained(wide, "Warm_Sustain", 300);
        await recoverCommand(local, proxy.endpoint, [
            "--from",
            "Warm_Restore",
            "--into",
            "Warm_Recover",
            "--apply",
        ]);

        for (const rtt of roundTrips) {
            await proxy.setDelay(rtt / 2);
            for (const name of [`Naive_${rtt}`, `Sustain_${rtt}`, `Recover_${rtt}`])
                await createTable(direct, name);
            const naive = await step(`naive loop at ${rtt} ms`, () =>
                naiveLoop(plain, "Orders_Restore", `Naive_${rtt}`, naiveSeconds),
            );
            const cpu0 = cpuSeconds(local.pid);
            const client0 = process.cpuUsage();
            const server = await step(`server sustains at ${rtt} ms`, () =>
                sustained(wide, `Sustain_${rtt}`, items),
            );
            const client1 = process.cpuUsage(client0);
            const cpu1 = cpuSeconds(local.pid);
            const run = await step(`recover at ${rtt} ms`, () =>
                recoverCommand(local, proxy.endpoint, [
                    "--from",
                    "Orders_Restore",
                    "--into",
                    `Recover_${rtt}`,
                    "--apply",
                ]),
            );
            const cpu2 = cpuSeconds(local.pid);
            if (run.report.counts.written !== items)
                throw new Error(`recover wrote ${run.report.counts.written} of ${items} items at ${rtt} ms.`);
            const naiveRate = naive.written / naive.seconds;
            const serverRate = server.written / server.seconds;
            const recoverRate = items / run.seconds;
            const ceiling = Math.min(run.report.rateLimitWcu, serverRate);
            rows.push({
                "round trip ms": rtt,
                "naive /s": Math.round(naiveRate),
                "naive items (s)": `${naive.written} (${round(naive.seconds)})`,
                "server sustains /s": Math.round(serverRate),
                "recover /s": Math.round(recoverRate),
                "recover s": round(run.seconds, 2),
                "recover / naive": ratio(recoverRate, naiveRate),
                "rate limit WCU": run.report.rateLimitWcu,
                "recover / min(limit, server)": `${Math.round((100 * recoverRate) / ceiling)}%`,
                "peak in flight": run.report.peakWritesInFlight ?? "",
                "server CPU ms/item: sustain": serverMsPerItem(cpu0, cpu1, items),
                "server CPU ms/item: recover": serverMsPerItem(cpu1, cpu2, items),
                "client CPU ms/item: sustain": round((client1.user + client1.system) / 1000 / items, 2),
                "client CPU ms/item: recover":
                    run.cpuSeconds === undefined ? "n/a" : round((run.cpuSeconds * 1000) / items, 2),
            });
        }
        notes.push(
            `recover: the whole command (node start, describe, compare, write, live-only pass, report), ${items} items, all missing from the live table, 1 WCU each.`,
            "Targets: at 10 ms, recover / naive >= 10x; at every round trip, recover >= 80% of min(rate limit, server sustains).",
        );

        // A worker (--workers 1 --worker 0 --state): the whole table as its share, with its claim,
        // heartbeat and checkpoints in a state folder, into a live table of its own.
        const stateDir = mkdtempSync(join(tmpdir(), "bench-recover-state-"));
        const memoryModes = [
            { label: "dry run", own: false, args: [] as string[] },
            // Memory, not pacing, is measured: the writes are not held to a rate limit.
            { label: "--apply", own: false, args: ["--apply", "--rate-limit-wcu", "1000000"] },
            {
                label: "worker, --apply",
                own: true,
                args: ["--apply", "--rate-limit-wcu", "1000000", "--workers", "1", "--worker", "0"],
            },
        ];
        for (const [i, size] of memorySizes.entries()) {
            const restored = `Mem${i}_Restore`;
            const live = `Mem${i}`;
            const workerLive = `Mem${i}_Worker`;
            await step(`loading ${size} items`, async () => {
                await createTable(direct, restored);
                await load(direct, restored, size, smallItem);
                for (const table of [live, workerLive]) {
                    await createTable(direct, table);
                    if (memoryLive === "most")
                        await load(direct, table, size, (n) => (n % 100 === 0 ? undefined : smallItem(n)));
                }
            });
            for (const mode of memoryModes) {
                const run = await step(`memory at ${size} items`, () =>
                    recoverCommand(local, local.endpoint, [
                        "--from",
                        restored,
                        "--into",
                        mode.own ? workerLive : live,
                        ...mode.args,
                        ...(mode.own ? ["--state", join(stateDir, String(size))] : []),
                    ]),
                );
                if (run.report.counts.sourceItems !== size)
                    throw new Error(`recover read ${run.report.counts.sourceItems} of ${size} items.`);
                rows.push({
                    "round trip ms": `memory: ${size.toLocaleString("en-US")} items, ${mode.label}`,
                    "recover /s": Math.round(size / run.seconds),
                    "recover s": round(run.seconds, 1),
                    "peak RSS MB": run.peakRssMb === undefined ? "n/a" : round(run.peakRssMb, 1),
                });
            }
            for (const table of [restored, live, workerLive])
                await direct.send(new DeleteTableCommand({ TableName: table }));
        }
        rmSync(stateDir, { recursive: true, force: true });
        const memory = rows.filter((r) => typeof r["peak RSS MB"] === "number");
        for (const mode of memoryModes.map((m) => m.label)) {
            const runs = memory.filter((r) => String(r["round trip ms"]).endsWith(`items, ${mode}`));
            if (runs.length >= 2) {
                const [small, large] = [runs[0], runs[runs.length - 1]];
                const items = (r: Record<string, string | number>) =>
                    Number(/([\d,]+) items/.exec(String(r["round trip ms"]))![1].replace(/,/g, ""));
                const growth =
                    ((Number(large["peak RSS MB"]) - Number(small["peak RSS MB"])) * 1024 * 1024) /
                    (items(large) - items(small));
                rows.push({
                    "round trip ms": `memory: ${mode}, largest / smallest`,
                    "peak RSS MB": ratio(Number(large["peak RSS MB"]), Number(small["peak RSS MB"])),
                    "bytes per item": Math.round(growth),
                });
            }
        }
        notes.push(
            `Memory: sizes ${memorySizes.join(", ")} (BENCH_RECOVER_MEMORY; "100000,1000000" for the 1M figure, about half an hour); small items; the live table ${memoryLive === "empty" ? "empty (every item missing, the worst case)" : "lacks 1% of them"} (BENCH_RECOVER_MEMORY_LIVE=empty|most); --apply without a rate limit; the worker is --workers 1 --worker 0 with a state folder (claim, heartbeat, checkpoints), the whole table its share; no proxy. Target: at most 25 bytes of peak RSS per item from the smallest size to the largest.`,
        );
        return { title: `recover: items per second through a delaying proxy, and peak memory`, rows, notes };
    } finally {
        plain.destroy();
        wide.destroy();
        direct.destroy();
        await proxy.stop();
        await local.stop();
    }
}
