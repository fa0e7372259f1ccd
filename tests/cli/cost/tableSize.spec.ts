import { strict as assert } from "assert";
import { DEFAULT_TABLE_SIZE_GB } from "../../../cli/cost/estimate";
import { MAX_TABLE_SIZE_GB, parseTableSizeGb } from "../../../cli/cost/tableSize";

describe("cost: --table-size-gb", () => {
    it("defaults to the documented size when not given", () => {
        assert.equal(parseTableSizeGb(undefined), DEFAULT_TABLE_SIZE_GB);
    });

    it("takes whole and fractional sizes up to the maximum", () => {
        for (const [text, size] of [
            ["25", 25],
            ["0.5", 0.5],
            [".25", 0.25],
            ["1e3", 1000],
            [String(MAX_TABLE_SIZE_GB), MAX_TABLE_SIZE_GB],
        ] as const)
            assert.equal(parseTableSizeGb(text), size, text);
    });

    it("refuses what is not a size, with the value, the range and the fix", () => {
        for (const text of ["", "ten", "10GB", "0", "-1", "Infinity", "NaN", String(MAX_TABLE_SIZE_GB + 1)]) {
            const result = parseTableSizeGb(text);
            assert.equal(typeof result, "object", text);
            const { problem } = result as { problem: string };
            assert.ok(
                problem.startsWith(`--table-size-gb is ${JSON.stringify(text)}; it must be a number`),
                problem,
            );
            assert.match(problem, /greater than 0 and at most 1,000,000\. Fix: .*--table-size-gb 25/);
        }
    });
});
