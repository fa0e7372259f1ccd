// A real DynamoDB-compatible server for tests and benchmarks: dynalite (in-memory LevelDB) on
// 127.0.0.1 at a random port. In-process by default (starts in milliseconds); `childProcess: true`
// runs it in its own Node process so that a client's parallelism is not hidden by sharing one
// event loop with the server, which is what a benchmark needs.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const localRequire = createRequire(__filename);

/** dynalite ships no type declarations; this is the part of its API we use. */
type DynaliteFactory = (options: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
}) => Server;

export interface LocalDynamo {
    /** `http://127.0.0.1:<port>` */
    readonly endpoint: string;
    readonly region: string;
    /** Static dummy credentials: dynalite does not check signatures. */
    readonly credentials: { accessKeyId: string; secretAccessKey: string };
    /** The server's process id when it runs in a child process (to measure its CPU time). */
    readonly pid?: number;
    /** A client for this server with the SDK's own retries turned off. */
    client(): DynamoDBClient;
    stop(): Promise<void>;
}

export interface StartOptions {
    /** Run the server in a separate Node process. Defaults to false (in-process). */
    readonly childProcess?: boolean;
}

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const NO_DELAYS = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

export async function startDynalite(options: StartOptions = {}): Promise<LocalDynamo> {
    return options.childProcess ? startChild() : startInProcess();
}

async function startInProcess(): Promise<LocalDynamo> {
    const dynalite = localRequire("dynalite") as DynaliteFactory;
    const server = dynalite(NO_DELAYS);
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return localDynamo(port, undefined, () => new Promise<void>((resolve) => server.close(() => resolve())));
}

async function startChild(): Promise<LocalDynamo> {
    const modulePath = localRequire.resolve("dynalite");
    const script =
        `const s = require(${JSON.stringify(modulePath)})(${JSON.stringify(NO_DELAYS)});` +
        `s.listen(0, "127.0.0.1", () => process.stdout.write(String(s.address().port) + "\\n"));` +
        // Exit when the parent goes away (its end of stdin closes), even if it crashed.
        `process.stdin.on("end", () => process.exit(0)).resume();`;
    const child: ChildProcess = spawn(process.execPath, ["-e", script], {
        stdio: ["pipe", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`dynalite exited early with code ${code}`)));
        child.stdout?.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    });
    child.removeAllListeners("exit");
    return localDynamo(
        port,
        child.pid,
        () =>
            new Promise<void>((resolve) => {
                child.once("exit", () => resolve());
                child.kill();
            }),
    );
}

function localDynamo(port: number, pid: number | undefined, stop: () => Promise<void>): LocalDynamo {
    const endpoint = `http://127.0.0.1:${port}`;
    return {
        endpoint,
        ...(pid !== undefined ? { pid } : {}),
        region: REGION,
        credentials: CREDENTIALS,
        client: () =>
            new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 }),
        stop,
    };
}
