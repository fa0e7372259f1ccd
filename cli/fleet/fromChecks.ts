/**
 * A program check or a `--state` check as a fleet report, so that `--format markdown` and
 * `--format html` render them exactly as they render a backend's stacks: one section per stack, its
 * tables, why each is production, and the pack's findings with their fixes.
 */
import type { PolicyConfig, Resource } from "../analyzer/types";
import type { CheckResult } from "../report/types";
import { disagreements } from "../state/selfCheck";
import { tableRows } from "./tables";
import { FleetResult, FleetStack, summariseFleet } from "./types";

/** One checked stack: what the check found, the resources the pack saw, and where they came from. */
export interface CheckedStack {
    result: CheckResult;
    resources: Resource[];
    /** The program's entry or the stack export's file. */
    location: string;
    stackTags: Record<string, string>;
    config: Record<string, PolicyConfig>;
    warnings?: string[];
}

export function fleetOfChecks(
    source: string,
    checked: CheckedStack[],
    errors: FleetResult["errors"] = [],
): FleetResult {
    const stacks: FleetStack[] = checked.map(
        ({ result, resources, location, stackTags, config, warnings }) => {
            const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
            const tables = tableRows(resources, config, stackTags, result.violations);
            return {
                name: `${result.project}/${result.stack}`,
                project: result.project,
                stack: result.stack,
                location,
                tags: stackTags,
                resources: resources.length,
                tables,
                violations: result.violations,
                disagreements: disagreements(tables, result.violations, config),
                mandatory,
                advisory: result.violations.length - mandatory,
                warnings: warnings ?? [],
                exitCode: mandatory > 0 ? 1 : 0,
            };
        },
    );
    const pack = checked[0]?.result.policyPack;
    return {
        backend: source,
        policyPack: { name: pack?.name ?? "", version: pack?.version ?? "", path: "grpc" },
        generatedAt: new Date().toISOString(),
        stacks,
        errors,
        summary: summariseFleet(stacks, errors),
    };
}
