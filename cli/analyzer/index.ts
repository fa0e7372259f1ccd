/**
 * The analyzer client: a CrossGuard policy pack started and driven exactly as the Pulumi CLI does it
 * (./start.ts), its typed client (./client.ts), the values and types it speaks (./types.ts, ./wire.ts).
 * Used by the policy pack's tests and by the offline `check` command.
 */
export {
    UNKNOWN,
    type Unknown,
    Secret,
    secret,
    type PropertyValue,
    type PropertyMap,
    type EnforcementLevel,
    type ResourceOptions,
    type ProviderResource,
    type Resource,
    type Diagnostic,
    type Severity,
    type ComplianceFramework,
    type NotApplicable,
    type AnalyzeResult,
    type Remediation,
    type RemediateResult,
    type PolicyInfo,
    type AnalyzerInfo,
    type PolicyConfig,
    type StackConfiguration,
    type LogEntry,
    type StartOptions,
} from "./types";
export { UNKNOWN_WIRE_VALUE, toWire } from "./wire";
export { type AnalyzeStackRequest, encodeAnalyzeStack } from "./proto";
export { PolicyPackClient } from "./client";
export { startPolicyPack } from "./start";
