/**
 * The production precedence of docs/policies.md, row by row and in both directions, through the
 * analyzer gRPC protocol: every table's PITR verdict is given once, by the PITR rule, on the table's
 * URN, either by Analyze (only what no other resource can change) or by AnalyzeStack (the rest).
 */
import * as assert from "assert";
import { PolicyPackClient, Resource, UNKNOWN } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import {
    awsProvider,
    awsTable,
    awsTableReplica,
    cfnStack,
    dynamodbTag,
    inStack,
    untaggedTable,
} from "../../support/dynamodbResources";
import { PITR, PERIOD, BACKUP, DELETION, CMK, messagesOf } from "./diagnostics";

const ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/orders";

/** A table without PITR, in the given stack, with the given own tags (undefined: none). */
function table(stack: string, tags?: Record<string, string>, extra: Partial<Resource> = {}): Resource {
    return inStack({ ...awsTable({ tags, arn: ARN, pointInTimeRecovery: undefined }), ...extra }, stack);
}

function tag(stack: string, value: string): Resource {
    return inStack(dynamodbTag("orders-env", { resourceArn: ARN, key: "environment", value }), stack);
}

describe("production precedence over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
        await pack.configure({ [BACKUP]: "disabled" });
    });
    after(async () => {
        await pack?.close();
    });

    /** The PITR messages a user reads for these resources: Analyze of each, then AnalyzeStack. */
    async function pitr(resources: Resource[], policy = PITR): Promise<{ early: string[]; late: string[] }> {
        const early: string[] = [];
        for (const r of resources) {
            early.push(...messagesOf(await pack.analyze(r), policy));
        }
        const stack = await pack.analyzeStack(resources);
        for (const d of stack.diagnostics.filter((x) => x.policyName === policy)) {
            assert.strictEqual(d.urn, resources[0].urn, "reported on the table's own URN");
        }
        return { early, late: messagesOf(stack, policy) };
    }

    /** Exactly one PITR failure, with the expected reason, from Analyze (early) or AnalyzeStack. */
    async function production(resources: Resource[], where: "early" | "late", reason: RegExp) {
        const { early, late } = await pitr(resources);
        const found = where === "early" ? early : late;
        assert.deepStrictEqual(
            where === "early" ? late : early,
            [],
            `nothing ${where === "early" ? "late" : "early"}`,
        );
        assert.strictEqual(found.length, 1, JSON.stringify({ early, late }));
        assert.match(found[0], /^Production table `orders` .*has `pointInTimeRecovery.enabled` unset/);
        assert.match(found[0], reason);
    }

    async function notProduction(resources: Resource[]) {
        assert.deepStrictEqual(await pitr(resources), { early: [], late: [] });
    }

    describe("the table's own tag", () => {
        it("production: failed early, whatever the stack is called", async () => {
            await production(
                [table("dev", { environment: "production" })],
                "early",
                /tag `tags.environment` is "production"/,
            );
        });
        it("another environment: not production, even in a stack named production or tagged production", async () => {
            await notProduction([table("production", { environment: "staging" })]);
            await pack.configureStack({
                stack: "prod-eu",
                project: "orders",
                tags: { environment: "production" },
            });
            try {
                await notProduction([table("prod-eu", { environment: "staging" })]);
            } finally {
                await pack.configureStack({ stack: "dev", project: "orders", tags: {} });
            }
        });
    });

    describe("the provider's default tags", () => {
        const withDefaults = (
            stack: string,
            defaults: Record<string, string>,
            own?: Record<string, string>,
        ) => table(stack, own, { provider: awsProvider(defaults) });
        it("production: failed early", async () => {
            await production(
                [withDefaults("dev", { environment: "production" })],
                "early",
                /provider defaultTags/,
            );
        });
        it("another environment: not production in a stack named production", async () => {
            await notProduction([withDefaults("production", { environment: "staging" })]);
        });
        it("the table's own tag outranks the default tag, both ways", async () => {
            await notProduction([
                withDefaults("production", { environment: "production" }, { environment: "dev" }),
            ]);
            await production(
                [withDefaults("dev", { environment: "staging" }, { environment: "prod" })],
                "early",
                /tag `tags.environment` is "prod"/,
            );
        });
    });

    describe("an aws.dynamodb.Tag resource", () => {
        it("production: failed by the stack check, since the table alone is untagged", async () => {
            await production(
                [table("dev"), tag("dev", "production")],
                "late",
                /aws.dynamodb.Tag `orders-env` sets tag/,
            );
        });
        it("another environment: not production in a stack named production (no false positive)", async () => {
            await notProduction([table("production"), tag("production", "development")]);
            await notProduction([table("prod-eu"), tag("prod-eu", "development")]);
        });
        it("weighs as much as the table's own tag: production from either wins", async () => {
            await production(
                [table("dev", { environment: "production" }), tag("dev", "development")],
                "early",
                /tag `tags.environment` is "production"/,
            );
            await production(
                [table("dev", { environment: "staging" }), tag("dev", "production")],
                "late",
                /aws.dynamodb.Tag `orders-env` sets tag `environment` to "production"/,
            );
        });
        it("weighs as much as the provider's default tag: production from either wins", async () => {
            const defaults = (v: string) => ({ provider: awsProvider({ environment: v }) });
            await production(
                [table("dev", undefined, defaults("production")), tag("dev", "development")],
                "early",
                /provider defaultTags/,
            );
            await production(
                [table("dev", undefined, defaults("staging")), tag("dev", "production")],
                "late",
                /aws.dynamodb.Tag `orders-env`/,
            );
        });
        it("an unknown value is cannot verify at advisory level, naming the Tag's property", async () => {
            // In a stack named production: the Tag may name another environment, which would outrank the name.
            const t = inStack(untaggedTable("orders", { pointInTimeRecovery: undefined }), "production");
            const unknownTag = dynamodbTag(
                "orders-env",
                { resourceArn: UNKNOWN, key: "environment", value: UNKNOWN },
                { resourceArn: [t.urn] },
            );
            const result = await pack.analyzeStack([t, inStack(unknownTag, "production")]);
            const d = result.diagnostics.filter((x) => x.policyName === PITR);
            assert.deepStrictEqual(
                d.map((x) => x.enforcementLevel),
                ["advisory"],
            );
            assert.match(d[0].message, /`value` of aws.dynamodb.Tag `orders-env` is unknown during preview/);
        });
        it("a Tag of unknown target that may name another environment makes a stack-name verdict cannot verify", async () => {
            const floating = inStack(
                dynamodbTag("somewhere-env", {
                    resourceArn: UNKNOWN,
                    key: "environment",
                    value: "development",
                }),
                "prod-eu",
            );
            const result = await pack.analyzeStack([table("prod-eu"), floating]);
            const d = result.diagnostics.filter((x) => x.policyName === PITR);
            assert.deepStrictEqual(
                d.map((x) => x.enforcementLevel),
                ["advisory"],
            );
            assert.match(
                d[0].message,
                /cannot tell whether it is a production table: aws.dynamodb.Tag `somewhere-env` may tag it with another environment: `resourceArn` of `somewhere-env` .* is unknown during preview and no property dependency names the table/,
            );
            // A table its own tags make production stays failed, early.
            await production(
                [table("prod-eu", { environment: "production" }), floating],
                "early",
                /tag `tags.environment` is "production"/,
            );
        });
        it("a Tag on a table of another stack, or on nothing, changes nothing", async () => {
            const elsewhere = inStack(
                dynamodbTag("orders-env", {
                    resourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/elsewhere",
                    key: "environment",
                    value: "development",
                }),
                "production",
            );
            await production(
                [table("production"), elsewhere],
                "late",
                /stack `production` is named like production/,
            );
            const nothing = inStack(
                dynamodbTag("orders-env", {
                    resourceArn: "not-an-arn",
                    key: "environment",
                    value: "production",
                }),
                "dev",
            );
            await notProduction([table("dev"), nothing]);
        });
    });

    describe("the stack name", () => {
        it("production: failed by the stack check, never by the resource policy", async () => {
            await production([table("prod-eu")], "late", /stack `prod-eu` is named like production/);
        });
        it("other names: not production", async () => {
            await notProduction([table("dev")]);
            await notProduction([table("non-prod")]);
        });
    });

    describe("the stack's tags", () => {
        afterEach(async () => {
            await pack.configureStack({ stack: "dev", project: "orders", tags: {} });
        });
        it("production: failed by the stack check", async () => {
            await pack.configureStack({
                stack: "dev",
                project: "orders",
                tags: { environment: "production" },
            });
            await production([table("dev")], "late", /stack tag `environment` is "production"/);
        });
        it("a Tag resource naming another environment outranks it", async () => {
            await pack.configureStack({
                stack: "dev",
                project: "orders",
                tags: { environment: "production" },
            });
            await notProduction([table("dev"), tag("dev", "development")]);
        });
        it("another environment: not production", async () => {
            await pack.configureStack({ stack: "dev", project: "orders", tags: { environment: "staging" } });
            await notProduction([table("dev")]);
        });
    });

    describe("references", () => {
        it("a replica of a production table is production; one whose own tag names another environment is not", async () => {
            const main = awsTable({ arn: ARN });
            const replica = (tags?: Record<string, string>) =>
                awsTableReplica({ globalTableArn: ARN, pointInTimeRecovery: false, tags });
            const { early, late } = await pitr([replica(), main]);
            assert.deepStrictEqual(early, []);
            assert.strictEqual(late.length, 1);
            assert.match(late[0], /It is production because it is a replica of table `orders`/);
            assert.deepStrictEqual(await pitr([replica({ environment: "dev" }), main]), {
                early: [],
                late: [],
            });
        });
    });

    describe("tables in CloudFormation templates", () => {
        const template = (pitr: boolean) => ({
            Resources: {
                Orders: {
                    Type: "AWS::DynamoDB::Table",
                    Properties: {
                        TableName: "orders-cfn",
                        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: pitr },
                    },
                },
            },
        });
        const cfnTag = dynamodbTag("orders-env", {
            resourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders-cfn",
            key: "environment",
            value: "production",
        });

        it("fails a template table that a Tag resource makes production, under the PITR rule, on the stack's URN", async () => {
            const legacy = { ...cfnStack(template(false)), provider: awsProvider() };
            const result = await pack.analyzeStack([legacy, cfnTag]);
            const d = result.diagnostics.filter((x) => x.policyName === PITR);
            assert.strictEqual(d.length, 1);
            assert.strictEqual(d[0].urn, legacy.urn);
            assert.match(
                messagesOf(result, PITR)[0],
                /^Production table `Orders` in CloudFormation stack `legacy` .* has `templateBody: Resources.Orders.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` set to false; .* It is production because aws.dynamodb.Tag `orders-env` sets tag `environment` to "production"\.$/,
            );
            assert.deepStrictEqual(messagesOf(await pack.analyze(legacy), PITR), []);
            const on = { ...cfnStack(template(true)), provider: awsProvider() };
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([on, cfnTag]), PITR), []);
        });
    });

    describe("each rule speaks for itself", () => {
        const tagged = () => [
            {
                ...untaggedTable("orders", {
                    arn: ARN,
                    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 },
                    deletionProtectionEnabled: false,
                    serverSideEncryption: undefined,
                }),
                options: {},
            },
            tag("dev", "production"),
        ];

        it("reports a Tag-made production table's recovery period, deletion protection and key under their own names", async () => {
            await pack.configure({ [BACKUP]: "disabled", [PITR]: "disabled" });
            try {
                const result = await pack.analyzeStack(tagged());
                assert.match(messagesOf(result, PERIOD)[0], /set to 7 days.*aws.dynamodb.Tag `orders-env`/);
                assert.match(messagesOf(result, DELETION)[0], /`deletionProtectionEnabled` set to false/);
                assert.match(messagesOf(result, DELETION)[1], /`protect` resource option unset/);
                assert.match(messagesOf(result, CMK)[0], /customer managed KMS key/);
                assert.deepStrictEqual(messagesOf(result, PITR), []);
            } finally {
                await pack.configure({ [BACKUP]: "disabled" });
            }
        });

        it("configuring or disabling one rule never changes another's verdict", async () => {
            const before = await pack.analyzeStack(tagged());
            await pack.configure({
                [BACKUP]: "disabled",
                [PITR]: { enforcementLevel: "disabled", productionTagValues: ["live"] },
                [CMK]: { enforcementLevel: "advisory", allTablesAreProduction: true },
            });
            try {
                const after = await pack.analyzeStack(tagged());
                for (const policy of [PERIOD, DELETION]) {
                    assert.deepStrictEqual(messagesOf(after, policy), messagesOf(before, policy));
                    assert.ok(messagesOf(after, policy).length > 0);
                }
            } finally {
                await pack.configure({ [BACKUP]: "disabled" });
            }
        });
    });

    describe("a verdict is a function of its own call", () => {
        it("gives each stack the same verdicts alone and with other AnalyzeStack calls in flight", async () => {
            await pack.configure({});
            try {
                // One stack whose tables all pass, one whose table is production only by its stack's
                // name: no reading of one call may decide (or skip) a rule for the other.
                const compliant = [awsTable()];
                const failing = [table("prod-eu")];
                const alone = [await pack.analyzeStack(compliant), await pack.analyzeStack(failing)];
                assert.strictEqual(messagesOf(alone[1], PITR).length, 1);
                const together = await Promise.all(
                    [compliant, failing, compliant, failing, failing, compliant].map((s) =>
                        pack.analyzeStack(s),
                    ),
                );
                together.forEach((result, i) => {
                    const expected = alone[i === 0 || i === 2 || i === 5 ? 0 : 1];
                    assert.deepStrictEqual(result.diagnostics, expected.diagnostics);
                });
            } finally {
                await pack.configure({ [BACKUP]: "disabled" });
            }
        });
    });

    describe("remediation", () => {
        before(async () => {
            await pack.configure({ [BACKUP]: "disabled", [PITR]: "remediate" });
        });
        after(async () => {
            await pack.configure({ [BACKUP]: "disabled" });
        });
        it("turns PITR on for a table its own tags or the stack make production, and leaves one tagged otherwise alone", async () => {
            for (const r of [table("dev", { environment: "production" }), table("prod-eu")]) {
                const result = await pack.remediate(r);
                assert.strictEqual(result.remediations.length, 1);
                assert.strictEqual(
                    (result.remediations[0].properties?.pointInTimeRecovery as { enabled?: boolean }).enabled,
                    true,
                );
            }
            assert.deepStrictEqual(
                (await pack.remediate(table("prod-eu", { environment: "dev" }))).remediations,
                [],
            );
        });
        it("reports what remediation could not fix as mandatory, from the stack check", async () => {
            const result = await pack.analyzeStack([table("dev"), tag("dev", "production")]);
            assert.deepStrictEqual(
                result.diagnostics.filter((d) => d.policyName === PITR).map((d) => d.enforcementLevel),
                ["mandatory"],
            );
        });
    });
});
