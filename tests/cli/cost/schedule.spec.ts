import { strict as assert } from "assert";
import { COLD_STORAGE_MINIMUM_DAYS } from "../../../cli/cost/prices";
import { GROWING_HORIZON_DAYS, runsPerDay, steadyState } from "../../../cli/cost/schedule";

const close = (actual: number | undefined, expected: number, why: string) =>
    assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-3, `${why}: ${actual} vs ${expected}`);

describe("cost: how often a backup rule runs", () => {
    it("counts a daily rule once a day and an every-6-hours rule four times", () => {
        assert.equal(runsPerDay("cron(0 5 * * ? *)"), 1);
        assert.equal(runsPerDay("cron(0 5 ? * * *)"), 1);
        assert.equal(runsPerDay("cron(0 */6 * * ? *)"), 4);
        assert.equal(runsPerDay("cron(0 1,13 * * ? *)"), 2);
    });

    it("counts a weekly rule once a week and a weekday rule five days in seven", () => {
        close(runsPerDay("cron(0 5 ? * SAT *)"), 1 / 7, "Saturdays");
        close(runsPerDay("cron(0 5 ? * MON-FRI *)"), 5 / 7, "weekdays");
        close(runsPerDay("cron(0 5 ? * 2-6 *)"), 5 / 7, "weekdays by number");
    });

    it("counts a monthly rule twelve times a year, whichever day of the month it names", () => {
        for (const expression of [
            "cron(0 5 1 * ? *)",
            "cron(0 5 L * ? *)",
            "cron(0 5 15W * ? *)",
            "cron(0 5 ? * MON#1 *)",
            "cron(0 5 ? * FRIL *)",
        ])
            close(runsPerDay(expression), 12 / 365.25, expression);
        close(runsPerDay("cron(0 5 1 1,7 ? *)"), 2 / 365.25, "twice a year");
    });

    it("reads rate() expressions, and gives up on what is not a schedule", () => {
        assert.equal(runsPerDay("rate(12 hours)"), 2);
        assert.equal(runsPerDay("rate(1 day)"), 1);
        for (const bad of ["daily", "cron(0 5 * * ?)", "cron(0 5/0 * * ? *)", "rate(0 days)"])
            assert.equal(runsPerDay(bad), undefined, bad);
    });
});

describe("cost: recovery points a lifecycle keeps", () => {
    it("keeps a daily rule's points for deleteAfter days, all warm without cold storage", () => {
        assert.deepEqual(steadyState(1, { deleteAfter: 35 }), { warm: 35, cold: 0, growing: false });
    });

    it("splits a rule with cold storage into its warm days and the rest of its life cold", () => {
        const perDay = 1 / 7;
        const kept = steadyState(perDay, { coldStorageAfter: 90, deleteAfter: 365 });
        close(kept.warm, perDay * 90, "warm");
        close(kept.cold, perDay * (365 - 90), "cold");
    });

    it("bills cold storage for its 90-day minimum even when deleteAfter is shorter", () => {
        const kept = steadyState(1, { coldStorageAfter: 30, deleteAfter: 60 });
        assert.equal(kept.cold, COLD_STORAGE_MINIMUM_DAYS);
    });

    it("follows a rule that deletes nothing for a year, and says that it grows", () => {
        const kept = steadyState(1, {});
        assert.deepEqual(kept, { warm: GROWING_HORIZON_DAYS, cold: 0, growing: true });
        const cold = steadyState(1, { coldStorageAfter: 30 });
        assert.deepEqual(cold, { warm: 30, cold: GROWING_HORIZON_DAYS - 30, growing: true });
    });
});
