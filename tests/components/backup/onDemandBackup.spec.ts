import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    BackupNotFoundException,
    CreateBackupCommand,
    DeleteBackupCommand,
    DescribeBackupCommand,
    DescribeContinuousBackupsCommand,
    DynamoDBClient,
    TableNotFoundException,
    ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { defaultNewResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import {
    BACKUP_NAME_PATTERN,
    backupName,
    OnDemandBackupInputs,
    OnDemandBackupOutputs,
    onDemandBackupProvider,
    ResilientTable,
    ResilientTableArgs,
    TableArgsError,
} from "../../../components";
import { only, TABLE } from "../../support/resources";
import { settled } from "../../support/settled";

const BACKUP = "pulumi-nodejs:dynamic:OnDemandBackup";
const ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01764086160000-abcdef12";
const ARN_2 = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01764090000000-12345678";
const at = new Date("2026-11-25T15:56:00Z");
const inputs: OnDemandBackupInputs = { tableName: "Orders", trigger: "migration-42", region: "us-east-1" };

// One mocked client instance: mocking the class would stub every DynamoDB client in the test run.
const client = new DynamoDBClient({ region: "us-east-1" });
const ddb = mockClient(client);

/** A provider wired to the mocked client, with a recorded clock-free sleep. */
function setup(options: { maxAttempts?: number } = {}) {
    const sleeps: number[] = [];
    const regions: Array<string | undefined> = [];
    const provider = onDemandBackupProvider({
        client: (region) => {
            regions.push(region);
            return client;
        },
        sleep: async (ms) => void sleeps.push(ms),
        now: () => at,
        maxAttempts: options.maxAttempts,
        availableTimeoutMs: 60_000,
    });
    return { provider, sleeps, regions };
}

function pitr(status: "ENABLED" | "DISABLED") {
    ddb.on(DescribeContinuousBackupsCommand).resolves({
        ContinuousBackupsDescription: {
            ContinuousBackupsStatus: "ENABLED",
            PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: status },
        },
    });
}

function backupSucceeds(arn = ARN) {
    ddb.on(CreateBackupCommand).resolves({
        BackupDetails: {
            BackupArn: arn,
            BackupName: "ignored-name-echo",
            BackupStatus: "CREATING",
            BackupCreationDateTime: at,
            BackupType: "USER",
        },
    });
    ddb.on(DescribeBackupCommand)
        .resolvesOnce({
            BackupDescription: {
                BackupDetails: {
                    BackupArn: arn,
                    BackupName: "n",
                    BackupStatus: "CREATING",
                    BackupCreationDateTime: at,
                    BackupType: "USER",
                },
            },
        })
        .resolves({
            BackupDescription: {
                BackupDetails: {
                    BackupArn: arn,
                    BackupName: "n",
                    BackupStatus: "AVAILABLE",
                    BackupSizeBytes: 2048,
                    BackupCreationDateTime: at,
                    BackupType: "USER",
                },
            },
        });
}

const throttled = () =>
    new ThrottlingException({ message: "Rate of requests exceeds the allowed throughput.", $metadata: {} });

describe("OnDemandBackup", () => {
    beforeEach(() => ddb.reset());

    describe("backup names", () => {
        it("are <table>-<trigger>-<yyyymmddThhmmss> in UTC", () => {
            assert.equal(backupName("Orders", "migration-42", at), "Orders-migration-42-20261125T155600");
        });

        it("replace characters AWS does not accept", () => {
            assert.equal(
                backupName("Orders", "release 2026.11/rc+1", at),
                "Orders-release-2026.11-rc-1-20261125T155600",
            );
        });

        it("stay within 255 characters and keep the time stamp", () => {
            const name = backupName("T".repeat(255), "x".repeat(300), at);
            assert.equal(name.length, 255);
            assert.match(name, /-20261125T155600$/);
            assert.match(name, BACKUP_NAME_PATTERN);
        });
    });

    describe("create", () => {
        it("reports PITR, takes a backup with a traceable name, and waits until it is AVAILABLE", async () => {
            pitr("ENABLED");
            backupSucceeds();
            const { provider, regions } = setup();
            const result = await provider.create(inputs);

            assert.deepEqual(ddb.commandCalls(DescribeContinuousBackupsCommand)[0].args[0].input, {
                TableName: "Orders",
            });
            const create = ddb.commandCalls(CreateBackupCommand);
            assert.equal(create.length, 1);
            assert.deepEqual(create[0].args[0].input, {
                TableName: "Orders",
                BackupName: "Orders-migration-42-20261125T155600",
            });
            assert.equal(ddb.commandCalls(DescribeBackupCommand).length, 2);
            assert.deepEqual(ddb.commandCalls(DescribeBackupCommand)[0].args[0].input, { BackupArn: ARN });
            assert.deepEqual(regions, ["us-east-1"]);

            assert.equal(result.id, ARN);
            assert.equal(result.outs!.backupArn, ARN);
            assert.deepEqual(result.outs!.backupArns, [ARN]);
            assert.equal(result.outs!.backupStatus, "AVAILABLE");
            assert.equal(result.outs!.backupSizeBytes, 2048);
            assert.equal(result.outs!.backupCreationDateTime, "2026-11-25T15:56:00.000Z");
            assert.equal(result.outs!.pointInTimeRecoveryStatus, "ENABLED");
            assert.equal(result.outs!.trigger, "migration-42");
            assert.equal(ddb.commandCalls(DeleteBackupCommand).length, 0);
        });

        it("reports PITR disabled and still takes the backup", async () => {
            pitr("DISABLED");
            backupSucceeds();
            const result = await setup().provider.create(inputs);
            assert.equal(result.outs!.pointInTimeRecoveryStatus, "DISABLED");
            assert.equal(ddb.commandCalls(CreateBackupCommand).length, 1);
        });

        it("still takes the backup when the PITR status cannot be read, and reports it as UNKNOWN", async () => {
            ddb.on(DescribeContinuousBackupsCommand).rejects(
                Object.assign(new Error("not authorized to perform: dynamodb:DescribeContinuousBackups"), {
                    name: "AccessDeniedException",
                }),
            );
            backupSucceeds();
            const result = await setup().provider.create(inputs);
            assert.equal(result.outs!.pointInTimeRecoveryStatus, "UNKNOWN");
            assert.equal(ddb.commandCalls(CreateBackupCommand).length, 1);
        });

        it("says clearly when the table does not exist, and takes no backup", async () => {
            ddb.on(DescribeContinuousBackupsCommand).rejects(
                new TableNotFoundException({ message: "Table not found: Orders", $metadata: {} }),
            );
            await assert.rejects(setup().provider.create(inputs), (error: Error) => {
                assert.match(
                    error.message,
                    /^DescribeContinuousBackups: table "Orders" in us-east-1 was not found \(TableNotFoundException: Table not found: Orders\)\. Check `tableName` and the Region/,
                );
                assert.match(error.message, /no backup was taken/);
                return true;
            });
            assert.equal(ddb.commandCalls(CreateBackupCommand).length, 0);
        });

        it("retries throttling with growing backoff, then succeeds", async () => {
            pitr("ENABLED");
            backupSucceeds();
            ddb.on(CreateBackupCommand)
                .rejectsOnce(throttled())
                .rejectsOnce(throttled())
                .resolves({
                    BackupDetails: {
                        BackupArn: ARN,
                        BackupName: "n",
                        BackupStatus: "AVAILABLE",
                        BackupCreationDateTime: at,
                        BackupType: "USER",
                    },
                });
            const { provider, sleeps } = setup();
            const result = await provider.create(inputs);
            assert.equal(result.id, ARN);
            assert.equal(ddb.commandCalls(CreateBackupCommand).length, 3);
            assert.equal(sleeps.length, 2);
            // Equal jitter: each delay lies between half and all of its ceiling (500 ms, then 1 s).
            assert.ok(sleeps[0] >= 250 && sleeps[0] <= 500, `first delay ${sleeps[0]}`);
            assert.ok(sleeps[1] >= 500 && sleeps[1] <= 1000, `second delay ${sleeps[1]}`);
        });

        it("gives up after the last attempt and says no backup was taken", async () => {
            pitr("ENABLED");
            ddb.on(CreateBackupCommand).rejects(throttled());
            await assert.rejects(setup({ maxAttempts: 3 }).provider.create(inputs), (error: Error) => {
                assert.match(
                    error.message,
                    /^CreateBackup for table "Orders" in us-east-1 was still refused after 3 attempts \(ThrottlingException: Rate of requests/,
                );
                assert.match(error.message, /no backup was taken/);
                return true;
            });
            assert.equal(ddb.commandCalls(CreateBackupCommand).length, 3);
        });

        it("surfaces other errors with the operation and the table", async () => {
            pitr("ENABLED");
            ddb.on(CreateBackupCommand).rejects(
                Object.assign(new Error("Backups are being enabled"), {
                    name: "ContinuousBackupsUnavailableException",
                }),
            );
            await assert.rejects(
                setup().provider.create(inputs),
                /^Error: CreateBackup for table "Orders" in us-east-1 failed \(ContinuousBackupsUnavailableException: Backups are being enabled\)\.$/,
            );
            assert.equal(ddb.commandCalls(CreateBackupCommand).length, 1);
        });
    });

    describe("diff", () => {
        const olds = { ...inputs, deleteBackupOnDestroy: false } as OnDemandBackupOutputs;
        const diff = (news: Partial<OnDemandBackupInputs>) =>
            setup().provider.diff!(ARN, olds, { ...inputs, deleteBackupOnDestroy: false, ...news });

        it("sees no change when nothing changed", async () => {
            assert.deepEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: false });
        });

        it("updates in place, without replacing, when the trigger changes", async () => {
            assert.deepEqual(await diff({ trigger: "migration-43" }), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("replaces, creating before deleting, when the table or Region changes", async () => {
            assert.deepEqual((await diff({ tableName: "Invoices" })).replaces, ["tableName"]);
            assert.deepEqual((await diff({ region: "eu-west-1" })).replaces, ["region"]);
            assert.equal((await diff({ tableName: "Invoices" })).deleteBeforeReplace, false);
        });

        it("records a new deleteBackupOnDestroy as a change", async () => {
            assert.equal((await diff({ deleteBackupOnDestroy: true })).changes, true);
        });
    });

    describe("update", () => {
        const olds: OnDemandBackupOutputs = {
            ...inputs,
            deleteBackupOnDestroy: false,
            backupArn: ARN,
            backupName: "Orders-migration-42-20261125T155600",
            backupStatus: "AVAILABLE",
            backupCreationDateTime: at.toISOString(),
            pointInTimeRecoveryStatus: "ENABLED",
            backupArns: [ARN],
        };

        it("takes a new backup on a new trigger and keeps the earlier one", async () => {
            pitr("ENABLED");
            backupSucceeds(ARN_2);
            const outs = (await setup().provider.update!(ARN, olds, { ...inputs, trigger: "release-7" }))
                .outs!;
            assert.equal(
                ddb.commandCalls(CreateBackupCommand)[0].args[0].input.BackupName,
                "Orders-release-7-20261125T155600",
            );
            assert.equal(outs.backupArn, ARN_2);
            assert.deepEqual(outs.backupArns, [ARN, ARN_2]);
            assert.equal(ddb.commandCalls(DeleteBackupCommand).length, 0);
        });

        it("takes no backup when only deleteBackupOnDestroy changes", async () => {
            const outs = (
                await setup().provider.update!(ARN, olds, { ...inputs, deleteBackupOnDestroy: true })
            ).outs!;
            assert.equal(ddb.calls().length, 0);
            assert.equal(outs.deleteBackupOnDestroy, true);
            assert.equal(outs.backupArn, ARN);
        });
    });

    describe("delete", () => {
        const props = (deleteBackupOnDestroy: boolean): OnDemandBackupOutputs => ({
            ...inputs,
            deleteBackupOnDestroy,
            backupArn: ARN_2,
            backupName: "n",
            backupStatus: "AVAILABLE",
            backupCreationDateTime: at.toISOString(),
            pointInTimeRecoveryStatus: "ENABLED",
            backupArns: [ARN, ARN_2],
        });

        it("keeps the backups: no AWS call at all by default", async () => {
            const { provider, regions } = setup();
            await provider.delete!(ARN, props(false));
            assert.equal(ddb.calls().length, 0);
            assert.deepEqual(regions, []);
        });

        it("deletes every backup it took only with deleteBackupOnDestroy, tolerating one already gone", async () => {
            ddb.on(DeleteBackupCommand, { BackupArn: ARN }).rejects(
                new BackupNotFoundException({ message: "Backup not found", $metadata: {} }),
            );
            ddb.on(DeleteBackupCommand, { BackupArn: ARN_2 }).resolves({});
            await setup().provider.delete!(ARN, props(true));
            assert.deepEqual(
                ddb.commandCalls(DeleteBackupCommand).map((c) => c.args[0].input.BackupArn),
                [ARN, ARN_2],
            );
        });
    });

    describe("check", () => {
        it("names every bad input", async () => {
            const { failures } = await setup().provider.check!({} as OnDemandBackupInputs, {
                tableName: "ab",
                trigger: " ",
                region: "Virginia",
                deleteBackupOnDestroy: "yes" as unknown as boolean,
            });
            assert.deepEqual(
                failures!.map((f) => f.property),
                ["tableName", "trigger", "region", "deleteBackupOnDestroy"],
            );
            assert.match(
                failures![1].reason,
                /`trigger` is " "; it must be a non-empty string, e.g. a migration version/,
            );
        });

        it("leaves values not known during a preview to be checked later", async () => {
            const notYetKnown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            const { failures } = await setup().provider.check!({} as OnDemandBackupInputs, {
                tableName: notYetKnown,
                trigger: notYetKnown,
                region: notYetKnown,
                deleteBackupOnDestroy: notYetKnown as unknown as boolean,
            });
            assert.deepEqual(failures, []);
        });

        it("accepts good inputs", async () => {
            assert.deepEqual(
                (await setup().provider.check!({} as OnDemandBackupInputs, inputs)).failures,
                [],
            );
        });
    });

    it("serializes as a self-contained provider that loads the AWS SDK itself", async () => {
        const provider = onDemandBackupProvider();
        const serialized = await pulumi.runtime.serializeFunction(() => provider);
        assert.match(serialized.text, /require\("@aws-sdk\/client-dynamodb"\)/);
        assert.doesNotMatch(serialized.text, /aws-sdk-client-mock/);
    });

    describe("ResilientTable backupBeforeChange", () => {
        const orders: ResilientTableArgs = {
            name: "Orders",
            hashKey: "orderId",
            attributes: [{ name: "orderId", type: "S" }],
        };

        async function build(args: Partial<ResilientTableArgs>, newResource = defaultNewResource) {
            return runUnderMocks(
                () => {
                    new ResilientTable("orders", { ...orders, ...args });
                },
                {
                    config: { "aws:region": "us-east-1" },
                    newResource,
                },
            );
        }

        it("backs the table up when the trigger changes, as a child, keeping backups by default", async () => {
            const { resources } = await build({ backupBeforeChange: { trigger: "migration-42" } });
            const backup = only(resources, BACKUP);
            const table = only(resources, TABLE);
            assert.equal(backup.name, "orders-backup-before-change");
            assert.equal(backup.parent, table.parent);
            assert.equal(backup.inputs.tableName, "Orders");
            assert.equal(backup.inputs.trigger, "migration-42");
            assert.equal(backup.inputs.region, "us-east-1");
            assert.equal(backup.inputs.deleteBackupOnDestroy, false);
            assert.deepEqual(backup.propertyDependencies.tableName, [table.urn]);
            assert.equal(typeof backup.inputs.__provider, "string");
        });

        it("creates no backup resource unless asked", async () => {
            const { resources } = await build({});
            assert.equal(resources.filter((r) => r.type === BACKUP).length, 0);
        });

        it("requires a trigger", async () => {
            await assert.rejects(
                build({ backupBeforeChange: { trigger: "" } }),
                (error: unknown) =>
                    error instanceof TableArgsError &&
                    /`backupBeforeChange.trigger` is unset; set a value you change before a risky deployment/.test(
                        error.message,
                    ),
            );
        });

        it("rejects a backupBeforeChange of the wrong shape, every problem at once, creating nothing", async () => {
            const created: string[] = [];
            const failure = (backupBeforeChange: unknown) =>
                build({ backupBeforeChange } as never, (a) => {
                    if (!a.type.startsWith("pulumi:") && a.type !== "dynamodb-pitr:index:ResilientTable")
                        created.push(a.type);
                    return defaultNewResource(a);
                }).then(
                    () => assert.fail("expected the component to reject backupBeforeChange"),
                    (e: TableArgsError) => e.problems.map((p) => p.reason),
                );
            assert.deepEqual(await failure("migration-42"), [
                '`backupBeforeChange` is "migration-42"; it must be { trigger, deleteBackupOnDestroy? }. Fix: pass ' +
                    'the trigger inside an object, e.g. `backupBeforeChange: { trigger: "migration-42" }`.',
            ]);
            assert.deepEqual(await failure({ trigger: 42, deleteBackupOnDestroy: "no" }), [
                "`backupBeforeChange.trigger` is 42; it must be a string, since it becomes part of the backup's " +
                    'name. Fix: quote it, e.g. `trigger: "migration-42"`.',
                '`backupBeforeChange.deleteBackupOnDestroy` is "no"; it must be true or false. Fix: write the ' +
                    "boolean without quotes, or leave it unset to keep the backups.",
            ]);
            assert.deepEqual(created, []);
        });

        it("warns when the backed-up table has PITR off", async () => {
            const seen: string[] = [];
            const original = console.warn;
            console.warn = (message: unknown) => void seen.push(String(message));
            try {
                await build({ backupBeforeChange: { trigger: "m1" } }, (a) => {
                    const result = defaultNewResource(a);
                    if (a.type === BACKUP)
                        result.state = { ...result.state, pointInTimeRecoveryStatus: "DISABLED" };
                    return result;
                });
                await settled();
            } finally {
                console.warn = original;
            }
            assert.ok(
                seen.some((m) => /Point-in-time recovery on the backed-up table is DISABLED/.test(m)),
                JSON.stringify(seen),
            );
        });
    });
});
