import * as assert from "assert";
import { otherTransforms } from "../../../../policies/dynamodb/facts/cloudformation";
import { decidePitr } from "../../../../policies/dynamodb/rules/requirePitr";
import { decideDeletionProtection } from "../../../../policies/dynamodb/rules/requireDeletionProtection";
import { decideProduction } from "../../../../policies/dynamodb/engine/production";
import {
    readConfig,
    productionConfigSchema,
    ProductionConfig,
} from "../../../../policies/dynamodb/engine/config";
import { factsOf } from "../../../support/policyFacts";
import { cfnStack, samTemplate } from "../../../support/dynamodbResources";

const config = readConfig<ProductionConfig>({}, productionConfigSchema);
const AT = "templateBody: Resources.Sessions.Properties";

describe("template table facts (policies/dynamodb/facts/templateTables)", () => {
    it("reads a SAM SimpleTable as a table: its Tags map, SSESpecification and name", () => {
        const [t, ...rest] = factsOf(cfnStack(samTemplate()));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(
            t.subject,
            "SAM table `Sessions` (AWS::Serverless::SimpleTable) in CloudFormation stack `legacy` (aws:cloudformation/stack:Stack)",
        );
        assert.deepStrictEqual(t.tagSources, [{ path: `${AT}.Tags`, value: { environment: "production" } }]);
        assert.deepStrictEqual(t.encryption?.enabled, {
            path: `${AT}.SSESpecification.SSEEnabled`,
            value: true,
        });
        assert.strictEqual(t.tableName?.value, "sessions");
        assert.strictEqual(t.templateKey?.endsWith("#Sessions"), true);
        assert.strictEqual(decideProduction(t, config).production, true);
    });

    it("judges a SimpleTable's PITR from its pass-through PointInTimeRecoverySpecification", () => {
        const off = decidePitr(factsOf(cfnStack(samTemplate()))[0]);
        assert.strictEqual(off.outcome, "non-compliant");
        assert.strictEqual(
            off.outcome === "non-compliant" && off.path,
            `${AT}.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled`,
        );
        assert.match(
            off.outcome === "non-compliant" ? off.fix : "",
            /declare an `AWS::DynamoDB::Table` with/,
        );
        const on = decidePitr(factsOf(cfnStack(samTemplate(undefined, "true")))[0]);
        assert.strictEqual(on.outcome, "compliant");
    });

    it("says a SimpleTable cannot have deletion protection, and how to get it", () => {
        const d = decideDeletionProtection(factsOf(cfnStack(samTemplate()))[0]);
        assert.strictEqual(d.outcome, "non-compliant");
        assert.match(
            d.outcome === "non-compliant" ? d.fix : "",
            /cannot set it .* `DeletionProtectionEnabled: true`/,
        );
    });

    it("reads a SimpleTable without tags as not production by its own tags", () => {
        const [t] = factsOf(cfnStack(samTemplate({ team: "shop" })));
        assert.strictEqual(decideProduction(t, config).production, false);
    });

    it("adds one cannot-verify fact for any Transform but SAM's, and still reads the tables written", () => {
        const facts = factsOf(
            cfnStack(samTemplate(undefined, "true", "[AWS::Serverless-2016-10-31, MyMacro]")),
        );
        assert.strictEqual(facts.length, 2);
        assert.match(
            facts[0].cannotVerify ?? "",
            /`templateBody: Transform` names `MyMacro`, which CloudFormation runs/,
        );
        assert.strictEqual(
            facts[0].subject,
            "CloudFormation stack `legacy` (aws:cloudformation/stack:Stack)",
        );
        assert.strictEqual(facts[1].pitrEnabled?.value, true);
        assert.strictEqual(factsOf(cfnStack(samTemplate())).filter((f) => f.cannotVerify).length, 0);
    });

    it("takes a Fn::Transform at the top of Resources (an AWS::Include snippet) for a transform too", () => {
        const body = {
            Resources: {
                "Fn::Transform": {
                    Name: "AWS::Include",
                    Parameters: { Location: "s3://bucket/tables.yaml" },
                },
            },
        };
        const [fact, ...rest] = factsOf(cfnStack(body));
        assert.strictEqual(rest.length, 0);
        assert.match(fact.cannotVerify ?? "", /`templateBody: Resources.Fn::Transform` names `AWS::Include`/);
    });

    it("names each transform other than SAM's", () => {
        assert.deepStrictEqual(otherTransforms(undefined), []);
        assert.deepStrictEqual(otherTransforms("AWS::Serverless-2016-10-31"), []);
        assert.deepStrictEqual(otherTransforms("AWS::LanguageExtensions"), ["`AWS::LanguageExtensions`"]);
        assert.deepStrictEqual(otherTransforms(["AWS::Serverless-2016-10-31", { Name: "AWS::Include" }, 3]), [
            "`AWS::Include`",
            "an entry that cannot be read",
        ]);
    });
});
