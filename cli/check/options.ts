/**
 * The command line of `check`: its usage text, its options, and the settings every way of checking
 * reads from them (timeout, pack folder, policy configuration, stack tags, colour, progress).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { RawPolicyConfig, readPolicyConfigFile } from "../analyzer/policyConfig";
import { CheckError } from "../core/errors";
import { bundledPackDir, packageRoot, rel } from "../core/paths";
import { parseTableSizeGb } from "../cost/tableSize";
import type { CheckIo } from "../report/types";

/** Seconds a program may run before `check` stops it (`--timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** Where one of this package's docs is, from the working directory (the docs ship in the package). */
function doc(name: string): string {
    const file = path.join(packageRoot(), "docs", name);
    return rel(file);
}

export function usage(): string {
    return `usage: dynamodb-pitr check [program] [options]
       dynamodb-pitr check --state <file-or-folder> [--state ...] [options]
       dynamodb-pitr check --backend [url] [options]

Runs a Pulumi program offline (mock runtime, no cloud, no CLI) and checks it with the policy pack.
  program                  a folder in a Node.js Pulumi project (its Pulumi.yaml is found there or
                           above, and its \`main\` runs), or a program file (default: .)
  --stack <name>           stack name (default: dev); reads Pulumi.<stack>.yaml
  --project <name>         project name (default: from Pulumi.yaml)
  --config <key=value>     config value, repeatable (e.g. --config aws:region=eu-west-1)
  --stack-tag <key=value>  stack tag the pack can read, repeatable
  --policy-pack <path>     policy pack folder or its PulumiPolicy.yaml (default: the bundled pack)
  --policy-config <file>   policy configuration, as for --policy-pack-config
  --timeout <seconds>      stop a program still running after this long, exit 2 (default: ${DEFAULT_TIMEOUT_SECONDS})
  --format <f>             text, json, sarif, markdown or html (default: text), for every kind of check
  --output <file>          write the report to this file instead of standard output
  --json                   the same as --format json
  --sarif <file>           also write a SARIF 2.1.0 report (beside the --format one)
  --table-size-gb <n>      table size the cost estimate assumes, in GB (default: 10); see ${doc("cost.md")}
  --transpile-only         skip the TypeScript type check of the program
  --verbose                show stack traces and the pack's logs
  --no-color               no colours
  --state <file-or-folder> check existing stacks from \`pulumi stack export\` JSON instead of a
                           program (a folder: every *.json in it); repeatable; see ${doc("fleet-report.md")}
  --backend [url]          check every stack of a Pulumi backend: file://<path>, s3://<bucket>/<prefix>
                           or https://api.pulumi.com (default: PULUMI_BACKEND_URL); see ${doc("fleet-report.md")}
  --stack-filter <glob>    with --backend: only stacks whose name matches (* and ?)

An option that does not apply to the kind of check given (--timeout with --state) is an error.

Exit codes: 0 no mandatory violation, 1 at least one, 2 the check could not run.`;
}

/** The options of `check`, one entry each (add new ones here). */
const OPTIONS = {
    stack: { type: "string" },
    project: { type: "string" },
    config: { type: "string", multiple: true },
    "stack-tag": { type: "string", multiple: true },
    "policy-pack": { type: "string" },
    "policy-config": { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    sarif: { type: "string" },
    "transpile-only": { type: "boolean" },
    "table-size-gb": { type: "string" },
    verbose: { type: "boolean" },
    "no-color": { type: "boolean" },
    state: { type: "string", multiple: true },
    backend: { type: "string" },
    "stack-filter": { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

/** A command line `parseArgs` rejects: the reason, then the usage. */
export class UsageError extends CheckError {}

export function parseCommandLine(argv: string[]) {
    try {
        return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
    } catch (e) {
        throw new UsageError(String((e as Error).message).split("\n")[0]);
    }
}

export function pairs(values: string[] | undefined, flag: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of values ?? []) {
        const at = item.indexOf("=");
        if (at <= 0) throw new CheckError(`${flag} ${item}: expected key=value`);
        out[item.slice(0, at)] = item.slice(at + 1);
    }
    return out;
}

export function parseTimeout(value: string | undefined): number {
    if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
    const seconds = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > 86400)
        throw new CheckError(
            `--timeout ${value}: expected a number of seconds from 1 to 86400 (default ${DEFAULT_TIMEOUT_SECONDS})`,
        );
    return seconds;
}

/** The policy pack folder from `--policy-pack` (a folder or its PulumiPolicy.yaml), checked before it starts. */
export function resolvePackDir(given: string | undefined): string {
    if (given === undefined) return bundledPackDir();
    const resolved = path.resolve(given);
    if (!fs.existsSync(resolved)) throw new CheckError(`--policy-pack ${given}: no such file or folder`);
    if (fs.statSync(resolved).isFile()) {
        if (!/^PulumiPolicy\.ya?ml$/.test(path.basename(resolved)))
            throw new CheckError(
                `--policy-pack ${given}: is a file; give the policy pack's folder or its PulumiPolicy.yaml`,
            );
        return path.dirname(resolved);
    }
    if (!["PulumiPolicy.yaml", "PulumiPolicy.yml"].some((f) => fs.existsSync(path.join(resolved, f))))
        throw new CheckError(
            `--policy-pack ${given}: no PulumiPolicy.yaml in this folder; give the policy pack's folder`,
        );
    return resolved;
}

/** The parsed options of `check`. */
export type CheckValues = ReturnType<typeof parseCommandLine>["values"];

/** The three kinds of check: a program, stack exports (`--state`), a backend's stacks (`--backend`). */
export type CheckKind = "program" | "state" | "backend";

const KIND_NAMES: { [k in CheckKind]: string } = {
    program: "a program check",
    state: "--state",
    backend: "--backend",
};

/** Options that apply to some kinds of check only; every other option applies to all three. */
const ONLY_FOR: { readonly [option in keyof typeof OPTIONS]?: readonly CheckKind[] } = {
    stack: ["program"],
    config: ["program"],
    timeout: ["program"],
    "transpile-only": ["program"],
    "table-size-gb": ["program"],
    project: ["program", "backend"],
    "stack-filter": ["backend"],
};

/**
 * Refuses an option given to a kind of check it does not apply to, rather than ignoring it: the
 * message names the option, its value, what it applies to, and the fix.
 */
export function refuseInapplicable(values: CheckValues, kind: CheckKind): void {
    for (const [option, kinds] of Object.entries(ONLY_FOR) as Array<[keyof CheckValues, CheckKind[]]>) {
        const value = values[option];
        if (value === undefined || kinds.includes(kind)) continue;
        const shown = typeof value === "boolean" ? "" : ` ${Array.isArray(value) ? value.join(" ") : value}`;
        throw new CheckError(
            `--${String(option)}${shown} applies to ${kinds.map((k) => KIND_NAMES[k]).join(" and ")} only, not to ${KIND_NAMES[kind]}; leave it out`,
        );
    }
}

/** What every way of checking reads from the options, checked in this order. */
export interface CheckSettings {
    tableSizeGb: number;
    timeoutSeconds: number;
    color: boolean;
    progress: (text: string) => void;
    packDir: string;
    policyConfig: RawPolicyConfig | undefined;
    stackTags: Record<string, string>;
}

/** The settings from the options; throws a `CheckError` for the first bad one. */
export function readSettings(values: CheckValues, io: CheckIo): CheckSettings {
    const tableSizeGb = parseTableSizeGb(values["table-size-gb"]);
    if (typeof tableSizeGb !== "number") throw new CheckError(tableSizeGb.problem);
    const timeoutSeconds = parseTimeout(values.timeout);
    const plainText =
        !values.json && (values.format === undefined || values.format === "text") && !values.output;
    const color = io.stdout.isTTY === true && !values["no-color"] && !process.env.NO_COLOR && plainText;
    const progress =
        io.stderr.isTTY === true && !values.json
            ? (text: string) => io.stderr.write(`\r\x1b[2K${text}`)
            : () => undefined;
    const packDir = resolvePackDir(values["policy-pack"]);
    const policyConfig = values["policy-config"] ? readPolicyConfigFile(values["policy-config"]) : undefined;
    const stackTags = pairs(values["stack-tag"], "--stack-tag");
    return { tableSizeGb, timeoutSeconds, color, progress, packDir, policyConfig, stackTags };
}
