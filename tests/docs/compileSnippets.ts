/**
 * Type-checks every snippet in one TypeScript program, against the package's public API as a user
 * imports it (`dynamodb-pitr` is components/index.ts, `dynamodb-pitr/recover` cli/recover/index.ts)
 * and the `@pulumi/*` packages this repository installs, with the strict options of a project that
 * `pulumi new aws-typescript` makes. Only the snippets' own files are checked, so one program takes
 * seconds, not a `tsc` per snippet.
 */
import * as path from "path";
import * as ts from "typescript";
import { ROOT, SnippetModule } from "./snippets";

export const OPTIONS: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    baseUrl: ROOT,
    paths: {
        "dynamodb-pitr": ["components/index.ts"],
        "dynamodb-pitr/recover": ["cli/recover/index.ts"],
    },
};

export interface CompiledSnippet {
    readonly module: SnippetModule;
    /** `docs/backups.md:70: <message>`, one per error, at the line of the page. */
    readonly errors: string[];
    /** Whether the snippet's own code constructs a Pulumi resource (`new` of a Resource class). */
    readonly declaresResources: boolean;
}

/** The virtual file a snippet is compiled as: inside the repository, so node_modules resolve. */
export function snippetFile(module: SnippetModule, n: number): string {
    const name = module.snippet.page.replace(/[^A-Za-z0-9]+/g, "-");
    return path.join(ROOT, ".snippets", `${name}-${module.snippet.firstLine}-${n}.ts`);
}

export function compileSnippets(modules: readonly SnippetModule[]): CompiledSnippet[] {
    const files = new Map(modules.map((m, n) => [snippetFile(m, n), m]));
    const host = ts.createCompilerHost(OPTIONS, true);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    host.fileExists = (f) => files.has(path.resolve(f)) || fileExists(f);
    host.readFile = (f) => files.get(path.resolve(f))?.text ?? readFile(f);
    host.getSourceFile = (f, language, onError, create) => {
        const module = files.get(path.resolve(f));
        return module
            ? ts.createSourceFile(f, module.text, language, true)
            : getSourceFile(f, language, onError, create);
    };
    const program = ts.createProgram([...files.keys()], OPTIONS, host);
    const checker = program.getTypeChecker();
    return [...files].map(([file, module]) => {
        const source = program.getSourceFile(file);
        if (!source) throw new Error(`${module.snippet.where}: not compiled`);
        const diagnostics = [
            ...program.getSyntacticDiagnostics(source),
            ...program.getSemanticDiagnostics(source),
        ];
        return {
            module,
            errors: diagnostics.map((d) => located(module, source, d)),
            declaresResources: constructsResource(source, module.start, checker),
        };
    });
}

/** A diagnostic at the line of the page it comes from (a line of the prelude or the previous snippet as such). */
function located(module: SnippetModule, source: ts.SourceFile, d: ts.Diagnostic): string {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.start === undefined) return `${module.snippet.where}: ${text}`;
    const line = source.getLineAndCharacterOfPosition(d.start).line;
    const own = line - module.startLine;
    const at =
        own >= 0
            ? `${module.snippet.page}:${module.snippet.firstLine + own}`
            : `${module.snippet.where} (before it)`;
    return `${at}: ${text}`;
}

/** Whether a `new` expression at or after `start` makes an instance of a class derived from Pulumi's `Resource`. */
function constructsResource(source: ts.SourceFile, start: number, checker: ts.TypeChecker): boolean {
    let found = false;
    const visit = (node: ts.Node): void => {
        if (found) return;
        if (
            ts.isNewExpression(node) &&
            node.getStart() >= start &&
            isResource(checker.getTypeAtLocation(node), checker)
        )
            found = true;
        else ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

function isResource(type: ts.Type, checker: ts.TypeChecker, depth = 0): boolean {
    const symbol = type.getSymbol();
    if (!symbol || depth > 20) return false;
    const fromSdk = (symbol.declarations ?? []).some((d) =>
        d.getSourceFile().fileName.includes(`${path.sep}@pulumi${path.sep}pulumi${path.sep}`),
    );
    if (fromSdk && symbol.getName() === "Resource") return true;
    if (!(type.flags & ts.TypeFlags.Object)) return false;
    // A generic class (`ComponentResource<TData>`) is met as a reference to it.
    const flags = (type as ts.ObjectType).objectFlags;
    const target = flags & ts.ObjectFlags.Reference ? (type as ts.TypeReference).target : type;
    if (!((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return false;
    return (checker.getBaseTypes(target as ts.InterfaceType) ?? []).some((b) =>
        isResource(b, checker, depth + 1),
    );
}
