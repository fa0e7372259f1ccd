/**
 * A client for a CrossGuard policy pack, started and driven exactly as the Pulumi CLI does it.
 *
 * `startPolicyPack(packDir)` spawns `node <@pulumi/pulumi>/cmd/run-policy-pack <engineAddress> <packDir>`
 * with `packDir` as the working directory (the runner's own convention: the pack reads its
 * `package.json` from there), reads the port the pack prints on its first stdout line, and connects
 * to the analyzer gRPC service on it. The engine address points at a tiny in-process Engine service
 * that records the pack's log messages (`PolicyPackClient.logs`), as the CLI's engine would.
 *
 * The returned `PolicyPackClient` offers one typed method per analyzer RPC:
 * `getAnalyzerInfo`, `configureStack`, `configure`, `analyze`, `analyzeStack`, `remediate`, and
 * `close` to stop the pack. Resource properties are plain JSON values; use `UNKNOWN` for a value that
 * is not known yet (as during `pulumi preview`) and `secret(value)` for a secret. They are encoded
 * with the runtime's own sentinels, so the pack sees what it would see under the CLI.
 *
 * Startup failures (missing pack, a pack that throws while loading, no port within the timeout) are
 * reported as one `Error` whose message names the pack folder and the reason.
 *
 * Used by the policy pack's tests and by the offline `check` command.
 */
import { spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import { PolicyPackClient } from "./client";
import type { LogEntry, StartOptions } from "./types";

const severities: { [s: number]: LogEntry["severity"] } = {
    [enginepb.LogSeverity.DEBUG]: "debug",
    [enginepb.LogSeverity.INFO]: "info",
    [enginepb.LogSeverity.WARNING]: "warning",
    [enginepb.LogSeverity.ERROR]: "error",
};

/** Starts an Engine service stub that records log messages; returns it with its address. */
async function startEngineStub(logs: LogEntry[]): Promise<{ server: grpc.Server; address: string }> {
    const server = new grpc.Server();
    const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: "not supported by the analyzer client" }, null);
    server.addService(enginerpc.EngineService, {
        log: (
            call: grpc.ServerUnaryCall<enginepb.LogRequest, Empty>,
            callback: grpc.sendUnaryData<Empty>,
        ) => {
            const r = call.request;
            logs.push({
                severity: severities[r.getSeverity()] ?? "info",
                message: r.getMessage(),
                urn: r.getUrn(),
            });
            callback(null, new Empty());
        },
        getRootResource: unimplemented,
        setRootResource: unimplemented,
        startDebugging: unimplemented,
        requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
            callback(null, new enginepb.RequirePulumiVersionResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
            err ? reject(err) : resolve(p),
        ),
    );
    return { server, address: `127.0.0.1:${port}` };
}

/** The line of a process's output that best says why it failed, for one-line error messages. */
function reasonFrom(text: string): string {
    const lines = text
        // eslint-disable-next-line no-control-regex
        .replace(/\x1b\[[0-9;]*m/g, "")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.length > 0 && !l.startsWith("at ") && !/^\^+$/.test(l));
    // Prefer the thrown error itself ("Error: ...", "TypeError: ...") over the runner's wrapper line.
    return lines.find((l) => /^([A-Z]\w*)?Error\b/.test(l)) ?? lines[0] ?? "no output";
}

/**
 * Starts the policy pack in `packDir` the way the Pulumi CLI does and connects to it.
 * Rejects with a one-line Error naming the pack folder and the reason if the pack does not start.
 */
export async function startPolicyPack(
    packDir: string,
    options: StartOptions = {},
): Promise<PolicyPackClient> {
    const dir = path.resolve(packDir);
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    const logs: LogEntry[] = [];
    const engine = await startEngineStub(logs);
    const child = spawn(process.execPath, [runner, engine.address, dir], {
        cwd: dir,
        env: { ...process.env, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));

    const fail = async (reason: string): Promise<never> => {
        child.kill();
        await new Promise<void>((resolve) => engine.server.tryShutdown(() => resolve()));
        throw new Error(`Policy pack ${packDir} failed to start: ${reason}`);
    };

    const port = await new Promise<number | string>((resolve) => {
        // The port on stdout is the signal; the bound only ends a pack that hangs without printing
        // one (a busy machine can take most of a minute to load the SDK and the pack's code).
        const bound = options.timeoutMs ?? 120_000;
        const timer = setTimeout(
            () =>
                resolve(
                    `no port printed on stdout within ${bound / 1000} s (stdout so far: ${JSON.stringify(stdout.slice(0, 200))}; stderr so far: ${JSON.stringify(stderr.slice(-500))})`,
                ),
            bound,
        );
        child.stdout?.on("data", (d: Buffer) => {
            stdout += d.toString();
            const line = stdout.split("\n")[0];
            if (stdout.includes("\n") || /^\d+$/.test(line.trim())) {
                const n = Number(line.trim());
                if (Number.isInteger(n) && n > 0) {
                    clearTimeout(timer);
                    resolve(n);
                }
            }
        });
        child.once("error", (err) => {
            clearTimeout(timer);
            resolve(err.message);
        });
        // "close" comes after the process's output is drained, so the reason is complete.
        child.once("close", (code, signal) => {
            clearTimeout(timer);
            resolve(`exited with ${signal ?? `code ${code}`}: ${reasonFrom(stderr + stdout)}`);
        });
    });
    if (typeof port === "string") {
        return fail(port);
    }
    // Once started, the pack's stdout carries nothing else; keep draining it so it never blocks.
    child.stdout?.removeAllListeners("data");
    child.stdout?.resume();

    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    return new PolicyPackClient(packDir, child, client, engine.server, logs, () => stderr);
}
