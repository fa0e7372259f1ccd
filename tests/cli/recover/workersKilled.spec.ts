// The whole story in processes: 4 `recover --apply` workers (the built command, as an engine runs
// it) against dynalite while the application keeps writing to the live table; two of them are
// killed with SIGKILL mid-share and started again with the same index. Nothing is lost, nothing the
// application wrote is overwritten, and `recover status` adds up to what one process finds. Twice:
// from a restored table with the state in a shared folder, and from a PITR export served by s3rver
// with the state in s3rver too and the claims in a DynamoDB table (s3rver ignores If-None-Match).
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../cli/recover/attributes";
import { recoverItems } from "../../../cli/recover/recover";
import type { RecoveryReport } from "../../../cli/recover/report";
import { workerObject } from "../../../cli/recover/share";
import { startDynalite, type LocalDynamo } from "../../support/dynalite";
import { startS3rver, type LocalS3 } from "../../support/s3rver";
import { claimsTableDefinition } from "../../../cli/recover/tableLedger";
import { generateExport } from "./exportFixture";
import { canonical, createTable, keyOnly, ordersTable, putAll, putOne, snapshot } from "./scenario";

const ROOT = join(__dirname, "..", "..", "..");
const CLI = join(ROOT, "bin", "cli", "main.js");
const WORKERS = 4;
const ITEMS = 1_600;

function item(i: number, version = "restored"): Item {
    return {
        customerId: { S: `C-${i % 40}` },
        orderId: { S: `2025-09-24#${String(i).padStart(5, "0")}` },
        version: { S: version },
    };
}

/** Waits until `check` holds, polling; the error names what was waited for. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
    const started = Date.now();
    while (!(await check())) {
        if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

function exited(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
    });
}

/** Where one scenario reads from and keeps its state. */
interface Setup {
    /** The recover flags naming the source (restored table or export) and the state. */
    readonly flags: string[];
    /** Whether worker `index` has written its object `what` to the state. */
    has(index: number, what: "checkpoint" | "report"): Promise<boolean>;
    /** Options of the single process that the merged summary must equal. */
    readonly single: { from?: string; fromExport?: string; s3Endpoint?: string; reportOnlyInLive?: boolean };
}

describe("recover worker processes, two killed and started again, with the application writing", function () {
    let local: LocalDynamo;
    let client: DynamoDBClient;
    let s3: LocalS3;
    let dir: string;

    before(async function () {
        if (!existsSync(CLI)) this.skip(); // `npm test` builds bin/ first
        local = await startDynalite({ childProcess: true });
        client = local.client();
        s3 = await startS3rver(["exports", "state"], local.credentials, local.region);
        dir = mkdtempSync(join(tmpdir(), "recover-killed-"));
    });
    after(async () => {
        client?.destroy();
        await s3?.stop();
        await local?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const restored = Array.from({ length: ITEMS }, (_, i) => item(i));
    // The accident: every third item is gone from the live table.
    const lost = restored.filter((_, i) => i % 3 === 0);

    it("from a restored table, the state in a folder: loses nothing, overwrites nothing, sums to one process", async () => {
        await createTable(client, ordersTable("K_Orders_Restore"));
        await putAll(client, "K_Orders_Restore", restored);
        const state = join(dir, "state");
        await killedWorkers("K_Orders", {
            flags: ["--from", "K_Orders_Restore", "--state", state],
            has: async (index, what) => existsSync(join(state, workerObject(index, what))),
            single: { from: "K_Orders_Restore" },
        });
    });

    it("from a PITR export in s3rver, the state in s3rver, the claims in a DynamoDB table: the same", async () => {
        // 8 data files: two per worker, so that a worker killed after its first checkpoint has more to do.
        const generated = generateExport(restored, 8, { prefix: "orders/" });
        await s3.mirror("exports", generated.objects);
        await createTable(client, claimsTableDefinition("K_RecoverClaims"));
        const fromExport = `s3://exports/${generated.folder}`;
        await killedWorkers("K_ExportOrders", {
            flags: [
                "--from-export",
                fromExport,
                "--s3-endpoint",
                s3.endpoint,
                "--state",
                "s3://state/orders/",
                "--claims-table",
                "K_RecoverClaims",
            ],
            has: async (index, what) =>
                (await s3.get("state", `orders/${workerObject(index, what)}`)) !== undefined,
            single: { fromExport, s3Endpoint: s3.endpoint },
        });
        const claims = await s3.keys("state", "orders/");
        assert.ok(!claims.some((k) => /claim-/.test(k)), "the claims are in the table, not in s3rver");
    });

    /** Four workers into `live` (created with 2 of every 3 items), two killed and started again. */
    async function killedWorkers(live: string, setup: Setup) {
        await createTable(client, ordersTable(live));
        await putAll(
            client,
            live,
            restored.filter((_, i) => i % 3 !== 0),
        );
        const single = await recoverItems({
            ...setup.single,
            into: live,
            endpoint: local.endpoint,
            region: local.region,
            credentials: local.credentials,
        });

        const env = {
            ...process.env,
            AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
            AWS_EC2_METADATA_DISABLED: "true",
        };
        let launches = 0;
        const start = (index: number) =>
            spawn(
                process.execPath,
                [
                    CLI,
                    "recover",
                    ...setup.flags,
                    "--into",
                    live,
                    "--apply",
                    // 4 workers at 100 WCU each: about 1.3 s of writes per worker, time to kill one mid-share.
                    "--rate-limit-wcu",
                    "400",
                    "--workers",
                    String(WORKERS),
                    "--lease-seconds",
                    "1",
                    "--endpoint",
                    local.endpoint,
                    "--region",
                    local.region,
                    "--report",
                    join(dir, `report-${live}-${index}-${++launches}.json`),
                ],
                { env: { ...env, JOB_COMPLETION_INDEX: String(index) }, stdio: ["ignore", "ignore", "pipe"] },
            );
        const children = Array.from({ length: WORKERS }, (_, i) => start(i));

        // The application writes meanwhile: new orders, and new versions of lost orders.
        const appNew = Array.from({ length: 20 }, (_, i) => item(ITEMS + i, "app"));
        const appRewritten = lost.slice(0, 30).map((l) => ({ ...l, version: { S: "app" } }));
        const writer = (async () => {
            for (let i = 0; i < 30; i++) {
                await putOne(client, live, appRewritten[i]);
                if (i < appNew.length) await putOne(client, live, appNew[i]);
            }
        })();

        const duplicates: ChildProcess[] = [];
        // Kill workers 1 and 3, each as soon as it has recorded progress (before it can finish).
        await Promise.all(
            [1, 3].map(async (index) => {
                await until(`worker ${index}'s first checkpoint`, () => setup.has(index, "checkpoint"));
                assert.equal(
                    await setup.has(index, "report"),
                    false,
                    `worker ${index} was still running when killed`,
                );
                children[index].kill("SIGKILL");
                await exited(children[index]);
                children[index] = start(index);
                // Worker 1 comes back twice, as an engine may start a second copy after a lost node:
                // one copy resumes the share, the other waits for it and then finds it done.
                if (index === 1) duplicates.push(start(index));
            }),
        );
        await writer;
        const codes = await Promise.all([...children, ...duplicates].map(exited));
        assert.deepEqual(codes, [0, 0, 0, 0, 0]);
        const worker1 = readdirSync(dir)
            .filter((f) => f.startsWith(`report-${live}-1-`))
            .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as RecoveryReport);
        assert.equal(worker1.length, 2, "the two copies of worker 1 started after the kill both reported");
        assert.deepEqual(
            worker1.map((r) => r.notes.some((n) => /already done/.test(n))).sort(),
            [false, true],
            "one copy did the share, the other found it done",
        );

        // Nothing lost: every restored key is in the live table. Nothing overwritten: the
        // application's versions stayed.
        const after = new Map(
            (await snapshot(client, live)).map((line) => {
                const parsed = JSON.parse(line) as Item;
                return [canonical(keyOnly(parsed)), parsed.version.S];
            }),
        );
        for (const r of restored)
            assert.ok(after.has(canonical(keyOnly(r))), "a restored item is in the live table");
        for (const a of [...appRewritten, ...appNew]) assert.equal(after.get(canonical(keyOnly(a))), "app");
        assert.equal(after.size, ITEMS + appNew.length);

        let stdout = "";
        const status = spawn(
            process.execPath,
            [
                CLI,
                "recover",
                "status",
                ...statusFlags(setup.flags),
                "--region",
                local.region,
                "--report",
                join(dir, `merged-${live}.json`),
            ],
            {
                env,
                stdio: ["ignore", "pipe", "inherit"],
            },
        );
        status.stdout!.on("data", (chunk) => (stdout += chunk));
        assert.equal(await exited(status), 0, stdout);
        assert.match(stdout, /Workers: 4 of 4 done/);
        const merged = JSON.parse(readFileSync(join(dir, `merged-${live}.json`), "utf8")) as RecoveryReport;
        assert.equal(merged.resumed, true, "the restarted workers resumed their shares");
        const c = merged.counts;
        assert.equal(c.sourceItems, single.counts.sourceItems);
        // A lost item the application wrote again before its worker compared it is differing, not missing.
        assert.equal(c.missing + c.differing, single.counts.missing + single.counts.differing);
        assert.equal(c.identical, single.counts.identical);
        assert.equal(
            c.written + c.skippedByCondition,
            c.missing,
            "every missing item written or left to the application",
        );
        assert.equal(c.written + c.skippedByCondition + c.differing - single.counts.differing, lost.length);
    }
});

/** The flags of `recover status` among a worker's: where the state is, and the S3 endpoint. */
function statusFlags(flags: string[]): string[] {
    const out: string[] = [];
    for (const flag of ["--state", "--s3-endpoint"]) {
        const at = flags.indexOf(flag);
        if (at >= 0) out.push(flag, flags[at + 1]);
    }
    return out;
}
