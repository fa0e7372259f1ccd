import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { ProtectionBaseline } from "../../../components/baseline/protectionBaseline";
import { ProtectionBaselineArgs } from "../../../components/baseline/types";
import { all, KMS_KEY, only } from "../../support/resources";

const CONFIG = { "aws:region": "us-east-1" };

function build(args: ProtectionBaselineArgs = {}, more?: () => void) {
    return runUnderMocks(
        () => {
            new ProtectionBaseline("platform", args);
            more?.();
        },
        { project: "shop", stack: "prod", config: CONFIG },
    );
}

describe("ProtectionBaseline", () => {
    it("creates one key, vault, plan, role, tag selection, alarm rule set and Config rules, all fixed in number", async () => {
        const { resources } = await build();
        const count = (type: string) => all(resources, type).length;
        assert.equal(count(KMS_KEY), 1);
        assert.equal(count("aws:backup/vault:Vault"), 1);
        assert.equal(count("aws:backup/plan:Plan"), 1);
        assert.equal(count("aws:backup/selection:Selection"), 1);
        assert.equal(count("aws:sns/topic:Topic"), 1);
        assert.equal(count("aws:cloudwatch/eventRule:EventRule"), 2);
        assert.equal(count("aws:cloudwatch/eventTarget:EventTarget"), 2);
        assert.equal(count("aws:cfg/rule:Rule"), 3);

        const key = only(resources, KMS_KEY);
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.protect, true);
        assert.equal(key.retainOnDelete, true);
        const vault = only(resources, "aws:backup/vault:Vault");
        assert.equal(vault.inputs.kmsKeyArn, key.outputs.arn, "the vault uses the shared key");
        assert.equal(vault.protect, true);
        const selection = only(resources, "aws:backup/selection:Selection");
        assert.deepEqual(selection.inputs.resources, ["arn:aws:dynamodb:*:*:table/*"]);
        assert.deepEqual(selection.inputs.conditions, [
            { stringEquals: [{ key: "aws:ResourceTag/environment", value: "production" }] },
        ]);
    });

    it("puts the table's name, the call and the caller in the alert text", async () => {
        const { resources } = await build();
        const target = only(
            resources,
            "aws:cloudwatch/eventTarget:EventTarget",
            "platform-safety-net-changed",
        );
        const transformer = target.inputs.inputTransformer as {
            inputPaths: Record<string, string>;
            inputTemplate: string;
        };
        assert.equal(transformer.inputPaths.table, "$.detail.requestParameters.tableName");
        assert.match(transformer.inputTemplate, /<event> on table <table>/);
        assert.doesNotThrow(() => JSON.parse(transformer.inputTemplate), "the template is a JSON string");
    });

    it("selects by a list of ARNs when asked, with no tag condition", async () => {
        const arns = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders-*"];
        const { resources } = await build({ selection: { tableArns: arns } });
        const selection = only(resources, "aws:backup/selection:Selection");
        assert.deepEqual(selection.inputs.resources, arns);
        assert.equal(selection.inputs.conditions, undefined);
    });

    it("covers each replica Region with a key, a forwarding rule to the home bus and Config rules", async () => {
        const { resources } = await build({ replicaRegions: ["eu-west-1", "ap-southeast-2"] });
        const keys = all(resources, KMS_KEY);
        assert.deepEqual(keys.map((k) => k.inputs.region ?? "home").sort(), [
            "ap-southeast-2",
            "eu-west-1",
            "home",
        ]);
        const forward = only(
            resources,
            "aws:cloudwatch/eventTarget:EventTarget",
            "platform-safety-net-changed-eu-west-1",
        );
        assert.equal(forward.inputs.region, "eu-west-1");
        assert.match(
            String(forward.inputs.arn),
            /^arn:aws:events:us-east-1:123456789012:event-bus\/default$/,
        );
        assert.ok(forward.inputs.roleArn, "cross-Region targets need a role");
        const configRegions = all(resources, "aws:cfg/rule:Rule").map((r) => r.inputs.region ?? "home");
        assert.equal(configRegions.filter((r) => r === "eu-west-1").length, 3);
        assert.equal(configRegions.length, 9);
    });

    it("creates no alarms with alerts: false and no Config rules with configRules: false", async () => {
        const { resources } = await build({ alerts: false, configRules: false });
        assert.equal(all(resources, "aws:cloudwatch/eventRule:EventRule").length, 0);
        assert.equal(all(resources, "aws:sns/topic:Topic").length, 0);
        assert.equal(all(resources, "aws:cfg/rule:Rule").length, 0);
    });

    it("uses a given topic and key instead of creating them", async () => {
        const topicArn = "arn:aws:sns:us-east-1:123456789012:oncall";
        const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/abc";
        const { resources } = await build({ alerts: { topicArn }, kmsKeyArn });
        assert.equal(all(resources, "aws:sns/topic:Topic").length, 0);
        assert.equal(all(resources, KMS_KEY).length, 0);
        for (const target of all(resources, "aws:cloudwatch/eventTarget:EventTarget")) {
            assert.equal(target.inputs.arn, topicArn);
        }
        assert.equal(only(resources, "aws:backup/vault:Vault").inputs.kmsKeyArn, kmsKeyArn);
    });

    it("makes one plan per distinct extra schedule, shared by every table that asks for it", async () => {
        let baseline: ProtectionBaseline | undefined;
        const { resources } = await runUnderMocks(
            () => {
                baseline = new ProtectionBaseline("platform", {});
                for (let i = 0; i < 5; i++) baseline.scheduleTags("monthly-7-year");
                baseline.scheduleTags(["weekly"]);
            },
            { project: "shop", stack: "prod", config: CONFIG },
        );
        assert.equal(all(resources, "aws:backup/plan:Plan").length, 3);
        const extra = only(resources, "aws:backup/selection:Selection", "platform-schedule-monthly-7-year");
        assert.deepEqual(extra.inputs.conditions, [
            {
                stringEquals: [
                    { key: "aws:ResourceTag/environment", value: "production" },
                    { key: "aws:ResourceTag/backup-schedule", value: "monthly-7-year" },
                ],
            },
        ]);
        assert.equal(
            only(resources, "aws:backup/plan:Plan", "platform-schedule-monthly-7-year").inputs
                .rules instanceof Array,
            true,
        );
    });

    it("refuses a second baseline of the same Region whose selection can pick the same tables", async () => {
        await assert.rejects(
            build(
                {},
                () =>
                    new ProtectionBaseline("other", {
                        selection: { tags: { environment: "production", team: "x" } },
                    }),
            ),
            (e: Error) =>
                /ProtectionBaseline "other" has an invalid argument/.test(e.message) &&
                /can select the same tables as baseline "platform"/.test(e.message) &&
                /Fix:/.test(e.message),
        );
    });

    it("accepts baselines whose tags tell their tables apart, or that sit in other Regions", async () => {
        const { resources } = await build(
            { selection: { tags: { environment: "production", team: "a" } } },
            () => {
                new ProtectionBaseline("b", {
                    selection: { tags: { environment: "production", team: "b" } },
                });
                new ProtectionBaseline("eu", { region: "eu-west-1" });
            },
        );
        assert.equal(all(resources, "dynamodb-pitr:index:ProtectionBaseline").length, 3);
    });

    it("reports every invalid argument at once, before any resource exists", async () => {
        const created: string[] = [];
        await assert.rejects(
            runUnderMocks(
                () => {
                    new ProtectionBaseline("platform", {
                        region: "Ireland",
                        replicaRegions: ["us-east-1", "eu-west-1", "eu-west-1"],
                        alerts: { scope: { tableNamePrefix: "bad prefix!" } },
                        schedual: "daily",
                    } as unknown as ProtectionBaselineArgs);
                },
                {
                    config: CONFIG,
                    newResource: (a) => {
                        created.push(a.type);
                        return { id: a.name, state: a.inputs };
                    },
                },
            ),
            (e: Error) => {
                assert.match(e.message, /has 4 invalid arguments/);
                assert.match(e.message, /`region` is "Ireland"/);
                assert.match(e.message, /`replicaRegions\[2\]` is "eu-west-1", listed twice/);
                assert.match(e.message, /`alerts.scope.tableNamePrefix` is "bad prefix!"/);
                assert.match(e.message, /schedual/);
                assert.doesNotMatch(e.message, /\n\s+at /, "no stack trace in the message");
                return true;
            },
        );
        assert.deepEqual(
            created.filter((t) => t.startsWith("aws:")),
            [],
            "no cloud resource was created",
        );
    });

    it("is usable with an explicit provider, whose Region then comes from the provider", async () => {
        const { resources } = await runUnderMocks(
            () => {
                const provider = new aws.Provider("eu", { region: "eu-west-1" });
                new ProtectionBaseline("platform", {}, { provider });
            },
            { config: CONFIG },
        );
        assert.equal(all(resources, "aws:backup/plan:Plan").length, 1);
    });
});
