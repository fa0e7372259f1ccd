import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { decideCustomerManagedKey } from "../../../../policies/dynamodb/rules/requireCustomerManagedKey";
import { factOf } from "../../../support/policyFacts";
import {
    awsTable,
    awsTableReplica,
    nativeGlobalTable,
    nativeTable,
} from "../../../support/dynamodbResources";

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
