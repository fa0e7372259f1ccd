/**
 * What the integration specs share: the check that decides whether they can run here, a stack in a
 * temporary local backend driven through the Automation API, and item reads and writes. The Automation
 * API is loaded only when a stack is first used, so a skipped suite never loads it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DynamoDBClient, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { EngineEvent, InlineProgramArgs, OpMap, OpType, Stack } from "@pulumi/pulumi/automation";

export const MINUTE = 60_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Region the specs use: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`. */
export const integrationRegion = (env: NodeJS.ProcessEnv = process.env) =>
    env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";

/** Why the integration specs cannot run here, or undefined when they can. */
export function whyNotRunnable(env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (env.DYNAMODB_PITR_SKIP_INTEGRATION) return "DYNAMODB_PITR_SKIP_INTEGRATION is set";
    const awsDir = path.join(os.homedir(), ".aws");
    const credentials =
        (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
        env.AWS_PROFILE ||
        env.AWS_WEB_IDENTITY_TOKEN_FILE ||
        env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
        env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
        fs.existsSync(path.join(awsDir, "credentials")) ||
        fs.existsSync(path.join(awsDir, "config"));
    if (!credentials) {
        return "no AWS credentials (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or configure ~/.aws)";
    }
    const pulumi = spawnSync("pulumi", ["version"], { encoding: "utf8" });
    if (pulumi.error || pulumi.status !== 0) {
        return "the pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/)";
    }
    return undefined;
}

/** For a suite's `before` hook: skips the suite, printing the reason, when it cannot run here. */
export function skipUnlessRunnable(context: Mocha.Context): void {
    const reason = whyNotRunnable();
    if (reason) {
        console.log(`    skipped: ${reason}`);
        context.skip();
    }
}

/** A plain object of a stack's output values. */
export type Outputs = Record<string, any>;

/** A preview's change summary, and the operations it planned for each resource URN. */
export interface PreviewSummary {
    changeSummary: OpMap;
    opsByUrn: Map<string, OpType[]>;
}

/** The operations that delete or replace a resource. */
export const DESTRUCTIVE_OPS: readonly OpType[] = [
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
    "discard",
    "discard-replaced",
];

/** The destructive operations a change summary counts, e.g. `{ replace: 1 }`; empty when none. */
export function destructiveOps(summary: OpMap | undefined): OpMap {
    return Object.fromEntries(
        DESTRUCTIVE_OPS.filter((op) => (summary?.[op] ?? 0) > 0).map((op) => [op, summary![op]]),
    );
}

/**
 * One stack in a temporary local file backend (`PULUMI_BACKEND_URL=file://...`, empty passphrase),
 * created on first use with the program given, which each later call replaces. `destroy` removes the
 * resources, the stack and the temporary folder.
 */
export class IntegrationStack {
    private workDir = "";
    private stack: Stack | undefined;

    constructor(private readonly options: { projectName: string; stackName: string; region: string }) {}

    /** Runs `up` with this program; returns its outputs and change summary. */
    async up(program: InlineProgramArgs["program"]): Promise<{ outputs: Outputs; resourceChanges: OpMap }> {
        const stack = await this.select(program);
        const result = await stack.up({ onOutput: (line) => process.stdout.write(line) });
        return {
            outputs: Object.fromEntries(
                Object.entries(result.outputs).map(([key, output]) => [key, output.value]),
            ),
            resourceChanges: result.summary.resourceChanges ?? {},
        };
    }

    /** Runs `preview` with this program; returns its change summary and the step of each resource. */
    async preview(program: InlineProgramArgs["program"]): Promise<PreviewSummary> {
        const stack = await this.select(program);
        const opsByUrn = new Map<string, OpType[]>();
        const result = await stack.preview({
            onOutput: (line) => process.stdout.write(line),
            onEvent: (event: EngineEvent) => {
                const step = event.resourcePreEvent?.metadata;
                if (step) opsByUrn.set(step.urn, [...(opsByUrn.get(step.urn) ?? []), step.op]);
            },
        });
        return { changeSummary: result.changeSummary, opsByUrn };
    }

    /** Destroys the resources, removes the stack and the temporary folder; a no-op if never used. */
    async destroy(): Promise<void> {
        try {
            if (this.stack) {
                await this.stack.destroy({ onOutput: (line) => process.stdout.write(line) });
                await this.stack.workspace.removeStack(this.stack.name);
            }
        } finally {
            if (this.workDir) fs.rmSync(this.workDir, { recursive: true, force: true });
        }
    }

    private async select(program: InlineProgramArgs["program"]): Promise<Stack> {
        if (this.stack) {
            this.stack.workspace.program = program;
            return this.stack;
        }
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const { projectName, stackName, region } = this.options;
        this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), `${projectName}-`));
        // The dynamic provider loads the AWS SDK from the program's folder.
        fs.symlinkSync(
            path.resolve(__dirname, "../../node_modules"),
            path.join(this.workDir, "node_modules"),
        );
        const backend = `file://${path.join(this.workDir, "state")}`;
        fs.mkdirSync(path.join(this.workDir, "state"));
        this.stack = await LocalWorkspace.createOrSelectStack(
            { stackName, projectName, program },
            {
                workDir: this.workDir,
                envVars: { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_BACKEND_URL: backend },
                projectSettings: { name: projectName, runtime: "nodejs", backend: { url: backend } },
            },
        );
        await this.stack.setConfig("aws:region", { value: region });
        return this.stack;
    }
}

/** Every item of a table whose items are `{ id: S, value: S }`, as `id -> value`, read consistently. */
export async function scanItems(client: DynamoDBClient, table: string): Promise<Record<string, string>> {
    const found: Record<string, string> = {};
    let start: Record<string, any> | undefined;
    do {
        const page = await client.send(
            new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        for (const item of page.Items ?? []) found[item.id.S!] = item.value.S!;
        start = page.LastEvaluatedKey;
    } while (start);
    return found;
}

/** Writes the item `{ id, value }`. */
export const putItem = (client: DynamoDBClient, table: string, id: string, value: string) =>
    client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, value: { S: value } } }));
