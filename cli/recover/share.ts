// Worker mode: which worker this process is, and its share of the work. Pure.
//
// The index comes from `--worker`, or from the job engine that started the process:
// - Kubernetes Indexed Job: JOB_COMPLETION_INDEX, 0 to completions - 1
//   (https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode);
// - AWS Batch array job: AWS_BATCH_JOB_ARRAY_INDEX, 0 to size - 1
//   (https://docs.aws.amazon.com/batch/latest/userguide/array_jobs.html).
// The split is deterministic: read unit i (a Scan segment, a Query of one partition key value, a
// chunk of keys, a data file of an export) belongs to worker i mod N, so every copy of a worker,
// on any machine, takes the same units, and the N shares together are exactly the whole plan.

export interface WorkerSpec {
    /** How many workers share the recovery (N). */
    readonly count: number;
    /** This worker's index, 0 to count - 1. */
    readonly index: number;
}

/** The environment variables the job engines set to a worker's index, in the order they are read. */
export const INDEX_VARIABLES = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] as const;

/** The most workers one recovery may be split among (DynamoDB's Scan takes up to 1,000,000 segments; a job this wide is plenty). */
export const MAX_WORKERS = 10_000;

/**
 * The worker spec from `--workers` and `--worker` (or the engine's index variable), with every
 * problem found; `spec` is undefined without `--workers`.
 */
export function workerSpec(
    workers: string | undefined,
    worker: string | undefined,
    env: Readonly<Record<string, string | undefined>>,
): { spec?: WorkerSpec; problems: string[] } {
    const problems: string[] = [];
    if (workers === undefined) {
        if (worker !== undefined)
            problems.push(`\`--worker\` is ${worker}, but \`--workers\` is not given; add --workers <N>.`);
        return { problems };
    }
    const count = Number(workers);
    if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
        problems.push(
            `\`--workers\` is ${workers}; it must be a whole number from 1 to ${MAX_WORKERS.toLocaleString("en-US")}.`,
        );
        return { problems };
    }
    const variable = INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== "");
    const [source, text] =
        worker !== undefined
            ? ["`--worker`", worker]
            : variable
              ? [variable, env[variable]!]
              : [undefined, undefined];
    if (source === undefined || text === undefined) {
        problems.push(
            `\`--workers\` is ${count} but no worker index is given; pass --worker <0 to ${count - 1}>, or run under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX).`,
        );
        return { problems };
    }
    const index = Number(text);
    if (!/^\d+$/.test(text.trim()) || index >= count) {
        problems.push(
            `${source} is ${text}; with \`--workers\` ${count} it must be a whole number from 0 to ${count - 1}.`,
        );
        return { problems };
    }
    return { spec: { count, index }, problems };
}

/** Worker `spec.index`'s units: every unit whose position is the index modulo the count. */
export function shareOf<T>(units: readonly T[], spec: WorkerSpec | undefined): T[] {
    if (!spec) return [...units];
    return units.filter((_, i) => i % spec.count === spec.index);
}

/** The names of a worker's objects in the state store. */
export function workerObject(
    index: number,
    what: "checkpoint" | "report" | "heartbeat" | "create-check",
): string {
    return `workers/${String(index).padStart(5, "0")}/${what}.json`;
}

/** The claim of generation `generation` of worker `index` (see claim.ts). */
export function claimObject(index: number, generation: number): string {
    return `workers/${String(index).padStart(5, "0")}/claim-${String(generation).padStart(6, "0")}.json`;
}
