import type { ArgProblem } from "../table/validateTableArgs";

/** "ResilientTable "orders" has 2 invalid arguments:\n  - ...\n  - ..." */
export function formatProblems(typeName: string, name: string, problems: ArgProblem[]): string {
    const count = problems.length === 1 ? "an invalid argument" : `${problems.length} invalid arguments`;
    return `${typeName} "${name}" has ${count}:\n${problems.map((p) => `  - ${p.reason}`).join("\n")}`;
}
