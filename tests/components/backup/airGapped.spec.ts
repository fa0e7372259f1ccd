/**
 * Backups the workload account cannot delete: the `AirGappedVault` component, the `airGapped`
 * destination of TableBackupPlan, ProtectionBaseline (own plan and member mode) and
 * OrganizationBackupPolicy, their checks before any cloud call, and the production advisory.
 */
import { strict as assert } from "assert";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import {
    AirGappedDestination,
    AirGappedVault,
    AirGappedVaultArgs,
    OrganizationBackupPolicy,
    ProtectionBaseline,
    TableBackupPlan,
    TableBackupPlanArgs,
    resolveSchedule,
    validateAirGappedDestination,
    validateAirGappedVaultArgs,
    validateBackupPlanArgs,
    validateBaselineArgs,
    validateOrganizationPolicyArgs,
} from "../../../components";
import * as pkg from "../../../components/package";
import { all, only } from "../../support/resources";

const LAG = "arn:aws:backup:eu-west-1:999988887777:backup-vault:last-resort";
const DESTINATION: AirGappedDestination = { vaultArn: LAG, minRetentionDays: 7, maxRetentionDays: 365 };
const PLAN = "aws:backup/plan:Plan";
const LAG_VAULT = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";
const CONFIG = { "aws:region": "eu-west-1" };

/** Runs `program` under the mocks, collecting the advisories it logs (printed when no engine runs it). */
async function run(program: () => void) {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => void warnings.push(String(message));
    try {
        const result = await runUnderMocks(program, { project: "shop", stack: "prod", config: CONFIG });
        return { ...result, warnings };
    } finally {
        console.warn = original;
    }
}

const reasons = (problems: Array<{ reason: string }>) => problems.map((p) => p.reason).join("\n");
const daily = resolveSchedule("daily-monthly-1-year", true);

describe("air-gapped destination checks", () => {
    it("accepts the default schedule copied to a 7-to-365-day vault with advanced DynamoDB backup", () => {
        assert.deepEqual(validateAirGappedDestination(DESTINATION, daily, true), []);
    });

    it("refuses a copy kept less than the vault's minimum, naming the rule, the minimum and the fix", () => {
        const text = reasons(
            validateAirGappedDestination({ ...DESTINATION, minRetentionDays: 40 }, daily, true),
        );
        assert.match(
            text,
            /rule "Daily" keeps its copies 35 days, less than the air-gapped vault's minimum retention of 40 days/,
        );
        assert.match(text, /Fix: keep copies at least 40 days/);
    });

    it("refuses a copy kept longer than the maximum, and one kept forever", () => {
        const long = reasons(
            validateAirGappedDestination({ ...DESTINATION, maxRetentionDays: 100 }, daily, true),
        );
        assert.match(
            long,
            /rule "Monthly1Year" keeps its copies 365 days, more than the air-gapped vault's maximum retention of 100 days/,
        );
        const forever = [{ name: "Forever", schedule: "cron(0 5 * * ? *)" }];
        assert.match(
            reasons(validateAirGappedDestination(DESTINATION, forever, true)),
            /rule "Forever" keeps its copies forever, but the air-gapped vault keeps recovery points at most 365 days/,
        );
        assert.deepEqual(
            validateAirGappedDestination({ ...DESTINATION, deleteAfterDays: 30 }, forever, true),
            [],
        );
    });

    it("refuses a minimum under 7 days, a maximum under the minimum, a bad ARN, an unknown Region", () => {
        const text = reasons([
            ...validateAirGappedDestination({ vaultArn: LAG, minRetentionDays: 3 }, [], true),
            ...validateAirGappedDestination(
                { vaultArn: LAG, minRetentionDays: 30, maxRetentionDays: 10 },
                [],
                true,
            ),
            ...validateAirGappedDestination({ vaultArn: "last-resort" }, [], true),
            ...validateAirGappedDestination({ vaultArn: LAG.replace("eu-west-1", "eu-wset-1") }, [], true),
        ]);
        assert.match(text, /`airGapped.minRetentionDays` is 3; it must be a whole number of days from 7/);
        assert.match(
            text,
            /`airGapped.maxRetentionDays` is 10, less than `airGapped.minRetentionDays` \(30\)/,
        );
        assert.match(text, /`airGapped.vaultArn` is "last-resort"; it must be a backup vault ARN/);
        assert.match(text, /names the Region "eu-wset-1", which is not an AWS Region/);
    });

    it("refuses copies without advanced DynamoDB backup, saying how to turn it on", () => {
        assert.match(
            reasons(validateAirGappedDestination(DESTINATION, daily, false)),
            /needs AWS Backup's advanced DynamoDB backup .* Fix: set `advancedDynamoDbBackup: "enable"`/,
        );
    });

    it("prefixes the paths of a table's backup", () => {
        const problems = validateBackupPlanArgs(
            { airGapped: { vaultArn: "nope" }, advancedDynamoDbBackup: "enable" },
            "backup.",
        );
        assert.deepEqual(
            problems.map((p) => p.propertyPath),
            ["backup.airGapped.vaultArn"],
        );
    });
});

describe("AirGappedVault", () => {
    const vaultProblems = (args: AirGappedVaultArgs) => reasons(validateAirGappedVaultArgs(args));

    it("checks retention, Region and share before any cloud call", () => {
        assert.equal(vaultProblems({}), "");
        assert.match(
            vaultProblems({ minRetentionDays: 1 }),
            /`minRetentionDays` is 1; it must be a whole number of days from 7/,
        );
        assert.match(
            vaultProblems({ minRetentionDays: 30, maxRetentionDays: 20 }),
            /`maxRetentionDays` is 20, less than `minRetentionDays` \(30\)/,
        );
        assert.match(vaultProblems({ region: "eu-west-9" }), /`region` is "eu-west-9"/);
        assert.match(
            vaultProblems({ share: { accountIds: ["1234"] } }),
            /`share.accountIds\[0\]` is "1234"; it must be a 12-digit AWS account ID/,
        );
        assert.match(
            vaultProblems({ share: { organizationArn: "o-abc" } }),
            /`share.organizationArn` is "o-abc"/,
        );
        assert.match(vaultProblems({ share: {} }), /`share` names no one to share with/);
    });

    it("creates a protected 7-to-365-day vault, shared through RAM to each recovery account, with notifications", async () => {
        let vault: AirGappedVault | undefined;
        const { resources } = await run(() => {
            vault = new AirGappedVault("last-resort", {
                share: { accountIds: ["111122223333", "444455556666"] },
                notifications: {},
            });
        });
        const created = only(resources, LAG_VAULT);
        assert.equal(created.inputs.minRetentionDays, 7);
        assert.equal(created.inputs.maxRetentionDays, 365);
        assert.equal(created.inputs.encryptionKeyArn, undefined, "an AWS-owned key by default");
        assert.ok(created.protect && created.retainOnDelete, "production: protected and retained");
        const share = only(resources, "aws:ram/resourceShare:ResourceShare");
        assert.equal(share.inputs.allowExternalPrincipals, false);
        assert.equal(
            only(resources, "aws:ram/resourceAssociation:ResourceAssociation").inputs.resourceArn,
            created.outputs.arn,
        );
        assert.deepEqual(
            all(resources, "aws:ram/principalAssociation:PrincipalAssociation").map(
                (p) => p.inputs.principal,
            ),
            ["111122223333", "444455556666"],
        );
        assert.equal(
            only(resources, "aws:backup/vaultNotifications:VaultNotifications").inputs.backupVaultName,
            created.outputs.name,
        );
        assert.equal(vault!.destination.minRetentionDays, 7);
        assert.equal(vault!.destination.maxRetentionDays, 365);
    });

    it("throws every problem at once, before any resource exists", async () => {
        const { resources } = await run(() => {
            assert.throws(
                () => new AirGappedVault("bad", { minRetentionDays: 2, share: { accountIds: ["x"] } }),
                (e: Error & { problems?: unknown[] }) =>
                    e.name === "AirGappedVaultArgsError" && e.problems?.length === 2,
            );
        });
        assert.equal(all(resources, LAG_VAULT).length, 0);
    });
});

describe("airGapped on TableBackupPlan", () => {
    const planOf = async (args: TableBackupPlanArgs) => {
        const result = await run(() => void new TableBackupPlan("orders", args));
        return { ...result, rules: only(result.resources, PLAN).inputs.rules as Array<Record<string, any>> };
    };

    it("copies every rule's recovery points to the air-gapped vault, kept as long as the rule's", async () => {
        const { rules, warnings } = await planOf({
            airGapped: DESTINATION,
            advancedDynamoDbBackup: "already-enabled",
        });
        assert.deepEqual(
            rules.map((r) => [r.ruleName, r.copyActions]),
            [
                ["Daily", [{ destinationVaultArn: LAG, lifecycle: { deleteAfter: 35 } }]],
                ["Monthly1Year", [{ destinationVaultArn: LAG, lifecycle: { deleteAfter: 365 } }]],
            ],
        );
        assert.deepEqual(
            warnings.filter((w) => w.includes("stays in this account")),
            [],
        );
    });

    it("keeps copies `deleteAfterDays` when given", async () => {
        const { rules } = await planOf({
            airGapped: { ...DESTINATION, deleteAfterDays: 90 },
            advancedDynamoDbBackup: "enable",
        });
        for (const rule of rules) assert.deepEqual(rule.copyActions[0].lifecycle, { deleteAfter: 90 });
    });

    it("warns a production plan with no copy outside the account, naming what an admin could delete and the fix", async () => {
        const { warnings } = await planOf({});
        const advisory = warnings.find((w) => w.includes('TableBackupPlan "orders"'));
        assert.ok(advisory, `no advisory in:\n${warnings.join("\n")}`);
        assert.match(
            advisory,
            /turn PITR off, delete the tables, and delete every recovery point in the vault \(it has no lock\)/,
        );
        assert.match(advisory, /Fix: set `airGapped`/);
        const staging = await planOf({ tier: "staging" });
        assert.deepEqual(
            staging.warnings.filter((w) => w.includes("stays in this account")),
            [],
        );
    });

    it("refuses an air-gapped copy without advanced DynamoDB backup, before any resource exists", async () => {
        const { resources } = await run(() => {
            assert.throws(
                () => new TableBackupPlan("orders", { airGapped: DESTINATION }),
                /airGapped.*advanced DynamoDB backup/s,
            );
        });
        assert.equal(all(resources, PLAN).length, 0);
    });
});

describe("airGapped in the multi-language package", () => {
    it("the package's TableBackupPlan and ProtectionBaseline pass it on", async () => {
        const plan = await run(
            () =>
                void new pkg.TableBackupPlan("orders", {
                    airGapped: DESTINATION,
                    advancedDynamoDbBackup: "enable",
                }),
        );
        const rules = only(plan.resources, PLAN).inputs.rules as Array<Record<string, any>>;
        assert.ok(rules.every((r) => r.copyActions?.[0]?.destinationVaultArn === LAG));
        assert.deepEqual(pkg.toBaselineArgs({ airGapped: DESTINATION }).airGapped, DESTINATION);
    });
});

describe("airGapped on ProtectionBaseline and OrganizationBackupPolicy", () => {
    it("a baseline's own plan copies to the air-gapped vault", async () => {
        const { resources } = await run(
            () =>
                void new ProtectionBaseline("fleet", {
                    airGapped: DESTINATION,
                    advancedDynamoDbBackup: "enable",
                    alerts: false,
                    configRules: false,
                }),
        );
        const rules = only(resources, PLAN).inputs.rules as Array<Record<string, any>>;
        assert.ok(rules.every((r) => r.copyActions?.[0]?.destinationVaultArn === LAG));
    });

    it("member mode takes `airGapped` as the policy's destination (checked, nothing created) and warns when the policy copies nowhere", async () => {
        assert.equal(
            reasons(
                validateBaselineArgs({
                    organizationMember: {},
                    airGapped: DESTINATION,
                    advancedDynamoDbBackup: "enable",
                }),
            ),
            "",
        );
        assert.match(
            reasons(validateBaselineArgs({ organizationMember: {}, airGapped: DESTINATION })),
            /advancedDynamoDbBackup/,
        );
        assert.match(
            reasons(
                validateBaselineArgs({
                    organizationMember: {},
                    airGapped: { vaultArn: "arn:aws:backup:eu-west-1:12:backup-vault:x" },
                    advancedDynamoDbBackup: "enable",
                }),
            ),
            /airGapped/,
        );
        const declared = await run(
            () =>
                void new ProtectionBaseline("member", {
                    organizationMember: { copiesOutsideAccount: [] },
                    airGapped: DESTINATION,
                    advancedDynamoDbBackup: "enable",
                }),
        );
        assert.deepEqual(
            declared.warnings.filter((w) => w.includes("stays in this account")),
            [],
        );
        assert.ok(!declared.resources.some((r) => r.type === PLAN), "member mode creates no plan");
        const none = await run(
            () => void new ProtectionBaseline("member", { organizationMember: { copiesOutsideAccount: [] } }),
        );
        assert.ok(
            none.warnings.some((w) =>
                /ProtectionBaseline "member".*set `airGapped` on the OrganizationBackupPolicy/.test(w),
            ),
        );
        const copied = await run(
            () =>
                void new ProtectionBaseline("member", {
                    organizationMember: { copiesOutsideAccount: [LAG] },
                }),
        );
        assert.deepEqual(
            copied.warnings.filter((w) => w.includes("stays in this account")),
            [],
        );
    });

    it("the organization's policy copies every rule to the vault, and tells member baselines so", async () => {
        let policy: OrganizationBackupPolicy | undefined;
        const { resources } = await run(() => {
            policy = new OrganizationBackupPolicy("org", {
                targetIds: ["r-ab12"],
                regions: ["eu-west-1"],
                airGapped: DESTINATION,
                advancedDynamoDbBackup: "already-enabled",
            });
        });
        const doc = JSON.parse(only(resources, "aws:organizations/policy:Policy").inputs.content as string);
        for (const rule of Object.values(doc.plans["dynamodb-tables"].rules) as Array<Record<string, any>>) {
            assert.deepEqual(rule.copy_actions[LAG].target_backup_vault_arn, { "@@assign": LAG });
        }
        assert.deepEqual(policy!.memberArgs.copiesOutsideAccount, [LAG]);
        assert.deepEqual(policy!.packConfig["dynamodb-production-table-backups-isolated"], {
            organizationIsolatedSelections: [{ tags: { environment: "production" } }],
        });
    });

    it("the organization refuses `$account` and a copy longer than the vault keeps", () => {
        const text = reasons(
            validateOrganizationPolicyArgs({
                targetIds: ["r-ab12"],
                regions: ["eu-west-1"],
                airGapped: {
                    vaultArn: "arn:aws:backup:eu-west-1:$account:backup-vault:v",
                    maxRetentionDays: 30,
                },
                advancedDynamoDbBackup: "already-enabled",
            }),
        );
        assert.match(text, /`airGapped.vaultArn` is "arn:aws:backup:eu-west-1:\$account:backup-vault:v"/);
        assert.match(text, /more than the air-gapped vault's maximum retention of 30 days/);
    });
});
