/**
 * The analyzer client's view of resources, property values and the pack's answers: plain types and
 * the two markers (`UNKNOWN`, `Secret`). A leaf: imports nothing of this package.
 */

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
    /** The policy's severity, when it declares one (`@pulumi/policy` 1.21 sends it with each diagnostic). */
    severity?: Severity;
}

/** A policy's severity (the analyzer protocol's `PolicySeverity`). */
export type Severity = "low" | "medium" | "high" | "critical";

/** The compliance framework and control a policy belongs to. */
export interface ComplianceFramework {
    name: string;
    version: string;
    reference: string;
    specification: string;
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
    severity?: Severity;
    framework?: ComplianceFramework;
    remediationSteps?: string;
    url?: string;
    tags?: string[];
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    description?: string;
    readme?: string;
    provider?: string;
    tags?: string[];
    repository?: string;
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
