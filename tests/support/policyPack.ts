/**
 * Starts the compiled policy pack the way the Pulumi CLI does (through `cli/analyzer/`). Builds
 * `policies/bin` first when it is missing or older than a source file, so a bare `mocha` run tests
 * the current code.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackClient, startPolicyPack } from "../../cli/analyzer";

export const PACK_DIR = path.resolve(__dirname, "../../policies");

function newestSource(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "bin" || entry.name === "node_modules") {
            continue;
        }
        const p = path.join(dir, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
    }
    return newest;
}

export function buildPackIfStale(): void {
    const main = path.join(PACK_DIR, "bin", "index.js");
    if (fs.existsSync(main) && fs.statSync(main).mtimeMs >= newestSource(PACK_DIR)) {
        return;
    }
    const tsc = require.resolve("typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", path.join(PACK_DIR, "tsconfig.json")], { stdio: "inherit" });
}

export async function startPack(): Promise<PolicyPackClient> {
    buildPackIfStale();
    const pack = await startPolicyPack(PACK_DIR);
    await pack.configureStack({ stack: "dev", project: "orders", tags: {} });
    return pack;
}
