/**
 * Runs the policy pack on one stack's resources, two ways that must agree:
 *
 * - `evaluateInProcess`: calls the pack's own policy objects (`policies/policyList.ts`) in this
 *   process, with the arguments built exactly as `@pulumi/policy`'s analyzer server builds them
 *   (`server.js`: `makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun`, `getResourceOptions`,
 *   `getProviderResource`, `makeReportViolationFun`), from the same wire values the gRPC path sends.
 *   No process, no round trips: the fleet check's fast path.
 * - `evaluateOverGrpc`: the analyzer protocol, as `pulumi preview --policy-pack` drives it (any pack).
 *
 * tests/cli/analyzer/evaluate.spec.ts runs every fixture stack through both and compares the diagnostics.
 */
import * as fs from "fs";
import * as path from "path";
import { PACK_METADATA } from "../../policies/dynamodb/engine/metadata";
import { PACK_NAME, policies } from "../../policies/policyList";
import { bundledPackDir } from "../core/paths";
import type { PolicyPackClient } from "./client";
import type { AnalyzerInfo, Diagnostic, EnforcementLevel, PolicyConfig, Resource } from "./types";
import { SECRET_SIG, SIG_KEY, toWire } from "./wire";

/** What both paths need to know of a stack besides its resources. */
export interface StackIdentity {
    stack: string;
    project: string;
    tags: Record<string, string>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
// From the copy of @pulumi/policy the pack's policies load: the unknown proxy and its error class
// (proxy.js, which loads nothing else). `policy.js` and `deserialize.js` load @pulumi/pulumi (a
// second or two): their few functions the analyzer server uses are mirrored below, and
// deserialize.js is loaded only for a value holding an asset or an archive.
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [bundledPackDir()] }));
const proxy = require(path.join(policyDir, "proxy")) as {
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (...args: any[]) => Error;
};
const pulumiDeserialize = () =>
    require(path.join(policyDir, "deserialize")) as {
        deserializeProperties(struct: { toJavaScript(): any }, proxySecrets: boolean): Record<string, any>;
    };
/* eslint-enable @typescript-eslint/no-require-imports */

// policy.js: isResourcePolicy, isStackPolicy, getPulumiType.
const policyModule = {
    isResourcePolicy(p: any): boolean {
        const validation = p.validateResource;
        if (typeof validation === "function") return true;
        if (Array.isArray(validation)) return validation.every((v) => typeof v === "function");
        return typeof p.remediateResource === "function";
    },
    isStackPolicy: (p: any): boolean => typeof p.validateStack === "function",
    getPulumiType(obj: any): string | undefined {
        const t = obj?.__pulumiType;
        return typeof t === "string" && t.length > 0 ? t : undefined;
    },
};

/** deserialize.js `deserializeProperty` without secret proxies (as Analyze and AnalyzeStack call it). */
function deserializeProperty(prop: any): any {
    if (prop === undefined) throw new Error("unexpected undefined property value during deserialization");
    if (prop === null || typeof prop !== "object") return prop;
    if (Array.isArray(prop)) return prop.map(deserializeProperty);
    const sig = prop[SIG_KEY];
    if (sig) {
        if (sig === SECRET_SIG) return deserializeProperty(prop.value);
        // Assets, archives and unknown signatures: the SDK's own code (and its errors).
        return pulumiDeserialize().deserializeProperties({ toJavaScript: () => ({ v: prop }) }, false).v;
    }
    const obj: Record<string, any> = {};
    for (const k of Object.keys(prop)) obj[k] = deserializeProperty(prop[k]);
    return obj;
}

/** deserialize.js `deserializeProperties`: top-level undefined values are left out. */
function deserializeProperties(outputs: Record<string, any>): Record<string, any> {
    const props: Record<string, any> = {};
    for (const k of Object.keys(outputs))
        if (outputs[k] !== undefined) props[k] = deserializeProperty(outputs[k]);
    return props;
}

/** The enforcement level `new PolicyPack` gives policies that set none (`policy.js`). */
const PACK_DEFAULT_LEVEL: EnforcementLevel = "advisory";

/** The bundled pack's version, as `new PolicyPack` reads it from the pack's package.json. */
function packVersion(): string {
    return JSON.parse(fs.readFileSync(path.join(bundledPackDir(), "package.json"), "utf8")).version;
}

/** What GetAnalyzerInfo answers for the bundled pack, without starting it (no initial config). */
export function inProcessInfo(): AnalyzerInfo {
    return {
        name: PACK_NAME,
        displayName: PACK_METADATA.displayName,
        description: PACK_METADATA.description,
        readme: PACK_METADATA.readme,
        provider: PACK_METADATA.provider,
        tags: [...PACK_METADATA.tags],
        repository: PACK_METADATA.repository,
        version: packVersion(),
        supportsConfig: true,
        policies: policies.map((p: any) => ({
            name: p.name,
            displayName: p.name,
            description: p.description,
            enforcementLevel: p.enforcementLevel ?? PACK_DEFAULT_LEVEL,
            policyType: policyModule.isResourcePolicy(p) ? "resource" : "stack",
            ...metadataOf(p),
            // As GetAnalyzerInfo carries it (a Struct round trip), so that config resolves identically.
            configSchema: p.configSchema
                ? {
                      properties: structRoundTrip(p.configSchema.properties ?? {}) as Record<string, unknown>,
                      required: p.configSchema.required ?? [],
                  }
                : undefined,
        })),
        initialConfig: {},
    };
}

/** A policy's severity, framework, remediation steps, URL and tags, as GetAnalyzerInfo carries them. */
function metadataOf(p: any): Partial<AnalyzerInfo["policies"][number]> {
    const out: Partial<AnalyzerInfo["policies"][number]> = {};
    if (p.severity) out.severity = p.severity;
    if (p.framework) out.framework = { ...p.framework };
    if (p.remediationSteps) out.remediationSteps = p.remediationSteps;
    if (p.url) out.url = p.url;
    if (p.tags?.length) out.tags = [...p.tags];
    return out;
}

/**
 * Struct.fromJavaScript(...).toJavaScript() as the wire does it: JSON values with every object's
 * keys in sorted order (protobuf maps iterate sorted), `undefined` members dropped.
 */
function structRoundTrip(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(structRoundTrip);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object).sort()) {
        if (object[key] !== undefined) out[key] = structRoundTrip(object[key]);
    }
    return out;
}

/** The wire form of each property map, made once: every policy gets its own deserialized copy. */
const wireForms = new WeakMap<object, Record<string, any>>();

/** A resource's properties decoded as CrossGuard decodes them (wrap in the unknown-checking proxy to hand out). */
const toProps = (properties: Resource["properties"]) => {
    const key = properties ?? {};
    let wire = wireForms.get(key);
    if (!wire) {
        wire = structRoundTrip(toWire(key)) as Record<string, any>;
        wireForms.set(key, wire);
    }
    return deserializeProperties(wire);
};

/** `make()`, run on first use and kept. */
function once<T>(make: () => T): () => T {
    let made: { value: T } | undefined;
    return () => (made ??= { value: make() }).value;
}

/** `getResourceOptions` of server.js, from the values `toOptions` (cli/analyzer/proto.ts) would send. */
function options(r: Resource): Record<string, unknown> {
    const o = r.options ?? {};
    const result: Record<string, unknown> = {
        protect: o.protect ?? false,
        ignoreChanges: o.ignoreChanges ?? [],
        aliases: o.aliases ?? [],
        customTimeouts: {
            createSeconds: o.customTimeouts?.create ?? 0,
            updateSeconds: o.customTimeouts?.update ?? 0,
            deleteSeconds: o.customTimeouts?.delete ?? 0,
        },
        additionalSecretOutputs: o.additionalSecretOutputs ?? [],
    };
    if (o.deleteBeforeReplace !== undefined) result.deleteBeforeReplace = o.deleteBeforeReplace;
    if (o.parent) result.parent = o.parent;
    return result;
}

function provider(r: Resource): Record<string, unknown> | undefined {
    if (!r.provider) return undefined;
    return {
        type: r.provider.type,
        props: proxy.unknownCheckingProxy(toProps(r.provider.properties)),
        urn: r.provider.urn,
        name: r.provider.name,
    };
}

function freezeMap(map: Map<string, string>) {
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    });
}

/**
 * What `args.notApplicable(reason)` throws. CrossGuard throws an `Error` subclass; here it is a plain
 * object, caught the same way: policies say "not applicable" for most resources of a stack, and an
 * `Error` captures a stack trace each time (most of the in-process Analyze time on 10,000 resources).
 */
class NotApplicableError {
    constructor(readonly reason?: string) {}
}
const throwNotApplicable = (reason?: string) => {
    throw new NotApplicableError(reason);
};

function isTypeOf(type: string, resourceClass: any): boolean {
    const pulumiType = policyModule.getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = resourceClass?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/**
 * Runs every policy of the bundled pack on one stack, in this process. `config` is the output of
 * the one function that builds a check's policy configuration (`stateLevels`), as `configure` would
 * receive it. Diagnostics come back as the gRPC client returns them: Analyze's per resource (in
 * resource order, then policy order) with the resource's URN when the policy gave none, then
 * AnalyzeStack's.
 */
export async function evaluateInProcess(
    config: Record<string, PolicyConfig>,
    stack: StackIdentity,
    resources: Resource[],
    info: Pick<AnalyzerInfo, "name" | "version"> = inProcessInfo(),
): Promise<Diagnostic[]> {
    const ev = evaluation(config, stack, info);
    await analyzeEach(ev, resources);
    await analyzeStack(ev, resources);
    return ev.out;
}

/** What the Analyze and AnalyzeStack halves share: the policies' levels and settings, how they report. */
function evaluation(
    config: Record<string, PolicyConfig>,
    stack: StackIdentity,
    info: Pick<AnalyzerInfo, "name" | "version">,
) {
    const stackTags = freezeMap(new Map(Object.entries(stack.tags)));
    // Each policy's settings as `getConfig` returns them, made once per stack.
    const knobsOf = new Map<string, Record<string, unknown>>();
    const getConfigFor = (name: string) => () => {
        const c = config[name];
        if (!c) return {};
        let knobs = knobsOf.get(name);
        if (!knobs) {
            // eslint-disable-next-line @typescript-eslint/no-unused-vars
            const { enforcementLevel, ...rest } = structRoundTrip(c) as PolicyConfig;
            knobs = rest;
            knobsOf.set(name, knobs);
        }
        return knobs;
    };
    const levelOf = (p: any): EnforcementLevel =>
        config[p.name]?.enforcementLevel || p.enforcementLevel || PACK_DEFAULT_LEVEL;
    const fail = (p: any, kind: string, e: unknown): never => {
        const policyFrom = `policy '${p.name}' from policy pack '${info.name}@v${info.version}'`;
        throw new Error(`${kind} with ${policyFrom}: ${(e as Error)?.message ?? e}`);
    };
    const out: Diagnostic[] = [];
    const report = (p: any, level: EnforcementLevel, sink: Diagnostic[], fallbackUrn: string) => {
        return (message: any, urn?: string) => {
            if (typeof message === "object" && message !== null) {
                sink.push({
                    policyName: message.name || p.name,
                    policyPackName: info.name,
                    policyPackVersion: info.version,
                    description: message.description || p.description,
                    message: message.message || message.description || p.description,
                    enforcementLevel: message.enforcementLevel || level,
                    urn: message.urn || fallbackUrn,
                    ...severityOf(message.severity || p.severity),
                });
            } else {
                sink.push({
                    policyName: p.name,
                    policyPackName: info.name,
                    policyPackVersion: info.version,
                    description: p.description,
                    message: message ? `${p.description}\n${message}` : p.description,
                    enforcementLevel: level,
                    urn: urn || fallbackUrn,
                    ...severityOf(p.severity),
                });
            }
        };
    };
    const unknownDiagnostic = (p: any, e: Error, urn: string): Diagnostic => ({
        policyName: p.name,
        policyPackName: info.name,
        policyPackVersion: info.version,
        description: p.description,
        message: `can't run policy '${p.name}' from policy pack '${info.name}@v${info.version}' during preview: ${e.message}`,
        enforcementLevel: "advisory",
        urn,
        ...severityOf(p.severity),
    });

    return { stackTags, getConfigFor, levelOf, fail, out, report, unknownDiagnostic };
}

type Evaluation = ReturnType<typeof evaluation>;

/** A diagnostic's severity as the wire carries it: present only when the policy declares one. */
function severityOf(severity: unknown): Pick<Diagnostic, "severity"> {
    return typeof severity === "string" && severity ? { severity: severity as Diagnostic["severity"] } : {};
}

/** Analyze, resource by resource (makeAnalyzeRpcFun). */
async function analyzeEach(ev: Evaluation, resources: Resource[]): Promise<void> {
    const { stackTags, getConfigFor, levelOf, fail, out, report, unknownDiagnostic } = ev;
    for (const r of resources) {
        // One request per resource: its properties are decoded once for all policies, as the pack's
        // shared decoding does over gRPC (policies/dynamodb/crossguard/sharedDecoding.ts).
        const decoded = once(() => ({ props: toProps(r.properties), provider: provider(r) }));
        for (const p of policies as any[]) {
            let level = levelOf(p);
            if (level === "disabled" || !policyModule.isResourcePolicy(p) || !p.validateResource) continue;
            if (level === "remediate") level = "mandatory";
            if (!Array.isArray(p.validateResource)) {
                const pulumiType = policyModule.getPulumiType(p.validateResource);
                if (pulumiType && r.type !== pulumiType) continue;
            }
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            for (const validation of validations) {
                try {
                    const props = proxy.unknownCheckingProxy(decoded().props);
                    const args: Record<string, unknown> = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: options(r),
                        stackTags,
                        isType: (c: unknown) => isTypeOf(r.type, c),
                        asType: (c: unknown) => (isTypeOf(r.type, c) ? props : undefined),
                        getConfig: getConfigFor(p.name),
                        notApplicable: throwNotApplicable,
                    };
                    const prov = decoded().provider;
                    if (prov) args.provider = prov;
                    await validation(args, report(p, level, out, r.urn));
                } catch (e) {
                    if (e instanceof proxy.UnknownValueError) out.push(unknownDiagnostic(p, e, r.urn));
                    else if (!(e instanceof NotApplicableError)) fail(p, "Error validating resource", e);
                }
            }
        }
    }
}

/** AnalyzeStack (makeAnalyzeStackRpcFun): the resources are built anew for each policy. */
async function analyzeStack(ev: Evaluation, resources: Resource[]): Promise<void> {
    const { stackTags, getConfigFor, levelOf, fail, out, report, unknownDiagnostic } = ev;
    // One request: each resource's properties decoded once for all stack policies (shared decoding).
    const decoded = new Map<Resource, { props: Record<string, any>; provider?: Record<string, unknown> }>();
    for (const p of policies as any[]) {
        let level = levelOf(p);
        if (level === "disabled" || !policyModule.isStackPolicy(p)) continue;
        if (level === "remediate") level = "mandatory";
        const pulumiType = policyModule.getPulumiType(p.validateStack);
        if (pulumiType && !resources.some((r) => r.type === pulumiType)) continue;
        try {
            const built = stackResources(resources, decoded);
            await p.validateStack(
                {
                    resources: built,
                    getConfig: getConfigFor(p.name),
                    stackTags,
                    notApplicable: throwNotApplicable,
                },
                report(p, level, out, ""),
            );
        } catch (e) {
            if (e instanceof proxy.UnknownValueError) out.push(unknownDiagnostic(p, e, ""));
            else if (!(e instanceof NotApplicableError)) fail(p, "Error validating resource", e);
        }
    }
}

/** The stack's resources as a stack policy receives them, parents and dependencies linked. */
function stackResources(
    resources: Resource[],
    decoded: Map<Resource, { props: Record<string, any>; provider?: Record<string, unknown> }>,
): Array<Record<string, any>> {
    const built = resources.map((r) => {
        let d = decoded.get(r);
        if (!d) {
            d = { props: toProps(r.properties), provider: provider(r) };
            decoded.set(r, d);
        }
        const props = proxy.unknownCheckingProxy(d.props);
        const resource: Record<string, any> = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (c: unknown) => isTypeOf(r.type, c),
            asType: (c: unknown) => (isTypeOf(r.type, c) ? props : undefined),
        };
        if (d.provider) resource.provider = { ...d.provider };
        return resource;
    });
    const byUrn = new Map<string, Record<string, any>>();
    for (const b of built) byUrn.set(b.urn, b);
    resources.forEach((r, i) => {
        const b = built[i];
        if (r.parent) {
            const parent = byUrn.get(r.parent);
            if (parent) b.parent = parent;
        }
        b.dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d) => d);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {}))
            b.propertyDependencies[k] = urns.map((d) => byUrn.get(d)).filter((d) => d);
    });
    return built;
}

/**
 * The same, over the analyzer protocol: ConfigureStack and Configure for the stack, Analyze for each
 * resource (a batch in flight, results kept in resource order), then AnalyzeStack.
 */
export async function evaluateOverGrpc(
    pack: PolicyPackClient,
    config: Record<string, PolicyConfig>,
    stack: StackIdentity,
    resources: Resource[],
): Promise<Diagnostic[]> {
    // The values are those of a finished update, not a preview's.
    await pack.configureStack({
        stack: stack.stack,
        project: stack.project,
        dryRun: false,
        tags: stack.tags,
        config: {},
    });
    await pack.configure(config);
    const violations: Diagnostic[] = [];
    const batch = 64;
    for (let i = 0; i < resources.length; i += batch) {
        const slice = resources.slice(i, i + batch);
        const answers = await Promise.all(slice.map((r) => pack.analyze(r)));
        answers.forEach((a, j) => {
            for (const d of a.diagnostics) violations.push({ ...d, urn: d.urn || slice[j].urn });
        });
    }
    violations.push(...(await pack.analyzeStack(resources)).diagnostics);
    return violations;
}
