import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import * as zlib from "zlib";
import { runCheck } from "../../../cli/check";
import { readExportText } from "../../../cli/state";
import { writeDiyBackend } from "../../support/diyBackend";
import { startFakeCloud } from "../../support/fakePulumiCloud";
import { objectsOf, startFakeS3 } from "../../support/fakeS3";

const states = path.resolve(__dirname, "../../fixtures/states");
const exportOf = (name: string) => JSON.parse(fs.readFileSync(path.join(states, name), "utf8"));

async function check(argv: string[], env: Record<string, string | undefined> = {}) {
    let stdout = "";
    let stderr = "";
    const sink = (write: (c: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const saved: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(env)) {
        saved[k] = process.env[k];
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    try {
        const code = await runCheck(argv, {
            stdout: sink((c) => (stdout += c)),
            stderr: sink((c) => (stderr += c)),
        } as never);
        return { code, stdout, stderr };
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

/** A port nothing listens on. */
async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

/** A stack named `main` with one untagged table, PITR off: production only through a stack tag. */
function untaggedStack(stack = "main") {
    const urn = (t: string, n: string) => `urn:pulumi:${stack}::plain::${t}::${n}`;
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.200.0" },
            resources: [
                {
                    urn: urn("pulumi:pulumi:Stack", `plain-${stack}`),
                    custom: false,
                    type: "pulumi:pulumi:Stack",
                },
                {
                    urn: urn("aws:dynamodb/table:Table", "notes"),
                    custom: true,
                    id: "notes",
                    type: "aws:dynamodb/table:Table",
                    inputs: { name: "notes" },
                    outputs: {
                        name: "notes",
                        arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/notes",
                        hashKey: "pk",
                        pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: 0 },
                        deletionProtectionEnabled: true,
                    },
                },
            ],
        },
    };
}

/** A fleet: two passing stacks, one failing, one with an encrypted secret, one of another version, one corrupt. */
function fleet() {
    const root = writeDiyBackend([
        { project: "shop", stack: "prod", export: exportOf("shop-prod.json"), compression: "gz" },
        { project: "payments", stack: "live", export: exportOf("payments-live.json"), compression: "zst" },
        { project: "inventory", stack: "encrypted", export: exportOf("inventory-secrets-encrypted.json") },
        { project: "old", stack: "v4", export: exportOf("version4.json") },
        { project: "plain", stack: "main", export: untaggedStack(), tags: { environment: "production" } },
    ]);
    // A checkpoint cut off half way.
    const broken = path.join(root, ".pulumi", "stacks", "broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(
        path.join(broken, "dev.json.gz"),
        zlib.gzipSync(Buffer.from('{"version":3,"checkpoint":{"latest":{"resour')),
    );
    return root;
}

describe("check --backend: the fleet report", function () {
    this.timeout(60_000);

    it("checks every stack: one line per unreadable stack, the rest reported, exit 1 when a stack fails", async () => {
        const root = fleet();
        const { code, stdout, stderr } = await check(["--backend", `file://${root}`]);
        assert.equal(code, 1, stderr);
        const errors = stderr.split("\n").filter((l) => l.startsWith("error:"));
        assert.equal(errors.length, 2, stderr);
        assert.match(errors[0], /^error: stack broken\/dev \(.*broken\/dev\.json\.gz\): truncated JSON/);
        assert.match(
            errors[1],
            /^error: stack old\/v4 \(.*old\/v4\.json\): stack export version 4 is not supported/,
        );
        assert.match(
            stderr,
            /^warning: stack inventory\/encrypted: `stock` \(aws:dynamodb\/table:Table\) has `tags` encrypted/m,
        );
        assert.match(
            stdout,
            /Totals: 6 stack\(s\) \(2 could not be read\), 2 failed; 4 table\(s\), 3 production, 2 without PITR, 2 without backups, 1 cannot verify\./,
        );
        assert.match(stdout, /^payments\/live\s+FAILED \(3 mandatory\)/m);
        // Production only through the stack's tags file.
        assert.match(stdout, /^plain\/main\s+FAILED/m);
        assert.match(
            stdout,
            /table `notes` \(aws:dynamodb\/table:Table\): production \(stack tag `environment` is "production"\); PITR disabled/,
        );
        assert.match(stdout, /^shop\/prod\s+PASSED/m);
        assert.match(stdout, /^old\/v4\s+NOT READ/m);
        assert.doesNotMatch(stdout + stderr, /\n\s+at /);
    });

    it("exits 2 when a stack could not be read and none failed, 0 when all passed", async () => {
        const root = writeDiyBackend([
            { project: "shop", stack: "prod", export: exportOf("shop-prod.json") },
            { project: "shop", stack: "dev", export: "not json" },
        ]);
        const bad = await check(["--backend", root]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^error: stack shop\/dev \(.*\): not JSON/m);
        const good = await check(["--backend", root, "--stack-filter", "prod"]);
        assert.equal(good.code, 0, good.stderr);
        assert.equal(good.stderr, "");
        const none = await check(["--backend", root, "--project", "payments"]);
        assert.equal(none.code, 2);
        assert.match(none.stderr, /^error: backend .*: no stacks \(2 listed, none matches the filter\)\n$/);
    });

    it("exits 2 with one line when the backend cannot be read at all", async () => {
        const missing = await check(["--backend", "file:///no/such/backend"]);
        assert.equal(missing.code, 2);
        assert.equal(
            missing.stderr,
            "error: backend file:///no/such/backend: no such folder (/no/such/backend)\n",
        );
        const unset = await check(["--backend"], { PULUMI_BACKEND_URL: undefined });
        assert.equal(unset.code, 2);
        assert.match(unset.stderr, /^\r?error: --backend: no URL given and PULUMI_BACKEND_URL is not set/);
        const format = await check(["--backend", "/tmp", "--format", "pdf"]);
        assert.equal(
            format.stderr,
            "\rerror: --format pdf: expected one of text, json, sarif, markdown, html\n",
        );
    });

    it("writes json, markdown, sarif and one self-contained HTML file", async () => {
        const root = fleet();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-"));
        const json = await check(["--backend", root, "--format", "json"]);
        const result = JSON.parse(json.stdout);
        assert.equal(result.summary.stacks, 6);
        assert.equal(result.summary.productionTablesWithoutPitr, 2);
        assert.equal(result.policyPack.path, "in-process");
        const ledger = result.stacks.find((s: { name: string }) => s.name === "payments/live").tables[0];
        assert.equal(ledger.production, true);
        assert.equal(ledger.inBackupPlan, false);

        const md = await check(["--backend", root, "--format", "markdown"]);
        assert.match(md.stdout, /\| 6 \| 2 \| 2 \| 4 \| 3 \| 2 \| 2 \| 1 \|/);
        assert.match(md.stdout, /### ❌ payments\/live/);
        assert.match(
            md.stdout,
            /\| table `ledger` \(aws:dynamodb\/table:Table\) \| tag `tagsAll.environment` is "production" \| disabled \| \*\*no\*\* \|/,
        );

        const html = path.join(dir, "fleet.html");
        const sarif = path.join(dir, "fleet.sarif");
        const out = await check(["--backend", root, "--format", "html", "--output", html, "--sarif", sarif]);
        assert.equal(out.code, 1);
        assert.equal(out.stdout, "");
        const page = fs.readFileSync(html, "utf8");
        assert.match(page, /^<!doctype html>/);
        assert.doesNotMatch(page, /<script src|<link |https?:\/\/(?!api\.pulumi)[^\s"]*\.(js|css)/);
        assert.match(page, /<b>3<\/b>production tables/);
        assert.match(page, /<b>2<\/b>without PITR/);
        assert.match(page, /id="filter"/);
        assert.match(page, /yes: tag <code>tagsAll.environment<\/code> is &quot;production&quot;/);
        const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
        assert.equal(log.version, "2.1.0");
        assert.equal(log.runs.length, 4);
    });

    it("reads the same layout from S3, one line for a denied object, exit 2 for a denied bucket", async () => {
        const root = writeDiyBackend([
            { project: "shop", stack: "prod", export: exportOf("shop-prod.json"), compression: "gz" },
            {
                project: "payments",
                stack: "live",
                export: exportOf("payments-live.json"),
                tags: { team: "pay" },
            },
            { project: "shop", stack: "dev", export: exportOf("shop-prod.json") },
            { project: "shop", stack: "qa", export: exportOf("shop-prod.json") },
        ]);
        const s3 = await startFakeS3({ state: objectsOf(root, "teams/a") }, 2);
        const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_PROFILE: undefined };
        const url = `s3://state/teams/a?region=eu-west-1&endpoint=${encodeURIComponent(s3.endpoint)}&s3ForcePathStyle=true`;
        try {
            const all = await check(["--backend", url, "--format", "json"], env);
            assert.equal(all.code, 1, all.stderr);
            const result = JSON.parse(all.stdout);
            assert.deepEqual(
                result.stacks.map((s: { name: string }) => s.name),
                ["payments/live", "shop/dev", "shop/prod", "shop/qa"],
            );
            assert.equal(result.stacks[0].tags.team, "pay");
            assert.equal(result.stacks[0].location, "s3://state/teams/a/.pulumi/stacks/payments/live.json");

            s3.denied.add("teams/a/.pulumi/stacks/shop/dev.json");
            const denied = await check(["--backend", url, "--stack-filter", "shop/*"], env);
            assert.equal(denied.code, 2);
            assert.equal(
                denied.stderr,
                "error: stack shop/dev (s3://state/teams/a/.pulumi/stacks/shop/dev.json): cannot be read (HTTP 403 AccessDenied: Access Denied)\n",
            );
            assert.match(denied.stdout, /^shop\/prod\s+PASSED/m);

            s3.deniedBuckets.add("state");
            const bucket = await check(["--backend", url], env);
            assert.equal(bucket.code, 2);
            assert.match(
                bucket.stderr,
                /^error: backend s3:\/\/state\/teams\/a\?.*: cannot list s3:\/\/state\/teams\/a\/\.pulumi\/stacks\/ \(HTTP 403 AccessDenied: Access Denied\)\n$/,
            );
            const missing = await check(["--backend", url.replace("s3://state", "s3://nobucket")], env);
            assert.equal(missing.code, 2);
            assert.match(missing.stderr, /NoSuchBucket/);
            assert.equal(missing.stderr.split("\n").length, 2);
        } finally {
            await s3.close();
        }
    });

    it("lists and exports the stacks of Pulumi Cloud page by page, with their tags", async () => {
        const cloud = await startFakeCloud("pul-abc", [
            { org: "acme", project: "shop", stack: "prod", deployment: exportOf("shop-prod.json") },
            { org: "acme", project: "payments", stack: "live", deployment: exportOf("payments-live.json") },
            {
                org: "acme",
                project: "plain",
                stack: "main",
                deployment: untaggedStack(),
                tags: { environment: "production" },
            },
            { org: "acme", project: "shop", stack: "dev", deployment: exportOf("shop-prod.json") },
            { org: "acme", project: "old", stack: "v4", deployment: exportOf("version4.json") },
        ]);
        try {
            const run = await check(["--backend", cloud.url, "--format", "json"], {
                PULUMI_ACCESS_TOKEN: "pul-abc",
            });
            assert.equal(run.code, 1, run.stderr);
            const result = JSON.parse(run.stdout);
            assert.deepEqual(
                result.stacks.map((s: { name: string }) => s.name),
                ["acme/shop/prod", "acme/payments/live", "acme/plain/main", "acme/shop/dev"],
            );
            assert.equal(result.stacks[2].exitCode, 1, "production through the service's stack tags");
            assert.match(
                run.stderr,
                /^error: stack acme\/old\/v4 \(http:\/\/127\.0\.0\.1:\d+\/api\/stacks\/acme\/old\/v4\): stack export version 4/m,
            );
            // Three pages of two.
            assert.equal(cloud.requests.filter((r) => r.startsWith("/api/user/stacks")).length, 3);

            cloud.denied.add("acme/shop/dev");
            const denied = await check(["--backend", cloud.url, "--project", "shop"], {
                PULUMI_ACCESS_TOKEN: "pul-abc",
            });
            assert.equal(denied.code, 2);
            assert.match(
                denied.stderr,
                /^error: stack acme\/shop\/dev \(.*\): http:\/\/127\.0\.0\.1:\d+\/api\/stacks\/acme\/shop\/dev\/export answered HTTP 403: Forbidden; the token's user or team lacks read access\n$/,
            );
            assert.ok(cloud.requests.some((r) => r.includes("project=shop")));

            const noToken = await check(["--backend", cloud.url], { PULUMI_ACCESS_TOKEN: undefined });
            assert.equal(noToken.code, 2);
            assert.match(
                noToken.stderr,
                /^error: backend http:\/\/127\.0\.0\.1:\d+: .*PULUMI_ACCESS_TOKEN is not set; create a token/,
            );
            const badToken = await check(["--backend", cloud.url], { PULUMI_ACCESS_TOKEN: "wrong" });
            assert.equal(badToken.code, 2);
            assert.match(
                badToken.stderr,
                /answered HTTP 401: Unauthorized.*; PULUMI_ACCESS_TOKEN is missing, expired or revoked\n$/,
            );
            const closed = await freePort();
            const nowhere = await check(["--backend", `http://127.0.0.1:${closed}`], {
                PULUMI_ACCESS_TOKEN: "x",
            });
            assert.equal(nowhere.code, 2);
            assert.equal(
                nowhere.stderr,
                `error: backend http://127.0.0.1:${closed}: cannot reach http://127.0.0.1:${closed}/api/user/stacks (ECONNREFUSED)\n`,
            );
        } finally {
            await cloud.close();
        }
    });

    it("checks with another --policy-pack over gRPC and gives the same verdicts", async () => {
        const root = fleet();
        const packDir = path.resolve(__dirname, "../../../policies");
        const fast = JSON.parse((await check(["--backend", root, "--format", "json"])).stdout);
        const slow = JSON.parse(
            (await check(["--backend", root, "--format", "json", "--policy-pack", packDir])).stdout,
        );
        assert.equal(slow.policyPack.path, "grpc");
        assert.deepEqual(
            slow.stacks.map((s: { violations: unknown }) => s.violations),
            fast.stacks.map((s: { violations: unknown }) => s.violations),
        );
    });
});

describe("check --state: unreadable exports", () => {
    it("never exits 0 when a file could not be read", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "states-"));
        fs.copyFileSync(path.join(states, "shop-prod.json"), path.join(dir, "shop-prod.json"));
        fs.writeFileSync(path.join(dir, "broken.json"), '{"version": 3, "deploy');
        const { code, stdout } = await check(["--state", dir]);
        assert.equal(code, 2);
        assert.match(stdout, /shop\/prod\s+PASSED\s+exit 0/);
    });

    it("refuses an export larger than a string can hold from its size, in one line", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "big-")), "big.json");
        fs.writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 0x20));
        assert.throws(
            () => readExportText(file, 2 * 1024 * 1024),
            /^Error: is 3 MB, larger than the 2 MB a JavaScript string holds; check this stack with `pulumi preview --policy-pack` instead$/,
        );
    });
});
