/**
 * Every example runs under `npm start -- examples/<name>` (`node bin/cli/main.js check
 * examples/<name>`) on the day the suite runs: an example that depends on the date (a restore to a
 * fixed instant) or on a removed option fails here, not in a new user's first hour. Needs `bin/`
 * (`npm run build`, which `npm test` runs first).
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "../..");
const main = path.join(root, "bin/cli/main.js");

/** What `check` does with each example today: its exit code and a line its output must hold. */
const EXPECTED: Record<string, { code: number; output: RegExp }> = {
    orders: { code: 0, output: /^PASSED/m },
    "platform-golden-template": { code: 0, output: /^PASSED/m },
    restore: { code: 0, output: /^PASSED/m },
    // The example the policy pack rejects, on purpose.
    violations: { code: 1, output: /^FAILED/m },
    // Programs in other languages are not run by `check` (yet): it says so in one line.
    "python-orders": { code: 2, output: /python-orders: no program entry point/ },
    "yaml-orders": { code: 2, output: /yaml-orders: no program entry point/ },
};

function run(example: string): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [main, "check", `examples/${example}`],
            { cwd: root, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
                resolve({ code, output: `${stdout}${stderr}` });
            },
        );
    });
}

describe("examples under `npm start`", function () {
    this.timeout(600_000);

    it("lists an expectation for every example, and every expectation is an example", () => {
        const examples = fs
            .readdirSync(path.join(root, "examples"), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name)
            .sort();
        assert.deepEqual(examples, Object.keys(EXPECTED).sort());
    });

    it("runs every example with the exit code and output expected of it, today", async () => {
        assert.ok(fs.existsSync(main), `${main} is missing: run \`npm run build\` first`);
        const names = Object.keys(EXPECTED);
        const results: Record<string, { code: number; output: string }> = {};
        // One at a time: mocha's other worker already keeps the second core busy.
        for (const name of names) results[name] = await run(name);
        const wrong = names.filter(
            (n) => results[n].code !== EXPECTED[n].code || !EXPECTED[n].output.test(results[n].output),
        );
        assert.deepEqual(
            wrong.map((n) => `${n}: exit ${results[n].code}\n${results[n].output.slice(-1500)}`),
            [],
        );
    });
});
