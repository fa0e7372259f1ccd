import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { PRODUCTION_DEFAULTS } from "../../../../policies/dynamodb/engine/config";
import { decidePitr, pitrRule, remediatePitr } from "../../../../policies/dynamodb/rules/requirePitr";
import { judge, wording } from "../../../../policies/dynamodb/crossguard/tableRule";
import { asPackSees, factOf, factsOf } from "../../../support/policyFacts";
import { awsTable, awsTableReplica, cfnStack, nativeTable } from "../../../support/dynamodbResources";

const config = { ...PRODUCTION_DEFAULTS, remediationRecoveryPeriodInDays: 35 };

function messages(r: Parameters<typeof factsOf>[0]): string[] {
    return factsOf(r).flatMap((t) => {
        const { decision, production } = judge(pitrRule, t, config);
        const m = wording(pitrRule, t, decision, production);
        return m ? [m] : [];
    });
}

describe("requirePitr: decision", () => {
    it("accepts a table with PITR on", () => {
        assert.strictEqual(decidePitr(factOf(awsTable())).outcome, "compliant");
    });

    it('accepts the CloudFormation string form "true"', () => {
        const t = factOf(awsTable({ pointInTimeRecovery: { enabled: "true" } }));
        assert.strictEqual(decidePitr(t).outcome, "compliant");
    });

    it("rejects a production table without PITR, naming the property and the fix", () => {
        assert.deepStrictEqual(messages(awsTable({ pointInTimeRecovery: undefined })), [
            "Production table `orders` (aws:dynamodb/table:Table) has `pointInTimeRecovery.enabled` unset; set it " +
                'to true, or use ResilientTable, which turns it on. It is production because tag `tags.environment` is "production".',
        ]);
    });

    it("rejects a production table whose replica has PITR off", () => {
        const m = messages(awsTable({ replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: false }] }));
        assert.strictEqual(m.length, 1);
        assert.match(
            m[0],
            /^Production replica `eu-west-1` of table `orders` .* has `replicas\[0\]\.pointInTimeRecovery` set to false; set it to true\./,
        );
    });

    it("shows a wrong-typed value as given", () => {
        const m = messages(awsTable({ pointInTimeRecovery: { enabled: "yes" } }));
        assert.match(m[0], /has `pointInTimeRecovery.enabled` set to "yes"; set it to true/);
    });

    it("does not apply to a table that is not production", () => {
        const t = factOf(awsTable({ pointInTimeRecovery: undefined, tags: { environment: "dev" } }));
        assert.strictEqual(judge(pitrRule, t, config).decision.outcome, "not-applicable");
    });

    it("reports an unknown PITR flag as unverifiable, naming it", () => {
        const m = messages(awsTable({ pointInTimeRecovery: { enabled: WIRE_UNKNOWN } }));
        assert.deepStrictEqual(m, [
            "Cannot verify point-in-time recovery on table `orders` (aws:dynamodb/table:Table): " +
                "`pointInTimeRecovery.enabled` is unknown: its value comes from an output that is not known until the update (pulumi preview).",
        ]);
    });

    it("passes a table with PITR on even when its production-ness is unknown", () => {
        assert.deepStrictEqual(messages(awsTable({ tags: WIRE_UNKNOWN })), []);
    });

    it("reports a template given by URL as cannot verify, whatever its tags", () => {
        const m = messages(
            cfnStack("", { templateBody: undefined, templateUrl: "https://example.com/t.json" }),
        );
        assert.match(
            m[0],
            /^Cannot verify point-in-time recovery on CloudFormation stack `legacy`.*`templateUrl`, which cannot be read offline/,
        );
    });
});

describe("requirePitr: remediation", () => {
    it("turns PITR on with the configured period for an aws Table", () => {
        const r = awsTable({ pointInTimeRecovery: undefined });
        const changes = remediatePitr(
            r.type,
            factOf(r),
            asPackSees(r.properties) as Record<string, unknown>,
            config,
        );
        assert.deepStrictEqual(changes, { pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 } });
    });

    it("keeps a given period and turns replicas on", () => {
        const r = awsTable({
            pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: 14 },
            replicas: [{ regionName: "eu-west-1" }],
        });
        const changes = remediatePitr(
            r.type,
            factOf(r),
            asPackSees(r.properties) as Record<string, unknown>,
            config,
        );
        assert.deepStrictEqual(changes, {
            pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 },
            replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: true }],
        });
    });

    it("remediates native tables and table replicas", () => {
        const n = nativeTable({ pointInTimeRecoverySpecification: undefined });
        assert.deepStrictEqual(
            remediatePitr(n.type, factOf(n), asPackSees(n.properties) as Record<string, unknown>, config),
            {
                pointInTimeRecoverySpecification: {
                    pointInTimeRecoveryEnabled: true,
                    recoveryPeriodInDays: 35,
                },
            },
        );
        const rep = awsTableReplica({ pointInTimeRecovery: false });
        assert.deepStrictEqual(
            remediatePitr(
                rep.type,
                factOf(rep),
                asPackSees(rep.properties) as Record<string, unknown>,
                config,
            ),
            { pointInTimeRecovery: true },
        );
    });

    it("leaves tables that are not production, or already compliant, alone", () => {
        for (const r of [awsTable(), awsTable({ pointInTimeRecovery: undefined, tags: {} })]) {
            assert.strictEqual(
                remediatePitr(r.type, factOf(r), asPackSees(r.properties) as Record<string, unknown>, config),
                undefined,
            );
        }
    });
});
