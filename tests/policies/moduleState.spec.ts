/**
 * A verdict is a function of the stack and the configuration, nothing else: no module of the pack or
 * of the evaluator that runs it in process keeps state between calls. A module-level `let` is refused
 * outright; a module-level `Map`/`Set`/`WeakMap` must be one of the memos listed here, each either
 * keyed by a request's own objects (freed with the request: a stack's reading, a resource's decoded
 * properties) or a pure memo of immutable values (the same text always gives the same compiled
 * expression, parsed value or frozen configuration). tests/cli/agreement/everyPath.spec.ts proves the
 * outcome: stacks evaluated side by side, in any order, get the verdicts each gets alone over gRPC.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const FOLDERS = ["policies", "cli/analyzer", "cli/state", "cli/fleet"];

/** `<file>:<name>` → why it is not state about a stack or a call. */
const MEMOS: Record<string, string> = {
    "policies/dynamodb/facts/resourceBase.ts:parsedDefaultTags":
        "pure: provider defaultTags JSON text → parsed tags",
    "policies/dynamodb/facts/resourceBase.ts:shared": "request-keyed: a resource's decoded input object",
    "policies/dynamodb/facts/arn.ts:regexCache": "pure: ARN glob text → compiled expression (no g flag)",
    "policies/dynamodb/engine/production.ts:valueSets": "request-keyed: a configuration object",
    "policies/dynamodb/engine/production.ts:patterns":
        "pure: stack-name pattern text → compiled expression (no g flag)",
    "policies/dynamodb/crossguard/stackReading.ts:readings":
        "request-keyed: the request's first decoded resource",
    "policies/dynamodb/crossguard/tableRule.ts:configs":
        "pure: configuration JSON text → frozen configuration",
    "policies/dynamodb/crossguard/tableRule.ts:byObject":
        "request-keyed: the configuration object getConfig returned",
    "policies/dynamodb/crossguard/tableRule.ts:readOnce": "request-keyed: a resource's decoded properties",
    "cli/analyzer/evaluate.ts:wireForms": "request-keyed: a resource's property map",
};

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return ["bin", "node_modules"].includes(e.name) ? [] : sources(p);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
    });
}

describe("no module-level state in the pack or its evaluators", () => {
    const files = FOLDERS.flatMap((f) => sources(path.join(ROOT, f)));

    it("reads the pack's and the evaluators' modules", () => {
        assert.ok(files.length > 30, `${files.length} files`);
    });

    it("has no module-level `let`, and only the listed memos", () => {
        const found: string[] = [];
        for (const file of files) {
            const rel = path.relative(ROOT, file);
            for (const line of fs.readFileSync(file, "utf8").split("\n")) {
                if (/^(export )?let /.test(line)) found.push(`${rel}: module-level \`let\`: ${line.trim()}`);
                const m = /^(?:export )?const (\w+)\s*(?::[^=]+)?=\s*new (?:Map|WeakMap|Set|WeakSet)\b/.exec(
                    line,
                );
                // An UPPER_CASE table filled where it is declared is a constant (never written: below).
                const constant = m !== null && /^[A-Z][A-Z0-9_]*$/.test(m[1]);
                if (m && !constant && !MEMOS[`${rel}:${m[1]}`])
                    found.push(`${rel}: module-level ${m[1]} is not a listed memo`);
            }
        }
        assert.deepStrictEqual(found, []);
    });

    it("never writes to a constant table", () => {
        const written: string[] = [];
        for (const file of files) {
            const text = fs.readFileSync(file, "utf8");
            for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]+)\.(add|set|delete|clear)\(/g))
                written.push(`${path.relative(ROOT, file)}: ${m[0]}`);
        }
        assert.deepStrictEqual(written, []);
    });

    it("lists only memos that exist", () => {
        for (const key of Object.keys(MEMOS)) {
            const [file, name] = key.split(":");
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.match(text, new RegExp(`^(export )?const ${name}\\b`, "m"), key);
        }
    });
});
