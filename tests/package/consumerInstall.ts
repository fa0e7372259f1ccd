/**
 * The consumer-install test (a CI step, `.ci/consumer-install.sh`; it needs the npm registry, so it
 * is not part of the offline `npm test`): installs this package's `npm pack` tarball into scratch
 * Pulumi projects next to the newest `@pulumi/pulumi` and `@pulumi/aws`, as a user would, and checks
 * from inside each project:
 *
 * - exactly one `@pulumi/pulumi` in the tree (`npm ls`);
 * - `npx dynamodb-pitr check` passes the `ResilientTable` and fails the bare production table, and
 *   its SARIF points at the line of the program that declared that table;
 * - the policy pack found with `require.resolve("dynamodb-pitr/policies")` starts from node_modules
 *   as the Pulumi CLI starts a pack (`run-policy-pack` resolved from the pack's folder) and answers
 *   `GetAnalyzerInfo`;
 * - the component package's provider (`provider/`) starts under `run-plugin` and answers `GetSchema`;
 * - the entry points `dynamodb-pitr` and `dynamodb-pitr/recover` load, with their types.
 *
 * Once for a TypeScript project (with `typescript` and `ts-node`) and once for a JavaScript project,
 * which gets no compiler: there `check` runs a `.ts` program with the ts-node and TypeScript vendored
 * in `@pulumi/pulumi`, as the Pulumi CLI does. The provider infers its schema from TypeScript
 * source, so the JavaScript project installs the compiler before starting it.
 *
 * Usage: ts-node tests/package/consumerInstall.ts <npm pack tarball> ts|js [--keep]
 * (`.ci/consumer-install.sh` packs the tarball and runs both projects side by side.)
 */
import * as assert from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "programs");
const BARE_TABLE = "payments";
const NPM_FLAGS = ["--no-audit", "--no-fund", "--loglevel=error"];
/** What the provider (which reads the components' TypeScript source) needs; `check` needs none. */
const COMPILER = ["typescript@5", "ts-node@10", "@types/node@22"];

interface Flavour {
    name: "TypeScript" | "JavaScript";
    fixture: string;
    entry: string;
    /** Installed next to the tarball, besides the newest @pulumi/pulumi and @pulumi/aws. */
    devDependencies: string[];
}

const FLAVOURS: Flavour[] = [
    {
        name: "TypeScript",
        fixture: "consumer-ts",
        entry: "index.ts",
        devDependencies: COMPILER,
    },
    { name: "JavaScript", fixture: "consumer-js", entry: "index.js", devDependencies: [] },
];

function ok(text: string): void {
    console.log(`  ok  ${text}`);
}

function npm(cwd: string, args: string[]): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

/** Spawns a Pulumi gRPC child (pack or plugin) and resolves to its port, read from its first line. */
function startGrpcChild(args: string[], cwd: string): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    return new Promise((resolve, reject) => {
        // The port on stdout is the signal; the bound only stops a child that hangs without one, and
        // says what it waited for (a busy machine can take a minute to load the SDK).
        const bound = 10 * 60_000;
        const timer = setTimeout(() => {
            child.kill();
            reject(
                new Error(
                    `node ${args.join(" ")} (pid ${child.pid}) printed no port on stdout within ${bound / 60_000} minutes; stdout: ${JSON.stringify(out)}, stderr: ${JSON.stringify(err)}`,
                ),
            );
        }, bound);
        child.stdout!.on("data", (d) => {
            out += d;
            const line = out.split("\n").find((l) => /^\d+$/.test(l.trim()));
            if (line) {
                clearTimeout(timer);
                resolve({ child, port: Number(line.trim()) });
            }
        });
        child.once("close", (code) => {
            clearTimeout(timer);
            reject(new Error(`exited with code ${code} before printing a port:\n${out}\n${err}`));
        });
    });
}

/** Calls a unary method on a client made from the project's own copy of the SDK's gRPC stubs. */
function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
        client[method](request, (e: Error | null, res: T) => (e ? reject(e) : resolve(res))),
    );
}

function installProject(flavour: Flavour, scratch: string, tarball: string): string {
    const dir = path.join(scratch, flavour.fixture);
    fs.cpSync(path.join(FIXTURES, flavour.fixture), dir, { recursive: true });
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: flavour.fixture, private: true, main: flavour.entry }, null, 4),
    );
    // One install, as `npm i` of everything a new project lists would do.
    npm(dir, [
        "install",
        ...NPM_FLAGS,
        tarball,
        "@pulumi/pulumi@latest",
        "@pulumi/aws@latest",
        ...flavour.devDependencies,
    ]);
    return dir;
}

function checkOneSdk(dir: string): string {
    const copies = npm(dir, ["ls", "@pulumi/pulumi", "--all", "--parseable"])
        .split("\n")
        .filter((line) => line.trim() !== "");
    const unique = [...new Set(copies)];
    assert.deepStrictEqual(
        unique,
        [path.join(fs.realpathSync(dir), "node_modules", "@pulumi", "pulumi")],
        `expected one @pulumi/pulumi, found:\n${unique.join("\n")}`,
    );
    const version = JSON.parse(fs.readFileSync(path.join(unique[0], "package.json"), "utf8")).version;
    ok(`one @pulumi/pulumi in the tree: ${version} (npm ls)`);
    return version;
}

function checkVerdicts(dir: string, flavour: Flavour): void {
    const sarif = path.join(dir, "report.sarif");
    const run = spawnSync("npx", ["dynamodb-pitr", "check", ".", "--json", "--sarif", sarif], {
        cwd: dir,
        encoding: "utf8",
    });
    assert.strictEqual(run.status, 1, `expected exit code 1 (mandatory violations):\n${run.stderr}`);
    const result = JSON.parse(run.stdout);
    const tableOf = (urn: string) => urn.split("::").pop();
    const mandatory = result.violations.filter((v: any) => v.enforcementLevel === "mandatory");
    const flagged = [...new Set(mandatory.map((v: any) => tableOf(v.urn)))];
    assert.deepStrictEqual(flagged, [BARE_TABLE], "only the bare table has mandatory violations");
    assert.ok(
        mandatory.some((v: any) => v.policyName === "dynamodb-production-table-pitr-enabled"),
        "the bare table fails the PITR policy",
    );
    const component = result.resources.find((r: any) => r.type === "dynamodb-pitr:index:ResilientTable");
    assert.ok(component, "the ResilientTable was registered");
    ok(
        `npx dynamodb-pitr check: exit 1, ${mandatory.length} mandatory violations, all on \`${BARE_TABLE}\`; ResilientTable \`${component.name}\` passes`,
    );
    const pricesDoc: string = result.cost.pricesDoc;
    assert.ok(
        pricesDoc.endsWith(path.join("dynamodb-pitr", "docs", "cost.md")) &&
            fs.existsSync(path.join(dir, pricesDoc)),
        `the cost estimate's price page is the installed package's docs/cost.md: ${pricesDoc}`,
    );
    ok(`the cost estimate names its price page as the project sees it: ${pricesDoc}`);
    // The only thing on stderr: the component's advisory that the production plan copies nowhere an
    // admin of the account cannot reach (docs/ransomware.md), printed once, whole, on one line.
    const advisory =
        /^warning: \[runtime\] TableBackupPlan "[^"]+": every backup of these production tables stays in this account\. .*Fix: set `airGapped`/;
    const lines = run.stderr.split("\n").filter((l) => l.trim() !== "");
    if (lines.filter((l) => advisory.test(l)).length !== 1)
        throw new Error(`check did not print the air-gapped advisory once on stderr:\n${run.stderr}`);
    const other = lines.filter((l) => !advisory.test(l));
    if (other.length > 0) throw new Error(`check printed on stderr:\n${other.join("\n")}`);
    ok("stderr holds only the production plan's air-gapped advisory");
    ok("check printed no warnings");

    const source = fs.readFileSync(path.join(dir, flavour.entry), "utf8").split("\n");
    const line = source.findIndex((l) => l.includes(`new aws.dynamodb.Table("${BARE_TABLE}"`)) + 1;
    // The production ResilientTable's only finding is the advisory that its backups stay in its
    // account (docs/ransomware.md); every other result is the bare table's.
    const isolated = "dynamodb-production-table-backups-isolated";
    const componentLine = source.findIndex((l) => /new ResilientTable\(/.test(l)) + 1;
    const results = JSON.parse(fs.readFileSync(sarif, "utf8")).runs[0].results;
    for (const r of results) {
        const location = r.locations[0].physicalLocation;
        assert.strictEqual(location.artifactLocation.uri, flavour.entry, r.message.text);
        const expected =
            r.ruleId === isolated && !r.message.text.includes(`\`${BARE_TABLE}\``) ? componentLine : line;
        assert.strictEqual(location.region.startLine, expected, r.message.text);
    }
    ok(
        `SARIF: all ${results.length} results at ${flavour.entry}:${line}, where \`${BARE_TABLE}\` is declared, or the ResilientTable's isolated-backups advisory at line ${componentLine}`,
    );
}

async function checkPack(dir: string): Promise<void> {
    const requireHere = createRequire(path.join(dir, "package.json"));
    const packDir = path.dirname(requireHere.resolve("dynamodb-pitr/policies"));
    assert.strictEqual(packDir, path.join(fs.realpathSync(dir), "node_modules", "dynamodb-pitr", "policies"));
    const runner = requireHere.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    assert.ok(runner.startsWith(path.join(fs.realpathSync(dir), "node_modules", "@pulumi", "pulumi")));
    const grpc = requireHere("@grpc/grpc-js");
    const rpc = requireHere("@pulumi/pulumi/proto/analyzer_grpc_pb");
    const { Empty } = requireHere("google-protobuf/google/protobuf/empty_pb");
    // The engine address is only dialled when the pack logs; nothing listens on port 1.
    const { child, port } = await startGrpcChild([runner, "127.0.0.1:1", packDir], packDir);
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
        const info: any = await call(client, "getAnalyzerInfo", new Empty());
        assert.strictEqual(info.getName(), "dynamodb-pitr");
        assert.ok(info.getPoliciesList().length > 0);
        ok(
            `policy pack ${path.relative(dir, packDir)} started by ${path.relative(dir, runner)}: GetAnalyzerInfo says ${info.getName()}@${info.getVersion()}, ${info.getPoliciesList().length} policies`,
        );
    } finally {
        client.close();
        child.kill();
    }
}

async function checkProvider(dir: string): Promise<void> {
    const requireHere = createRequire(path.join(dir, "package.json"));
    const pluginDir = path.join(path.dirname(requireHere.resolve("dynamodb-pitr/package.json")), "provider");
    const runner = requireHere.resolve("@pulumi/pulumi/cmd/run-plugin");
    const grpc = requireHere("@grpc/grpc-js");
    const providerGrpc = requireHere("@pulumi/pulumi/proto/provider_grpc_pb");
    const providerPb = requireHere("@pulumi/pulumi/proto/provider_pb");
    const { child, port } = await startGrpcChild([runner, pluginDir, "127.0.0.1:1"], pluginDir);
    const Client = grpc.makeGenericClientConstructor(
        providerGrpc.ResourceProviderService,
        "ResourceProvider",
    );
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
        const request = new providerPb.GetSchemaRequest();
        request.setVersion(0);
        const response: any = await call(client, "getSchema", request);
        const schema = JSON.parse(response.getSchema());
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), [
            "dynamodb-pitr:index:OrganizationBackupPolicy",
            "dynamodb-pitr:index:ProtectionBaseline",
            "dynamodb-pitr:index:ResilientTable",
            "dynamodb-pitr:index:TableBackupPlan",
        ]);
        ok(
            `provider ${path.relative(dir, pluginDir)} started by ${path.relative(dir, runner)}: GetSchema gives ${schema.name}@${schema.version} with ${Object.keys(schema.resources).length} components`,
        );
    } finally {
        client.close();
        child.kill();
    }
}

/**
 * With no compiler installed, `check` on a TypeScript program runs it as the Pulumi CLI would: with
 * the ts-node and TypeScript vendored in `@pulumi/pulumi`.
 */
function checkWithoutCompiler(dir: string): void {
    assert.strictEqual(npm(dir, ["ls", "typescript", "ts-node", "--all", "--parseable"]).trim(), "");
    ok("no typescript or ts-node in the tree");
    const program = path.join(dir, "ts-program");
    fs.mkdirSync(program);
    fs.copyFileSync(path.join(FIXTURES, "consumer-ts", "Pulumi.yaml"), path.join(program, "Pulumi.yaml"));
    fs.copyFileSync(path.join(FIXTURES, "consumer-ts", "index.ts"), path.join(program, "index.ts"));
    const run = spawnSync("npx", ["dynamodb-pitr", "check", "ts-program", "--json"], {
        cwd: dir,
        encoding: "utf8",
    });
    assert.strictEqual(run.status, 1, run.stderr);
    const flagged = new Set(
        JSON.parse(run.stdout)
            .violations.filter((v: any) => v.enforcementLevel === "mandatory")
            .map((v: any) => v.urn.split("::").pop()),
    );
    assert.deepStrictEqual([...flagged], [BARE_TABLE]);
    ok(`check on a .ts program with the SDK's vendored compiler: exit 1, only \`${BARE_TABLE}\` flagged`);
}

/**
 * The package's entry points, as the project resolves them: `dynamodb-pitr` and
 * `dynamodb-pitr/recover` at run time and (in the TypeScript project) with their types under both
 * the `node` and the `node16` module resolution; the deprecated deep path of docs/recovery.md
 * before 0.2 still runs.
 */
function checkEntryPoints(dir: string, flavour: Flavour): void {
    const probes: Array<[string, string]> = [
        ["dynamodb-pitr", "ResilientTable"],
        ["dynamodb-pitr/recover", "recoverItems"],
        ["dynamodb-pitr/bin/cli/recover", "recoverItems"],
    ];
    for (const [specifier, name] of probes) {
        const run = spawnSync(
            process.execPath,
            ["-e", `process.stdout.write(typeof require(${JSON.stringify(specifier)}).${name})`],
            { cwd: dir, encoding: "utf8" },
        );
        assert.strictEqual(run.stdout, "function", `require("${specifier}").${name}:\n${run.stderr}`);
    }
    ok(`require: ${probes.map(([s, n]) => `${s} (${n})`).join(", ")}`);
    if (flavour.name !== "TypeScript") return;
    fs.writeFileSync(
        path.join(dir, "entry-points.ts"),
        [
            'import { ResilientTable } from "dynamodb-pitr";',
            'import { recoverItems, summarize, type RecoveryReport } from "dynamodb-pitr/recover";',
            "export const table: typeof ResilientTable = ResilientTable;",
            "export const run: (report: RecoveryReport) => string = summarize;",
            "export const recover = recoverItems;",
            "",
        ].join("\n"),
    );
    for (const resolution of [
        ["--module", "commonjs", "--moduleResolution", "node"],
        ["--module", "node16", "--moduleResolution", "node16"],
    ]) {
        const tsc = spawnSync(
            "npx",
            [
                "tsc",
                "--noEmit",
                "--strict",
                "--skipLibCheck",
                "--esModuleInterop",
                ...resolution,
                "entry-points.ts",
            ],
            { cwd: dir, encoding: "utf8" },
        );
        assert.strictEqual(tsc.status, 0, `tsc ${resolution.join(" ")}:\n${tsc.stdout}${tsc.stderr}`);
    }
    ok("types: dynamodb-pitr and dynamodb-pitr/recover type-check under node and node16 resolution");
}

async function main(): Promise<void> {
    const [tarball, which] = process.argv.slice(2);
    const flavour = FLAVOURS.find((f) => f.fixture === `consumer-${which}`);
    if (!tarball || !fs.existsSync(tarball) || !flavour)
        throw new Error("usage: consumerInstall.ts <npm pack tarball> ts|js [--keep]");
    const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "consumer-install-")));
    try {
        const started = Date.now();
        console.log(
            `${flavour.name} project on Node ${process.version}, installing ${path.basename(tarball)}:`,
        );
        const dir = installProject(flavour, scratch, path.resolve(tarball));
        const aws = JSON.parse(
            fs.readFileSync(path.join(dir, "node_modules/@pulumi/aws/package.json"), "utf8"),
        );
        const pulumi = checkOneSdk(dir);
        console.log(`  (installed: @pulumi/pulumi ${pulumi}, @pulumi/aws ${aws.version})`);
        checkVerdicts(dir, flavour);
        checkEntryPoints(dir, flavour);
        await checkPack(dir);
        if (flavour.devDependencies.length === 0) {
            checkWithoutCompiler(dir);
            // The provider serves other languages (`pulumi package add`) and infers its schema from
            // the components' TypeScript source: it needs the compiler even here.
            npm(dir, ["install", ...NPM_FLAGS, "--save-dev", ...COMPILER]);
            console.log(`  (installed ${COMPILER.join(", ")} for the provider)`);
        }
        await checkProvider(dir);
        console.log(`  ${flavour.name} project: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } finally {
        if (process.argv.includes("--keep")) console.log(`kept ${scratch}`);
        else fs.rmSync(scratch, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
