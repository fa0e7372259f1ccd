/**
 * The policy pack as the CLI runs it: the compiled pack started through `@pulumi/pulumi`'s policy
 * pack runner and driven over the analyzer gRPC protocol. One pack serves the whole file; each
 * `describe` sends its own configuration in `before()`, as `--policy-pack-config` would.
 * This file: GetAnalyzerInfo: the policies, their schemas and defaults; and a pack that cannot start.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackClient, startPolicyPack } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import { PITR, PERIOD, BACKUP, DELETION, CMK, RESTORE, ISOLATED } from "./diagnostics";

describe("policy pack over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
    });

    describe("GetAnalyzerInfo", () => {
        it("describes the pack and every policy with a description, a level and defaults for every knob", async () => {
            const info = await pack.getAnalyzerInfo();
            assert.strictEqual(info.name, "dynamodb-pitr");
            assert.strictEqual(info.version, "0.1.0");
            assert.deepStrictEqual(
                info.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]),
                [
                    [BACKUP, "mandatory", "stack"],
                    [PITR, "mandatory", "resource"],
                    [PERIOD, "mandatory", "resource"],
                    [DELETION, "mandatory", "resource"],
                    [CMK, "advisory", "resource"],
                    [RESTORE, "mandatory", "resource"],
                    [ISOLATED, "advisory", "stack"],
                ],
            );
            for (const p of info.policies) {
                assert.match(p.description, /^[A-Z].*\.$/, `${p.name} description is a sentence`);
                for (const [knob, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                    assert.ok(
                        (schema as { default?: unknown }).default !== undefined,
                        `${p.name}.${knob} has a default`,
                    );
                }
            }
            const pitr = info.policies.find((p) => p.name === PITR);
            assert.deepStrictEqual(Object.keys(pitr?.configSchema?.properties ?? {}).sort(), [
                "allTablesAreProduction",
                "productionStackNamePattern",
                "productionTagKeys",
                "productionTagValues",
                "remediationRecoveryPeriodInDays",
            ]);
        });
    });
});

describe("startPolicyPack", () => {
    it("fails with one line naming the pack folder and the reason when the pack cannot start", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({ name: "broken", version: "1.0.0", main: "index.js" }),
        );
        fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("boom at load");');
        try {
            await assert.rejects(startPolicyPack(dir, { timeoutMs: 20000 }), (e: Error) => {
                assert.ok(e.message.startsWith(`Policy pack ${dir} failed to start: `), e.message);
                assert.match(e.message, /boom at load/);
                assert.ok(!e.message.includes("\n"), "one line");
                return true;
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
