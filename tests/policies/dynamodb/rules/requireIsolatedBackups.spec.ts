/**
 * The pure decision of `dynamodb-production-table-backups-isolated` and the reading of plans behind it
 * (policies/dynamodb/backup/isolation.ts): which selections put a table's recovery points out of its
 * account's reach, and what the rule says otherwise.
 */
import { strict as assert } from "assert";
import { SelectionFacts, TableView } from "../../../../policies/dynamodb/backup/backupSelections";
import { planIsolation, templateIsolation } from "../../../../policies/dynamodb/backup/isolation";
import { decideIsolation } from "../../../../policies/dynamodb/rules/requireIsolatedBackups";

const view = (account?: string, tags: Record<string, string> = { environment: "production" }): TableView => ({
    urn: "urn:pulumi:dev::orders::aws:dynamodb/table:Table::orders",
    arn: { partition: "aws", region: "us-east-1", account, name: "orders" },
    tags: new Map(Object.entries(tags)),
});

const selection: SelectionFacts = {
    name: "orders-backup",
    targetUrns: [],
    resources: ["arn:aws:dynamodb:*:*:table/*"],
    tags: [],
    conditions: [],
    notResources: [],
    unknown: { picking: [], limiting: [] },
};
const config = { isolatedVaultArns: ["arn:aws:backup:us-east-1:999988887777:backup-vault:central"] };

describe("dynamodb-production-table-backups-isolated: decision", () => {
    it("is compliant through a selection whose plan reaches an air-gapped vault", () => {
        const isolation = {
            always: "its rules reach logically air-gapped vault `last-resort`",
            copyAccounts: [],
        };
        const d = decideIsolation(view("111122223333"), [{ selection, isolation }], []);
        assert.equal(d.outcome, "compliant");
    });

    it("counts a copy to another account only once the table's account is known", () => {
        const isolation = { copyAccounts: ["999988887777"] };
        assert.equal(
            decideIsolation(view("111122223333"), [{ selection, isolation }], []).outcome,
            "compliant",
        );
        assert.equal(
            decideIsolation(view("999988887777"), [{ selection, isolation }], []).outcome,
            "non-compliant",
        );
        const preview = decideIsolation(view(undefined), [{ selection, isolation }], []);
        assert.equal(preview.outcome, "unverifiable");
    });

    it("is compliant through the organization's isolated selection, by tag", () => {
        const org = [{ tags: { environment: "production" } }];
        assert.equal(decideIsolation(view("111122223333"), [], org).outcome, "compliant");
        const other = decideIsolation(
            view("111122223333", { environment: "production", team: "x" }),
            [],
            [{ tags: { team: "y" } }],
        );
        assert.equal(other.outcome, "non-compliant");
    });

    it("says how to fix a table with no copy out of reach", () => {
        const d = decideIsolation(view("111122223333"), [], []);
        assert.equal(d.outcome, "non-compliant");
        assert.match((d as { fix: string }).fix, /logically air-gapped vault .* `airGapped`/);
    });
});

describe("dynamodb-production-table-backups-isolated: reading plans", () => {
    it("reads a plan's air-gapped dependency, a listed vault, a direct air-gapped target and copy accounts", () => {
        const vaults = new Map([["urn:lag", "its rules reach logically air-gapped vault `lag`"]]);
        assert.match(
            planIsolation([], ["urn:lag"], vaults, { isolatedVaultArns: [] })!.always!,
            /air-gapped vault `lag`/,
        );
        const listed = [{ copyActions: [{ destinationVaultArn: config.isolatedVaultArns[0] }] }];
        assert.match(planIsolation(listed, [], new Map(), config)!.always!, /isolatedVaultArns/);
        const direct = [
            { targetLogicallyAirGappedBackupVaultArn: "arn:aws:backup:us-east-1:1:backup-vault:l" },
        ];
        assert.match(
            planIsolation(direct, [], new Map(), config)!.always!,
            /back up into logically air-gapped vault/,
        );
        const copy = [
            {
                copyActions: [
                    { destinationVaultArn: "arn:aws:backup:us-east-1:222233334444:backup-vault:v" },
                ],
            },
        ];
        assert.deepEqual(planIsolation(copy, [], new Map(), config), {
            always: undefined,
            copyAccounts: ["222233334444"],
        });
        assert.equal(planIsolation([{ targetVaultName: "own" }], [], new Map(), config), undefined);
    });

    it("reads a template's plan whose target vault is locked in compliance mode, and one that is not", () => {
        const template = (lock: object | undefined) =>
            JSON.stringify({
                Resources: {
                    Vault: {
                        Type: "AWS::Backup::BackupVault",
                        Properties: { BackupVaultName: "v", LockConfiguration: lock },
                    },
                    Plan: {
                        Type: "AWS::Backup::BackupPlan",
                        Properties: {
                            BackupPlan: {
                                BackupPlanRule: [{ RuleName: "r", TargetBackupVault: { Ref: "Vault" } }],
                            },
                        },
                    },
                    Selection: {
                        Type: "AWS::Backup::BackupSelection",
                        Properties: { BackupPlanId: { Ref: "Plan" } },
                    },
                },
            });
        const locked = templateIsolation(
            "legacy",
            template({ MinRetentionDays: 7, ChangeableForDays: 3 }),
            config,
        );
        assert.deepEqual(
            [...locked.keys()],
            ["AWS::Backup::BackupSelection `Selection` in CloudFormation stack `legacy`"],
        );
        assert.equal(
            templateIsolation("legacy", template({ MinRetentionDays: 7 }), config).size,
            0,
            "governance",
        );
    });
});
