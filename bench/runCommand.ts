// Runs a command as a user would (its own process) and measures it from outside: wall time and
// peak resident memory. Peak RSS comes from GNU time (`/usr/bin/time -f %M`) when it is installed,
// otherwise from polling the process's VmHWM (Linux).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CommandRun {
    readonly code: number;
    readonly seconds: number;
    /** Peak resident set size in MB, when it could be measured. */
    readonly peakRssMb?: number;
    readonly stdout: string;
    readonly stderr: string;
}

const GNU_TIME = "/usr/bin/time";

export async function runCommand(
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
): Promise<CommandRun> {
    const dir = mkdtempSync(join(tmpdir(), "bench-run-"));
    const timeFile = join(dir, "time.txt");
    const useTime = existsSync(GNU_TIME);
    const [file, argv] = useTime
        ? [GNU_TIME, ["-f", "%M", "-o", timeFile, command, ...args]]
        : [command, [...args]];
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let polledKb = 0;
    const poll = useTime
        ? undefined
        : setInterval(() => {
              try {
                  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
                  polledKb = Math.max(polledKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
              } catch {
                  // gone already, or not Linux
              }
          }, 50);
    const code = await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (c) => resolve(c ?? 1));
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (poll) clearInterval(poll);
    let kb = polledKb;
    if (useTime && existsSync(timeFile)) kb = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
    rmSync(dir, { recursive: true, force: true });
    return { code, seconds, stdout, stderr, ...(kb > 0 ? { peakRssMb: kb / 1024 } : {}) };
}
