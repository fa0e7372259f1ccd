import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { CapturedResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import { ProtectionBaseline } from "../../../components/baseline/protectionBaseline";
import { ProtectionBaselineArgs } from "../../../components/baseline/types";
import { ResilientTable } from "../../../components/table/resilientTable";
import { ResilientTableArgs } from "../../../components/table/types";
import { ProtectionBaselineReference } from "../../../components/baseline/reference";
import { arnNameMatches } from "../../../components/table/baselineJoin";
import { all, COMPONENT, KMS_KEY, only, TABLE } from "../../support/resources";

const CONFIG = { "aws:region": "us-east-1" };
const KEYS = { hashKey: "pk", attributes: [{ name: "pk", type: "S" as const }] };
/** A baseline's outputs as the platform's stack exports them. */
const reference: ProtectionBaselineReference = {
    region: "us-east-1",
    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/fleet",
    planArn: "arn:aws:backup:us-east-1:123456789012:backup-plan:fleet",
    vaultName: "fleet",
    selectedTags: { environment: "production" },
    alertScope: "account",
};

/** A baseline and one table joined to it; `table` may change one thing. */
function join(table: Partial<ResilientTableArgs> = {}, baseline: ProtectionBaselineArgs = {}) {
    return runUnderMocks(
        () => {
            const b = new ProtectionBaseline("platform", baseline);
            new ResilientTable("orders", { ...KEYS, name: "orders", ...table, baseline: b });
        },
        { project: "shop", stack: "prod", config: CONFIG },
    );
}

const under = (resources: CapturedResource[], parentType: string) => {
    const parents = new Set(resources.filter((r) => r.type === parentType).map((r) => r.urn));
    return resources.filter((r) => r.parent !== undefined && parents.has(r.parent));
};

async function rejected(table: Partial<ResilientTableArgs>, baseline: ProtectionBaselineArgs = {}) {
    try {
        await join(table, baseline);
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("the table was accepted");
}

describe("ResilientTable joined to a ProtectionBaseline", () => {
    it("registers only the table under the component, on the shared key, with the selection's tags", async () => {
        const { resources } = await join();
        assert.deepEqual(
            under(resources, COMPONENT).map((r) => r.type),
            [TABLE],
        );
        const table = only(resources, TABLE);
        const key = only(resources, KMS_KEY);
        assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: key.outputs.arn });
        assert.equal((table.inputs.tags as Record<string, string>).environment, "production");
        assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
        assert.equal(table.inputs.deletionProtectionEnabled, true);
        assert.equal(table.protect, true);
        assert.equal(table.retainOnDelete, true);
    });

    it("adds the selection's other tags to the table, so the baseline selects it", async () => {
        const { resources } = await join(
            {},
            { selection: { tags: { environment: "production", team: "checkout" } } },
        );
        const tags = only(resources, TABLE).inputs.tags as Record<string, string>;
        assert.equal(tags.team, "checkout");
    });

    it("keeps a key the table brings", async () => {
        const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/own";
        const { resources } = await join({ kmsKeyArn });
        assert.equal(
            (only(resources, TABLE).inputs.serverSideEncryption as { kmsKeyArn: string }).kmsKeyArn,
            kmsKeyArn,
        );
    });

    it("gives each replica the baseline's key of its Region and creates no key of its own", async () => {
        const { resources } = await join(
            { replicas: [{ regionName: "eu-west-1" }] },
            { replicaRegions: ["eu-west-1"] },
        );
        const replicaKey = all(resources, KMS_KEY).find((k) => k.inputs.region === "eu-west-1")!;
        const [replica] = only(resources, TABLE).inputs.replicas as Array<Record<string, unknown>>;
        assert.equal(replica.kmsKeyArn, replicaKey.outputs.arn);
        assert.equal(replica.pointInTimeRecovery, true);
        assert.equal(under(resources, COMPONENT).length, 1);
    });

    it("puts a table with its own schedule on a shared plan by tag, in addition to the baseline's", async () => {
        const { resources } = await join({ backup: "monthly-7-year" });
        const tags = only(resources, TABLE).inputs.tags as Record<string, string>;
        assert.equal(tags["backup-schedule"], "monthly-7-year");
        assert.equal(all(resources, "aws:backup/plan:Plan").length, 2);
        assert.equal(under(resources, COMPONENT).length, 1);
    });

    it("still joins a shared TableBackupPlan with a selection of its own when asked", async () => {
        const planRef = {
            planId: "plan-1",
            planArn: "arn:aws:backup:us-east-1:123456789012:backup-plan:plan-1",
            roleArn: "arn:aws:iam::123456789012:role/backup",
            vaultName: "vault",
        };
        const { resources } = await join({ backup: { plan: planRef } });
        assert.equal(
            under(resources, COMPONENT).filter((r) => r.type === "aws:backup/selection:Selection").length,
            1,
        );
    });

    it("joins the outputs of a baseline from another stack", async () => {
        const { resources } = await runUnderMocks(
            () => new ResilientTable("orders", { ...KEYS, baseline: reference }),
            { config: CONFIG },
        );
        assert.equal(resources.length, 3, "stack, component and table");
        const table = only(resources, TABLE);
        assert.equal(
            (table.inputs.serverSideEncryption as { kmsKeyArn: string }).kmsKeyArn,
            reference.kmsKeyArn,
        );
    });

    it("joins a reference from an application stack whose tables use an explicit provider", async () => {
        const { resources } = await runUnderMocks(
            () => {
                const provider = new aws.Provider("app", { region: "us-east-1" });
                new ResilientTable("orders", { ...KEYS, baseline: reference }, { provider });
            },
            { config: CONFIG },
        );
        assert.equal(all(resources, TABLE).length, 1);
    });

    describe("refuses, naming the field and the fix", () => {
        it("a table in another Region than the baseline", async () => {
            const message = await rejected({ region: "eu-west-1" });
            assert.match(
                message,
                /`baseline` is baseline "platform" of us-east-1, but the table is in eu-west-1/,
            );
            assert.match(message, /Fix: join the baseline of eu-west-1/);
        });

        it("a table on another provider (another account, perhaps)", async () => {
            let message = "";
            await runUnderMocks(
                () => {
                    const b = new ProtectionBaseline("platform", {});
                    const provider = new aws.Provider("other", { region: "us-east-1" });
                    new ResilientTable("orders", { ...KEYS, baseline: b }, { provider });
                },
                { config: CONFIG },
            ).catch((e: Error) => (message = e.message));
            assert.match(message, /uses another provider than baseline "platform"/);
        });

        it("a tier the baseline does not select", async () => {
            const message = await rejected({ tier: "staging" });
            assert.match(
                message,
                /`tier` is "staging", but baseline "platform" selects tables tagged environment=production/,
            );
            assert.match(message, /set `tier: "production"`/);
        });

        it("a tag that contradicts the selection", async () => {
            const message = await rejected(
                { tags: { team: "payments" } },
                { selection: { tags: { environment: "production", team: "checkout" } } },
            );
            assert.match(message, /`tags.team` is "payments"/);
        });

        it("a replica in a Region the baseline does not cover", async () => {
            const message = await rejected(
                { replicas: [{ regionName: "ap-south-1" }] },
                { replicaRegions: ["eu-west-1"] },
            );
            assert.match(
                message,
                /`replicas\[0\].regionName` is "ap-south-1", but baseline "platform" covers eu-west-1/,
            );
            assert.match(message, /add "ap-south-1" to the baseline's `replicaRegions`/);
        });

        it("a production table when the baseline has no alarms", async () => {
            const message = await rejected({}, { alerts: false });
            assert.match(message, /has no alarms \(`alerts: false`\), and a production table needs them/);
        });

        it("but accepts it when the table opts out of alarms by name", async () => {
            const { resources } = await join({ monitoring: false }, { alerts: false });
            assert.equal(all(resources, TABLE).length, 1);
        });

        it("a table outside the alarms' name scope", async () => {
            const message = await rejected(
                { name: "orders" },
                { alerts: { scope: { tableNamePrefix: "prod-" } } },
            );
            assert.match(
                message,
                /alerts only on tables named prod-\*; this production table would be unwatched/,
            );
        });

        it("backup: none, since the baseline selects the table anyway", async () => {
            const message = await rejected({ backup: "none" });
            assert.match(
                message,
                /`backup` is "none", but baseline "platform" backs up every table it selects/,
            );
        });

        it("per-table plan options and monitoring options", async () => {
            const message = await rejected({
                backup: {
                    schedule: "daily",
                    vaultLock: { mode: "governance", minRetentionDays: 1, maxRetentionDays: 400 },
                },
                monitoring: { topicArn: "arn:aws:sns:us-east-1:123456789012:t" },
            });
            assert.match(message, /2 invalid arguments/);
            assert.match(message, /`backup` sets plan options/);
            assert.match(message, /`monitoring` sets options/);
        });

        it("a name no ARN of a list selection matches", async () => {
            const message = await rejected(
                { name: "carts" },
                { selection: { tableArns: ["arn:aws:dynamodb:us-east-1:123456789012:table/orders*"] } },
            );
            assert.match(
                message,
                /`name` is "carts", which no ARN of baseline "platform"'s selection matches/,
            );
        });

        it("keepOwnKeyAndVault without a baseline", async () => {
            let message = "";
            await runUnderMocks(() => new ResilientTable("orders", { ...KEYS, keepOwnKeyAndVault: true }), {
                config: CONFIG,
            }).catch((e: Error) => (message = e.message));
            assert.match(message, /`keepOwnKeyAndVault` is true, but the table joins no `baseline`/);
        });
    });

    it("matches selection ARNs with wildcards against table names", () => {
        assert.equal(arnNameMatches("arn:aws:dynamodb:*:*:table/orders*", "orders-eu"), true);
        assert.equal(arnNameMatches("arn:aws:dynamodb:*:*:table/orders", "orders-eu"), false);
        assert.equal(arnNameMatches("arn:aws:dynamodb:*:*:table/a.b", "axb"), false, "a dot is a dot");
        assert.equal(arnNameMatches("arn:aws:s3:::bucket", "bucket"), false);
    });
});
