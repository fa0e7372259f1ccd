import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import { runCheck } from "../../../cli/check";
import { usd } from "../../../cli/cost/money";
import { PRICES } from "../../../cli/cost/prices";
import type { CostReport } from "../../../cli/cost/types";

const root = path.resolve(__dirname, "../../..");
const orders = path.join(root, "examples/orders");

/** Runs `check` in this process; what it printed on each stream, and its exit code. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const [out, err] = [new PassThrough(), new PassThrough()];
    const chunks = { stdout: "", stderr: "" };
    out.on("data", (c) => (chunks.stdout += c));
    err.on("data", (c) => (chunks.stderr += c));
    const code = await runCheck(argv, { stdout: out, stderr: err });
    return { code, ...chunks };
}

describe("check: what the stack's protection costs", function () {
    this.timeout(120_000);

    it("prints the cost for the assumed table size, and --json and SARIF carry the same figures", async () => {
        const sarifFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cost-")), "check.sarif");
        const text = await run(orders, "--table-size-gb", "20");
        const json = await run(orders, "--table-size-gb", "20", "--json", "--sarif", sarifFile);
        assert.equal(text.code, 0, text.stderr);
        assert.equal(json.code, 0, json.stderr);

        const cost: CostReport = JSON.parse(json.stdout).cost;
        const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
        assert.equal(sarif.version, "2.1.0");
        assert.deepEqual(sarif.runs[0].properties.cost, cost);

        assert.equal(cost.assumptions.tableSizeGb, 20);
        const [table] = cost.tables;
        assert.equal(table.tableName, "Orders");
        assert.equal(table.pitrMonthly, 20 * PRICES.pitrGbMonth.usd);
        const points = table.backups.reduce((n, b) => n + b.warmRecoveryPoints, 0);
        assert.ok(
            Math.abs(table.backupMonthly - points * 20 * PRICES.backupWarmGbMonth.usd) <= 0.02,
            `${table.backupMonthly} for ${points} warm recovery points`,
        );
        assert.equal(
            cost.totals.monthly,
            Math.round((cost.totals.pitr + cost.totals.backups + cost.totals.fixed) * 100) / 100,
        );

        assert.match(
            text.stdout,
            /Protection cost, a month \(estimate; us-east-1 prices as of \d{4}-\d{2}; 20 GB a table/,
        );
        assert.ok(
            text.stdout.includes(
                `orders  PITR ${usd(table.pitrMonthly)}  backups ${usd(table.backupMonthly)}`,
            ),
            text.stdout,
        );
        assert.ok(text.stdout.includes(`total ${usd(cost.totals.monthly)} a month`), text.stdout);
        const keys = cost.fixed.filter((f) => f.kind === "kms-key");
        assert.ok(
            text.stdout.includes(
                `${keys.length} KMS key${keys.length === 1 ? "" : "s"} ${usd(keys.reduce((n, k) => n + k.monthly, 0))}`,
            ),
        );
    });

    it("rejects a table size that is not one before running the program, naming the flag, the value and the fix", async () => {
        for (const bad of ["ten", "0", "-5", "2000000"]) {
            // `--flag=value`: a value starting with `-` is otherwise read as another flag.
            const { code, stdout, stderr } = await run("examples/does-not-exist", `--table-size-gb=${bad}`);
            assert.equal(code, 2, stdout);
            assert.equal(
                stderr.trim(),
                `error: --table-size-gb is "${bad}"; it must be a number of GB greater than 0 and at most 1,000,000. ` +
                    "Fix: give the size you expect a table to reach, e.g. --table-size-gb 25 (default 10).",
            );
        }
    });

    it("refuses --table-size-gb with --state, which estimates no cost", async () => {
        const { code, stderr } = await run("--state", "tests/fixtures/states", "--table-size-gb", "10");
        assert.equal(code, 2);
        assert.equal(
            stderr.trim(),
            "error: --table-size-gb sizes a program's cost estimate; --state gives none, leave it out",
        );
    });

    it("shows a table of an organization member stack as backed up by the organization's policy, given its pack config", async () => {
        const member = path.join(root, "examples/organization/member");
        const config = path.join(member, "policy-config.json");
        const [text, json] = [
            await run(member, "--policy-config", config),
            await run(member, "--policy-config", config, "--json"),
        ];
        assert.equal(text.code, 0, text.stdout);
        const cost: CostReport = JSON.parse(json.stdout).cost;
        assert.deepEqual(
            cost.tables.map((t) => [t.name, t.organizationBackupPolicy]),
            cost.tables.map((t) => [t.name, true]),
        );
        assert.match(text.stdout, /backups by the organization's policy \(not costed\)/);
        assert.doesNotMatch(text.stdout, /no backup plan/);
    });

    it("points the price footnote at a file that exists from where check runs", async () => {
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "cost-cwd-"));
        const cwd = process.cwd();
        process.chdir(elsewhere);
        let stdout: string;
        try {
            ({ stdout } = await run(orders, "--transpile-only"));
        } finally {
            process.chdir(cwd);
        }
        const doc = /Prices, Regions and what is left out: (.+)\.$/m.exec(stdout)?.[1];
        assert.ok(doc, stdout);
        assert.ok(fs.existsSync(path.resolve(elsewhere, doc)), `${doc} from ${elsewhere}`);
        assert.equal(
            fs.realpathSync(path.resolve(elsewhere, doc)),
            fs.realpathSync(path.join(root, "docs", "cost.md")),
        );
    });
});
