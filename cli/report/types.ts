/**
 * What every way of checking shares: where it writes (`CheckIo`) and what it found (`CheckResult`,
 * also the `--json` output). The program, state and fleet checks and the report's renderers import
 * it; it imports only types.
 */
import type { Diagnostic, PolicyInfo, Remediation } from "../analyzer/types";
import type { CostReport } from "../cost/types";

export interface CheckIo {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** What a report shows of a policy: its severity, control, remediation steps, link and tags. */
export type PolicyMetadataView = Pick<
    PolicyInfo,
    "name" | "severity" | "framework" | "remediationSteps" | "url" | "tags"
> & { displayName?: string };

/** Where a program declared the resource a violation is about: file (relative), 1-based line and column. */
export interface Located {
    file?: string;
    line?: number;
    column?: number;
}

/** What a check found; also the `--json` output. */
export interface CheckResult {
    program: string;
    project: string;
    stack: string;
    policyPack: { name: string; version: string; dir: string };
    resources: Array<{
        urn: string;
        type: string;
        name: string;
        parent?: string;
        protect: boolean;
        retainOnDelete: boolean;
        inputs: Record<string, unknown>;
    }>;
    violations: Array<Diagnostic & Located>;
    /** The pack's policies with their metadata, as GetAnalyzerInfo describes them. */
    policies?: PolicyMetadataView[];
    remediations: Array<Remediation & { urn: string }>;
    summary: { resources: number; tables: number; mandatory: number; advisory: number; remediated: number };
    /** What the stack's protection costs a month (docs/cost.md). */
    cost?: CostReport;
}
