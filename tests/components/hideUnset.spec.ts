import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../cli/mockRuntime";
import { ProtectionBaseline, ResilientTable, TableBackupPlan } from "../../components";
import * as pkg from "../../components/package";

/** What the program printed through `console` while `run` ran. */
async function printed(run: () => Promise<unknown>): Promise<string[]> {
    const lines: string[] = [];
    const saved = { log: console.log, warn: console.warn, error: console.error };
    console.log = console.warn = console.error = (...args: unknown[]) => void lines.push(args.join(" "));
    try {
        await run();
    } finally {
        Object.assign(console, saved);
    }
    return lines;
}

describe("exported components", () => {
    it("export no property they know is absent, so `pulumi up` prints no undefined-value warning", async () => {
        let exported: Record<string, unknown> = {};
        const lines = await printed(async () => {
            const result = await runUnderMocks(
                () => ({
                    // Neither a stream, nor a key, nor a plan, nor alarms: most of its properties hold nothing.
                    dev: new ResilientTable("dev", {
                        tier: "development",
                        hashKey: "id",
                        attributes: [{ name: "id", type: "S" }],
                    }),
                    orders: new ResilientTable("orders", {
                        hashKey: "id",
                        attributes: [{ name: "id", type: "S" }],
                    }),
                    plan: new TableBackupPlan("plan", { schedule: "daily", tier: "staging" }),
                    baseline: new ProtectionBaseline("platform", {}),
                    packaged: new pkg.ProtectionBaseline("packaged", { region: "eu-west-1" }),
                }),
                { config: { "aws:region": "us-east-1" } },
            );
            exported = result.outputs;
        });
        assert.deepEqual(
            lines.filter((l) => /Undefined value/.test(l)),
            [],
        );
        const dev = exported.dev as Record<string, unknown>;
        assert.ok(dev && "arn" in dev, `the table is exported with its ARN: ${JSON.stringify(dev)}`);
        for (const absent of ["streamArn", "kmsKeyArn", "backupPlanArn", "monitoring", "kmsKey"]) {
            assert.ok(!(absent in dev), `${absent} is not exported for a development table without it`);
        }
    });

    it("still read as the types say in the program", async () => {
        await runUnderMocks(
            async () => {
                const dev = new ResilientTable("dev", {
                    tier: "development",
                    hashKey: "id",
                    attributes: [{ name: "id", type: "S" }],
                });
                assert.ok(pulumi.Output.isInstance(dev.streamArn));
                assert.equal(dev.monitoring, undefined);
                assert.equal(await new Promise((r) => dev.streamArn.apply(r)), undefined);
            },
            { config: { "aws:region": "us-east-1" } },
        );
    });
});
