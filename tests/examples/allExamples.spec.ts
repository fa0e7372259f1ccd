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

/** Every `npm start -- examples/<name> ...` a page shows: README.md, docs/ and the examples' READMEs and programs. */
function documentedCommands(): Array<{ where: string; example: string; args: string[] }> {
    const pages: string[] = [];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const rel = path.join(dir, e.name);
            if (e.isDirectory() && e.name !== "node_modules") walk(rel);
            else if (/\.(md|ts)$/.test(e.name)) pages.push(rel);
        }
    };
    walk("docs");
    walk("examples");
    const found: Array<{ where: string; example: string; args: string[] }> = [];
    for (const page of ["README.md", ...pages]) {
        const lines = fs.readFileSync(path.join(root, page), "utf8").split("\n");
        lines.forEach((line, n) => {
            for (const m of line.matchAll(/npm start -- examples\/([a-z0-9][a-z0-9/_-]*)([^`\n#]*)/g))
                found.push({
                    where: `${page}:${n + 1}`,
                    example: m[1].replace(/\/$/, ""),
                    args: m[2].trim().split(/\s+/).filter(Boolean),
                });
        });
    }
    return found;
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

    it("every `npm start -- examples/...` the docs show names an example, with the arguments it needs", () => {
        const commands = documentedCommands();
        const wrong = commands
            .filter(({ example, args }) => {
                const needs = EXPECTED[example]?.args ?? [];
                return !EXPECTED[example] || !args.join(" ").includes(needs.join(" "));
            })
            .map((c) => `${c.where}: npm start -- examples/${c.example} ${c.args.join(" ")}`);
        assert.deepEqual(wrong, []);
        // An example that needs arguments is shown with them somewhere a user reads first.
        for (const [name, { args }] of Object.entries(EXPECTED).filter(([, e]) => e.args)) {
            assert.ok(
                commands.some((c) => c.example === name && c.where.startsWith("README.md")),
                `README.md shows how to run examples/${name} (${args!.join(" ")})`,
            );
        }
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
        // The README's tour shows what `npm start` (examples/orders) prints: every line of it, today.
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const shown = /\*\*1\. Check a stack that passes\.\*\*[\s\S]*?\n```\n([\s\S]*?)```/.exec(readme)?.[1];
        assert.ok(shown, "README.md shows the output of `npm start`");
        const missing = shown
            .split("\n")
            .filter((line) => line.trim() && !results.orders.output.includes(line));
        assert.deepEqual(missing, [], "lines the README shows that `npm start` does not print");
    });
});
