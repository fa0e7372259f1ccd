// When the recover command collects in full: every few seconds, and as soon as the old generation
// has grown past what the last collection left by the budget (or by half that, on a big heap).
import { strict as assert } from "node:assert";
import { keepHeapCompact, oldGenerationUsed } from "../../../cli/recover/heap";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the command's heap keeping", () => {
    it("collects once the old generation has grown by the budget, and on the timer otherwise", async () => {
        let used = 10;
        let clock = 0;
        const collections: number[] = [];
        const stop = keepHeapCompact({
            everyMs: 1_000,
            checkEveryMs: 5,
            growthBytes: 8,
            gc: () => {
                collections.push(used);
                used = 12; // what survives the collection
            },
            oldGenerationUsed: () => used,
            now: () => clock,
        });
        try {
            used = 17; // grown by 7: not yet
            await wait(30);
            assert.deepEqual(collections, []);
            used = 18; // grown by 8 since the start
            await wait(30);
            assert.deepEqual(collections, [18]);
            used = 19; // grown by 7 since that collection: not yet
            await wait(30);
            assert.deepEqual(collections, [18]);
            clock = 1_000; // the timer's turn, whatever the growth
            await wait(30);
            assert.deepEqual(collections, [18, 19]);
        } finally {
            stop();
        }
    });

    it("lets a big heap grow by half what the last collection left before collecting", async () => {
        let used = 100;
        const collections: number[] = [];
        const stop = keepHeapCompact({
            everyMs: 1_000_000,
            checkEveryMs: 5,
            growthBytes: 8,
            gc: () => collections.push(used),
            oldGenerationUsed: () => used,
        });
        try {
            used = 149; // grown by 49: not yet
            await wait(30);
            assert.deepEqual(collections, []);
            used = 150;
            await wait(30);
            assert.deepEqual(collections, [150]);
        } finally {
            stop();
        }
    });

    it("stops when asked", async () => {
        let count = 0;
        const stop = keepHeapCompact({
            everyMs: 0,
            checkEveryMs: 5,
            gc: () => count++,
            oldGenerationUsed: () => 0,
        });
        await wait(30);
        stop();
        const stopped = count;
        assert.ok(stopped > 0);
        await wait(30);
        assert.equal(count, stopped);
    });

    it("reads the old generation from V8", () => {
        const used = oldGenerationUsed();
        assert.ok(used > 1024 * 1024 && used < 4 * 1024 * 1024 * 1024, `${used} bytes`);
    });
});
