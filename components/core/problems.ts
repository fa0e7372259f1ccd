/**
 * The primitives every validator shares: a problem with one argument, how a value is shown in its
 * message, whether a value is known yet, and the one-message summary an error carries. This module
 * imports nothing local, so any validator can use it without an import circle.
 */

/** One problem with one argument: where it is, and a sentence saying what is wrong and the fix. */
export interface ArgProblem {
    readonly propertyPath: string;
    readonly reason: string;
}

/** Renders a value as a user wrote it: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    if (value === undefined) return "unset";
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/** False for a value resolved only later (an `Output` or a `Promise`), which is checked once known. */
export function isKnown(value: unknown): boolean {
    if (value === null || typeof value !== "object") return true;
    // Outputs and Promises are resolved later; they are checked when their values are known.
    return !("then" in value) && !(value as { __pulumiOutput?: boolean }).__pulumiOutput;
}

/** "ResilientTable "orders" has 2 invalid arguments:\n  - ...\n  - ..." */
export function formatProblems(typeName: string, name: string, problems: ArgProblem[]): string {
    const count = problems.length === 1 ? "an invalid argument" : `${problems.length} invalid arguments`;
    return `${typeName} "${name}" has ${count}:\n${problems.map((p) => `  - ${p.reason}`).join("\n")}`;
}

/** `text` with every regular-expression metacharacter escaped, to match it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
