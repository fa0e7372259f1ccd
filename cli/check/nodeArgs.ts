/**
 * `runtime.options.nodeargs`: the language host starts the program's `node` with these arguments
 * (split as a shell would, `shlex.Split`). `check` runs programs in its own process, so when a project
 * sets them, `check` runs again in a `node` started with them, and that run does the work.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CheckError } from "../core/errors";
import type { CheckIo } from "../report/types";

/** Set in the `node` that already runs with the project's nodeargs. */
const APPLIED = "DYNAMODB_PITR_NODEARGS_APPLIED";

/** Splits a command line as a POSIX shell would: whitespace, single and double quotes, backslashes. */
export function splitArgs(line: string): string[] {
    const out: string[] = [];
    let current: string | undefined;
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
            if (c === quote) quote = undefined;
            else if (c === "\\" && quote === '"' && i + 1 < line.length) current += line[++i];
            else current += c;
        } else if (c === "'" || c === '"') {
            quote = c;
            current ??= "";
        } else if (c === "\\" && i + 1 < line.length) {
            current = (current ?? "") + line[++i];
        } else if (/\s/.test(c)) {
            if (current !== undefined) out.push(current);
            current = undefined;
        } else current = (current ?? "") + c;
    }
    if (quote)
        throw new CheckError(`runtime.options.nodeargs ${JSON.stringify(line)}: unterminated ${quote} quote`);
    if (current !== undefined) out.push(current);
    return out;
}

/** Whether this process must hand the check to a `node` started with `nodeargs`. */
export function needsNodeArgs(nodeargs: string | undefined): nodeargs is string {
    return !!nodeargs && nodeargs.trim() !== "" && process.env[APPLIED] !== nodeargs;
}

/** Runs `check <argv>` again in a `node` started with `nodeargs`; resolves to its exit code. */
export function checkWithNodeArgs(nodeargs: string, argv: string[], io: CheckIo): Promise<number> {
    const compiled = path.join(__dirname, "..", "main.js");
    const self = fs.existsSync(compiled)
        ? [compiled]
        : ["-r", "ts-node/register/transpile-only", path.join(__dirname, "..", "main.ts")];
    const child = spawn(process.execPath, [...splitArgs(nodeargs), ...self, "check", ...argv], {
        env: { ...process.env, [APPLIED]: nodeargs },
        stdio: ["inherit", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => io.stdout.write(d));
    child.stderr.on("data", (d: Buffer) => io.stderr.write(d));
    return new Promise((resolve) => {
        child.once("error", (e) => {
            io.stderr.write(
                `error: could not start node with runtime.options.nodeargs ${JSON.stringify(nodeargs)}: ${e.message}\n`,
            );
            resolve(2);
        });
        child.once("close", (code, signal) => {
            if (signal)
                io.stderr.write(
                    `error: node with runtime.options.nodeargs ${JSON.stringify(nodeargs)} ended by ${signal}\n`,
                );
            resolve(code ?? 2);
        });
    });
}
