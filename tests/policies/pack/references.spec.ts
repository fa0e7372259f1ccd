/**
 * The policy pack as the CLI runs it: the compiled pack started through `@pulumi/pulumi`'s policy
 * pack runner and driven over the analyzer gRPC protocol. One pack serves the whole file; each
 * `describe` sends its own configuration in `before()`, as `--policy-pack-config` would.
 * This file: AnalyzeStack: production followed through references between resources, under the PITR rule.
 */
import * as assert from "assert";
import { PolicyPackClient, PropertyMap, Resource, UNKNOWN } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import {
    awsTable,
    awsTableReplica,
    backupSelection,
    dynamodbTag,
    nativeGlobalTable,
    nativeReplica,
    untaggedTable,
} from "../../support/dynamodbResources";
import { PITR, BACKUP, messagesOf, levelsOf } from "./diagnostics";

describe("policy pack over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
    });

    describe("AnalyzeStack: production followed through references, under the PITR rule", () => {
        // The backup rule is off, as on a platform whose backups come from outside the stack: the
        // PITR rule still reports every table that a reference makes production.
        before(async () => {
            await pack.configure({ [BACKUP]: "disabled" });
        });
        const noPitr = { pointInTimeRecovery: { enabled: false } };
        const analyze = async (resources: Resource[]) => {
            const result = await pack.analyzeStack(resources);
            assert.deepStrictEqual(messagesOf(result, BACKUP), []);
            const pitr = result.diagnostics.filter((d) => d.policyName === PITR);
            return { messages: messagesOf(result, PITR), levels: levelsOf(result, PITR), result: pitr };
        };

        it("rejects a table without PITR tagged production by an aws.dynamodb.Tag on its unknown ARN (property dependency)", async () => {
            const t = untaggedTable("orders", noPitr);
            const tag = dynamodbTag(
                "orders-env",
                { resourceArn: UNKNOWN, key: "environment", value: "production" },
                { resourceArn: [t.urn] },
            );
            const { messages, levels, result } = await analyze([t, tag]);
            assert.deepStrictEqual(messages, [
                'Production table `orders` (aws:dynamodb/table:Table) has `pointInTimeRecovery.enabled` set to false; set it to true, or use ResilientTable, which turns it on. It is production because aws.dynamodb.Tag `orders-env` sets tag `environment` to "production".',
            ]);
            assert.deepStrictEqual(levels, ["mandatory"]);
            assert.strictEqual(result[0].urn, t.urn);
            // The resource policy, which sees the table alone, does not take it for production.
            assert.deepStrictEqual(messagesOf(await pack.analyze(t), PITR), []);
        });

        it("follows a Tag's known ARN, and accepts the tagged table once PITR is on", async () => {
            const arn = "arn:aws:dynamodb:us-east-1:111122223333:table/orders";
            const tag = dynamodbTag("orders-env", { resourceArn: arn, key: "Environment", value: "prod" });
            const off = await analyze([untaggedTable("orders", { ...noPitr, arn }), tag]);
            assert.match(
                off.messages[0] ?? "",
                /^Production table `orders` .* sets tag `Environment` to "prod"\.$/,
            );
            const on = await analyze([untaggedTable("orders", { arn }), tag]);
            assert.deepStrictEqual(on.messages, []);
            const staging = dynamodbTag("orders-env", {
                resourceArn: arn,
                key: "environment",
                value: "staging",
            });
            assert.deepStrictEqual(
                (await analyze([untaggedTable("orders", { ...noPitr, arn }), staging])).messages,
                [],
            );
        });

        it("reports a Tag whose key or value is unknown as cannot verify, naming the Tag's property", async () => {
            const t = untaggedTable("orders", noPitr);
            for (const [props, path] of [
                [{ key: "environment", value: UNKNOWN }, "value"],
                [{ key: UNKNOWN, value: "production" }, "key"],
            ] as const) {
                const tag = dynamodbTag(
                    "orders-env",
                    { resourceArn: UNKNOWN, ...props },
                    { resourceArn: [t.urn] },
                );
                const { messages, levels } = await analyze([t, tag]);
                assert.deepStrictEqual(levels, ["advisory"]);
                assert.strictEqual(
                    messages[0],
                    `Cannot verify point-in-time recovery on table \`orders\` (aws:dynamodb/table:Table): cannot tell whether it is a production table: \`${path}\` of aws.dynamodb.Tag \`orders-env\` is unknown during preview.`,
                );
            }
        });

        it("takes a TableReplica of a production table for production, unless its own tag names another environment", async () => {
            const main = awsTable({ arn: UNKNOWN });
            const replica = (props: PropertyMap) => ({
                ...awsTableReplica({
                    globalTableArn: UNKNOWN,
                    pointInTimeRecovery: false,
                    tags: undefined,
                    ...props,
                }),
                propertyDependencies: { globalTableArn: [main.urn] },
            });
            const off = await analyze([main, replica({})]);
            assert.deepStrictEqual(off.messages, [
                'Production table `orders-eu` (aws:dynamodb/tableReplica:TableReplica) has `pointInTimeRecovery` set to false; set it to true. It is production because it is a replica of table `orders` (aws:dynamodb/table:Table), which is production because tag `tags.environment` is "production".',
            ]);
            assert.deepStrictEqual(
                (await analyze([main, replica({ pointInTimeRecovery: true })])).messages,
                [],
            );
            const dev = replica({ tags: { environment: "dev" } });
            assert.deepStrictEqual((await analyze([main, dev])).messages, []);
        });

        it("reports a replica whose table is unknown (no dependency) as cannot verify, and one pointing at no table of the stack as its own tags say", async () => {
            const unknownTable = {
                ...awsTableReplica({ globalTableArn: UNKNOWN, pointInTimeRecovery: false, tags: undefined }),
                propertyDependencies: {},
                dependencies: [],
            };
            const unknown = await analyze([unknownTable]);
            assert.deepStrictEqual(unknown.levels, ["advisory"]);
            assert.match(
                unknown.messages[0],
                /`globalTableArn` of `orders-eu` .* is unknown during preview and no property dependency names the table\.$/,
            );
            const nowhere = awsTableReplica({
                globalTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/elsewhere",
                pointInTimeRecovery: false,
                tags: undefined,
            });
            assert.deepStrictEqual((await analyze([awsTable(), nowhere])).messages, []);
        });

        it("takes a replica inside an aws-native global table for production when another replica is", async () => {
            const untagged = nativeReplica("eu-west-1", {
                tags: [],
                pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
            });
            const global = nativeGlobalTable([nativeReplica("us-east-1"), untagged]);
            // A Tag resource could name another environment on the untagged replica: the stack decides.
            assert.deepStrictEqual(messagesOf(await pack.analyze(global), PITR), []);
            const result = await pack.analyzeStack([global]);
            assert.deepStrictEqual(messagesOf(result, PITR), [
                'Production replica `eu-west-1` of global table `orders-global` (aws-native:dynamodb:GlobalTable) has `replicas[1].pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled` set to false; set it to true. It is production because it is a replica of the same global table as replica `us-east-1` of global table `orders-global` (aws-native:dynamodb:GlobalTable), which is production because tag `replicas[0].tags[0]` is "production".',
            ]);
            const staging = nativeReplica("eu-west-1", {
                tags: [{ key: "environment", value: "staging" }],
                pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
            });
            const declared = await pack.analyzeStack([
                nativeGlobalTable([nativeReplica("us-east-1"), staging]),
            ]);
            assert.deepStrictEqual(messagesOf(declared, PITR), []);
        });

        it("takes a table restored from a production table for production (by name or by a dependency on the source's ARN)", async () => {
            const source = awsTable();
            const byName = untaggedTable("orders-restored", { ...noPitr, restoreSourceName: "orders" });
            const r1 = await analyze([source, byName]);
            assert.match(
                r1.messages[0] ?? "",
                /^Production table `orders-restored` .* It is production because it is restored from table `orders` /,
            );
            const byArn = {
                ...untaggedTable("orders-restored", { ...noPitr, restoreSourceTableArn: UNKNOWN }),
                propertyDependencies: { restoreSourceTableArn: [source.urn] },
            };
            assert.strictEqual((await analyze([source, byArn])).messages.length, 1);
        });

        it("names the resource that a table's unknown tags come from", async () => {
            await pack.configure({});
            const other = awsTable({}, "template");
            const t = {
                ...untaggedTable("copy", { tags: UNKNOWN }),
                propertyDependencies: { tags: [other.urn] },
            };
            const result = await pack.analyzeStack([t]);
            assert.deepStrictEqual(levelsOf(result, BACKUP), ["advisory"]);
            const withSource = await pack.analyzeStack([
                other,
                t,
                backupSelection({ resources: [UNKNOWN] }, { resources: [other.urn] }),
            ]);
            assert.deepStrictEqual(messagesOf(withSource, BACKUP), [
                "Cannot verify that table `copy` (aws:dynamodb/table:Table) is in a backup plan: cannot tell whether it is a production table: tag `tags` is unknown during preview (the tags come from `template` (aws:dynamodb/table:Table)).",
            ]);
            await pack.configure({ [BACKUP]: "disabled" });
        });

        it("never crashes on malformed references: bad ARNs, Tags without a key, replicas pointing at nothing, cycles", async () => {
            const a = untaggedTable("a", { ...noPitr, restoreSourceName: "b" });
            const b = untaggedTable("b", { ...noPitr, restoreSourceName: "a" });
            const resources: Resource[] = [
                a,
                b,
                dynamodbTag("bad-arn", {
                    resourceArn: "not-an-arn",
                    key: "environment",
                    value: "production",
                }),
                dynamodbTag("no-key", {
                    resourceArn: "arn:aws:dynamodb:us-east-1:1:table/a",
                    value: "production",
                }),
                dynamodbTag("number-key", { resourceArn: 42, key: 7, value: null }),
                awsTableReplica({ globalTableArn: "arn:aws:dynamodb:::table/", tags: undefined }),
                {
                    ...awsTableReplica({ globalTableArn: UNKNOWN, tags: {} }),
                    propertyDependencies: { globalTableArn: ["urn:pulumi:dev::orders::x::missing"] },
                },
            ];
            const { messages } = await analyze(resources);
            // Nothing makes `a` or `b` production: a cycle of restores carries nothing, and no guess is made.
            assert.ok(
                messages.every((m) => !m.includes("`a`") && !m.includes("`b`")),
                messages.join("\n"),
            );
        });
    });
});
