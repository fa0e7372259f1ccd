/**
 * The policy pack as the CLI runs it: the compiled pack started through `@pulumi/pulumi`'s policy
 * pack runner and driven over the analyzer gRPC protocol. One pack serves the whole file; each
 * `describe` sends its own configuration in `before()`, as `--policy-pack-config` would.
 * This file: AnalyzeStack and the backup rule: backup plan coverage, and selections read by ARN shape.
 */
import * as assert from "assert";
import { PolicyPackClient, PropertyMap, Resource, UNKNOWN } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import {
    awsProvider,
    awsTable,
    backupSelection,
    cfnStack,
    cfnYamlTemplate,
    nativeBackupSelection,
    nativeGlobalTable,
    nativeTable,
} from "../../support/dynamodbResources";
import { BACKUP, messagesOf, levelsOf } from "./diagnostics";

describe("policy pack over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
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
});
