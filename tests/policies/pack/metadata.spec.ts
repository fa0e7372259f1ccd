/**
 * The pack's metadata as Pulumi Cloud and the CLI receive it, over the analyzer gRPC protocol:
 * GetAnalyzerInfo carries the pack's description, display name, README, provider, tags and
 * repository, and each policy's severity, framework control, remediation steps, URL and tags, all
 * from policies/dynamodb/engine/metadata.ts; diagnostics carry their policy's severity; a policy
 * that does not apply to a resource says so (`notApplicable`) with its reason.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackClient } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import { awsTable, resource } from "../../support/dynamodbResources";
import { PACK_METADATA, POLICY_METADATA } from "../../../policies/dynamodb/engine/metadata";
import { BACKUP, CMK, DELETION, PERIOD, PITR, RESTORE } from "./diagnostics";

describe("policy pack metadata over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
        await pack.configure({});
    });
    after(async () => {
        await pack?.close();
    });

    it("describes the pack: description, display name, README, provider, tags and repository", async () => {
        const info = await pack.getAnalyzerInfo();
        assert.strictEqual(info.displayName, PACK_METADATA.displayName);
        assert.strictEqual(info.description, PACK_METADATA.description);
        assert.strictEqual(info.provider, "aws");
        assert.deepStrictEqual(info.tags, [...PACK_METADATA.tags]);
        assert.match(info.repository ?? "", /^https:\/\//);
        for (const name of Object.keys(POLICY_METADATA)) {
            assert.ok(info.readme?.includes(`\`${name}\``), `the README lists ${name}`);
        }
    });

    it("gives every policy a severity, a framework control, remediation steps, a URL and tags", async () => {
        const info = await pack.getAnalyzerInfo();
        assert.deepStrictEqual(
            info.policies.map((p) => p.name).sort(),
            Object.keys(POLICY_METADATA).sort(),
            "one metadata entry per policy, none left over",
        );
        for (const p of info.policies) {
            const m = POLICY_METADATA[p.name];
            assert.strictEqual(p.displayName, m.displayName, p.name);
            assert.strictEqual(p.severity, m.severity, p.name);
            assert.deepStrictEqual(p.framework, { ...m.framework }, p.name);
            assert.strictEqual(p.remediationSteps, m.remediationSteps, p.name);
            assert.strictEqual(p.url, m.url, p.name);
            assert.deepStrictEqual(p.tags, m.tags, p.name);
            assert.match(p.url ?? "", /^https:\/\/docs\.aws\.amazon\.com\//, `${p.name} links AWS's page`);
            assert.ok((p.remediationSteps ?? "").length > 40, `${p.name} says how to fix it`);
        }
    });

    it("maps the rules to AWS Security Hub's DynamoDB controls where one exists", async () => {
        const info = await pack.getAnalyzerInfo();
        const control = (name: string) => {
            const f = info.policies.find((p) => p.name === name)?.framework;
            return f && `${f.name} ${f.reference}: ${f.specification}`;
        };
        const fsbp = "AWS Foundational Security Best Practices";
        assert.strictEqual(
            control(PITR),
            `${fsbp} DynamoDB.2: DynamoDB tables should have point-in-time recovery enabled`,
        );
        assert.strictEqual(
            control(BACKUP),
            `${fsbp} DynamoDB.4: DynamoDB tables should be present in a backup plan`,
        );
        assert.strictEqual(
            control(DELETION),
            `${fsbp} DynamoDB.6: DynamoDB tables should have deletion protection enabled`,
        );
        assert.match(control(CMK) ?? "", /CT\.DYNAMODB\.PR\.2/);
    });

    it("sends each diagnostic with its policy's severity", async () => {
        const result = await pack.analyze(
            awsTable({ pointInTimeRecovery: { enabled: false }, deletionProtectionEnabled: false }),
        );
        const severity = (policy: string) =>
            result.diagnostics.find((d) => d.policyName === policy)?.severity;
        assert.strictEqual(severity(PITR), "high");
        assert.strictEqual(severity(DELETION), "medium");
    });

    it("says that no table policy applies to a resource that declares no table, and why", async () => {
        const bucket = resource("aws:s3/bucket:Bucket", "assets", { bucket: "assets" });
        const result = await pack.analyze(bucket);
        assert.deepStrictEqual(result.diagnostics, []);
        assert.deepStrictEqual(
            result.notApplicable.map((n) => n.policyName).sort(),
            [CMK, DELETION, PERIOD, PITR, RESTORE].sort(),
        );
        for (const n of result.notApplicable) {
            assert.strictEqual(n.reason, "`aws:s3/bucket:Bucket` declares no DynamoDB table");
        }
    });

    it("says the backup-plan rule does not apply to a stack without a table", async () => {
        const bucket = resource("aws:s3/bucket:Bucket", "assets", { bucket: "assets" });
        const result = await pack.analyzeStack([bucket]);
        assert.deepStrictEqual(result.diagnostics, []);
        assert.deepStrictEqual(
            result.notApplicable.find((n) => n.policyName === BACKUP),
            { policyName: BACKUP, reason: "the stack declares no DynamoDB table" },
        );
    });

    it("says the restore window does not apply to a table that is not restored, and keeps quiet on rules it passes", async () => {
        const result = await pack.analyze(awsTable());
        assert.deepStrictEqual(result.diagnostics, []);
        assert.deepStrictEqual(result.notApplicable, [
            {
                policyName: RESTORE,
                reason: "table `orders` (aws:dynamodb/table:Table): the table is not restored to a point in time",
            },
        ]);
    });
});

describe("docs/policies.md", () => {
    it("lists every policy with the severity, control and tags the pack declares", () => {
        const doc = fs.readFileSync(path.resolve(__dirname, "../../../docs/policies.md"), "utf8");
        for (const [name, m] of Object.entries(POLICY_METADATA)) {
            const row = `| \`${name}\` | ${m.severity} | [${m.framework.reference}](${m.url}): ${m.framework.specification} | ${m.tags.map((t) => `\`${t}\``).join(" ")} |`;
            assert.ok(doc.includes(row), `docs/policies.md has the row\n${row}`);
        }
    });
});
