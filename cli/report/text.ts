/**
 * How a check is shown: a preview-like tree of the resources with their key settings, then the
 * violations grouped by resource with their enforcement level (./sarif.ts: the same for code
 * scanning).
 */
import { paint } from "../core/text";
import type { CapturedResource } from "../program/mockRuntime";
import { formatLocation } from "../program/sourcePosition";
import type { CheckResult } from "./types";

interface RenderOptions {
    color: boolean;
    programDir: string;
    /** The first line; by default a preview's "Previewing <program> ...: N resources to create". */
    heading?: string;
    /** The mark before each resource; by default `+` (to create), as in a preview. */
    marker?: string;
}

function isUnknown(value: unknown): boolean {
    // The SDK's marker for a value computed during deployment.
    return (
        value !== null &&
        typeof value === "object" &&
        (value as { constructor?: { name?: string } }).constructor?.name === "Unknown"
    );
}

function show(value: unknown): string {
    return isUnknown(value) ? "(known after deploy)" : String(value);
}

/** A resource as the JSON result lists it. */
export function resourceSummary(r: CapturedResource): CheckResult["resources"][number] {
    const { urn, type, name, parent, protect, retainOnDelete, inputs } = r;
    return { urn, type, name, parent, protect, retainOnDelete, inputs };
}

/** The settings worth seeing at a glance for a resource. */
export function keySettings(resource: CapturedResource): string[] {
    const i = resource.inputs as Record<string, any>;
    const out: string[] = [];
    switch (resource.type) {
        case "aws:dynamodb/table:Table": {
            if (i.name !== undefined) out.push(`name ${show(i.name)}`);
            const pitr = i.pointInTimeRecovery;
            out.push(pitr?.enabled === true ? `PITR ${pitr.recoveryPeriodInDays ?? 35} days` : "PITR OFF");
            out.push(i.deletionProtectionEnabled === true ? "deletion protection" : "no deletion protection");
            const sse = i.serverSideEncryption;
            out.push(
                sse?.enabled === true
                    ? sse.kmsKeyArn !== undefined
                        ? "KMS customer-managed key"
                        : "KMS AWS-managed key"
                    : "AWS-owned key",
            );
            if (i.billingMode) out.push(String(i.billingMode));
            if (Array.isArray(i.replicas) && i.replicas.length > 0) {
                out.push(
                    `replicas ${i.replicas.map((r: any) => `${r.regionName}${r.pointInTimeRecovery ? " (PITR)" : " (no PITR)"}`).join(", ")}`,
                );
            }
            if (i.restoreDateTime || i.restoreToLatestTime || i.restoreBackupArn) {
                out.push(
                    `restored from ${show(i.restoreSourceName ?? i.restoreSourceTableArn ?? i.restoreBackupArn)}${i.restoreDateTime ? ` at ${i.restoreDateTime}` : ""}`,
                );
            }
            if (i.tags?.environment) out.push(`environment=${i.tags.environment}`);
            break;
        }
        case "aws:kms/key:Key":
            out.push(i.enableKeyRotation ? "rotation on" : "rotation OFF");
            if (i.deletionWindowInDays) out.push(`deletion window ${i.deletionWindowInDays} days`);
            if (i.region) out.push(`region ${i.region}`);
            break;
        case "aws:backup/plan:Plan":
            for (const rule of i.rules ?? []) {
                const days = rule.lifecycle?.deleteAfter;
                out.push(`${rule.ruleName}: ${rule.schedule}${days ? `, kept ${days} days` : ""}`);
            }
            break;
        case "aws:backup/selection:Selection":
            if (Array.isArray(i.resources)) out.push(`${i.resources.length} resource(s)`);
            if (Array.isArray(i.selectionTags) && i.selectionTags.length > 0) {
                out.push(`tags ${i.selectionTags.map((t: any) => `${t.key}=${t.value}`).join(", ")}`);
            }
            break;
        case "aws:backup/vault:Vault":
            if (i.name) out.push(`name ${show(i.name)}`);
            break;
    }
    if (resource.protect) out.push("protect");
    if (resource.retainOnDelete) out.push("retainOnDelete");
    return out;
}

export function renderReport(
    result: CheckResult,
    captured: CapturedResource[],
    options: RenderOptions,
): string {
    const bold = paint(options.color, 1);
    const dim = paint(options.color, 2);
    const red = paint(options.color, 31);
    const green = paint(options.color, 32);
    const yellow = paint(options.color, 33);
    const lines: string[] = [];

    lines.push(
        bold(
            options.heading ??
                `Previewing ${result.program} (project ${result.project}, stack ${result.stack}): ${captured.length} resources to create`,
        ),
    );
    const children = new Map<string | undefined, CapturedResource[]>();
    for (const r of captured) {
        const parent = r.parent && captured.some((p) => p.urn === r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const rows: Array<[CapturedResource, number]> = [];
    const collect = (parent: string | undefined, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            rows.push([r, depth]);
            collect(r.urn, depth + 1);
        }
    };
    collect(undefined, 0);
    const typeWidth = Math.min(64, Math.max(0, ...rows.map(([r, depth]) => r.type.length + depth * 2)) + 1);
    const nameWidth = Math.min(32, Math.max(0, ...rows.map(([r]) => r.name.length)) + 1);
    for (const [r, depth] of rows) {
        const settings = keySettings(r);
        const type = `${"  ".repeat(depth)}${r.type}`.padEnd(typeWidth);
        const name = settings.length ? r.name.padEnd(nameWidth) : r.name;
        lines.push(
            `  ${green(options.marker ?? "+")} ${type} ${name}${settings.length ? dim(` ${settings.join(" · ")}`) : ""}`,
        );
    }
    lines.push("");

    const pack = `${result.policyPack.name}@${result.policyPack.version}`;
    if (result.remediations.length > 0) {
        lines.push(bold(`Remediations (${pack}):`));
        for (const r of result.remediations)
            lines.push(
                `  ${yellow("remediated")}  ${r.policyName}  ${r.urn.split("::").pop()}: ${r.description}`,
            );
        lines.push("");
    }
    if (result.violations.length === 0) {
        lines.push(green(`Policies (${pack}): no violations.`));
    } else {
        lines.push(bold(`Policy violations (${pack}):`));
        const byUrn = new Map<string, typeof result.violations>();
        for (const v of result.violations) byUrn.set(v.urn, [...(byUrn.get(v.urn) ?? []), v]);
        for (const [urn, violations] of byUrn) {
            const [type, name] = urn ? urn.split("::").slice(-2) : ["stack", result.stack];
            const source = captured.find((r) => r.urn === urn)?.source;
            const at = source ? dim(`  ${formatLocation(source)}`) : "";
            lines.push(`  ${bold(`${type.split("$").pop()} ${name}`)}${at}`);
            for (const v of violations) {
                const level =
                    v.enforcementLevel === "mandatory" ? red("mandatory") : yellow(v.enforcementLevel);
                // The message's first line repeats the policy's description; show what is specific.
                const [first, ...rest] = v.message.trim().split("\n");
                const specific = first === v.description.trim() && rest.length > 0 ? rest : [first, ...rest];
                lines.push(`    ${level}  ${v.policyName}`);
                for (const line of specific) lines.push(`      ${line}`);
            }
        }
    }
    lines.push("");
    const s = result.summary;
    const verdict = s.mandatory > 0 ? red(`FAILED: ${s.mandatory} mandatory violation(s)`) : green("PASSED");
    lines.push(`${verdict}; ${s.advisory} advisory; ${s.tables} table(s) in ${s.resources} resources.`);
    return `${lines.join("\n")}\n`;
}
