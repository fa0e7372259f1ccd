// Generated DynamoDB exports to S3, as ExportTableToPointInTime writes them in DYNAMODB_JSON
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html):
// `<prefix>AWSDynamoDB/<ExportId>/manifest-summary.json`, `manifest-files.json` (JSON Lines) and
// `data/<id>.json.gz`, one `{"Item": {...}}` line per item.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../cli/recover/attributes";

export const EXPORT_ID = "01764000000000-a1b2c3d4";

export interface GeneratedExport {
    /** Bucket key → bytes. */
    readonly objects: Map<string, Buffer>;
    /** The export's folder, a key prefix of the bucket: `<prefix>AWSDynamoDB/<ExportId>/`. */
    readonly folder: string;
    /** The data files' keys, in the manifest's order. */
    readonly dataKeys: string[];
}

/** DynamoDB JSON of one attribute value (binary as base64). */
function toJson(value: AttributeValue): unknown {
    if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
    if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString("base64")) };
    if (value.M !== undefined)
        return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, toJson(v)])) };
    if (value.L !== undefined) return { L: value.L.map(toJson) };
    return value;
}

export function itemLine(item: Item): string {
    return JSON.stringify({ Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toJson(v)])) });
}

/** A data file's bytes and its manifest line. */
export function dataFile(key: string, lines: string[], itemCount = lines.length) {
    const body = gzipSync(lines.map((l) => l + "\n").join(""));
    const md5 = createHash("md5").update(body).digest();
    return {
        body,
        manifestLine: JSON.stringify({
            itemCount,
            md5Checksum: md5.toString("base64"),
            etag: md5.toString("hex"),
            dataFileS3Key: key,
        }),
    };
}

/** An export of `items` in `files` data files (item i in file i mod files), under `prefix`. */
export function generateExport(
    items: readonly Item[],
    files: number,
    { bucket = "exports", prefix = "orders/", format = "DYNAMODB_JSON" } = {},
): GeneratedExport {
    const folder = `${prefix}AWSDynamoDB/${EXPORT_ID}/`;
    const objects = new Map<string, Buffer>();
    const manifest: string[] = [];
    const dataKeys: string[] = [];
    for (let f = 0; f < files; f++) {
        const key = `${folder}data/file-${f}.json.gz`;
        const lines = items.filter((_, i) => i % files === f).map(itemLine);
        const { body, manifestLine } = dataFile(key, lines);
        objects.set(key, body);
        manifest.push(manifestLine);
        dataKeys.push(key);
    }
    objects.set(`${folder}manifest-files.json`, Buffer.from(manifest.join("\n") + "\n"));
    const summary = {
        version: "2020-06-30",
        exportArn: `arn:aws:dynamodb:us-east-1:111122223333:table/Orders/export/${EXPORT_ID}`,
        startTime: "2025-09-25T10:05:00.000Z",
        endTime: "2025-09-25T10:09:00.000Z",
        tableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
        tableId: "12345a12-abcd-123a-ab12-1234abc12345",
        exportTime: "2025-09-25T10:00:00.000Z",
        s3Bucket: bucket,
        s3Prefix: prefix,
        s3SseAlgorithm: "AES256",
        s3SseKmsKeyId: null,
        manifestFilesS3Key: `${folder}manifest-files.json`,
        billedSizeBytes: 0,
        itemCount: items.length,
        outputFormat: format,
        exportType: "FULL_EXPORT",
    };
    objects.set(`${folder}manifest-summary.json`, Buffer.from(JSON.stringify(summary)));
    objects.set(`${folder}_started`, Buffer.alloc(0));
    return { objects, folder, dataKeys };
}

/** Writes the export's folder (its objects under `folder`) into a local directory, as `aws s3 sync` would. */
export function writeExportFolder(generated: GeneratedExport, dir: string): void {
    for (const [key, body] of generated.objects) {
        if (!key.startsWith(generated.folder)) continue;
        const path = join(dir, key.slice(generated.folder.length));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, body);
    }
}
