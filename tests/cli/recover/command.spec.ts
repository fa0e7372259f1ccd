// runRecover: flags, output, the JSON report, and every refusal (one line, exit 1, nothing written).
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { runRecover } from "../../../cli/recover/command";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import { buildScenario, LOST, ordersTable, snapshot, uniquePrefix, VICTIM, type Scenario } from "./scenario";

interface Captured {
    code: number;
    stdout: string;
    stderr: string;
}

const CREDENTIAL_ENV = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
];

describe("recover command", () => {
    let local: LocalDynamo;
    let client: DynamoDBClient;
    let dir: string;
    const savedEnv: Record<string, string | undefined> = {};

    before(async () => {
        local = await startDynalite();
        client = local.client();
        dir = mkdtempSync(join(tmpdir(), "recover-cli-"));
        for (const name of [
            ...CREDENTIAL_ENV,
            "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_CONFIG_FILE",
            "AWS_EC2_METADATA_DISABLED",
        ]) {
            savedEnv[name] = process.env[name];
        }
        // Keep the developer's own AWS configuration out of the tests.
        process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "no-credentials");
        process.env.AWS_CONFIG_FILE = join(dir, "no-config");
        process.env.AWS_EC2_METADATA_DISABLED = "true";
    });
    after(async () => {
        for (const [name, value] of Object.entries(savedEnv)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
        client.destroy();
        await local.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    let prefix: string;
    let scenario: Scenario;
    beforeEach(async () => {
        for (const name of CREDENTIAL_ENV) delete process.env[name];
        process.env.AWS_ACCESS_KEY_ID = local.credentials.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = local.credentials.secretAccessKey;
        prefix = uniquePrefix();
        scenario = await buildScenario(client, prefix);
    });

    async function run(args: string[], isTTY = false, progressEveryMs?: number): Promise<Captured> {
        let stdout = "";
        let stderr = "";
        const io = {
            stdout: { write: (t: string) => (stdout += t) },
            stderr: { write: (t: string) => (stderr += t) },
            isTTY,
            progressEveryMs,
        };
        const code = await runRecover(args, io);
        return { code, stdout, stderr };
    }
    const tables = () => ["--from", `${prefix}Orders_Restore`, "--into", `${prefix}Orders`];
    const connection = () => ["--endpoint", local.endpoint, "--region", local.region];
    const report = () => join(dir, `${prefix}report.json`);
    const live = () => snapshot(client, `${prefix}Orders`);

    it("dry-runs by default, prints a summary and writes the JSON report", async () => {
        const before = await live();
        const out = await run([
            ...tables(),
            "--where",
            `customerId=${VICTIM}`,
            ...connection(),
            "--report",
            report(),
        ]);
        assert.equal(out.code, 0, out.stderr);
        assert.deepEqual(await live(), before);
        assert.match(out.stdout, /^Dry run: /);
        assert.match(out.stdout, new RegExp(`missing from live: ${LOST}\\s`));
        assert.match(
            out.stdout,
            new RegExp(`would write: ${LOST} \\(nothing written; add --apply to write\\)`),
        );
        assert.equal(out.stderr, "", "no progress lines when not on a terminal");
        const json = JSON.parse(readFileSync(report(), "utf8"));
        assert.equal(json.apply, false);
        assert.equal(json.counts.missing, LOST);
        assert.deepEqual(json.filter, { where: [`customerId=${VICTIM}`] });
    });

    it("applies, and a second apply writes nothing", async () => {
        const args = [
            ...tables(),
            "--partition-key-values",
            VICTIM,
            "--apply",
            "--rate-limit-wcu",
            "50",
            ...connection(),
            "--report",
            report(),
        ];
        const first = await run(args);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, new RegExp(`written: ${LOST}\\s`));
        assert.deepEqual(await live(), scenario.expectedAfter);
        const second = await run(args);
        assert.match(second.stdout, /written: 0\s/);
        assert.deepEqual(await live(), scenario.expectedAfter);
    });

    it("prints figures that add up, in the dry run and with --apply alike", async () => {
        const figures = (stdout: string) => {
            const selected = /restored table: (\d+) item\(s\) selected; live table: (\d+)/.exec(stdout);
            const kinds =
                /missing from live: (\d+)\s+differing: (\d+)\s+identical: (\d+)\s+only in live: (\d+)/.exec(
                    stdout,
                );
            assert.ok(selected && kinds, stdout);
            const [restored, live, missing, differing, identical, onlyInLive] = [
                ...selected.slice(1),
                ...kinds.slice(1),
            ].map(Number);
            return { restored, live, missing, differing, identical, onlyInLive };
        };
        const args = [...tables(), ...connection(), "--report", report()];
        const dry = await run(args);
        assert.equal(dry.code, 0, dry.stderr);
        const wet = await run([...args, "--apply"]);
        assert.equal(wet.code, 0, wet.stderr);
        for (const [out, f] of [
            [dry.stdout, figures(dry.stdout)],
            [wet.stdout, figures(wet.stdout)],
        ] as const) {
            assert.equal(f.restored, f.missing + f.differing + f.identical, out);
            assert.equal(f.live, f.identical + f.differing + f.onlyInLive, out);
        }
        assert.deepEqual(
            figures(wet.stdout),
            figures(dry.stdout),
            "--apply counts the tables as the dry run does",
        );
        const d = figures(dry.stdout);
        assert.ok(d.missing > 0 && d.differing > 0 && d.identical > 0 && d.onlyInLive > 0, dry.stdout);
        assert.match(dry.stdout, new RegExp(`would write: ${d.missing} `));
        const written = /written: (\d+)\s+skipped \(live item appeared or changed meanwhile\): (\d+)/.exec(
            wet.stdout,
        );
        assert.ok(written, wet.stdout);
        assert.equal(Number(written[1]) + Number(written[2]), d.missing, wet.stdout);
    });

    it("checks table names and refuses --from equal to --into before looking for a Region or credentials", async () => {
        for (const name of CREDENTIAL_ENV) delete process.env[name];
        const refused = async (args: string[], message: RegExp) => {
            const out = await run([...args, "--apply", "--report", report()]);
            assert.equal(out.code, 1, out.stdout + out.stderr);
            assert.match(out.stderr, /^recover: refusing: /);
            assert.match(out.stderr, message);
            assert.doesNotMatch(out.stderr, /Region|credentials/);
            assert.equal(existsSync(report()), false);
        };
        await refused(["--from", "Orders", "--into", "Orders"], /`--from` and `--into` are both `Orders`/);
        await refused(
            ["--from", "Orders Restore", "--into", "Orders"],
            /`--from` is "Orders Restore" \(14 characters\); a table name is 3 to 255 characters of a-z, A-Z, 0-9/,
        );
        await refused(["--from", "Orders_Restore", "--into", "ab"], /`--into` is "ab" \(2 characters\)/);
        await refused(["--from", "x".repeat(256), "--into", "Orders"], /\(256 characters\)/);
    });

    it("draws progress on a terminal", async () => {
        const out = await run([...tables(), ...connection(), "--report", report()], true);
        assert.equal(out.code, 0);
        assert.match(out.stderr, /\r(restored|live): read \d+/);
    });

    it("prints plain progress lines, no carriage returns, when not on a terminal", async () => {
        const out = await run([...tables(), "--apply", ...connection(), "--report", report()], false, 0);
        assert.equal(out.code, 0, out.stderr);
        assert.ok(!out.stderr.includes("\r"));
        const lines = out.stderr.trimEnd().split("\n");
        assert.ok(lines.length >= 2, out.stderr);
        // dynalite reports an ItemCount of 0 (DynamoDB refreshes it about every six hours), so
        // there is no total, bar or time left here; progress.spec.ts covers those.
        for (const line of lines) assert.match(line, /^recover: (restored|live): read [\d,]+, /);
        assert.match(
            out.stderr,
            /restored: read [\d,]+, compared [\d,]+, written \d+, skipped 0, [\d,]+ items\/s\n/,
        );
        assert.match(out.stderr, /live: read [\d,]+, only in live 3, [\d,]+ items\/s\n/);
        assert.match(out.stdout, new RegExp(`written: ${LOST}\\s`), "the summary is unchanged");
    });

    it("skips the live pass with --skip-live-pass and lists items with --items-file", async () => {
        const items = join(dir, `${prefix}items.jsonl`);
        const out = await run([
            ...tables(),
            "--skip-live-pass",
            "--items-file",
            items,
            ...connection(),
            "--report",
            report(),
        ]);
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, /only in live: 0\s/);
        assert.match(out.stdout, new RegExp(`items: ${items.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
        const json = JSON.parse(readFileSync(report(), "utf8"));
        assert.equal(json.plan.live, undefined, "the live table was not read");
        const found = readFileSync(items, "utf8")
            .trimEnd()
            .split("\n")
            .map((l) => JSON.parse(l).found);
        assert.equal(found.filter((f) => f === "missing").length, LOST);
        assert.equal(found.filter((f) => f === "only in live").length, 0);
    });

    it("passes changed mode and its compare attribute through", async () => {
        const out = await run([
            ...tables(),
            "--mode",
            "changed",
            "--compare-attribute",
            "updatedAt",
            ...connection(),
            "--report",
            report(),
        ]);
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, /changed, live is newer: 1\s/);
    });

    describe("refuses, in one line, with exit code 1 and nothing written", () => {
        async function refuses(args: string[], message: RegExp): Promise<void> {
            const before = await live();
            const out = await run([...args, "--apply", "--report", report()]);
            assert.equal(out.code, 1, out.stdout + out.stderr);
            assert.equal(out.stderr.trimEnd().split("\n").length, 1, out.stderr);
            assert.match(out.stderr, /^recover: refusing: /);
            assert.match(out.stderr, message);
            assert.equal(out.stdout, "");
            assert.equal(existsSync(report()), false);
            assert.deepEqual(await live(), before);
        }

        it("the same table for --from and --into", () =>
            refuses(
                ["--from", `${prefix}Orders`, "--into", `${prefix}Orders`, ...connection()],
                /`--from` and `--into` are both `t\d+_Orders`/,
            ));

        it("a restored table that does not exist", () =>
            refuses(
                ["--from", `${prefix}Orders_Typo`, "--into", `${prefix}Orders`, ...connection()],
                /Table `t\d+_Orders_Typo` \(`--from`\) does not exist/,
            ));

        it("a live table that does not exist", () =>
            refuses(
                ["--from", `${prefix}Orders_Restore`, "--into", `${prefix}Nope`, ...connection()],
                /Table `t\d+_Nope` \(`--into`\) does not exist/,
            ));

        it("key schemas that differ", async () => {
            await client.send(
                new CreateTableCommand({
                    TableName: `${prefix}Other`,
                    BillingMode: "PAY_PER_REQUEST",
                    AttributeDefinitions: [{ AttributeName: "orderId", AttributeType: "S" }],
                    KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
                }),
            );
            await refuses(
                ["--from", `${prefix}Other`, "--into", `${prefix}Orders`, ...connection()],
                /Key schemas differ: `t\d+_Other` has orderId \(S\), `t\d+_Orders` has customerId \(S\) \+ orderId \(S\)/,
            );
        });

        it("a key of another type", async () => {
            await client.send(
                new CreateTableCommand(
                    ordersTable(`${prefix}Numeric`, {
                        AttributeDefinitions: [
                            { AttributeName: "customerId", AttributeType: "S" },
                            { AttributeName: "orderId", AttributeType: "N" },
                        ],
                    }),
                ),
            );
            await refuses(
                ["--from", `${prefix}Numeric`, "--into", `${prefix}Orders`, ...connection()],
                /Key schemas differ/,
            );
        });

        it("no region", () =>
            refuses([...tables(), "--endpoint", local.endpoint], /No AWS region is set; pass `--region`/));

        it("no credentials", () => {
            delete process.env.AWS_ACCESS_KEY_ID;
            delete process.env.AWS_SECRET_ACCESS_KEY;
            return refuses([...tables(), ...connection()], /No AWS credentials were found/);
        });

        it("changed mode without a compare attribute", () =>
            refuses(
                [...tables(), "--mode", "changed", ...connection()],
                /`--mode changed` needs `--compare-attribute <attr>`/,
            ));

        it("an index the table does not have", () =>
            refuses(
                [...tables(), "--index", "byCustomer", "--where", "customerId=C-07", ...connection()],
                /`--index` is byCustomer; table `t\d+_Orders_Restore` has no such index/,
            ));

        it("a checkpoint written by another run", async () => {
            const checkpoint = join(dir, `${prefix}checkpoint.json`);
            const first = await run([
                ...tables(),
                ...connection(),
                "--checkpoint",
                checkpoint,
                "--report",
                join(dir, `${prefix}dry.json`),
            ]);
            assert.equal(first.code, 0);
            const saved = JSON.parse(readFileSync(checkpoint, "utf8"));
            writeFileSync(checkpoint, JSON.stringify({ ...saved, complete: false }));
            await refuses(
                [...tables(), ...connection(), "--checkpoint", checkpoint],
                /Checkpoint .* belongs to a different run/,
            );
        });

        it("a keys file that lacks a key attribute", async () => {
            const keys = join(dir, `${prefix}keys.json`);
            writeFileSync(keys, JSON.stringify([{ customerId: VICTIM }]));
            await refuses(
                [...tables(), "--keys-file", keys, ...connection()],
                /`--keys-file` .*: entry 0 has no `orderId`/,
            );
        });
    });

    it("rejects unknown flags and bad numbers with usage, exit code 2", async () => {
        const unknown = await run([...tables(), "--force"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /^recover: Unknown option '--force'/);
        const missing = await run(["--into", "Orders"]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /`--from` is required/);
        const bad = await run([...tables(), "--segments", "0", "--rate-limit-wcu", "x"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /`--rate-limit-wcu` is x; it must be a whole number of at least 1\./);
        assert.match(bad.stderr, /`--segments` is 0/);
        const where = await run([...tables(), "--where", "customerId"]);
        assert.match(where.stderr, /`--where` is "customerId"; it must read attribute=value/);
    });

    describe("refuses, before any network call, every flag combination the usage calls invalid", () => {
        // A port nothing listens on: a command that reached the network would fail with ECONNREFUSED.
        const nowhere = ["--endpoint", "http://127.0.0.1:9", "--region", "eu-west-1"];
        const cases: Array<[string, string[], RegExp]> = [
            [
                "--index without --where",
                ["--index", "byCustomer"],
                /^recover: `--index byCustomer` needs `--where <its partition key>=<value>` to Query it; add one/,
            ],
            [
                "--index with --partition-key-values",
                ["--index", "byCustomer", "--where", "customerId=C-1", "--partition-key-values", "C-1"],
                /`--partition-key-values` and `--index` both choose how to Query; give one of them\./,
            ],
            [
                "--keys-file with another filter",
                ["--keys-file", "keys.json", "--key-prefix", "2024-"],
                /`--keys-file` names exact keys; it cannot be combined with `--key-prefix`/,
            ],
            [
                "--partition-key-values with no value",
                ["--partition-key-values", ","],
                /`--partition-key-values` is ","; give at least one value/,
            ],
            [
                "--claims-table without --workers",
                ["--claims-table", "RecoverClaims"],
                /`--claims-table` is given without `--workers`; it keeps the claims of worker mode/,
            ],
            [
                "--claims-table that is no table name",
                ["--claims-table", "x", "--workers", "2", "--worker", "0", "--state", "s3://state-bucket/r/"],
                /`--claims-table` is "x"; a DynamoDB table name is 3 to 255/,
            ],
            [
                "--compare-attribute without --mode changed",
                ["--compare-attribute", "version"],
                /`--compare-attribute` is version, but `--mode` is missing; it is read only by `--mode changed`/,
            ],
        ];
        for (const [what, flags, message] of cases) {
            it(what, async () => {
                const out = await run([...tables(), ...flags, ...nowhere]);
                assert.equal(out.code, 2, out.stderr);
                assert.match(out.stderr, message);
                assert.doesNotMatch(out.stderr, /ECONNREFUSED|failed/);
                assert.equal(out.stdout, "");
            });
        }
    });

    it("prints usage for --help", async () => {
        const out = await run(["--help"]);
        assert.equal(out.code, 0);
        assert.match(out.stdout, /^Usage: dynamodb-pitr recover --from/);
    });
});
