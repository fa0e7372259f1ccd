/** What the npm package `dynamodb-pitr` exports, resolved by name as a consumer resolves it. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./providerHost";

describe("npm package exports", () => {
    it('resolves "dynamodb-pitr" to the built components, with ResilientTable and TableBackupPlan', function () {
        if (!fs.existsSync(path.join(REPO_ROOT, "bin", "components", "index.js"))) this.skip(); // `npm run build` first
        const entry = require.resolve("dynamodb-pitr", { paths: [REPO_ROOT] });
        assert.strictEqual(entry, path.join(REPO_ROOT, "bin", "components", "index.js"));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(entry);
        assert.strictEqual(typeof exported.ResilientTable, "function");
        assert.strictEqual(typeof exported.TableBackupPlan, "function");
    });

    it('resolves "dynamodb-pitr/recover" to the recovery library, with its types beside it', function () {
        if (!fs.existsSync(path.join(REPO_ROOT, "bin", "cli", "recover", "index.js"))) this.skip(); // `npm run build` first
        const entry = require.resolve("dynamodb-pitr/recover", { paths: [REPO_ROOT] });
        assert.strictEqual(entry, path.join(REPO_ROOT, "bin", "cli", "recover", "index.js"));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.strictEqual(typeof require(entry).recoverItems, "function");
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        for (const types of [pkg.exports["./recover"].types, ...pkg.typesVersions["*"].recover]) {
            assert.ok(fs.existsSync(path.join(REPO_ROOT, types)), types);
        }
    });

    it("still runs the deep path docs/recovery.md showed before 0.2, deprecated for one minor version", function () {
        if (!fs.existsSync(path.join(REPO_ROOT, "bin", "cli", "recover", "index.js"))) this.skip();
        const entry = require.resolve("dynamodb-pitr/bin/cli/recover", { paths: [REPO_ROOT] });
        assert.strictEqual(entry, path.join(REPO_ROOT, "bin", "cli", "recover", "index.js"));
        const docs = fs.readFileSync(path.join(REPO_ROOT, "docs", "recovery.md"), "utf8");
        assert.match(docs, /from "dynamodb-pitr\/recover"/);
        assert.doesNotMatch(docs, /dynamodb-pitr\/bin\//);
    });

    it('resolves "dynamodb-pitr/policies" to the policy pack, whose folder is what --policy-pack takes', () => {
        const manifest = require.resolve("dynamodb-pitr/policies", { paths: [REPO_ROOT] });
        assert.strictEqual(path.dirname(manifest), path.join(REPO_ROOT, "policies"));
        assert.match(fs.readFileSync(manifest, "utf8"), /runtime: nodejs/);
    });

    it("publishes the plugin manifests and what the plugin's tsconfig extends", () => {
        const files: string[] = JSON.parse(
            fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"),
        ).files;
        for (const file of [
            "provider/",
            "PulumiPlugin.yaml",
            "tsconfig.json",
            "components/",
            "bin/",
            "policies/",
        ]) {
            assert.ok(files.includes(file), file);
        }
    });

    it("leaves out the pack's build tsconfig, which its runner would compile with any TypeScript", () => {
        const files: string[] = JSON.parse(
            fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"),
        ).files;
        assert.ok(files.includes("!policies/tsconfig.json"));
        const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policies", "package.json"), "utf8"));
        assert.match(pack.main, /^bin\/.*\.js$/, "the pack starts from precompiled JavaScript");
    });
});
