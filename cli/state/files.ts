/** The files a state check reads: the `--state` arguments expanded, and each export's text. */
import * as fs from "fs";
import * as path from "path";
import { decompress, MAX_TEXT_BYTES, toText, tooLarge } from "../backend/decode";

/** Expands the `--state` arguments: files as given, folders to their `*.json` files (sorted). */
export function stateFiles(args: string[]): {
    files: string[];
    errors: Array<{ file: string; message: string }>;
} {
    const files: string[] = [];
    const errors: Array<{ file: string; message: string }> = [];
    for (const arg of args) {
        let stat: fs.Stats;
        try {
            stat = fs.statSync(arg);
        } catch {
            errors.push({ file: arg, message: "no such file or folder" });
            continue;
        }
        if (!stat.isDirectory()) {
            files.push(arg);
            continue;
        }
        const inside = fs
            .readdirSync(arg)
            .filter((f) => f.toLowerCase().endsWith(".json"))
            .sort();
        if (inside.length === 0) errors.push({ file: arg, message: "folder holds no *.json stack exports" });
        files.push(...inside.map((f) => path.join(arg, f)));
    }
    return { files, errors };
}

/**
 * An export's text. One larger than a JavaScript string can hold (about 512 MB: reading it would fail
 * with ERR_STRING_TOO_LONG) is refused from its size, before it is read; a gzip or zstd export is
 * decompressed.
 */
export function readExportText(file: string, limit = MAX_TEXT_BYTES): string {
    const size = fs.statSync(file).size;
    if (size > limit) throw tooLarge(size, limit);
    return toText(decompress(fs.readFileSync(file), limit), limit);
}
