/**
 * Reads a Pulumi project the way the CLI does: `Pulumi.yaml` (name, `main`, project-level config
 * defaults) and `Pulumi.<stack>.yaml` (the stack's config). Config keys without a namespace belong
 * to the project (`greeting` is `<project>:greeting`); structured values are passed as JSON, as the
 * CLI passes them to a program.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export interface ProjectSettings {
    /** The folder holding Pulumi.yaml. */
    dir: string;
    name: string;
    /** The program's entry file (resolved from `main`, package.json `main`, or index.ts / index.js). */
    entry: string;
    stack: string;
    /** Config for the program, keyed `namespace:key`, values as strings (JSON for structured values). */
    config: Record<string, string>;
    /** Keys whose values are secrets in the stack file (their values cannot be read offline). */
    secretKeys: string[];
}

/** A problem with the project's files, reported as one line. */
export class ProjectError extends Error {}

function readYaml(file: string): Record<string, unknown> {
    try {
        const value = parse(fs.readFileSync(file, "utf8"));
        return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
    } catch (e) {
        throw new ProjectError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
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

/**
 * Loads the project in `target` (a folder with Pulumi.yaml, or a program file whose folder has one;
 * a bare file without Pulumi.yaml is run as is, with `project` as its name).
 */
export function loadProject(
    target: string,
    options: { stack?: string; project?: string; config?: Record<string, string> } = {},
): ProjectSettings {
    const resolved = path.resolve(target);
    if (!fs.existsSync(resolved)) throw new ProjectError(`${target}: no such program (file or folder)`);
    const isDir = fs.statSync(resolved).isDirectory();
    const dir = isDir ? resolved : path.dirname(resolved);
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"]
        .map((f) => path.join(dir, f))
        .find((f) => fs.existsSync(f));
    const project = projectFile ? readYaml(projectFile) : {};
    const name = options.project ?? (typeof project.name === "string" ? project.name : path.basename(dir));
    const stack = options.stack ?? "dev";

    let entry = resolved;
    if (isDir) {
        const main = typeof project.main === "string" ? path.resolve(dir, project.main) : dir;
        entry = resolveEntry(main);
    }

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
        .map((ext) => path.join(dir, `Pulumi.${stack}.${ext}`))
        .find((f) => fs.existsSync(f));
    if (stackFile) add(readYaml(stackFile).config);
    for (const [key, value] of Object.entries(options.config ?? {})) config[qualify(key)] = value;
    return { dir, name, entry, stack, config, secretKeys };
}

function resolveEntry(main: string): string {
    if (fs.existsSync(main) && fs.statSync(main).isFile()) return main;
    const pkgFile = path.join(main, "package.json");
    if (fs.existsSync(pkgFile)) {
        const pkgMain = JSON.parse(fs.readFileSync(pkgFile, "utf8")).main;
        if (typeof pkgMain === "string") {
            const candidate = path.resolve(main, pkgMain);
            for (const file of [candidate, `${candidate}.ts`, `${candidate}.js`]) {
                if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
            }
        }
    }
    for (const file of ["index.ts", "index.js"]) {
        if (fs.existsSync(path.join(main, file))) return path.join(main, file);
    }
    throw new ProjectError(`${main}: no program entry point (index.ts, index.js, or package.json "main")`);
}
