import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { runCheck } from "../../../cli/check";

const root = path.resolve(__dirname, "../../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/programs", name);

/** Runs the check in this process and captures what it prints. */
async function check(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const io = {
        stdout: Object.assign(
            new Writable({
                write: (c: Buffer, _e: string, cb: () => void) => ((stdout += c), cb()),
            }),
            { isTTY: false },
        ),
        stderr: Object.assign(
            new Writable({
                write: (c: Buffer, _e: string, cb: () => void) => ((stderr += c), cb()),
            }),
            { isTTY: false },
        ),
    };
    const code = await runCheck(argv, io as any);
    return { code, stdout, stderr };
}

describe("check (offline preview + policy pack over gRPC)", function () {
    this.timeout(120_000);

    it("passes the Orders example with no violations, and shows its protected table", async () => {
        const { code, stdout, stderr } = await check(path.join(root, "examples/orders"));
        assert.equal(stderr.trim(), "");
        assert.match(
            stdout,
            /aws:dynamodb\/table:Table\s+orders\s+name Orders · PITR 35 days · deletion protection · KMS customer-managed key/,
        );
        // Its backups stay in one account: the isolated-backups rule advises, nothing else is reported.
        assert.match(stdout, /advisory {2}dynamodb-production-table-backups-isolated/);
        assert.doesNotMatch(stdout, /mandatory {2}dynamodb-/);
        assert.match(stdout, /^PASSED; 1 advisory/m);
        assert.equal(code, 0);
    });

    it("checks examples/orders when given no program, and says how to check examples/violations", async () => {
        const { code, stdout } = await check();
        assert.equal(code, 0);
        assert.match(stdout, /^Previewing examples\/orders\/index.ts/);
        assert.match(stdout, /Check a stack the pack rejects with `npm start -- examples\/violations`/);
    });

    it("passes the platform golden template, whose tables a tag-selected shared plan protects", async () => {
        const { code, stdout } = await check(path.join(root, "examples/platform-golden-template"));
        assert.match(stdout, /aws:backup\/selection:Selection\s+checkout-backup-tagged/);
        // Its backups stay in one account: the isolated-backups rule advises, nothing else is reported.
        assert.doesNotMatch(stdout, /mandatory {2}dynamodb-/);
        assert.match(stdout, /^PASSED/m);
        assert.equal(code, 0);
    });

    it("fails the violations example, naming every table declared without PITR", async () => {
        const { code, stdout } = await check(path.join(root, "examples/violations"));
        assert.equal(code, 1);
        for (const expected of [
            /Production table `payments` \(aws:dynamodb\/table:Table\) has `pointInTimeRecovery.enabled` unset/,
            /Production replica `eu-west-1` of table `sessions` .* `replicas\[0\].pointInTimeRecovery` set to false/,
            /Production table `Invoices` in CloudFormation stack `legacy`/,
            /Production table `carts` \(aws-native:dynamodb:Table\)/,
            /recoveryPeriodInDays` set to 7 days, below the required minimum of 35 days/,
        ]) {
            assert.match(stdout, expected);
        }
        assert.match(stdout, /^FAILED: \d+ mandatory violation/m);
    });

    it("reads the stack's config file: provider default tags make a bare table production", async () => {
        const dev = await check(fixture("prod-stack"));
        assert.equal(dev.code, 0, dev.stdout);
        const prod = await check(fixture("prod-stack"), "--stack", "prod");
        assert.equal(prod.code, 1);
        assert.match(prod.stdout, /Production table `ledger` .* `pointInTimeRecovery.enabled` unset/);
        assert.match(prod.stdout, /provider defaultTags\.tags\.environment` is "prod"/);
    });

    it("prints JSON with --json and writes SARIF with --sarif", async () => {
        const sarifFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-")), "report.sarif");
        const { code, stdout } = await check(
            path.join(root, "examples/violations"),
            "--json",
            "--sarif",
            sarifFile,
        );
        assert.equal(code, 1);
        const result = JSON.parse(stdout);
        assert.equal(result.project, "violations");
        assert.ok(result.summary.mandatory > 0);
        assert.equal(
            result.violations.filter((v: any) => v.enforcementLevel === "mandatory").length,
            result.summary.mandatory,
        );
        const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
        assert.equal(sarif.version, "2.1.0");
        assert.equal(sarif.runs[0].results.length, result.violations.length);
        assert.ok(
            sarif.runs[0].tool.driver.rules.some(
                (r: any) => r.id === "dynamodb-production-table-pitr-enabled",
            ),
        );
        assert.equal(
            sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
            "examples/violations/index.ts",
        );
    });

    it('`{"all": "advisory"}` makes every policy advisory: the violations example passes with advisories', async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-")), "config.json");
        fs.writeFileSync(file, JSON.stringify({ all: "advisory" }));
        const { code, stdout } = await check(path.join(root, "examples/violations"), "--policy-config", file);
        assert.equal(code, 0);
        assert.match(stdout, /^PASSED; [1-9]\d* advisory/m);
    });

    it("turns PITR on through the remediate enforcement level instead of failing", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(
            config,
            JSON.stringify({ "dynamodb-production-table-pitr-enabled": { enforcementLevel: "remediate" } }),
        );
        const { stdout } = await check(fixture("prod-stack"), "--stack", "prod", "--policy-config", config);
        assert.match(stdout, /remediated {2}dynamodb-production-table-pitr-enabled {2}ledger/);
        assert.doesNotMatch(stdout, /`ledger` .* `pointInTimeRecovery.enabled` unset/);
    });

    describe("bad input: one line, exit code 2", () => {
        async function fails(args: string[], expected: RegExp) {
            const { code, stderr, stdout } = await check(...args);
            assert.equal(code, 2, stdout);
            assert.match(stderr.trim(), expected);
            assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace without --verbose");
            return stderr;
        }

        it("a program that does not exist", () =>
            fails(["examples/nope"], /^error: examples\/nope: no such program \(file or folder\)$/));
        it("a program that does not parse", () =>
            fails(
                [fixture("syntax-error")],
                /^error: tests\/fixtures\/programs\/syntax-error\/index.ts does not compile: /,
            ));
        it("a program that throws", () =>
            fails(
                [fixture("throws")],
                /^error: tests\/fixtures\/programs\/throws\/index.ts failed: the database password is not set \(run with --verbose for details\)$/,
            ));
        it("a component that rejects its arguments names the field and the fix", () =>
            fails(
                [fixture("bad-table")],
                /failed: ResilientTable "orders" has an invalid argument:.*recoveryPeriodInDays` is 40; it must be a whole number of days from 1 to 35/s,
            ));
        it("a policy pack folder without PulumiPolicy.yaml", () =>
            fails(
                [fixture("prod-stack"), "--policy-pack", os.tmpdir()],
                /^error: --policy-pack .*: no PulumiPolicy.yaml in this folder; give the policy pack's folder$/,
            ));
        it("a policy pack that fails to start names its folder, within seconds", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
            fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
            fs.writeFileSync(path.join(dir, "index.js"), "throw new Error('the pack is broken');\n");
            const started = Date.now();
            await fails(
                [fixture("prod-stack"), "--policy-pack", dir],
                /^error: policy pack .*pack-\w+ failed to start: /,
            );
            assert.ok(Date.now() - started < 20000);
        });
        it("a policy pack given as its PulumiPolicy.yaml starts", async () => {
            const { code, stdout } = await check(
                fixture("prod-stack"),
                "--policy-pack",
                path.join(root, "policies/PulumiPolicy.yaml"),
            );
            assert.equal(code, 0);
            assert.match(stdout, /Policies \(dynamodb-pitr@[\d.]+\): no violations/);
        });
        it("a policy pack path that does not exist", () =>
            fails(
                [fixture("prod-stack"), "--policy-pack", "no/such/pack"],
                /^error: --policy-pack no\/such\/pack: no such file or folder$/,
            ));
        it("an unknown option prints the usage", async () => {
            const stderr = await fails(["--bogus"], /^error: Unknown option '--bogus'/);
            assert.match(stderr, /\nusage: dynamodb-pitr check \[program\]/);
        });
        it("a policy config file that is not JSON quotes a short escaped excerpt", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-")), "config.json");
            fs.writeFileSync(file, "all: advisory\nfoo: \u0007bar\n".repeat(5));
            const stderr = await fails(
                [fixture("prod-stack"), "--policy-config", file],
                /is not JSON .*it starts "all: advisory\\nfoo: \\u0007bar/,
            );
            assert.equal(stderr.trim().split("\n").length, 1);
        });
        it("a policy config that misspells a policy names the closest", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-")), "config.json");
            fs.writeFileSync(file, JSON.stringify({ "dynamodb-production-table-pitr-enable": "advisory" }));
            await fails(
                [fixture("prod-stack"), "--policy-config", file],
                /"dynamodb-production-table-pitr-enable" is not a policy of dynamodb-pitr \(did you mean "dynamodb-production-table-pitr-enabled"\?\)/,
            );
        });
        it("a malformed flag", () =>
            fails(
                [fixture("prod-stack"), "--config", "novalue"],
                /^error: --config novalue: expected key=value$/,
            ));
        it("shows the stack trace with --verbose", async () => {
            const { stderr } = await check(fixture("throws"), "--verbose");
            assert.match(stderr, /\n\s+at /);
        });
    });

    it("as a command: type errors fail like `pulumi preview` would, exit code 2", async () => {
        const bin = path.join(root, "bin/cli/main.js");
        const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
            execFile(
                process.execPath,
                [bin, "check", fixture("type-error")],
                { cwd: root },
                (err, _out, stderr) => resolve({ code: (err as any)?.code ?? 0, stderr }),
            ),
        );
        assert.equal(result.code, 2);
        assert.match(
            result.stderr.trim(),
            /^error: tests\/fixtures\/programs\/type-error\/index.ts does not compile: .*TS2322/,
        );
    });
});
