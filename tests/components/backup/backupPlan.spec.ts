import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import {
    BACKUP_PRESETS,
    BackupPlanArgsError,
    ResilientTable,
    ResilientTableArgs,
    resolveSchedule,
    TableArgsError,
    TableBackupPlan,
    TableBackupPlanArgs,
} from "../../../components";
import { all, COMPONENT, KMS_KEY, only, TABLE } from "../../support/resources";

const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";
const SELECTION = "aws:backup/selection:Selection";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const REGION_SETTINGS = "aws:backup/regionSettings:RegionSettings";
const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const NOTIFICATIONS = "aws:backup/vaultNotifications:VaultNotifications";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const RESTORE_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const RESTORE_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const BACKUP_PLAN_COMPONENT = "dynamodb-pitr:index:TableBackupPlan";

const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";
const DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr";

const orders: ResilientTableArgs = {
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
};

const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

async function plan(args: TableBackupPlanArgs = {}, stack = "dev") {
    let component: TableBackupPlan | undefined;
    const run = await runUnderMocks(
        () => {
            component = new TableBackupPlan("shared", args);
        },
        { project: "shop", stack, config: { "aws:region": "us-east-1" } },
    );
    return {
        ...run,
        component: component!,
        plan: only(run.resources, PLAN),
        vault: only(run.resources, VAULT),
    };
}

async function tables(program: () => void) {
    return runUnderMocks(program, { project: "shop", stack: "prod", config: { "aws:region": "us-east-1" } });
}

const ruleInputs = (r: CapturedResource) => r.inputs.rules as Array<Record<string, any>>;

describe("TableBackupPlan", () => {
    describe("defaults", () => {
        it("creates a vault encrypted with a new rotating KMS key, both protected for production", async () => {
            const { resources, vault } = await plan();
            const key = only(resources, KMS_KEY);
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.inputs.deletionWindowInDays, 30);
            assert.equal(vault.inputs.kmsKeyArn, key.outputs.arn);
            assert.equal(vault.inputs.forceDestroy, false);
            for (const r of [key, vault]) {
                assert.equal(r.protect, true, r.name);
                assert.equal(r.retainOnDelete, true, r.name);
            }
        });

        it("names the vault and plan after the project, stack and component, so stacks never collide", async () => {
            const dev = await plan({}, "dev");
            const prod = await plan({}, "prod");
            assert.equal(dev.vault.inputs.name, "shop-dev-shared");
            assert.equal(prod.vault.inputs.name, "shop-prod-shared");
            assert.equal(prod.plan.inputs.name, "shop-prod-shared");
        });

        it("schedules daily backups kept 35 days and monthly ones kept a year, into its vault", async () => {
            const { plan: p, vault } = await plan();
            assert.deepEqual(ruleInputs(p), [
                {
                    ruleName: "Daily",
                    targetVaultName: vault.inputs.name,
                    schedule: "cron(0 5 * * ? *)",
                    lifecycle: { deleteAfter: 35 },
                },
                {
                    ruleName: "Monthly1Year",
                    targetVaultName: vault.inputs.name,
                    schedule: "cron(0 5 1 * ? *)",
                    lifecycle: { deleteAfter: 365 },
                },
            ]);
        });

        it("creates the role AWS Backup assumes, with the backup and restore managed policies", async () => {
            const { resources, component } = await plan();
            const role = only(resources, ROLE);
            assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "backup.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            });
            const attachments = all(resources, ATTACHMENT);
            assert.deepEqual(attachments.map((a) => a.inputs.policyArn).sort(), [
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
            ]);
            for (const a of attachments) assert.equal(a.inputs.role, role.outputs.name);
            assert.equal(await value(component.roleArn), role.outputs.arn);
        });

        it("exposes planArn, planId, vaultName, vaultArn and roleArn", async () => {
            const { component, plan: p, vault } = await plan();
            assert.equal(await value(component.planArn), p.outputs.arn);
            assert.equal(await value(component.planId), p.id);
            assert.equal(await value(component.vaultName), "shop-dev-shared");
            assert.equal(await value(component.vaultArn), vault.outputs.arn);
        });

        it("creates no selection, region settings, lock, notifications or restore tests unless asked", async () => {
            const { resources } = await plan();
            for (const type of [SELECTION, REGION_SETTINGS, VAULT_LOCK, NOTIFICATIONS, TOPIC, RESTORE_PLAN]) {
                assert.equal(all(resources, type).length, 0, type);
            }
        });
    });

    describe("schedules", () => {
        for (const preset of BACKUP_PRESETS) {
            it(`creates the rules of preset "${preset}"`, async () => {
                const { plan: p } = await plan({ schedule: preset });
                const expected = resolveSchedule(preset, false);
                assert.deepEqual(
                    ruleInputs(p).map((r) => [r.ruleName, r.schedule, r.lifecycle]),
                    expected.map((r) => [r.name, r.schedule, { deleteAfter: r.lifecycle?.deleteAfterDays }]),
                );
            });
        }

        it("keeps presets' cold storage when advanced DynamoDB backup is on", async () => {
            const { plan: p } = await plan({
                schedule: "daily-weekly-monthly-7-year",
                advancedDynamoDbBackup: "already-enabled",
            });
            assert.deepEqual(ruleInputs(p)[2].lifecycle, { coldStorageAfter: 90, deleteAfter: 2555 });
        });

        it("passes a custom rule's time zone, windows and recovery point tags", async () => {
            const { plan: p } = await plan({
                advancedDynamoDbBackup: "already-enabled",
                schedule: [
                    {
                        name: "Nightly",
                        schedule: "cron(0 2 ? * * *)",
                        scheduleTimezone: "Europe/Paris",
                        startWindowMinutes: 60,
                        completionWindowMinutes: 240,
                        lifecycle: { deleteAfterDays: 14 },
                        recoveryPointTags: { team: "checkout" },
                    },
                ],
            });
            const [rule] = ruleInputs(p);
            assert.equal(rule.scheduleExpressionTimezone, "Europe/Paris");
            assert.equal(rule.startWindow, 60);
            assert.equal(rule.completionWindow, 240);
            assert.deepEqual(rule.recoveryPointTags, { team: "checkout" });
        });

        it("copies recovery points to another Region's vault with the copy's own lifecycle", async () => {
            const { plan: p } = await plan({
                advancedDynamoDbBackup: "enable",
                schedule: [
                    "daily",
                    {
                        name: "DailyToDr",
                        schedule: "cron(0 6 * * ? *)",
                        lifecycle: { deleteAfterDays: 35 },
                        copyActions: [
                            {
                                destinationVaultArn: DR_VAULT,
                                lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 },
                            },
                        ],
                    },
                ],
            });
            assert.deepEqual(ruleInputs(p)[1].copyActions, [
                { destinationVaultArn: DR_VAULT, lifecycle: { coldStorageAfter: 30, deleteAfter: 365 } },
            ]);
        });

        it("turns on advanced DynamoDB backup before the plan when asked, and never turns it off", async () => {
            const { resources, plan: p } = await plan({ advancedDynamoDbBackup: "enable" });
            const settings = only(resources, REGION_SETTINGS);
            assert.deepEqual(settings.inputs.resourceTypeManagementPreference, { DynamoDB: true });
            assert.deepEqual(settings.inputs.resourceTypeOptInPreference, { DynamoDB: true });
            assert.equal(settings.retainOnDelete, true);
            assert.ok(p.dependencies.includes(settings.urn));
        });
    });

    describe("options", () => {
        it("uses a KMS key and role passed in instead of creating them", async () => {
            const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/org";
            const roleArn = "arn:aws:iam::123456789012:role/org-backup";
            const { resources, vault, component } = await plan({ kmsKeyArn, roleArn, tables: [TABLE_ARN] });
            assert.equal(all(resources, KMS_KEY).length + all(resources, ROLE).length, 0);
            assert.equal(vault.inputs.kmsKeyArn, kmsKeyArn);
            assert.equal(only(resources, SELECTION).inputs.iamRoleArn, roleArn);
            assert.equal(await value(component.roleArn), roleArn);
        });

        it("does not protect the vault and key of development data", async () => {
            const { resources, vault } = await plan({ tier: "development" });
            assert.equal(vault.protect, false);
            assert.equal(only(resources, KMS_KEY).protect, false);
            assert.equal((vault.inputs.tags as Record<string, string>).environment, "development");
        });

        it("takes explicit vault and plan names", async () => {
            const { vault, plan: p } = await plan({ vaultName: "org-vault", planName: "org.plan" });
            assert.equal(vault.inputs.name, "org-vault");
            assert.equal(p.inputs.name, "org.plan");
        });

        it("locks the vault in compliance mode with a grace period", async () => {
            const { resources, vault } = await plan({
                vaultLock: {
                    mode: "compliance",
                    minRetentionDays: 30,
                    maxRetentionDays: 400,
                    changeableForDays: 7,
                },
            });
            const lock = only(resources, VAULT_LOCK);
            assert.equal(lock.inputs.backupVaultName, vault.inputs.name);
            assert.equal(lock.inputs.minRetentionDays, 30);
            assert.equal(lock.inputs.maxRetentionDays, 400);
            assert.equal(lock.inputs.changeableForDays, 7);
            assert.equal(lock.protect, true);
        });

        it("locks the vault in governance mode without a grace period", async () => {
            const { resources } = await plan({ vaultLock: { mode: "governance", minRetentionDays: 7 } });
            assert.equal(only(resources, VAULT_LOCK).inputs.changeableForDays, undefined);
        });

        it("creates a topic AWS Backup may publish to, and notifies job outcomes", async () => {
            const { resources, vault } = await plan({ notifications: {} });
            const topic = only(resources, TOPIC);
            const policy = JSON.parse(only(resources, TOPIC_POLICY).inputs.policy as string);
            assert.deepEqual(policy.Statement[0].Principal, { Service: "backup.amazonaws.com" });
            assert.equal(policy.Statement[0].Action, "SNS:Publish");
            assert.equal(policy.Statement[0].Resource, topic.outputs.arn);
            const notifications = only(resources, NOTIFICATIONS);
            assert.equal(notifications.inputs.backupVaultName, vault.inputs.name);
            assert.equal(notifications.inputs.snsTopicArn, topic.outputs.arn);
            assert.deepEqual(notifications.inputs.backupVaultEvents, [
                "BACKUP_JOB_COMPLETED",
                "RESTORE_JOB_COMPLETED",
                "COPY_JOB_FAILED",
                "RECOVERY_POINT_MODIFIED",
            ]);
        });

        it("notifies an existing topic with chosen events", async () => {
            const topicArn = "arn:aws:sns:us-east-1:123456789012:oncall";
            const { resources } = await plan({ notifications: { topicArn, events: ["COPY_JOB_FAILED"] } });
            assert.equal(all(resources, TOPIC).length, 0);
            assert.equal(only(resources, NOTIFICATIONS).inputs.snsTopicArn, topicArn);
            assert.deepEqual(only(resources, NOTIFICATIONS).inputs.backupVaultEvents, ["COPY_JOB_FAILED"]);
        });

        it("tests restores weekly from the latest recovery point in its vault", async () => {
            const { resources, vault } = await plan({ restoreTesting: true });
            const testing = only(resources, RESTORE_PLAN);
            assert.equal(testing.inputs.name, "shop_dev_shared");
            assert.equal(testing.inputs.scheduleExpression, "cron(0 8 ? * MON *)");
            assert.deepEqual(testing.inputs.recoveryPointSelection, {
                algorithm: "LATEST_WITHIN_WINDOW",
                includeVaults: [vault.outputs.arn],
                recoveryPointTypes: ["SNAPSHOT"],
                selectionWindowDays: 7,
            });
            const selection = only(resources, RESTORE_SELECTION);
            assert.equal(selection.inputs.protectedResourceType, "DynamoDB");
            assert.deepEqual(selection.inputs.protectedResourceArns, ["*"]);
            assert.equal(selection.inputs.restoreTestingPlanName, "shop_dev_shared");
            assert.equal(selection.inputs.iamRoleArn, only(resources, ROLE).outputs.arn);
            assert.equal(selection.inputs.validationWindowHours, 24);
        });

        it("takes the restore test's schedule and windows", async () => {
            const { resources } = await plan({
                restoreTesting: {
                    schedule: "cron(0 3 1 * ? *)",
                    selectionWindowDays: 30,
                    validationWindowHours: 4,
                },
            });
            assert.equal(only(resources, RESTORE_PLAN).inputs.scheduleExpression, "cron(0 3 1 * ? *)");
            assert.equal(only(resources, RESTORE_SELECTION).inputs.validationWindowHours, 4);
        });
    });

    describe("selections", () => {
        it("selects tables by ARN", async () => {
            const { resources, plan: p } = await plan({ tables: [TABLE_ARN] });
            const selection = only(resources, SELECTION);
            assert.deepEqual(selection.inputs.resources, [TABLE_ARN]);
            assert.equal(selection.inputs.planId, p.id);
            assert.equal(selection.inputs.iamRoleArn, only(resources, ROLE).outputs.arn);
            assert.equal(selection.deleteBeforeReplace, true);
        });

        it("selects every DynamoDB table with the given tags, and only tables", async () => {
            const { resources } = await plan({ selectTags: { environment: "production", team: "checkout" } });
            const selection = only(resources, SELECTION);
            assert.deepEqual(selection.inputs.resources, ["arn:aws:dynamodb:*:*:table/*"]);
            assert.deepEqual(selection.inputs.conditions, [
                {
                    stringEquals: [
                        { key: "aws:ResourceTag/environment", value: "production" },
                        { key: "aws:ResourceTag/team", value: "checkout" },
                    ],
                },
            ]);
        });

        it("adds one selection per consumer with selectTables", async () => {
            const run = await tables(() => {
                const shared = new TableBackupPlan("shared", {});
                shared.selectTables("orders", [TABLE_ARN]);
                shared.selectTables("users", ["arn:aws:dynamodb:us-east-1:123456789012:table/Users"]);
            });
            const selections = all(run.resources, SELECTION);
            assert.deepEqual(
                selections.map((s) => s.inputs.name),
                ["shop-prod-orders", "shop-prod-users"],
            );
        });
    });

    describe("bad input", () => {
        it("reports every problem at once before creating anything", async () => {
            let created = 0;
            const error = await runUnderMocks(
                () =>
                    new TableBackupPlan("shared", {
                        schedule: [{ name: "Bad", schedule: "cron(0 5 * * *)", startWindowMinutes: 5 }],
                        vaultLock: { mode: "compliance" },
                    }),
                {
                    newResource: (a) => {
                        created += a.type.startsWith("aws:") ? 1 : 0;
                        return { id: "x", state: a.inputs };
                    },
                },
            ).then(
                () => assert.fail("expected the plan to reject its arguments"),
                (e) => e,
            );
            assert.ok(error instanceof BackupPlanArgsError, String(error));
            assert.match(
                error.message,
                /^TableBackupPlan "shared" has 3 invalid arguments:\n {2}- `schedule\[0\].schedule`/,
            );
            assert.match(error.message, /`schedule\[0\].startWindowMinutes` is 5/);
            assert.match(error.message, /`vaultLock.changeableForDays` is unset/);
            assert.equal(error.hideStack, true);
            assert.equal(created, 0);
        });
    });
});

describe("ResilientTable backups", () => {
    async function table(args: Partial<ResilientTableArgs> = {}) {
        let component: ResilientTable | undefined;
        const run = await tables(() => {
            component = new ResilientTable("orders", { ...orders, ...args });
        });
        return { ...run, component: component! };
    }

    it("gives a production table its own plan with the default preset, selecting the table", async () => {
        const { resources, component } = await table();
        const tableResource = only(resources, TABLE);
        const backupPlan = only(resources, BACKUP_PLAN_COMPONENT);
        assert.equal(backupPlan.parent, only(resources, COMPONENT).urn);
        assert.deepEqual(
            ruleInputs(only(resources, PLAN)).map((r) => r.ruleName),
            ["Daily", "Monthly1Year"],
        );
        assert.deepEqual(only(resources, SELECTION).inputs.resources, [tableResource.outputs.arn]);
        assert.equal(await value(component.backupPlanArn), only(resources, PLAN).outputs.arn);
        assert.equal(await value(component.backupVaultName), "shop-prod-orders-backup");
    });

    it("encrypts its own vault with the table's key and protects the vault", async () => {
        const { resources } = await table();
        const vault = only(resources, VAULT);
        assert.equal(all(resources, KMS_KEY).length, 1);
        assert.equal(vault.inputs.kmsKeyArn, only(resources, KMS_KEY).outputs.arn);
        assert.equal(vault.protect, true);
        assert.equal(vault.retainOnDelete, true);
    });

    it("takes a preset name", async () => {
        const { resources } = await table({ backup: "daily-weekly-monthly-7-year" });
        assert.deepEqual(
            ruleInputs(only(resources, PLAN)).map((r) => r.ruleName),
            ["Daily", "Weekly", "Monthly7Year"],
        );
    });

    it("takes plan options, such as restore testing and notifications", async () => {
        const { resources } = await table({
            backup: { schedule: "weekly", restoreTesting: true, notifications: {} },
        });
        assert.equal(all(resources, RESTORE_PLAN).length, 1);
        assert.equal(all(resources, NOTIFICATIONS).length, 1);
    });

    it("creates no backups for a development table unless asked", async () => {
        const none = await table({ tier: "development" });
        assert.equal(all(none.resources, PLAN).length, 0);
        assert.equal(await value(none.component.backupPlanArn), undefined);
        const asked = await table({ tier: "development", backup: "weekly" });
        const vault = only(asked.resources, VAULT);
        assert.equal(vault.protect, false);
        assert.equal(all(asked.resources, KMS_KEY).length, 1, "aws-owned table: the plan makes its own key");
    });

    it('lets a production table opt out with "none" or false, keeping PITR', async () => {
        for (const backup of ["none", false] as const) {
            const { resources } = await table({ backup });
            assert.equal(all(resources, PLAN).length + all(resources, SELECTION).length, 0);
            assert.equal((only(resources, TABLE).inputs.pointInTimeRecovery as any).enabled, true);
        }
    });

    it("shares one plan: three tables, one plan, one vault, three selections", async () => {
        const run = await tables(() => {
            const shared = new TableBackupPlan("platform", { schedule: "daily-weekly-monthly-5-year" });
            for (const name of ["orders", "users", "carts"]) {
                new ResilientTable(name, { ...orders, backup: { plan: shared } });
            }
        });
        assert.equal(all(run.resources, TABLE).length, 3);
        assert.equal(all(run.resources, PLAN).length, 1);
        assert.equal(all(run.resources, VAULT).length, 1);
        const selections = all(run.resources, SELECTION);
        assert.equal(selections.length, 3);
        const planId = only(run.resources, PLAN).id;
        for (const selection of selections) assert.equal(selection.inputs.planId, planId);
        assert.deepEqual(
            selections.map((s) => s.inputs.name),
            ["shop-prod-orders-backup", "shop-prod-users-backup", "shop-prod-carts-backup"],
        );
        // Each selection belongs to its table, so removing one table removes only its own selection.
        const components = all(run.resources, COMPONENT);
        assert.deepEqual(
            selections.map((s) => s.parent),
            components.map((c) => c.urn),
        );
    });

    it("relies on a plan's tag selection for tables that carry the tags", async () => {
        const run = await tables(() => {
            const shared = new TableBackupPlan("platform", { selectTags: { environment: "production" } });
            for (const name of ["orders", "users", "carts"]) {
                new ResilientTable(name, { ...orders, backup: { plan: shared } });
            }
            new ResilientTable("scratch", { ...orders, tier: "staging", backup: { plan: shared } });
        });
        const selections = all(run.resources, SELECTION);
        assert.deepEqual(
            selections.map((s) => s.name),
            ["platform-tagged", "scratch-backup"],
        );
    });

    it("joins a plan from another stack by its outputs", async () => {
        const reference = {
            planId: "plan-123",
            planArn: "arn:aws:backup:us-east-1:123456789012:backup-plan:plan-123",
            roleArn: "arn:aws:iam::123456789012:role/backup",
            vaultName: "platform-vault",
        };
        let component: ResilientTable | undefined;
        const run = await tables(() => {
            component = new ResilientTable("orders", { ...orders, backup: { plan: reference } });
        });
        const selection = only(run.resources, SELECTION);
        assert.equal(selection.inputs.planId, "plan-123");
        assert.equal(selection.inputs.iamRoleArn, reference.roleArn);
        assert.equal(all(run.resources, PLAN).length, 0);
        assert.equal(await value(component!.backupPlanArn), reference.planArn);
        assert.equal(await value(component!.backupVaultName), "platform-vault");
    });

    it("rejects a bad backup argument with the table's other problems, before anything exists", async () => {
        const error = await table({ backup: "hourly" as never, name: "ab" }).then(
            () => assert.fail("expected the table to reject its arguments"),
            (e) => e,
        );
        assert.ok(error instanceof TableArgsError, String(error));
        assert.match(error.message, /^ResilientTable "orders" has 2 invalid arguments:/);
        assert.match(error.message, /`backup` is "hourly"; it must be a preset \("daily"/);
    });

    it("rejects a shared plan in another Region than the table", async () => {
        const error = await tables(() => {
            const shared = new TableBackupPlan("platform", { region: "eu-west-1" });
            new ResilientTable("orders", { ...orders, backup: { plan: shared } });
        }).catch((e) => e);
        assert.ok(error instanceof TableArgsError, String(error));
        assert.match(
            error.message,
            /`backup.plan` is in eu-west-1 but the table is in us-east-1; an AWS Backup plan selects resources in its own Region only/,
        );
    });

    it("rejects a compliance lock without a grace period, naming backup.vaultLock", async () => {
        const error = await table({ backup: { schedule: "daily", vaultLock: { mode: "compliance" } } }).catch(
            (e) => e,
        );
        assert.match(error.message, /`backup.vaultLock.changeableForDays` is unset; compliance mode needs/);
    });
});
