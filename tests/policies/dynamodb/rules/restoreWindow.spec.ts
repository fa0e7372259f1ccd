import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { decideRestoreWindow } from "../../../../policies/dynamodb/rules/restoreWindow";
import { factOf } from "../../../support/policyFacts";
import { awsTable } from "../../../support/dynamodbResources";

describe("restoreWindow: decision", () => {
    const now = new Date("2025-09-25T12:00:00Z");
    const cfg = { minimumAgeMinutes: 5, maximumAgeDays: 35 };
    const at = (restoreDateTime: string | typeof WIRE_UNKNOWN) =>
        decideRestoreWindow(factOf(awsTable({ restoreSourceName: "orders", restoreDateTime })), cfg, now);

    it("accepts a time inside the window, and tables that are not restored", () => {
        assert.strictEqual(at("2025-09-25T10:00:00Z").outcome, "compliant");
        assert.strictEqual(decideRestoreWindow(factOf(awsTable()), cfg, now).outcome, "not-applicable");
    });

    it("treats a null or empty restore time (as state exports record an unset one) as not restored", () => {
        for (const unset of [null, ""]) {
            const table = factOf(awsTable({ restoreDateTime: unset as any }));
            assert.strictEqual(decideRestoreWindow(table, cfg, now).outcome, "not-applicable");
        }
    });

    it("rejects a future time, a time newer than five minutes ago, and one older than the window", () => {
        const problems = ["2025-09-26T00:00:00Z", "2025-09-25T11:58:00Z", "2025-08-01T00:00:00Z"].map((t) => {
            const d = at(t);
            return d.outcome === "non-compliant" ? d.problem : d.outcome;
        });
        assert.deepStrictEqual(problems, [
            'set to "2025-09-26T00:00:00Z", which is in the future',
            'set to "2025-09-25T11:58:00Z", newer than the latest restorable time (about 5 minutes ago)',
            'set to "2025-08-01T00:00:00Z", older than the 35-day recovery window',
        ]);
    });

    it("rejects a time that is not RFC 3339 and reports an unknown one as unverifiable", () => {
        assert.strictEqual(at("yesterday").outcome, "non-compliant");
        assert.strictEqual(at(WIRE_UNKNOWN).outcome, "unverifiable");
    });
});
