import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../cli/analyzer";
import { decideCustomerManagedKey } from "../../../policies/dynamodb/rules/requireCustomerManagedKey";
import {
    decideDeletionProtection,
    decideProtectOption,
} from "../../../policies/dynamodb/rules/requireDeletionProtection";
import { decideRecoveryPeriod } from "../../../policies/dynamodb/rules/requireRecoveryPeriod";
import { decideRestoreWindow } from "../../../policies/dynamodb/rules/restoreWindow";
import { factOf } from "../../support/policyFacts";
import {
    awsTable,
    awsTableReplica,
    cfnStack,
    cfnYamlTemplate,
    nativeGlobalTable,
    nativeReplica,
    nativeTable,
} from "../../support/dynamodbResources";

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

describe("requireDeletionProtection: decision", () => {
    it("accepts deletion protection on every form and rejects it off", () => {
        for (const r of [
            awsTable(),
            awsTableReplica(),
            nativeTable(),
            nativeGlobalTable(),
            cfnStack(cfnYamlTemplate()),
        ]) {
            assert.strictEqual(decideDeletionProtection(factOf(r)).outcome, "compliant", r.type);
        }
        const d = decideDeletionProtection(factOf(awsTable({ deletionProtectionEnabled: false })));
        assert.deepStrictEqual(d, {
            outcome: "non-compliant",
            path: "deletionProtectionEnabled",
            problem: "set to false",
            fix: "set it to true",
        });
    });

    it("advises the protect option", () => {
        assert.strictEqual(
            decideProtectOption(factOf({ ...awsTable(), options: {} })).outcome,
            "non-compliant",
        );
        assert.strictEqual(decideProtectOption(factOf(awsTable())).outcome, "compliant");
    });
});

describe("requireCustomerManagedKey: decision", () => {
    it("accepts a customer managed key on every form", () => {
        for (const r of [awsTable(), awsTableReplica(), nativeTable(), nativeGlobalTable()]) {
            assert.strictEqual(decideCustomerManagedKey(factOf(r)).outcome, "compliant", r.type);
        }
    });

    it("accepts a key ARN that is another resource's output, unknown at preview", () => {
        const t = factOf(awsTable({ serverSideEncryption: { enabled: true, kmsKeyArn: WIRE_UNKNOWN } }));
        assert.strictEqual(decideCustomerManagedKey(t).outcome, "compliant");
    });

    it("rejects the default AWS owned key, SSE without a key, and the AWS managed alias", () => {
        const owned = decideCustomerManagedKey(factOf(awsTable({ serverSideEncryption: undefined })));
        assert.strictEqual(owned.outcome === "non-compliant" && owned.path, "serverSideEncryption.enabled");
        const noKey = decideCustomerManagedKey(factOf(awsTable({ serverSideEncryption: { enabled: true } })));
        assert.strictEqual(noKey.outcome === "non-compliant" && noKey.path, "serverSideEncryption.kmsKeyArn");
        const managed = decideCustomerManagedKey(
            factOf(
                nativeTable({
                    sseSpecification: {
                        sseEnabled: true,
                        sseType: "KMS",
                        kmsMasterKeyId: "alias/aws/dynamodb",
                    },
                }),
            ),
        );
        assert.strictEqual(
            managed.outcome === "non-compliant" && managed.problem,
            'set to the AWS managed key "alias/aws/dynamodb"',
        );
    });
});

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
