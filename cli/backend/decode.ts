/**
 * From the bytes of a stored stack to its deployment: decompression detected from the bytes (gzip
 * `1f 8b`, zstd `28 b5 2f fd`), whatever the file is called, then the JSON of either a self-managed
 * checkpoint (`apitype.VersionedCheckpoint`: `{version, checkpoint: {stack, latest: DeploymentV3}}`,
 * what `pulumi` writes under `.pulumi/stacks/`) or an export (`apitype.UntypedDeployment`:
 * `{version, deployment}`, what `pulumi stack export` and the service's export endpoint return).
 * See https://github.com/pulumi/pulumi/blob/master/sdk/go/common/apitype/core.go.
 */
import { constants as bufferConstants } from "buffer";
import * as zlib from "zlib";
import { StackReadError } from "./types";

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The longest text a JavaScript string holds (about 512 MB on 64-bit Node); JSON.parse needs one. */
export const MAX_TEXT_BYTES = bufferConstants.MAX_STRING_LENGTH;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

type ZstdDecompress = (bytes: Buffer) => Uint8Array;

/**
 * zstd: the `fzstd` package (a dependency), else node:zlib where the runtime has it (Node >= 22.15 /
 * 23.8). fzstd comes first because node:zlib returns what it could decode of a cut-off frame without
 * an error (seen on Node 22.23), and a cut-off checkpoint must be reported as such.
 */
function zstdDecompressor(): ZstdDecompress | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fzstd = require("fzstd") as { decompress(b: Uint8Array): Uint8Array };
        return (b) => fzstd.decompress(b);
    } catch {
        const native = (zlib as unknown as { zstdDecompressSync?: ZstdDecompress }).zstdDecompressSync;
        return typeof native === "function" ? native : undefined;
    }
}

/** The stored bytes, decompressed; throws a `StackReadError` saying why not. */
export function decompress(bytes: Buffer, limit = MAX_TEXT_BYTES): Buffer {
    if (startsWith(bytes, GZIP)) {
        try {
            // maxOutputLength: a larger checkpoint could not become a string anyway.
            return zlib.gunzipSync(bytes, {
                maxOutputLength: Math.min(limit + 1, bufferConstants.MAX_LENGTH),
            });
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === "ERR_BUFFER_TOO_LARGE")
                throw new StackReadError(
                    `decompresses to more than ${mb(limit)}, the largest checkpoint this check reads`,
                );
            throw new StackReadError(`corrupt gzip data (${(e as Error).message})`);
        }
    }
    if (startsWith(bytes, ZSTD)) {
        const zstd = zstdDecompressor();
        if (!zstd)
            throw new StackReadError(
                "is zstd-compressed and this Node.js has no zstd (use Node.js 22.15 or later, or install the `fzstd` package)",
            );
        try {
            const out = zstd(bytes);
            return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
        } catch (e) {
            throw new StackReadError(`corrupt zstd data (${(e as Error).message})`);
        }
    }
    return bytes;
}

/** The one-line refusal of a checkpoint larger than a string can hold: its size and the limit. */
export function tooLarge(size: number, limit = MAX_TEXT_BYTES): StackReadError {
    return new StackReadError(
        `is ${mb(size)}, larger than the ${mb(limit)} a JavaScript string holds; check this stack with \`pulumi preview --policy-pack\` instead`,
    );
}

/** Bytes to text, refusing (one line, with the size and the limit) what no string can hold. */
export function toText(bytes: Buffer, limit = MAX_TEXT_BYTES): string {
    if (bytes.length > limit) throw tooLarge(bytes.length, limit);
    try {
        return bytes.toString("utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ERR_STRING_TOO_LONG")
            throw new StackReadError(`is ${mb(bytes.length)}, larger than a JavaScript string holds`);
        throw e;
    }
}

/**
 * A self-managed checkpoint becomes the export of the same stack (`{version, deployment}`), so that
 * one parser (`parseStackExport`) reads both. Other JSON is passed through for it to judge.
 */
export function checkpointToExport(json: unknown): unknown {
    if (json === null || typeof json !== "object" || Array.isArray(json)) return json;
    const o = json as Record<string, unknown>;
    if (!("checkpoint" in o) || "deployment" in o) return json;
    const checkpoint = o.checkpoint as Record<string, unknown> | null;
    // A stack created but never updated has no `latest`: no resources.
    const latest =
        checkpoint && typeof checkpoint === "object" ? (checkpoint.latest ?? { resources: [] }) : undefined;
    return { version: o.version, deployment: latest };
}
