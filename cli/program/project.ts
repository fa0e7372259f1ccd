/**
 * Reads a Pulumi project the way the CLI does: finds `Pulumi.yaml` upward from the path given (as
 * `pulumi` does from the working directory), reads its `runtime` (name and options), resolves `main`
 * into the program's working directory and entry point (pulumi/pulumi `pkg/engine/project.go`
 * `getPwdMain`), and reads the config of `Pulumi.yaml` and `Pulumi.<stack>.yaml`. Config keys without a
 * namespace belong to the project (`greeting` is `<project>:greeting`); structured values are passed
 * as JSON, as the CLI passes them to a program.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { excerpt } from "../core/text";

/** `runtime.options` of a Node.js project, as the Node.js language host reads them. */
export interface NodeRuntimeOptions {
    /** Run `.ts` programs through ts-node. @default true */
    typescript: boolean;
    /** The tsconfig file, relative to the program's folder. @default "tsconfig.json" */
    tsconfig?: string;
    /** Extra arguments for `node`, split as a shell would. @default none */
    nodeargs?: string;
    /** The package manager the project installs with. @default "auto" */
    packagemanager: "auto" | "npm" | "yarn" | "pnpm" | "bun";
}

export interface ProjectSettings {
    /** The folder holding Pulumi.yaml. */
    root: string;
    /** The Pulumi.yaml file. */
    projectFile: string;
    /** The program's working directory (the folder of `main`, or the project's folder). */
    dir: string;
    /** The entry point the language host is given: `.` (the folder's package) or a file in `dir`. */
    main: string;
    /** The file that runs, as far as it can be told before running (for messages and SARIF). */
    entry: string;
    name: string;
    stack: string;
    runtime: NodeRuntimeOptions;
    /** Config for the program, keyed `namespace:key`, values as strings (JSON for structured values). */
    config: Record<string, string>;
    /** Keys whose values are secrets in the stack file (their values cannot be read offline). */
    secretKeys: string[];
}

/** A problem with the project's files, reported as one line. */
export class ProjectError extends Error {}

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

function readYaml(file: string): Record<string, unknown> {
    const text = fs.readFileSync(file, "utf8");
    let value: unknown;
    try {
        value = parse(text);
    } catch (e) {
        throw new ProjectError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    if (value === null || value === undefined) return {};
    if (typeof value !== "object" || Array.isArray(value))
        throw new ProjectError(`${file} must be a YAML mapping, not ${excerpt(text)}`);
    return value as Record<string, unknown>;
}

function configValue(raw: unknown): { value?: string; secret: boolean } {
    if (raw && typeof raw === "object" && !Array.isArray(raw)) {
        const entry = raw as Record<string, unknown>;
        if ("secure" in entry) return { secret: true };
        // Project-level config may be { value } or { default, type, description }.
        if ("value" in entry) return configValue(entry.value);
        if ("default" in entry) return configValue(entry.default);
        return { value: JSON.stringify(raw), secret: false };
    }
    if (raw === undefined || raw === null) return { secret: false };
    return { value: typeof raw === "string" ? raw : JSON.stringify(raw), secret: false };
}

/** The Pulumi.yaml in `start` or the nearest folder above it. */
export function findProjectFile(start: string): string | undefined {
    let dir = start;
    for (;;) {
        const file = PROJECT_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
        if (file) return file;
        const parent = path.dirname(dir);
        if (parent === dir) return undefined;
        dir = parent;
    }
}

/** `runtime.options` checked as the language host checks them (its messages, in one line). */
function runtimeOptions(projectFile: string, raw: unknown): NodeRuntimeOptions {
    const options = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const bad = (message: string) => new ProjectError(`${shown(projectFile)}: runtime.options: ${message}`);
    const out: NodeRuntimeOptions = { typescript: true, packagemanager: "auto" };
    if ("typescript" in options) {
        if (typeof options.typescript !== "boolean") throw bad("typescript option must be a boolean");
        out.typescript = options.typescript;
    }
    if ("tsconfig" in options) {
        if (typeof options.tsconfig !== "string") throw bad("tsconfigpath option must be a string");
        out.tsconfig = options.tsconfig;
    }
    if ("nodeargs" in options) {
        if (typeof options.nodeargs !== "string") throw bad("nodeargs option must be a string");
        out.nodeargs = options.nodeargs;
    }
    if ("packagemanager" in options) {
        const pm = options.packagemanager;
        if (typeof pm !== "string") throw bad("packagemanager option must be a string");
        const known = ["auto", "npm", "yarn", "pnpm", "bun"] as const;
        if (!(known as readonly string[]).includes(pm))
            throw bad(
                `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got ${JSON.stringify(pm)}`,
            );
        out.packagemanager = pm as NodeRuntimeOptions["packagemanager"];
    }
    return out;
}

/**
 * Loads the project that `target` (a folder or a file) is in: the nearest Pulumi.yaml at or above it.
 * A folder runs the project's `main`; a file runs that file, with the project's settings.
 */
export function loadProject(
    target: string,
    options: { stack?: string; project?: string; config?: Record<string, string> } = {},
): ProjectSettings {
    const resolved = path.resolve(target);
    if (!fs.existsSync(resolved)) throw new ProjectError(`${target}: no such program (file or folder)`);
    const isDir = fs.statSync(resolved).isDirectory();
    const projectFile = findProjectFile(isDir ? resolved : path.dirname(resolved));
    if (!projectFile)
        throw new ProjectError(
            `${target}: no Pulumi.yaml here or in any folder above it; check runs a Pulumi project: give the folder that holds its Pulumi.yaml`,
        );
    const root = path.dirname(projectFile);
    const project = readYaml(projectFile);
    const runtime = project.runtime;
    const runtimeName =
        typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    if (runtimeName !== "nodejs") {
        throw new ProjectError(
            `${shown(projectFile)} says runtime: ${typeof runtimeName === "string" ? runtimeName : "(none)"}; check runs Node.js programs: use \`pulumi preview --policy-pack <path to dynamodb-pitr/policies>\``,
        );
    }
    const runtimeOpts = runtimeOptions(
        projectFile,
        typeof runtime === "object" ? (runtime as { options?: unknown }).options : undefined,
    );
    const name = options.project ?? (typeof project.name === "string" ? project.name : path.basename(root));
    const stack = options.stack ?? "dev";

    let dir: string;
    let main: string;
    if (!isDir) {
        dir = path.dirname(resolved);
        main = path.basename(resolved);
    } else if (project.main === undefined || project.main === "") {
        dir = root;
        main = ".";
    } else {
        if (typeof project.main !== "string")
            throw new ProjectError(
                `${shown(projectFile)}: main must be a path (a file or a folder), not ${JSON.stringify(project.main)}`,
            );
        const mainPath = path.resolve(root, project.main);
        if (!fs.existsSync(mainPath))
            throw new ProjectError(
                `${shown(projectFile)}: project 'main' could not be read: ${project.main} (${shown(mainPath)}) does not exist`,
            );
        if (fs.statSync(mainPath).isDirectory()) {
            dir = mainPath;
            main = ".";
        } else {
            dir = path.dirname(mainPath);
            main = path.basename(mainPath);
        }
    }
    const entry = main === "." ? packageEntry(dir, runtimeOpts.typescript) : path.join(dir, main);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string) => (key.includes(":") ? key : `${name}:${key}`);
    const add = (source: unknown) => {
        if (!source || typeof source !== "object") return;
        for (const [key, raw] of Object.entries(source as Record<string, unknown>)) {
            const { value, secret } = configValue(raw);
            if (secret) secretKeys.push(qualify(key));
            else if (value !== undefined) config[qualify(key)] = value;
        }
    };
    add(project.config);
    const stackFile = ["yaml", "yml"]
        .map((ext) => path.join(root, `Pulumi.${stack}.${ext}`))
        .find((f) => fs.existsSync(f));
    if (stackFile) add(readYaml(stackFile).config);
    for (const [key, value] of Object.entries(options.config ?? {})) config[qualify(key)] = value;
    return { root, projectFile, dir, main, entry, name, stack, runtime: runtimeOpts, config, secretKeys };
}

/** The nearest package.json at or above `dir`. */
export function packageManifest(dir: string): { file: string; data: Record<string, any> } | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
        const file = path.join(d, "package.json");
        if (fs.existsSync(file)) {
            const text = fs.readFileSync(file, "utf8");
            try {
                return { file, data: JSON.parse(text) ?? {} };
            } catch (e) {
                throw new ProjectError(
                    `${file} is not JSON (${(e as Error).message}); it starts ${excerpt(text)}`,
                );
            }
        }
        if (path.dirname(d) === d) return undefined;
    }
}

/**
 * The file `require(dir)` would load for a program whose `main` is a folder, after the language
 * host's own step (package.json `exports`, then `main`, of the nearest package.json).
 */
function packageEntry(dir: string, typescript: boolean): string {
    const manifest = packageManifest(dir);
    let program = dir;
    const pkg = manifest?.data ?? {};
    const pick = (target: unknown) => {
        if (typeof target !== "string") return;
        const p = path.join(path.dirname(manifest!.file), target);
        if (fs.existsSync(p)) program = p;
    };
    if (typeof pkg.exports === "string") pick(pkg.exports);
    else if (pkg.exports && typeof pkg.exports === "object") {
        const main = pkg.exports["."];
        pick(typeof main === "object" && main ? (main.default ?? main.require ?? main.import) : main);
    } else if (pkg.main) pick(pkg.main);

    const extensions = [
        ".js",
        ".json",
        ".node",
        ".mjs",
        ".cjs",
        ...(typescript ? [".ts", ".mts", ".cts"] : []),
    ];
    const asFile = (p: string) =>
        [p, ...extensions.map((e) => p + e)].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    const asDir = (p: string): string | undefined => {
        if (!fs.existsSync(p) || !fs.statSync(p).isDirectory()) return undefined;
        const own = path.join(p, "package.json");
        if (fs.existsSync(own)) {
            try {
                const ownMain = JSON.parse(fs.readFileSync(own, "utf8")).main;
                if (typeof ownMain === "string") {
                    const found = asFile(path.join(p, ownMain)) ?? asFile(path.join(p, ownMain, "index"));
                    if (found) return found;
                }
            } catch {
                // Node ignores a package.json it cannot parse here; the host's own read reported it.
            }
        }
        return asFile(path.join(p, "index"));
    };
    const found = asFile(program) ?? asDir(program);
    if (found) return found;
    const hint =
        typeof pkg.scripts?.build === "string"
            ? `; it has a build script: run \`npm run build\` first (Pulumi does not run build scripts)`
            : !typescript && fs.existsSync(path.join(dir, "index.ts"))
              ? "; runtime.options.typescript is false, so index.ts does not run: compile it, or set typescript: true"
              : "";
    throw new ProjectError(
        `${path.relative(process.cwd(), dir) || "."}: no program entry point (index.js${typescript ? ", index.ts" : ""} or package.json "main")${hint}`,
    );
}

/** A path as messages show it: relative to the working directory when inside it. */
function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
