import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { PLAN_PRESETS, RULE_PRESETS } from "../../../components/backup/presets";
import {
    MAX_BACKUP_POLICY_CHARACTERS,
    validateOrganizationPolicyArgs,
} from "../../../components/org/organizationPolicyDocument";
import { OrganizationBackupPolicy } from "../../../components/org/organizationBackupPolicy";
import { OrganizationBackupPolicyArgs } from "../../../components/org/organizationPolicyArgs";
import { all, only } from "../../support/resources";

const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";
const BASE: OrganizationBackupPolicyArgs = {
    targetIds: ["r-ab12", "ou-ab12-cdef3456", "111122223333"],
    regions: ["eu-west-1", "eu-central-1"],
};

function build(args: OrganizationBackupPolicyArgs = BASE, preview = false) {
    let component: OrganizationBackupPolicy | undefined;
    return runUnderMocks(
        () => {
            component = new OrganizationBackupPolicy("dynamodb", args);
        },
        { project: "org", stack: "management", config: { "aws:region": "eu-west-1" }, preview },
    ).then((r) => ({ ...r, component: component! }));
}

type Assign<T> = { "@@assign": T };
interface Document {
    plans: Record<
        string,
        {
            "@@operators_allowed_for_child_policies"?: string[];
            regions: Assign<string[]>;
            rules: Record<string, Record<string, any>>;
            selections: { resources: Record<string, Record<string, any>>; tags?: unknown };
        }
    >;
}

async function documentOf(args: OrganizationBackupPolicyArgs) {
    const { resources } = await build(args);
    const policy = only(resources, POLICY);
    const content = policy.inputs.content as string;
    return { content, doc: JSON.parse(content) as Document, resources };
}

describe("OrganizationBackupPolicy", () => {
    it("creates one BACKUP_POLICY with minified content and one attachment per target", async () => {
        const { resources } = await build();
        const policy = only(resources, POLICY);
        assert.equal(policy.inputs.type, "BACKUP_POLICY");
        const content = policy.inputs.content as string;
        assert.equal(content, JSON.stringify(JSON.parse(content)), "no whitespace: the limit counts it");
        assert.deepEqual(
            all(resources, ATTACHMENT).map((a) => a.inputs.targetId),
            ["r-ab12", "ou-ab12-cdef3456", "111122223333"],
        );
        for (const a of all(resources, ATTACHMENT)) assert.equal(a.inputs.policyId, policy.id);
    });

    for (const preset of Object.keys(PLAN_PRESETS) as Array<keyof typeof PLAN_PRESETS>) {
        it(`writes preset ${preset} as one rule per preset rule, checked field by field`, async () => {
            const { doc } = await documentOf({ ...BASE, schedule: preset });
            const plan = doc.plans["dynamodb-tables"];
            assert.deepEqual(plan["@@operators_allowed_for_child_policies"], ["@@none"]);
            assert.deepEqual(plan.regions, { "@@assign": ["eu-west-1", "eu-central-1"] });
            const expected = PLAN_PRESETS[preset].map((n) => RULE_PRESETS[n]);
            assert.deepEqual(
                Object.keys(plan.rules),
                expected.map((r) => r.name),
            );
            for (const rule of expected) {
                const written = plan.rules[rule.name];
                assert.deepEqual(written.schedule_expression, { "@@assign": rule.schedule });
                assert.deepEqual(written.target_backup_vault_name, {
                    "@@assign": "dynamodb-organization-backups",
                });
                // Without advanced DynamoDB backup, no cold storage step (AWS Backup would ignore it).
                assert.deepEqual(written.lifecycle, {
                    delete_after_days: { "@@assign": String(rule.lifecycle.deleteAfterDays) },
                });
                assert.equal(written.copy_actions, undefined);
            }
            const selection = plan.selections.resources.dynamodb_tables;
            assert.equal(plan.selections.tags, undefined, "never a bare tags selection");
            assert.deepEqual(selection.iam_role_arn, {
                "@@assign": "arn:aws:iam::$account:role/dynamodb-organization-backup",
            });
            assert.deepEqual(selection.resource_types, { "@@assign": ["arn:aws:dynamodb:*:*:table/*"] });
            assert.deepEqual(selection.conditions, {
                string_equals: {
                    tag_1: {
                        condition_key: { "@@assign": "aws:ResourceTag/environment" },
                        condition_value: { "@@assign": "production" },
                    },
                },
            });
        });
    }

    it("writes single-rule presets, custom rules, cold storage and copies keyed by vault ARN with target_backup_vault_arn", async () => {
        const copy = "arn:aws:backup:eu-central-1:$account:backup-vault:Copies";
        const { doc } = await documentOf({
            ...BASE,
            advancedDynamoDbBackup: "already-enabled",
            schedule: [
                "monthly-1-year",
                {
                    name: "Hourly",
                    schedule: "cron(0 * * * ? *)",
                    startWindowMinutes: 60,
                    completionWindowMinutes: 120,
                    lifecycle: { deleteAfterDays: 2 },
                },
            ],
            copyTo: [{ vaultArn: copy, deleteAfterDays: 400 }],
            selection: { tags: { environment: "production", backup: "org" } },
            planName: "tables",
            vaultName: "OrgVault",
            roleName: "OrgBackupRole",
            allowChildPolicyChanges: true,
        });
        const plan = doc.plans.tables;
        assert.equal(plan["@@operators_allowed_for_child_policies"], undefined);
        assert.deepEqual(plan.rules.Monthly1Year.lifecycle, {
            move_to_cold_storage_after_days: { "@@assign": "30" },
            delete_after_days: { "@@assign": "365" },
        });
        assert.deepEqual(plan.rules.Hourly.start_backup_window_minutes, { "@@assign": "60" });
        assert.deepEqual(plan.rules.Hourly.complete_backup_window_minutes, { "@@assign": "120" });
        for (const rule of Object.values(plan.rules)) {
            assert.deepEqual(rule.target_backup_vault_name, { "@@assign": "OrgVault" });
            assert.deepEqual(rule.copy_actions, {
                [copy]: {
                    target_backup_vault_arn: { "@@assign": copy },
                    lifecycle: { delete_after_days: { "@@assign": "400" } },
                },
            });
        }
        const selection = plan.selections.resources.dynamodb_tables;
        assert.deepEqual(selection.iam_role_arn, { "@@assign": "arn:aws:iam::$account:role/OrgBackupRole" });
        assert.deepEqual(Object.values(selection.conditions.string_equals), [
            {
                condition_key: { "@@assign": "aws:ResourceTag/environment" },
                condition_value: { "@@assign": "production" },
            },
            {
                condition_key: { "@@assign": "aws:ResourceTag/backup" },
                condition_value: { "@@assign": "org" },
            },
        ]);
    });

    it("keeps a copy as long as the original when its deleteAfterDays is unset, and uses the GovCloud partition there", async () => {
        const copy = "arn:aws-us-gov:backup:us-gov-east-1:111122223333:backup-vault:copies";
        const { doc } = await documentOf({
            targetIds: ["ou-ab12-cdef3456"],
            regions: ["us-gov-west-1"],
            schedule: "daily",
            advancedDynamoDbBackup: "already-enabled",
            copyTo: [{ vaultArn: copy }],
        });
        const plan = doc.plans["dynamodb-tables"];
        assert.deepEqual(plan.rules.Daily.copy_actions[copy].lifecycle, {
            delete_after_days: { "@@assign": "35" },
        });
        assert.match(
            plan.selections.resources.dynamodb_tables.iam_role_arn["@@assign"],
            /^arn:aws-us-gov:iam::\$account:/,
        );
    });

    it("exposes the pack config and the member baseline's arguments from the same selection", async () => {
        const { component } = await build({
            ...BASE,
            selection: { tags: { backup: "org" } },
            vaultName: "v1",
        });
        assert.deepEqual(component.packConfig, {
            "dynamodb-production-table-in-backup-plan": {
                organizationBackupSelections: [{ tags: { backup: "org" } }],
            },
        });
        assert.deepEqual(component.memberArgs, {
            vaultName: "v1",
            roleName: "dynamodb-organization-backup",
            selectedTags: { backup: "org" },
            copiesOutsideAccount: [],
        });
    });

    it("reports every bad input at once, naming field, value, limit and fix, before any resource exists", async () => {
        const problems = validateOrganizationPolicyArgs({
            targetIds: ["ou-x", "123"],
            regions: ["eu-west-9", "Ireland"],
            selection: { tags: { "env*": "prod", team: "a|b" } },
            schedule: [
                {
                    name: "Bad",
                    schedule: "cron(0 5 * * * *)",
                    lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 60 },
                },
            ],
            copyTo: [{ vaultArn: "arn:aws:kms:eu-west-1:111122223333:key/abc", deleteAfterDays: 0 }],
            roleName: "bad role",
            advancedDynamoDbBackup: "already-enabled",
            description: "x".repeat(513),
            vaultNme: "x",
        } as unknown as OrganizationBackupPolicyArgs);
        const paths = problems.map((p) => p.propertyPath);
        assert.deepEqual(paths, [
            "vaultNme",
            "targetIds[0]",
            "targetIds[1]",
            "regions[0]",
            "regions[1]",
            "selection.tags.env*",
            "selection.tags.team",
            "roleName",
            "schedule[0].schedule",
            "schedule[0].lifecycle.deleteAfterDays",
            "copyTo[0].vaultArn",
            "copyTo[0].deleteAfterDays",
            "description",
        ]);
        const text = problems.map((p) => p.reason).join("\n");
        assert.match(
            text,
            /`vaultNme` is not an argument of OrganizationBackupPolicy; did you mean `vaultName`\?/,
        );
        assert.match(text, /`targetIds\[0\]` is "ou-x"; it must be the organization's root ID .* Fix:/);
        assert.match(text, /`regions\[0\]` is "eu-west-9"; it must be an AWS Region name/);
        assert.match(text, /deleteAfterDays must be at least 120/);
        assert.match(text, /`copyTo\[0\].vaultArn` is "arn:aws:kms:.*"; it must be a backup vault ARN/);
        for (const p of problems) assert.match(p.reason, /Fix:|must be|it must/, p.reason);

        let created = 0;
        await assert.rejects(
            runUnderMocks(() => new OrganizationBackupPolicy("dynamodb", { targetIds: [], regions: [] }), {
                newResource: (a) => {
                    if (a.type.startsWith("aws:")) created++;
                    return { id: a.name, state: a.inputs };
                },
            }),
            (e: Error) =>
                /OrganizationBackupPolicy "dynamodb" has 2 invalid arguments/.test(e.message) &&
                /`targetIds` is \[\]/.test(e.message) &&
                /`regions` is \[\]/.test(e.message),
        );
        assert.equal(created, 0);
    });

    it("refuses a custom rule's time zone and a rule's copy whose ARN is an Output, naming the list entry", () => {
        const problems = validateOrganizationPolicyArgs({
            ...BASE,
            advancedDynamoDbBackup: "already-enabled",
            schedule: [
                "daily-monthly-1-year",
                {
                    name: "Paris",
                    schedule: "cron(0 5 * * ? *)",
                    scheduleTimezone: "Europe/Paris",
                    copyActions: [
                        {
                            destinationVaultArn: pulumi.output(
                                "arn:aws:backup:eu-west-1:111122223333:backup-vault:v",
                            ),
                        },
                    ],
                },
            ],
        });
        assert.deepEqual(
            problems.map((p) => p.propertyPath),
            ["schedule[1].copyActions[0].destinationVaultArn", "schedule[1].scheduleTimezone"],
        );
        assert.match(problems[1].reason, /UTC only. Fix:/);
    });

    it("refuses copies without advanced DynamoDB backup, and mixed partitions", () => {
        const problems = validateOrganizationPolicyArgs({
            ...BASE,
            regions: ["eu-west-1", "us-gov-west-1"],
            copyTo: [{ vaultArn: "arn:aws:backup:eu-west-1:$account:backup-vault:copies" }],
        });
        assert.deepEqual(
            problems.map((p) => p.propertyPath),
            ["regions", "copyTo"],
        );
        assert.match(problems[1].reason, /advanced DynamoDB backup in every member account/);
    });

    it("refuses a document over 10,000 characters, with its size, before any cloud call", async () => {
        const rules = Array.from({ length: 90 }, (_, i) => ({
            name: `Rule${i}`,
            schedule: `cron(${i % 60} ${5 + Math.floor(i / 60)} * * ? *)`,
            lifecycle: { deleteAfterDays: 35 },
        }));
        await assert.rejects(
            build({ ...BASE, schedule: rules }),
            (e: Error) =>
                new RegExp(
                    `the backup policy document is \\d{5} characters; AWS Organizations takes at most ${MAX_BACKUP_POLICY_CHARACTERS}`,
                ).test(e.message) && /Fix:/.test(e.message),
        );
    });

    it("checks target IDs and copy vault ARNs that are Outputs when they resolve", async () => {
        await assert.rejects(build({ ...BASE, targetIds: [pulumi.output("ou-nope")] }), (e: Error) =>
            /`targetIds\[0\]` is "ou-nope"/.test(e.message),
        );
        await assert.rejects(
            build({
                ...BASE,
                advancedDynamoDbBackup: "already-enabled",
                copyTo: [{ vaultArn: pulumi.output("arn:aws:s3:::bucket") }],
            }),
            (e: Error) =>
                /`copyTo\[0\].vaultArn` is "arn:aws:s3:::bucket"; it must be a backup vault ARN/.test(
                    e.message,
                ),
        );
        const { resources } = await build({ ...BASE, targetIds: [pulumi.output("ou-ab12-cdef3456")] });
        assert.equal(only(resources, ATTACHMENT).inputs.targetId, "ou-ab12-cdef3456");
    });
});
