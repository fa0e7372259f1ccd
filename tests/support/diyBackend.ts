/**
 * Builds a self-managed backend folder as `pulumi login file://...` leaves it, from stack exports:
 * `.pulumi/meta.yaml`, `.pulumi/stacks/<project>/<stack>.json[.gz|.zst]` checkpoints
 * (`{version: 3, checkpoint: {stack, latest}}`), tags files, and the bookkeeping that is not a stack
 * (`.bak` copies, history/, backups/).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

export interface StackSpec {
    project: string;
    stack: string;
    /** A stack export (`{version, deployment}`) or any text to store as is. */
    export: { version: unknown; deployment: unknown } | string;
    compression?: "gz" | "zst";
    tags?: Record<string, string>;
}

/** A zstd frame holding `data` in one raw block (no compression), valid for any decoder. */
export function zstdRawFrame(data: Buffer): Buffer {
    const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd])];
    // Frame header: single segment, 4-byte content size.
    parts.push(Buffer.from([0xa0]));
    const size = Buffer.alloc(4);
    size.writeUInt32LE(data.length);
    parts.push(size);
    const max = 128 * 1024 - 1;
    for (let at = 0; at < data.length || at === 0; at += max) {
        const chunk = data.subarray(at, Math.min(at + max, data.length));
        const last = at + max >= data.length;
        const header = (chunk.length << 3) | (0 << 1) | (last ? 1 : 0);
        parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), chunk);
        if (last) break;
    }
    return Buffer.concat(parts);
}

export function checkpointOf(spec: StackSpec): string {
    if (typeof spec.export === "string") return spec.export;
    return JSON.stringify({
        version: spec.export.version,
        checkpoint: { stack: `organization/${spec.project}/${spec.stack}`, latest: spec.export.deployment },
    });
}

/** Writes the backend into `root` (a new temporary folder by default); returns the folder. */
export function writeDiyBackend(
    stacks: StackSpec[],
    options: { root?: string; legacy?: boolean } = {},
): string {
    const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), "diy-"));
    const pulumi = path.join(root, ".pulumi");
    fs.mkdirSync(path.join(pulumi, "stacks"), { recursive: true });
    if (!options.legacy) fs.writeFileSync(path.join(pulumi, "meta.yaml"), "version: 1\n");
    for (const spec of stacks) {
        const dir = options.legacy ? path.join(pulumi, "stacks") : path.join(pulumi, "stacks", spec.project);
        fs.mkdirSync(dir, { recursive: true });
        const text = Buffer.from(checkpointOf(spec));
        const base = path.join(dir, spec.stack);
        if (spec.compression === "gz") fs.writeFileSync(`${base}.json.gz`, zlib.gzipSync(text));
        else if (spec.compression === "zst") fs.writeFileSync(`${base}.json.zst`, zstdRawFrame(text));
        else fs.writeFileSync(`${base}.json`, text);
        if (spec.tags)
            fs.writeFileSync(`${base}.pulumi-tags`, JSON.stringify({ version: 1, tags: spec.tags }, null, 4));
    }
    return root;
}
