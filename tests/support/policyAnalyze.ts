/**
 * What `pulumi policy analyze` (Pulumi CLI 3.229 and later) sends a policy pack for a stack's state,
 * rebuilt from its source in pulumi/pulumi, and what a preview of the same stack sends, so that a
 * test can put both through the pack over the analyzer protocol and compare the verdicts.
 *
 * `pulumi policy analyze` (pkg/cmd/pulumi/policy/policy_analyze.go) reads the state (`--stack`, or
 * `--file` with a `pulumi stack export`; secrets it cannot decrypt offline become the string
 * `[secret]`), loads the packs with `engine.LoadLocalPolicyPackAnalyzers` (pkg/engine/update.go),
 * which sends GetAnalyzerInfo and Configure but, given no analyzer options, never ConfigureStack
 * (pkg/resource/plugin/analyzer_plugin.go): the pack learns no stack tags. Then
 * `deploy.AnalyzeSnapshot` (pkg/resource/deploy/analyze_snapshot.go), for every resource not pending
 * deletion, the stack and the providers included, in state order: Remediate, reported but not
 * applied, then Analyze with the resource's `inputs`; then one AnalyzeStack with every resource's
 * `outputs`, parent, dependencies and property dependencies. Each carries the name from the URN,
 * the options protect, ignoreChanges, additionalSecretOutputs, aliases, customTimeouts and parent
 * (no deleteBeforeReplace), and its provider with the provider's `inputs`. Properties are marshalled
 * keeping secrets and nulls and skipping internal keys (`__defaults`, `__meta`). Analyze diagnostics
 * are reported on the analyzed resource; AnalyzeStack's on their URN when it names a resource of the
 * stack, otherwise on the root stack.
 */
import {
    AnalyzeResult,
    PolicyPackClient,
    PropertyMap,
    PropertyValue,
    ProviderResource,
    Resource,
    Secret,
    secret,
} from "../../cli/analyzer";

/** A resource of a stack export (`deployment.resources[i]`), as far as the two commands read it. */
export interface StateResource {
    urn: string;
    type: string;
    custom?: boolean;
    delete?: boolean;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    provider?: string;
    protect?: boolean;
    ignoreChanges?: string[];
    additionalSecretOutputs?: string[];
    aliases?: unknown[];
    deleteBeforeReplace?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * A state value as the engine marshals it to an analyzer: nulls kept, internal keys (`__...`)
 * skipped, a secret stays a secret when it can be read (`plaintext`), else it is `[secret]`.
 */
export function stateValue(value: unknown, blind: string | undefined = "[secret]"): PropertyValue {
    if (Array.isArray(value)) return value.map((v) => stateValue(v, blind));
    if (value === null || typeof value !== "object") return value as PropertyValue;
    const object = value as Record<string, unknown>;
    if (object[SIG] === SECRET_SIG) {
        if (typeof object.plaintext === "string")
            return secret(stateValue(JSON.parse(object.plaintext), blind));
        return blind as PropertyValue;
    }
    const out: { [key: string]: PropertyValue } = {};
    for (const [k, v] of Object.entries(object)) if (!k.startsWith("__")) out[k] = stateValue(v, blind);
    return out;
}

const nameOf = (urn: string) => urn.split("::").pop() ?? "";

/** Drops null members, at every level: a program registers no nulls, where a state keeps them. */
function withoutNulls(value: PropertyValue): PropertyValue {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value === null || typeof value !== "object" || !Object.getPrototypeOf(value)?.constructor)
        return value;
    if (Object.getPrototypeOf(value) !== Object.prototype) return value; // a Secret
    const out: { [key: string]: PropertyValue } = {};
    for (const [k, v] of Object.entries(value as Record<string, PropertyValue>))
        if (v !== null) out[k] = withoutNulls(v);
    return out;
}

/** The requests of one stack: per resource (Analyze, Remediate) and for the whole stack (AnalyzeStack). */
export function snapshotRequests(
    state: StateResource[],
    options: { inputsAsProgram?: boolean } = {},
): { perResource: Resource[]; stack: Resource[] } {
    const live = state.filter((r) => r.delete !== true);
    const byUrn = new Map(live.map((r) => [r.urn, r]));
    const providerOf = (r: StateResource): ProviderResource | undefined => {
        if (!r.provider) return undefined;
        const found = byUrn.get(r.provider.split("::").slice(0, -1).join("::"));
        return found
            ? { urn: found.urn, type: found.type, name: nameOf(found.urn), properties: props(found.inputs) }
            : undefined;
    };
    const props = (p: Record<string, unknown> | undefined) => stateValue(p ?? {}) as PropertyMap;
    const describe = (r: StateResource, properties: PropertyMap): Resource => ({
        type: r.type,
        name: nameOf(r.urn),
        urn: r.urn,
        properties,
        options: {
            protect: r.protect === true,
            ignoreChanges: r.ignoreChanges ?? [],
            additionalSecretOutputs: r.additionalSecretOutputs ?? [],
            aliases: (r.aliases ?? []).filter((a): a is string => typeof a === "string"),
            ...(r.parent ? { parent: r.parent } : {}),
        },
        provider: providerOf(r),
    });
    return {
        perResource: live.map((r) => {
            const inputs = props(r.inputs);
            return describe(r, options.inputsAsProgram ? (withoutNulls(inputs) as PropertyMap) : inputs);
        }),
        stack: live.map((r) => ({
            ...describe(r, props(r.outputs)),
            parent: r.parent,
            dependencies: r.dependencies ?? [],
            propertyDependencies: Object.fromEntries(
                Object.entries(r.propertyDependencies ?? {}).filter(([, urns]) => urns.length > 0),
            ),
        })),
    };
}

/** `--policy-pack-config`'s contents: per policy, a level or a level and knobs. */
export type PackConfig = Parameters<PolicyPackClient["configure"]>[0];

/** One diagnostic as the CLI shows it: policy, the resource it is reported on, level, message. */
export type Verdict = string;

const verdict = (policy: string, urn: string, level: string, message: string): Verdict =>
    `${policy} | ${urn} | ${level} | ${message.trim()}`;

async function analyzeAll(
    pack: PolicyPackClient,
    requests: { perResource: Resource[]; stack: Resource[] },
    remediateFirst: boolean,
): Promise<Verdict[]> {
    const out: Verdict[] = [];
    for (const r of requests.perResource) {
        if (remediateFirst) {
            for (const rem of (await pack.remediate(r)).remediations)
                if (rem.diagnostic) out.push(verdict(rem.policyName, r.urn, "advisory", rem.diagnostic));
        }
        const result: AnalyzeResult = await pack.analyze(r);
        for (const d of result.diagnostics)
            out.push(verdict(d.policyName, r.urn, d.enforcementLevel, d.message));
    }
    const urns = new Set(requests.stack.map((r) => r.urn));
    const root = requests.stack.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent)?.urn ?? "";
    for (const d of (await pack.analyzeStack(requests.stack)).diagnostics)
        out.push(verdict(d.policyName, urns.has(d.urn) ? d.urn : root, d.enforcementLevel, d.message));
    return out.sort();
}

/**
 * `pulumi policy analyze`: Configure (every policy at its defaults) and no ConfigureStack, then
 * Remediate and Analyze per resource with its inputs, then AnalyzeStack with the outputs. The pack
 * must be a process that was never sent ConfigureStack, as the CLI starts one for the command.
 */
export async function policyAnalyze(
    pack: PolicyPackClient,
    state: StateResource[],
    config: PackConfig = {},
): Promise<Verdict[]> {
    await pack.configure(config);
    return analyzeAll(pack, snapshotRequests(state), true);
}

/**
 * A preview of the same stack with an unchanged program: ConfigureStack (name, project, the stack's
 * tags, dry run), Configure, Analyze per resource with the inputs the program registers (the
 * state's inputs, which a program never gives nulls), AnalyzeStack with the resources' outputs,
 * which a preview keeps for an unchanged resource.
 */
export async function preview(
    pack: PolicyPackClient,
    state: StateResource[],
    stack: { stack: string; project: string; tags?: Record<string, string> },
    config: PackConfig = {},
): Promise<Verdict[]> {
    await pack.configureStack({
        stack: stack.stack,
        project: stack.project,
        tags: stack.tags ?? {},
        dryRun: true,
    });
    await pack.configure(config);
    return analyzeAll(pack, snapshotRequests(state, { inputsAsProgram: true }), false);
}

/** An analyzer value as a stack export stores it: secrets as `plaintext` (an export with --show-secrets). */
function toState(value: PropertyValue | undefined): unknown {
    if (value instanceof Secret)
        return { [SIG]: SECRET_SIG, plaintext: JSON.stringify(toState(value.value)) };
    if (Array.isArray(value)) return value.map(toState);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toState(v as PropertyValue);
        return out;
    }
    return value;
}

/**
 * The state a program leaves after `pulumi up` under the mock runtime: each resource's inputs (as the
 * engine checked them, auto-names included), its outputs, and the provider resources (default ones
 * included) that the engine records, so that `pulumi policy analyze` can be run on it.
 */
export function stateOfProgram(
    resources: Resource[],
    outputsOf: (urn: string) => PropertyMap,
    rootUrn: string,
): StateResource[] {
    const providers = new Map<string, StateResource>();
    const state: StateResource[] = [{ urn: rootUrn, type: "pulumi:pulumi:Stack" }];
    const body: StateResource[] = [];
    for (const r of resources) {
        if (r.type === "pulumi:pulumi:Stack") continue;
        let provider: string | undefined;
        if (r.provider) {
            provider = `${r.provider.urn}::${r.provider.name}-id`;
            if (!providers.has(r.provider.urn) && !resources.some((x) => x.urn === r.provider!.urn)) {
                const inputs = toState(r.provider.properties) as Record<string, unknown>;
                providers.set(r.provider.urn, {
                    urn: r.provider.urn,
                    type: r.provider.type,
                    custom: true,
                    inputs,
                    outputs: inputs,
                });
            }
        }
        body.push({
            urn: r.urn,
            type: r.type,
            custom: true,
            inputs: toState(r.properties) as Record<string, unknown>,
            outputs: { ...(toState(r.properties) as object), ...(toState(outputsOf(r.urn)) as object) },
            parent: r.parent ?? rootUrn,
            provider,
            protect: r.options?.protect,
            ignoreChanges: r.options?.ignoreChanges,
            aliases: r.options?.aliases,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        });
    }
    return [...state, ...providers.values(), ...body];
}
