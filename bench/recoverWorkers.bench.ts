// Worker mode's throughput: 1, 2, 4 and 8 `recover --apply --workers N` processes (the built
// command, as an engine runs it) sharing a state folder, each talking to dynalite through the
// delaying proxy at a 10 ms round trip (BENCH_RECOVER_WORKERS_RTT). Each worker gets the rate limit
// one process has by default (1,000 WCU), so the job's --rate-limit-wcu is 1,000 x N, and the
// question is how close N workers come to N times one worker. Target: at least 0.8 x N up to 8.
// On a small machine the server, the proxy and the workers share the same cores: the table says
// how much CPU was there (the server's CPU per item is printed beside it).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startDynalite } from "../tests/support/dynalite";
import { envCount, ratio, round, type BenchResult } from "./measure";
import { startProxyProcess } from "./proxyProcess";
import { createTable, ensureBuilt, load, orderItem } from "./recover.bench";
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

export async function bench(): Promise<BenchResult> {
    const items = envCount("BENCH_RECOVER_WORKERS_ITEMS", 8_000);
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
    try {
        await createTable(direct, "W_Restore");
        await load(direct, "W_Restore", items, orderItem);
        let one: number | undefined;
        for (const n of workerCounts) {
            const live = `W_Live_${n}`;
            await createTable(direct, live);
            const state = join(dir, `state-${n}`);
            const env = {
                ...process.env,
                AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
                AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
                AWS_EC2_METADATA_DISABLED: "true",
            };
            const started = process.hrtime.bigint();
            const runs = await Promise.all(
                Array.from({ length: n }, (_, i) =>
                    runCommand(
                        process.execPath,
                        [
                            CLI,
                            "recover",
                            "--from",
                            "W_Restore",
                            "--into",
                            live,
                            "--apply",
                            "--rate-limit-wcu",
                            String(1000 * n),
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
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const failed = runs.find((r) => r.code !== 0);
            if (failed)
                throw new Error(
                    `a worker of ${n} exited with ${failed.code}: ${failed.stderr.trim().split("\n").pop()}`,
                );
            const written = runs.reduce(
                (sum, _, i) =>
                    sum +
                    (
                        JSON.parse(readFileSync(join(dir, `report-${n}-${i}.json`), "utf8")) as {
                            counts: { written: number };
                        }
                    ).counts.written,
                0,
            );
            if (written !== items) throw new Error(`${n} workers wrote ${written} of ${items} items.`);
            const rate = items / seconds;
            one ??= n === 1 ? rate : undefined;
            rows.push({
                workers: n,
                seconds: round(seconds, 2),
                "items/s": Math.round(rate),
                "per worker /s": Math.round(rate / n),
                "x one worker": one ? ratio(rate, one) : "n/a",
                "target (0.8 x N)": one ? `${round(0.8 * n, 1)}x` : "",
                "peak RSS MB (max worker)": round(Math.max(...runs.map((r) => r.peakRssMb ?? 0)), 1),
            });
        }
        notes.push(
            `${items} items (BENCH_RECOVER_WORKERS_ITEMS), all missing; ${rtt} ms round trip; each worker 1,000 WCU (the job's --rate-limit-wcu 1,000 x N); from the first spawn to the last exit; ${cpus().length} cores shared by the workers, dynalite and the proxy.`,
        );
        return { title: "recover: worker processes through a delaying proxy", rows, notes };
    } finally {
        direct.destroy();
        await proxy.stop();
        await local.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}
