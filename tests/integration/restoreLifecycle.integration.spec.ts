/**
 * The restore lifecycle end to end against a real AWS account, through the Automation API:
 *
 * 1. restore from a backup: create a source table, write items, take an on-demand backup through
 *    `backupBeforeChange`, write again, then declare a second table with `restore: { restoreBackupArn }`
 *    from that backup's ARN; once it is ACTIVE it holds the items as of the backup;
 * 2. promote: the same program without the `restore` block previews and deploys with no replace and
 *    no delete, and the table keeps its ARN, its creation time and the items written since the
 *    restore; a preview after that shows the table unchanged.
 *
 * It runs only when AWS credentials and the `pulumi` CLI are present, and is skipped with the reason
 * printed otherwise (see docs/restore.md, "Integration test"). It takes 10 to 20 minutes (mostly the
 * restore) and costs cents. State lives in a temporary local backend; the stack and its tables use a
 * unique suffix. Tables are `development` tier so that `destroy` can delete them, the backup is taken
 * with `deleteBackupOnDestroy`, and `after` deletes any backup of the source this suite took that is
 * still there.
 */
import { strict as assert } from "assert";
import {
    DeleteBackupCommand,
    DescribeBackupCommand,
    DescribeTableCommand,
    DynamoDBClient,
    ListBackupsCommand,
    type TableDescription,
} from "@aws-sdk/client-dynamodb";
import type { InlineProgramArgs } from "@pulumi/pulumi/automation";
import { ResilientTable } from "../../components";
import {
    destructiveOps,
    IntegrationStack,
    integrationRegion,
    MINUTE,
    type Outputs,
    putItem,
    scanItems,
    skipUnlessRunnable,
    sleep,
} from "./support";

describe("restore lifecycle end to end: from a backup, then promote (AWS, pulumi CLI)", function () {
    this.timeout(60 * MINUTE);

    const region = integrationRegion();
    const suffix = Date.now().toString(36);
    const sourceName = `dynamodb-pitr-lc-${suffix}`;
    const restoredName = `${sourceName}-from-backup`;
    const backupTrigger = "before-restore";
    const stack = new IntegrationStack({
        projectName: "dynamodb-pitr-lc",
        stackName: `lc-${suffix}`,
        region,
    });
    const client = new DynamoDBClient({ region });
    /** Set once the stack has been deployed to: `after` has something to clean up. */
    let deployed = false;
    /** The backups the stack reported, deleted in `after` if `destroy` left them. */
    const backupArns = new Set<string>();
    /** What the restore step produced; the promote step needs it. */
    let restored: { backupArn: string; outputs: Outputs; table: TableDescription } | undefined;

    before(function () {
        skipUnlessRunnable(this);
    });

    after(async function () {
        if (!deployed) return;
        try {
            await stack.destroy();
        } finally {
            await deleteLeftoverBackups();
        }
    });

    /** The program, at each step of the scenario. */
    function program(step: {
        backup?: boolean;
        /** Declare the restored table, with `restore: { restoreBackupArn }` when an ARN is given. */
        restored?: { restoreBackupArn?: string };
    }): InlineProgramArgs["program"] {
        return async () => {
            const keys = { hashKey: "id", attributes: [{ name: "id", type: "S" as const }] };
            const source = new ResilientTable("source", {
                ...keys,
                name: sourceName,
                tier: "development",
                backupBeforeChange: step.backup
                    ? { trigger: backupTrigger, deleteBackupOnDestroy: true }
                    : undefined,
            });
            const copy = step.restored
                ? new ResilientTable(
                      "restored",
                      {
                          ...keys,
                          name: restoredName,
                          tier: "development",
                          restore: step.restored.restoreBackupArn
                              ? { restoreBackupArn: step.restored.restoreBackupArn }
                              : undefined,
                      },
                      { dependsOn: [source] },
                  )
                : undefined;
            return {
                sourceName: source.name,
                backupArn: source.backupBeforeChange?.backupArn,
                restoredName: copy?.name,
                restoredArn: copy?.table.arn,
                restoredTableUrn: copy?.table.urn,
            };
        };
    }

    async function deploy(step: Parameters<typeof program>[0]) {
        deployed = true;
        const result = await stack.up(program(step));
        if (result.outputs.backupArn) backupArns.add(String(result.outputs.backupArn));
        return result;
    }

    /** The distinct steps a preview planned for a resource; a resource with no step event is unchanged. */
    const sameOnly = (ops: string[] | undefined) => [...new Set(ops ?? ["same"])];

    const put = (table: string, id: string, value: string) => putItem(client, table, id, value);

    /** Waits until the table is ACTIVE and no restore is in progress on it. */
    async function waitUntilActive(table: string): Promise<TableDescription> {
        const deadline = Date.now() + 30 * MINUTE;
        for (;;) {
            const { Table: described } = await client.send(new DescribeTableCommand({ TableName: table }));
            if (described?.TableStatus === "ACTIVE" && described.RestoreSummary?.RestoreInProgress !== true) {
                return described;
            }
            if (Date.now() > deadline) assert.fail(`${table} was not ACTIVE within 30 minutes`);
            await sleep(15_000);
        }
    }

    /** Deletes the source's on-demand backups this suite took (by name) that `destroy` left behind. */
    async function deleteLeftoverBackups(): Promise<void> {
        const arns = new Set(backupArns);
        let start: string | undefined;
        do {
            const page = await client.send(
                new ListBackupsCommand({
                    TableName: sourceName,
                    BackupType: "USER",
                    ExclusiveStartBackupArn: start,
                }),
            );
            for (const backup of page.BackupSummaries ?? []) {
                if (backup.BackupArn && backup.BackupName?.startsWith(`${sourceName}-`)) {
                    arns.add(backup.BackupArn);
                }
            }
            start = page.LastEvaluatedBackupArn;
        } while (start);
        for (const arn of arns) {
            try {
                await client.send(new DeleteBackupCommand({ BackupArn: arn }));
                console.log(`    deleted leftover backup ${arn}`);
            } catch (error) {
                // Already deleted by `destroy` (deleteBackupOnDestroy): nothing left behind.
                if ((error as Error).name !== "BackupNotFoundException") throw error;
            }
        }
    }

    it("restores a second table from the on-demand backup backupBeforeChange took", async () => {
        // 1. A table, and the items the backup must hold.
        await deploy({});
        for (let i = 1; i <= 5; i++) await put(sourceName, `order-${i}`, "before");

        // 2. The on-demand backup, taken when `backupBeforeChange` is declared.
        const { outputs: withBackup } = await deploy({ backup: true });
        const backupArn = String(withBackup.backupArn);
        assert.match(backupArn, /:table\/.+\/backup\//);
        const backup = await client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
        assert.match(
            backup.BackupDescription?.BackupDetails?.BackupName ?? "",
            new RegExp(`^${sourceName}-${backupTrigger}-\\d{8}T\\d{6}$`),
        );

        // 3. Writes after the backup, which the restored table must not hold.
        await put(sourceName, "order-1", "after");
        await put(sourceName, "order-6", "after");

        // 4. A second table restored from that backup's ARN.
        const { outputs } = await deploy({ backup: true, restored: { restoreBackupArn: backupArn } });
        assert.equal(outputs.restoredName, restoredName);
        assert.equal(outputs.backupArn, backupArn, "the same trigger must not take another backup");
        const table = await waitUntilActive(restoredName);
        assert.equal(table.RestoreSummary?.SourceBackupArn, backupArn);

        // 5. Compare: the restored table holds the items as of the backup; the source is untouched.
        const expected = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`order-${i}`, "before"]));
        assert.deepEqual(await scanItems(client, restoredName), expected);
        assert.deepEqual(await scanItems(client, sourceName), {
            ...expected,
            "order-1": "after",
            "order-6": "after",
        });
        restored = { backupArn, outputs, table };
    });

    it("promotes the restored table: without `restore`, no replace, no delete, same table", async function () {
        if (!restored) this.skip();
        const { outputs, table } = restored!;
        const urn = String(outputs.restoredTableUrn);

        // Data written to the restored table since the restore: promotion must keep it.
        await put(restoredName, "order-7", "since-restore");

        // 1. Preview of the program without the restore block: the table is unchanged.
        const promoted = program({ backup: true, restored: {} });
        const preview = await stack.preview(promoted);
        assert.deepEqual(
            destructiveOps(preview.changeSummary),
            {},
            "the promote preview must not replace or delete",
        );
        assert.deepEqual(
            sameOnly(preview.opsByUrn.get(urn)),
            ["same"],
            `the promote preview must leave ${urn} unchanged`,
        );

        // 2. The same program deployed: nothing replaced or deleted, the same table.
        const up = await stack.up(promoted);
        assert.deepEqual(
            destructiveOps(up.resourceChanges),
            {},
            "the promote update must not replace or delete",
        );
        assert.equal(up.outputs.restoredArn, outputs.restoredArn);
        assert.equal(up.outputs.restoredTableUrn, urn);
        const after = await waitUntilActive(restoredName);
        assert.equal(after.TableArn, table.TableArn);
        assert.equal(after.CreationDateTime?.getTime(), table.CreationDateTime?.getTime());
        assert.equal((await scanItems(client, restoredName))["order-7"], "since-restore");

        // 3. Promoted for good: the next preview has nothing to do for the table either.
        const again = await stack.preview(promoted);
        assert.deepEqual(destructiveOps(again.changeSummary), {});
        assert.deepEqual(
            sameOnly(again.opsByUrn.get(urn)),
            ["same"],
            "a promoted table must not show a diff",
        );
    });
});
