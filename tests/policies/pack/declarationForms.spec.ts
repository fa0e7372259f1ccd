/**
 * The policy pack as the CLI runs it, over the analyzer gRPC protocol: the declaration forms that
 * must never pass silently. SAM's `AWS::Serverless::SimpleTable` inside an `aws.cloudformation.Stack`
 * template (YAML and JSON), a template with another `Transform` (a macro may create tables), and the
 * member tables of a legacy (2017.11.29) `aws.dynamodb.GlobalTable`.
 */
import * as assert from "assert";
import { PolicyPackClient, Resource, UNKNOWN } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import {
    PRODUCTION_TAGS,
    cfnStack,
    legacyGlobalTable,
    samTemplate,
    tableIn,
} from "../../support/dynamodbResources";
import { BACKUP, DELETION, PITR, levelsOf, messagesOf } from "./diagnostics";

const AT = "templateBody: Resources.Sessions.Properties";
const SAM_SUBJECT =
    "SAM table `Sessions` (AWS::Serverless::SimpleTable) in CloudFormation stack `legacy` (aws:cloudformation/stack:Stack)";

describe("declaration forms over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
        await pack.configure({ [BACKUP]: "disabled" });
    });
    after(async () => {
        await pack?.close();
    });

    /** Every diagnostic of one policy, from each resource's Analyze and the stack's AnalyzeStack. */
    async function check(resources: Resource[], policy = PITR) {
        const messages: string[] = [];
        const levels: string[] = [];
        const urns: string[] = [];
        for (const r of resources) {
            const result = await pack.analyze(r);
            messages.push(...messagesOf(result, policy));
            levels.push(...levelsOf(result, policy));
            urns.push(...result.diagnostics.filter((d) => d.policyName === policy).map(() => r.urn));
        }
        const stack = await pack.analyzeStack(resources);
        messages.push(...messagesOf(stack, policy));
        levels.push(...levelsOf(stack, policy));
        urns.push(...stack.diagnostics.filter((d) => d.policyName === policy).map((d) => d.urn ?? ""));
        return { messages, levels, urns };
    }

    describe("SAM AWS::Serverless::SimpleTable", () => {
        it("rejects a production SimpleTable without PITR (YAML), with the fix", async () => {
            const stack = cfnStack(samTemplate());
            const { messages, levels, urns } = await check([stack]);
            assert.deepStrictEqual(messages, [
                `Production ${SAM_SUBJECT} has \`${AT}.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled\` unset; ` +
                    "set it to true (SAM passes `PointInTimeRecoverySpecification` through to the `AWS::DynamoDB::Table` it generates), " +
                    "or declare an `AWS::DynamoDB::Table` with `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true` instead. " +
                    `It is production because tag \`${AT}.Tags.environment\` is "production".`,
            ]);
            assert.deepStrictEqual(levels, ["mandatory"]);
            assert.deepStrictEqual(urns, [stack.urn]);
        });

        it("rejects the same table in a JSON template, and accepts it once PITR is on", async () => {
            const json = {
                Transform: "AWS::Serverless-2016-10-31",
                Resources: {
                    Sessions: {
                        Type: "AWS::Serverless::SimpleTable",
                        Properties: { Tags: { Environment: "prod" } },
                    },
                },
            };
            const off = await check([cfnStack(json)]);
            assert.match(
                off.messages.join("\n"),
                /^Production SAM table `Sessions` .* unset; set it to true/,
            );
            assert.deepStrictEqual(off.levels, ["mandatory"]);
            const on = await check([cfnStack(samTemplate(undefined, "true"))]);
            assert.deepStrictEqual(on.messages, []);
        });

        it("finds no PITR violation on a SimpleTable that is not production", async () => {
            assert.deepStrictEqual(
                (await check([cfnStack(samTemplate({ environment: "staging" }))])).messages,
                [],
            );
            assert.deepStrictEqual((await check([cfnStack(samTemplate({ team: "shop" }))])).messages, []);
        });

        it("says a production SimpleTable cannot have deletion protection, and what to declare instead", async () => {
            const { messages } = await check([cfnStack(samTemplate(undefined, "true"))], DELETION);
            assert.deepStrictEqual(messages, [
                `Production ${SAM_SUBJECT} has \`${AT}.DeletionProtectionEnabled\` unset; an \`AWS::Serverless::SimpleTable\` ` +
                    "cannot set it (SAM rejects the property), so declare an `AWS::DynamoDB::Table` with " +
                    `\`DeletionProtectionEnabled: true\` instead. It is production because tag \`${AT}.Tags.environment\` is "production".`,
            ]);
        });
    });

    describe("a template with another Transform", () => {
        it("reports 'cannot verify' (advisory) for a macro, beside the tables written in the template", async () => {
            const stack = cfnStack(
                samTemplate(undefined, "true", "[AWS::Serverless-2016-10-31, TablesMacro]"),
            );
            const { messages, levels, urns } = await check([stack]);
            assert.deepStrictEqual(messages, [
                "Cannot verify point-in-time recovery on CloudFormation stack `legacy` (aws:cloudformation/stack:Stack): " +
                    "its template's `templateBody: Transform` names `TablesMacro`, which CloudFormation runs when it deploys " +
                    "the template and which may add or change DynamoDB tables; that cannot be done offline, so expand the " +
                    "template (deploy the processed template, or declare the tables as Pulumi resources) for its tables to be checked.",
            ]);
            assert.deepStrictEqual(levels, ["advisory"]);
            assert.deepStrictEqual(urns, [stack.urn]);
        });

        it("still rejects a production table written in a template with AWS::LanguageExtensions", async () => {
            const { messages, levels } = await check([
                cfnStack(samTemplate(undefined, undefined, "AWS::LanguageExtensions")),
            ]);
            assert.strictEqual(messages.length, 2);
            assert.match(messages.find((m) => m.startsWith("Production")) ?? "", /SAM table `Sessions`/);
            assert.match(
                messages.find((m) => m.startsWith("Cannot verify")) ?? "",
                /`AWS::LanguageExtensions`/,
            );
            assert.deepStrictEqual([...levels].sort(), ["advisory", "mandatory"]);
        });
    });

    describe("legacy aws.dynamodb.GlobalTable members", () => {
        const regions = ["us-east-1", "us-west-2"];
        const east = (pitr = false) =>
            tableIn("us-east-1", "orders", {
                tags: { ...PRODUCTION_TAGS },
                pointInTimeRecovery: { enabled: pitr },
            });

        it("rejects the member in the other Region, production through its sibling, with PITR off", async () => {
            const west = tableIn("us-west-2", "orders");
            const { messages, levels, urns } = await check([
                east(true),
                west,
                legacyGlobalTable("orders", regions),
            ]);
            assert.deepStrictEqual(messages, [
                "Production table `orders-us-west-2` (aws:dynamodb/table:Table) has `pointInTimeRecovery.enabled` set to false; " +
                    "set it to true, or use ResilientTable, which turns it on. It is production because it is a member of " +
                    "legacy global table `orders-global` (aws:dynamodb/globalTable:GlobalTable) with table `orders-us-east-1` " +
                    '(aws:dynamodb/table:Table), which is production because tag `tags.environment` is "production".',
            ]);
            assert.deepStrictEqual(levels, ["mandatory"]);
            assert.deepStrictEqual(urns, [west.urn]);
        });

        it("judges each member's own PITR: the production sibling too, and none once both have it", async () => {
            const both = await check([
                east(false),
                tableIn("us-west-2", "orders"),
                legacyGlobalTable("orders", regions),
            ]);
            assert.strictEqual(both.messages.length, 2);
            const on = tableIn("us-west-2", "orders", { pointInTimeRecovery: { enabled: true } });
            assert.deepStrictEqual(
                (await check([east(true), on, legacyGlobalTable("orders", regions)])).messages,
                [],
            );
        });

        it("finds nothing when no member is production, or the table is in a Region it does not list", async () => {
            const untagged = tableIn("us-east-1", "orders");
            const none = await check([
                untagged,
                tableIn("us-west-2", "orders"),
                legacyGlobalTable("orders", regions),
            ]);
            assert.deepStrictEqual(none.messages, []);
            const elsewhere = await check([
                east(true),
                tableIn("eu-west-1", "orders"),
                legacyGlobalTable("orders", regions),
            ]);
            assert.deepStrictEqual(elsewhere.messages, []);
        });

        it("says 'cannot verify' for a possible member when the global table's name is unknown and names no table", async () => {
            const west = tableIn("us-west-2", "orders");
            const gt = legacyGlobalTable("orders", regions, {}, { name: UNKNOWN });
            const { messages, levels, urns } = await check([east(true), west, gt]);
            assert.strictEqual(messages.length, 1);
            assert.match(
                messages[0],
                /^Cannot verify point-in-time recovery on table `orders-us-west-2` .* `name` of legacy global table `orders-global`/,
            );
            assert.deepStrictEqual([levels, urns], [["advisory"], [west.urn]]);
        });
    });
});
