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
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";

/** The runtime's wire sentinel for a value that is unknown during preview (`@pulumi/pulumi/runtime/rpc`). */
export const UNKNOWN_WIRE_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The runtime's signature key and secret signature (`@pulumi/pulumi/runtime/rpc`). */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Marks a property value that is not known yet, as an `Output` during `pulumi preview`. */
export const UNKNOWN: unique symbol = Symbol.for("dynamodb-pitr.analyzer.unknown");
export type Unknown = typeof UNKNOWN;

/** A property value the engine treats as a secret. Create one with `secret(value)`. */
export class Secret {
    constructor(readonly value: PropertyValue) {}
}

/** Wraps a value so that it is sent to the pack as a secret. */
export function secret(value: PropertyValue): Secret {
    return new Secret(value);
}

/** A resource property value as the pack receives it. */
export type PropertyValue =
    | null
    | boolean
    | number
    | string
    | Unknown
    | Secret
    | PropertyValue[]
    | { [key: string]: PropertyValue | undefined };

export type PropertyMap = { [key: string]: PropertyValue | undefined };

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** The options of a resource that CrossGuard exposes to policies. */
export interface ResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    aliases?: string[];
    additionalSecretOutputs?: string[];
    parent?: string;
    customTimeouts?: { create?: number; update?: number; delete?: number };
}

/** The provider of a resource, with its properties (for AWS, `region`, `defaultTags`, ...). */
export interface ProviderResource {
    type: string;
    name: string;
    urn: string;
    properties: PropertyMap;
}

/** One resource as the engine describes it to the analyzer. */
export interface Resource {
    type: string;
    name: string;
    urn: string;
    properties: PropertyMap;
    options?: ResourceOptions;
    /** The URN of the parent resource (stack analysis only). */
    parent?: string;
    /** URNs of the resources this one depends on (stack analysis only). */
    dependencies?: string[];
    /** For each property, the URNs of the resources its value came from (stack analysis only). */
    propertyDependencies?: { [property: string]: string[] };
    provider?: ProviderResource;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

export interface Remediation {
    policyName: string;
    description: string;
    /** The remediated properties, or undefined when the remediation only produced a diagnostic. */
    properties?: { [key: string]: unknown };
    diagnostic: string;
}

export interface RemediateResult {
    remediations: Remediation[];
    notApplicable: NotApplicable[];
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    /** The JSON schema of the policy's configuration (`properties`), as declared by the pack. */
    configSchema?: { properties: { [knob: string]: unknown }; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    /** The configuration the pack was started with, per policy. */
    initialConfig: { [policy: string]: PolicyConfig };
}

/** One policy's configuration: its enforcement level and its knobs. */
export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    [knob: string]: unknown;
}

export interface StackConfiguration {
    stack: string;
    project: string;
    organization?: string;
    dryRun?: boolean;
    /** Stack tags (`pulumi stack tag set`). */
    tags?: { [key: string]: string };
    config?: { [key: string]: string };
}

export interface LogEntry {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string;
}

export interface StartOptions {
    /** How long to wait for the pack to print its port. Defaults to 30 seconds. */
    timeoutMs?: number;
    /** Extra environment variables for the pack process. */
    env?: NodeJS.ProcessEnv;
}

const levelToProto: { [level in EnforcementLevel]: analyzerpb.EnforcementLevel } = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
};

function levelFromProto(level: analyzerpb.EnforcementLevel): EnforcementLevel {
    const found = (Object.keys(levelToProto) as EnforcementLevel[]).find((k) => levelToProto[k] === level);
    return found ?? "advisory";
}

/** Converts a property value to the plain JSON the runtime puts in a `Struct`. */
export function toWire(value: PropertyValue | undefined): unknown {
    if (value === UNKNOWN) {
        return UNKNOWN_WIRE_VALUE;
    }
    if (value instanceof Secret) {
        return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: toWire(value.value) };
    }
    if (Array.isArray(value)) {
        return value.map((v) => toWire(v));
    }
    if (value !== null && typeof value === "object") {
        const out: { [key: string]: unknown } = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                out[k] = toWire(v);
            }
        }
        return out;
    }
    return value;
}

function toStruct(props: PropertyMap | undefined): Struct {
    return Struct.fromJavaScript(toWire(props ?? {}) as { [key: string]: any });
}

function toOptions(opts: ResourceOptions | undefined): analyzerpb.AnalyzerResourceOptions {
    const o = new analyzerpb.AnalyzerResourceOptions();
    o.setProtect(opts?.protect ?? false);
    o.setIgnorechangesList(opts?.ignoreChanges ?? []);
    o.setAliasesList(opts?.aliases ?? []);
    o.setAdditionalsecretoutputsList(opts?.additionalSecretOutputs ?? []);
    if (opts?.deleteBeforeReplace !== undefined) {
        o.setDeletebeforereplacedefined(true);
        o.setDeletebeforereplace(opts.deleteBeforeReplace);
    }
    if (opts?.parent) {
        o.setParent(opts.parent);
    }
    if (opts?.customTimeouts) {
        const t = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
        t.setCreate(opts.customTimeouts.create ?? 0);
        t.setUpdate(opts.customTimeouts.update ?? 0);
        t.setDelete(opts.customTimeouts.delete ?? 0);
        o.setCustomtimeouts(t);
    }
    return o;
}

function toProvider(p: ProviderResource): analyzerpb.AnalyzerProviderResource {
    const out = new analyzerpb.AnalyzerProviderResource();
    out.setType(p.type);
    out.setName(p.name);
    out.setUrn(p.urn);
    out.setProperties(toStruct(p.properties));
    return out;
}

/** What AnalyzeRequest and AnalyzerResource share: the resource itself, its options and provider. */
function describe<T extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(out: T, r: Resource): T {
    out.setType(r.type);
    out.setName(r.name);
    out.setUrn(r.urn);
    out.setProperties(toStruct(r.properties));
    out.setOptions(toOptions(r.options));
    if (r.provider) {
        out.setProvider(toProvider(r.provider));
    }
    return out;
}

function toAnalyzeRequest(r: Resource): analyzerpb.AnalyzeRequest {
    return describe(new analyzerpb.AnalyzeRequest(), r);
}

/** A resource of an AnalyzeStack request: also its parent and dependencies. */
function toAnalyzerResource(r: Resource): analyzerpb.AnalyzerResource {
    const out = describe(new analyzerpb.AnalyzerResource(), r);
    if (r.parent) {
        out.setParent(r.parent);
    }
    out.setDependenciesList(r.dependencies ?? []);
    const deps = out.getPropertydependenciesMap();
    for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {})) {
        const d = new analyzerpb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        deps.set(prop, d);
    }
    return out;
}

function fromAnalyzeResponse(res: analyzerpb.AnalyzeResponse): AnalyzeResult {
    return {
        diagnostics: res.getDiagnosticsList().map((d) => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: levelFromProto(d.getEnforcementlevel()),
            urn: d.getUrn(),
        })),
        notApplicable: fromNotApplicable(res.getNotApplicableList()),
    };
}

function fromNotApplicable(list: analyzerpb.PolicyNotApplicable[]): NotApplicable[] {
    return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

const policyTypes: { [t: number]: PolicyInfo["policyType"] } = {
    [analyzerpb.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
    [analyzerpb.PolicyType.POLICY_TYPE_STACK]: "stack",
};

type Unary<Req, Res> = (
    req: Req,
    callback: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;

/** A running policy pack and a typed client for its analyzer service. */
/** An AnalyzeStack request in its wire form. */
export type AnalyzeStackRequest = analyzerpb.AnalyzeStackRequest;

/**
 * Builds the AnalyzeStack request for `resources` once, so that a caller that sends the same stack
 * several times (a benchmark) measures the pack, not this client's encoding.
 */
export function encodeAnalyzeStack(resources: Resource[]): AnalyzeStackRequest {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(toAnalyzerResource));
    return req;
}

export class PolicyPackClient {
    /** Log messages the pack sent to the engine. */
    readonly logs: LogEntry[] = [];
    private closed = false;

    /** @internal Use `startPolicyPack`. */
    constructor(
        readonly packDir: string,
        private readonly child: ChildProcess,
        private readonly client: analyzerrpc.AnalyzerClient,
        private readonly engine: grpc.Server,
        logs: LogEntry[],
        private readonly stderr: () => string,
    ) {
        this.logs = logs;
    }

    private call<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> {
        return new Promise((resolve, reject) => {
            method.call(this.client, req, (err, res) => {
                if (err) {
                    const output = this.stderr().trim();
                    const detail = output ? `\n${output}` : "";
                    reject(new Error(`Policy pack ${this.packDir}: ${err.details || err.message}${detail}`));
                } else {
                    resolve(res);
                }
            });
        });
    }

    /** The pack's name, version, policies and their config schemas. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await this.call<Empty, analyzerpb.AnalyzerInfo>(
            this.client.getAnalyzerInfo,
            new Empty(),
        );
        const initialConfig: { [policy: string]: PolicyConfig } = {};
        for (const [name, c] of info.getInitialconfigMap().entries()) {
            initialConfig[name] = {
                ...(c.getProperties()?.toJavaScript() ?? {}),
                enforcementLevel: levelFromProto(c.getEnforcementlevel()),
            };
        }
        return {
            name: info.getName(),
            displayName: info.getDisplayname(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            initialConfig,
            policies: info.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: levelFromProto(p.getEnforcementlevel()),
                    policyType: policyTypes[p.getPolicyType()] ?? "unknown",
                    configSchema: schema
                        ? {
                              properties: schema.getProperties()?.toJavaScript() ?? {},
                              required: schema.getRequiredList(),
                          }
                        : undefined,
                };
            }),
        };
    }

    /** Tells the pack which stack it runs for (name, project, tags), as the CLI does before analysis. */
    async configureStack(stack: StackConfiguration): Promise<void> {
        const req = new analyzerpb.AnalyzerStackConfigureRequest();
        req.setStack(stack.stack);
        req.setProject(stack.project);
        req.setOrganization(stack.organization ?? "");
        req.setDryRun(stack.dryRun ?? true);
        for (const [k, v] of Object.entries(stack.tags ?? {})) {
            req.getTagsMap().set(k, v);
        }
        for (const [k, v] of Object.entries(stack.config ?? {})) {
            req.getConfigMap().set(k, v);
        }
        await this.call(this.client.configureStack, req);
    }

    /**
     * Sends policy configuration, as `--policy-pack-config` does: per policy, an enforcement level
     * and knobs. A policy left out keeps its defaults. Each call replaces the previous configuration.
     */
    async configure(config: { [policy: string]: PolicyConfig | EnforcementLevel }): Promise<void> {
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        // The engine always sends a level; use the policy's own when the caller gives none.
        const needDefaults = Object.values(config).some((v) => typeof v !== "string" && !v.enforcementLevel);
        const policies = needDefaults ? (await this.getAnalyzerInfo()).policies : [];
        for (const [name, value] of Object.entries(config)) {
            const { enforcementLevel, ...knobs } =
                typeof value === "string" ? { enforcementLevel: value } : value;
            const level = enforcementLevel ?? policies.find((p) => p.name === name)?.enforcementLevel;
            const c = new analyzerpb.PolicyConfig();
            c.setEnforcementlevel(levelToProto[level ?? "advisory"]);
            c.setProperties(Struct.fromJavaScript(knobs as { [key: string]: any }));
            req.getPolicyconfigMap().set(name, c);
        }
        await this.call(this.client.configure, req);
    }

    /** Runs every resource policy on one resource (the CLI calls this for each resource it registers). */
    async analyze(resource: Resource): Promise<AnalyzeResult> {
        const res = await this.call<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(
            this.client.analyze,
            toAnalyzeRequest(resource),
        );
        return fromAnalyzeResponse(res);
    }

    /** Runs every stack policy over all resources of a stack (the CLI calls this once, at the end). */
    async analyzeStack(resources: Resource[]): Promise<AnalyzeResult> {
        return this.analyzeStackRequest(encodeAnalyzeStack(resources));
    }

    /** Sends an AnalyzeStack request built once with {@link encodeAnalyzeStack} (as the engine sends it). */
    async analyzeStackRequest(req: AnalyzeStackRequest): Promise<AnalyzeResult> {
        const res = await this.call<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(
            this.client.analyzeStack,
            req,
        );
        return fromAnalyzeResponse(res);
    }

    /** Runs the remediations of policies configured with enforcement level `remediate`. */
    async remediate(resource: Resource): Promise<RemediateResult> {
        const res = await this.call<analyzerpb.AnalyzeRequest, analyzerpb.RemediateResponse>(
            this.client.remediate,
            toAnalyzeRequest(resource),
        );
        return {
            remediations: res.getRemediationsList().map((r) => ({
                policyName: r.getPolicyname(),
                description: r.getDescription(),
                properties: r.getProperties()?.toJavaScript(),
                diagnostic: r.getDiagnostic(),
            })),
            notApplicable: fromNotApplicable(res.getNotApplicableList()),
        };
    }

    /** Stops the pack and the engine stub. Safe to call twice. */
    async close(): Promise<void> {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.client.close();
        const exited = new Promise<void>((resolve) => {
            if (this.child.exitCode !== null || this.child.signalCode !== null) {
                resolve();
            } else {
                this.child.once("exit", () => resolve());
            }
        });
        this.child.kill();
        await exited;
        await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
    }
}

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
        const timer = setTimeout(
            () => resolve(`no port printed within ${options.timeoutMs ?? 30000} ms`),
            options.timeoutMs ?? 30000,
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
