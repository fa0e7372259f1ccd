/**
 * `npm run lint` fails on an import circle, type-only imports included: its `lint:circles` script,
 * run as package.json writes it on a folder holding such a circle, exits non-zero and names it; on
 * the project's own folders it passes (the lint itself runs that in `npm test`).
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../..");
const script: string = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts[
    "lint:circles"
];

/** The script's command with its folders replaced by `dir`. */
function circlesIn(dir: string) {
    const words = script.split(/\s+/);
    const folders = ["components", "cli", "policies", "provider"];
    assert.deepEqual(words.slice(-folders.length), folders, `lint:circles checks ${folders.join(", ")}`);
    const args = [...words.slice(1, -folders.length), dir];
    const bin = path.join(root, "node_modules", ".bin", words[0]);
    return spawnSync(bin, args, { cwd: root, encoding: "utf8", timeout: 60_000 });
}

describe("lint: import circles", function () {
    this.timeout(120_000);

    it("fails on a circle made only of type imports, naming its files", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "circle-"));
        fs.writeFileSync(
            path.join(dir, "a.ts"),
            'import type { B } from "./b";\nexport interface A { b?: B }\n',
        );
        fs.writeFileSync(
            path.join(dir, "b.ts"),
            'import type { A } from "./a";\nexport interface B { a?: A }\n',
        );
        fs.writeFileSync(path.join(dir, "c.ts"), 'import type { A } from "./a";\nexport type C = A;\n');
        const run = circlesIn(dir);
        assert.notEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /a\.ts > b\.ts|b\.ts > a\.ts/);
    });

    it("passes on a folder whose imports run one way", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-circle-"));
        fs.writeFileSync(path.join(dir, "a.ts"), "export interface A { n: number }\n");
        fs.writeFileSync(
            path.join(dir, "b.ts"),
            'import type { A } from "./a";\nexport interface B { a?: A }\n',
        );
        const run = circlesIn(dir);
        assert.equal(run.status, 0, run.stdout + run.stderr);
    });
});
