/**
 * Conversion between the analyzer client's types and the analyzer protocol's messages
 * (`@pulumi/pulumi/proto/analyzer_pb`): requests out, responses and enforcement levels back.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type {
    AnalyzeResult,
    EnforcementLevel,
    NotApplicable,
    PolicyInfo,
    PropertyMap,
    ProviderResource,
    Resource,
    ResourceOptions,
    Severity,
} from "./types";
import { toWire } from "./wire";

export const levelToProto: { [level in EnforcementLevel]: analyzerpb.EnforcementLevel } = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
};

export function levelFromProto(level: analyzerpb.EnforcementLevel): EnforcementLevel {
    const found = (Object.keys(levelToProto) as EnforcementLevel[]).find((k) => levelToProto[k] === level);
    return found ?? "advisory";
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

export function toAnalyzeRequest(r: Resource): analyzerpb.AnalyzeRequest {
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

const severities: { [s: number]: Severity } = {
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** A severity from the wire; undefined for POLICY_SEVERITY_UNSPECIFIED (a policy that declares none). */
export function severityFromProto(s: analyzerpb.PolicySeverity): Severity | undefined {
    return severities[s];
}

/** A policy's metadata from GetAnalyzerInfo: only the fields the pack sets. */
export function policyMetadataFromProto(
    p: analyzerpb.PolicyInfo,
): Pick<PolicyInfo, "severity" | "framework" | "remediationSteps" | "url" | "tags"> {
    const f = p.getFramework();
    const out: Pick<PolicyInfo, "severity" | "framework" | "remediationSteps" | "url" | "tags"> = {};
    const severity = severityFromProto(p.getSeverity());
    if (severity) out.severity = severity;
    if (f) {
        out.framework = {
            name: f.getName(),
            version: f.getVersion(),
            reference: f.getReference(),
            specification: f.getSpecification(),
        };
    }
    if (p.getRemediationSteps()) out.remediationSteps = p.getRemediationSteps();
    if (p.getUrl()) out.url = p.getUrl();
    if (p.getTagsList().length > 0) out.tags = p.getTagsList();
    return out;
}

export function fromAnalyzeResponse(res: analyzerpb.AnalyzeResponse): AnalyzeResult {
    return {
        diagnostics: res.getDiagnosticsList().map((d) => {
            const severity = severityFromProto(d.getSeverity());
            return {
                policyName: d.getPolicyname(),
                policyPackName: d.getPolicypackname(),
                policyPackVersion: d.getPolicypackversion(),
                description: d.getDescription(),
                message: d.getMessage(),
                enforcementLevel: levelFromProto(d.getEnforcementlevel()),
                urn: d.getUrn(),
                ...(severity ? { severity } : {}),
            };
        }),
        notApplicable: fromNotApplicable(res.getNotApplicableList()),
    };
}

export function fromNotApplicable(list: analyzerpb.PolicyNotApplicable[]): NotApplicable[] {
    return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

export const policyTypes: { [t: number]: PolicyInfo["policyType"] } = {
    [analyzerpb.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
    [analyzerpb.PolicyType.POLICY_TYPE_STACK]: "stack",
};

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
