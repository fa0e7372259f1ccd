import { strict as assert } from "assert";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { auditControls, MAX_CONTROLS_PER_FRAMEWORK, validateAudit } from "../../../components/backup/audit";
import { OrganizationBackupPolicy } from "../../../components/org/organizationBackupPolicy";
import { ProtectionBaseline } from "../../../components/baseline/protectionBaseline";
import { ProtectionBaselineArgs } from "../../../components/baseline/types";
import { ResilientTable } from "../../../components/table/resilientTable";
import { all, KMS_KEY, only } from "../../support/resources";

const CONFIG = { "aws:region": "eu-west-1" };

function build(args: ProtectionBaselineArgs, more?: (b: ProtectionBaseline) => void) {
    return runUnderMocks(
        () => {
            const b = new ProtectionBaseline("member", args);
            more?.(b);
        },
        { project: "accounts", stack: "prod", config: CONFIG },
    );
}

describe("ProtectionBaseline in member mode (organizationMember)", () => {
    it("creates exactly the key, the vault and its lock, the role, alarms and Config rules, named as the policy says; no plan or selection", async () => {
        const { resources } = await build({
            organizationMember: {},
            vaultLock: { mode: "governance", minRetentionDays: 7 },
        });
        const count = (type: string) => all(resources, type).length;
        assert.equal(count("aws:backup/plan:Plan"), 0);
        assert.equal(count("aws:backup/selection:Selection"), 0);
        assert.equal(count(KMS_KEY), 1);
        assert.equal(count("aws:backup/vault:Vault"), 1);
        assert.equal(count("aws:backup/vaultLockConfiguration:VaultLockConfiguration"), 1);
        assert.equal(count("aws:iam/role:Role"), 1);
        assert.equal(count("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), 2);
        assert.equal(count("aws:cloudwatch/eventRule:EventRule"), 2);
        assert.equal(count("aws:cfg/rule:Rule"), 3);
        assert.equal(count("aws:backup/framework:Framework"), 0, "audit is opt-in");

        const vault = only(resources, "aws:backup/vault:Vault");
        assert.equal(vault.inputs.name, "dynamodb-organization-backups");
        assert.equal(vault.inputs.kmsKeyArn, only(resources, KMS_KEY).outputs.arn);
        assert.equal(vault.protect, true);
        assert.equal(vault.retainOnDelete, true);
        const role = only(resources, "aws:iam/role:Role");
        assert.equal(role.inputs.name, "dynamodb-organization-backup");
        assert.match(String(role.inputs.assumeRolePolicy), /backup\.amazonaws\.com/);
    });

    it("takes its names from an OrganizationBackupPolicy's memberArgs, so the two match", async () => {
        let policyArgs: ProtectionBaselineArgs["organizationMember"];
        await runUnderMocks(() => {
            const policy = new OrganizationBackupPolicy("org", {
                targetIds: ["ou-ab12-cdef3456"],
                regions: ["eu-west-1"],
                vaultName: "OrgVault",
                roleName: "OrgRole",
                selection: { tags: { backup: "organization" } },
            });
            policyArgs = policy.memberArgs;
        });
        let baseline: ProtectionBaseline | undefined;
        const { resources } = await build({ organizationMember: policyArgs }, (b) => (baseline = b));
        assert.equal(only(resources, "aws:backup/vault:Vault").inputs.name, "OrgVault");
        assert.equal(only(resources, "aws:iam/role:Role").inputs.name, "OrgRole");
        assert.deepEqual(baseline!.selectedTags, { backup: "organization" });
    });

    it("lets a table join and carry the policy's selection tags, without a selection of its own", async () => {
        const { resources } = await build(
            { organizationMember: { selectedTags: { backup: "organization" } } },
            (b) => {
                new ResilientTable("orders", {
                    hashKey: "id",
                    attributes: [{ name: "id", type: "S" }],
                    baseline: b,
                });
            },
        );
        const table = only(resources, "aws:dynamodb/table:Table");
        assert.equal((table.inputs.tags as Record<string, string>).backup, "organization");
        assert.equal(all(resources, "aws:backup/selection:Selection").length, 0);
        assert.equal(all(resources, "aws:backup/plan:Plan").length, 0);
    });

    it("creates no role where another Region's baseline of the account already does (createRole: false)", async () => {
        const { resources } = await build({ organizationMember: { createRole: false } });
        assert.equal(all(resources, "aws:iam/role:Role").length, 0);
        assert.equal(all(resources, "aws:backup/vault:Vault").length, 1);
    });

    it("refuses plan arguments in member mode, and bad names, all at once", async () => {
        await assert.rejects(
            build({
                organizationMember: { vaultName: "a", roleName: "bad role", createRole: "no" as never },
                schedule: "daily",
                selection: { tags: { team: "x" } },
            }),
            (e: Error) =>
                /ProtectionBaseline "member" has 5 invalid arguments/.test(e.message) &&
                /`organizationMember.vaultName` is "a"/.test(e.message) &&
                /`organizationMember.roleName` is "bad role"/.test(e.message) &&
                /`organizationMember.createRole` is "no"/.test(e.message) &&
                /`schedule` is set with `organizationMember`; .* Fix:/.test(e.message) &&
                /`selection` is set with `organizationMember`/.test(e.message),
        );
    });
});

describe("ProtectionBaseline audit framework", () => {
    it("creates one Audit Manager framework with the controls that prove the protection, scoped to DynamoDB and the selection tag", async () => {
        const { resources } = await build({ audit: true });
        const framework = only(resources, "aws:backup/framework:Framework");
        const controls = framework.inputs.controls as Array<{
            name: string;
            inputParameters?: Array<{ name: string; value: string }>;
            scope?: { complianceResourceTypes?: string[]; tags?: Record<string, string> };
        }>;
        assert.deepEqual(
            controls.map((c) => c.name),
            [
                "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
                "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
                "BACKUP_RECOVERY_POINT_ENCRYPTED",
                "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
                "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
                "BACKUP_LAST_RECOVERY_POINT_CREATED",
            ],
        );
        assert.deepEqual(controls[0].scope, {
            complianceResourceTypes: ["DynamoDB"],
            tags: { environment: "production" },
        });
        assert.deepEqual(controls[1].inputParameters, [
            { name: "requiredFrequencyUnit", value: "hours" },
            { name: "requiredFrequencyValue", value: "24" },
            { name: "requiredRetentionDays", value: "35" },
        ]);
        assert.match(String(framework.inputs.name), /^[a-zA-Z][a-zA-Z0-9_]*$/);
        assert.equal(all(resources, "aws:backup/reportPlan:ReportPlan").length, 0);
    });

    it("adds cross-Region and cross-account controls where copies are configured, and a report plan to S3", async () => {
        const { resources } = await build({
            organizationMember: {},
            audit: {
                copyRegions: ["eu-central-1"],
                copyAccounts: ["111122223333"],
                reportBucket: "audit-reports",
                reportKeyPrefix: "backup",
                maxHoursBetweenBackups: 168,
                minRetentionDays: 90,
            },
        });
        const framework = only(resources, "aws:backup/framework:Framework");
        const controls = framework.inputs.controls as Array<{ name: string; inputParameters?: unknown }>;
        assert.deepEqual(controls.slice(-2), [
            {
                name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
                inputParameters: [{ name: "crossRegionList", value: "eu-central-1" }],
                scope: { complianceResourceTypes: ["DynamoDB"], tags: { environment: "production" } },
            },
            {
                name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT",
                inputParameters: [{ name: "crossAccountList", value: "111122223333" }],
                scope: { complianceResourceTypes: ["DynamoDB"], tags: { environment: "production" } },
            },
        ]);
        assert.deepEqual(controls[1].inputParameters, [
            { name: "requiredFrequencyUnit", value: "days" },
            { name: "requiredFrequencyValue", value: "7" },
            { name: "requiredRetentionDays", value: "90" },
        ]);
        const report = only(resources, "aws:backup/reportPlan:ReportPlan");
        assert.deepEqual(report.inputs.reportDeliveryChannel, {
            s3BucketName: "audit-reports",
            s3KeyPrefix: "backup",
            formats: ["CSV", "JSON"],
        });
        assert.deepEqual((report.inputs.reportSetting as { frameworkArns: unknown[] }).frameworkArns, [
            framework.outputs.arn,
        ]);
    });

    it("stays within AWS's quotas: at most 8 controls of 50, and 10 frameworks per Region in one program", async () => {
        const most = auditControls(
            { copyRegions: ["eu-central-1"], copyAccounts: ["111122223333"] },
            { a: "b" },
        );
        assert.equal(most.length, 8);
        assert.ok(most.length <= MAX_CONTROLS_PER_FRAMEWORK);
        await assert.rejects(
            runUnderMocks(
                () => {
                    for (let i = 0; i < 11; i++) {
                        new ProtectionBaseline(`b${i}`, {
                            audit: true,
                            alerts: false,
                            configRules: false,
                            selection: { tags: { team: `t${i}` } },
                        });
                    }
                },
                { project: "quota", stack: "prod", config: CONFIG },
            ),
            (e: Error) =>
                /would make framework 11 .* AWS Backup allows 10 per account and Region/.test(e.message),
        );
    });

    it("refuses bad audit options, each naming the field, the value and the fix", () => {
        const problems = validateAudit({
            minRetentionDays: 0,
            maxHoursBetweenBackups: 1000,
            copyRegions: ["mars-1"],
            copyAccounts: ["12"],
            reportBucket: "arn:aws:s3:::bucket",
        });
        assert.deepEqual(
            problems.map((p) => p.propertyPath),
            [
                "audit.minRetentionDays",
                "audit.maxHoursBetweenBackups",
                "audit.copyRegions[0]",
                "audit.copyAccounts[0]",
                "audit.reportBucket",
            ],
        );
        assert.match(problems[4].reason, /not an ARN. Fix: pass the bucket's name/);
    });
});
