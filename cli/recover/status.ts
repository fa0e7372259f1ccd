// `recover status --state <location>`: one summary of a recovery split among workers. Reads every
// worker's report (and, for a worker still running or stopped, its checkpoint), adds the counts up
// (they are additive: each item is in exactly one worker's share), and names the workers that are
// missing or unfinished. Exit codes: 0 all done, 3 not all done yet, 1 unreadable state, 2 bad usage.
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { parseArgs } from "node:util";
import { parseCheckpoint } from "./checkpoint";
import {
    emptyCounts,
    emptySamples,
    summarize,
    writeReport,
    type RecoveryCounts,
    type RecoveryReport,
} from "./report";
import { workerObject } from "./share";
import { checkStateLocation, openStateStore, type StateStore } from "./stateStore";

export const STATUS_USAGE = `Usage: dynamodb-pitr recover status --state <s3://bucket/prefix/ or folder> [--workers N] [--report file.json]

One summary of every worker's report: the counts added up, the workers missing or unfinished.
Exits 0 once every worker is done, 3 until then.
  --workers N        how many workers the job has (default: as the workers recorded it)
  --report file      also write the merged report as JSON
  --region r  --s3-endpoint url
`;

export interface RecoveryStatus {
    readonly workers: number;
    readonly done: number[];
    /** Started (a checkpoint or an unfinished report) but not done. */
    readonly unfinished: number[];
    /** Nothing recorded yet. */
    readonly missing: number[];
    /** The counts of every worker (done ones from their reports, the others from their checkpoints). */
    readonly report?: RecoveryReport;
}

interface Recorded {
    report?: RecoveryReport & { fingerprint?: string };
    counts?: RecoveryCounts;
    count?: number;
}

/** Reads the state of a split recovery; `workers` overrides the count the workers recorded. */
export async function recoveryStatus(store: StateStore, workers?: number): Promise<RecoveryStatus> {
    const names = await store.list("workers/");
    const indexes = [
        ...new Set(names.map((n) => Number(/^workers\/(\d+)\//.exec(n)?.[1])).filter(Number.isInteger)),
    ];
    const recorded = new Map<number, Recorded>();
    for (const index of indexes) recorded.set(index, await readWorker(store, index));
    const count =
        workers ??
        [...recorded.values()].map((r) => r.count).find((c): c is number => c !== undefined) ??
        undefined;
    if (count === undefined)
        throw new Error(
            `no worker has recorded anything in ${store.location} yet; give --workers N to list the missing ones.`,
        );
    const done: number[] = [];
    const unfinished: number[] = [];
    const missing: number[] = [];
    const reports: RecoveryReport[] = [];
    const counts = emptyCounts();
    for (let index = 0; index < count; index++) {
        const r = recorded.get(index);
        if (r?.report?.complete) done.push(index);
        else if (r?.report || r?.counts) unfinished.push(index);
        else missing.push(index);
        if (r?.report) reports.push(r.report);
        const c = r?.report?.complete ? r.report.counts : (r?.counts ?? r?.report?.counts);
        if (c) for (const k of Object.keys(counts) as Array<keyof RecoveryCounts>) counts[k] += c[k] ?? 0;
    }
    return {
        workers: count,
        done,
        unfinished,
        missing,
        report: merge(reports, counts, done.length === count),
    };
}

async function readWorker(store: StateStore, index: number): Promise<Recorded> {
    const out: Recorded = {};
    const report = await store.read(workerObject(index, "report"));
    if (report) {
        out.report = JSON.parse(report) as Recorded["report"];
        out.count = out.report?.workers?.count;
    }
    if (!out.report?.complete) {
        const text = await store.read(workerObject(index, "checkpoint"));
        if (text) {
            const checkpoint = parseCheckpoint(text, workerObject(index, "checkpoint"));
            out.counts = checkpoint.counts;
            out.count ??= (JSON.parse(checkpoint.fingerprint) as { workers?: number }).workers;
        }
    }
    return out;
}

function merge(
    reports: RecoveryReport[],
    counts: RecoveryCounts,
    complete: boolean,
): RecoveryReport | undefined {
    const first = reports[0];
    if (!first) return undefined;
    const samples = emptySamples();
    for (const r of reports) {
        samples.missing.push(...r.samples.missing);
        samples.differing.push(...r.samples.differing);
        samples.onlyInLive.push(...r.samples.onlyInLive);
    }
    const size = 10;
    const started = Math.min(...reports.map((r) => Date.parse(r.startedAt)));
    const finished = Math.max(...reports.map((r) => Date.parse(r.finishedAt)));
    return {
        ...first,
        plan: {
            source: first.plan.source.replace(/; worker \d+ of (\d+): .*$/, "; $1 workers"),
            ...(first.plan.live
                ? { live: first.plan.live.replace(/; worker \d+ of (\d+): .*$/, "; $1 workers") }
                : {}),
        },
        rateLimitWcu: reports.reduce((n, r) => n + r.rateLimitWcu, 0),
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(finished).toISOString(),
        durationMs: finished - started,
        complete,
        interrupted: false,
        resumed: reports.some((r) => r.resumed),
        workers: undefined,
        counts,
        samples: {
            missing: samples.missing.slice(0, size),
            differing: samples.differing.slice(0, size),
            onlyInLive: samples.onlyInLive.slice(0, size),
        },
        notes: [...new Set(reports.flatMap((r) => r.notes).filter((n) => !/already done/.test(n)))],
    };
}

/** The lines `recover status` prints. */
export function describeStatus(status: RecoveryStatus): string {
    const list = (xs: number[]) => (xs.length ? xs.join(", ") : "none");
    const lines = [
        `Workers: ${status.done.length} of ${status.workers} done; unfinished: ${list(status.unfinished)}; not started: ${list(status.missing)}`,
    ];
    if (status.report) lines.push(summarize(status.report));
    return lines.join("\n");
}

export async function runStatus(
    argv: string[],
    io: { stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } },
): Promise<number> {
    let values;
    try {
        values = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: {
                state: { type: "string" },
                workers: { type: "string" },
                report: { type: "string" },
                region: { type: "string" },
                "s3-endpoint": { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
        }).values;
    } catch (error) {
        io.stderr.write(`recover status: ${(error as Error).message}\n${STATUS_USAGE}`);
        return 2;
    }
    if (values.help) {
        io.stdout.write(STATUS_USAGE);
        return 0;
    }
    const usage: string[] = [];
    if (!values.state) usage.push("`--state` is required: where the workers keep their reports.");
    else {
        const problem = checkStateLocation(values.state);
        if (problem) usage.push(problem);
    }
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
        usage.push(`\`--workers\` is ${values.workers}; it must be a whole number of at least 1.`);
    if (usage.length) {
        io.stderr.write(usage.map((u) => `recover status: ${u}\n`).join(""));
        return 2;
    }
    const config: S3ClientConfig = {
        ...(values.region ? { region: values.region } : {}),
        ...(values["s3-endpoint"] ? { endpoint: values["s3-endpoint"], forcePathStyle: true } : {}),
    };
    const store = openStateStore(values.state!, config);
    try {
        const status = await recoveryStatus(store, workers);
        io.stdout.write(describeStatus(status) + "\n");
        if (values.report && status.report) writeReport(values.report, status.report);
        return status.done.length === status.workers ? 0 : 3;
    } catch (error) {
        const message = (error as Error).message.split("\n")[0];
        io.stderr.write(
            `recover status: ${
                /^Region is missing/.test(message)
                    ? `No AWS region is set for ${values.state}; pass \`--region\` (or set AWS_REGION) to the bucket's Region.`
                    : message
            }\n`,
        );
        return 1;
    } finally {
        store.close();
    }
}
