/**
 * The TypeScript snippets of the README and of docs/, and the outcome each declares by a marker: an
 * HTML comment on the last non-blank line before its fence (docs/development.md, "Snippets in the
 * docs"):
 *
 *     <!-- check: passes -->                 a program `check` passes (exit 0)
 *     <!-- check: fails <policy> ... -->     a program whose mandatory violations are exactly these policies (exit 1)
 *     <!-- check: compiles -->               type-checked only: it declares no resource (a library call, a fragment)
 *
 * followed by any of: `continues` (the snippet goes on from the previous one of the same page, which
 * is put before it), `--stack <name>`, `--config <key>=<value>` (repeatable) and
 * `--policy-config <file>` (relative to the repository), as `check` takes them.
 *
 * A snippet without an `import` (its own or, with `continues`, the previous one's) is compiled with
 * `@pulumi/pulumi` as `pulumi`, `@pulumi/aws` as `aws` and every name of `dynamodb-pitr` in scope.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "../..");

export type Outcome = { kind: "passes" } | { kind: "fails"; policies: string[] } | { kind: "compiles" };

export interface Marker {
    readonly outcome: Outcome;
    readonly continues: boolean;
    readonly stack?: string;
    readonly config: Readonly<Record<string, string>>;
    readonly policyConfig?: string;
}

export interface Snippet {
    /** `docs/backups.md:60`: the page, relative to the repository, and the line of the fence. */
    readonly where: string;
    readonly page: string;
    /** The line of the snippet's first code line (1-based). */
    readonly firstLine: number;
    readonly code: string;
    readonly marker?: Marker;
    /** Why the marker could not be read, when there is a comment that does not parse. */
    readonly markerProblem?: string;
}

const FENCE_OPEN = /^(\s*)```(ts|typescript)\s*$/;
const FENCE_ANY = /^\s*```/;
const MARKER = /^\s*<!--\s*check:(.*?)-->\s*$/;

/** README.md, docs/**\/*.md and the examples' READMEs, relative to the repository. */
export function markdownPages(root = ROOT): string[] {
    const under = (dir: string): string[] =>
        fs.existsSync(path.join(root, dir))
            ? fs
                  .readdirSync(path.join(root, dir), { withFileTypes: true })
                  .flatMap((e) =>
                      e.isDirectory()
                          ? under(path.join(dir, e.name))
                          : e.name.endsWith(".md")
                            ? [path.join(dir, e.name)]
                            : [],
                  )
            : [];
    const examples = under("examples").filter((p) => path.basename(p) === "README.md");
    return ["README.md", ...under("docs"), ...examples].map((p) => p.split(path.sep).join("/")).sort();
}

/** Reads a marker's text (what follows `check:`); a string is the problem. */
export function parseMarker(text: string): Marker | string {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const [kind, ...rest] = words;
    const policies: string[] = [];
    const config: Record<string, string> = {};
    let continues = false;
    let stack: string | undefined;
    let policyConfig: string | undefined;
    for (let i = 0; i < rest.length; i++) {
        const word = rest[i];
        const value = () => rest[++i] ?? "";
        if (word === "continues") continues = true;
        else if (word === "--stack") stack = value();
        else if (word === "--policy-config") policyConfig = value();
        else if (word === "--config") {
            const [key, ...v] = value().split("=");
            config[key] = v.join("=");
        } else if (kind === "fails" && /^[a-z0-9-]+$/.test(word)) policies.push(word);
        else return `\`${word}\` is not understood in \`check: ${text.trim()}\``;
    }
    let outcome: Outcome;
    if (kind === "passes" || kind === "compiles") outcome = { kind };
    else if (kind === "fails" && policies.length > 0) outcome = { kind, policies: policies.sort() };
    else
        return `\`check: ${text.trim()}\` names no outcome: \`passes\`, \`fails <policy> ...\` or \`compiles\``;
    return { outcome, continues, stack, config, policyConfig };
}

/** Every ```ts (or ```typescript) block of a page, with the marker before it. */
export function snippetsOf(page: string, text: string): Snippet[] {
    const lines = text.split("\n");
    const out: Snippet[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = FENCE_OPEN.exec(lines[i]);
        if (!open) {
            if (FENCE_ANY.test(lines[i])) i = closingFence(lines, i);
            continue;
        }
        const end = closingFence(lines, i);
        const indent = open[1].length;
        const code = lines
            .slice(i + 1, end)
            .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
            .join("\n");
        let before = i - 1;
        while (before >= 0 && lines[before].trim() === "") before--;
        const comment = before >= 0 ? MARKER.exec(lines[before]) : null;
        const parsed = comment ? parseMarker(comment[1]) : undefined;
        out.push({
            where: `${page}:${i + 1}`,
            page,
            firstLine: i + 2,
            code,
            ...(typeof parsed === "string" ? { markerProblem: parsed } : parsed ? { marker: parsed } : {}),
        });
        i = end;
    }
    return out;
}

/** The index of the fence that closes the one at `open` (the last line when there is none). */
function closingFence(lines: string[], open: number): number {
    for (let j = open + 1; j < lines.length; j++) if (FENCE_ANY.test(lines[j])) return j;
    return lines.length - 1;
}

/** Every snippet of every page. */
export function allSnippets(root = ROOT): Snippet[] {
    return markdownPages(root).flatMap((page) =>
        snippetsOf(page, fs.readFileSync(path.join(root, page), "utf8")),
    );
}

/** The names `dynamodb-pitr` exports: components/index.ts is an explicit list of re-exports. */
export function publicNames(root = ROOT): string[] {
    const file = path.join(root, "components", "index.ts");
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
    const names: string[] = [];
    for (const statement of source.statements) {
        if (!ts.isExportDeclaration(statement) || !statement.exportClause) continue;
        if (ts.isNamedExports(statement.exportClause))
            for (const e of statement.exportClause.elements) names.push(e.name.text);
    }
    return [...new Set(names)].sort();
}

const hasImport = (code: string) => /^\s*import\s/m.test(code);

/** A snippet as a module: the previous snippet first when it continues, the prelude when it imports nothing. */
export interface SnippetModule {
    readonly snippet: Snippet;
    readonly text: string;
    /** Where the snippet's own code starts in `text` (characters, and lines). */
    readonly start: number;
    readonly startLine: number;
}

export function snippetModules(snippets: readonly Snippet[], names: readonly string[]): SnippetModule[] {
    const out: SnippetModule[] = [];
    let previous: { page: string; code: string } | undefined;
    for (const snippet of snippets) {
        const prefix = snippet.marker?.continues && previous?.page === snippet.page ? previous.code : "";
        const body = prefix ? `${prefix}\n${snippet.code}` : snippet.code;
        const prelude = hasImport(body)
            ? ""
            : 'import * as pulumi from "@pulumi/pulumi";\nimport * as aws from "@pulumi/aws";\n' +
              `import { ${names.join(", ")} } from "dynamodb-pitr";\n`;
        const head = `${prelude}${prefix ? `${prefix}\n` : ""}`;
        out.push({
            snippet,
            text: `${head}${snippet.code}\n`,
            start: head.length,
            startLine: head.split("\n").length - 1,
        });
        previous = { page: snippet.page, code: body };
    }
    return out;
}
