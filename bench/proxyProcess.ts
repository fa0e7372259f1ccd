// The delaying proxy (tests/support/delayProxy.ts) in its own Node process, so that relaying every
// request costs the benchmark's client no CPU. Started by `startProxyProcess`; run directly, it is
// the child: it proxies to the port given, tells its parent its own port, and takes new delays from
// the parent's messages.
import { fork, type ChildProcess } from "node:child_process";
import { startDelayProxy } from "../tests/support/delayProxy";

export interface ProxyProcess {
    readonly endpoint: string;
    /** The proxy's process id (to measure its CPU time). */
    readonly pid?: number;
    setDelay(ms: number): Promise<void>;
    stop(): Promise<void>;
}

export async function startProxyProcess(targetPort: number): Promise<ProxyProcess> {
    const child: ChildProcess = fork(__filename, [String(targetPort)], {
        execArgv: ["-r", "ts-node/register/transpile-only"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const next = () =>
        new Promise<{ port?: number; delayMs?: number }>((resolve, reject) => {
            child.once("message", (m) => resolve(m as { port?: number }));
            child.once("exit", (code) => reject(new Error(`the proxy process exited with code ${code}`)));
        });
    const { port } = await next();
    return {
        endpoint: `http://127.0.0.1:${port}`,
        pid: child.pid,
        async setDelay(ms: number) {
            const answered = next();
            child.send({ delayMs: ms });
            await answered;
        },
        stop: () =>
            new Promise<void>((resolve) => {
                child.once("exit", () => resolve());
                child.kill();
            }),
    };
}

if (require.main === module) {
    void startDelayProxy({ host: "127.0.0.1", port: Number(process.argv[2]) }).then((proxy) => {
        process.on("message", (m: { delayMs: number }) => {
            proxy.delayMs = m.delayMs;
            process.send!({ delayMs: proxy.delayMs });
        });
        // Exit with the parent.
        process.on("disconnect", () => process.exit(0));
        process.send!({ port: Number(new URL(proxy.endpoint).port) });
    });
}
