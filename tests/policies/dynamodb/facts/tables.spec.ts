import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { stackNameFromUrn } from "../../../../policies/dynamodb/facts/resourceBase";
import { tablesOf } from "../../../../policies/dynamodb/facts/tables";
import { UNKNOWN } from "../../../../policies/dynamodb/engine/values";
import { factOf, factsOf } from "../../../support/policyFacts";
import {
    awsTable,
    awsTableReplica,
    cfnStack,
    cfnYamlTemplate,
    nativeGlobalTable,
    nativeReplica,
    nativeTable,
} from "../../../support/dynamodbResources";

describe("table facts (policies/dynamodb/facts/tables)", () => {
    it("reads the stack name from the URN", () => {
        assert.strictEqual(
            stackNameFromUrn("urn:pulumi:prod-eu::orders::aws:dynamodb/table:Table::t"),
            "prod-eu",
        );
        assert.strictEqual(stackNameFromUrn("not a urn"), "");
    });

    it("gives an aws Table one fact for the table and one per replica", () => {
        const facts = factsOf(
            awsTable({ replicas: [{ regionName: "us-west-2", pointInTimeRecovery: false }] }),
        );
        assert.deepStrictEqual(
            facts.map((f) => [f.subject, f.pitrEnabled?.path, f.pitrEnabled?.value]),
            [
                ["table `orders` (aws:dynamodb/table:Table)", "pointInTimeRecovery.enabled", true],
                [
                    "replica `us-west-2` of table `orders` (aws:dynamodb/table:Table)",
                    "replicas[0].pointInTimeRecovery",
                    false,
                ],
            ],
        );
    });

    it("reports the unknown block rather than a field inside it", () => {
        const fact = factOf(awsTable({ pointInTimeRecovery: WIRE_UNKNOWN }));
        assert.deepStrictEqual(fact.pitrEnabled, { path: "pointInTimeRecovery", value: UNKNOWN });
    });

    it("reads TableReplica, native Table and each native GlobalTable replica", () => {
        assert.strictEqual(factOf(awsTableReplica()).pitrEnabled?.path, "pointInTimeRecovery");
        assert.strictEqual(
            factOf(nativeTable()).pitrEnabled?.path,
            "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled",
        );
        const replicas = factsOf(nativeGlobalTable([nativeReplica("us-east-1"), nativeReplica("eu-west-1")]));
        assert.deepStrictEqual(
            replicas.map((f) => f.pitrEnabled?.path),
            [
                "replicas[0].pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled",
                "replicas[1].pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled",
            ],
        );
    });

    it("reads tables from a YAML template with short-form intrinsics, resolving !Ref to parameter defaults", () => {
        const facts = factsOf(cfnStack(cfnYamlTemplate("false")));
        assert.strictEqual(facts.length, 3);
        assert.strictEqual(
            facts[0].subject,
            "table `Orders` in CloudFormation stack `legacy` (aws:cloudformation/stack:Stack)",
        );
        assert.strictEqual(facts[0].pitrEnabled?.value, false);
        assert.deepStrictEqual(facts[0].tagSources.at(-1)?.value, [
            { Key: "environment", Value: "production" },
        ]);
        assert.strictEqual(facts[0].encryption?.kmsKey.value, UNKNOWN);
    });

    it("lets stack parameters override template defaults", () => {
        const fact = factOf(cfnStack(cfnYamlTemplate(), { parameters: { Env: "dev" } }));
        assert.deepStrictEqual(fact.tagSources.at(-1)?.value, [{ Key: "environment", Value: "dev" }]);
    });

    it("cannot verify a template given by URL or a body that is not a template", () => {
        const url = factOf(
            cfnStack("", { templateBody: undefined, templateUrl: "https://s3.amazonaws.com/b/t.yaml" }),
        );
        assert.match(url.cannotVerify ?? "", /`templateUrl`, which cannot be read offline/);
        for (const body of ["{ not json", "- just\n- a list", "key: [unclosed", 42 as unknown as string]) {
            const fact = factOf(cfnStack("", { templateBody: body }));
            assert.match(fact.cannotVerify ?? "", /`templateBody` cannot be read/);
        }
    });

    it("never throws on malformed properties", () => {
        const garbage: unknown[] = [
            null,
            7,
            "x",
            [],
            { pointInTimeRecovery: "yes", replicas: "all", tags: 3 },
        ];
        for (const type of [
            "aws:dynamodb/table:Table",
            "aws:dynamodb/tableReplica:TableReplica",
            "aws-native:dynamodb:Table",
            "aws-native:dynamodb:GlobalTable",
            "aws:cloudformation/stack:Stack",
        ]) {
            for (const props of garbage) {
                assert.doesNotThrow(() =>
                    tablesOf({ type, name: "t", urn: "urn", props, providerProps: props }),
                );
            }
        }
    });
});
