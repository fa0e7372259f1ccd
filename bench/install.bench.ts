// Installing the policy pack, as every CI run and every Pulumi Deployments run does: the pack's own
// dependencies (policies/package.json: @pulumi/policy, @pulumi/pulumi, yaml) against the same pack
// with a runtime dependency on @pulumi/aws, which a pack that imports the provider SDK for its types
// or helpers needs. Each is installed into an empty folder with `npm install`, from npm's cache when
// it has the packages (as a CI cache would), side by side in one run. Skipped, with the reason, when
// npm cannot install (offline without a cache).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BenchResult, ratio, round } from "./measure";

const PACK_PACKAGE = path.join(__dirname, "..", "policies", "package.json");

function folderSize(dir: string): { bytes: number; files: number } {
    let bytes = 0;
    let files = 0;
    const stack = [dir];
    while (stack.length > 0) {
        const current = stack.pop() as string;
        for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) stack.push(full);
            else if (entry.isFile()) {
                bytes += fs.statSync(full).size;
                files += 1;
            }
        }
    }
    return { bytes, files };
}

function install(dependencies: Record<string, string>): { ms: number; bytes: number; files: number } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-install-"));
    try {
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({ name: "pack-install-bench", version: "1.0.0", private: true, dependencies }),
        );
        const start = process.hrtime.bigint();
        execFileSync(
            "npm",
            [
                "install",
                "--prefer-offline",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
            ],
            {
                cwd: dir,
                stdio: "pipe",
                timeout: 300_000,
            },
        );
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        return { ms, ...folderSize(path.join(dir, "node_modules")) };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export async function bench(): Promise<BenchResult> {
    const title =
        "Installing the policy pack: its own dependencies vs with @pulumi/aws (npm install, npm cache warm)";
    const pack = JSON.parse(fs.readFileSync(PACK_PACKAGE, "utf8")).dependencies as Record<string, string>;
    const awsVersion = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8"))
        .version as string;
    let lean: ReturnType<typeof install>;
    let heavy: ReturnType<typeof install>;
    try {
        lean = install(pack);
        heavy = install({ ...pack, "@pulumi/aws": awsVersion });
    } catch (e) {
        return {
            title,
            rows: [],
            notes: [`skipped: npm install failed (${String((e as Error).message).split("\n")[0]})`],
        };
    }
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
    return {
        title,
        rows: [
            {
                pack: "ours (@pulumi/policy, @pulumi/pulumi, yaml)",
                "install ms": round(lean.ms),
                "node_modules MB": mb(lean.bytes),
                files: lean.files,
            },
            {
                pack: `with @pulumi/aws ${awsVersion}`,
                "install ms": round(heavy.ms),
                "node_modules MB": mb(heavy.bytes),
                files: heavy.files,
            },
            {
                pack: "with @pulumi/aws / ours",
                "install ms": ratio(heavy.ms, lean.ms),
                "node_modules MB": ratio(heavy.bytes, lean.bytes),
                files: ratio(heavy.files, lean.files),
            },
        ],
    };
}
