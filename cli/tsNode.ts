/**
 * Finds ts-node for `check` on a TypeScript program. `ts-node` and `typescript` are optional peer
 * dependencies (as they are of `@pulumi/pulumi`): a project that only uses the components, or whose
 * programs are JavaScript, installs no compiler. They are looked for in the program's project first,
 * then beside this package.
 */
import { ProjectError } from "./project";

type TsNode = typeof import("ts-node");

/** ts-node, or a one-line error saying what to install when it or TypeScript is missing. */
export function requireTsNode(programDir: string, entry: string): TsNode {
    const paths = [programDir, __dirname];
    const missing = ["ts-node", "typescript"].filter((name) => {
        try {
            require.resolve(name, { paths });
            return false;
        } catch {
            return true;
        }
    });
    if (missing.length > 0) {
        throw new ProjectError(
            `${entry} is TypeScript, and checking it needs ${missing.join(" and ")}, which ${missing.length > 1 ? "are" : "is"} not installed: run \`npm i -D ts-node typescript@5\` in the project (or check the compiled JavaScript)`,
        );
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("ts-node", { paths }));
}
