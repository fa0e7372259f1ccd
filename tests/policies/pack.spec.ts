/**
 * The policy pack as the CLI runs it: the compiled pack started through `@pulumi/pulumi`'s policy
 * pack runner and driven over the analyzer gRPC protocol. One pack serves the whole file; each
 * `describe` sends its own configuration in `before()`, as `--policy-pack-config` would.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalyzeResult,
    PolicyPackClient,
    PropertyMap,
    Resource,
    UNKNOWN,
    secret,
    startPolicyPack,
} from "../../cli/analyzer";
import { startPack } from "../support/policyPack";
import {
    CFN_JSON_TEMPLATE,
    awsProvider,
    awsTable,
    awsTableReplica,
    backupSelection,
    cfnStack,
    cfnYamlTemplate,
    dynamodbTag,
    inStack,
    nativeBackupSelection,
    nativeGlobalTable,
    nativeReplica,
    nativeTable,
    untaggedTable,
} from "../support/dynamodbResources";

const PITR = "dynamodb-production-table-pitr-enabled";
const PERIOD = "dynamodb-production-table-pitr-recovery-period";
const BACKUP = "dynamodb-production-table-in-backup-plan";
const DELETION = "dynamodb-production-table-deletion-protection";
const CMK = "dynamodb-production-table-customer-managed-key";
const RESTORE = "dynamodb-restore-time-within-recovery-window";

/** The violation messages of one policy, without CrossGuard's description prefix. */
function messagesOf(result: AnalyzeResult, policy: string): string[] {
    return result.diagnostics
        .filter((d) => d.policyName === policy)
        .map((d) =>
            d.message.startsWith(d.description + "\n")
                ? d.message.slice(d.description.length + 1)
                : d.message,
        );
}

function levelsOf(result: AnalyzeResult, policy: string): string[] {
    return result.diagnostics.filter((d) => d.policyName === policy).map((d) => d.enforcementLevel);
}

describe("policy pack over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
    });

    describe("GetAnalyzerInfo", () => {
        it("describes the pack and every policy with a description, a level and defaults for every knob", async () => {
            const info = await pack.getAnalyzerInfo();
            assert.strictEqual(info.name, "dynamodb-pitr");
            assert.strictEqual(info.version, "0.1.0");
            assert.deepStrictEqual(
                info.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]),
                [
                    [BACKUP, "mandatory", "stack"],
                    [PITR, "mandatory", "resource"],
                    [PERIOD, "mandatory", "resource"],
                    [DELETION, "mandatory", "resource"],
                    [CMK, "advisory", "resource"],
                    [RESTORE, "mandatory", "resource"],
                ],
            );
            for (const p of info.policies) {
                assert.match(p.description, /^[A-Z].*\.$/, `${p.name} description is a sentence`);
                for (const [knob, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                    assert.ok(
                        (schema as { default?: unknown }).default !== undefined,
                        `${p.name}.${knob} has a default`,
                    );
                }
            }
            const pitr = info.policies.find((p) => p.name === PITR);
            assert.deepStrictEqual(Object.keys(pitr?.configSchema?.properties ?? {}).sort(), [
                "allTablesAreProduction",
                "productionStackNamePattern",
                "productionTagKeys",
                "productionTagValues",
                "remediationRecoveryPeriodInDays",
            ]);
        });
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
                /It is production because stack `production` matches/,
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

    describe("AnalyzeStack: backup plan coverage", () => {
        before(async () => {
            await pack.configure({});
        });
        const table = awsTable();

        it("accepts a table selected through the table's ARN output (a property dependency at preview)", async () => {
            const sel = backupSelection({ resources: [UNKNOWN] }, { resources: [table.urn] });
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([table, sel]), BACKUP), []);
        });

        it("accepts a table selected by its known ARN, by tag, by wildcard, or by an aws-native selection", async () => {
            const withArn = awsTable({ arn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders" });
            const selections = [
                backupSelection({ resources: ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"] }),
                backupSelection({
                    selectionTags: [{ type: "STRINGEQUALS", key: "environment", value: "production" }],
                }),
                backupSelection({ resources: ["arn:aws:dynamodb:*:*:table/*"] }),
                backupSelection({
                    resources: ["*"],
                    conditions: [
                        { stringEquals: [{ key: "aws:ResourceTag/environment", value: "production" }] },
                    ],
                }),
                nativeBackupSelection({
                    listOfTags: [
                        {
                            conditionType: "STRINGEQUALS",
                            conditionKey: "environment",
                            conditionValue: "production",
                        },
                    ],
                }),
                nativeBackupSelection({ resources: [UNKNOWN] }, { backupSelection: [withArn.urn] }),
            ];
            for (const sel of selections) {
                assert.deepStrictEqual(
                    messagesOf(await pack.analyzeStack([withArn, sel]), BACKUP),
                    [],
                    JSON.stringify(sel.properties),
                );
            }
        });

        it("rejects a production table no selection covers, with the table's URN", async () => {
            const other = backupSelection({
                resources: ["arn:aws:dynamodb:us-east-1:111122223333:table/other"],
            });
            const result = await pack.analyzeStack([
                table,
                other,
                awsTable({ tags: { environment: "dev" } }, "scratch"),
            ]);
            assert.deepStrictEqual(messagesOf(result, BACKUP), [
                'Production table `orders` (aws:dynamodb/table:Table) is not selected by any AWS Backup plan; add it to a backup plan with an aws.backup.Selection whose `resources` include the table\'s ARN, or that selects its tags, or use ResilientTable, which creates one. It is production because tag `tags.environment` is "production".',
            ]);
            assert.strictEqual(result.diagnostics[0].urn, table.urn);
        });

        it("checks tables of CloudFormation templates and aws-native tables too", async () => {
            const result = await pack.analyzeStack([
                cfnStack(cfnYamlTemplate()),
                nativeTable(),
                nativeGlobalTable(),
            ]);
            assert.strictEqual(messagesOf(result, BACKUP).length, 4);
        });

        it("reports a selection whose resources are unknown without dependencies as unverifiable", async () => {
            const sel: Resource = {
                ...backupSelection({ resources: [UNKNOWN] }),
                dependencies: [],
                propertyDependencies: {},
            };
            const result = await pack.analyzeStack([table, sel]);
            assert.deepStrictEqual(levelsOf(result, BACKUP), ["advisory"]);
            assert.match(
                messagesOf(result, BACKUP)[0],
                /^Cannot verify that table `orders` .* is in a backup plan: backup selection `orders-backup` may select it/,
            );
        });

        // Its speed is measured by `npm run bench` (ratios in one run), not timed here.
        it("decides 2,000 tables and selections in one stack check", async () => {
            const resources: Resource[] = [];
            for (let i = 0; i < 1000; i++) {
                const t = awsTable({}, `t${i}`);
                resources.push(t, {
                    ...backupSelection({ resources: [UNKNOWN] }, { resources: [t.urn] }),
                    name: `s${i}`,
                    urn: `${t.urn}-sel`,
                });
            }
            const result = await pack.analyzeStack(resources);
            assert.deepStrictEqual(messagesOf(result, BACKUP), []);
            // Without the selections, every one of the tables is reported: the check above did decide them.
            const bare = await pack.analyzeStack(
                resources.filter((r) => r.type === "aws:dynamodb/table:Table"),
            );
            assert.equal(messagesOf(bare, BACKUP).length, 1000);
        });
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

    describe("AnalyzeStack: backup selections read by ARN shape", () => {
        before(async () => {
            await pack.configure({});
        });
        const table = { ...awsTable({ arn: UNKNOWN }), provider: awsProvider() };

        it("rejects a production table when the only selection's ARN pattern cannot match a DynamoDB table", async () => {
            for (const pattern of [
                "arn:aws:s3:::*",
                "arn:aws:dynamodb:eu-west-1:*:table/*",
                "arn:aws:dynamodb:*:*:table/other*",
            ]) {
                const result = await pack.analyzeStack([table, backupSelection({ resources: [pattern] })]);
                assert.deepStrictEqual(levelsOf(result, BACKUP), ["mandatory"], pattern);
                assert.match(messagesOf(result, BACKUP)[0], /is not selected by any AWS Backup plan/);
            }
        });

        it("accepts a table a pattern covers whatever its unknown parts", async () => {
            for (const pattern of [
                "arn:aws:dynamodb:*:*:table/*",
                "arn:aws:dynamodb:us-east-1:*:table/ord*",
                "arn:aws:*",
            ]) {
                const result = await pack.analyzeStack([table, backupSelection({ resources: [pattern] })]);
                assert.deepStrictEqual(messagesOf(result, BACKUP), [], pattern);
            }
        });

        it("reports cannot verify only when the match depends on an unknown part, naming it", async () => {
            const result = await pack.analyzeStack([
                table,
                backupSelection({ resources: ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"] }),
            ]);
            assert.deepStrictEqual(levelsOf(result, BACKUP), ["advisory"]);
            assert.match(
                messagesOf(result, BACKUP)[0],
                /may select it, but whether `resources` entry "arn:aws:dynamodb:us-east-1:111122223333:table\/orders" matches depends on the table's ARN/,
            );
        });

        it("reads notResources and tag conditions the same way", async () => {
            const cases: [PropertyMap, "covered" | "rejected" | "advisory"][] = [
                [{ resources: ["*"], notResources: ["arn:aws:dynamodb:*:*:table/ord*"] }, "rejected"],
                [{ resources: ["*"], notResources: ["arn:aws:s3:::*"] }, "covered"],
                [
                    { resources: ["*"], notResources: ["arn:aws:dynamodb:*:111122223333:table/orders"] },
                    "advisory",
                ],
                [
                    {
                        resources: ["*"],
                        conditions: [
                            { stringLikes: [{ key: "aws:ResourceTag/environment", value: "prod*" }] },
                        ],
                    },
                    "covered",
                ],
                [
                    {
                        resources: ["*"],
                        conditions: [
                            {
                                stringNotEquals: [
                                    { key: "aws:ResourceTag/environment", value: "production" },
                                ],
                            },
                        ],
                    },
                    "rejected",
                ],
                [
                    {
                        resources: ["*"],
                        conditions: [
                            { stringNotLikes: [{ key: "aws:ResourceTag/environment", value: "dev*" }] },
                        ],
                    },
                    "covered",
                ],
                [
                    {
                        resources: ["*"],
                        conditions: [
                            { stringEquals: [{ key: "aws:ResourceTag/environment", value: UNKNOWN }] },
                        ],
                    },
                    "advisory",
                ],
                [
                    { selectionTags: [{ type: "STRINGEQUALS", key: "environment", value: UNKNOWN }] },
                    "advisory",
                ],
                [{ selectionTags: [{ type: "STRINGEQUALS", key: "environment", value: "dev" }] }, "rejected"],
                [{ resources: ["orders"] }, "advisory"],
            ];
            for (const [props, expected] of cases) {
                const result = await pack.analyzeStack([table, backupSelection(props)]);
                const got = levelsOf(result, BACKUP);
                const want =
                    expected === "covered" ? [] : expected === "rejected" ? ["mandatory"] : ["advisory"];
                assert.deepStrictEqual(got, want, JSON.stringify(props));
            }
        });

        it("names the property that keeps a selection from being read", async () => {
            const tags = await pack.analyzeStack([
                table,
                backupSelection({
                    selectionTags: [{ type: "STRINGEQUALS", key: "environment", value: UNKNOWN }],
                }),
            ]);
            assert.match(
                messagesOf(tags, BACKUP)[0],
                /but `selectionTags\[0\]\.value` is unknown during preview\.$/,
            );
            const malformed = await pack.analyzeStack([table, backupSelection({ resources: ["orders"] })]);
            assert.match(
                messagesOf(malformed, BACKUP)[0],
                /but `resources\[0\]` "orders" cannot be read: it is not an ARN/,
            );
        });
    });

    describe("Configure: production knobs", () => {
        before(async () => {
            const knobs = {
                productionTagKeys: ["tier"],
                productionTagValues: ["live"],
                productionStackNamePattern: "-live$",
            };
            await pack.configure({ [PITR]: { enforcementLevel: "mandatory", ...knobs } });
        });

        it("uses the configured tag keys and values instead of the defaults", async () => {
            const live = await pack.analyze(
                awsTable({ tags: { Tier: "LIVE" }, pointInTimeRecovery: undefined }),
            );
            assert.match(messagesOf(live, PITR)[0], /It is production because tag `tags.Tier` is "LIVE"\.$/);
            const old = await pack.analyze(awsTable({ pointInTimeRecovery: undefined }));
            assert.deepStrictEqual(messagesOf(old, PITR), []);
        });

        it("uses the configured stack name pattern", async () => {
            const result = await pack.analyzeStack([
                inStack(awsTable({ tags: {}, pointInTimeRecovery: undefined }), "orders-live"),
            ]);
            assert.match(messagesOf(result, PITR)[0], /stack `orders-live` matches `-live\$`/);
        });

        it("reads stack tags set by ConfigureStack", async () => {
            await pack.configureStack({ stack: "dev", project: "orders", tags: { tier: "live" } });
            try {
                const table = awsTable({ tags: {}, pointInTimeRecovery: undefined });
                assert.deepStrictEqual(messagesOf(await pack.analyze(table), PITR), []);
                const result = await pack.analyzeStack([table]);
                assert.match(messagesOf(result, PITR)[0], /stack tag `tier` is "live"/);
            } finally {
                await pack.configureStack({ stack: "dev", project: "orders", tags: {} });
            }
        });
    });

    describe("Configure: allTablesAreProduction and the recovery period minimum", () => {
        before(async () => {
            await pack.configure({
                [PITR]: { enforcementLevel: "advisory", allTablesAreProduction: true },
                [PERIOD]: { enforcementLevel: "mandatory", minimumRecoveryPeriodInDays: 7 },
            });
        });

        it("treats an untagged table as production, at the configured level", async () => {
            const result = await pack.analyze(awsTable({ tags: {}, pointInTimeRecovery: undefined }));
            assert.match(
                messagesOf(result, PITR)[0],
                /It is production because `allTablesAreProduction` is on\.$/,
            );
            assert.deepStrictEqual(levelsOf(result, PITR), ["advisory"]);
        });

        it("accepts 7 days when the minimum is 7, and still rejects 6", async () => {
            const seven = await pack.analyze(
                awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 } }),
            );
            assert.deepStrictEqual(messagesOf(seven, PERIOD), []);
            const six = await pack.analyze(
                awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 6 } }),
            );
            assert.match(
                messagesOf(six, PERIOD)[0],
                /below the required minimum of 7 days; set it to at least 7/,
            );
        });
    });

    describe("Configure: disabled policies and other rules' knobs", () => {
        before(async () => {
            await pack.configure({
                [PITR]: "disabled",
                [DELETION]: { enforcementLevel: "mandatory", adviseProtectOption: false },
                [RESTORE]: { enforcementLevel: "mandatory", minimumAgeMinutes: 60, maximumAgeDays: 1 },
            });
        });

        it("does not run a disabled policy", async () => {
            const result = await pack.analyze(awsTable({ pointInTimeRecovery: undefined }));
            assert.deepStrictEqual(messagesOf(result, PITR), []);
        });

        it("drops the protect advice when adviseProtectOption is off", async () => {
            const result = await pack.analyze({ ...awsTable(), options: {} });
            assert.deepStrictEqual(messagesOf(result, DELETION), []);
        });

        it("uses the configured restore window", async () => {
            const tenMinutesAgo = new Date(Date.now() - 10 * 60000).toISOString();
            const result = await pack.analyze(
                awsTable({ restoreSourceName: "orders", restoreDateTime: tenMinutesAgo }),
            );
            assert.match(
                messagesOf(result, RESTORE)[0],
                /newer than the latest restorable time \(about 60 minutes ago\)/,
            );
            const twoDays = new Date(Date.now() - 2 * 86400000).toISOString();
            const old = await pack.analyze(
                awsTable({ restoreSourceName: "orders", restoreDateTime: twoDays }),
            );
            assert.match(messagesOf(old, RESTORE)[0], /older than the 1-day recovery window/);
        });
    });

    describe("Remediate", () => {
        before(async () => {
            await pack.configure({
                [PITR]: { enforcementLevel: "remediate", remediationRecoveryPeriodInDays: 30 },
            });
        });

        it("turns PITR on for a production table, keeping secrets and other properties", async () => {
            const result = await pack.remediate(
                awsTable({ pointInTimeRecovery: undefined, name: secret("orders") }),
            );
            assert.strictEqual(result.remediations.length, 1);
            const props = result.remediations[0].properties ?? {};
            assert.deepStrictEqual(props.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 30 });
            assert.deepStrictEqual(props.name, {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                value: "orders",
            });
            assert.strictEqual(props.hashKey, "pk");
        });

        it("remediates native tables and replicas", async () => {
            const native = await pack.remediate(nativeTable({ pointInTimeRecoverySpecification: undefined }));
            assert.deepStrictEqual(native.remediations[0].properties?.pointInTimeRecoverySpecification, {
                pointInTimeRecoveryEnabled: true,
                recoveryPeriodInDays: 30,
            });
            const replica = await pack.remediate(awsTableReplica({ pointInTimeRecovery: false }));
            assert.strictEqual(replica.remediations[0].properties?.pointInTimeRecovery, true);
        });

        it("leaves compliant, non-production and unknown tables alone", async () => {
            for (const r of [
                awsTable(),
                awsTable({ pointInTimeRecovery: undefined, tags: {} }),
                awsTable({ pointInTimeRecovery: UNKNOWN }),
            ]) {
                assert.deepStrictEqual((await pack.remediate(r)).remediations, []);
            }
        });

        it("still reports a production table without PITR when analysed, as mandatory", async () => {
            const result = await pack.analyze(awsTable({ pointInTimeRecovery: undefined }));
            assert.deepStrictEqual(levelsOf(result, PITR), ["mandatory"]);
        });
    });
});

describe("startPolicyPack", () => {
    it("fails with one line naming the pack folder and the reason when the pack cannot start", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({ name: "broken", version: "1.0.0", main: "index.js" }),
        );
        fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("boom at load");');
        try {
            await assert.rejects(startPolicyPack(dir, { timeoutMs: 20000 }), (e: Error) => {
                assert.ok(e.message.startsWith(`Policy pack ${dir} failed to start: `), e.message);
                assert.match(e.message, /boom at load/);
                assert.ok(!e.message.includes("\n"), "one line");
                return true;
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
