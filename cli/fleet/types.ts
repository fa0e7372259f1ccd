/** The fleet check's result: what `--format json` prints and every other format renders. */
import type { Diagnostic } from "../analyzer/types";
import type { PolicyMetadataView } from "../report/types";
import type { TableRow } from "./tables";

export interface FleetStack {
    /** `<project>/<stack>` (self-managed) or `<org>/<project>/<stack>` (Pulumi Cloud). */
    name: string;
    project: string;
    stack: string;
    location: string;
    tags: Record<string, string>;
    resources: number;
    tables: TableRow[];
    violations: Diagnostic[];
    /**
     * Where the census (the rows) and the diagnostics disagree (`state/selfCheck.ts`); empty when
     * they agree. Any entry makes the whole check exit 2.
     */
    disagreements: string[];
    mandatory: number;
    advisory: number;
    /** One line each: what could not be read but was worked around (an encrypted secret). */
    warnings: string[];
    exitCode: 0 | 1;
}

export interface FleetError {
    name: string;
    location: string;
    message: string;
}

export interface FleetSummary {
    stacks: number;
    stacksChecked: number;
    stacksFailed: number;
    stacksNotRead: number;
    tables: number;
    productionTables: number;
    productionTablesWithoutPitr: number;
    productionTablesWithoutBackups: number;
    cannotVerify: number;
    mandatory: number;
    advisory: number;
    /** Stacks whose census and diagnostics disagree: the report cannot be trusted (exit 2). */
    stacksContradicted: number;
}

export interface FleetResult {
    backend: string;
    policyPack: { name: string; version: string; path: "in-process" | "grpc" };
    generatedAt: string;
    stacks: FleetStack[];
    errors: FleetError[];
    summary: FleetSummary;
    /** The pack's policies with their severity, control, remediation steps, link and tags. */
    policies?: PolicyMetadataView[];
}

export type FleetFormat = "text" | "json" | "sarif" | "markdown" | "html";
export const FORMATS: FleetFormat[] = ["text", "json", "sarif", "markdown", "html"];

/** Adds up the stacks. Pure. */
export function summariseFleet(stacks: FleetStack[], errors: FleetError[]): FleetSummary {
    const rows = stacks.flatMap((s) => s.tables);
    const production = rows.filter((t) => t.production === true);
    return {
        stacks: stacks.length + errors.length,
        stacksChecked: stacks.length,
        stacksFailed: stacks.filter((s) => s.exitCode === 1).length,
        stacksNotRead: errors.length,
        tables: rows.length,
        productionTables: production.length,
        productionTablesWithoutPitr: production.filter((t) => t.pitr === "disabled").length,
        productionTablesWithoutBackups: rows.filter((t) => t.backupPlan === "not-covered").length,
        cannotVerify: rows.filter((t) => t.cannotVerify).length,
        mandatory: stacks.reduce((n, s) => n + s.mandatory, 0),
        advisory: stacks.reduce((n, s) => n + s.advisory, 0),
        stacksContradicted: stacks.filter((s) => s.disagreements.length > 0).length,
    };
}

/**
 * 2 when the report contradicts itself (a stack's census and its verdicts disagree); else 1 when a
 * stack failed the pack; else 2 when a stack could not be read; else 0.
 */
export function fleetExitCode(summary: FleetSummary): 0 | 1 | 2 {
    if (summary.stacksContradicted > 0) return 2;
    return summary.stacksFailed > 0 ? 1 : summary.stacksNotRead > 0 ? 2 : 0;
}
