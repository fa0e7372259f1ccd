// `recover plan`: the Kubernetes Indexed Job validated by the Kubernetes API's own schema (the
// kubernetes-models package, generated from the Kubernetes OpenAPI document), and the AWS Batch
// array job sent through the AWS SDK's own SubmitJob serializer, which drops any field the Batch
// API does not model.
import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { BatchClient, SubmitJobCommand } from "@aws-sdk/client-batch";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import { runRecover } from "../../../cli/recover/command";

/** kubernetes-models is published as ES modules only; TypeScript compiles `import()` to `require` here. */
const importModule = new Function("specifier", "return import(specifier)") as (s: string) => Promise<unknown>;

async function validateJob(job: unknown): Promise<void> {
    const { Job } = (await importModule("kubernetes-models/batch/v1/Job")) as {
        Job: new (data: unknown) => { validate(): void };
    };
    new Job(job).validate();
}

async function plan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runRecover(["plan", ...args], {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        isTTY: false,
    });
    return { code, stdout, stderr };
}

const RECOVER = ["--from", "Orders_Restore", "--into", "Orders", "--apply", "--rate-limit-wcu", "4000"];
const STATE = ["--state", "s3://recovery-state/orders-2025-09-25/"];

/** The body the AWS SDK would send for SubmitJob with this input. */
async function submitJobBody(input: unknown): Promise<unknown> {
    let body = "";
    const client = new BatchClient({
        region: "us-east-1",
        credentials: { accessKeyId: "a", secretAccessKey: "b" },
        requestHandler: {
            handle: async (request: { body?: string | Uint8Array }) => {
                body =
                    typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
                const answer = JSON.stringify({ jobArn: "arn", jobName: "n", jobId: "1" });
                return {
                    response: {
                        statusCode: 200,
                        headers: { "content-type": "application/json" },
                        body: Readable.from([Buffer.from(answer)]),
                    },
                };
            },
        } as never,
    });
    await client.send(new SubmitJobCommand(input as never));
    client.destroy();
    return JSON.parse(body);
}

describe("recover plan", () => {
    it("prints a Kubernetes Indexed Job that the Kubernetes schema accepts", async () => {
        const out = await plan(["--engine", "kubernetes", "--workers", "8", ...STATE, ...RECOVER]);
        assert.equal(out.code, 0, out.stderr);
        const job = JSON.parse(out.stdout) as IJob;
        await validateJob(job);
        const spec = job.spec!;
        assert.equal(spec.completionMode, "Indexed");
        assert.equal(spec.completions, 8);
        assert.equal(spec.parallelism, 8);
        assert.equal(spec.backoffLimitPerIndex, 3);
        assert.equal(
            spec.template.spec!.restartPolicy,
            "Never",
            "backoffLimitPerIndex needs restartPolicy Never",
        );
        const container = spec.template.spec!.containers[0];
        assert.deepEqual(container.command, [
            "npx",
            "--yes",
            "dynamodb-pitr",
            "recover",
            "--workers",
            "8",
            ...STATE,
            ...RECOVER,
        ]);
        assert.deepEqual(container.resources, {
            requests: { memory: "256Mi", cpu: "1" },
            limits: { memory: "512Mi" },
        });
    });

    it("passes --claims-table to every worker, checked as a worker would check it", async () => {
        const claims = ["--claims-table", "RecoverClaims"];
        const out = await plan(["--engine", "kubernetes", "--workers", "4", ...STATE, ...claims, ...RECOVER]);
        assert.equal(out.code, 0, out.stderr);
        const command = (JSON.parse(out.stdout) as IJob).spec!.template.spec!.containers[0].command!;
        assert.deepEqual(
            command.slice(command.indexOf("--claims-table"), command.indexOf("--claims-table") + 2),
            claims,
        );
        const bad = await plan([
            "--engine",
            "batch",
            "--workers",
            "4",
            ...STATE,
            "--claims-table",
            "no/such",
        ]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /`--claims-table` is "no\/such"/);
    });

    it("the Kubernetes schema check is real: it rejects a Job with a wrong completion mode", async () => {
        const out = await plan(["--engine", "kubernetes", "--workers", "2", ...STATE, ...RECOVER]);
        const job = JSON.parse(out.stdout) as IJob;
        (job.spec as { completionMode: string }).completionMode = "Indexd";
        await assert.rejects(validateJob(job), /completionMode must be equal to one of the allowed values/);
    });

    it("prints an AWS Batch array job that the SDK's SubmitJob serializer sends whole", async () => {
        const out = await plan([
            "--engine",
            "batch",
            "--workers",
            "16",
            "--job-queue",
            "recovery",
            "--job-definition",
            "dynamodb-pitr:3",
            "--retries",
            "2",
            ...STATE,
            ...RECOVER,
        ]);
        assert.equal(out.code, 0, out.stderr);
        const job = JSON.parse(out.stdout) as Record<string, unknown>;
        assert.deepEqual(job.arrayProperties, { size: 16 });
        assert.deepEqual(job.retryStrategy, { attempts: 3 });
        // Every field survives the serializer: none is unknown to the Batch API.
        assert.deepEqual(await submitJobBody(job), job);
        assert.notDeepEqual(await submitJobBody({ ...job, arraySize: 16 }), { ...job, arraySize: 16 });
    });

    it("runs one worker as worker 0 on Batch, whose arrays have at least two children", async () => {
        const out = await plan([
            "--engine",
            "batch",
            "--workers",
            "1",
            "--job-queue",
            "q",
            "--job-definition",
            "d",
            ...STATE,
            ...RECOVER,
        ]);
        const job = JSON.parse(out.stdout) as {
            arrayProperties?: unknown;
            containerOverrides: { command: string[] };
        };
        assert.equal(job.arrayProperties, undefined);
        assert.deepEqual(job.containerOverrides.command.slice(-2), ["--worker", "0"]);
    });

    it("refuses, naming the flag, value and fix: --worker, a missing queue, too many Batch children, no --state", async () => {
        const worker = await plan([
            "--engine",
            "kubernetes",
            "--workers",
            "4",
            "--worker",
            "1",
            ...STATE,
            ...RECOVER,
        ]);
        assert.equal(worker.code, 2);
        assert.match(
            worker.stderr,
            /`--worker` is 1; a job's workers get their index from the engine, so leave it out\./,
        );
        const batch = await plan(["--engine", "batch", "--workers", "20000", ...STATE, ...RECOVER]);
        assert.match(batch.stderr, /`--job-queue` is required with --engine batch/);
        assert.match(
            batch.stderr,
            /`--workers` is 20000; an AWS Batch array job has at most 10,000 children\./,
        );
        const noState = await plan(["--engine", "kubernetes", "--workers", "4", ...RECOVER]);
        assert.match(noState.stderr, /`--workers` needs `--state/);
        const engine = await plan(["--engine", "nomad", "--workers", "4", ...STATE, ...RECOVER]);
        assert.match(engine.stderr, /`--engine` is nomad; it must be kubernetes or batch\./);
    });
});
