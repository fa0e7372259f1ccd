/**
 * `dynamodb-production-table-backups-isolated` through the analyzer gRPC protocol, as the CLI runs the
 * pack: each form that puts a production table's recovery points out of its account's reach (program,
 * CloudFormation template, organization selections), both ways; advisory by default, mandatory when
 * configured.
 */
import * as assert from "assert";
import { PolicyPackClient, Resource } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import { awsTable, backupSelection, cfnStack, resource } from "../../support/dynamodbResources";
import { levelsOf, messagesOf } from "./diagnostics";

const ISOLATED = "dynamodb-production-table-backups-isolated";
const TABLE_ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/orders";
const SAME_ACCOUNT_VAULT = "arn:aws:backup:us-west-2:111122223333:backup-vault:dr";
/** The air-gapped vault's ARN as its output gives it: in the table's own account (AWS holds the data elsewhere). */
const AIR_GAPPED_ARN = "arn:aws:backup:us-east-1:111122223333:backup-vault:last-resort";
const OTHER_ACCOUNT_VAULT = "arn:aws:backup:us-east-1:999988887777:backup-vault:recovery";

/** The production table with its ARN known, as after a deployment. */
const table = () => ({ ...awsTable(), properties: { ...awsTable().properties, arn: TABLE_ARN } });

const airGappedVault = resource("aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault", "last-resort", {
    name: "last-resort",
    minRetentionDays: 7,
    maxRetentionDays: 365,
});

/** A plan whose one rule stores into `vault` and copies to `copies`; `deps` are the URNs its rules read. */
function plan(copies: string[], deps: string[] = []): Resource {
    return resource(
        "aws:backup/plan:Plan",
        "orders-plan",
        {
            name: "orders",
            rules: [
                {
                    ruleName: "Daily",
                    targetVaultName: "orders",
                    schedule: "cron(0 5 * * ? *)",
                    copyActions: copies.map((destinationVaultArn) => ({ destinationVaultArn })),
                },
            ],
        },
        { propertyDependencies: { rules: deps }, dependencies: deps },
    );
}

/** The table's selection in `p`. */
const selectionOf = (p: Resource) => backupSelection({ resources: [TABLE_ARN] }, { planId: [p.urn] });

describe("backups out of the account's reach, over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;
    before(async () => {
        pack = await startPack();
        await pack.configure({});
    });
    after(async () => {
        await pack?.close();
    });

    it("declares the rule advisory, with its knobs and their defaults", async () => {
        const info = await pack.getAnalyzerInfo();
        const policy = info.policies.find((p) => p.name === ISOLATED);
        assert.strictEqual(policy?.enforcementLevel, "advisory");
        const knobs = policy?.configSchema?.properties as Record<string, { default: unknown }>;
        assert.deepStrictEqual(knobs.isolatedVaultArns.default, []);
        assert.deepStrictEqual(knobs.organizationIsolatedSelections.default, []);
    });

    describe("program", () => {
        it("reports a production table whose plan copies only within its own account, with the fix", async () => {
            const p = plan([SAME_ACCOUNT_VAULT]);
            const result = await pack.analyzeStack([table(), p, selectionOf(p)]);
            const messages = messagesOf(result, ISOLATED);
            assert.strictEqual(messages.length, 1);
            assert.match(
                messages[0],
                /Every backup of production table `orders` .* stays where an admin of its account can delete it/,
            );
            assert.match(messages[0], /`airGapped`/);
            assert.deepStrictEqual(levelsOf(result, ISOLATED), ["advisory"]);
        });

        it("covers a table whose plan copies to a logically air-gapped vault of the stack", async () => {
            const p = plan([AIR_GAPPED_ARN], [airGappedVault.urn]);
            const result = await pack.analyzeStack([table(), airGappedVault, p, selectionOf(p)]);
            assert.deepStrictEqual(messagesOf(result, ISOLATED), []);
        });

        it("covers a table whose plan copies to a vault in another account", async () => {
            const p = plan([OTHER_ACCOUNT_VAULT]);
            assert.deepStrictEqual(
                messagesOf(await pack.analyzeStack([table(), p, selectionOf(p)]), ISOLATED),
                [],
            );
        });

        it("never reports a staging table", async () => {
            const staging = {
                ...table(),
                properties: { ...table().properties, tags: { environment: "staging" } },
            };
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([staging]), ISOLATED), []);
        });
    });

    describe("CloudFormation template", () => {
        const template = (copy: object) => ({
            Resources: {
                Orders: {
                    Type: "AWS::DynamoDB::Table",
                    Properties: {
                        TableName: "orders-cfn",
                        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
                        DeletionProtectionEnabled: true,
                        Tags: [{ Key: "environment", Value: "production" }],
                    },
                },
                LastResort: {
                    Type: "AWS::Backup::LogicallyAirGappedBackupVault",
                    Properties: {
                        BackupVaultName: "last-resort",
                        MinRetentionDays: 7,
                        MaxRetentionDays: 365,
                    },
                },
                Vault: { Type: "AWS::Backup::BackupVault", Properties: { BackupVaultName: "orders" } },
                Plan: {
                    Type: "AWS::Backup::BackupPlan",
                    Properties: {
                        BackupPlan: {
                            BackupPlanName: "p",
                            BackupPlanRule: [
                                {
                                    RuleName: "Daily",
                                    TargetBackupVault: { Ref: "Vault" },
                                    CopyActions: [copy],
                                },
                            ],
                        },
                    },
                },
                Selection: {
                    Type: "AWS::Backup::BackupSelection",
                    Properties: {
                        BackupPlanId: { Ref: "Plan" },
                        BackupSelection: {
                            SelectionName: "tables",
                            IamRoleArn: "arn:aws:iam::1:role/b",
                            Resources: [{ "Fn::GetAtt": ["Orders", "Arn"] }],
                        },
                    },
                },
            },
        });

        it("covers a template table whose plan copies to the template's logically air-gapped vault", async () => {
            const stack = cfnStack(
                template({ DestinationBackupVaultArn: { "Fn::GetAtt": ["LastResort", "BackupVaultArn"] } }),
            );
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([stack]), ISOLATED), []);
        });

        it("reports a template table whose plan copies to a vault of its own account only", async () => {
            const stack = cfnStack(
                template({ DestinationBackupVaultArn: { "Fn::GetAtt": ["Vault", "BackupVaultArn"] } }),
            );
            const messages = messagesOf(await pack.analyzeStack([stack]), ISOLATED);
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /orders-cfn|Orders/);
        });
    });

    describe("organization selections, mandatory", () => {
        before(async () => {
            await pack.configure({
                [ISOLATED]: {
                    enforcementLevel: "mandatory",
                    organizationIsolatedSelections: [
                        { tags: { environment: "production", backup: "organization" } },
                    ],
                },
            });
        });
        after(async () => {
            await pack.configure({});
        });

        it("covers a table carrying every tag of the organization's isolated selection", async () => {
            const tagged = {
                ...table(),
                properties: {
                    ...table().properties,
                    tags: { environment: "production", backup: "organization" },
                },
            };
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([tagged]), ISOLATED), []);
        });

        it("reports, as mandatory, a production table the selection does not select", async () => {
            const result = await pack.analyzeStack([table()]);
            assert.strictEqual(messagesOf(result, ISOLATED).length, 1);
            assert.deepStrictEqual(levelsOf(result, ISOLATED), ["mandatory"]);
        });
    });
});
