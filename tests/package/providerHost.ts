/**
 * Starts the component package the way the Pulumi engine does, with no CLI: the Node.js language host
 * runs `node @pulumi/pulumi/cmd/run-plugin <plugin folder> <engine address>` and reads the port of the
 * provider's gRPC server from the first line of its stdout.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerPb = require("@pulumi/pulumi/proto/provider_pb");

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PLUGIN_DIR = path.join(REPO_ROOT, "provider");

export interface RunningProvider {
    readonly process: ChildProcess;
    readonly client: grpc.Client;
    /** stderr so far, for failure messages. */
    readonly stderr: () => string;
    stop(): void;
}

export async function startProvider(engineAddress = "127.0.0.1:1"): Promise<RunningProvider> {
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [REPO_ROOT] });
    const child = spawn(process.execPath, [runPlugin, PLUGIN_DIR, engineAddress], {
        cwd: PLUGIN_DIR,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env },
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        const onData = (d: Buffer) => {
            out += d.toString();
            const line = out.split("\n").find((l) => /^\d+$/.test(l.trim()));
            if (line) {
                child.stdout!.off("data", onData);
                resolve(Number(line.trim()));
            }
        };
        child.stdout!.on("data", onData);
        child.on("exit", (code) =>
            reject(new Error(`provider exited with ${code} before printing its port:\n${out}\n${stderr}`)),
        );
    });
    const ClientCtor = grpc.makeGenericClientConstructor(
        providerGrpc.ResourceProviderService,
        "ResourceProvider",
    );
    const client = new ClientCtor(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        process: child,
        client,
        stderr: () => stderr,
        stop() {
            client.close();
            child.kill();
        },
    };
}

/** Calls `GetSchema` (schema version 0) and parses the package schema it returns. */
export function getSchema(provider: RunningProvider): Promise<PackageSchema> {
    const request = new providerPb.GetSchemaRequest();
    request.setVersion(0);
    return new Promise((resolve, reject) => {
        (
            provider.client as unknown as Record<
                string,
                (req: unknown, cb: (err: Error | null, res: { getSchema(): string }) => void) => void
            >
        ).getSchema(request, (err: Error | null, response: { getSchema(): string }) =>
            err ? reject(err) : resolve(JSON.parse(response.getSchema())),
        );
    });
}

export interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    description?: string;
    plain?: boolean;
}

export interface SchemaObject {
    type: string;
    description?: string;
    properties?: Record<string, SchemaProperty>;
    required?: string[];
    inputProperties?: Record<string, SchemaProperty>;
    requiredInputs?: string[];
    isComponent?: boolean;
}

export interface PackageSchema {
    name: string;
    version: string;
    description?: string;
    resources: Record<string, SchemaObject>;
    types: Record<string, SchemaObject>;
    dependencies?: { name: string; version: string }[];
}
