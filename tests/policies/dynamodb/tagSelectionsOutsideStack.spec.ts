import { strict as assert } from "assert";
import { coveredOutside, parseTagSelection } from "../../../policies/dynamodb/rules/requireBackupPlan";

describe("tagSelectionsOutsideStack", () => {
    it("reads key=value pairs, and refuses malformed ones rather than guessing", () => {
        assert.deepEqual(parseTagSelection("environment=production, team=checkout"), [
            ["environment", "production"],
            ["team", "checkout"],
        ]);
        assert.deepEqual(parseTagSelection("a=b=c"), [["a", "b=c"]]);
        assert.equal(parseTagSelection("environment"), undefined);
        assert.equal(parseTagSelection("=production"), undefined);
    });

    it("covers a table carrying every tag of one selection, and only then", () => {
        const selections = [parseTagSelection("environment=production,team=checkout")!];
        const tags = (entries: Record<string, string>) => new Map(Object.entries(entries));
        assert.equal(
            coveredOutside(tags({ environment: "production", team: "checkout" }), selections)?.outcome,
            "compliant",
        );
        assert.equal(coveredOutside(tags({ environment: "production" }), selections), undefined);
        assert.equal(
            coveredOutside(undefined, selections),
            undefined,
            "unknown tags leave the in-stack verdict",
        );
    });
});
