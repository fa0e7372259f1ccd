/**
 * End to end against a real AWS account: create a table through ResilientTable, write items, take an
 * on-demand backup (`backupBeforeChange`), restore the table to a point in time between two writes,
 * compare the items, destroy everything. It runs only when AWS credentials and the `pulumi` CLI are
 * present, and is skipped with the reason printed otherwise (see docs/restore.md, "Integration
 * test"). It takes 20 to 40 minutes (PITR's 5-minute lag, then the restore) and costs cents.
 *
 * State lives in a temporary local backend; the stack and its tables use a unique suffix. Tables are
 * `development` tier so that `destroy` can delete them, and the backup is taken with
 * `deleteBackupOnDestroy` so that nothing is left behind.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    DescribeBackupCommand,
    DescribeContinuousBackupsCommand,
    DynamoDBClient,
    PutItemCommand,
    ScanCommand,
} from "@aws-sdk/client-dynamodb";
import type { InlineProgramArgs, Stack } from "@pulumi/pulumi/automation";
import { ResilientTable } from "../../components";

const MINUTE = 60_000;

/** Why the test cannot run here, or undefined when it can. */
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("restore end to end (AWS, pulumi CLI)", function () {
    this.timeout(90 * MINUTE);

    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
    const suffix = Date.now().toString(36);
    const sourceName = `dynamodb-pitr-it-${suffix}`;
    const restoredName = `${sourceName}-restore`;
    let workDir = "";
    let stack: Stack | undefined;
    const client = new DynamoDBClient({ region });

    before(function () {
        const reason = whyNotRunnable();
        if (reason) {
            console.log(`    skipped: ${reason}`);
            this.skip();
        }
    });

    after(async function () {
        if (stack) {
            await stack.destroy({ onOutput: (line) => process.stdout.write(line) });
            await stack.workspace.removeStack(stack.name);
        }
        if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    /** The program, at each step of the scenario. */
    function program(step: {
        backupTrigger?: string;
        restoreDateTime?: string;
    }): InlineProgramArgs["program"] {
        return async () => {
            const keys = { hashKey: "id", attributes: [{ name: "id", type: "S" as const }] };
            const source = new ResilientTable("source", {
                ...keys,
                name: sourceName,
                tier: "development",
                backupBeforeChange: step.backupTrigger
                    ? { trigger: step.backupTrigger, deleteBackupOnDestroy: true }
                    : undefined,
            });
            const restored = step.restoreDateTime
                ? new ResilientTable(
                      "restored",
                      {
                          ...keys,
                          name: restoredName,
                          tier: "development",
                          restore: { sourceTableName: sourceName, restoreDateTime: step.restoreDateTime },
                      },
                      { dependsOn: [source] },
                  )
                : undefined;
            return {
                sourceName: source.name,
                backupArn: source.backupBeforeChange?.backupArn,
                restoredName: restored?.name,
            };
        };
    }

    async function deploy(step: Parameters<typeof program>[0]) {
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        if (!stack) {
            workDir = fs.mkdtempSync(path.join(os.tmpdir(), "dynamodb-pitr-it-"));
            // The dynamic provider loads the AWS SDK from the program's folder.
            fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(workDir, "node_modules"));
            fs.mkdirSync(path.join(workDir, "state"));
            stack = await LocalWorkspace.createOrSelectStack(
                { stackName: `it-${suffix}`, projectName: "dynamodb-pitr-it", program: program(step) },
                {
                    workDir,
                    envVars: {
                        PULUMI_CONFIG_PASSPHRASE: "",
                        PULUMI_BACKEND_URL: `file://${path.join(workDir, "state")}`,
                    },
                    projectSettings: {
                        name: "dynamodb-pitr-it",
                        runtime: "nodejs",
                        backend: { url: `file://${path.join(workDir, "state")}` },
                    },
                },
            );
            await stack.setConfig("aws:region", { value: region });
        } else {
            stack.workspace.program = program(step);
        }
        const result = await stack.up({ onOutput: (line) => process.stdout.write(line) });
        return Object.fromEntries(Object.entries(result.outputs).map(([key, output]) => [key, output.value]));
    }

    async function items(table: string): Promise<Record<string, string>> {
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

    const put = (id: string, value: string) =>
        client.send(
            new PutItemCommand({ TableName: sourceName, Item: { id: { S: id }, value: { S: value } } }),
        );

    it("restores a table to the instant between two writes, and takes a backup on the way", async () => {
        // 1. A table, and items written before the restore point.
        await deploy({});
        for (let i = 1; i <= 5; i++) await put(`order-${i}`, "before");

        // 2. The restore point: a whole second after the first writes and before the next ones.
        await sleep(2_000);
        const restorePoint = new Date(Math.ceil(Date.now() / 1000) * 1000);
        await sleep(restorePoint.getTime() - Date.now() + 2_000);
        await put("order-1", "after");
        await put("order-6", "after");

        // 3. An on-demand backup before the "risky change".
        const { backupArn } = await deploy({ backupTrigger: "before-restore" });
        assert.match(String(backupArn), /:table\/.+\/backup\//);
        const backup = await client.send(new DescribeBackupCommand({ BackupArn: String(backupArn) }));
        assert.match(
            backup.BackupDescription?.BackupDetails?.BackupName ?? "",
            new RegExp(`^${sourceName}-before-restore-\\d{8}T\\d{6}$`),
        );

        // 4. Wait until DynamoDB (and the component's window check) can restore to that point.
        const deadline = Date.now() + 20 * MINUTE;
        for (;;) {
            const described = await client.send(
                new DescribeContinuousBackupsCommand({ TableName: sourceName }),
            );
            const latest =
                described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
                    ?.LatestRestorableDateTime;
            if (latest && latest >= restorePoint && Date.now() - 5 * MINUTE >= restorePoint.getTime()) break;
            if (Date.now() > deadline)
                assert.fail(`PITR did not reach ${restorePoint.toISOString()} within 20 minutes`);
            await sleep(15_000);
        }

        // 5. Restore, then compare.
        const restoreDateTime = restorePoint.toISOString().replace(/\.000Z$/, "Z");
        const outputs = await deploy({ backupTrigger: "before-restore", restoreDateTime });
        assert.equal(outputs.restoredName, restoredName);
        const expected = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`order-${i}`, "before"]));
        assert.deepEqual(await items(restoredName), expected);
        assert.equal((await items(sourceName))["order-1"], "after", "the source must be untouched");

        // 6. PITR comes back on the restored table (AWS does not restore it).
        const pitr = await client.send(new DescribeContinuousBackupsCommand({ TableName: restoredName }));
        assert.equal(
            pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
            "ENABLED",
        );
    });
});
