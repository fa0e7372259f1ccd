/**
 * A running policy pack and a typed client for its analyzer service: one method per analyzer RPC.
 * Started by `startPolicyPack` (./start.ts).
 */
import { ChildProcess } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzeStackRequest,
    fromAnalyzeResponse,
    fromNotApplicable,
    levelFromProto,
    levelToProto,
    policyMetadataFromProto,
    policyTypes,
    toAnalyzeRequest,
    encodeAnalyzeStack,
} from "./proto";
import type {
    AnalyzeResult,
    AnalyzerInfo,
    EnforcementLevel,
    LogEntry,
    PolicyConfig,
    RemediateResult,
    Resource,
    StackConfiguration,
} from "./types";

type Unary<Req, Res> = (
    req: Req,
    callback: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;

/** A running policy pack and a typed client for its analyzer service. */
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
            description: info.getDescription(),
            readme: info.getReadme(),
            provider: info.getProvider(),
            tags: info.getTagsList(),
            repository: info.getRepository(),
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
                    ...policyMetadataFromProto(p),
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
