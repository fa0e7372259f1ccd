/** Paths: where this package's own files are, from source (cli/) or compiled (bin/cli/); how a path is shown. A leaf. */
import * as fs from "fs";
import * as path from "path";

/** The folder of the policy pack that ships with this package. */
export function bundledPackDir(): string {
    // Compiled to bin/cli/<folder>/, run from source in cli/<folder>/: walk up to the package root.
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "policies", "PulumiPolicy.yaml"))) {
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error("the bundled policy pack (policies/) was not found");
        dir = parent;
    }
    return path.join(dir, "policies");
}

/** This package's folder (bin/cli/ compiled, cli/ from source). */
export function packageRoot(): string {
    return path.dirname(bundledPackDir());
}

/** A path as messages show it: relative to the working directory, or as given when that is empty. */
export function rel(p: string): string {
    return path.relative(process.cwd(), p) || p;
}
