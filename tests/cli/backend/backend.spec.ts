import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { openBackend } from "../../../cli/backend/index";
import { BackendError } from "../../../cli/backend/types";
import { decompress, toText } from "../../../cli/backend/decode";
import { matchesFilter } from "../../../cli/fleet/filter";
import { withDefaultBackend } from "../../../cli/fleet/run";
import { writeDiyBackend, zstdRawFrame } from "../../support/diyBackend";

const states = path.resolve(__dirname, "../../fixtures/states");
const exportOf = (name: string) => JSON.parse(fs.readFileSync(path.join(states, name), "utf8"));

describe("check --backend: reading a self-managed backend", () => {
    it("lists the project layout, reads .json, .json.gz and .json.zst, and the tags beside each", async () => {
        const root = writeDiyBackend([
            { project: "shop", stack: "prod", export: exportOf("shop-prod.json"), compression: "gz" },
            {
                project: "payments",
                stack: "live",
                export: exportOf("payments-live.json"),
                compression: "zst",
                tags: { team: "pay" },
            },
            { project: "shop", stack: "dev", export: exportOf("shop-prod.json") },
        ]);
        const refs = await openBackend(`file://${root}`).list();
        assert.deepEqual(
            refs.map((r) => r.name),
            ["payments/live", "shop/dev", "shop/prod"],
        );
        for (const r of refs) {
            const json = JSON.parse(toText(decompress(await r.read())));
            assert.equal(json.version, 3);
            assert.ok(Array.isArray(json.checkpoint.latest.resources), r.name);
        }
        assert.deepEqual(await refs[0].tags(), { "pulumi:project": "payments", team: "pay" });
        assert.deepEqual(await refs[1].tags(), { "pulumi:project": "shop" });
    });

    it("takes the newest of several variants and skips .bak copies, history, backups and journals", async () => {
        const root = writeDiyBackend([
            { project: "shop", stack: "prod", export: exportOf("shop-prod.json") },
        ]);
        const stacks = path.join(root, ".pulumi", "stacks", "shop");
        fs.writeFileSync(path.join(stacks, "prod.json.gz"), zlib.gzipSync(Buffer.from("{}")));
        const old = new Date("2025-01-01T00:00:00Z");
        fs.utimesSync(path.join(stacks, "prod.json.gz"), old, old);
        fs.copyFileSync(path.join(stacks, "prod.json"), path.join(stacks, "prod.json.bak"));
        for (const dir of ["history/shop/prod", "backups/shop/prod", "journal/shop/prod"]) {
            fs.mkdirSync(path.join(root, ".pulumi", dir), { recursive: true });
            fs.writeFileSync(path.join(root, ".pulumi", dir, "prod-1700000000.checkpoint.json"), "{}");
        }
        fs.mkdirSync(path.join(stacks, "nested"));
        fs.writeFileSync(path.join(stacks, "nested", "deep.json"), "{}");
        let refs = await openBackend(root).list();
        assert.deepEqual(
            refs.map((r) => r.location),
            [path.join(stacks, "prod.json")],
        );
        // Now the gzip copy is newer: it is the stack.
        const now = new Date(Date.now() + 60_000);
        fs.utimesSync(path.join(stacks, "prod.json.gz"), now, now);
        refs = await openBackend(root).list();
        assert.deepEqual(
            refs.map((r) => r.location),
            [path.join(stacks, "prod.json.gz")],
        );
    });

    it("reads the legacy layout (no meta.yaml, stacks at the top of .pulumi/stacks)", async () => {
        const root = writeDiyBackend(
            [{ project: "shop", stack: "prod", export: exportOf("shop-prod.json") }],
            { legacy: true },
        );
        const refs = await openBackend(`file://${root}`).list();
        assert.deepEqual(
            refs.map((r) => [r.name, r.project, r.stack]),
            [["prod", "", "prod"]],
        );
    });

    it("refuses a store layout it does not know, a missing folder and a folder without .pulumi/, in one line", async () => {
        const root = writeDiyBackend([]);
        fs.writeFileSync(path.join(root, ".pulumi", "meta.yaml"), "version: 2\n");
        await assert.rejects(openBackend(root).list(), (e: Error) => {
            assert.ok(e instanceof BackendError);
            assert.match(e.message, /meta\.yaml is version 2; this check reads versions 0 and 1/);
            return true;
        });
        assert.throws(
            () => openBackend("file:///no/such/place"),
            /^Error: no such folder \(\/no\/such\/place\)$/,
        );
        assert.throws(() => openBackend(states), /holds no \.pulumi\/ folder/);
        assert.throws(() => openBackend("gs://bucket"), /`gs:\/\/` backends are not read/);
    });

    it("decompresses by the bytes, not the name, and says what is wrong with bad data", () => {
        const text = Buffer.from('{"a":1}');
        assert.equal(toText(decompress(zlib.gzipSync(text))), '{"a":1}');
        assert.equal(toText(decompress(zstdRawFrame(text))), '{"a":1}');
        assert.equal(toText(decompress(text)), '{"a":1}');
        assert.throws(() => decompress(Buffer.from([0x1f, 0x8b, 1, 2, 3])), /^Error: corrupt gzip data/);
        assert.throws(() => decompress(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xff])), /corrupt zstd data/);
        assert.throws(
            () => toText(Buffer.alloc(3 * 1024 * 1024), 1024 * 1024),
            /is 3 MB, larger than the 1 MB a JavaScript string holds/,
        );
    });

    it("reads a checkpoint the zstd command compressed", () => {
        const bytes = fs.readFileSync(path.resolve(__dirname, "../../fixtures/zstd/payments-live.json.zst"));
        const json = JSON.parse(toText(decompress(bytes)));
        assert.equal(json.checkpoint.stack, "organization/payments/live");
        assert.deepEqual(json.checkpoint.latest, exportOf("payments-live.json").deployment);
    });

    it("narrows with --stack-filter globs and --project", () => {
        const ref = { name: "shop/prod", project: "shop", stack: "prod" };
        assert.ok(matchesFilter(ref, "prod"));
        assert.ok(matchesFilter(ref, "shop/*"));
        assert.ok(matchesFilter(ref, "*pro?"));
        assert.ok(!matchesFilter(ref, "dev"));
        assert.ok(!matchesFilter(ref, undefined, "payments"));
        assert.ok(matchesFilter(ref, undefined, "shop"));
    });

    it("takes PULUMI_BACKEND_URL when --backend has no URL", () => {
        assert.deepEqual(withDefaultBackend(["--backend"], { PULUMI_BACKEND_URL: "s3://b" }), [
            "--backend",
            "s3://b",
        ]);
        assert.deepEqual(
            withDefaultBackend(["--backend", "--format", "html"], { PULUMI_BACKEND_URL: "file://x" }),
            ["--backend", "file://x", "--format", "html"],
        );
        assert.deepEqual(withDefaultBackend(["--backend", "file://y"], { PULUMI_BACKEND_URL: "file://x" }), [
            "--backend",
            "file://y",
        ]);
        assert.throws(
            () => withDefaultBackend(["--backend"], {}),
            /no URL given and PULUMI_BACKEND_URL is not set/,
        );
    });
});
