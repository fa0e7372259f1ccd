// A DynamoDB export to S3 (ExportTableToPointInTime, output format DYNAMODB_JSON) read as the
// source of a recovery, instead of a restored table: no restore, and no read capacity on any table.
//
// The format (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html):
// an export's folder `<export-prefix>/AWSDynamoDB/<ExportId>/` holds
// - `manifest-summary.json`: `exportArn`, `itemCount`, `outputFormat` (DYNAMODB_JSON or ION),
//   `exportType` (FULL_EXPORT or INCREMENTAL_EXPORT), `manifestFilesS3Key`, ...;
// - `manifest-files.json`: JSON Lines, one per data file: `dataFileS3Key`, `itemCount`,
//   `md5Checksum`, `etag`;
// - `data/<id>.json.gz`: gzipped, one line per item, `{"Item": {<DynamoDB JSON attribute values>}}`
//   (binary values in base64).
// Every data file is read whole; a data file that is listed but absent, not gzip, holds a line that
// is not an item, or whose item count or MD5 differs from its manifest line stops the run with the
// file named. Nothing is skipped.
import { GetObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { createHash, type Hash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import { pipeline, Transform, type Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import type { Item } from "./attributes";

/** One data file of an export, as its line of manifest-files.json gives it. */
export interface ExportDataFile {
    /** `dataFileS3Key` as written in the manifest. */
    readonly key: string;
    /** Where it is read: a key of the bucket, or a path under the folder. */
    readonly path: string;
    readonly itemCount?: number;
    /** Base64 MD5 from the manifest. */
    readonly md5?: string;
}

export interface ExportManifest {
    readonly exportArn?: string;
    readonly exportTime?: string;
    /** Items in the whole export, from manifest-summary.json (or the files' sum). */
    readonly itemCount?: number;
    readonly files: readonly ExportDataFile[];
}

/** Where an export is read from: an S3 prefix or a local folder. */
export interface ExportSource {
    /** The location as the user gave it. */
    readonly location: string;
    /** The full name of an object of the export, for messages. */
    name(path: string): string;
    /** The object's bytes as a stream, or undefined when it does not exist. */
    open(path: string): Promise<Readable | undefined>;
    /** The relative path or bucket key of `key` as the manifest names it. */
    resolve(key: string): string;
    close(): void;
}

/** The first thing `--from-export` names in its messages. */
const WANTED =
    "--from-export must name one export's folder, the one holding manifest-summary.json: s3://<bucket>/<export-prefix>/AWSDynamoDB/<ExportId>/ (or a local copy of it)";

/** A problem with a `--from-export` location, found before anything is sent; undefined when usable. */
export function checkExportLocation(location: string): string | undefined {
    if (location.trim() === "") return `\`--from-export\` is empty; ${WANTED}.`;
    if (!location.startsWith("s3://")) return undefined;
    const bucket = location.slice(5).split("/")[0];
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
        return `\`--from-export\` is ${location}; the bucket name must be 3 to 63 lowercase letters, digits, dots and hyphens. ${WANTED}.`;
    return undefined;
}

/** Opens the export at `location`: `s3://bucket/prefix/` (through the SDK's S3 client) or a folder. */
export function openExportSource(location: string, s3Config: S3ClientConfig = {}): ExportSource {
    // The part of a manifest key after `AWSDynamoDB/<ExportId>/`: where the object sits in the
    // export's folder, wherever the folder was copied to.
    const inFolder = (key: string) => /(?:^|\/)AWSDynamoDB\/[^/]+\/(.+)$/.exec(key)?.[1];
    if (!location.startsWith("s3://")) {
        return {
            location,
            name: (path) => join(location, path),
            open: async (path) => {
                const full = join(location, path);
                return existsSync(full) ? createReadStream(full) : undefined;
            },
            resolve: (key) => inFolder(key) ?? key,
            close: () => undefined,
        };
    }
    const rest = location.slice(5);
    const bucket = rest.split("/")[0];
    let prefix = rest.slice(bucket.length + 1);
    if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
    const client = new S3Client(s3Config);
    return {
        location,
        name: (path) => `s3://${bucket}/${path}`,
        open: async (path) => {
            try {
                const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: path }));
                return out.Body as Readable;
            } catch (error) {
                const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
                if (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return undefined;
                throw new Error(
                    `could not read s3://${bucket}/${path}: ${e.name ?? "Error"}: ${(error as Error).message}`,
                );
            }
        },
        resolve: (key) => {
            const relative = inFolder(key);
            return relative !== undefined ? prefix + relative : key;
        },
        close: () => client.destroy(),
    };
}

/** A whole (small) object of the export as text; the error names it when it is absent. */
async function readText(source: ExportSource, path: string, what: string): Promise<string> {
    const stream = await source.open(path);
    if (!stream) throw new Error(`${source.name(path)} is missing: ${what}`);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString("utf8");
}

/** Reads and checks manifest-summary.json and manifest-files.json. */
export async function readExportManifest(source: ExportSource): Promise<ExportManifest> {
    const base = source.location.startsWith("s3://") ? s3Prefix(source.location) : "";
    const summaryName = `${base}manifest-summary.json`;
    const text = await readText(source, summaryName, `${WANTED}.`);
    let summary: Record<string, unknown>;
    try {
        summary = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
        throw new Error(`${source.name(summaryName)} is not valid JSON (${(error as Error).message}).`);
    }
    if (summary.outputFormat !== undefined && summary.outputFormat !== "DYNAMODB_JSON")
        throw new Error(
            `${source.name(summaryName)} says outputFormat ${String(summary.outputFormat)}; only DYNAMODB_JSON exports can be read. Export again with --export-format DYNAMODB_JSON.`,
        );
    if (summary.exportType !== undefined && summary.exportType !== "FULL_EXPORT")
        throw new Error(
            `${source.name(summaryName)} says exportType ${String(summary.exportType)}; only a full export holds whole items. Export again with --export-type FULL_EXPORT.`,
        );
    const manifestKey =
        typeof summary.manifestFilesS3Key === "string"
            ? source.resolve(summary.manifestFilesS3Key)
            : `${base}manifest-files.json`;
    const files = parseFileManifest(
        source,
        manifestKey,
        await readText(source, manifestKey, "manifest-summary.json names it; the export is incomplete."),
    );
    const listed = files.reduce((n, f) => n + (f.itemCount ?? 0), 0);
    const itemCount = typeof summary.itemCount === "number" ? summary.itemCount : undefined;
    if (itemCount !== undefined && files.every((f) => f.itemCount !== undefined) && listed !== itemCount)
        throw new Error(
            `${source.name(manifestKey)} lists ${listed} item(s) in its data files, but ${source.name(summaryName)} says ${itemCount}; the export is incomplete or not one export.`,
        );
    return {
        ...(typeof summary.exportArn === "string" ? { exportArn: summary.exportArn } : {}),
        ...(typeof summary.exportTime === "string" ? { exportTime: summary.exportTime } : {}),
        itemCount: itemCount ?? listed,
        files,
    };
}

function s3Prefix(location: string): string {
    const rest = location.slice(5);
    const prefix = rest.slice(rest.split("/")[0].length + 1);
    return prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
}

function parseFileManifest(source: ExportSource, path: string, text: string): ExportDataFile[] {
    const files: ExportDataFile[] = [];
    text.split("\n").forEach((line, i) => {
        if (line.trim() === "") return;
        let entry: Record<string, unknown>;
        try {
            entry = JSON.parse(line) as Record<string, unknown>;
        } catch (error) {
            throw new Error(
                `${source.name(path)}, line ${i + 1}, is not valid JSON (${(error as Error).message}).`,
            );
        }
        if (typeof entry.dataFileS3Key !== "string")
            throw new Error(`${source.name(path)}, line ${i + 1}, has no dataFileS3Key.`);
        files.push({
            key: entry.dataFileS3Key,
            path: source.resolve(entry.dataFileS3Key),
            ...(typeof entry.itemCount === "number" ? { itemCount: entry.itemCount } : {}),
            ...(typeof entry.md5Checksum === "string" ? { md5: entry.md5Checksum } : {}),
        });
    });
    return files;
}

/** A page of a data file: its items the filter selects, and how many items of the file are read so far. */
export interface FilePage {
    readonly items: Item[];
    /** Items read in all (selected or not) up to the end of this page. */
    readonly position: number;
    /** Items this page read (before the filter). */
    readonly scanned: number;
    /** The file has been read to its end, and checked. */
    readonly last: boolean;
}

/**
 * The pages of one data file, `pageSize` items read per page, starting after the first `skip`
 * items (a resumed run). The file is read from its start every time, so its MD5 and item count
 * are checked whole: the last page comes only once they are.
 */
export async function* readDataFile(
    source: ExportSource,
    file: ExportDataFile,
    pageSize: number,
    skip: number,
    selects: (item: Item) => boolean,
): AsyncGenerator<FilePage> {
    const name = `data file ${source.name(file.path)}`;
    const body = await source.open(file.path);
    if (!body)
        throw new Error(`${name} is listed in manifest-files.json but missing; the export is incomplete.`);
    const stored = createHash("md5");
    const plain = createHash("md5");
    const gunzip = createGunzip();
    let storedBytes = 0;
    pipeline(
        body,
        tap(stored, (n) => (storedBytes += n)),
        gunzip,
        () => undefined,
    );
    const decoder = new StringDecoder("utf8");
    let rest = "";
    let line = 0;
    let position = 0;
    let scanned = 0;
    let items: Item[] = [];
    const take = (text: string) => {
        line++;
        if (text.trim() === "") return;
        position++;
        const item = parseItemLine(text, `${name}, line ${line}`);
        if (position <= skip) return;
        scanned++;
        if (selects(item)) items.push(item);
    };
    try {
        for await (const chunk of gunzip) {
            plain.update(chunk as Buffer);
            const lines = (rest + decoder.write(chunk as Buffer)).split("\n");
            rest = lines.pop()!;
            for (const text of lines) {
                take(text);
                if (scanned >= pageSize) {
                    yield { items, position, scanned, last: false };
                    items = [];
                    scanned = 0;
                }
            }
        }
    } catch (error) {
        const code = String((error as NodeJS.ErrnoException).code ?? "");
        // An empty partition's data file may be an empty object: no items (its count is checked below).
        if (code === "Z_BUF_ERROR" && storedBytes === 0) return yield* emptyFile(name, file, stored, plain);
        if (code.startsWith("Z_"))
            throw new Error(`${name} is not valid gzip (${(error as Error).message}); the file is corrupt.`);
        if ((error as Error).message.startsWith(name)) throw error;
        throw new Error(`could not read ${name}: ${(error as Error).message}; run again to resume.`);
    }
    take(rest + decoder.end());
    checkWhole(name, file, position, stored, plain);
    yield { items, position, scanned, last: true };
}

/** The item count and MD5 of a file read to its end, against its manifest line. */
function checkWhole(name: string, file: ExportDataFile, items: number, stored: Hash, plain: Hash): void {
    if (file.itemCount !== undefined && file.itemCount !== items)
        throw new Error(
            `${name} holds ${items} item(s), but manifest-files.json says ${file.itemCount}; the file is truncated or not this export's.`,
        );
    // The guide does not say over which bytes md5Checksum is taken; the stored (gzipped) bytes or
    // the uncompressed ones are both accepted.
    const digests = [stored.digest("base64"), plain.digest("base64")];
    if (file.md5 !== undefined && !digests.includes(file.md5))
        throw new Error(
            `${name} has MD5 ${digests[0]}, but manifest-files.json says ${file.md5}; the file is corrupt or not this export's.`,
        );
}

/** A file of zero bytes, checked against its manifest line like any other. */
async function* emptyFile(name: string, file: ExportDataFile, stored: Hash, plain: Hash) {
    checkWhole(name, file, 0, stored, plain);
    yield { items: [], position: 0, scanned: 0, last: true };
}

function tap(hash: Hash, count: (bytes: number) => void): Transform {
    return new Transform({
        transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            count(chunk.length);
            done(null, chunk);
        },
    });
}

/** One line of a data file: `{"Item": {...}}` in DynamoDB JSON. */
export function parseItemLine(text: string, where: string): Item {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new Error(`${where}, is not valid JSON (${(error as Error).message}); the file is corrupt.`);
    }
    const raw = (parsed as { Item?: unknown } | null)?.Item;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        throw new Error(`${where}, has no "Item" object; a DYNAMODB_JSON data line reads {"Item": {...}}.`);
    const item: Item = {};
    for (const [name, value] of Object.entries(raw)) item[name] = attributeValue(value, `${where}, ${name}`);
    return item;
}

/** A DynamoDB JSON attribute value as the SDK takes it (binary from base64). */
function attributeValue(value: unknown, where: string): AttributeValue {
    const entries = typeof value === "object" && value !== null ? Object.entries(value) : [];
    if (entries.length !== 1) throw new Error(`${where}: not a DynamoDB JSON attribute value.`);
    const [type, v] = entries[0];
    const bytes = (s: unknown) => new Uint8Array(Buffer.from(String(s), "base64"));
    const list = (l: unknown): unknown[] => {
        if (!Array.isArray(l)) throw new Error(`${where}: ${type} must hold a list.`);
        return l;
    };
    switch (type) {
        case "S":
            return { S: String(v) };
        case "N":
            return { N: String(v) };
        case "BOOL":
            return { BOOL: v === true };
        case "NULL":
            return { NULL: true };
        case "B":
            return { B: bytes(v) };
        case "SS":
            return { SS: list(v).map(String) };
        case "NS":
            return { NS: list(v).map(String) };
        case "BS":
            return { BS: list(v).map(bytes) };
        case "L":
            return { L: list(v).map((e, i) => attributeValue(e, `${where}[${i}]`)) };
        case "M":
            return {
                M: Object.fromEntries(
                    Object.entries(v as object).map(([k, e]) => [k, attributeValue(e, `${where}.${k}`)]),
                ),
            };
        default:
            throw new Error(`${where}: unknown DynamoDB JSON type ${type}.`);
    }
}
