import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { Secret, UNKNOWN } from "../../../cli/analyzer";
import { runCheck } from "../../../cli/check";
import { convertStack, parseStackExport, parseUrn, StateError, tableCensus } from "../../../cli/state";
import { censusRows } from "../../../cli/state/census";
import { cfnStack, legacyGlobalTable, samTemplate, tableIn } from "../../support/dynamodbResources";

const root = path.resolve(__dirname, "../../..");
const states = path.join(root, "tests/fixtures/states");
const fixture = (name: string) => path.join(states, name);
const rel = (file: string) => path.relative(process.cwd(), file);
/** An export cut off half way, as an interrupted download leaves it (kept out of the repository, which is formatted JSON). */
const truncatedText = () => {
    const text = fs.readFileSync(fixture("shop-prod.json"), "utf8");
    return text.slice(0, text.length / 2);
};
/** The fixtures folder plus a truncated export, in a temporary folder. */
function statesFolder(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "states-"));
    for (const f of fs.readdirSync(states)) fs.copyFileSync(fixture(f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, "truncated.json"), truncatedText());
    return dir;
}
const load = (name: string) => parseStackExport(fs.readFileSync(fixture(name), "utf8"), fixture(name));

async function check(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const sink = (write: (c: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const code = await runCheck(argv, {
        stdout: sink((c) => (stdout += c)),
        stderr: sink((c) => (stderr += c)),
    } as any);
    return { code, stdout, stderr };
}

function tempFile(name: string, content: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "state-")), name);
    fs.writeFileSync(file, content);
    return file;
}

describe("check --state: parsing and converting stack exports", () => {
    it("reads the stack and project from the URNs", () => {
        const exported = load("shop-prod.json");
        assert.equal(exported.stack, "prod");
        assert.equal(exported.project, "shop");
        assert.equal(exported.resources.length, 11);
        assert.deepEqual(parseUrn("urn:pulumi:prod::shop::a$aws:dynamodb/table:Table::odd::name"), {
            stack: "prod",
            project: "shop",
            type: "aws:dynamodb/table:Table",
            name: "odd::name",
        });
    });

    it("uses outputs for custom resources and inputs for components", () => {
        const { resources } = convertStack(load("shop-prod.json"));
        const table = resources.find((r) => r.type === "aws:dynamodb/table:Table")!;
        assert.equal(table.name, "orders");
        assert.equal(table.properties.arn, "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders");
        assert.equal(table.options?.protect, true);
        assert.equal("restoreDateTime" in table.properties, false, "null outputs read as unset");
        const selection = resources.find((r) => r.type === "aws:backup/selection:Selection")!;
        assert.deepEqual(selection.propertyDependencies?.resources, [table.urn]);
    });

    it("resolves an explicit provider reference to the provider's inputs (default tags)", () => {
        const { resources } = convertStack(load("payments-live.json"));
        const table = resources.find((r) => r.name === "ledger")!;
        assert.equal(table.provider?.urn, "urn:pulumi:live::payments::pulumi:providers:aws::prod-provider");
        assert.match(String(table.provider?.properties.defaultTags), /"environment":"production"/);
    });

    it("opens plaintext secrets and treats encrypted ones as unknown, naming the property", () => {
        const shown = convertStack(load("inventory-secrets-shown.json"));
        const tags = shown.resources.find((r) => r.name === "stock")!.properties.tags;
        assert.ok(tags instanceof Secret);
        assert.deepEqual(tags.value, { environment: "production" });
        assert.deepEqual(shown.warnings, []);

        const hidden = convertStack(load("inventory-secrets-encrypted.json"));
        assert.equal(hidden.resources.find((r) => r.name === "stock")!.properties.tags, UNKNOWN);
        assert.deepEqual(hidden.warnings, [
            "`stock` (aws:dynamodb/table:Table) has `tags` encrypted; it is checked as unknown (export with `--show-secrets` to read it)",
            "`stock` (aws:dynamodb/table:Table) has `tagsAll` encrypted; it is checked as unknown (export with `--show-secrets` to read it)",
        ]);
    });

    it("does not warn about encrypted values the pack never reads", () => {
        assert.deepEqual(convertStack(load("shop-prod.json")).warnings, []);
    });

    it("counts production tables and those without PITR with the pack's own decisions", () => {
        assert.deepEqual(tableCensus(convertStack(load("shop-prod.json")).resources, undefined), {
            tables: 1,
            production: 1,
            productionWithoutPitr: 0,
            productionWithoutBackups: 0,
            cannotVerify: 0,
        });
        assert.deepEqual(tableCensus(convertStack(load("payments-live.json")).resources, undefined), {
            tables: 1,
            production: 1,
            productionWithoutPitr: 1,
            productionWithoutBackups: 1,
            cannotVerify: 0,
        });
        assert.deepEqual(
            tableCensus(convertStack(load("inventory-secrets-encrypted.json")).resources, undefined),
            {
                tables: 1,
                production: 0,
                productionWithoutPitr: 0,
                productionWithoutBackups: 0,
                cannotVerify: 1,
            },
        );
    });

    it("counts a production SAM SimpleTable without PITR, and a legacy global table's member, as the pack judges them", () => {
        assert.deepEqual(tableCensus([cfnStack(samTemplate())]), {
            tables: 1,
            production: 1,
            productionWithoutPitr: 1,
            productionWithoutBackups: 1,
            cannotVerify: 0,
        });
        const rows = censusRows(
            [
                tableIn("us-east-1", "orders", { tags: { environment: "production" } }),
                tableIn("us-west-2", "orders"),
                legacyGlobalTable("orders", ["us-east-1", "us-west-2"]),
            ],
            {},
        );
        assert.deepEqual(
            rows.map((r) => [r.subject, r.production, r.pitr]),
            [
                ["table `orders-us-east-1` (aws:dynamodb/table:Table)", true, "disabled"],
                ["table `orders-us-west-2` (aws:dynamodb/table:Table)", true, "disabled"],
            ],
        );
    });

    describe("rejects what is not a version 3 stack export, saying what is wrong", () => {
        const rejects = (name: string, expected: RegExp) =>
            assert.throws(
                () =>
                    parseStackExport(
                        name === "truncated.json" ? truncatedText() : fs.readFileSync(fixture(name), "utf8"),
                        name,
                    ),
                (e: Error) => e instanceof StateError && expected.test(e.message),
            );
        it("truncated JSON", () => rejects("truncated.json", /^truncated JSON \(/));
        it("a foreign JSON file", () =>
            rejects(
                "foreign.json",
                /^not a Pulumi stack export \(expected an object with `version` and `deployment`/,
            ));
        it("another version", () =>
            rejects(
                "version4.json",
                /^stack export version 4 is not supported; only version 3 \(Pulumi 3.x\) is read$/,
            ));
        it("a resource without a URN", () =>
            assert.throws(
                () =>
                    parseStackExport(
                        JSON.stringify({ version: 3, deployment: { resources: [{ type: "x" }] } }),
                        "f",
                    ),
                /`deployment.resources\[0\]` has no `urn` and `type`/,
            ));
    });
});

describe("check --state: the pack over gRPC on existing stacks", function () {
    this.timeout(120_000);

    it("passes the compliant stack (ResilientTable with a backup selection)", async () => {
        const { code, stdout, stderr } = await check("--state", fixture("shop-prod.json"));
        assert.equal(stderr.trim(), "");
        assert.match(
            stdout,
            /Checking .*shop-prod.json \(project shop, stack prod\): 11 resources in the state/,
        );
        assert.match(stdout, /= aws:dynamodb\/table:Table\s+orders\s+name Orders · PITR 35 days/);
        // Its backups stay in one account: the isolated-backups rule advises, nothing else is reported.
        assert.match(stdout, /advisory {2}dynamodb-production-table-backups-isolated/);
        assert.doesNotMatch(stdout, /mandatory {2}dynamodb-/);
        assert.match(
            stdout,
            /1 stack\(s\) checked; 1 production table\(s\) of 1; 0 production table\(s\) without PITR\./,
        );
        assert.equal(code, 0);
    });

    it("fails a bare table with PITR off, production through the explicit provider's default tags", async () => {
        // Without `tagsAll` (an export written before the provider filled it), only the provider says production.
        const json = JSON.parse(fs.readFileSync(fixture("payments-live.json"), "utf8"));
        for (const r of json.deployment.resources) delete r.outputs?.tagsAll;
        const file = tempFile("payments-live.json", JSON.stringify(json));
        const { code, stdout } = await check("--state", file);
        assert.equal(code, 1);
        assert.match(
            stdout,
            /Production table `ledger` \(aws:dynamodb\/table:Table\) has `pointInTimeRecovery.enabled` set to false; set it to true/,
        );
        assert.match(stdout, /provider defaultTags\.tags\.environment` is "production"/);
        assert.match(stdout, /is not selected by any AWS Backup plan/);
        assert.match(stdout, /payments\/live\s+FAILED \(\d+ mandatory\)\s+exit 1/);
    });

    it("reads a --show-secrets export and reports an encrypted production tag as unverifiable", async () => {
        const shown = await check("--state", fixture("inventory-secrets-shown.json"));
        assert.equal(shown.code, 1);
        assert.match(shown.stdout, /Production table `stock` .* `pointInTimeRecovery.enabled` set to false/);

        const hidden = await check("--state", fixture("inventory-secrets-encrypted.json"));
        assert.equal(hidden.code, 0, hidden.stdout);
        assert.match(
            hidden.stderr,
            /^warning: .*inventory-secrets-encrypted.json: `stock` \(aws:dynamodb\/table:Table\) has `tags` encrypted; it is checked as unknown/m,
        );
        assert.match(
            hidden.stdout,
            /advisory {2}dynamodb-production-table-pitr-enabled\n\s+Cannot verify point-in-time recovery on table `stock`/,
        );
    });

    it("checks a folder with one pack and one summary; bad files get one line each", async () => {
        const dir = statesFolder();
        const { code, stdout, stderr } = await check("--state", dir);
        assert.equal(code, 1);
        const errors = stderr.split("\n").filter((l) => l.startsWith("error:"));
        assert.deepEqual(errors, [
            `error: ${rel(path.join(dir, "foreign.json"))}: not a Pulumi stack export (expected an object with \`version\` and \`deployment\`, as \`pulumi stack export\` writes)`,
            `error: ${rel(path.join(dir, "truncated.json"))}: ${errors[1].split(": ").slice(2).join(": ")}`,
            `error: ${rel(path.join(dir, "version4.json"))}: stack export version 4 is not supported; only version 3 (Pulumi 3.x) is read`,
        ]);
        assert.match(
            errors[1],
            /: truncated JSON \(.*\); export the stack again with `pulumi stack export --file <file>`$/,
        );
        assert.match(
            stdout,
            /4 stack\(s\) checked, 3 file\(s\) could not be read; 3 production table\(s\) of 4; 2 production table\(s\) without PITR\./,
        );
        assert.match(stdout, /shop\/prod\s+PASSED\s+exit 0/);
        assert.match(stdout, /inventory\/encrypted\s+PASSED\s+exit 0/);
        assert.match(stdout, /\(not checked\)\s+ERROR\s+exit 2\s+.*truncated.json/);
    });

    it("prints JSON with --json and writes one SARIF run per stack", async () => {
        const sarif = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "state-")), "states.sarif");
        const { code, stdout } = await check(
            "--state",
            fixture("shop-prod.json"),
            "--state",
            fixture("payments-live.json"),
            "--json",
            "--sarif",
            sarif,
        );
        assert.equal(code, 1);
        const result = JSON.parse(stdout);
        assert.deepEqual(result.summary, {
            stacksChecked: 2,
            filesFailed: 0,
            tables: 2,
            productionTables: 2,
            productionTablesWithoutPitr: 1,
            mandatory: result.stacks[1].summary.mandatory,
            advisory: result.summary.advisory,
            stacksContradicted: 0,
        });
        assert.deepEqual(
            result.stacks.map((s: any) => [s.project, s.stack, s.exitCode]),
            [
                ["shop", "prod", 0],
                ["payments", "live", 1],
            ],
        );
        const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
        assert.equal(log.runs.length, 2);
        assert.equal(
            log.runs[1].results[0].locations[0].physicalLocation.artifactLocation.uri,
            rel(fixture("payments-live.json")),
        );
    });

    it("exits 2 when no file could be checked", async () => {
        const { code, stderr } = await check("--state", fixture("foreign.json"), "--state", "no/such.json");
        assert.equal(code, 2);
        assert.match(stderr, /^error: no\/such.json: no such file or folder$/m);
        assert.match(stderr, /^error: no stack export could be checked$/m);
    });

    it("does not take a program together with --state", async () => {
        const { code, stderr } = await check("examples/orders", "--state", fixture("shop-prod.json"));
        assert.equal(code, 2);
        assert.match(stderr, /--state checks stack exports; a program cannot be given with it/);
    });
});
