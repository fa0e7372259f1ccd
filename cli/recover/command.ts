// `recover`: the command-line face of recoverItems. Parses flags, prints progress (a bar on a
// terminal, periodic lines otherwise), a summary at the end, and writes the JSON report. Exit
// codes: 0 done, 1 refused or failed, 2 bad usage, 130 interrupted (resume with the same
// --checkpoint).
import { parseArgs } from "node:util";
import { checkExportLocation } from "./exportSource";
import { parseWhere, type RecoveryFilter } from "./filter";
import { RecoveryRefusedError } from "./preflight";
import { keepHeapCompact } from "./heap";
import {
    batchJob,
    checkPlanInput,
    kubernetesJob,
    PLAN_USAGE,
    splitPlanArgs,
    type JobPlanInput,
} from "./jobPlan";
import { ProgressPrinter } from "./progress";
import type { RecoverOptions } from "./options";
import { recoverItems } from "./recover";
import { summarize, writeReport } from "./report";
import { workerSpec, type WorkerSpec } from "./share";
import { runStatus } from "./status";
import { checkStateLocation } from "./stateStore";
import { checkClaimsTableName } from "./tableLedger";

export interface CommandIO {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: { write(text: string): unknown };
    /** On a terminal, progress is one line redrawn in place; otherwise plain periodic lines. */
    readonly isTTY: boolean;
    /** Terminal width, so that the progress line never wraps. */
    readonly columns?: number;
    /** When not on a terminal, a progress line at most this often (ms). Defaults to 10,000. */
    readonly progressEveryMs?: number;
}

export const RECOVER_USAGE = `Usage: dynamodb-pitr recover --from <restored table> --into <live table> [filter] [options]
       dynamodb-pitr recover --from-export s3://<bucket>/<prefix>/AWSDynamoDB/<ExportId>/ --into <live table> ...

Copies items lost from the live table back from a restored one. Dry run unless --apply is given;
never overwrites an item that exists in the live table (or, in changed mode, a newer one).

Source (one of them):
  --from table                   a restored table (RestoreTableToPointInTime)
  --from-export s3://.../        a DynamoDB export to S3 (ExportTableToPointInTime, DYNAMODB_JSON):
                                 the folder holding manifest-summary.json (or a local copy); no restore,
                                 no read capacity; workers split its data files; no live-only pass

Filter (default: every item):
  --partition-key-values a,b     Query these partition key values
  --key-prefix p                 sort key (or partition key) begins with p
  --where attr=value             attribute equals value (repeatable)
  --index name                   Query this index; needs --where <its partition key>=value
  --keys-file keys.json          exactly these keys (a JSON array of key objects)

Options:
  --apply                        write (default: dry run, nothing written)
  --mode missing|changed         changed also restores items older in the live table (default: missing)
  --compare-attribute attr       version or timestamp attribute for --mode changed
  --rate-limit-wcu N             write capacity units per second (default: half the live table's
                                 provisioned WCU, 1000 for on-demand)
  --segments N                   parallel Scan segments (default 4)
  --checkpoint file.json         resume from and record progress in this file
  --report file.json             JSON report (default: recover-report-<time>.json)
  --skip-live-pass               do not read the live table for items only in it (reported as 0);
                                 saves a read of the live table, never changes what is written
  --items-file items.jsonl       also list every item not identical in both tables, one JSON line
                                 each (key, what was found, what was done), written as the run goes
  --region r  --endpoint url     AWS Region; custom endpoint (e.g. a local DynamoDB)

Worker mode (a recovery split among the workers of a Kubernetes Indexed Job or an AWS Batch array job):
  --workers N                    the number of workers; read unit i (Scan segment, Query) is worker i mod N's;
                                 --segments is then the whole job's (default 4 per worker)
  --worker I                     this worker, 0 to N-1 (default: JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)
  --state s3://bucket/prefix/    where the workers keep claims, checkpoints and reports (or a shared folder)
  --lease-seconds S              a worker whose heartbeat is still this long is gone; another copy of
                                 the same index then takes its share over and resumes it (default 30)
  --claims-table T               keep the claims in DynamoDB table T (key share (S) + generation (N)) as
                                 conditional writes: for an S3-compatible --state that ignores If-None-Match
  --s3-endpoint url              custom S3 endpoint for --state and --from-export (path-style)
  --rate-limit-wcu stays the whole job's budget: each worker writes at most N-th of it.

  dynamodb-pitr recover status --state <location>   one summary of every worker's report
  dynamodb-pitr recover plan --engine kubernetes|batch --workers N --state ... [flags]   a ready job
`;

const defaultIO: CommandIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    get columns() {
        return process.stderr.columns;
    },
};

/** The flags of `recover`. */
const OPTIONS = {
    from: { type: "string" },
    "from-export": { type: "string" },
    into: { type: "string" },
    "partition-key-values": { type: "string" },
    "key-prefix": { type: "string" },
    where: { type: "string", multiple: true },
    index: { type: "string" },
    "keys-file": { type: "string" },
    apply: { type: "boolean", default: false },
    mode: { type: "string", default: "missing" },
    "compare-attribute": { type: "string" },
    "rate-limit-wcu": { type: "string" },
    segments: { type: "string" },
    checkpoint: { type: "string" },
    report: { type: "string" },
    "items-file": { type: "string" },
    "skip-live-pass": { type: "boolean", default: false },
    endpoint: { type: "string" },
    region: { type: "string" },
    workers: { type: "string" },
    worker: { type: "string" },
    state: { type: "string" },
    "lease-seconds": { type: "string" },
    "s3-endpoint": { type: "string" },
    "claims-table": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
} as const;

function parseCommandLine(argv: string[]) {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }).values;
}

type RecoverValues = ReturnType<typeof parseCommandLine>;

/** The numbers and clauses the flags give, and every usage problem found on the way. */
interface Checked {
    usage: string[];
    rateLimitWcu?: number;
    segments?: number;
    where?: ReturnType<typeof parseWhere>[];
    workers?: WorkerSpec;
    leaseSeconds?: number;
}

function checkFlags(values: RecoverValues): Checked {
    const usage: string[] = [];
    const fromExport = values["from-export"];
    if (!values.from && fromExport === undefined)
        usage.push(
            "`--from` is required: the restored table, e.g. Orders_Restore (or --from-export s3://<bucket>/<prefix>/AWSDynamoDB/<ExportId>/ for an export).",
        );
    if (values.from && fromExport !== undefined)
        usage.push(
            "`--from-export` and `--from` both name where the items come from; give one: --from <restored table> or --from-export s3://<bucket>/<export-prefix>/AWSDynamoDB/<ExportId>/.",
        );
    if (fromExport !== undefined) {
        const problem = checkExportLocation(fromExport);
        if (problem) usage.push(problem);
    }
    if (!values.into) usage.push("`--into` is required: the live table, e.g. Orders.");
    if (values.mode !== "missing" && values.mode !== "changed")
        usage.push(`\`--mode\` is ${values.mode}; it must be missing or changed.`);
    const whole = (flag: string, text: string | undefined): number | undefined => {
        if (text === undefined) return undefined;
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1)
            usage.push(`\`${flag}\` is ${text}; it must be a whole number of at least 1.`);
        return n;
    };
    const rateLimitWcu = whole("--rate-limit-wcu", values["rate-limit-wcu"]);
    const segments = whole("--segments", values.segments);
    const { spec: workers, problems } = workerSpec(values.workers, values.worker, process.env);
    usage.push(...problems);
    if (workers && !values.state)
        usage.push(
            "`--workers` needs `--state <s3://bucket/prefix/ or folder>`, where the workers keep their claims, checkpoints and reports.",
        );
    if (values.state !== undefined) {
        const problem = checkStateLocation(values.state);
        if (problem) usage.push(problem);
        if (!workers)
            usage.push("`--state` is given without `--workers`; add --workers <N> (1 for a single worker).");
    }
    if (values["claims-table"] !== undefined) {
        const problem = checkClaimsTableName(values["claims-table"]);
        if (problem) usage.push(problem);
        if (!workers)
            usage.push(
                "`--claims-table` is given without `--workers`; it keeps the claims of worker mode, so add --workers <N> and --state.",
            );
    }
    const leaseSeconds = whole("--lease-seconds", values["lease-seconds"]);
    let where;
    try {
        where = values.where?.map(parseWhere);
    } catch (error) {
        usage.push((error as Error).message);
    }
    usage.push(...combinationProblems(values));
    return { usage, rateLimitWcu, segments, where, workers, leaseSeconds };
}

/**
 * The flag combinations the usage calls invalid, found from the flags alone, so that they are refused
 * before any table is read (the checks that need the tables' schemas run in the preflight).
 */
function combinationProblems(values: RecoverValues): string[] {
    const problems: string[] = [];
    const pkValues = values["partition-key-values"];
    if (values.index !== undefined && !values.where?.length)
        problems.push(
            `\`--index ${values.index}\` needs \`--where <its partition key>=<value>\` to Query it; add one, e.g. \`--where customerId=C-1042\`.`,
        );
    if (values.index !== undefined && pkValues !== undefined)
        problems.push("`--partition-key-values` and `--index` both choose how to Query; give one of them.");
    if (values["keys-file"] !== undefined) {
        const others = ["partition-key-values", "key-prefix", "where", "index"].filter(
            (flag) => values[flag as keyof RecoverValues] !== undefined,
        );
        if (others.length)
            problems.push(
                `\`--keys-file\` names exact keys; it cannot be combined with ${others.map((f) => `\`--${f}\``).join(", ")}: give one or the other.`,
            );
    }
    if (pkValues !== undefined && pkValues.split(",").every((v) => v.trim() === ""))
        problems.push(
            `\`--partition-key-values\` is "${pkValues}"; give at least one value, e.g. C-1042,C-1043.`,
        );
    if (values["compare-attribute"] !== undefined && values.mode !== "changed")
        problems.push(
            `\`--compare-attribute\` is ${values["compare-attribute"]}, but \`--mode\` is ${values.mode}; it is read only by \`--mode changed\`: add \`--mode changed\` or leave it out.`,
        );
    return problems;
}

/** The options `recoverItems` gets from the flags. */
function toRecoverOptions(
    values: RecoverValues,
    checked: Checked,
    signal: AbortSignal,
    progress: ProgressPrinter,
    io: CommandIO,
): RecoverOptions {
    const { rateLimitWcu, segments, where, workers, leaseSeconds } = checked;
    const connection = {
        ...(values.region ? { region: values.region } : {}),
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    };
    const filter: RecoveryFilter = {
        ...(values["partition-key-values"] !== undefined
            ? {
                  partitionKeyValues: values["partition-key-values"]
                      .split(",")
                      .map((v) => v.trim())
                      .filter((v) => v !== ""),
              }
            : {}),
        ...(values["key-prefix"] !== undefined ? { keyPrefix: values["key-prefix"] } : {}),
        ...(where ? { where } : {}),
        ...(values.index ? { index: values.index } : {}),
    };
    return {
        ...(values.from !== undefined ? { from: values.from } : {}),
        ...(values["from-export"] !== undefined ? { fromExport: values["from-export"] } : {}),
        into: values.into!,
        filter,
        apply: values.apply,
        mode: values.mode as "missing" | "changed",
        ...(values["compare-attribute"] ? { compareAttribute: values["compare-attribute"] } : {}),
        ...(rateLimitWcu ? { rateLimitWcu } : {}),
        ...(segments ? { segments } : {}),
        ...(values["keys-file"] ? { keysFile: values["keys-file"] } : {}),
        ...(values.checkpoint ? { checkpointFile: values.checkpoint } : {}),
        ...(values["items-file"] ? { itemsFile: values["items-file"] } : {}),
        ...(values["skip-live-pass"] ? { reportOnlyInLive: false } : {}),
        ...(workers ? { workers, state: values.state } : {}),
        ...(leaseSeconds ? { leaseSeconds } : {}),
        ...(values["claims-table"] ? { claimsTable: values["claims-table"] } : {}),
        ...(values["s3-endpoint"] ? { s3Endpoint: values["s3-endpoint"] } : {}),
        ...connection,
        signal,
        onProgress: (p) => progress.update(p),
        onWait: (message) => io.stderr.write(`recover: ${message}\n`),
    };
}

export async function runRecover(argv: string[], io: CommandIO = defaultIO): Promise<number> {
    if (argv[0] === "status") return runStatus(argv.slice(1), io);
    if (argv[0] === "plan") return runPlan(argv.slice(1), io);
    let values;
    try {
        values = parseCommandLine(argv);
    } catch (error) {
        io.stderr.write(`recover: ${(error as Error).message}\n${RECOVER_USAGE}`);
        return 2;
    }
    if (values.help) {
        io.stdout.write(RECOVER_USAGE);
        return 0;
    }
    const checked = checkFlags(values);
    if (checked.usage.length) {
        io.stderr.write(checked.usage.map((line) => `recover: ${line}\n`).join(""));
        return 2;
    }

    const controller = new AbortController();
    const onSignal = () => {
        io.stderr.write(
            "\nrecover: stopping after the pages in progress; the checkpoint will resume the run.\n",
        );
        controller.abort();
    };
    process.once("SIGINT", onSignal);
    const progress = new ProgressPrinter(io.stderr, {
        isTTY: io.isTTY,
        apply: values.apply,
        columns: io.columns,
        everyMs: io.progressEveryMs,
    });
    const stopCollecting = keepHeapCompact();
    try {
        const report = await recoverItems(toRecoverOptions(values, checked, controller.signal, progress, io));
        progress.finish();
        const reportPath = values.report ?? `recover-report-${report.startedAt.replace(/[:.]/g, "-")}.json`;
        writeReport(reportPath, report);
        io.stdout.write(`${summarize(report)}\n  report: ${reportPath}\n`);
        if (values["items-file"]) io.stdout.write(`  items: ${values["items-file"]}\n`);
        return report.interrupted ? 130 : 0;
    } catch (error) {
        progress.finish();
        if (error instanceof RecoveryRefusedError) {
            io.stderr.write(error.problems.map((line) => `recover: refusing: ${line}\n`).join(""));
        } else {
            io.stderr.write(`recover: failed: ${firstLine(error)}\n`);
            if (values.checkpoint)
                io.stderr.write(
                    `recover: what was done is recorded in ${values.checkpoint}; run the same command again to resume.\n`,
                );
        }
        return 1;
    } finally {
        stopCollecting();
        process.removeListener("SIGINT", onSignal);
    }
}

function firstLine(error: unknown): string {
    const e = error as { name?: string; message?: string };
    return `${e.name && e.name !== "Error" ? e.name + ": " : ""}${String(e.message ?? error).split("\n")[0]}`;
}

/** `recover plan`: checks the recover flags as a worker would, then prints the engine's job. */
function runPlan(argv: string[], io: CommandIO): number {
    const { plan, recover } = splitPlanArgs(argv);
    let values;
    try {
        values = parseCommandLine(recover);
    } catch (error) {
        io.stderr.write(`recover plan: ${(error as Error).message}\n${PLAN_USAGE}`);
        return 2;
    }
    if (values.help) {
        io.stdout.write(PLAN_USAGE);
        return 0;
    }
    const usage: string[] = [];
    if (values.worker !== undefined)
        usage.push(
            `\`--worker\` is ${values.worker}; a job's workers get their index from the engine, so leave it out.`,
        );
    if (values.workers === undefined) usage.push("`--workers` is required: how many workers the job runs.");
    // Checked as worker 0 would check them.
    usage.push(...checkFlags({ ...values, worker: "0" }).usage);
    const workers = Number(values.workers);
    const retries = plan.retries === undefined ? 3 : Number(plan.retries);
    const input = {
        engine: plan.engine as JobPlanInput["engine"],
        workers,
        recoverArgs: recover,
        name: plan.name ?? "dynamodb-recover",
        image: plan.image ?? "node:22-slim",
        retries,
        serviceAccount: plan["service-account"],
        jobQueue: plan["job-queue"],
        jobDefinition: plan["job-definition"],
        region: values.region,
    };
    usage.push(...checkPlanInput(input));
    if (usage.length) {
        io.stderr.write([...new Set(usage)].map((line) => `recover plan: ${line}\n`).join(""));
        return 2;
    }
    const job = input.engine === "kubernetes" ? kubernetesJob(input) : batchJob(input);
    io.stdout.write(JSON.stringify(job, null, 2) + "\n");
    return 0;
}
