import { strict as assert } from "assert";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { RESTORE_INPUTS, restoreClock } from "../../../components";
import { only, TABLE } from "../../support/resources";

const example = require.resolve("../../../examples/restore");

/** Runs examples/restore as its own project would, with stack configuration `config`. */
function runExample(config: Record<string, string> = {}) {
    return runUnderMocks(
        () => {
            delete require.cache[example];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(example);
        },
        { project: "restore", config: { "aws:region": "us-east-1", ...config } },
    );
}

describe("examples/restore", () => {
    const realNow = restoreClock.now;
    afterEach(() => (restoreClock.now = realNow));

    it("restores Orders to Orders_Restore at the latest restorable time by default, on the day the suite runs", async () => {
        const { resources, outputs } = await runExample();
        const table = only(resources, TABLE);
        assert.equal(table.inputs.name, "Orders_Restore");
        assert.equal(table.inputs.restoreSourceName, "Orders");
        assert.equal(table.inputs.restoreToLatestTime, true);
        assert.equal(table.inputs.restoreDateTime, undefined);
        assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
        assert.equal(table.inputs.deletionProtectionEnabled, true);
        assert.deepEqual([...table.ignoreChanges].sort(), [...RESTORE_INPUTS].sort());
        assert.equal(outputs.restoredTo, "latest restorable time");
    });

    it("restores to the seed's 2025-09-25T10:00:00Z when configured, inside that day's window", async () => {
        restoreClock.now = () => new Date("2025-09-25T18:00:00Z");
        const { resources, outputs } = await runExample({
            "restore:restoreDateTime": "2025-09-25T10:00:00Z",
        });
        assert.equal(only(resources, TABLE).inputs.restoreDateTime, "2025-09-25T10:00:00Z");
        assert.equal(outputs.restoredTo, "2025-09-25T10:00:00Z");
    });

    it("fails at preview with the window when the configured instant is no longer restorable", async () => {
        restoreClock.now = () => new Date("2026-11-25T10:00:00Z");
        await assert.rejects(
            runExample({ "restore:restoreDateTime": "2025-09-25T10:00:00Z" }),
            /`restore.restoreDateTime` is "2025-09-25T10:00:00Z", older than the source's 35-day recovery period; the restorable window is 2026-10-21T10:00:00Z to 2026-11-25T09:55:00Z/,
        );
    });

    it("restores to a time set in the stack's configuration", async () => {
        restoreClock.now = () => new Date("2026-11-25T10:00:00Z");
        const { resources } = await runExample({ "restore:restoreDateTime": "2026-11-25T09:00:00Z" });
        assert.equal(only(resources, TABLE).inputs.restoreDateTime, "2026-11-25T09:00:00Z");
    });
});
