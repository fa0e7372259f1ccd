/**
 * A check as SARIF 2.1.0, for code scanning: one run, one rule per policy that fired. Each rule
 * carries the policy's metadata (policies/dynamodb/engine/metadata.ts, or what another pack declares
 * in GetAnalyzerInfo): its help text and link (`helpUri`), tags, and `security-severity`, which GitHub
 * code scanning ranks alerts by. Each result carries `partialFingerprints` computed from the rule,
 * the resource's URN and the message, so that the same finding in the next run is recognised as the
 * same alert (SARIF 2.1.0 §3.27.17; GitHub code scanning's "SARIF support").
 */
import { createHash } from "crypto";
import { POLICY_METADATA, SECURITY_SEVERITY } from "../../policies/dynamodb/engine/metadata";
import type { Diagnostic } from "../analyzer/types";
import type { CapturedResource } from "../program/mockRuntime";
import { sarifPhysicalLocation } from "../program/sourcePosition";
import type { CheckResult, PolicyMetadataView } from "./types";

/** A policy's metadata by name, from `policies` (GetAnalyzerInfo) or the bundled pack's module. */
export function metadataFor(name: string, policies: readonly PolicyMetadataView[] = []): PolicyMetadataView {
    const given = policies.find((p) => p.name === name);
    if (given && (given.severity || given.url || given.remediationSteps)) return given;
    const own = POLICY_METADATA[name];
    return own ? { name, ...own, framework: { ...own.framework }, tags: [...own.tags] } : { name };
}

/** The key code scanning de-duplicates results by: stable for the same finding in every run. */
export function fingerprint(v: Pick<Diagnostic, "policyName" | "urn" | "message">, stack: string): string {
    const where = v.urn || `stack ${stack}`;
    return createHash("sha256").update(`${v.policyName}\n${where}\n${v.message.trim()}`).digest("hex");
}

const level = (v: Pick<Diagnostic, "enforcementLevel">) =>
    v.enforcementLevel === "mandatory" ? "error" : "warning";

function rule(v: Diagnostic, policies: readonly PolicyMetadataView[] | undefined): object {
    const m = metadataFor(v.policyName, policies);
    const severity = m.severity ?? v.severity;
    const control = m.framework
        ? `${m.framework.name} ${m.framework.reference}: ${m.framework.specification}`
        : "";
    const helpText = [v.description, m.remediationSteps, control && `Control: ${control}`]
        .filter(Boolean)
        .join("\n\n");
    return {
        id: v.policyName,
        ...(m.displayName && m.displayName !== v.policyName ? { name: m.displayName } : {}),
        shortDescription: { text: v.description.split(". ")[0] },
        fullDescription: { text: v.description },
        ...(m.url ? { helpUri: m.url } : {}),
        help: { text: helpText, markdown: helpText },
        defaultConfiguration: { level: level(v) },
        properties: {
            tags: [...(m.tags ?? []), ...(m.framework ? [m.framework.reference] : [])],
            precision: "high",
            "problem.severity": v.enforcementLevel === "mandatory" ? "error" : "warning",
            ...(severity ? { "security-severity": SECURITY_SEVERITY[severity] } : {}),
        },
    };
}

/** The check as a SARIF 2.1.0 log (one run, one rule per policy that fired). */
export function toSarif(result: CheckResult, entry: string, captured: CapturedResource[] = []): object {
    const sourceOf = (urn: string) => captured.find((r) => r.urn === urn)?.source;
    const first = [...new Map(result.violations.map((v) => [v.policyName, v])).values()];
    const rules = first.map((v) => rule(v, result.policies));
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: result.policyPack.name,
                        version: result.policyPack.version,
                        informationUri: "https://www.pulumi.com/docs/iac/crossguard/",
                        rules,
                    },
                },
                // The cost estimate, as in --json (a SARIF property bag).
                properties: result.cost ? { cost: result.cost } : undefined,
                results: result.violations.map((v) => ({
                    ruleId: v.policyName,
                    ruleIndex: first.findIndex((f) => f.policyName === v.policyName),
                    level: level(v),
                    message: { text: v.message.trim() },
                    locations: [
                        {
                            physicalLocation: sarifPhysicalLocation(sourceOf(v.urn), entry),
                            logicalLocations: [
                                { fullyQualifiedName: v.urn || `stack ${result.stack}`, kind: "resource" },
                            ],
                        },
                    ],
                    partialFingerprints: { "dynamodbPitrFinding/v1": fingerprint(v, result.stack) },
                })),
            },
        ],
    };
}
