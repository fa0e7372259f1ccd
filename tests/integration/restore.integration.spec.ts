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
import {
    DescribeBackupCommand,
    DescribeContinuousBackupsCommand,
    DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { InlineProgramArgs } from "@pulumi/pulumi/automation";
import { ResilientTable } from "../../components";
import {
    IntegrationStack,
    integrationRegion,
    MINUTE,
    putItem,
    scanItems,
    skipUnlessRunnable,
    sleep,
} from "./support";

describe("restore end to end (AWS, pulumi CLI)", function () {
    this.timeout(90 * MINUTE);

    const region = integrationRegion();
    const suffix = Date.now().toString(36);
    const sourceName = `dynamodb-pitr-it-${suffix}`;
    const restoredName = `${sourceName}-restore`;
    const stack = new IntegrationStack({
        projectName: "dynamodb-pitr-it",
        stackName: `it-${suffix}`,
        region,
    });
    const client = new DynamoDBClient({ region });

    before(function () {
        skipUnlessRunnable(this);
    });

    after(async function () {
        await stack.destroy();
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
        return (await stack.up(program(step))).outputs;
    }

    const items = (table: string) => scanItems(client, table);
    const put = (id: string, value: string) => putItem(client, sourceName, id, value);

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
