// Runs a command as a user would (its own process) and measures it from outside: wall time, peak
// resident memory and CPU time. Peak RSS and CPU come from GNU time (`/usr/bin/time -f "%M %U %S"`)
// when it is installed, otherwise peak RSS from polling the process's VmHWM (Linux).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CommandRun {
    readonly code: number;
    readonly seconds: number;
    /** Peak resident set size in MB, when it could be measured. */
    readonly peakRssMb?: number;
    /** CPU seconds (user + system) the command used, when GNU time is installed. */
    readonly cpuSeconds?: number;
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
        ? [GNU_TIME, ["-f", "%M %U %S", "-o", timeFile, command, ...args]]
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
    let cpu: number | undefined;
    if (useTime && existsSync(timeFile)) {
        const [rss, user, system] = readFileSync(timeFile, "utf8")
            .trim()
            .split("\n")
            .pop()!
            .split(" ")
            .map(Number);
        kb = rss;
        cpu = user + system;
    }
    rmSync(dir, { recursive: true, force: true });
    return {
        code,
        seconds,
        stdout,
        stderr,
        ...(kb > 0 ? { peakRssMb: kb / 1024 } : {}),
        ...(cpu !== undefined ? { cpuSeconds: cpu } : {}),
    };
}
