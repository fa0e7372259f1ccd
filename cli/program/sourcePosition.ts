/**
 * Where the user declared a resource, from what the SDK sends with each registration: the stack of
 * the `new` call (`RegisterResourceRequest.stackTrace`) and its top frame (`sourcePosition`), as
 * `file://` URIs with lines and columns (mapped back to TypeScript when ts-node runs the program).
 *
 * The user's line is the first frame that is not library code: not in any `node_modules` (the SDK,
 * providers, this package when installed), and not in this package's own components or CLI (the
 * same code run from a clone). For a table made inside a `ResilientTable`, that is the line that
 * declared the `ResilientTable`.
 *
 * The SDK parses frames of the form `at name (file:line:column)` only: a resource created directly in
 * an anonymous callback (`items.forEach((x) => new Table(...))`) is placed at the nearest named caller
 * (the `forEach` line); with no user frame at all, reports fall back to the entry file's first line.
 */
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";

/** A place in the user's program: an absolute file path, 1-based line and column. */
export interface SourceLocation {
    file: string;
    line: number;
    column: number;
}

/** A frame as the SDK sends it (`pulumirpc.SourcePosition`). */
interface WirePosition {
    getUri(): string;
    getLine(): number;
    getColumn(): number;
}

/** The parts of a RegisterResourceRequest this module reads (absent from older SDKs). */
export interface RegistrationSource {
    getSourceposition?(): WirePosition | undefined;
    getStacktrace?(): { getFramesList(): Array<{ getPc(): WirePosition | undefined }> } | undefined;
}

/** This package's folder: the nearest folder above this file whose package.json is named dynamodb-pitr. */
function packageRoot(): string {
    let dir = __dirname;
    while (path.dirname(dir) !== dir) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "dynamodb-pitr")
            return dir;
        dir = path.dirname(dir);
    }
    return path.resolve(__dirname, "..", "..");
}

const ROOT = packageRoot();
const LIBRARY_DIRS = ["components", "cli", "bin", "provider"].map((d) => path.join(ROOT, d) + path.sep);

/** Library code: dependencies, and this package's own components and CLI. */
export function isLibraryFile(file: string): boolean {
    return file.split(path.sep).includes("node_modules") || LIBRARY_DIRS.some((dir) => file.startsWith(dir));
}

function toLocation(position: WirePosition | undefined): SourceLocation | undefined {
    const uri = position?.getUri();
    if (!position || !uri || !uri.startsWith("file:") || position.getLine() <= 0) return undefined;
    return { file: fileURLToPath(uri), line: position.getLine(), column: Math.max(1, position.getColumn()) };
}

/** The user's line that declared the registered resource, or undefined when the SDK sent none. */
export function declarationSite(request: RegistrationSource): SourceLocation | undefined {
    const frames = request.getStacktrace?.()?.getFramesList() ?? [];
    const positions = [
        ...frames.map((frame) => toLocation(frame.getPc())),
        toLocation(request.getSourceposition?.()),
    ];
    return positions.find((p): p is SourceLocation => p !== undefined && !isLibraryFile(p.file));
}

/** `file:line`, with the file relative to `from` (forward slashes, as SARIF and editors take it). */
export function formatLocation(location: SourceLocation, from: string = process.cwd()): string {
    return `${relativeUri(location.file, from)}:${location.line}`;
}

/** A path relative to `from`, with forward slashes. */
export function relativeUri(file: string, from: string = process.cwd()): string {
    return path.relative(from, file).split(path.sep).join("/");
}

/**
 * A SARIF `physicalLocation`: the line that declared the resource, or, for a result with no such
 * line (a stack-level result, an SDK that sent no position), the first line of the program's entry.
 */
export function sarifPhysicalLocation(source: SourceLocation | undefined, entry: string): object {
    return source
        ? {
              artifactLocation: { uri: relativeUri(source.file) },
              region: { startLine: source.line, startColumn: source.column },
          }
        : { artifactLocation: { uri: relativeUri(entry) }, region: { startLine: 1 } };
}
