/**
 * `--format text|json|sarif|markdown|html` and `--output <file>` for every kind of check: a program
 * (with file and line), stack exports (`--state`) and a backend (`--backend`); SARIF valid against
 * the 2.1.0 schema, with severity, help links and fingerprints that stay the same from run to run;
 * an option that does not apply to the kind of check is an error naming it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { runCheck } from "../../../cli/check";
import { POLICY_METADATA, SECURITY_SEVERITY } from "../../../policies/dynamodb/engine/metadata";
import { writeDiyBackend } from "../../support/diyBackend";

const root = path.resolve(__dirname, "../../..");
const program = path.join(root, "tests/fixtures/programs/component-lines");
const entry = path.join(program, "index.ts");
const state = path.join(root, "tests/fixtures/states/payments-live.json");
const PITR = "dynamodb-production-table-pitr-enabled";

async function check(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const sink = (add: (c: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (add(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const code = await runCheck(argv, {
        stdout: sink((c) => (stdout += c)),
        stderr: sink((c) => (stderr += c)),
    });
    return { code, stdout, stderr };
}

const validateSarif = (() => {
    const schema = JSON.parse(
        fs.readFileSync(path.join(root, "tests/fixtures/sarif-schema-2.1.0.json"), "utf8"),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(schema);
})();

/** A SARIF log: valid, and every rule and result carries what code scanning ranks and de-duplicates by. */
function assertGoodSarif(text: string): any {
    const log = JSON.parse(text);
    const valid: boolean = validateSarif(log);
    assert.ok(valid, JSON.stringify(validateSarif.errors, null, 2));
    const runs = log.runs as any[];
    assert.ok(
        runs.some((r) => r.results.length > 0),
        "some results",
    );
    for (const run of runs) {
        for (const rule of run.tool.driver.rules) {
            const m = POLICY_METADATA[rule.id];
            assert.ok(m, `rule ${rule.id} is a policy of the pack`);
            assert.equal(rule.helpUri, m.url);
            assert.equal(rule.properties["security-severity"], SECURITY_SEVERITY[m.severity]);
            assert.ok(rule.help.text.includes(m.remediationSteps), `${rule.id} help says how to fix it`);
        }
        for (const result of run.results) {
            assert.match(result.partialFingerprints["dynamodbPitrFinding/v1"], /^[0-9a-f]{64}$/);
        }
    }
    return log;
}

const fingerprints = (log: any): string[] =>
    log.runs.flatMap((r: any) => r.results.map((x: any) => x.partialFingerprints["dynamodbPitrFinding/v1"]));

function lineOf(file: string, text: string): number {
    return (
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .findIndex((l) => l.includes(text)) + 1
    );
}

describe("check --format and --output, for every kind of check", function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "formats-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("a program", () => {
        it("--format json: each violation names the file, line and column that declared its resource, and the policies carry their metadata", async () => {
            const { code, stdout } = await check(program, "--format", "json");
            assert.equal(code, 1);
            const result = JSON.parse(stdout);
            const bare = result.violations.filter((v: any) => v.urn.endsWith("::bare"));
            assert.ok(bare.length >= 3, "the bare table has several violations");
            const uri = path.relative(process.cwd(), entry).split(path.sep).join("/");
            for (const v of bare) {
                assert.deepEqual(
                    [v.file, v.line, v.column],
                    [uri, lineOf(entry, 'new aws.dynamodb.Table("bare"'), 1],
                );
            }
            assert.equal(bare.find((v: any) => v.policyName === PITR).severity, "high");
            const pitr = result.policies.find((p: any) => p.name === PITR);
            assert.equal(pitr.framework.reference, "DynamoDB.2");
            assert.equal(pitr.url, POLICY_METADATA[PITR].url);
        });

        it("--format sarif --output: a valid SARIF log in the file, nothing on standard output, the same fingerprints in every run", async () => {
            const file = path.join(dir, "program.sarif");
            const first = await check(program, "--format", "sarif", "--output", file);
            assert.equal(first.code, 1);
            assert.equal(first.stdout, "");
            const log = assertGoodSarif(fs.readFileSync(file, "utf8"));
            const again = await check(program, "--format", "sarif");
            assert.deepEqual(fingerprints(JSON.parse(again.stdout)), fingerprints(log));
            assert.equal(
                new Set(fingerprints(log)).size,
                fingerprints(log).length,
                "one fingerprint per finding",
            );
        });

        it("--format markdown and --format html: the tables, why they are production, the findings; code as code", async () => {
            const md = await check(program, "--format", "markdown");
            assert.equal(md.code, 1);
            assert.match(md.stdout, /\| Table \| Why production \| PITR \| Backups \| Finding and fix \|/);
            assert.match(md.stdout, /table `bare`/);
            const file = path.join(dir, "program.html");
            const html = await check(program, "--format", "html", "--output", file);
            assert.equal(html.code, 1);
            const page = fs.readFileSync(file, "utf8");
            assert.match(page, /^<!doctype html>/);
            assert.match(page, /<code>pointInTimeRecovery\.enabled<\/code>/);
            assert.doesNotMatch(page.replace(/<script>[\s\S]*<\/script>/, ""), /`/, "no literal backticks");
        });

        it("--format text --output writes the report to the file", async () => {
            const file = path.join(dir, "program.txt");
            const { code, stdout } = await check(program, "--output", file);
            assert.equal(code, 1);
            assert.equal(stdout, "");
            assert.match(fs.readFileSync(file, "utf8"), /^FAILED: \d+ mandatory violation/m);
        });
    });

    describe("--state", () => {
        it("--format json, sarif, markdown and html", async () => {
            const json = await check("--state", state, "--format", "json");
            assert.equal(json.code, 1);
            assert.ok(JSON.parse(json.stdout).stacks[0].violations.length > 0);
            const sarif = await check("--state", state, "--format", "sarif");
            assertGoodSarif(sarif.stdout);
            const md = await check("--state", state, "--format", "markdown");
            assert.match(md.stdout, /^## DynamoDB PITR fleet report/);
            assert.match(md.stdout, /### ❌ payments\/live/);
            const html = await check("--state", state, "--format", "html");
            assert.match(html.stdout, /<h2>payments\/live<span class="badge failed">/);
        });
    });

    describe("--backend", () => {
        it("--format sarif carries severity, help links and fingerprints", async () => {
            const exported = JSON.parse(fs.readFileSync(state, "utf8"));
            const backend = writeDiyBackend([{ project: "payments", stack: "live", export: exported }], {
                root: fs.mkdtempSync(path.join(dir, "diy-")),
            });
            const { code, stdout } = await check("--backend", `file://${backend}`, "--format", "sarif");
            assert.equal(code, 1);
            assertGoodSarif(stdout);
        });
    });

    describe("an option that does not apply is an error, never ignored", () => {
        const cases: Array<[string, string[], RegExp]> = [
            [
                "--timeout with --state",
                ["--state", state, "--timeout", "30"],
                /^error: --timeout 30 applies to a program check only, not to --state; leave it out$/m,
            ],
            [
                "--stack-filter with a program",
                [program, "--stack-filter", "prod"],
                /^error: --stack-filter prod applies to --backend only, not to a program check; leave it out$/m,
            ],
            [
                "--stack with --state",
                ["--state", state, "--stack", "prod"],
                /^error: --stack prod applies to a program check only/m,
            ],
            [
                "--json with another --format",
                [program, "--json", "--format", "sarif"],
                /^error: --json asks for --format json, but --format is sarif; give one of them/m,
            ],
            [
                "an unknown --format",
                ["--state", state, "--format", "xml"],
                /^error: --format xml: expected one of text, json, sarif, markdown, html/m,
            ],
            [
                "an --output in no folder",
                ["--state", state, "--output", "/no/such/folder/report.txt"],
                /^error: --output \/no\/such\/folder\/report\.txt: cannot write the report there \(ENOENT\)/m,
            ],
        ];
        for (const [what, argv, message] of cases) {
            it(what, async () => {
                const { code, stdout, stderr } = await check(...argv);
                assert.equal(code, 2, stderr);
                assert.match(stderr, message);
                assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
                assert.equal(stdout, "");
            });
        }
    });
});
