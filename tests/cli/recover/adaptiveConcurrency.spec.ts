// How many writes recover keeps in flight: grows while writes queue, stops at the rate limit and
// the ceiling, halves on throttling.
import { strict as assert } from "node:assert";
import { AdaptiveConcurrency } from "../../../cli/recover/adaptiveConcurrency";

/** Starts `n` tasks that wait until released; returns the release functions in start order. */
function occupy(limiter: AdaptiveConcurrency, n: number): { started: number[]; release: () => void } {
    const started: number[] = [];
    const gates: Array<() => void> = [];
    for (let i = 0; i < n; i++) {
        void limiter.run(
            () =>
                new Promise<void>((resolve) => {
                    started.push(i);
                    gates.push(resolve);
                }),
        );
    }
    return { started, release: () => gates.shift()?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("adaptive write concurrency", () => {
    it("starts at 16 and runs no more than the limit at once", async () => {
        const limiter = new AdaptiveConcurrency({ max: 256 });
        const { started } = occupy(limiter, 40);
        await tick();
        assert.equal(limiter.limit, 16);
        assert.equal(started.length, 16);
    });

    it("grows by one per success while writes queue and the rate limit does not hold them back, up to the ceiling", async () => {
        const limiter = new AdaptiveConcurrency({ initial: 2, max: 5 });
        const { started } = occupy(limiter, 20);
        await tick();
        assert.equal(started.length, 2);
        for (let i = 0; i < 10; i++) limiter.succeeded(false);
        await tick();
        assert.equal(limiter.limit, 5, "capped at max");
        assert.equal(started.length, 5, "the new slots are handed to waiting writes at once");
        assert.equal(limiter.peak, 5);
    });

    it("does not grow when writes waited for capacity, or when none are queued", async () => {
        const limiter = new AdaptiveConcurrency({ initial: 4, max: 100 });
        occupy(limiter, 10);
        await tick();
        for (let i = 0; i < 10; i++) limiter.succeeded(true);
        assert.equal(limiter.limit, 4, "the rate limit is the bottleneck");
        const idle = new AdaptiveConcurrency({ initial: 4, max: 100 });
        for (let i = 0; i < 10; i++) idle.succeeded(false);
        assert.equal(idle.limit, 4, "nothing waits for a slot");
    });

    it("halves on throttling, then grows by one per round of writes", async () => {
        const limiter = new AdaptiveConcurrency({ initial: 16, max: 100 });
        occupy(limiter, 100);
        await tick();
        limiter.throttled();
        assert.equal(limiter.limit, 8);
        for (let i = 0; i < 7; i++) limiter.succeeded(false);
        assert.equal(limiter.limit, 8, "fewer successes than one round");
        limiter.succeeded(false);
        assert.equal(limiter.limit, 9);
        for (let i = 0; i < 5; i++) limiter.throttled();
        assert.equal(limiter.limit, 1, "never below one");
    });
});
