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

/**
 * What `check` does with each example today: its exit code and a line its output must hold. An
 * example of several stacks (a folder of projects) is listed by project, `organization/member`.
 */
const EXPECTED: Record<string, { code: number; output: RegExp; args?: string[] }> = {
    // Copies to a logically air-gapped vault: not even the isolated-backups advisory.
    "air-gapped": { code: 0, output: /no violations/ },
    orders: { code: 0, output: /^PASSED/m },
    "platform-golden-template": { code: 0, output: /^PASSED/m },
    restore: { code: 0, output: /^PASSED/m },
    // The example the policy pack rejects, on purpose.
    violations: { code: 1, output: /^FAILED/m },
    // The management account's stack, and a member account's with the pack config the policy gives it.
    "organization/management": { code: 0, output: /^PASSED/m },
    "organization/member": {
        code: 0,
        output: /^PASSED/m,
        args: ["--policy-config", "examples/organization/member/policy-config.json"],
    },
    // Programs in other languages are not run by `check`: it says so in one line, naming the tool that does.
    "python-orders": {
        code: 2,
        output: /^error: examples\/python-orders\/Pulumi.yaml says runtime: python; check runs Node.js programs: use `pulumi preview --policy-pack/m,
    },
    "yaml-orders": {
        code: 2,
        output: /^error: examples\/yaml-orders\/Pulumi.yaml says runtime: yaml; check runs Node.js programs: use `pulumi preview --policy-pack/m,
    },
};

/** Every example project: a folder of examples/ with a Pulumi.yaml, or one level further down. */
function exampleProjects(): string[] {
    const found: string[] = [];
    const folders = (dir: string) =>
        fs
            .readdirSync(path.join(root, "examples", dir), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => (dir ? `${dir}/${e.name}` : e.name));
    for (const name of folders("")) {
        if (fs.existsSync(path.join(root, "examples", name, "Pulumi.yaml"))) found.push(name);
        else
            found.push(
                ...folders(name).filter((n) => fs.existsSync(path.join(root, "examples", n, "Pulumi.yaml"))),
            );
    }
    return found.sort();
}

function run(example: string, args: string[] = []): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [main, "check", `examples/${example}`, ...args],
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
        assert.deepEqual(exampleProjects(), Object.keys(EXPECTED).sort());
    });

    it("runs every example with the exit code and output expected of it, today", async () => {
        assert.ok(fs.existsSync(main), `${main} is missing: run \`npm run build\` first`);
        const names = Object.keys(EXPECTED);
        const results: Record<string, { code: number; output: string }> = {};
        // One at a time: mocha's other worker already keeps the second core busy.
        for (const name of names) results[name] = await run(name, EXPECTED[name].args);
        const wrong = names.filter(
            (n) => results[n].code !== EXPECTED[n].code || !EXPECTED[n].output.test(results[n].output),
        );
        assert.deepEqual(
            wrong.map((n) => `${n}: exit ${results[n].code}\n${results[n].output.slice(-1500)}`),
            [],
        );
    });
});
