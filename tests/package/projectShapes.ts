/**
 * The project-shape test (a CI step, `.ci/project-shapes.sh`, run by `npm run test:compat`; it needs
 * the npm registry or its cache, so it is not part of `npm test`): `npx dynamodb-pitr check` in every
 * shape of Node.js Pulumi project the language host runs, with the package installed from its
 * `npm pack` tarball as a user installs it. In each, one program declares a default `ResilientTable`
 * and a bare production table: the check must exit 1, with every mandatory violation on the bare
 * table.
 *
 * One npm install (the tarball, the SDK versions of package-lock.json, `typescript@5` and no
 * `ts-node`, as `pulumi new aws-typescript` makes a project) is shared by the npm shapes, each a
 * folder inside it:
 *
 * - TypeScript without ts-node (the SDK's vendored ts-node with the project's typescript);
 * - JavaScript;
 * - `main: infra/`, checked from the project's folder and from `infra/`;
 * - `runtime.options.typescript: false` running the output of `tsc`;
 *
 * then the same TypeScript program in a pnpm project (symlinked node_modules) and a yarn project,
 * with pnpm and yarn installed from the npm registry.
 *
 * Usage: ts-node tests/package/projectShapes.ts <npm pack tarball> [--keep] [--only npm,pnpm,yarn]
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const BARE_TABLE = "payments";
const NPM_FLAGS = ["--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"];

/** The versions this repository is tested with (package-lock.json), so the npm cache can serve them. */
function lockedVersion(name: string): string {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8"))
        .version;
}

const PROGRAM_TS = `import * as aws from "@pulumi/aws";
import { ResilientTable } from "dynamodb-pitr";

const orders = new ResilientTable("orders", {
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
});

export const ordersTable = orders.name;

new aws.dynamodb.Table("${BARE_TABLE}", {
    hashKey: "paymentId",
    attributes: [{ name: "paymentId", type: "S" }],
    billingMode: "PAY_PER_REQUEST",
    tags: { environment: "production" },
});
`;

const PROGRAM_JS = PROGRAM_TS.replace(
    /import \* as aws from "@pulumi\/aws";\nimport \{ ResilientTable \} from "dynamodb-pitr";/,
    `"use strict";\nconst aws = require("@pulumi/aws");\nconst { ResilientTable } = require("dynamodb-pitr");`,
).replace("export const ordersTable = orders.name;", "exports.ordersTable = orders.name;");

/** What `pulumi new aws-typescript` writes, less the parts a check does not read. */
const TSCONFIG = JSON.stringify(
    {
        compilerOptions: {
            strict: true,
            outDir: "bin",
            target: "es2020",
            module: "commonjs",
            moduleResolution: "node",
            sourceMap: true,
            experimentalDecorators: true,
            pretty: true,
            noFallthroughCasesInSwitch: true,
            noImplicitReturns: true,
            forceConsistentCasingInFileNames: true,
            skipLibCheck: true,
        },
        files: ["index.ts"],
    },
    null,
    4,
);

function ok(text: string): void {
    console.log(`  ok  ${text}`);
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
    return execFileSync(cmd, args, {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...env },
    });
}

function write(dir: string, files: Record<string, string>): string {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

function pulumiYaml(name: string, options: { typescript?: boolean; main?: string } = {}): string {
    return [
        `name: ${name}`,
        "runtime:",
        "    name: nodejs",
        "    options:",
        `        typescript: ${options.typescript ?? true}`,
        ...(options.main ? [`main: ${options.main}`] : []),
        "config:",
        "    aws:region: us-east-1",
        "",
    ].join("\n");
}

/** `<bin> check <target>` in `cwd`: exit 1, every mandatory violation on the bare table. */
function expectVerdict(shape: string, cwd: string, bin: string[], target: string): void {
    const started = Date.now();
    const result = spawnSync(bin[0], [...bin.slice(1), "check", target, "--json"], { cwd, encoding: "utf8" });
    assert.strictEqual(
        result.status,
        1,
        `${shape}: expected exit code 1 (the bare table), got ${result.status}:\n${result.stderr}${result.stdout.slice(0, 2000)}`,
    );
    const json = JSON.parse(result.stdout);
    const mandatory = json.violations.filter((v: any) => v.enforcementLevel === "mandatory");
    const flagged = [...new Set(mandatory.map((v: any) => v.urn.split("::").pop()))];
    assert.deepStrictEqual(flagged, [BARE_TABLE], `${shape}: only the bare table has mandatory violations`);
    assert.ok(
        json.resources.some((r: any) => r.type === "dynamodb-pitr:index:ResilientTable"),
        `${shape}: the ResilientTable was registered`,
    );
    ok(
        `${shape}: \`${bin.join(" ")} check ${target}\` exits 1, ${mandatory.length} mandatory violations all on \`${BARE_TABLE}\`, the ResilientTable passes (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
}

function npmShapes(scratch: string, tarball: string): void {
    const dir = path.join(scratch, "npm");
    write(dir, { "package.json": JSON.stringify({ name: "shapes", private: true }) });
    const started = Date.now();
    run(
        "npm",
        [
            "install",
            ...NPM_FLAGS,
            tarball,
            `@pulumi/pulumi@${lockedVersion("@pulumi/pulumi")}`,
            `@pulumi/aws@${lockedVersion("@pulumi/aws")}`,
            `typescript@${lockedVersion("typescript")}`,
            `@types/node@${lockedVersion("@types/node")}`,
        ],
        dir,
    );
    assert.strictEqual(run("npm", ["ls", "ts-node", "--all", "--parseable"], dir).trim(), "", "no ts-node");
    ok(
        `npm install of the tarball, the SDK, typescript and no ts-node: ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const npx = ["npx", "--no-install", "dynamodb-pitr"];

    const ts = write(path.join(dir, "typescript"), {
        "Pulumi.yaml": pulumiYaml("typescript"),
        "package.json": JSON.stringify({ name: "typescript-shape", main: "index.ts" }),
        "tsconfig.json": TSCONFIG,
        "index.ts": PROGRAM_TS,
    });
    expectVerdict("TypeScript without ts-node", ts, npx, ".");

    const js = write(path.join(dir, "javascript"), {
        "Pulumi.yaml": pulumiYaml("javascript"),
        "package.json": JSON.stringify({ name: "javascript-shape", main: "index.js" }),
        "index.js": PROGRAM_JS,
    });
    expectVerdict("JavaScript", js, npx, ".");

    const infra = write(path.join(dir, "infra-main"), {
        "Pulumi.yaml": pulumiYaml("infra-main", { main: "infra/" }),
        "package.json": JSON.stringify({ name: "infra-main-shape" }),
        "infra/index.ts": PROGRAM_TS,
    });
    expectVerdict("`main: infra/` from the project's folder", infra, npx, ".");
    expectVerdict("`main: infra/` from infra/", path.join(infra, "infra"), npx, ".");

    const compiled = write(path.join(dir, "compiled"), {
        "Pulumi.yaml": pulumiYaml("compiled", { typescript: false }),
        "package.json": JSON.stringify({
            name: "compiled-shape",
            main: "bin/index.js",
            scripts: { build: "tsc" },
        }),
        "tsconfig.json": TSCONFIG,
        "index.ts": PROGRAM_TS,
    });
    const notBuilt = spawnSync(npx[0], [...npx.slice(1), "check", "."], { cwd: compiled, encoding: "utf8" });
    assert.strictEqual(notBuilt.status, 2, notBuilt.stderr);
    assert.match(
        notBuilt.stderr.trim(),
        /^error: .*no program entry point.*run `npm run build` first[^\n]*$/,
    );
    ok(`\`typescript: false\` before the build: exit 2, "${notBuilt.stderr.trim()}"`);
    run("npx", ["--no-install", "tsc"], compiled);
    expectVerdict("`typescript: false` with the output of tsc", compiled, npx, ".");
}

function toolShape(scratch: string, tarball: string, tool: "pnpm" | "yarn"): void {
    const tools = path.join(scratch, `${tool}-tool`);
    write(tools, { "package.json": JSON.stringify({ name: `${tool}-tool`, private: true }) });
    run("npm", ["install", ...NPM_FLAGS, tool], tools);
    const bin = path.join(tools, "node_modules", ".bin", tool);
    const version = run(bin, ["--version"], tools).trim();
    const dir = write(path.join(scratch, tool), {
        "Pulumi.yaml": pulumiYaml(tool),
        // yarn 1 resolves each range on its own, so @pulumi/aws's `^3` range gets a second, newer
        // @pulumi/pulumi; `resolutions` keeps one copy, as a yarn project with Pulumi should.
        "package.json": JSON.stringify({
            name: `${tool}-shape`,
            private: true,
            main: "index.ts",
            ...(tool === "yarn"
                ? { resolutions: { "@pulumi/pulumi": lockedVersion("@pulumi/pulumi") } }
                : {}),
        }),
        "tsconfig.json": TSCONFIG,
        "index.ts": PROGRAM_TS,
    });
    if (tool === "pnpm") {
        // pnpm 11 fails an install whose dependencies have build scripts it was not told about:
        // protobufjs (under @pulumi/pulumi's gRPC) has a postinstall that only checks versions.
        // dynamodb-pitr itself needs no build script allowed.
        write(dir, { "pnpm-workspace.yaml": "allowBuilds:\n    protobufjs: false\n" });
    }
    const started = Date.now();
    const packages = [
        tarball,
        `@pulumi/pulumi@${lockedVersion("@pulumi/pulumi")}`,
        `@pulumi/aws@${lockedVersion("@pulumi/aws")}`,
        `typescript@${lockedVersion("typescript")}`,
        `@types/node@${lockedVersion("@types/node")}`,
        // yarn 1 installs no peer dependencies: the pack's @pulumi/policy is listed by hand.
        ...(tool === "yarn" ? [`@pulumi/policy@${lockedVersion("@pulumi/policy")}`] : []),
    ];
    const add =
        tool === "pnpm"
            ? spawnSync(bin, ["add", "--prefer-offline", ...packages], { cwd: dir, encoding: "utf8" })
            : spawnSync(
                  bin,
                  [
                      "add",
                      "--prefer-offline",
                      "--non-interactive",
                      "--silent",
                      ...packages.slice(1),
                      `file:${tarball}`,
                  ],
                  {
                      cwd: dir,
                      encoding: "utf8",
                  },
              );
    assert.strictEqual(add.status, 0, `${tool} add exited ${add.status}:\n${add.stderr}\n${add.stdout}`);
    ok(
        `${tool} ${version} add of the tarball, the SDK and typescript: exit 0 in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    if (tool === "pnpm")
        assert.ok(
            fs.lstatSync(path.join(dir, "node_modules", "dynamodb-pitr")).isSymbolicLink(),
            "pnpm links packages",
        );
    expectVerdict(
        `${tool} project`,
        dir,
        tool === "pnpm" ? [bin, "exec", "dynamodb-pitr"] : [bin, "--silent", "dynamodb-pitr"],
        ".",
    );
}

function main(): void {
    const [tarball] = process.argv.slice(2);
    if (!tarball || !fs.existsSync(tarball))
        throw new Error("usage: projectShapes.ts <npm pack tarball> [--keep]");
    const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "project-shapes-")));
    const started = Date.now();
    try {
        console.log(`Project shapes on Node ${process.version}, from ${path.basename(tarball)}:`);
        // `--only pnpm,yarn` (when working on one shape) skips the others.
        const only = process.argv[process.argv.indexOf("--only") + 1]?.split(",");
        const runs = (shape: string) => !process.argv.includes("--only") || only.includes(shape);
        if (runs("npm")) npmShapes(scratch, path.resolve(tarball));
        if (runs("pnpm")) toolShape(scratch, path.resolve(tarball), "pnpm");
        if (runs("yarn")) toolShape(scratch, path.resolve(tarball), "yarn");
        console.log(`  project shapes: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } finally {
        if (process.argv.includes("--keep")) console.log(`kept ${scratch}`);
        else fs.rmSync(scratch, { recursive: true, force: true });
    }
}

try {
    main();
} catch (e) {
    console.error(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
}
