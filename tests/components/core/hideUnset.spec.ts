import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { ProtectionBaseline, ResilientTable, TableBackupPlan } from "../../../components";
import * as pkg from "../../../components/package";

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
    const table = { hashKey: "id", attributes: [{ name: "id", type: "S" as const }] };
    // A component a program returns is serialised as the stack's outputs, each property a top-level
    // output: an undefined one is what Pulumi warns about ("Undefined value (streamArn) ...").
    const programs: Record<string, () => pulumi.ComponentResource> = {
        // Neither a stream, nor a key, nor a plan, nor alarms: most of its properties hold nothing.
        "a development table": () => new ResilientTable("dev", { ...table, tier: "development" }),
        "a production table": () => new ResilientTable("orders", table),
        "a backup plan": () => new TableBackupPlan("plan", { schedule: "daily", tier: "staging" }),
        "a baseline": () => new ProtectionBaseline("platform", {}),
        "the package's baseline": () => new pkg.ProtectionBaseline("packaged", {}),
    };
    for (const [what, program] of Object.entries(programs)) {
        it(`${what} exports no property it knows is absent, so it prints no undefined-value warning`, async () => {
            let exported: Record<string, unknown> = {};
            const lines = await printed(async () => {
                exported = (await runUnderMocks(program, { config: { "aws:region": "us-east-1" } })).outputs;
            });
            assert.deepEqual(
                lines.filter((l) => /Undefined value/.test(l)),
                [],
            );
            assert.ok(Object.keys(exported).length > 0, "the component is exported");
            if (what === "a development table") {
                assert.ok(
                    "arn" in exported,
                    `the table is exported with its ARN: ${JSON.stringify(exported)}`,
                );
                for (const absent of ["streamArn", "kmsKeyArn", "backupPlanArn", "monitoring", "kmsKey"]) {
                    assert.ok(
                        !(absent in exported),
                        `${absent} is not exported for a development table without it`,
                    );
                }
            }
        });
    }

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
