import { strict as assert } from "assert";
import { CONFIG_CHANGES_PER_TABLE_MONTH, estimateCost } from "../../../cli/cost/estimate";
import { renderCost } from "../../../cli/cost/format";
import { KMS_BILLED_ROTATIONS, PRICES } from "../../../cli/cost/prices";
import { DAYS_PER_MONTH } from "../../../cli/cost/schedule";
import type { CostResource } from "../../../cli/cost/types";

/** A value not known before deployment, as the mock runtime captures it. */
const UNKNOWN = { unknown: true };
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const SIZE = 25;
const CONFIG = { "aws:region": "us-east-1" };
const DAILY_35 = { ruleName: "Daily", schedule: "cron(0 5 * * ? *)", lifecycle: { deleteAfter: 35 } };
const ALL_TABLES = "arn:aws:dynamodb:*:*:table/*";

function table(name: string, inputs: Record<string, unknown> = {}): CostResource {
    return {
        urn: urn("aws:dynamodb/table:Table", name),
        type: "aws:dynamodb/table:Table",
        name,
        inputs: { name, pointInTimeRecovery: { enabled: true }, ...inputs },
    };
}

function plan(name: string, rules: unknown[]): CostResource {
    return { urn: urn("aws:backup/plan:Plan", name), type: "aws:backup/plan:Plan", name, inputs: { rules } };
}

/** A selection whose plan id and table ARNs are outputs, traced through property dependencies. */
function selection(
    name: string,
    of: CostResource,
    inputs: Record<string, unknown>,
    tables: CostResource[] = [],
): CostResource {
    return {
        urn: urn("aws:backup/selection:Selection", name),
        type: "aws:backup/selection:Selection",
        name,
        inputs: { planId: UNKNOWN, iamRoleArn: UNKNOWN, ...inputs },
        propertyDependencies: { planId: [of.urn], resources: tables.map((t) => t.urn) },
    };
}

const byTag = (tags: Record<string, string>) => ({
    resources: [ALL_TABLES],
    conditions: [
        { stringEquals: Object.entries(tags).map(([k, value]) => ({ key: `aws:ResourceTag/${k}`, value })) },
    ],
});

const warm = (points: number) => points * SIZE * PRICES.backupWarmGbMonth.usd;
const cold = (points: number) => points * SIZE * PRICES.backupColdGbMonth.usd;
const pitr = SIZE * PRICES.pitrGbMonth.usd;
const near = (actual: number, expected: number, why: string) =>
    assert.ok(Math.abs(actual - expected) <= 0.011, `${why}: ${actual} vs ${expected}`);
const estimate = (resources: CostResource[]) =>
    estimateCost(resources, { tableSizeGb: SIZE, config: CONFIG });

describe("cost: what a stack's protection costs a month", () => {
    it("prices one table alone with its own plan: PITR on its size, and one warm backup per day kept", () => {
        const orders = table("orders");
        const own = plan("orders-backup", [DAILY_35]);
        const report = estimate([
            orders,
            own,
            selection("orders-backup-tables", own, { resources: [UNKNOWN] }, [orders]),
        ]);
        const [row] = report.tables;
        assert.equal(row.tableName, "orders");
        assert.equal(row.pitrMonthly, pitr);
        assert.equal(row.backups.length, 1);
        assert.equal(row.backups[0].warmRecoveryPoints, 35);
        near(row.backupMonthly, warm(35), "35 daily recovery points");
        near(report.totals.monthly, pitr + warm(35), "total");
        assert.deepEqual(report.uncosted, []);
    });

    it("prices copies to a logically air-gapped vault of the stack at the air-gapped rate, never cold", () => {
        const orders = table("orders");
        const vault: CostResource = {
            urn: urn("aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault", "last-resort"),
            type: "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
            name: "last-resort",
            inputs: { minRetentionDays: 7, maxRetentionDays: 365 },
        };
        const copied = {
            ...plan("orders-backup", [
                {
                    ...DAILY_35,
                    copyActions: [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter: 35 } }],
                },
            ]),
            propertyDependencies: { rules: [vault.urn] },
        };
        const report = estimate([
            orders,
            vault,
            copied,
            selection("orders-backup-tables", copied, { resources: [UNKNOWN] }, [orders]),
        ]);
        const [own, copy] = report.tables[0].backups;
        assert.equal(own.airGapped, undefined);
        assert.equal(copy.airGapped, true);
        assert.equal(copy.coldRecoveryPoints, 0);
        near(copy.monthly, 35 * SIZE * PRICES.backupAirGappedGbMonth.usd, "35 air-gapped copies");
    });

    it("prices a fleet under one tag-selected plan, and leaves out the table without the tag", () => {
        const fleet = Array.from({ length: 6 }, (_, n) =>
            table(`t${n}`, { tags: { environment: "production" } }),
        );
        const dev = table("scratch", { tags: { environment: "development" } });
        const shared = plan("platform", [DAILY_35]);
        const report = estimate([
            ...fleet,
            dev,
            shared,
            selection("platform-tagged", shared, byTag({ environment: "production" })),
        ]);
        for (const row of report.tables.filter((t) => t.name !== "scratch"))
            near(row.backupMonthly, warm(35), row.name);
        const scratch = report.tables.find((t) => t.name === "scratch")!;
        assert.deepEqual(scratch.backups, []);
        near(report.totals.backups, fleet.length * warm(35), "six tables' backups");
        near(report.totals.pitr, (fleet.length + 1) * pitr, "PITR on all seven");
    });

    it("takes tags from the provider's default tags too, as AWS does", () => {
        const bare = table("ledger");
        const shared = plan("platform", [DAILY_35]);
        const report = estimateCost(
            [bare, shared, selection("tagged", shared, byTag({ environment: "production" }))],
            {
                tableSizeGb: SIZE,
                config: {
                    ...CONFIG,
                    "aws:defaultTags": JSON.stringify({ tags: { environment: "production" } }),
                },
            },
        );
        near(report.tables[0].backupMonthly, warm(35), "selected through the default tag");
    });

    it("splits a schedule with cold storage into warm and cold recovery points, each at its price", () => {
        const orders = table("orders");
        const weekly = {
            ruleName: "WeeklyCold",
            schedule: "cron(0 5 ? * SUN *)",
            lifecycle: { coldStorageAfter: 91, deleteAfter: 455 },
        };
        const p = plan("archive", [weekly]);
        const report = estimate([
            orders,
            p,
            selection("archive-tables", p, { resources: [UNKNOWN] }, [orders]),
        ]);
        const [rule] = report.tables[0].backups;
        assert.equal(rule.warmRecoveryPoints, 91 / 7);
        assert.equal(rule.coldRecoveryPoints, (455 - 91) / 7);
        near(rule.warmMonthly, warm(91 / 7), "warm");
        near(rule.coldMonthly, cold((455 - 91) / 7), "cold");
        near(rule.backupsPerMonth, DAYS_PER_MONTH / 7, "backups a month");
    });

    it("prices each replica's PITR and key, and backs up only the replicas in the plan's Region", () => {
        const global = table("sessions", {
            tags: { environment: "production" },
            replicas: [
                {
                    regionName: "eu-west-1",
                    pointInTimeRecovery: true,
                    propagateTags: true,
                    kmsKeyArn: UNKNOWN,
                },
                { regionName: "ap-southeast-2", pointInTimeRecovery: false },
            ],
        });
        const keys: CostResource[] = ["us-east-1", "eu-west-1"].map((region) => ({
            urn: urn("aws:kms/key:Key", `key-${region}`),
            type: "aws:kms/key:Key",
            name: `key-${region}`,
            inputs: { enableKeyRotation: true, region },
        }));
        const home = plan("platform", [DAILY_35]);
        const report = estimate([
            global,
            ...keys,
            home,
            selection("tagged", home, byTag({ environment: "production" })),
        ]);
        assert.deepEqual(
            report.tables.map((t) => [t.name, t.region, t.pitrMonthly, t.backups.length]),
            [
                ["sessions", "us-east-1", pitr, 1],
                ["sessions replica eu-west-1", "eu-west-1", pitr, 0],
                ["sessions replica ap-southeast-2", "ap-southeast-2", 0, 0],
            ],
        );
        const rotatedKey = PRICES.kmsKeyMonth.usd + KMS_BILLED_ROTATIONS * PRICES.kmsRotationMonth.usd;
        assert.deepEqual(
            report.fixed.map((f) => [f.kind, f.monthly]),
            [
                ["kms-key", rotatedKey],
                ["kms-key", rotatedKey],
            ],
        );
        near(report.totals.monthly, 2 * pitr + warm(35) + 2 * rotatedKey, "total");
    });

    it("gives a table no plan selects no backups, and names the selection that selects nothing", () => {
        const orders = table("orders");
        const p = plan("other", [DAILY_35]);
        const report = estimate([
            orders,
            p,
            selection("other-tables", p, {
                resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/Invoices"],
            }),
        ]);
        assert.deepEqual(report.tables[0].backups, []);
        assert.equal(report.tables[0].monthly, pitr);
        assert.deepEqual(report.uncosted, [
            {
                name: "other-tables",
                urn: urn("aws:backup/selection:Selection", "other-tables"),
                reason: "it selects no table of this stack",
            },
        ]);
    });

    it("selects a table by its ARN, and takes it out again with notResources", () => {
        const invoices = table("Invoices");
        const p = plan("p", [DAILY_35]);
        const arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Invoices";
        assert.equal(
            estimate([invoices, p, selection("s", p, { resources: [arn] })]).tables[0].backups.length,
            1,
        );
        const excluded = selection("s", p, { resources: [ALL_TABLES], notResources: [arn] });
        assert.equal(estimate([invoices, p, excluded]).tables[0].backups.length, 0);
    });

    it("adds ListOfTags matches to the ARNs selected (any tag), as AWS Backup does", () => {
        const [a, b] = [table("a", { tags: { backup: "daily" } }), table("b", { tags: { backup: "never" } })];
        const p = plan("p", [DAILY_35]);
        const s = selection("s", p, {
            selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }],
        });
        assert.deepEqual(
            estimate([a, b, p, s]).tables.map((t) => t.backups.length),
            [1, 0],
        );
    });

    it("counts a table once per plan, however many of the plan's selections select it", () => {
        const orders = table("orders", { tags: { environment: "production" } });
        const [one, two] = [plan("one", [DAILY_35]), plan("two", [DAILY_35])];
        const report = estimate([
            orders,
            one,
            two,
            selection("one-tables", one, { resources: [UNKNOWN] }, [orders]),
            selection("one-tagged", one, byTag({ environment: "production" })),
            selection("two-tagged", two, byTag({ environment: "production" })),
        ]);
        assert.deepEqual(
            report.tables[0].backups.map((b) => b.plan),
            ["one", "two"],
        );
        near(report.tables[0].backupMonthly, 2 * warm(35), "two plans");
    });

    it("leaves out a selection into a plan that is not in the stack", () => {
        const orders = table("orders");
        const report = estimate([
            orders,
            {
                urn: urn("s", "joined"),
                type: "aws:backup/selection:Selection",
                name: "joined",
                inputs: { planId: "abc-123", resources: [ALL_TABLES] },
            },
        ]);
        assert.deepEqual(report.tables[0].backups, []);
        assert.match(report.uncosted[0].reason, /plan is not in this stack/);
    });

    it("prices AWS Config rules by the evaluations they make of the tables in their scope", () => {
        const tables = [1, 2, 3].map((n) => table(`t${n}`, { tags: { environment: "production" } }));
        const rule = (name: string, sourceIdentifier: string): CostResource => ({
            urn: urn("aws:cfg/rule:Rule", name),
            type: "aws:cfg/rule:Rule",
            name,
            inputs: {
                source: { owner: "AWS", sourceIdentifier },
                scope: { tagKey: "environment", tagValue: "production" },
            },
        });
        const report = estimate([
            ...tables,
            rule("pitr", "DYNAMODB_PITR_ENABLED"),
            rule("plan", "DYNAMODB_IN_BACKUP_PLAN"),
            rule("buckets", "S3_BUCKET_VERSIONING_ENABLED"),
        ]);
        const [changeTriggered, periodic, notTables] = report.fixed;
        assert.equal(notTables.monthly, 0, "an S3 rule evaluates no table");
        near(
            changeTriggered.monthly,
            3 * CONFIG_CHANGES_PER_TABLE_MONTH * PRICES.configRuleEvaluation.usd,
            "on change",
        );
        near(periodic.monthly, 3 * DAYS_PER_MONTH * PRICES.configRuleEvaluation.usd, "daily");
    });

    it("prices CloudWatch alarms per metric they watch, high resolution at its own price", () => {
        const alarm = (name: string, inputs: Record<string, unknown>): CostResource => ({
            urn: urn("aws:cloudwatch/metricAlarm:MetricAlarm", name),
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            name,
            inputs,
        });
        const report = estimate([
            alarm("throttles", { metricName: "ThrottledRequests", period: 300 }),
            alarm("fast", { metricName: "SystemErrors", period: 10 }),
            alarm("math", {
                metricQueries: [
                    { id: "a", metric: { metricName: "UserErrors", period: 60 } },
                    { id: "b", metric: { metricName: "SystemErrors", period: 60 } },
                    { id: "e", expression: "a+b" },
                ],
            }),
        ]);
        assert.deepEqual(
            report.fixed.map((f) => [f.kind, f.monthly]),
            [
                ["cloudwatch-alarm", PRICES.cloudWatchAlarmMetricMonth.usd],
                ["cloudwatch-alarm", PRICES.cloudWatchHighResolutionAlarmMetricMonth.usd],
                ["cloudwatch-alarm", 2 * PRICES.cloudWatchAlarmMetricMonth.usd],
            ],
        );
    });

    it("counts a rule whose schedule is not known before deployment as never running, and says so", () => {
        const orders = table("orders");
        const p = plan("p", [{ ruleName: "Later", schedule: UNKNOWN, lifecycle: { deleteAfter: 35 } }]);
        const report = estimate([orders, p, selection("s", p, { resources: [UNKNOWN] }, [orders])]);
        assert.equal(report.tables[0].backupMonthly, 0);
        assert.ok(
            report.notes.some((n) => n.includes("Later (known after deployment)")),
            report.notes.join("\n"),
        );
    });

    it("marks a table the organization's backup policy selects, instead of saying it has no plan", () => {
        const covered = table("orders", { tags: { environment: "production", team: "checkout" } });
        const other = table("scratch", { tags: { environment: "staging" } });
        const report = estimateCost([covered, other], {
            tableSizeGb: SIZE,
            config: CONFIG,
            organizationSelections: [{ tags: { environment: "production" } }],
        });
        const [orders, scratch] = report.tables;
        assert.equal(orders.organizationBackupPolicy, true);
        assert.equal(scratch.organizationBackupPolicy, undefined, "a table without every tag of a selection");
        assert.equal(orders.backupMonthly, 0, "the policy's plan is outside the stack: not costed");
        assert.ok(
            report.notes.some((n) => n.startsWith("orders: backed up by the organization's backup policy")),
        );
        const text = renderCost(report, { color: false });
        assert.match(text, /orders +PITR \$[\d.]+ +backups by the organization's policy \(not costed\)/);
        assert.match(text, /scratch +PITR \$[\d.]+ +no backup plan/);
    });

    it("names the price page it is given, and none when it has none", () => {
        const report = estimateCost([table("orders")], {
            tableSizeGb: SIZE,
            config: CONFIG,
            pricesDoc: "node_modules/dynamodb-pitr/docs/cost.md",
        });
        assert.match(
            renderCost(report, { color: false }),
            /Prices, Regions and what is left out: node_modules\/dynamodb-pitr\/docs\/cost\.md\.$/m,
        );
        assert.doesNotMatch(renderCost(estimate([table("orders")]), { color: false }), /Prices, Regions/);
    });
});
