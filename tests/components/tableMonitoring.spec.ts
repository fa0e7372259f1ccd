import { strict as assert } from "assert";
import { CapturedResource, runUnderMocks } from "../../cli/mockRuntime";
import {
    backupJobFailedPattern,
    DRIFT_EVENT_NAMES,
    driftEventPattern,
    DYNAMODB_CONFIG_RULES,
    ResilientTable,
    ResilientTableArgs,
    TableMonitoring,
} from "../../components";
import { all, only, TABLE } from "../support/resources";

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
});
