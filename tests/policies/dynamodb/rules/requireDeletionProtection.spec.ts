import * as assert from "assert";
import {
    decideDeletionProtection,
    decideProtectOption,
} from "../../../../policies/dynamodb/rules/requireDeletionProtection";
import { factOf } from "../../../support/policyFacts";
import {
    awsTable,
    awsTableReplica,
    cfnStack,
    cfnYamlTemplate,
    nativeGlobalTable,
    nativeTable,
} from "../../../support/dynamodbResources";

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
