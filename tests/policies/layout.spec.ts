/**
 * The pack's rooms and the one-way arrows between them (see docs/architecture.md): each folder of
 * `policies/dynamodb/` imports only the folders listed for it, no module imports itself back through
 * others (type imports included), and only `policies/index.ts` installs the shared decoding.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const POLICIES = path.resolve(__dirname, "../../policies");

/** Folder (relative to policies/) → the other folders its modules may import. */
const ALLOWED: Record<string, readonly string[]> = {
    "dynamodb/engine": [],
    "dynamodb/facts": ["dynamodb/engine"],
    "dynamodb/backup": ["dynamodb/engine", "dynamodb/facts"],
    "dynamodb/crossguard": ["dynamodb/engine", "dynamodb/facts", "dynamodb/backup"],
    "dynamodb/rules": ["dynamodb/engine", "dynamodb/facts", "dynamodb/backup", "dynamodb/crossguard"],
    ".": ["dynamodb/rules", "dynamodb/crossguard", "dynamodb/engine"],
};

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            return e.name === "bin" || e.name === "node_modules" ? [] : sources(p);
        }
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
    });
}

/** Module (relative to policies/, without `.ts`) → the local modules it imports. */
function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of sources(POLICIES)) {
        const text = fs.readFileSync(file, "utf8");
        const specs = [
            ...text.matchAll(
                /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["'](\.[^"']*)["']/gm,
            ),
        ];
        const from = path.relative(POLICIES, file).replace(/\.ts$/, "");
        graph.set(
            from,
            specs.map((m) => path.relative(POLICIES, path.resolve(path.dirname(file), m[1]))),
        );
    }
    return graph;
}

describe("policies/ layout", () => {
    const graph = importGraph();

    it("finds the pack's modules and every local import", () => {
        assert.ok(graph.has("index") && graph.has("policyList"));
        for (const [from, deps] of graph) {
            for (const to of deps) {
                assert.ok(graph.has(to), `${from} imports ${to}, which is not a module of policies/`);
            }
        }
    });

    it("imports only along the allowed arrows between folders", () => {
        const wrong: string[] = [];
        for (const [from, deps] of graph) {
            const folder = path.dirname(from);
            assert.ok(folder in ALLOWED, `policies/${folder} is not a known folder; add it to ALLOWED`);
            for (const to of deps) {
                const target = path.dirname(to);
                if (target !== folder && !ALLOWED[folder].includes(target)) {
                    wrong.push(`${from} -> ${to}`);
                }
            }
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("has no import circle", () => {
        const state = new Map<string, "open" | "done">();
        const circles: string[] = [];
        const visit = (m: string, trail: string[]) => {
            if (state.get(m) === "done") return;
            if (state.get(m) === "open") {
                circles.push([...trail.slice(trail.indexOf(m)), m].join(" -> "));
                return;
            }
            state.set(m, "open");
            for (const d of graph.get(m) ?? []) visit(d, [...trail, m]);
            state.set(m, "done");
        };
        for (const m of graph.keys()) visit(m, []);
        assert.deepStrictEqual(circles, []);
    });

    it("lets only policyList.ts import the rules, and only index.ts install the shared decoding", () => {
        const importers = (target: string) =>
            [...graph]
                .filter(
                    ([from, deps]) => deps.includes(target) && !from.startsWith(path.dirname(target) + "/"),
                )
                .map(([from]) => from);
        for (const m of graph.keys()) {
            if (m.startsWith("dynamodb/rules/")) {
                assert.deepStrictEqual(importers(m), ["policyList"], m);
            }
        }
        assert.deepStrictEqual(importers("dynamodb/crossguard/sharedDecoding"), ["index"]);
    });
});
