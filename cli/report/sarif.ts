/** A check as SARIF 2.1.0, for code scanning: one run, one rule per policy that fired. */
import type { CapturedResource } from "../program/mockRuntime";
import { sarifPhysicalLocation } from "../program/sourcePosition";
import type { CheckResult } from "./types";

/** The check as a SARIF 2.1.0 log (one run, one rule per policy that fired). */
export function toSarif(result: CheckResult, entry: string, captured: CapturedResource[] = []): object {
    const sourceOf = (urn: string) => captured.find((r) => r.urn === urn)?.source;
    const rules = [...new Map(result.violations.map((v) => [v.policyName, v])).values()].map((v) => ({
        id: v.policyName,
        shortDescription: { text: v.description.split(". ")[0] },
        fullDescription: { text: v.description },
        defaultConfiguration: { level: v.enforcementLevel === "mandatory" ? "error" : "warning" },
    }));
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
                    level: v.enforcementLevel === "mandatory" ? "error" : "warning",
                    message: { text: v.message.trim() },
                    locations: [
                        {
                            physicalLocation: sarifPhysicalLocation(sourceOf(v.urn), entry),
                            logicalLocations: [
                                { fullyQualifiedName: v.urn || `stack ${result.stack}`, kind: "resource" },
                            ],
                        },
                    ],
                })),
            },
        ],
    };
}
