// `recover plan --workers N --engine kubernetes|batch [recover flags]`: a ready job that runs the
// recovery on N workers of the engine a team already runs. Pure builders plus the flag handling.
//
// Kubernetes: a batch/v1 Job with `completionMode: Indexed`; each pod gets its index in
// JOB_COMPLETION_INDEX; `backoffLimitPerIndex` retries a failed index alone (it needs
// `restartPolicy: Never`). https://kubernetes.io/docs/concepts/workloads/controllers/job/
// AWS Batch: a SubmitJob input with `arrayProperties.size` N (2 to 10,000); each child gets its
// index in AWS_BATCH_JOB_ARRAY_INDEX; `retryStrategy.attempts` (1 to 10) retries a failed child.
// https://docs.aws.amazon.com/batch/latest/userguide/array_jobs.html,
// https://docs.aws.amazon.com/batch/latest/APIReference/API_SubmitJob.html
// A retried worker waits until its failed copy's heartbeat has been still for the lease, then
// resumes its share from its checkpoint (see claim.ts).

/**
 * Memory a worker asks for. Measured: one worker's peak resident memory was 97 to 133 MB from
 * 30,000 to 1,000,000 items (small items, 256 writes in flight at most, `npm run bench -- recover`);
 * the request leaves room for larger items in flight, the limit twice that.
 */
export const WORKER_MEMORY_REQUEST_MIB = 256;
export const WORKER_MEMORY_LIMIT_MIB = 512;
/** One vCPU: a worker used about 0.5 ms of CPU per item, so 1,000 to 2,000 items/s fit in one. */
export const WORKER_VCPU = 1;
/** AWS Batch array jobs have 2 to 10,000 children. */
export const BATCH_ARRAY_MAX = 10_000;

export interface JobPlanInput {
    readonly engine: "kubernetes" | "batch";
    readonly workers: number;
    /** The recover flags every worker runs with (without --worker: the engine gives the index). */
    readonly recoverArgs: readonly string[];
    readonly name: string;
    readonly image: string;
    /** Retries of one worker (Kubernetes backoffLimitPerIndex; Batch attempts is this + 1). */
    readonly retries: number;
    readonly serviceAccount?: string;
    readonly jobQueue?: string;
    readonly jobDefinition?: string;
    readonly region?: string;
}

export const PLAN_FLAGS = {
    engine: { type: "string" },
    image: { type: "string" },
    name: { type: "string" },
    retries: { type: "string" },
    "service-account": { type: "string" },
    "job-queue": { type: "string" },
    "job-definition": { type: "string" },
} as const;

export const PLAN_USAGE = `Usage: dynamodb-pitr recover plan --engine kubernetes|batch --workers N --state s3://bucket/prefix/ [recover flags]

Prints a job (JSON) that runs the recovery on N workers:
  --engine kubernetes            a batch/v1 Indexed Job (kubectl apply -f job.json)
  --engine batch                 an AWS Batch array job (aws batch submit-job --cli-input-json file://job.json)
  --image IMG                    container image with Node.js (default node:22-slim; the command runs npx dynamodb-pitr)
  --name NAME                    job name (default dynamodb-recover)
  --retries R                    retries of one worker (default 3)
  --service-account NAME         Kubernetes service account with the worker's IAM role
  --job-queue Q --job-definition D   AWS Batch (both required with --engine batch)
Every other flag is passed to each worker's recover command.
`;

/** The container command every worker runs. */
function command(input: JobPlanInput): string[] {
    // A single worker gets no index from an engine (Batch arrays have at least 2 children).
    const index = input.workers === 1 ? ["--worker", "0"] : [];
    return ["npx", "--yes", "dynamodb-pitr", "recover", ...input.recoverArgs, ...index];
}

/** A batch/v1 Indexed Job. */
export function kubernetesJob(input: JobPlanInput): Record<string, unknown> {
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: input.name, labels: { "app.kubernetes.io/name": "dynamodb-pitr-recover" } },
        spec: {
            completionMode: "Indexed",
            completions: input.workers,
            parallelism: input.workers,
            backoffLimitPerIndex: input.retries,
            template: {
                metadata: { labels: { "app.kubernetes.io/name": "dynamodb-pitr-recover" } },
                spec: {
                    restartPolicy: "Never",
                    ...(input.serviceAccount ? { serviceAccountName: input.serviceAccount } : {}),
                    containers: [
                        {
                            name: "recover",
                            image: input.image,
                            command: command(input),
                            ...(input.region ? { env: [{ name: "AWS_REGION", value: input.region }] } : {}),
                            resources: {
                                requests: {
                                    memory: `${WORKER_MEMORY_REQUEST_MIB}Mi`,
                                    cpu: String(WORKER_VCPU),
                                },
                                limits: { memory: `${WORKER_MEMORY_LIMIT_MIB}Mi` },
                            },
                        },
                    ],
                },
            },
        },
    };
}

/** An AWS Batch SubmitJob input for an array job. */
export function batchJob(input: JobPlanInput): Record<string, unknown> {
    return {
        jobName: input.name,
        jobQueue: input.jobQueue,
        jobDefinition: input.jobDefinition,
        ...(input.workers > 1 ? { arrayProperties: { size: input.workers } } : {}),
        retryStrategy: { attempts: Math.min(10, input.retries + 1) },
        containerOverrides: {
            command: command(input),
            ...(input.region ? { environment: [{ name: "AWS_REGION", value: input.region }] } : {}),
            resourceRequirements: [
                { type: "VCPU", value: String(WORKER_VCPU) },
                { type: "MEMORY", value: String(WORKER_MEMORY_LIMIT_MIB) },
            ],
        },
    };
}

/** Problems with the plan's own flags, one sentence each. */
export function checkPlanInput(input: Partial<JobPlanInput>): string[] {
    const problems: string[] = [];
    if (input.engine !== "kubernetes" && input.engine !== "batch")
        problems.push(`\`--engine\` is ${input.engine ?? "not given"}; it must be kubernetes or batch.`);
    if (input.engine === "batch") {
        if (!input.jobQueue)
            problems.push("`--job-queue` is required with --engine batch: the AWS Batch job queue.");
        if (!input.jobDefinition)
            problems.push("`--job-definition` is required with --engine batch: a container job definition.");
        if (input.workers !== undefined && input.workers > BATCH_ARRAY_MAX)
            problems.push(
                `\`--workers\` is ${input.workers}; an AWS Batch array job has at most ${BATCH_ARRAY_MAX.toLocaleString("en-US")} children.`,
            );
    }
    if (
        input.retries !== undefined &&
        !(Number.isInteger(input.retries) && input.retries >= 0 && input.retries <= 9)
    )
        problems.push(`\`--retries\` is ${input.retries}; it must be a whole number from 0 to 9.`);
    if (input.name !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(input.name))
        problems.push(
            `\`--name\` is ${input.name}; it must be 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.`,
        );
    return problems;
}

/**
 * Splits a `recover plan` command line into the plan's flags and the recover flags the workers
 * run with (everything else, in order; `--worker` is refused: the engine gives each its index).
 */
export function splitPlanArgs(argv: readonly string[]): { plan: Record<string, string>; recover: string[] } {
    const plan: Record<string, string> = {};
    const recover: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--")
            ? arg.slice(2).split(/=(.*)/s, 2)
            : [undefined, undefined];
        if (flag !== undefined && flag in PLAN_FLAGS) {
            plan[flag] = inline ?? argv[++i] ?? "";
        } else {
            recover.push(arg);
        }
    }
    return { plan, recover };
}
