import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { defaultNewResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import {
    RESTORE_INPUTS,
    ResilientTable,
    ResilientTableArgs,
    restoreClock,
    TableRestore,
} from "../../../components";
import { all, only, TABLE } from "../../support/resources";
import { buildRestoredTable, rejectedRestore } from "../../support/restore";
import { settled } from "../../support/settled";

// The seed's example: Orders restored to Orders_Restore. The clock is pinned the day after the
// restore point, so the seed's instant lies inside the 35-day window.
const pinnedNow = new Date("2025-09-26T12:00:00Z");
const seedRestore: TableRestore = { sourceTableName: "Orders", restoreDateTime: "2025-09-25T10:00:00Z" };

const orders: ResilientTableArgs = {
    hashKey: "orderId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "customerId", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId" }],
    ttlAttribute: "expiresAt",
    streamViewType: "NEW_AND_OLD_IMAGES",
    tags: { service: "checkout" },
};

const build = (
    args: Partial<ResilientTableArgs> = {},
    newResource?: (a: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult,
) => buildRestoredTable({ ...orders, ...args }, newResource);

/** Collects `pulumi.log.warn` messages (printed to the console when no engine runs the program). */
async function warningsOf(run: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => void seen.push(String(message));
    try {
        await run();
        await settled();
    } finally {
        console.warn = original;
    }
    return seen;
}

describe("ResilientTable restore", () => {
    const realNow = restoreClock.now;
    beforeEach(() => (restoreClock.now = () => pinnedNow));
    afterEach(() => (restoreClock.now = realNow));

    describe("point-in-time restore", () => {
        it("creates Orders_Restore from Orders at 2025-09-25T10:00:00Z", async () => {
            const { table } = await build({ restore: seedRestore });
            assert.equal(table.inputs.name, "Orders_Restore");
            assert.equal(table.inputs.restoreSourceName, "Orders");
            assert.equal(table.inputs.restoreDateTime, "2025-09-25T10:00:00Z");
            assert.equal(table.inputs.restoreSourceTableArn, undefined);
            assert.equal(table.inputs.restoreToLatestTime, undefined);
        });

        it("restores across Regions from a source ARN", async () => {
            const arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";
            const { table } = await build({ restore: { sourceTableArn: arn, restoreToLatestTime: true } });
            assert.equal(table.inputs.restoreSourceTableArn, arn);
            assert.equal(table.inputs.restoreSourceName, undefined);
            assert.equal(table.inputs.restoreToLatestTime, true);
            assert.equal(table.inputs.restoreDateTime, undefined);
        });

        it("restores to the latest restorable time", async () => {
            const { table } = await build({
                restore: { sourceTableName: "Orders", restoreToLatestTime: true },
            });
            assert.equal(table.inputs.restoreToLatestTime, true);
            assert.equal(table.inputs.restoreDateTime, undefined);
        });
    });

    describe("gives back what AWS does not restore", () => {
        it("turns on PITR, TTL, streams, tags and deletion protection on the restored table", async () => {
            const { table } = await build({ restore: seedRestore });
            assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
            assert.deepEqual(table.inputs.ttl, { attributeName: "expiresAt", enabled: true });
            assert.equal(table.inputs.streamEnabled, true);
            assert.equal(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
            assert.deepEqual(table.inputs.tags, { service: "checkout", environment: "production" });
            assert.equal(table.inputs.deletionProtectionEnabled, true);
            assert.equal(table.protect, true);
            assert.equal(table.retainOnDelete, true);
        });

        it("puts the restored production table in an AWS Backup plan, as its tier says", async () => {
            const { resources, table } = await build({ restore: seedRestore });
            const selection = only(resources, "aws:backup/selection:Selection");
            assert.deepEqual(selection.inputs.resources, [table.outputs.arn]);
            assert.equal(all(resources, "aws:backup/plan:Plan").length, 1);
        });

        it("gets the same children and settings as a table created empty, restore inputs aside", async () => {
            const restored = await build({ restore: seedRestore });
            const fresh = await build();
            const shape = (run: typeof fresh) =>
                run.resources
                    .map((r) => `${r.type} ${r.name} protect=${r.protect} retain=${r.retainOnDelete}`)
                    .sort();
            assert.deepEqual(shape(restored), shape(fresh));
            const { restoreSourceName, restoreDateTime, ...rest } = restored.table.inputs;
            assert.deepEqual([restoreSourceName, restoreDateTime], ["Orders", "2025-09-25T10:00:00Z"]);
            assert.deepEqual(rest, fresh.table.inputs);
        });
    });

    describe("the source is never touched", () => {
        it("registers no resource for the source, and nothing but the restore inputs names it", async () => {
            const { resources, table } = await build({ restore: seedRestore });
            assert.deepEqual(
                all(resources, TABLE).map((r) => r.inputs.name),
                ["Orders_Restore"],
            );
            assert.equal(resources.filter((r) => r.importId !== undefined).length, 0);
            const mentions = resources.flatMap((r) =>
                Object.entries(r.inputs)
                    .filter(([, value]) => JSON.stringify(value)?.includes('"Orders"') || value === "Orders")
                    .map(([key]) => `${r.name}.${key}`),
            );
            assert.deepEqual(mentions, [`${table.name}.restoreSourceName`]);
        });
    });

    describe("one-shot: changing the restore later never replaces the table", () => {
        it("ignores changes to every restore input after creation", async () => {
            const { table } = await build({ restore: seedRestore });
            assert.deepEqual([...table.ignoreChanges].sort(), [...RESTORE_INPUTS].sort());
        });

        it("registers the same table, with the same options, once the restore block is removed", async () => {
            const first = await build({ restore: seedRestore });
            const second = await build();
            assert.equal(second.table.urn, first.table.urn);
            assert.deepEqual(second.table.ignoreChanges, first.table.ignoreChanges);
            assert.equal(second.table.protect, true);
            assert.equal(second.table.inputs.restoreSourceName, undefined);
        });

        it("warns that a new restoreDateTime is ignored for a table already restored", async () => {
            const recorded = (a: pulumi.runtime.MockResourceArgs) => {
                const result = defaultNewResource(a);
                if (a.type === TABLE)
                    result.state = { ...result.state, restoreDateTime: "2025-09-24T08:00:00Z" };
                return result;
            };
            const warnings = await warningsOf(() => build({ restore: seedRestore }, recorded));
            const warning = warnings.find((w) => w.includes("`restore` changed"));
            assert.ok(warning, `no warning in ${JSON.stringify(warnings)}`);
            assert.match(
                warning,
                /ResilientTable "orders-restore": `restore` changed, but the table was restored from Orders at 2025-09-24T08:00:00Z; .* the change is ignored and the table keeps its data\. To restore again, declare a table under a new resource name\./,
            );
        });

        it("does not warn when the table was restored as declared, the same instant spelled with an offset", async () => {
            const recorded = (a: pulumi.runtime.MockResourceArgs) => {
                const result = defaultNewResource(a);
                if (a.type === TABLE)
                    result.state = { ...result.state, restoreDateTime: "2025-09-25T12:00:00+02:00" };
                return result;
            };
            const warnings = await warningsOf(() => build({ restore: seedRestore }, recorded));
            assert.deepEqual(
                warnings.filter((w) => w.includes("`restore` changed")),
                [],
            );
        });

        it("restores again only into a new table, declared under a new resource name", async () => {
            const run = await runUnderMocks(
                () => {
                    new ResilientTable("orders-restore", {
                        ...orders,
                        name: "Orders_Restore",
                        restore: seedRestore,
                    });
                    new ResilientTable("orders-restore-2", {
                        ...orders,
                        name: "Orders_Restore_2",
                        restore: { sourceTableName: "Orders", restoreDateTime: "2025-09-25T11:00:00Z" },
                    });
                },
                { config: { "aws:region": "us-east-1" } },
            );
            const tables = all(run.resources, TABLE);
            assert.deepEqual(
                tables.map((t) => [t.inputs.name, t.inputs.restoreDateTime]),
                [
                    ["Orders_Restore", "2025-09-25T10:00:00Z"],
                    ["Orders_Restore_2", "2025-09-25T11:00:00Z"],
                ],
            );
        });
    });

    describe("bad input", () => {
        const rejects = (args: Partial<ResilientTableArgs>) => rejectedRestore({ ...orders, ...args });

        it("rejects a time outside the window before creating anything, giving the window", async () => {
            restoreClock.now = () => new Date("2026-11-25T10:00:00Z");
            const { error, created } = await rejects({ restore: seedRestore });
            assert.equal(created, 0);
            assert.match(
                error.message,
                /^ResilientTable "orders-restore" has an invalid argument:\n {2}- `restore.restoreDateTime` is "2025-09-25T10:00:00Z", older than the source's 35-day recovery period; the restorable window is 2026-10-21T10:00:00Z to 2026-11-25T09:55:00Z \(UTC\)/,
            );
        });

        it("checks a restore time that arrives later as an Output", async () => {
            const { error } = await rejects({
                restore: {
                    sourceTableName: "Orders",
                    restoreDateTime: pulumi.output(Promise.resolve("2025-09-27T00:00:00Z")),
                },
            });
            assert.match(
                error.message,
                /`restore.restoreDateTime` is "2025-09-27T00:00:00Z", which is in the future/,
            );
        });

        it("refuses to restore onto the source's own name, with the other problems", async () => {
            const { error } = await rejects({
                name: "Orders",
                restore: {
                    sourceTableName: "Orders",
                    restoreDateTime: "2025-09-25T10:00:00Z",
                    restoreToLatestTime: true,
                },
            });
            assert.deepEqual(
                error.problems.map((p) => p.propertyPath),
                ["name", "restore.restoreToLatestTime"],
            );
        });

        it("refuses restore inputs passed around the component through tableArgs", async () => {
            const { error } = await rejects({ tableArgs: { restoreSourceName: "Orders" } as any });
            assert.match(error.message, /`tableArgs.restoreSourceName` is set, but the component manages/);
        });
    });
});
