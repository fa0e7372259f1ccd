import { strict as assert } from "assert";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { ProtectionBaseline } from "../../../components/baseline/protectionBaseline";
import { ResilientTable } from "../../../components/table/resilientTable";
import { BackupRuleArgs } from "../../../components/backup/presets";
import { AWS_QUOTAS } from "../../../components/core/quotas";
import { exceeded, quotaUsage } from "../../support/quotaUsage";
import { all, COMPONENT, TABLE } from "../../support/resources";

const HOME = "us-east-1";
const KEYS = {
    hashKey: "pk",
    rangeKey: "sk",
    attributes: [
        { name: "pk", type: "S" as const },
        { name: "sk", type: "S" as const },
    ],
};
/** Three custom schedules that teams write for themselves. */
const CUSTOM: BackupRuleArgs[][] = [6, 12, 18].map((hour) => [
    { name: "Nightly", schedule: `cron(0 ${hour} ? * * *)`, lifecycle: { deleteAfterDays: 14 } },
]);

/** 1,000 production tables of one account and Region: some replicated, some on other schedules. */
function fleet(count: number) {
    return () => {
        const baseline = new ProtectionBaseline("platform", {
            replicaRegions: ["eu-west-1", "ap-southeast-2"],
        });
        for (let i = 0; i < count; i++) {
            new ResilientTable(`table${i}`, {
                ...KEYS,
                baseline,
                replicas:
                    i % 25 === 0
                        ? [{ regionName: "eu-west-1" }, { regionName: "ap-southeast-2" }]
                        : i % 10 === 0
                          ? [{ regionName: "eu-west-1" }]
                          : undefined,
                backup:
                    i % 7 === 0 ? "daily-weekly-monthly-7-year" : i % 11 === 0 ? CUSTOM[i % 3] : undefined,
            });
        }
    };
}

describe("a fleet of 1,000 production tables on one baseline", function () {
    this.timeout(300_000);
    let resources: Awaited<ReturnType<typeof runUnderMocks>>["resources"];

    before(async () => {
        ({ resources } = await runUnderMocks(fleet(1000), {
            project: "platform",
            stack: "prod",
            config: { "aws:region": HOME },
        }));
    });

    it("stays within every AWS default quota the design touches", () => {
        const uses = quotaUsage(resources, HOME);
        const checked = new Set(uses.map((u) => u.quota));
        for (const quota of Object.values(AWS_QUOTAS)) {
            if (quota.name.includes("af-south-1")) continue; // the fleet is not in those Regions
            assert.ok(checked.has(quota.name), `the fleet was not counted against "${quota.name}"`);
        }
        assert.deepEqual(exceeded(uses), []);
    });

    it("registers the component and the table per table, and a fixed number of shared resources", () => {
        const tables = all(resources, TABLE);
        assert.equal(tables.length, 1000);
        const components = new Set(all(resources, COMPONENT).map((r) => r.urn));
        const perTable = resources.filter((r) => r.parent !== undefined && components.has(r.parent));
        assert.equal(perTable.length, 1000, "nothing under a table's component but its table");
        const shared = resources.length - 1 /* stack */ - 2 * 1000;
        // Baseline 18 + 2 Regions x (key, rule, target, 3 Config rules) + forwarding role, + 2 plans and
        // selections per extra schedule (1 preset, 3 custom).
        assert.equal(shared, 18 + 2 * 6 + 1 + 4 * 2);
        assert.ok(resources.length / 1000 <= 2.2, `${resources.length / 1000} resources per table`);
    });

    it("watches every replica Region a table replicates to", () => {
        const rules = all(resources, "aws:cloudwatch/eventRule:EventRule").map(
            (r) => r.inputs.region ?? HOME,
        );
        const replicaRegions = new Set(
            all(resources, TABLE).flatMap((t) =>
                ((t.inputs.replicas as Array<{ regionName: string }> | undefined) ?? []).map(
                    (r) => r.regionName,
                ),
            ),
        );
        for (const region of replicaRegions) assert.ok(rules.includes(region), `no rule in ${region}`);
    });

    it("the same check catches the per-table design at 151 production tables (302 rules on one bus)", async () => {
        const { resources: own } = await runUnderMocks(
            () => {
                for (let i = 0; i < 151; i++)
                    new ResilientTable(`own${i}`, {
                        ...KEYS,
                        // Its own drift and backup-job alarms, without the plan's other resources.
                        backup: "none",
                        monitoring: { backupJobAlerts: true },
                    });
            },
            { config: { "aws:region": HOME } },
        );
        const over = exceeded(quotaUsage(own, HOME));
        assert.equal(over.length, 1);
        assert.equal(over[0].quota, AWS_QUOTAS.eventRulesPerBus.name);
        assert.equal(over[0].used, 302);
    });
});
