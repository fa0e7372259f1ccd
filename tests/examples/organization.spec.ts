// examples/organization: the management stack's policy and a member stack agree on every name, and
// the member stack passes the policy pack once the pack knows the organization's selection.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import { runCheck } from "../../cli/check";
import { runUnderMocks } from "../../cli/program/mockRuntime";
import { only } from "../support/resources";

const EXAMPLE = path.resolve(__dirname, "../../examples/organization");

async function runExample(stack: "management" | "member") {
    const modulePath = require.resolve(path.join(EXAMPLE, stack, "index.ts"));
    for (const cached of Object.keys(require.cache)) {
        if (cached.includes(`${path.sep}organization${path.sep}`)) delete require.cache[cached];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return runUnderMocks(() => require(modulePath), {
        project: `organization-${stack}`,
        stack: "prod",
        config: { "aws:region": stack === "member" ? "eu-west-1" : "us-east-1" },
    });
}

async function check(...args: string[]) {
    let stdout = "";
    const sink = (write: (c: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const code = await runCheck(["--json", ...args], {
        stdout: sink((c) => (stdout += c)),
        stderr: sink(() => undefined),
    } as never);
    return {
        code,
        violations: (JSON.parse(stdout) as { violations: Array<{ policyName: string; message: string }> })
            .violations,
    };
}

describe("examples/organization", function () {
    this.timeout(180_000);

    it("the member stack creates the vault and role the management stack's policy names, and the pack config matches the policy's", async () => {
        const management = await runExample("management");
        const content = JSON.parse(
            only(management.resources, "aws:organizations/policy:Policy").inputs.content as string,
        );
        const plan = content.plans["dynamodb-tables"];
        const member = await runExample("member");
        const vault = only(member.resources, "aws:backup/vault:Vault");
        const role = only(member.resources, "aws:iam/role:Role");
        assert.equal(plan.rules.Daily.target_backup_vault_name["@@assign"], vault.inputs.name);
        assert.equal(
            plan.selections.resources.dynamodb_tables.iam_role_arn["@@assign"],
            `arn:aws:iam::$account:role/${role.inputs.name}`,
        );
        const table = only(member.resources, "aws:dynamodb/table:Table");
        const condition = plan.selections.resources.dynamodb_tables.conditions.string_equals.tag_1;
        const key = (condition.condition_key["@@assign"] as string).replace("aws:ResourceTag/", "");
        assert.equal(
            (table.inputs.tags as Record<string, string>)[key],
            condition.condition_value["@@assign"],
        );
        const file = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "member", "policy-config.json"), "utf8"));
        assert.deepEqual(
            file,
            management.outputs.packConfig,
            "member/policy-config.json is the policy's packConfig",
        );
    });

    it("passes `check` for both stacks, the member with the organization's pack config, and not without it", async () => {
        assert.deepEqual(await check(path.join(EXAMPLE, "management")), { code: 0, violations: [] });
        const member = path.join(EXAMPLE, "member");
        // The example's policy copies nowhere outside the member accounts: only the isolated-backups advisory.
        const configured = await check(member, "--policy-config", path.join(member, "policy-config.json"));
        assert.equal(configured.code, 0);
        assert.deepEqual(
            [...new Set(configured.violations.map((v) => v.policyName))],
            ["dynamodb-production-table-backups-isolated"],
        );
        const without = await check(member);
        assert.equal(without.code, 1);
        assert.deepEqual(
            without.violations
                .map((v) => v.policyName)
                .filter((n) => n !== "dynamodb-production-table-backups-isolated"),
            ["dynamodb-production-table-in-backup-plan"],
        );
    });
});
