import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { decideRecoveryPeriod } from "../../../../policies/dynamodb/rules/requireRecoveryPeriod";
import { factOf } from "../../../support/policyFacts";
import { awsTable, nativeGlobalTable, nativeReplica, nativeTable } from "../../../support/dynamodbResources";

describe("requireRecoveryPeriod: decision", () => {
    const min35 = { minimumRecoveryPeriodInDays: 35 };

    it("accepts 35 days, and an unset period (DynamoDB keeps 35)", () => {
        assert.strictEqual(decideRecoveryPeriod(factOf(awsTable()), min35).outcome, "compliant");
        const unset = factOf(awsTable({ pointInTimeRecovery: { enabled: true } }));
        assert.strictEqual(decideRecoveryPeriod(unset, min35).outcome, "compliant");
    });

    it("rejects 7 days when the minimum is 35", () => {
        const d = decideRecoveryPeriod(
            factOf(awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 } })),
            min35,
        );
        assert.deepStrictEqual(d, {
            outcome: "non-compliant",
            path: "pointInTimeRecovery.recoveryPeriodInDays",
            problem: "set to 7 days, below the required minimum of 35 days",
            fix: "set it to 35, or remove it (DynamoDB keeps 35 days by default)",
        });
    });

    it("accepts 7 days when the minimum is 7, and rejects out-of-range values", () => {
        const seven = factOf(
            nativeTable({
                pointInTimeRecoverySpecification: {
                    pointInTimeRecoveryEnabled: true,
                    recoveryPeriodInDays: 7,
                },
            }),
        );
        assert.strictEqual(
            decideRecoveryPeriod(seven, { minimumRecoveryPeriodInDays: 7 }).outcome,
            "compliant",
        );
        const forty = factOf(awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 40 } }));
        const d = decideRecoveryPeriod(forty, min35);
        assert.strictEqual(
            d.outcome === "non-compliant" && d.problem,
            "set to 40, which is not a whole number of days from 1 to 35",
        );
    });

    it("checks each GlobalTable replica's period, and leaves PITR-off tables to the PITR rule", () => {
        const g = factOf(
            nativeGlobalTable([
                nativeReplica("eu-west-1", {
                    pointInTimeRecoverySpecification: {
                        pointInTimeRecoveryEnabled: true,
                        recoveryPeriodInDays: 1,
                    },
                }),
            ]),
        );
        assert.strictEqual(decideRecoveryPeriod(g, min35).outcome, "non-compliant");
        const off = factOf(awsTable({ pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: 1 } }));
        assert.strictEqual(decideRecoveryPeriod(off, min35).outcome, "not-applicable");
    });

    it("reports an unknown period as unverifiable", () => {
        const u = factOf(
            awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: WIRE_UNKNOWN } }),
        );
        assert.strictEqual(decideRecoveryPeriod(u, min35).outcome, "unverifiable");
    });
});
