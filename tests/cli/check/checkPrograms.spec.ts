/**
 * `check` starts programs as the Node.js language host does, and never passes silently: one test per
 * project shape and per exit path. Exit paths that leave work behind in the process (a long timer, a
 * throw from a timer) run as a command; the others in this process.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { runCheck } from "../../../cli/check";

const root = path.resolve(__dirname, "../../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/programs", name);

async function check(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const sink = (add: (s: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (add(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const code = await runCheck(argv, {
        stdout: sink((s) => (stdout += s)),
        stderr: sink((s) => (stderr += s)),
    });
    return { code, stdout, stderr };
}

/** Runs `dynamodb-pitr check` as a command (bin/, built by `npm run build`). */
function command(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) =>
        execFile(
            process.execPath,
            [path.join(root, "bin/cli/main.js"), "check", ...args],
            { cwd },
            (err, stdout, stderr) =>
                resolve({ code: (err as { code?: number } | null)?.code ?? 0, stdout, stderr }),
        ),
    );
}

function oneLine(stderr: string, expected: RegExp): void {
    assert.match(stderr.trim(), expected);
    assert.equal(stderr.trim().split("\n").length, 1, stderr);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace without --verbose");
}

function scratchProject(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-project-"));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

describe("check starts programs as the Node.js language host does", function () {
    this.timeout(180_000);

    describe("project shapes", () => {
        it("`main: infra/`: checked from the project's folder, the production default tags apply", async () => {
            const { code, stdout } = await check(fixture("infra-main"), "--transpile-only");
            assert.equal(code, 1);
            assert.match(stdout, /^Previewing tests\/fixtures\/programs\/infra-main\/infra\/index.ts/);
            assert.match(stdout, /Production table `ledger` .* `pointInTimeRecovery.enabled` unset/);
        });

        it("`main: infra/`: checked from infra/, the same project (Pulumi.yaml one folder up)", async () => {
            const { code, stdout } = await check(
                path.join(fixture("infra-main"), "infra"),
                "--transpile-only",
            );
            assert.equal(code, 1);
            assert.match(stdout, /\(project infra-main, stack dev\)/);
            assert.match(stdout, /Production table `ledger`/);
        });

        it("an ES module JavaScript program (`type: module`) is imported", async () => {
            const { code, stdout } = await check(fixture("esm-js"));
            assert.equal(code, 1);
            assert.match(stdout, /Production table `payments`/);
        });

        it("`runtime.options.nodeargs` start the program's node with them", async () => {
            const { code, stdout, stderr } = await check(fixture("nodeargs"));
            assert.equal(code, 1, stderr);
            assert.match(stdout, /Production table `payments`/);
        });

        it("`runtime.options.typescript: false` with only index.ts says why it cannot run", async () => {
            const dir = scratchProject({
                "Pulumi.yaml": "name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
                "package.json": '{"name": "p"}',
                "index.ts": "export {};\n",
            });
            const { code, stderr } = await check(dir);
            assert.equal(code, 2);
            oneLine(
                stderr,
                /no program entry point \(index.js or package.json "main"\); runtime.options.typescript is false, so index.ts does not run/,
            );
        });

        it("package.json `main` that a build script makes says to build first", async () => {
            const dir = scratchProject({
                "Pulumi.yaml": "name: p\nruntime: nodejs\n",
                "package.json": '{"name": "p", "main": "bin/index.js", "scripts": {"build": "tsc"}}',
            });
            const { code, stderr } = await check(dir);
            assert.equal(code, 2);
            oneLine(stderr, /no program entry point .*it has a build script: run `npm run build` first/);
        });
    });

    describe("bad input: one line naming the file, exit code 2", () => {
        it("no Pulumi.yaml here or above", async () => {
            const dir = scratchProject({ "index.js": "" });
            const { code, stderr } = await check(dir);
            assert.equal(code, 2);
            oneLine(stderr, /: no Pulumi.yaml here or in any folder above it; check runs a Pulumi project/);
        });

        it("a `main:` that does not exist", async () => {
            const dir = scratchProject({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: infra/\n" });
            const { code, stderr } = await check(dir);
            assert.equal(code, 2);
            oneLine(stderr, /Pulumi.yaml: project 'main' could not be read: infra\/ \(.*\) does not exist$/);
        });

        it("a runtime option of the wrong type, in the language host's words", async () => {
            const dir = scratchProject({
                "Pulumi.yaml": 'name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: "yes"\n',
            });
            const { code, stderr } = await check(dir);
            assert.equal(code, 2);
            oneLine(stderr, /Pulumi.yaml: runtime.options: typescript option must be a boolean$/);
        });

        for (const example of ["yaml-orders", "python-orders"]) {
            it(`a ${example.split("-")[0]} project says to use pulumi preview`, async () => {
                const { code, stderr } = await check(path.join(root, "examples", example));
                assert.equal(code, 2);
                oneLine(
                    stderr,
                    /Pulumi.yaml says runtime: (yaml|python); check runs Node.js programs: use `pulumi preview --policy-pack/,
                );
            });
        }

        it("a missing dependency of the program", async () => {
            const { code, stderr } = await check(fixture("missing-dep"), "--transpile-only");
            assert.equal(code, 2);
            oneLine(
                stderr,
                /missing-dep\/index.ts failed: it needs left-pad-cache-that-is-not-installed, which is not installed/,
            );
        });

        it("a --timeout that is not a number of seconds", async () => {
            const { code, stderr } = await check(fixture("prod-stack"), "--timeout", "soon");
            assert.equal(code, 2);
            oneLine(stderr, /^error: --timeout soon: expected a number of seconds from 1 to 86400/);
        });
    });

    describe("never a silent pass", () => {
        it("a program whose exported promise never settles: exit 2, naming the pending work", async () => {
            const { code, stdout, stderr } = await check(fixture("pending"), "--transpile-only");
            assert.equal(code, 2);
            assert.equal(stdout, "");
            oneLine(stderr, /pending\/index.ts ended with work pending: .*nothing was checked/);
        });

        it("as a command too, where the event loop empties", async () => {
            const { code, stderr } = await command([fixture("pending"), "--transpile-only"]);
            assert.equal(code, 2);
            oneLine(stderr, /ended with work pending/);
        });

        it("a program kept running by a timer is stopped at --timeout: exit 2", async () => {
            const started = Date.now();
            const { code, stderr } = await command([
                fixture("long-timer"),
                "--transpile-only",
                "--timeout",
                "2",
            ]);
            assert.equal(code, 2);
            oneLine(stderr, /long-timer\/index.ts did not finish within 2 s \(--timeout\)/);
            assert.ok(Date.now() - started < 120_000);
        });

        it("a program that throws from a timer after its body ran: exit 2", async () => {
            const { code, stderr } = await command([fixture("late-throw"), "--transpile-only"]);
            assert.equal(code, 2);
            oneLine(
                stderr,
                /late-throw\/index.ts failed: the late lookup failed \(run with --verbose for details\)$/,
            );
        });

        it("a program that throws early: exit 2, the stack with --verbose only", async () => {
            const quiet = await check(fixture("throws"));
            assert.equal(quiet.code, 2);
            oneLine(quiet.stderr, /throws\/index.ts failed: the database password is not set/);
            const verbose = await check(fixture("throws"), "--verbose");
            assert.match(verbose.stderr, /\n\s+at /);
        });
    });
});
