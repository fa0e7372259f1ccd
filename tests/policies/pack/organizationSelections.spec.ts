/**
 * `organizationBackupSelections` through the analyzer gRPC protocol, as the CLI runs the pack: a
 * production table that an AWS Organizations backup policy selects by tag is covered; one it does not
 * select is still reported, with the selections it was compared with; PITR is never covered by it.
 */
import * as assert from "assert";
import { PolicyPackClient, UNKNOWN } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import { awsProvider, awsTable, dynamodbTag, untaggedTable } from "../../support/dynamodbResources";
import { BACKUP, PITR, messagesOf } from "./diagnostics";

describe("organizationBackupSelections over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;
    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
    });

    it("declares the knob in the backup rule's config schema, with a default", async () => {
        const info = await pack.getAnalyzerInfo();
        const knob = info.policies.find((p) => p.name === BACKUP)?.configSchema?.properties
            ?.organizationBackupSelections as { type: string; default: unknown } | undefined;
        assert.deepStrictEqual([knob?.type, knob?.default], ["array", []]);
    });

    describe("without configuration", () => {
        before(async () => {
            await pack.configure({});
        });
        it("reports a production table in no backup plan", async () => {
            const result = await pack.analyzeStack([awsTable()]);
            assert.strictEqual(messagesOf(result, BACKUP).length, 1);
            assert.match(messagesOf(result, BACKUP)[0], /is not selected by any AWS Backup plan/);
            assert.doesNotMatch(messagesOf(result, BACKUP)[0], /organization/);
        });
    });

    describe("with the organization's selections", () => {
        before(async () => {
            await pack.configure({
                [BACKUP]: {
                    organizationBackupSelections: [
                        { tags: { environment: "production", backup: "organization" } },
                        { tags: { team: "payments" } },
                    ],
                },
            });
        });

        it("covers a production table carrying every tag of one selection", async () => {
            const table = awsTable({ tags: { environment: "production", backup: "organization" } });
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([table]), BACKUP), []);
        });

        it("counts the provider's default tags and aws.dynamodb.Tag resources", async () => {
            const viaProvider = {
                ...awsTable({ tags: { environment: "production" } }),
                provider: awsProvider({ team: "payments" }),
            };
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([viaProvider]), BACKUP), []);
            const t = untaggedTable("orders", { tags: { environment: "production" } });
            const tag = dynamodbTag(
                "orders-backup",
                { resourceArn: UNKNOWN, key: "backup", value: "organization" },
                { resourceArn: [t.urn] },
            );
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([t, tag]), BACKUP), []);
        });

        // Struct (the wire format of policy config) sorts keys, so the pack sees the tags alphabetically.
        it("still reports a production table it does not select, naming the selections it was compared with", async () => {
            const table = awsTable({ tags: { environment: "production", team: "checkout" } });
            const result = await pack.analyzeStack([table]);
            assert.deepStrictEqual(messagesOf(result, BACKUP), [
                "Production table `orders` (aws:dynamodb/table:Table) is not selected by any AWS Backup plan; add it to a " +
                    "backup plan with an aws.backup.Selection whose `resources` include the table's ARN, or that selects its " +
                    "tags, or use ResilientTable, which creates one, or give it every tag of one of the organization backup " +
                    "policy's selections (policy config `organizationBackupSelections`: {backup=organization, " +
                    "environment=production}, {team=payments}; it was compared with each, and its tags are " +
                    '{environment=production, team=checkout}). It is production because tag `tags.environment` is "production".',
            ]);
            assert.deepStrictEqual(
                result.diagnostics.filter((d) => d.policyName === BACKUP).map((d) => d.enforcementLevel),
                ["mandatory"],
            );
        });

        it("never covers PITR: a selected table without PITR is still reported by the PITR rule", async () => {
            const table = awsTable({
                tags: { environment: "production", team: "payments" },
                pointInTimeRecovery: { enabled: false },
            });
            assert.deepStrictEqual(messagesOf(await pack.analyzeStack([table]), BACKUP), []);
            assert.strictEqual(messagesOf(await pack.analyze(table), PITR).length, 1);
        });
    });
});
