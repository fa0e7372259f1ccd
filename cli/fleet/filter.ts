/**
 * `--stack-filter <glob>` and `--project <name>`. The glob matches a stack's full name
 * (`project/stack`, or `org/project/stack` on Pulumi Cloud) or its bare stack name: `*` any run of
 * characters (`/` included), `?` one character. `--stack-filter prod` keeps every project's `prod`;
 * `--stack-filter 'shop/*'` every stack of `shop`.
 */
import type { StackRef } from "../backend/types";

export function globToRegExp(glob: string): RegExp {
    const body = glob
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${body}$`);
}

export function matchesFilter(
    ref: Pick<StackRef, "name" | "project" | "stack">,
    glob?: string,
    project?: string,
): boolean {
    if (project !== undefined && ref.project !== project) return false;
    if (glob === undefined) return true;
    const re = globToRegExp(glob);
    return re.test(ref.name) || re.test(ref.stack);
}
