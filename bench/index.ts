// `npm run bench`: runs every bench/*.bench.ts module in turn and prints each result as an aligned
// table. Ratios are always measured side by side in the same run; nothing here asserts a timing.
// `npm run bench -- packStart components` runs only the modules whose names contain those words.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BenchResult } from "./measure";

/** Formats rows as a table with a header, columns aligned (numbers to the right). */
export function formatTable(rows: Array<Record<string, string | number>>): string {
    const columns: string[] = [];
    for (const row of rows) {
        for (const key of Object.keys(row)) {
            if (!columns.includes(key)) {
                columns.push(key);
            }
        }
    }
    const cell = (v: string | number | undefined) =>
        v === undefined ? "" : typeof v === "number" ? v.toLocaleString("en-US") : v;
    const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
    const line = (values: string[], numeric: boolean[]) =>
        values
            .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    const numericColumn = columns.map((c) =>
        rows.every((r) => r[c] === undefined || typeof r[c] !== "string"),
    );
    return [
        line(columns, numericColumn),
        widths.map((w) => "-".repeat(w)).join("  "),
        ...rows.map((r) =>
            line(
                columns.map((c) => cell(r[c])),
                columns.map((c) => typeof r[c] === "number"),
            ),
        ),
    ].join("\n");
}

async function main(): Promise<void> {
    const filters = process.argv.slice(2);
    const modules = fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith(".bench.ts"))
        .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
        .sort();
    const cpus = os.cpus();
    console.log(
        `Benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
            `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${os.platform()} ${os.arch()}`,
    );
    let failed = 0;
    for (const file of modules) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(__dirname, file)) as { bench: () => Promise<BenchResult> };
        const started = process.hrtime.bigint();
        try {
            const result = await mod.bench();
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            console.log(`\n## ${result.title}  (${file}, ${seconds.toFixed(1)} s)\n`);
            console.log(formatTable(result.rows));
            for (const note of result.notes ?? []) {
                console.log(`  ${note}`);
            }
        } catch (e) {
            failed++;
            console.log(`\n## ${file}: failed: ${e instanceof Error ? e.message : String(e)}`);
        }
    }
    if (failed > 0) {
        process.exitCode = 1;
    }
}

// Exit when done: a pack or mock runtime left behind by a failed module must not keep the run alive.
main().then(
    () => process.exit(),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
