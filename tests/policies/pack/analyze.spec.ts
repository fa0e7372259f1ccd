/**
 * The policy pack as the CLI runs it: the compiled pack started through `@pulumi/pulumi`'s policy
 * pack runner and driven over the analyzer gRPC protocol. One pack serves the whole file; each
 * `describe` sends its own configuration in `before()`, as `--policy-pack-config` would.
 * This file: Analyze with the default configuration: each declaration form, unknown values and malformed properties.
 */
import * as assert from "assert";
import { PolicyPackClient, Resource, UNKNOWN, secret } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import {
    CFN_JSON_TEMPLATE,
    awsProvider,
    awsTable,
    awsTableReplica,
    cfnStack,
    cfnYamlTemplate,
    inStack,
    nativeGlobalTable,
    nativeReplica,
    nativeTable,
} from "../../support/dynamodbResources";
import { PITR, PERIOD, DELETION, CMK, RESTORE, messagesOf, levelsOf } from "./diagnostics";

describe("policy pack over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
    });

    describe("Analyze with the default configuration", () => {
        before(async () => {
            await pack.configure({});
        });

        const compliant: [string, () => Resource][] = [
            ["aws.dynamodb.Table", () => awsTable()],
            [
                "aws.dynamodb.Table with replicas",
                () =>
                    awsTable({
                        replicas: [
                            {
                                regionName: "eu-west-1",
                                pointInTimeRecovery: true,
                                deletionProtectionEnabled: true,
                                kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/x",
                            },
                        ],
                    }),
            ],
            ["aws.dynamodb.TableReplica", () => awsTableReplica()],
            ["aws-native dynamodb.Table", () => nativeTable()],
            ["aws-native dynamodb.GlobalTable", () => nativeGlobalTable()],
            ["a CloudFormation JSON template", () => cfnStack(CFN_JSON_TEMPLATE)],
            ["a CloudFormation YAML template with short-form intrinsics", () => cfnStack(cfnYamlTemplate())],
        ];
        for (const [form, make] of compliant) {
            it(`accepts a compliant production table declared as ${form}`, async () => {
                const result = await pack.analyze(make());
                assert.deepStrictEqual(result.diagnostics, []);
            });
        }

        const nonCompliant: [string, () => Resource, string][] = [
            [
                "aws.dynamodb.Table",
                () => awsTable({ pointInTimeRecovery: { enabled: false } }),
                'Production table `orders` (aws:dynamodb/table:Table) has `pointInTimeRecovery.enabled` set to false; set it to true, or use ResilientTable, which turns it on. It is production because tag `tags.environment` is "production".',
            ],
            [
                "a replica of aws.dynamodb.Table",
                () => awsTable({ replicas: [{ regionName: "eu-west-1", deletionProtectionEnabled: true }] }),
                'Production replica `eu-west-1` of table `orders` (aws:dynamodb/table:Table) has `replicas[0].pointInTimeRecovery` unset; set it to true. It is production because tag `tags.environment` is "production".',
            ],
            [
                "aws.dynamodb.TableReplica",
                () => awsTableReplica({ pointInTimeRecovery: false }),
                'Production table `orders-eu` (aws:dynamodb/tableReplica:TableReplica) has `pointInTimeRecovery` set to false; set it to true. It is production because tag `tags.environment` is "production".',
            ],
            [
                "aws-native dynamodb.Table",
                () => nativeTable({ pointInTimeRecoverySpecification: undefined }),
                'Production table `orders-native` (aws-native:dynamodb:Table) has `pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled` unset; set it to true. It is production because tag `tags[0]` is "production".',
            ],
            [
                "a replica of aws-native dynamodb.GlobalTable",
                () =>
                    nativeGlobalTable([
                        nativeReplica("us-east-1"),
                        nativeReplica("eu-west-1", { pointInTimeRecoverySpecification: undefined }),
                    ]),
                'Production replica `eu-west-1` of global table `orders-global` (aws-native:dynamodb:GlobalTable) has `replicas[1].pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled` unset; set it to true. It is production because tag `replicas[1].tags[0]` is "production".',
            ],
            [
                "a table in a CloudFormation JSON template",
                () =>
                    cfnStack({
                        Resources: {
                            Orders: {
                                ...CFN_JSON_TEMPLATE.Resources.Orders,
                                Properties: {
                                    ...CFN_JSON_TEMPLATE.Resources.Orders.Properties,
                                    PointInTimeRecoverySpecification: undefined,
                                },
                            },
                        },
                    }),
                'Production table `Orders` in CloudFormation stack `legacy` (aws:cloudformation/stack:Stack) has `templateBody: Resources.Orders.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` unset; set it to true. It is production because tag `templateBody: Resources.Orders.Properties.Tags[0]` is "production".',
            ],
            [
                "a table in a CloudFormation YAML template",
                () => cfnStack(cfnYamlTemplate("false")),
                'Production table `Orders` in CloudFormation stack `legacy` (aws:cloudformation/stack:Stack) has `templateBody: Resources.Orders.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` set to false; set it to true. It is production because tag `templateBody: Resources.Orders.Properties.Tags[0]` is "production".',
            ],
            [
                "a global table replica in a CloudFormation YAML template",
                () => cfnStack(cfnYamlTemplate("true", "false")),
                'Production replica `eu-west-1` of global table `Global` in CloudFormation stack `legacy` (aws:cloudformation/stack:Stack) has `templateBody: Resources.Global.Properties.Replicas[1].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` set to false; set it to true. It is production because tag `templateBody: Resources.Global.Properties.Replicas[1].Tags[0]` is "production".',
            ],
        ];
        for (const [form, make, message] of nonCompliant) {
            it(`rejects a production table without PITR declared as ${form}`, async () => {
                const result = await pack.analyze(make());
                assert.deepStrictEqual(messagesOf(result, PITR), [message]);
                assert.deepStrictEqual(levelsOf(result, PITR), ["mandatory"]);
            });
        }

        it("reports a template given by URL as cannot verify, at advisory level", async () => {
            const result = await pack.analyze(
                cfnStack("", { templateBody: undefined, templateUrl: "https://s3.amazonaws.com/b/t.yaml" }),
            );
            assert.deepStrictEqual(messagesOf(result, PITR), [
                "Cannot verify point-in-time recovery on CloudFormation stack `legacy` (aws:cloudformation/stack:Stack): its template is given by `templateUrl`, which cannot be read offline; inline it with `templateBody` so its DynamoDB tables can be checked.",
            ]);
            assert.deepStrictEqual(levelsOf(result, PITR), ["advisory"]);
        });

        it("ignores tables that are not production and resources that are not tables", async () => {
            const dev = await pack.analyze(
                awsTable({ pointInTimeRecovery: undefined, tags: { environment: "dev" } }),
            );
            assert.deepStrictEqual(dev.diagnostics, []);
            const bucket = await pack.analyze({
                type: "aws:s3/bucket:Bucket",
                name: "b",
                urn: "urn:pulumi:dev::orders::aws:s3/bucket:Bucket::b",
                properties: {},
            });
            assert.deepStrictEqual(bucket.diagnostics, []);
        });

        it("sees production from the provider's defaultTags and from the stack name", async () => {
            const viaProvider = await pack.analyze({
                ...awsTable({ tags: undefined, pointInTimeRecovery: undefined }),
                provider: awsProvider({ environment: "production" }, true),
            });
            assert.match(
                messagesOf(viaProvider, PITR)[0],
                /It is production because tag `provider defaultTags.tags.environment` is "production"\.$/,
            );
            // The stack name is a coarser signal than a Tag resource, which only the stack check sees.
            const untagged = inStack(awsTable({ tags: {}, pointInTimeRecovery: undefined }), "production");
            assert.deepStrictEqual(messagesOf(await pack.analyze(untagged), PITR), []);
            assert.match(
                messagesOf(await pack.analyzeStack([untagged]), PITR)[0],
                /It is production because stack `production` is named like production/,
            );
        });

        it("reads secret tags and flags as their values", async () => {
            const result = await pack.analyze(
                awsTable({
                    tags: secret({ environment: "production" }),
                    pointInTimeRecovery: secret({ enabled: false }),
                }),
            );
            assert.strictEqual(messagesOf(result, PITR).length, 1);
        });

        it("reports unknown values as unverifiable, naming the property, never as a pass or a failure", async () => {
            const flag = await pack.analyze(awsTable({ pointInTimeRecovery: { enabled: UNKNOWN } }));
            assert.deepStrictEqual(messagesOf(flag, PITR), [
                "Cannot verify point-in-time recovery on table `orders` (aws:dynamodb/table:Table): `pointInTimeRecovery.enabled` is unknown: its value comes from an output that is not known until the update (pulumi preview).",
            ]);
            assert.deepStrictEqual(levelsOf(flag, PITR), ["advisory"]);
            const unknownTags = awsTable({ tags: UNKNOWN, pointInTimeRecovery: undefined });
            assert.deepStrictEqual(messagesOf(await pack.analyze(unknownTags), PITR), []);
            const tags = await pack.analyzeStack([unknownTags]);
            assert.deepStrictEqual(levelsOf(tags, PITR), ["advisory"]);
            assert.deepStrictEqual(messagesOf(tags, PITR), [
                "Cannot verify point-in-time recovery on table `orders` (aws:dynamodb/table:Table): cannot tell whether it is a production table: tag `tags` is unknown during preview.",
            ]);
            const body = await pack.analyze(cfnStack("", { templateBody: UNKNOWN }));
            assert.match(
                messagesOf(body, PITR)[0],
                /its `templateBody` is unknown during preview, so its DynamoDB tables cannot be checked\.$/,
            );
        });

        it("passes a table whose other properties are unknown but whose PITR is on", async () => {
            const result = await pack.analyze(
                awsTable({ name: UNKNOWN, tags: UNKNOWN, tagsAll: UNKNOWN, replicas: [] }),
            );
            assert.deepStrictEqual(messagesOf(result, PITR), []);
        });

        it("checks the other rules on the same tables", async () => {
            const result = await pack.analyze({
                ...awsTable({
                    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 },
                    deletionProtectionEnabled: false,
                    serverSideEncryption: undefined,
                    restoreSourceName: "orders",
                    restoreDateTime: "2000-01-01T00:00:00Z",
                }),
                options: {},
            });
            assert.match(
                messagesOf(result, PERIOD)[0],
                /has `pointInTimeRecovery.recoveryPeriodInDays` set to 7 days, below the required minimum of 35 days/,
            );
            assert.deepStrictEqual(levelsOf(result, DELETION), ["mandatory", "advisory"]);
            assert.match(messagesOf(result, DELETION)[1], /has the `protect` resource option unset/);
            assert.deepStrictEqual(levelsOf(result, CMK), ["advisory"]);
            assert.match(messagesOf(result, RESTORE)[0], /older than the 35-day recovery window/);
        });

        it("never throws on malformed properties", async () => {
            const garbage = [
                { pointInTimeRecovery: "yes", replicas: "all", tags: 3, deletionProtectionEnabled: [] },
                {
                    pointInTimeRecoverySpecification: [1, 2],
                    replicas: [null, 4, "x", { region: 5 }],
                    tags: [{ key: 1 }],
                },
                { templateBody: "Resources: [unclosed", parameters: 5 },
                { templateBody: '{"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": 7}}}' },
                {
                    templateBody:
                        "Resources:\n  T:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n      Replicas: !If [c, [], []]",
                },
                { templateBody: "\u0000\u0001 garbage !Bogus tag" },
                { restoreDateTime: 12, restoreToLatestTime: "maybe" },
            ];
            const types = [
                "aws:dynamodb/table:Table",
                "aws:dynamodb/tableReplica:TableReplica",
                "aws-native:dynamodb:Table",
                "aws-native:dynamodb:GlobalTable",
                "aws:cloudformation/stack:Stack",
            ];
            for (const type of types) {
                for (const properties of garbage) {
                    const r: Resource = {
                        type,
                        name: "t",
                        urn: `urn:pulumi:prod::orders::${type}::t`,
                        properties,
                        provider: { ...awsProvider(), properties: { defaultTags: "{not json" } },
                    };
                    await pack.analyze(r);
                    await pack.remediate(r);
                }
            }
            const stack = await pack.analyzeStack(
                types.map((type) => ({
                    type,
                    name: "t",
                    urn: `urn:pulumi:prod::orders::${type}::t`,
                    properties: garbage[1],
                })),
            );
            assert.ok(Array.isArray(stack.diagnostics));
        });
    });
});
