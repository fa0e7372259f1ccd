/**
 * `OrganizationBackupPolicy` and the baseline's member mode as the Pulumi package presents them:
 * flat arguments (a preset name plus rules, `selectionTags`), errors in the package's field names.
 */
import { strict as assert } from "assert";
import { runUnderMocks } from "../../cli/program/mockRuntime";
import {
    OrganizationBackupPolicy,
    ProtectionBaseline,
    toBaselineArgs,
    toOrganizationPolicyArgs,
} from "../../components/package";
import { only } from "../support/resources";

describe("OrganizationBackupPolicy in the package", () => {
    it("turns flat arguments into the component's, and builds the same document", async () => {
        assert.deepEqual(
            toOrganizationPolicyArgs({
                targetIds: ["ou-ab12-cdef3456"],
                regions: ["eu-west-1"],
                schedule: "daily",
                rules: [{ name: "Weekly", schedule: "cron(0 5 ? * SAT *)" }],
                selectionTags: { backup: "org" },
            }),
            {
                targetIds: ["ou-ab12-cdef3456"],
                regions: ["eu-west-1"],
                schedule: ["daily", { name: "Weekly", schedule: "cron(0 5 ? * SAT *)" }],
                selection: { tags: { backup: "org" } },
                advancedDynamoDbBackup: undefined,
            },
        );
        let packConfigJson = "";
        const { resources } = await runUnderMocks(() => {
            const p = new OrganizationBackupPolicy("org", {
                targetIds: ["ou-ab12-cdef3456"],
                regions: ["eu-west-1"],
                selectionTags: { backup: "org" },
            });
            packConfigJson = p.packConfigJson;
        });
        const content = JSON.parse(
            only(resources, "aws:organizations/policy:Policy").inputs.content as string,
        );
        assert.ok(content.plans["dynamodb-tables"].rules.Daily);
        assert.deepEqual(JSON.parse(packConfigJson), {
            "dynamodb-production-table-in-backup-plan": {
                organizationBackupSelections: [{ tags: { backup: "org" } }],
            },
        });
    });

    it("names the package's fields in its errors", async () => {
        await assert.rejects(
            runUnderMocks(
                () =>
                    void new OrganizationBackupPolicy("org", {
                        targetIds: ["ou-ab12-cdef3456"],
                        regions: ["eu-west-1"],
                        selectionTags: {},
                    }),
            ),
            (e: Error) => /`selectionTags` is \{\}; it must name at least one tag/.test(e.message),
        );
    });

    it("passes organizationMember and audit through to the baseline", async () => {
        assert.deepEqual(
            toBaselineArgs({ organizationMember: { createRole: false }, audit: {} }).organizationMember,
            {
                createRole: false,
            },
        );
        const { resources } = await runUnderMocks(
            () =>
                new ProtectionBaseline("member", { organizationMember: {}, audit: { minRetentionDays: 7 } }),
            { config: { "aws:region": "eu-west-1" } },
        );
        assert.equal(only(resources, "aws:backup/vault:Vault").inputs.name, "dynamodb-organization-backups");
        assert.ok(only(resources, "aws:backup/framework:Framework"));
    });
});
