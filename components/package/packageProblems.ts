/**
 * The TypeScript components' argument problems in the field names the Pulumi package uses, so that a
 * Python or YAML program reads the names it wrote (`selectionTags`, not `selection.tags`).
 */
import type { ArgProblem } from "../core/problems";
import { escapeRegExp } from "../core/problems";

/**
 * `problems` with each TypeScript path in `renames` (`[from, to]`, most specific first) replaced by
 * the package's: in `propertyPath` (the path itself or a prefix of it) and where a reason quotes it.
 */
export function toPackageProblems(
    problems: ArgProblem[],
    renames: ReadonlyArray<[string, string]>,
): ArgProblem[] {
    return problems.map(({ propertyPath, reason }) => {
        const rename = renames.find(
            ([from]) =>
                propertyPath === from ||
                propertyPath.startsWith(`${from}.`) ||
                propertyPath.startsWith(`${from}[`),
        );
        let text = reason;
        for (const [from, to] of renames) {
            // A quoted path, possibly with an index or a deeper key: `selection.tableArns[2]`, `alerts.scope`.
            text = text.replace(new RegExp("`" + escapeRegExp(from) + "(?=[`\\[.])", "g"), "`" + to);
        }
        return {
            propertyPath: rename ? rename[1] + propertyPath.slice(rename[0].length) : propertyPath,
            reason: text,
        };
    });
}
