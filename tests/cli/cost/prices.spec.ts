import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PRICES, PRICES_AS_OF } from "../../../cli/cost/prices";

const doc = fs.readFileSync(path.resolve(__dirname, "../../../docs/cost.md"), "utf8");
const rows = doc.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| ---"));

describe("cost: the price table in docs/cost.md", () => {
    it("lists every price the estimate uses, with its figure and its source, and the same date", () => {
        for (const [id, price] of Object.entries(PRICES)) {
            const figure = price.usd.toFixed(Math.max(2, String(price.usd).split(".")[1]?.length ?? 0));
            assert.ok(
                rows.some((row) => row.includes(`](${price.source})`) && row.split("|")[2].includes(figure)),
                `docs/cost.md has no row with ${figure} and ${price.source} (${id})`,
            );
        }
        assert.ok(doc.includes(`prices as of ${PRICES_AS_OF}`));
    });

    it("says for each price whether it was read on an AWS page, as the code does", () => {
        for (const price of Object.values(PRICES)) {
            const row = rows.find(
                (r) => r.includes(`](${price.source})`) && r.includes(price.usd.toFixed(2)),
            );
            assert.ok(row, price.label);
            assert.match(row, price.confirmed ? /\| yes \|$/ : /\| no \(see below\) \|$/, price.label);
        }
    });
});
