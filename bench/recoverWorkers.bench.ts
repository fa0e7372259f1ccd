// Worker mode's throughput: 1, 2, 4 and 8 `recover --apply --workers N` processes (the built
// command, as an engine runs it) sharing a state folder, each talking to dynalite through the
// delaying proxy at a 10 ms round trip (BENCH_RECOVER_WORKERS_RTT). Target: N workers recover at
// least 0.8 x N times what one worker does, up to 8.
//
// What is measured, and why so:
// - Weak scaling: every worker's share is the same size (BENCH_RECOVER_WORKERS_ITEMS_PER_WORKER,
//   default 2,500 items, all missing), so N workers recover N times as many items. That is the
//   question a user splitting a large table asks: does each worker still do what one does alone?
// - Throughput is the items of the job over its work window: from the first worker's start to the
//   last worker's finish, as their reports record them. Beside it, from the first spawn to the last
//   exit, which adds each process's start (Node and the AWS SDK loading, about 0.3 s of CPU each:
//   nothing over a job of hours, but here N of them share two cores).
// - Every worker has the same rate limit, R WCU (the job's --rate-limit-wcu is N x R). Against
//   DynamoDB each worker runs on its own machine and the table's capacity is the bound; here one
//   dynalite process, the proxy and all the workers share this machine's cores. So R is chosen for
//   the largest N to stay within what this server sustains, measured first in the same run
//   (conditional PutItems, 256 in flight, through the same proxy): R = 70% of that / the largest N,
//   at most 1,000 (one process's default). Set BENCH_RECOVER_WORKER_WCU to choose R (1000 shows
//   the server's ceiling instead of the workers' scaling). The CPU column says how busy the machine
//   was: the workers', dynalite's and the proxy's CPU seconds over the cores' seconds.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynalite } from "../tests/support/dynalite";
import { cpuSeconds, envCount, ratio, round, type BenchResult } from "./measure";
import { startProxyProcess } from "./proxyProcess";
import { createTable, ensureBuilt, load, orderItem, sustained } from "./recover.bench";
import { runCommand } from "./runCommand";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "bin", "cli", "main.js");

function counts(name: string, fallback: string): number[] {
    const raw = process.env[name] ?? fallback;
    const values = raw.split(",").map((v) => Number(v.trim()));
    if (values.some((v) => !Number.isInteger(v) || v < 1))
        throw new Error(
            `${name} is "${raw}"; it must be a comma-separated list of whole numbers of at least 1.`,
        );
    return values;
}

interface WorkerReport {
    startedAt: string;
    finishedAt: string;
    counts: { written: number };
}

export async function bench(): Promise<BenchResult> {
    const perWorker = envCount("BENCH_RECOVER_WORKERS_ITEMS_PER_WORKER", 2_500);
    const rtt = envCount("BENCH_RECOVER_WORKERS_RTT", 10);
    const workerCounts = counts("BENCH_RECOVER_WORKER_COUNTS", "1,2,4,8");
    const notes: string[] = [];
    const built = ensureBuilt();
    if (built) notes.push(built);
    const local = await startDynalite({ childProcess: true });
    const direct = local.client();
    const proxy = await startProxyProcess(Number(new URL(local.endpoint).port));
    await proxy.setDelay(rtt / 2);
    const rows: Array<Record<string, string | number>> = [];
    const dir = mkdtempSync(join(tmpdir(), "bench-workers-"));
    const cores = cpus().length;
    try {
        await createTable(direct, "W_Sustain");
        const viaProxy = new DynamoDBClient({
            endpoint: proxy.endpoint,
            region: local.region,
            credentials: local.credentials,
        });
        const measured = await sustained(viaProxy, "W_Sustain", 4_000);
        const sustains = measured.written / measured.seconds;
        viaProxy.destroy();
        const largest = Math.max(...workerCounts);
        const wcu =
            process.env.BENCH_RECOVER_WORKER_WCU !== undefined
                ? envCount("BENCH_RECOVER_WORKER_WCU", 1000)
                : Math.max(10, Math.min(1000, Math.floor((0.7 * sustains) / largest)));
        let one: number | undefined;
        for (const n of workerCounts) {
            const items = n * perWorker;
            const restored = `W_Restore_${n}`;
            const live = `W_Live_${n}`;
            await createTable(direct, restored);
            await load(direct, restored, items, orderItem);
            await createTable(direct, live);
            const state = join(dir, `state-${n}`);
            const env = {
                ...process.env,
                AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
                AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
                AWS_EC2_METADATA_DISABLED: "true",
            };
            const serverBefore = cpuSeconds(local.pid);
            const proxyBefore = cpuSeconds(proxy.pid);
            const started = process.hrtime.bigint();
            const runs = await Promise.all(
                Array.from({ length: n }, (_, i) =>
                    runCommand(
                        process.execPath,
                        [
                            CLI,
                            "recover",
                            "--from",
                            restored,
                            "--into",
                            live,
                            "--apply",
                            "--rate-limit-wcu",
                            String(wcu * n),
                            "--workers",
                            String(n),
                            "--worker",
                            String(i),
                            "--state",
                            state,
                            "--endpoint",
                            proxy.endpoint,
                            "--region",
                            local.region,
                            "--report",
                            join(dir, `report-${n}-${i}.json`),
                        ],
                        env,
                    ),
                ),
            );
            const wall = Number(process.hrtime.bigint() - started) / 1e9;
            const failed = runs.find((r) => r.code !== 0);
            if (failed)
                throw new Error(
                    `a worker of ${n} exited with ${failed.code}: ${failed.stderr.trim().split("\n").pop()}`,
                );
            const reports = runs.map(
                (_, i) =>
                    JSON.parse(readFileSync(join(dir, `report-${n}-${i}.json`), "utf8")) as WorkerReport,
            );
            const written = reports.reduce((sum, r) => sum + r.counts.written, 0);
            if (written !== items) throw new Error(`${n} workers wrote ${written} of ${items} items.`);
            const window =
                (Math.max(...reports.map((r) => Date.parse(r.finishedAt))) -
                    Math.min(...reports.map((r) => Date.parse(r.startedAt)))) /
                1000;
            const rate = items / window;
            one ??= n === 1 ? rate : undefined;
            const used =
                runs.reduce((sum, r) => sum + (r.cpuSeconds ?? 0), 0) +
                ((cpuSeconds(local.pid) ?? 0) - (serverBefore ?? 0)) +
                ((cpuSeconds(proxy.pid) ?? 0) - (proxyBefore ?? 0));
            rows.push({
                workers: n,
                items,
                "work window s": round(window, 2),
                "items/s": Math.round(rate),
                "per worker /s": Math.round(rate / n),
                "slowest worker s": round(
                    Math.max(
                        ...reports.map((r) => (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000),
                    ),
                    2,
                ),
                "x one worker": one ? ratio(rate, one) : "n/a",
                "target (0.8 x N)": one ? `${round(0.8 * n, 1)}x` : "",
                "spawn to exit items/s": Math.round(items / wall),
                "CPU busy": `${Math.round((100 * used) / (cores * wall))}%`,
                "peak RSS MB (max worker)": round(Math.max(...runs.map((r) => r.peakRssMb ?? 0)), 1),
            });
        }
        notes.push(
            `${perWorker.toLocaleString("en-US")} items per worker (BENCH_RECOVER_WORKERS_ITEMS_PER_WORKER), all missing; ${rtt} ms round trip; each worker ${wcu} WCU (the job's --rate-limit-wcu ${wcu} x N), ${process.env.BENCH_RECOVER_WORKER_WCU !== undefined ? "from BENCH_RECOVER_WORKER_WCU" : `70% of the ${Math.round(sustains).toLocaleString("en-US")} conditional writes/s this server sustains through the proxy, over ${largest} workers`}; items/s over the work window (first start to last finish in the reports); ${cores} cores shared by the workers, dynalite and the proxy.`,
        );
        return { title: "recover: worker processes through a delaying proxy", rows, notes };
    } finally {
        direct.destroy();
        await proxy.stop();
        await local.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}
