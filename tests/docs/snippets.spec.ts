/**
 * The docs run as written: every TypeScript snippet of README.md, docs/ and the examples' READMEs
 * declares its outcome with a marker (tests/docs/snippets.ts), compiles against the package's public
 * API, and, when it declares resources, gives exactly that outcome under `check`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkSnippets, Verdict } from "./checkSnippets";
import { CompiledSnippet, compileSnippets } from "./compileSnippets";
import {
    allSnippets,
    markdownPages,
    Outcome,
    parseMarker,
    publicNames,
    ROOT,
    snippetModules,
    snippetsOf,
} from "./snippets";

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingSlugs(markdown: string): Set<string> {
    const slugs = new Set<string>();
    let fenced = false;
    for (const line of markdown.split("\n")) {
        if (/^\s*```/.test(line)) fenced = !fenced;
        const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
        if (heading)
            slugs.add(
                heading[1]
                    .trim()
                    .toLowerCase()
                    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
                    .replace(/\s/g, "-"),
            );
    }
    return slugs;
}

const expected = (o: Outcome): Verdict =>
    o.kind === "fails" ? { kind: "checked", mandatory: o.policies } : { kind: "checked", mandatory: [] };

const shown = (v: Verdict) =>
    v.kind === "error"
        ? `error: ${v.message}`
        : v.mandatory.length
          ? `fails ${v.mandatory.join(" ")}`
          : "passes";

describe("docs: snippets", function () {
    this.timeout(240_000);
    const snippets = allSnippets();
    const modules = snippetModules(snippets, publicNames());
    // Probes of the resource detection, compiled in the same program as the docs' snippets.
    const probes = snippetModules(
        snippetsOf(
            "probe.md",
            [
                '```ts\nnew ResilientTable("t", { hashKey: "k", attributes: [{ name: "k", type: "S" }] });\n```',
                '```ts\nnew aws.dynamodb.Table("t", { hashKey: "k", attributes: [{ name: "k", type: "S" }] });\n```',
                '```ts\nconst lock: BackupVaultLockArgs = { mode: "governance" };\nexport const when = new Date();\n```',
            ].join("\n\n"),
        ),
        publicNames(),
    );
    let all: CompiledSnippet[] | undefined;
    const compileAll = () => (all ??= compileSnippets([...modules, ...probes]));
    const compile = () => compileAll().filter((c) => c.module.snippet.page !== "probe.md");

    it("reads markers, and refuses one without an outcome", () => {
        assert.deepEqual(parseMarker(" fails dynamodb-production-table-pitr-enabled --stack prod "), {
            outcome: { kind: "fails", policies: ["dynamodb-production-table-pitr-enabled"] },
            continues: false,
            stack: "prod",
            config: {},
            policyConfig: undefined,
        });
        assert.match(String(parseMarker("continues")), /names no outcome/);
        assert.match(String(parseMarker("passes fast")), /`fast` is not understood/);
        const [one, two] = snippetsOf(
            "x.md",
            "<!-- check: passes -->\n\n```ts\nnew A();\n```\n\n```ts\nconst b = 1;\n```\n",
        );
        assert.equal(one.marker?.outcome.kind, "passes");
        assert.equal(one.firstLine, 4);
        assert.equal(two.marker, undefined, "a marker belongs to the one fence right after it");
    });

    it("finds the snippets of the README and of docs/", () => {
        assert.ok(
            snippets.filter((s) => s.page === "README.md").length >= 2,
            "the README's tour has snippets",
        );
        assert.ok(snippets.filter((s) => s.page.startsWith("docs/")).length >= 20);
    });

    it("every snippet declares its outcome with a marker", () => {
        const unmarked = snippets
            .filter((s) => !s.marker)
            .map(
                (s) => `${s.where}: ${s.markerProblem ?? "no `<!-- check: ... -->` marker before the fence"}`,
            );
        assert.deepEqual(unmarked, []);
    });

    it("every snippet compiles against dynamodb-pitr's public API and @pulumi/*", () => {
        assert.deepEqual(
            compile().flatMap((c) => c.errors),
            [],
        );
    });

    it("tells a snippet that constructs a Pulumi resource (a component or a provider's) from one that does not", () => {
        const probed = compileAll().filter((c) => c.module.snippet.page === "probe.md");
        assert.deepEqual(
            probed.map((c) => [c.errors, c.declaresResources]),
            [
                [[], true],
                [[], true],
                [[], false],
            ],
        );
    });

    it("a snippet that declares resources is checked: `passes` or `fails`, never only `compiles`", () => {
        const unchecked = compile()
            .filter((c) => c.declaresResources && c.module.snippet.marker?.outcome.kind === "compiles")
            .map(
                (c) =>
                    `${c.module.snippet.where}: declares resources; mark it \`check: passes\` or \`check: fails <policy>\``,
            );
        assert.deepEqual(unchecked, []);
    });

    it("every program snippet gives its documented outcome under `check`", async () => {
        const programs = modules.filter(
            (m) => m.snippet.marker && m.snippet.marker.outcome.kind !== "compiles",
        );
        assert.ok(
            programs.some((m) => m.snippet.marker?.outcome.kind === "fails"),
            "some snippet shows a failure",
        );
        const verdicts = await checkSnippets(programs);
        const wrong = programs
            .map((m, i) => ({ m, got: verdicts[i], want: expected(m.snippet.marker!.outcome) }))
            .filter(({ got, want }) => JSON.stringify(got) !== JSON.stringify(want))
            .map(
                ({ m, got, want }) =>
                    `${m.snippet.where}: documented ${shown(want)}, check says ${shown(got)}`,
            );
        assert.deepEqual(wrong, []);
    });

    it("the README links every page of docs/, and stays well under 12 KB", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const unlinked = markdownPages()
            .filter((p) => p.startsWith("docs/"))
            .filter((p) => !readme.includes(`](${p})`));
        assert.deepEqual(unlinked, [], "pages of docs/ the README does not link to");
        assert.ok(Buffer.byteLength(readme) < 10 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
    });

    it("every relative link of the README and docs/ names a file that exists, and a heading when it names one", () => {
        const broken: string[] = [];
        const pages = [...new Set(["README.md", ...markdownPages()])];
        for (const page of pages) {
            // Links outside code: fenced blocks and inline code spans are left out.
            const text = fs
                .readFileSync(path.join(ROOT, page), "utf8")
                .replace(/^\s*```[\s\S]*?^\s*```/gm, "")
                .replace(/`[^`\n]*`/g, "");
            for (const [, target, anchor] of text.matchAll(/\]\(([^)\s#]*)(?:#([^)\s]*))?\)/g)) {
                if (/^[a-z]+:/.test(target) || (!target && !anchor)) continue;
                const file = target ? path.join(ROOT, path.dirname(page), target) : path.join(ROOT, page);
                if (!fs.existsSync(file)) broken.push(`${page}: ${target}`);
                else if (
                    anchor &&
                    file.endsWith(".md") &&
                    !headingSlugs(fs.readFileSync(file, "utf8")).has(anchor)
                )
                    broken.push(`${page}: ${target}#${anchor} (no such heading)`);
            }
        }
        assert.deepEqual(broken, []);
    });
});
