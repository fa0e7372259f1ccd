/**
 * `AWS::Backup::BackupSelection` inside `aws.cloudformation.Stack` templates, through the analyzer
 * gRPC protocol: each way a selection can name a table (covered, and not covered), in JSON and YAML.
 */
import * as assert from "assert";
import { AnalyzeResult, PolicyPackClient, Resource } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import { awsProvider, awsTable, cfnStack } from "../../support/dynamodbResources";
import { BACKUP, messagesOf } from "./diagnostics";

const TABLE = {
    Type: "AWS::DynamoDB::Table",
    Properties: {
        TableName: "orders-cfn",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: "environment", Value: "production" }],
    },
};

/** A JSON template with the production table `Orders` and a selection with these properties. */
function jsonTemplate(selection: object, extra: object = {}): object {
    return {
        Resources: {
            Orders: TABLE,
            Other: {
                ...TABLE,
                Properties: {
                    ...TABLE.Properties,
                    TableName: "other",
                    Tags: [{ Key: "environment", Value: "staging" }],
                },
            },
            Plan: {
                Type: "AWS::Backup::BackupPlan",
                Properties: { BackupPlan: { BackupPlanName: "p", BackupPlanRule: [] } },
            },
            Selection: {
                Type: "AWS::Backup::BackupSelection",
                Properties: {
                    BackupPlanId: { Ref: "Plan" },
                    BackupSelection: {
                        SelectionName: "tables",
                        IamRoleArn: "arn:aws:iam::1:role/b",
                        ...selection,
                    },
                },
            },
            ...extra,
        },
    };
}

/** A YAML template: the table `Orders` and a selection whose `BackupSelection` lines are given. */
function yamlTemplate(selectionLines: string[]): string {
    return [
        "Resources:",
        "  Orders:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      TableName: orders-cfn",
        "      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }",
        "      DeletionProtectionEnabled: true",
        "      Tags: [{ Key: environment, Value: production }]",
        "  Other:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }",
        "      DeletionProtectionEnabled: true",
        "      Tags: [{ Key: environment, Value: staging }]",
        "  Selection:",
        "    Type: AWS::Backup::BackupSelection",
        "    Properties:",
        "      BackupPlanId: !Ref Plan",
        "      BackupSelection:",
        "        SelectionName: tables",
        "        IamRoleArn: arn:aws:iam::1:role/b",
        ...selectionLines.map((l) => `        ${l}`),
    ].join("\n");
}

function stack(body: string | object, name = "legacy"): Resource {
    const r = cfnStack(body);
    return { ...r, name, urn: r.urn.replace(/legacy$/, name), provider: awsProvider() };
}

describe("CloudFormation backup selections over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
        await pack.configure({});
    });
    after(async () => {
        await pack?.close();
    });

    async function covered(resources: Resource[]) {
        assert.deepStrictEqual(messagesOf(await pack.analyzeStack(resources), BACKUP), []);
    }
    async function notCovered(resources: Resource[], subject = /table `Orders` in CloudFormation stack/) {
        const messages = messagesOf(await pack.analyzeStack(resources), BACKUP);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], subject);
        assert.match(messages[0], /is not selected by any AWS Backup plan/);
    }

    it("fails the production table of a template without a selection (the baseline)", async () => {
        await notCovered([stack({ Resources: { Orders: TABLE } })]);
    });

    const forms: [string, string | object, string | object][] = [
        [
            "YAML !GetAtt Table.Arn",
            yamlTemplate(["Resources: [!GetAtt Orders.Arn]"]),
            yamlTemplate(["Resources: [!GetAtt Other.Arn]"]),
        ],
        [
            'JSON {"Fn::GetAtt": ["Table", "Arn"]}',
            jsonTemplate({ Resources: [{ "Fn::GetAtt": ["Orders", "Arn"] }] }),
            jsonTemplate({ Resources: [{ "Fn::GetAtt": ["Other", "Arn"] }] }),
        ],
        [
            "YAML !Sub arn:...:table/${Table}",
            yamlTemplate([
                "Resources:",
                "  - !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}'",
            ]),
            yamlTemplate([
                "Resources:",
                "  - !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Other}'",
            ]),
        ],
        [
            "JSON Fn::Join",
            jsonTemplate({
                Resources: [
                    {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                { Ref: "AWS::Partition" },
                                ":dynamodb:",
                                { Ref: "AWS::Region" },
                                ":",
                                { Ref: "AWS::AccountId" },
                                ":table/",
                                { Ref: "Orders" },
                            ],
                        ],
                    },
                ],
            }),
            jsonTemplate({
                Resources: [
                    {
                        "Fn::Join": [
                            ":",
                            [
                                "arn",
                                { Ref: "AWS::Partition" },
                                "dynamodb",
                                { Ref: "AWS::Region" },
                                { Ref: "AWS::AccountId" },
                                { "Fn::Sub": "table/${Other}" },
                            ],
                        ],
                    },
                ],
            }),
        ],
        [
            "YAML ListOfTags",
            yamlTemplate([
                "ListOfTags:",
                "  - { ConditionType: STRINGEQUALS, ConditionKey: environment, ConditionValue: production }",
            ]),
            yamlTemplate([
                "ListOfTags:",
                "  - { ConditionType: STRINGEQUALS, ConditionKey: environment, ConditionValue: staging }",
            ]),
        ],
        [
            "JSON Conditions on a wildcard",
            jsonTemplate({
                Resources: ["*"],
                Conditions: {
                    StringEquals: [
                        { ConditionKey: "aws:ResourceTag/environment", ConditionValue: "production" },
                    ],
                },
            }),
            jsonTemplate({
                Resources: ["*"],
                Conditions: {
                    StringNotEquals: [
                        { ConditionKey: "aws:ResourceTag/environment", ConditionValue: "production" },
                    ],
                },
            }),
        ],
        [
            "a literal ARN pattern",
            jsonTemplate({ Resources: ["arn:aws:dynamodb:us-east-1:*:table/orders-*"] }),
            jsonTemplate({ Resources: ["arn:aws:dynamodb:eu-west-1:*:table/orders-*"] }),
        ],
    ];
    for (const [form, yes, no] of forms) {
        it(`counts a selection by ${form} in the same template, and not one that names another table`, async () => {
            await covered([stack(yes)]);
            await notCovered([stack(no)]);
        });
    }

    it("counts a selection that names a SAM SimpleTable by !GetAtt or !Ref, as it counts a table", async () => {
        const sam = (lines: string[]) =>
            [
                "Transform: AWS::Serverless-2016-10-31",
                "Resources:",
                "  Sessions:",
                "    Type: AWS::Serverless::SimpleTable",
                "    Properties:",
                "      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }",
                "      Tags: { environment: production }",
                "  Other:",
                "    Type: AWS::Serverless::SimpleTable",
                "  Selection:",
                "    Type: AWS::Backup::BackupSelection",
                "    Properties:",
                "      BackupPlanId: plan-1",
                "      BackupSelection:",
                "        SelectionName: tables",
                "        IamRoleArn: arn:aws:iam::1:role/b",
                ...lines.map((l) => `        ${l}`),
            ].join("\n");
        const subject = /SAM table `Sessions` \(AWS::Serverless::SimpleTable\) in CloudFormation stack/;
        await notCovered([stack(sam([]))], subject);
        await covered([stack(sam(["Resources: [!GetAtt Sessions.Arn]"]))]);
        await covered([
            stack(
                sam([
                    "Resources:",
                    "  - !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Sessions}'",
                ]),
            ),
        ]);
        await notCovered([stack(sam(["Resources: [!GetAtt Other.Arn]"]))], subject);
    });

    it("counts a selection in one template for a table of another template, by ARN", async () => {
        const tables = stack({ Resources: { Orders: TABLE } }, "tables");
        const selection = (arn: string) =>
            stack(
                {
                    Resources: {
                        Selection: {
                            Type: "AWS::Backup::BackupSelection",
                            Properties: {
                                BackupPlanId: "plan",
                                BackupSelection: {
                                    SelectionName: "s",
                                    IamRoleArn: "r",
                                    Resources: [{ "Fn::Sub": arn }],
                                },
                            },
                        },
                    },
                },
                "backups",
            );
        await covered([
            tables,
            selection("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders-cfn"),
        ]);
        await notCovered([
            tables,
            selection("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/other"),
        ]);
    });

    it("counts a selection in a template for a table of the Pulumi program, by ARN", async () => {
        const table = { ...awsTable(), provider: awsProvider() };
        const selection = (name: string) =>
            stack(jsonTemplate({ Resources: [`arn:aws:dynamodb:us-east-1:*:table/${name}`] }, {}), "backups");
        const tableOnly = (r: AnalyzeResult) =>
            messagesOf(r, BACKUP).filter((m) => m.includes("aws:dynamodb/table:Table"));
        assert.deepStrictEqual(tableOnly(await pack.analyzeStack([table, selection("orders")])), []);
        const missed = tableOnly(await pack.analyzeStack([table, selection("invoices")]));
        assert.strictEqual(missed.length, 1);
        assert.match(missed[0], /^Production table `orders` \(aws:dynamodb\/table:Table\) is not selected/);
    });

    it("reports an entry that cannot be evaluated offline as cannot verify, naming it, at advisory level", async () => {
        const result = await pack.analyzeStack([
            stack(jsonTemplate({ Resources: [{ "Fn::ImportValue": "orders-arn" }] })),
        ]);
        const d = result.diagnostics.filter((x) => x.policyName === BACKUP);
        assert.deepStrictEqual(
            d.map((x) => x.enforcementLevel),
            ["advisory"],
        );
        assert.match(
            d[0].message,
            /BackupSelection.Resources\[0\]` is `Fn::ImportValue`, which cannot be evaluated offline/,
        );
    });

    it("never crashes on malformed selections", async () => {
        const bad = [
            jsonTemplate({ Resources: "not-a-list" }),
            jsonTemplate({ Resources: [42, null, { Ref: 7 }, { "Fn::GetAtt": [] }, { "Fn::Join": "x" }] }),
            jsonTemplate({ ListOfTags: [null, { ConditionKey: { Ref: "Env" } }], Conditions: "nope" }),
            {
                Resources: {
                    Orders: TABLE,
                    Selection: { Type: "AWS::Backup::BackupSelection", Properties: null },
                },
            },
        ];
        for (const body of bad) {
            const result = await pack.analyzeStack([stack(body)]);
            assert.ok(Array.isArray(result.diagnostics));
        }
    });
});
