import { strict as assert } from "assert";
import * as path from "path";
import { runUnderMocks } from "../../cli/program/mockRuntime";
import { all, KMS_KEY, only, TABLE } from "../support/resources";

const PROGRAM = path.resolve(__dirname, "../../examples/platform-golden-template/index.ts");

/** Runs the example stack as `pulumi up` would, fresh each time (require caches the module). */
async function runExample() {
    const modulePath = require.resolve(PROGRAM);
    for (const cached of Object.keys(require.cache)) {
        if (cached.includes(`${path.sep}platform-golden-template${path.sep}`)) delete require.cache[cached];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return runUnderMocks(() => require(modulePath), {
        project: "platform-golden-template",
        stack: "prod",
        config: { "aws:region": "us-east-1" },
    });
}

describe("examples/platform-golden-template", () => {
    it("builds three production tables that register nothing but themselves, on the team's baseline", async () => {
        const { resources, outputs } = await runExample();
        const tables = all(resources, TABLE);
        assert.equal(tables.length, 3);
        const components = new Set(all(resources, "dynamodb-pitr:index:ResilientTable").map((r) => r.urn));
        assert.deepEqual(
            resources.filter((r) => r.parent && components.has(r.parent)).map((r) => r.type),
            [TABLE, TABLE, TABLE],
        );
        assert.equal(all(resources, "aws:backup/vault:Vault").length, 1);
        const keys = all(resources, KMS_KEY);
        const homeKey = keys.filter((k) => k.inputs.region === undefined);
        assert.equal(homeKey.length, 1, "one key for the tables and the vault in the home Region");
        assert.deepEqual(
            keys.map((k) => k.inputs.region).filter(Boolean),
            ["eu-west-1"],
            "and one for replicas in eu-west-1",
        );

        const selection = only(resources, "aws:backup/selection:Selection", "checkout-backup-tagged");
        assert.deepEqual(selection.inputs.conditions, [
            {
                stringEquals: [
                    { key: "aws:ResourceTag/environment", value: "production" },
                    { key: "aws:ResourceTag/team", value: "checkout" },
                ],
            },
        ]);
        for (const table of tables) {
            const tags = table.inputs.tags as Record<string, string>;
            assert.equal(tags.environment, "production");
            assert.equal(tags.team, "checkout");
            assert.equal(tags["cost-center"], "cc-4711");
            assert.deepEqual(table.inputs.serverSideEncryption, {
                enabled: true,
                kmsKeyArn: homeKey[0].outputs.arn,
            });
            assert.equal(table.protect, true);
        }
        assert.equal(outputs.backupVaultName, "platform-golden-template-prod-checkout-backup");
        assert.match(String(outputs.backupPlanArn), /^arn:aws:backup:/);
        assert.match(String(outputs.alertTopicArn), /^arn:aws:sns:/);
    });

    it("puts payments on a second plan for its yearly schedule, selected by tag", async () => {
        const { resources } = await runExample();
        assert.equal(all(resources, "aws:backup/plan:Plan").length, 2);
        const payments = only(resources, TABLE, "payments");
        assert.match(
            (payments.inputs.tags as Record<string, string>)["backup-schedule"],
            /^custom-[0-9a-f]{10}$/,
        );
    });

    it("watches the replica Region: a forwarding rule in eu-west-1", async () => {
        const { resources } = await runExample();
        const rules = all(resources, "aws:cloudwatch/eventRule:EventRule");
        assert.ok(rules.some((r) => r.inputs.region === "eu-west-1"));
    });

    it("locks the vault, notifies job outcomes and tests restores", async () => {
        const { resources } = await runExample();
        assert.equal(all(resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").length, 1);
        assert.equal(all(resources, "aws:backup/vaultNotifications:VaultNotifications").length, 1);
        assert.equal(all(resources, "aws:backup/restoreTestingPlan:RestoreTestingPlan").length, 1);
    });
});
