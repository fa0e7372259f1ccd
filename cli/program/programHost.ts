/**
 * Starts a Pulumi program the way the Node.js language host of the program's `@pulumi/pulumi` does
 * (`@pulumi/pulumi/cmd/run`), but under the SDK's mock runtime and in this process:
 *
 * - the SDK is the one the program's folder resolves (`pulumi-language-nodejs` `locateModule`); it
 *   must be the copy this package uses, since the mocks are installed in it;
 * - the working directory is the program's folder; TypeScript goes through the ts-node and the
 *   typescript that the SDK's `tsutils.typeScriptRequireStrings()` picks (the project's, else the
 *   ones vendored in `@pulumi/pulumi`), with the SDK's defaults and the program's tsconfig;
 * - `runtime.options.typescript: false` registers no compiler; a package with `"type": "module"` is
 *   imported as an ES module, any other is required, as the host does.
 *
 * A program never passes silently: one that throws (early, in a callback, or after its body ran) is a
 * {@link ProgramError}; one that ends with work pending, or still runs after the timeout, is a
 * {@link ProgramStalled}.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as url from "url";
import { ProgramError, ProgramStalled } from "../core/errors";
import type { CapturedResource } from "./mockRuntime";
import { packageManifest, ProjectError, ProjectSettings } from "./project";
import { packageRoot, rel } from "../core/paths";

export interface RunOptions {
    /** Skip the type check (as `PULUMI_NODEJS_TRANSPILE_ONLY=true`). @default the tsconfig's `noCheck` */
    transpileOnly?: boolean;
    /** Seconds the program may run (body, pending work and timers) before it is stopped. */
    timeoutSeconds: number;
}

/** Errors that reach the process after the program's body ran (a timer that throws), in order. */
export interface LateErrors {
    errors: unknown[];
    stop(): void;
}

const dynamicImport = new Function("u", "return import(u)") as (u: string) => Promise<any>;

let registeredTsNode: string | undefined;
/** The TypeScript the registered ts-node compiles with, when it is the one vendored in the SDK. */
let vendoredTypeScript: string | undefined;

/** The folders of this package's own code (the check, the pack it serves, the components a program imports). */
function ownModuleDirs(): string[] {
    const root = packageRoot();
    return ["cli", "bin", "policies", "components", "provider"].map((d) => path.join(root, d) + path.sep);
}

/** The program's `@pulumi/pulumi` folder; it must be the one the mock runtime is installed in. */
function programSdk(project: ProjectSettings): string {
    let runPath: string;
    try {
        runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [project.dir] });
    } catch {
        throw new ProjectError(
            `${rel(project.dir)}: It looks like the Pulumi SDK has not been installed (no @pulumi/pulumi resolves from there); run \`npm install\` (or \`pulumi install\`) in the project`,
        );
    }
    const sdk = fs.realpathSync(path.resolve(path.dirname(runPath), "..", ".."));
    const ours = fs.realpathSync(path.dirname(require.resolve("@pulumi/pulumi/package.json")));
    if (sdk !== ours) {
        const version = (dir: string) =>
            JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
        throw new ProjectError(
            `${rel(project.dir)} uses @pulumi/pulumi ${version(sdk)} at ${rel(sdk)}, and dynamodb-pitr uses ${version(ours)} at ${rel(ours)}: install dynamodb-pitr in the program's project so that they share one copy (\`npm ls @pulumi/pulumi\` shows both)`,
        );
    }
    // A provider SDK with its own nested copy registers its resources where no mock is installed.
    for (const provider of ["@pulumi/aws", "@pulumi/aws-native"]) {
        let providerDir: string;
        try {
            providerDir = path.dirname(require.resolve(`${provider}/package.json`, { paths: [project.dir] }));
        } catch {
            continue;
        }
        let its: string;
        try {
            its = fs.realpathSync(
                path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [providerDir] })),
            );
        } catch {
            continue;
        }
        if (its !== sdk)
            throw new ProjectError(
                `${rel(project.dir)}: ${provider} uses its own copy of @pulumi/pulumi (${rel(its)}), not the project's (${rel(sdk)}): keep one copy (npm dedupe; yarn 1: "resolutions": {"@pulumi/pulumi": "<version>"} in package.json)`,
            );
    }
    return sdk;
}

/** Registers ts-node for a TypeScript program as `cmd/run/run.js` does (cwd is the program's folder). */
function registerTypeScript(
    sdk: string,
    project: ProjectSettings,
    options: RunOptions,
    isModule: boolean,
): void {
    // Already running under ts-node (tests, `ts-node cli/main.ts`): TypeScript loads as is.
    if ((process as any)[Symbol.for("ts-node.register.instance")] !== undefined) return;
    const sdkRequire = createRequire(path.join(sdk, "package.json"));
    const tsutils = sdkRequire("./tsutils");
    const defaultTsConfigPath = "tsconfig.json";
    const tsConfigPath = project.runtime.tsconfig ?? defaultTsConfigPath;
    const skipProject = !fs.existsSync(tsConfigPath);
    if (skipProject && tsConfigPath !== defaultTsConfigPath)
        throw new ProjectError(
            `${rel(project.projectFile)}: runtime.options.tsconfig: tsconfig path was set to ${tsConfigPath} but the file was not found in ${rel(project.dir)}`,
        );
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    let transpileOnly: boolean | undefined = compilerOptions.noCheck;
    const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (env) transpileOnly = env === "true";
    if (options.transpileOnly) transpileOnly = true;
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings() as {
        tsnodeRequire: string;
        typescriptRequire: string;
    };
    if (registeredTsNode !== undefined) {
        if (registeredTsNode !== tsnodeRequire)
            throw new ProjectError(
                `${rel(project.dir)}: this process already compiles TypeScript with ${registeredTsNode}; check one TypeScript project per run`,
            );
        return;
    }
    const ts = sdkRequire(typescriptRequire);
    const [major, minor] = String(ts.version).split(".").map(Number);
    const useNodeNext = major > 4 || (major === 4 && minor >= 7);
    const tsOptions = {
        compiler: typescriptRequire,
        transpileOnly,
        project: tsConfigPath,
        skipProject,
        compilerOptions: {} as Record<string, unknown>,
    };
    let tsNodeEsm = "";
    try {
        tsNodeEsm = sdkRequire.resolve("ts-node/esm");
    } catch {
        // Only newer ts-node versions (not the vendored 7.0.1) load ES modules.
    }
    const hasLoaders = process.execArgv.some(
        (a) => a === "--loader" || a === "--import" || a === "--require",
    );
    if (isModule && useNodeNext && major * 100 + minor > 407 && !hasLoaders && tsNodeEsm) {
        tsOptions.compilerOptions = {
            target: "ES2022",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: "true",
            ...compilerOptions,
        };
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("module").register("./hooks.js", url.pathToFileURL(path.join(sdk, "cmd", "run", "run.js")), {
            data: tsOptions,
        });
    } else {
        tsOptions.compilerOptions = {
            target: "ES2020",
            module: useNodeNext ? "nodenext" : "commonjs",
            moduleResolution: useNodeNext ? "nodenext" : "node",
            sourceMap: "true",
            ...compilerOptions,
        };
        sdkRequire(tsnodeRequire).register(tsOptions);
    }
    registeredTsNode = tsnodeRequire;
    vendoredTypeScript = path.isAbsolute(typescriptRequire) ? `TypeScript ${ts.version}` : undefined;
}

/** Loads the program module as the host does and returns what it exported (called, if a function). */
async function loadProgram(
    project: ProjectSettings,
    isModule: boolean,
    loaded: () => void,
): Promise<unknown> {
    let program = project.main === "." ? project.entry : path.join(project.dir, project.main);
    let exported: any;
    if (isModule) {
        program = fs.realpathSync(program);
        exported = await dynamicImport(url.pathToFileURL(program).href);
        if (Object.getOwnPropertyDescriptor(exported, "default") !== undefined) {
            if (Object.keys(exported).length !== 1)
                throw new Error(
                    "expected entrypoint module to have either a default export or named exports but not both",
                );
            exported = exported.default;
        }
    } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        exported = require(program);
    }
    loaded();
    const body = exported instanceof Function ? exported() : exported;
    return await body;
}

/** Runs the program under the mock runtime as a preview; resolves to what it registered. */
export async function runProgram(
    project: ProjectSettings,
    options: RunOptions,
    late: LateErrors,
): Promise<CapturedResource[]> {
    const sdk = programSdk(project);
    const where = rel(project.entry);
    // Loaded here: @pulumi/pulumi takes a second or two to load, which --state and --backend do not need.
    const { previewNewResource, runUnderMocks } = await import("./mockRuntime");
    const isModule = packageManifest(project.dir)?.data.type === "module";
    forgetProgramModules(project);
    const cwd = process.cwd();
    process.chdir(project.dir);
    const baseline = activeHandles();
    const watch = watchStalls(where, sdk, options.timeoutSeconds, baseline);
    let onBeforeExit: (() => void) | undefined;
    try {
        if (project.runtime.typescript) registerTypeScript(sdk, project, options, isModule);
        onBeforeExit = watch.pending;
        process.on("beforeExit", onBeforeExit);
        const run = runUnderMocks(
            async () => {
                const body = await loadProgram(project, isModule, watch.startClock);
                return body;
            },
            {
                project: project.name,
                stack: project.stack,
                config: project.config,
                preview: true,
                newResource: previewNewResource,
            },
        );
        run.catch(() => undefined).finally(() => watch.settle());
        const result = await Promise.race([run, watch.stalled]);
        // The host's process ends when its event loop empties: timers the program left still run,
        // and may register resources or throw. Wait for them, up to the timeout.
        if (!watch.started) watch.startClock();
        await Promise.race([drained(baseline), watch.stalled]);
        if (late.errors.length > 0) throw late.errors[0];
        return result.resources;
    } catch (e) {
        if (e instanceof ProgramStalled || e instanceof ProjectError) throw e;
        throw programFailure(where, e);
    } finally {
        watch.stop();
        if (onBeforeExit) process.off("beforeExit", onBeforeExit);
        process.chdir(cwd);
    }
}

/**
 * A program run before in this process must run again, not come from the module cache; the check's
 * own modules stay (a project at this package's root must not reload the running tool).
 */
function forgetProgramModules(project: ProjectSettings): void {
    const own = ownModuleDirs();
    for (const file of Object.keys(require.cache)) {
        if (
            file.startsWith(project.root + path.sep) &&
            !file.includes(`${path.sep}node_modules${path.sep}`) &&
            !own.some((dir) => file.startsWith(dir))
        )
            delete require.cache[file];
    }
}

/**
 * The two ways a program stalls, as a promise that rejects with a `ProgramStalled`: it waits on
 * nothing that can ever finish (`pending`, also what the process's beforeExit means), or it runs past
 * the timeout. The clock starts once the program is loaded (compiling it is not running it).
 */
function watchStalls(where: string, sdk: string, timeoutSeconds: number, baseline: Map<string, number>) {
    let stall: (e: ProgramStalled) => void = () => undefined;
    const stalled = new Promise<never>((_, reject) => (stall = reject));
    stalled.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    let settled = false;
    const pending = () =>
        stall(
            new ProgramStalled(
                `${where} ended with work pending: ${leakedPromises(sdk)}; nothing was checked (an exported promise that never settles, or a missing \`await\`)`,
            ),
        );
    // Neither timer keeps the process alive.
    const startClock = () => {
        timer = setTimeout(
            () =>
                stall(
                    new ProgramStalled(
                        `${where} did not finish within ${timeoutSeconds} s (--timeout): it still runs (a timer, an open connection, or work that never completes); nothing was checked`,
                    ),
                ),
            timeoutSeconds * 1000,
        ).unref();
        // The program waits on nothing that can ever finish (no timer, socket or file operation
        // of its own, seen twice in a row): the host's process would exit here with the program
        // unfinished.
        let idle = 0;
        watchdog = setInterval(() => {
            idle = busy(baseline) ? 0 : idle + 1;
            if (idle >= 3 && !settled) pending();
        }, 50).unref();
    };
    return {
        stalled,
        pending,
        startClock,
        get started(): boolean {
            return timer !== undefined;
        },
        settle(): void {
            settled = true;
        },
        stop(): void {
            clearTimeout(timer);
            clearInterval(watchdog);
        },
    };
}

/** Counts of the active handles (timers, sockets, ...) that keep the process alive, by kind. */
function activeHandles(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return counts;
}

/** Whether more handles (timers, sockets, file operations) are active than before the program started. */
function busy(baseline: Map<string, number>): boolean {
    return [...activeHandles()].some(([kind, n]) => n > (baseline.get(kind) ?? 0));
}

/** Resolves once no more handles are active than before the program started. */
async function drained(baseline: Map<string, number>): Promise<void> {
    while (busy(baseline)) await new Promise((resolve) => setTimeout(resolve, 20).unref());
}

/** The SDK's own count of its promises still active, in its words. */
function leakedPromises(sdk: string): string {
    try {
        const debuggable = createRequire(path.join(sdk, "package.json"))("./runtime/debuggable");
        const [leaked] = debuggable.leakedPromises() as [Set<unknown>, string];
        if (leaked.size > 0)
            return `the Pulumi runtime detected that ${leaked.size} ${leaked.size === 1 ? "promise was" : "promises were"} still active at the time that the process exited`;
    } catch {
        // An SDK without the leak detector: say what is known.
    }
    return "the program's promise never settled and nothing was left to run";
}

/** Starts watching for errors thrown outside the program's promise chain (timers, callbacks). */
export function watchLateErrors(): LateErrors {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on("uncaughtException", onError);
    return { errors, stop: () => process.off("uncaughtException", onError) };
}

export function programFailure(where: string, e: unknown): Error {
    const error = e as Error & { diagnosticText?: string; code?: string };
    if (error?.name === "TSError") {
        const first = (error.diagnosticText ?? error.message).split("\n").find((l) => l.trim()) ?? "";
        // As the language host does, a project without typescript compiles with the SDK's own old
        // one, which today's type definitions defeat.
        const hint = vendoredTypeScript
            ? ` (compiled with the ${vendoredTypeScript} vendored in @pulumi/pulumi, as Pulumi does for a project without typescript: run \`npm i -D typescript@5\` in the project)`
            : "";
        return new ProgramError(`${where} does not compile: ${first.trim()}${hint}`, e, true);
    }
    if (error instanceof SyntaxError) {
        const at = /^(\/[^\n]*?:\d+)\n/.exec(String(error.stack ?? ""))?.[1];
        return new ProgramError(
            `${where} does not compile: ${error.message}${at ? ` (${path.relative(process.cwd(), at)})` : ""}`,
            e,
            true,
        );
    }
    if (error?.code === "MODULE_NOT_FOUND" || error?.code === "ERR_MODULE_NOT_FOUND") {
        const missing = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1];
        const from = /imported from (\S+)|Require stack:\n- (\S+)/.exec(error.message);
        const by = from ? ` (required by ${path.relative(process.cwd(), from[1] ?? from[2])})` : "";
        if (missing && /^[./]/.test(missing))
            return new ProgramError(`${where} failed: cannot find ${missing}${by}`, e, true);
        if (missing)
            return new ProgramError(
                `${where} failed: it needs ${missing}, which is not installed${by}; run \`npm install\` in the project`,
                e,
                true,
            );
    }
    const message = String(error?.message ?? e).trim();
    const userFacing = (error as { hideStack?: boolean })?.hideStack === true;
    return new ProgramError(`${where} failed: ${message}`, e, userFacing);
}
