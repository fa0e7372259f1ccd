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
    inStack,
    nativeBackupSelection,
    nativeGlobalTable,
    nativeReplica,
    nativeTable,
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
                    [PITR, "mandatory", "resource"],
                    [PERIOD, "mandatory", "resource"],
                    [BACKUP, "mandatory", "stack"],
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
            const viaStack = await pack.analyze(
                inStack(awsTable({ tags: {}, pointInTimeRecovery: undefined }), "production"),
            );
            assert.match(
                messagesOf(viaStack, PITR)[0],
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
            const tags = await pack.analyze(awsTable({ tags: UNKNOWN, pointInTimeRecovery: undefined }));
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

        it("scales linearly: 2,000 tables and selections in well under a few seconds", async () => {
            const resources: Resource[] = [];
            for (let i = 0; i < 1000; i++) {
                const t = awsTable({}, `t${i}`);
                resources.push(t, {
                    ...backupSelection({ resources: [UNKNOWN] }, { resources: [t.urn] }),
                    name: `s${i}`,
                    urn: `${t.urn}-sel`,
                });
            }
            const started = Date.now();
            const result = await pack.analyzeStack(resources);
            assert.deepStrictEqual(messagesOf(result, BACKUP), []);
            assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
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
            const result = await pack.analyze(
                inStack(awsTable({ tags: {}, pointInTimeRecovery: undefined }), "orders-live"),
            );
            assert.match(messagesOf(result, PITR)[0], /stack `orders-live` matches `-live\$`/);
        });

        it("reads stack tags set by ConfigureStack", async () => {
            await pack.configureStack({ stack: "dev", project: "orders", tags: { tier: "live" } });
            try {
                const result = await pack.analyze(awsTable({ tags: {}, pointInTimeRecovery: undefined }));
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
