import { strict as assert } from "assert";
import { CapturedResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import { checkArgumentNames } from "../../../components/table/validateTableArgs";
import {
    backupJobFailedPattern,
    DRIFT_EVENT_NAMES,
    driftEventPattern,
    DYNAMODB_CONFIG_RULES,
    ResilientTable,
    ResilientTableArgs,
    TableArgsError,
    TableMonitoring,
    validateMonitoring,
} from "../../../components";
import { all, only, TABLE } from "../../support/resources";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const CONFIG_RULE = "aws:cfg/rule:Rule";
const MONITORING = "dynamodb-pitr:index:TableMonitoring";
const MONITORING_TYPES = [RULE, TARGET, TOPIC, TOPIC_POLICY, CONFIG_RULE, MONITORING];

const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";
const orders: ResilientTableArgs = {
    name: "Orders",
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
};

async function build(args: Partial<ResilientTableArgs> = {}) {
    return runUnderMocks(() => new ResilientTable("orders", { ...orders, ...args }), {
        config: { "aws:region": "us-east-1" },
    });
}

const rule = (resources: CapturedResource[], role: string) =>
    only(resources, RULE, `orders-monitoring-${role}`);
const pattern = (r: CapturedResource) => JSON.parse(r.inputs.eventPattern as string);
const none = (resources: CapturedResource[]) =>
    MONITORING_TYPES.forEach((type) => assert.equal(all(resources, type).length, 0, type));

describe("TableMonitoring", () => {
    describe("event patterns", () => {
        it("matches CloudTrail calls that turn PITR or deletion protection off or delete the table or a backup", () => {
            const p = driftEventPattern("Orders", TABLE_ARN) as any;
            assert.deepEqual(p.source, ["aws.dynamodb"]);
            assert.deepEqual(p["detail-type"], ["AWS API Call via CloudTrail"]);
            assert.deepEqual(p.detail.eventSource, ["dynamodb.amazonaws.com"]);
            const [pitr, protection, table, backup] = p.detail.$or;
            assert.deepEqual(pitr, {
                eventName: ["UpdateContinuousBackups"],
                requestParameters: {
                    tableName: ["Orders", TABLE_ARN],
                    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: [false] },
                },
            });
            assert.deepEqual(protection, {
                eventName: ["UpdateTable"],
                requestParameters: { tableName: ["Orders", TABLE_ARN], deletionProtectionEnabled: [false] },
            });
            assert.deepEqual(table, {
                eventName: ["DeleteTable"],
                requestParameters: { tableName: ["Orders", TABLE_ARN] },
            });
            assert.deepEqual(backup, {
                eventName: ["DeleteBackup"],
                requestParameters: { backupArn: [{ prefix: `${TABLE_ARN}/backup/` }] },
            });
        });

        it("matches AWS Backup jobs of the table that failed, aborted or expired", () => {
            assert.deepEqual(backupJobFailedPattern(TABLE_ARN), {
                source: ["aws.backup"],
                "detail-type": ["Backup Job State Change"],
                detail: { resourceArn: [TABLE_ARN], state: ["FAILED", "ABORTED", "EXPIRED"] },
            });
        });
    });

    describe("in a production ResilientTable (the default)", () => {
        it("watches the component's own table by name and ARN", async () => {
            const { resources } = await build();
            const table = only(resources, TABLE);
            const monitoring = only(resources, MONITORING);
            assert.equal(monitoring.parent, only(resources, "dynamodb-pitr:index:ResilientTable").urn);
            const drift = pattern(rule(resources, "safety-net-changed"));
            assert.deepEqual(
                drift.detail.$or.map((c: any) => c.eventName[0]),
                [...DRIFT_EVENT_NAMES],
            );
            assert.deepEqual(drift, driftEventPattern("Orders", table.outputs.arn as string));
        });

        it("alerts on failed backup jobs, because production tables get a backup plan", async () => {
            const { resources } = await build();
            const table = only(resources, TABLE);
            assert.deepEqual(
                pattern(rule(resources, "backup-job-failed")),
                backupJobFailedPattern(table.outputs.arn as string),
            );
            const plain = await build({ backup: "none" });
            assert.equal(all(plain.resources, RULE).length, 1, "no plan: only the drift rule");
        });

        it("sends every rule to a topic it creates, which only those rules may publish to", async () => {
            const { resources } = await build();
            const topic = only(resources, TOPIC, "orders-monitoring-alerts");
            const rules = all(resources, RULE);
            assert.equal(rules.length, 2);
            for (const r of rules) {
                const target = only(resources, TARGET, r.name);
                assert.equal(target.inputs.rule, r.outputs.name);
                assert.equal(target.inputs.arn, topic.outputs.arn);
            }
            const policy = JSON.parse(only(resources, TOPIC_POLICY).inputs.policy as string);
            assert.equal(only(resources, TOPIC_POLICY).inputs.arn, topic.outputs.arn);
            assert.deepEqual(policy.Statement, [
                {
                    Sid: "AllowTableAlarmRules",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: topic.outputs.arn,
                    Condition: { ArnEquals: { "aws:SourceArn": rules.map((r) => r.outputs.arn) } },
                },
            ]);
        });

        it("uses a topic passed in, creating neither topic nor policy", async () => {
            const topicArn = "arn:aws:sns:us-east-1:123456789012:oncall";
            const { resources } = await build({ monitoring: { topicArn } });
            assert.equal(all(resources, TOPIC).length, 0);
            assert.equal(all(resources, TOPIC_POLICY).length, 0);
            for (const target of all(resources, TARGET)) assert.equal(target.inputs.arn, topicArn);
        });

        it("deploys no AWS Config rules unless asked", async () => {
            const { resources } = await build();
            assert.equal(all(resources, CONFIG_RULE).length, 0);
        });
    });

    describe("AWS Config rules", () => {
        it("deploys the three managed rules, scoped to the production tag", async () => {
            const { resources } = await build({ monitoring: { configRules: true } });
            const rules = all(resources, CONFIG_RULE);
            assert.deepEqual(
                rules.map((r) => (r.inputs.source as any).sourceIdentifier),
                [
                    "DYNAMODB_PITR_ENABLED",
                    "DYNAMODB_IN_BACKUP_PLAN",
                    "DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED",
                ],
            );
            assert.deepEqual(
                Object.values(DYNAMODB_CONFIG_RULES),
                rules.map((r) => (r.inputs.source as any).sourceIdentifier),
            );
            for (const r of rules) {
                assert.equal((r.inputs.source as any).owner, "AWS");
                assert.deepEqual(r.inputs.scope, { tagKey: "environment", tagValue: "production" });
            }
            assert.ok(only(resources, CONFIG_RULE, "orders-monitoring-dynamodb-pitr-enabled"));
        });

        it("scopes them to another tag when told", async () => {
            const { resources } = await build({
                monitoring: { configRules: { tagKey: "tier", tagValue: "critical" } },
            });
            for (const r of all(resources, CONFIG_RULE)) {
                assert.deepEqual(r.inputs.scope, { tagKey: "tier", tagValue: "critical" });
            }
        });
    });

    describe("turned off", () => {
        it("creates none of it for a production table with monitoring: false", async () => {
            none((await build({ monitoring: false })).resources);
        });

        it("creates none of it for staging and development tables by default", async () => {
            none((await build({ tier: "staging" })).resources);
            none((await build({ tier: "development" })).resources);
        });

        it("watches a staging table when asked, without a backup-job rule since it has no plan", async () => {
            const { resources } = await build({ tier: "staging", monitoring: true });
            assert.deepEqual(
                all(resources, RULE).map((r) => r.name),
                ["orders-monitoring-safety-net-changed"],
            );
            assert.equal(
                only(resources, RULE).inputs.tags && (only(resources, RULE).inputs.tags as any).environment,
                "staging",
            );
        });
    });

    it("monitors any table on its own", async () => {
        const { resources } = await runUnderMocks(
            () =>
                new TableMonitoring("legacy", {
                    tableName: "Legacy",
                    tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/Legacy",
                    region: "eu-west-1",
                    backupJobAlerts: true,
                    configRules: true,
                }),
        );
        assert.equal(all(resources, RULE).length, 2);
        assert.equal(all(resources, CONFIG_RULE).length, 3);
        for (const r of [
            ...all(resources, RULE),
            ...all(resources, TARGET),
            ...all(resources, CONFIG_RULE),
        ]) {
            assert.equal(r.inputs.region, "eu-west-1", r.name);
        }
    });

    describe("validateMonitoring", () => {
        const reasons = (monitoring: unknown) =>
            validateMonitoring({ monitoring }).map((p) => `${p.propertyPath}: ${p.reason}`);

        it("accepts unset, true, false and well-formed options", () => {
            for (const monitoring of [
                undefined,
                true,
                false,
                {},
                {
                    topicArn: "arn:aws:sns:us-east-1:123456789012:oncall",
                    backupJobAlerts: false,
                    configRules: { tagKey: "tier", tagValue: "critical" },
                },
                { topicArn: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo", configRules: true },
            ]) {
                assert.deepEqual(reasons(monitoring), [], JSON.stringify(monitoring));
            }
        });

        it("accepts monitoring: false on a production table, the documented opt-out", () => {
            assert.deepEqual(validateMonitoring({ tier: "production", monitoring: false } as never), []);
        });

        it("leaves a topic ARN that is not known yet to AWS", () => {
            assert.deepEqual(reasons({ topicArn: Promise.resolve("not-an-arn") }), []);
        });

        it("rejects a value that is neither a boolean nor options", () => {
            assert.deepEqual(reasons("yes"), [
                'monitoring: `monitoring` is "yes"; it must be true, false or { topicArn?, backupJobAlerts?, ' +
                    "configRules? }. Fix: write `monitoring: true` (without quotes), or pass the options object.",
            ]);
            assert.equal(reasons(null).length, 1);
            assert.equal(reasons([]).length, 1);
        });

        it("rejects a topic ARN that is not a string", () => {
            assert.deepEqual(reasons({ topicArn: 5 }), [
                "monitoring.topicArn: `monitoring.topicArn` is 5; it must be an SNS topic ARN, " +
                    '"arn:<partition>:sns:<region>:<account>:<name>". Fix: pass the topic\'s `arn` ' +
                    "(e.g. `topic.arn`), or leave it unset to have a topic created.",
            ]);
        });

        it("rejects a topic ARN that is not an SNS topic's", () => {
            for (const topicArn of [
                "not-an-arn",
                "",
                "arn:aws:sqs:us-east-1:123456789012:queue",
                "arn:aws:sns:us-east-1:1234:oncall",
                "arn:aws:sns:us-east-1:123456789012:oncall:subscription-id",
            ]) {
                const found = reasons({ topicArn });
                assert.equal(found.length, 1, topicArn);
                assert.ok(
                    found[0].startsWith(
                        `monitoring.topicArn: \`monitoring.topicArn\` is ${JSON.stringify(topicArn)}; it must be an SNS topic ARN`,
                    ),
                    found[0],
                );
            }
        });

        it("rejects backupJobAlerts that is not a boolean", () => {
            assert.deepEqual(reasons({ backupJobAlerts: "true" }), [
                'monitoring.backupJobAlerts: `monitoring.backupJobAlerts` is "true"; it must be true or false. Fix: ' +
                    "write the boolean without quotes, or leave it unset (on when the table has a backup plan).",
            ]);
        });

        it("rejects an empty or over-long Config tag scope", () => {
            assert.deepEqual(reasons({ configRules: { tagKey: "", tagValue: "x".repeat(257) } }), [
                'monitoring.configRules.tagKey: `monitoring.configRules.tagKey` is ""; AWS Config takes a tag key of 1 ' +
                    'to 128 characters. Fix: give the tag that marks production tables, or leave it unset for "environment".',
                `monitoring.configRules.tagValue: \`monitoring.configRules.tagValue\` is "${"x".repeat(257)}"; AWS Config ` +
                    "takes a tag value of 1 to 256 characters. Fix: give the tag that marks production tables, or leave " +
                    'it unset for "production".',
            ]);
        });

        it("rejects configRules that are neither a boolean nor a tag scope", () => {
            assert.deepEqual(reasons({ configRules: "yes" }), [
                'monitoring.configRules: `monitoring.configRules` is "yes"; it must be true, false or { tagKey?, ' +
                    "tagValue? }. Fix: write `configRules: true` (without quotes), or pass the tag scope.",
            ]);
        });

        it("rejects an unknown option, naming the one it resembles", () => {
            // Unknown keys are the table's key check's (components/shapes/argShapes.ts), as everywhere.
            const reasons = (monitoring: unknown) =>
                checkArgumentNames({ ...orders, monitoring } as ResilientTableArgs).map(
                    (p) => `${p.propertyPath}: ${p.reason}`,
                );
            assert.deepEqual(reasons({ topic: "arn:aws:sns:us-east-1:123456789012:oncall" }), [
                "monitoring.topic: `monitoring.topic` is set, but `monitoring` takes only `topicArn`, `backupJobAlerts`, " +
                    "`configRules`; did you mean `topicArn`? Fix: rename it to `topicArn`.",
            ]);
            assert.deepEqual(reasons({ configRules: { tag: "tier", region: "eu-west-1" } }), [
                "monitoring.configRules.tag: `monitoring.configRules.tag` is set, but `monitoring.configRules` takes " +
                    "only `tagKey`, `tagValue`; did you mean `tagKey`? Fix: rename it to `tagKey`.",
                "monitoring.configRules.region: `monitoring.configRules.region` is set, but `monitoring.configRules` " +
                    "takes only `tagKey`, `tagValue`. Fix: remove it.",
            ]);
        });

        it("reports every problem at once, before ResilientTable creates anything", async () => {
            const created: string[] = [];
            const error = await runUnderMocks(
                () =>
                    new ResilientTable("orders", {
                        ...orders,
                        monitoring: {
                            topic: "x",
                            topicArn: "not-an-arn",
                            configRules: { tagKey: "" },
                        } as never,
                    }),
                {
                    config: { "aws:region": "us-east-1" },
                    newResource: (a) => {
                        if (!a.type.startsWith("pulumi:") && a.type !== "dynamodb-pitr:index:ResilientTable")
                            created.push(a.type);
                        return { id: `${a.name}-id`, state: a.inputs };
                    },
                },
            ).then(
                () => assert.fail("expected the component to reject monitoring"),
                (e) => e,
            );
            assert.ok(error instanceof TableArgsError);
            assert.deepEqual(
                error.problems.map((p) => p.propertyPath),
                ["monitoring.topic", "monitoring.topicArn", "monitoring.configRules.tagKey"],
            );
            assert.match(error.message, /^ResilientTable "orders" has 3 invalid arguments:/);
            assert.match(error.message, /`monitoring.topicArn` is "not-an-arn"; it must be an SNS topic ARN/);
            assert.deepEqual(created, []);
        });
    });
});
