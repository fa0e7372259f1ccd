import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import {
    ActiveTable,
    checkRestoreBackupArn,
    RESTORE_INPUTS,
    ResilientTable,
    ResilientTableArgs,
    restoreClock,
    TableArgsError,
    validateRestore,
} from "../../../components";
import { all, only, TABLE } from "../../support/resources";
import { buildRestoredTable, rejectedRestore } from "../../support/restore";

const PARAMETER = "aws:ssm/parameter:Parameter";

// An on-demand backup (what `backupBeforeChange` takes, and the SYSTEM backup of a deleted table)
// and an AWS Backup recovery point, in the shapes AWS documents.
const BACKUP_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01489173575360-b308cd7d";
const RECOVERY_POINT_ARN =
    "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45";

const pinnedNow = new Date("2025-09-26T12:00:00Z");

const orders: ResilientTableArgs = {
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
    tags: { service: "checkout" },
};

const build = (
    args: Partial<ResilientTableArgs> = {},
    newResource?: (a: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult,
) => buildRestoredTable({ ...orders, ...args }, newResource);

const rejects = (args: Partial<ResilientTableArgs>) => rejectedRestore({ ...orders, ...args });

describe("ResilientTable restore lifecycle", () => {
    const realNow = restoreClock.now;
    beforeEach(() => (restoreClock.now = () => pinnedNow));
    afterEach(() => (restoreClock.now = realNow));

    describe("restore from a backup", () => {
        it("creates the table from an on-demand backup, with no source and no time", async () => {
            const { table } = await build({ restore: { restoreBackupArn: BACKUP_ARN } });
            assert.equal(table.inputs.restoreBackupArn, BACKUP_ARN);
            assert.equal(table.inputs.restoreSourceName, undefined);
            assert.equal(table.inputs.restoreSourceTableArn, undefined);
            assert.equal(table.inputs.restoreDateTime, undefined);
            assert.equal(table.inputs.restoreToLatestTime, undefined);
        });

        it("creates the table from an AWS Backup recovery point", async () => {
            const { table } = await build({ restore: { restoreBackupArn: RECOVERY_POINT_ARN } });
            assert.equal(table.inputs.restoreBackupArn, RECOVERY_POINT_ARN);
        });

        it("keeps the restored table protected and its restore one-shot", async () => {
            const { table } = await build({ restore: { restoreBackupArn: BACKUP_ARN } });
            assert.equal(table.protect, true);
            assert.equal(table.retainOnDelete, true);
            assert.ok(table.ignoreChanges.includes("restoreBackupArn"));
            assert.deepEqual([...table.ignoreChanges].sort(), [...RESTORE_INPUTS].sort());
            assert.equal(table.inputs.deletionProtectionEnabled, true);
        });

        it("checks a backup ARN that is known only later, before the table is created", async () => {
            const late = pulumi.output("arn:aws:dynamodb:us-east-1:123456789012:table/Orders");
            const error = await build({ restore: { restoreBackupArn: late } }).then(
                () => assert.fail("expected the deployment to fail"),
                (e) => e,
            );
            assert.match(String(error?.message), /`restore.restoreBackupArn` is .*That is a table ARN/s);
        });

        it("rejects a malformed backup ARN at preview, naming both accepted shapes", async () => {
            const { error, created } = await rejects({ restore: { restoreBackupArn: "backup-42" } });
            assert.equal(created, 0);
            assert.match(
                error.message,
                /`restore.restoreBackupArn` is "backup-42"; it must be a DynamoDB backup ARN such as "arn:aws:dynamodb:eu-west-1:123456789012:table\/Orders\/backup\/01489173575360-b308cd7d" or an AWS Backup recovery point ARN/,
            );
        });

        it("rejects a backup together with a source table", async () => {
            const { error } = await rejects({
                restore: { restoreBackupArn: BACKUP_ARN, sourceTableName: "Orders" },
            });
            assert.match(
                error.message,
                /`restore.restoreBackupArn` and `restore.sourceTableName` are both set; a backup holds one table at the time it was taken. Fix: remove `sourceTableName`/,
            );
        });

        it("rejects a backup together with a time, or with the latest time, listing both", async () => {
            const { error } = await rejects({
                restore: {
                    restoreBackupArn: BACKUP_ARN,
                    sourceTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
                    restoreDateTime: "2025-09-25T10:00:00Z",
                    restoreToLatestTime: true,
                },
            });
            assert.deepEqual(
                error.problems.map((p) => p.propertyPath),
                ["restore.sourceTableArn", "restore.restoreDateTime", "restore.restoreToLatestTime"],
            );
            assert.match(
                error.message,
                /`restore.restoreBackupArn` is set and `restore.restoreToLatestTime` is true/,
            );
        });

        it("refuses restoreBackupArn passed around the component through tableArgs", async () => {
            const { error } = await rejects({
                tableArgs: { restoreBackupArn: BACKUP_ARN } as ResilientTableArgs["tableArgs"],
            });
            assert.match(error.message, /`tableArgs.restoreBackupArn` is set, but the component manages/);
        });

        it("accepts both ARN shapes, and other partitions, without the mock runtime", () => {
            for (const arn of [
                BACKUP_ARN,
                RECOVERY_POINT_ARN,
                "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/Orders/backup/01489173575360-b308cd7d",
            ]) {
                assert.deepEqual(checkRestoreBackupArn(arn), [], arn);
                assert.deepEqual(validateRestore({ restoreBackupArn: arn }, { now: pinnedNow }), [], arn);
            }
        });

        it("rejects a recovery point of another service's shape and a table ARN", () => {
            for (const arn of [
                "arn:aws:backup:us-east-1:123456789012:backup-vault:orders",
                "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
                "arn:aws:dynamodb:us-east-1:12345:table/Orders/backup/01489173575360-b308cd7d",
            ]) {
                const [problem] = checkRestoreBackupArn(arn);
                assert.equal(problem?.propertyPath, "restore.restoreBackupArn", arn);
            }
        });
    });

    describe("promote and cut over", function () {
        // Each test runs the program up to three times.
        this.timeout(20_000);
        // Version 1: Orders in use, Orders_Restore restored from a backup. Version 2: the application
        // moved to Orders_Restore. Version 3: the restore block dropped (promote). Version 4: moved back.
        async function program(opts: { active: string; restore: boolean }) {
            return runUnderMocks(
                () => {
                    const live = new ResilientTable("orders", { ...orders, name: "Orders" });
                    const restored = new ResilientTable("orders-restore", {
                        ...orders,
                        name: "Orders_Restore",
                        restore: opts.restore ? { restoreBackupArn: BACKUP_ARN } : undefined,
                    });
                    new ActiveTable("orders-active", {
                        tables: { orders: live, "orders-restore": restored },
                        active: opts.active,
                    });
                },
                { config: { "aws:region": "us-east-1" } },
            );
        }
        // The provider marks a parameter's value secret; read it out of the secret envelope.
        const SECRET_SIG = "4dabf18193072939515e22adb298388d";
        const reveal = (v: unknown) =>
            v !== null && typeof v === "object" && SECRET_SIG in v ? (v as Record<string, unknown>).value : v;
        const parameterValue = (run: Awaited<ReturnType<typeof program>>, role: string) => {
            const inputs = only(run.resources, PARAMETER, `orders-active-${role}`).inputs;
            return { ...inputs, value: reveal(inputs.value) } as Record<string, unknown>;
        };
        const tableOptions = (run: Awaited<ReturnType<typeof program>>) =>
            all(run.resources, TABLE).map((t) => ({
                urn: t.urn,
                protect: t.protect,
                retainOnDelete: t.retainOnDelete,
                ignoreChanges: [...t.ignoreChanges].sort(),
                deletionProtectionEnabled: t.inputs.deletionProtectionEnabled,
            }));

        it("publishes the active table's name and ARN in SSM parameters", async () => {
            const run = await program({ active: "orders", restore: true });
            const name = parameterValue(run, "name");
            assert.equal(name.name, "/dynamodb-pitr/orders-active/table-name");
            assert.equal(name.type, "String");
            assert.equal(name.value, "Orders");
            const arn = parameterValue(run, "arn");
            assert.equal(arn.name, "/dynamodb-pitr/orders-active/table-arn");
            assert.match(String(arn.value), /Orders$/);
        });

        it("cuts over and back by changing `active`, touching neither table", async () => {
            const before = await program({ active: "orders", restore: true });
            const over = await program({ active: "orders-restore", restore: true });
            const back = await program({ active: "orders", restore: true });
            assert.equal(parameterValue(over, "name").value, "Orders_Restore");
            assert.equal(parameterValue(back, "name").value, "Orders");
            for (const run of [over, back]) {
                assert.deepEqual(tableOptions(run), tableOptions(before));
                assert.deepEqual(
                    all(run.resources, TABLE).map((t) => t.inputs),
                    all(before.resources, TABLE).map((t) => t.inputs),
                );
            }
            for (const table of tableOptions(over)) {
                assert.equal(table.protect, true, table.urn);
                assert.equal(table.retainOnDelete, true, table.urn);
                assert.equal(table.deletionProtectionEnabled, true, table.urn);
            }
        });

        it("promotes: dropping `restore` registers the same table with the same options", async () => {
            const restoring = await program({ active: "orders-restore", restore: true });
            const promoted = await program({ active: "orders-restore", restore: false });
            const restoredTable = (run: typeof restoring) => only(run.resources, TABLE, "orders-restore");
            assert.equal(restoredTable(promoted).urn, restoredTable(restoring).urn);
            assert.deepEqual(tableOptions(promoted), tableOptions(restoring));
            // The only input that changes is the backup ARN, which `ignoreChanges` keeps from the table.
            const { restoreBackupArn, ...rest } = restoredTable(restoring).inputs;
            assert.equal(restoreBackupArn, BACKUP_ARN);
            assert.deepEqual(restoredTable(promoted).inputs, rest);
            assert.ok(restoredTable(promoted).ignoreChanges.includes("restoreBackupArn"));
        });

        it("rejects an `active` that names no listed table, before any parameter exists", async () => {
            const error = await program({ active: "orders-restored", restore: true }).then(
                () => assert.fail("expected the component to reject its arguments"),
                (e) => e,
            );
            assert.ok(error instanceof TableArgsError, String(error?.stack ?? error));
            assert.match(
                error.message,
                /ActiveTable "orders-active" has an invalid argument:\n {2}- `active` is "orders-restored", which is not a key of `tables`; it must be one of "orders", "orders-restore"\./,
            );
        });
    });
});
