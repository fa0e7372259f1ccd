import { strict as assert } from "assert";
import * as path from "path";
import { runUnderMocks } from "../../cli/mockRuntime";
import { all, KMS_KEY, TABLE } from "../support/resources";

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
    it("builds three production tables on one key and one backup plan with one tag selection", async () => {
        const { resources, outputs } = await runExample();
        const tables = all(resources, TABLE);
        assert.equal(tables.length, 3);
        assert.equal(all(resources, "aws:backup/plan:Plan").length, 1);
        assert.equal(all(resources, "aws:backup/vault:Vault").length, 1);
        const key = all(resources, KMS_KEY);
        assert.equal(key.length, 1, "one key for the tables and the vault");

        const selections = all(resources, "aws:backup/selection:Selection");
        assert.equal(selections.length, 1);
        assert.deepEqual(selections[0].inputs.conditions, [
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
                kmsKeyArn: key[0].outputs.arn,
            });
            assert.equal(table.protect, true);
        }
        assert.equal(outputs.backupVaultName, "platform-golden-template-prod-checkout-backups");
        assert.match(String(outputs.backupPlanArn), /^arn:aws:backup:/);
    });

    it("locks the vault, notifies job outcomes and tests restores", async () => {
        const { resources } = await runExample();
        assert.equal(all(resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").length, 1);
        assert.equal(all(resources, "aws:backup/vaultNotifications:VaultNotifications").length, 1);
        assert.equal(all(resources, "aws:backup/restoreTestingPlan:RestoreTestingPlan").length, 1);
    });
});
