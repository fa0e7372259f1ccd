/**
 * A program's resources through the policy pack over the analyzer protocol, as
 * `pulumi preview --policy-pack` does: Analyze for each resource (after Remediate where a policy is
 * set to remediate), then AnalyzeStack for the whole stack.
 */
import type { AnalyzerInfo, Diagnostic, Remediation, Resource } from "../analyzer/types";
import type { PolicyPackClient } from "../analyzer/client";
import type { EffectivePolicyConfig } from "../analyzer/policyConfig";
import { startPolicyPack } from "../analyzer/start";
import { CheckError } from "../core/errors";
import { rel } from "../core/paths";
import type { CapturedResource } from "../program/mockRuntime";
import type { ProjectSettings } from "../program/project";
import { resourceSummary } from "../report/text";
import type { CheckResult } from "../report/types";

/** Starts the pack for a program's check; a failure becomes one `CheckError` line, with a hint. */
export async function startPack(packDir: string): Promise<PolicyPackClient> {
    try {
        return await startPolicyPack(packDir, { timeoutMs: 20000 });
    } catch (e) {
        const where = rel(packDir);
        const reason = String((e as Error).message)
            .split("\n")[0]
            .replace(/^Policy pack .* failed to start: /, "");
        const hint = /Cannot find module '@pulumi\/policy'/.test(reason)
            ? " (@pulumi/policy is a peer dependency of dynamodb-pitr: install it in the project, e.g. `yarn add @pulumi/policy`; yarn 1 does not install peer dependencies)"
            : "";
        throw new CheckError(`policy pack ${where} failed to start: ${reason}${hint}`);
    }
}

/** Configures the pack for the stack, then analyzes each resource and the stack. */
export async function analyze(
    pack: PolicyPackClient,
    info: AnalyzerInfo,
    packDir: string,
    project: ProjectSettings,
    resources: Resource[],
    captured: CapturedResource[],
    config: EffectivePolicyConfig,
    stackTags: Record<string, string>,
    progress: (text: string) => void,
): Promise<CheckResult> {
    {
        await pack.configureStack({
            stack: project.stack,
            project: project.name,
            dryRun: true,
            tags: stackTags,
            config: project.config,
        });
        // The engine always sends the whole configuration: every policy's level and settings.
        await pack.configure(config);

        const violations: Diagnostic[] = [];
        const remediations: Array<Remediation & { urn: string }> = [];
        const remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");
        let done = 0;
        for (const resource of resources) {
            progress(`Analyzing ${++done}/${resources.length} resources...`);
            let analyzed = resource;
            if (remediating) {
                const result = await pack.remediate(resource);
                for (const r of result.remediations) {
                    remediations.push({ ...r, urn: resource.urn });
                    if (r.properties)
                        analyzed = { ...analyzed, properties: r.properties as Resource["properties"] };
                }
            }
            // Analyze answers for the resource it was given; the engine attributes them to its URN.
            for (const d of (await pack.analyze(analyzed)).diagnostics)
                violations.push({ ...d, urn: d.urn || resource.urn });
        }
        progress("Analyzing the stack...");
        violations.push(...(await pack.analyzeStack(resources)).diagnostics);

        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
        return {
            program: rel(project.entry),
            project: project.name,
            stack: project.stack,
            policyPack: {
                name: info.name,
                version: info.version,
                dir: rel(packDir),
            },
            resources: captured.map(resourceSummary),
            violations,
            remediations,
            summary: {
                resources: captured.length,
                tables: captured.filter(
                    (r) => /^aws(-native)?:dynamodb[:/]/i.test(r.type) && /table/i.test(r.type),
                ).length,
                mandatory,
                advisory: violations.length - mandatory,
                remediated: remediations.filter((r) => r.properties).length,
            },
        };
    }
}
