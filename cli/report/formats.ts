/**
 * `--format` and `--output`, the same for every kind of check (a program, `--state`, `--backend`):
 * which formats exist, how the flags are read, where the report goes, and the policies' metadata that
 * the JSON and SARIF reports carry.
 */
import * as fs from "fs";
import type { AnalyzerInfo } from "../analyzer/types";
import { CheckError } from "../core/errors";
import type { CheckIo, PolicyMetadataView } from "./types";

export type OutputFormat = "text" | "json" | "sarif" | "markdown" | "html";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "sarif", "markdown", "html"];

/** `--format` (and the older `--json`), checked: one of the formats; the two flags may not disagree. */
export function parseOutputFormat(value: string | undefined, json: boolean): OutputFormat {
    if (value === undefined) return json ? "json" : "text";
    if (!OUTPUT_FORMATS.includes(value as OutputFormat))
        throw new CheckError(`--format ${value}: expected one of ${OUTPUT_FORMATS.join(", ")}`);
    if (json && value !== "json")
        throw new CheckError(
            `--json asks for --format json, but --format is ${value}; give one of them (--json is short for --format json)`,
        );
    return value as OutputFormat;
}

/** Writes the report to `--output` when given (the folder must exist), else to standard output. */
export function writeReport(text: string, output: string | undefined, io: CheckIo): void {
    if (output === undefined) {
        io.stdout.write(text);
        return;
    }
    try {
        fs.writeFileSync(output, text);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        throw new CheckError(
            `--output ${output}: cannot write the report there (${code}); give a file in an existing folder`,
        );
    }
}

/** The policies' metadata as the pack declares it in GetAnalyzerInfo, for the JSON and SARIF reports. */
export function policyViews(info: Pick<AnalyzerInfo, "policies">): PolicyMetadataView[] {
    return info.policies.map((p) => ({
        name: p.name,
        ...(p.displayName ? { displayName: p.displayName } : {}),
        ...(p.severity ? { severity: p.severity } : {}),
        ...(p.framework ? { framework: p.framework } : {}),
        ...(p.remediationSteps ? { remediationSteps: p.remediationSteps } : {}),
        ...(p.url ? { url: p.url } : {}),
        ...(p.tags ? { tags: p.tags } : {}),
    }));
}
