/**
 * A tiny S3-compatible server for tests, speaking just what the backend reader uses, path-style:
 * ListObjectsV2 (`GET /<bucket>?list-type=2&prefix=...`, paged by `max-keys` and
 * `continuation-token`) and GetObject (`GET /<bucket>/<key>`), with S3's XML errors
 * (NoSuchBucket, NoSuchKey, AccessDenied), and PutObject (`PUT /<bucket>/<key>`) with the
 * conditional write `If-None-Match: *` (412 PreconditionFailed when the key exists), as S3 does.
 * Request signatures are not checked.
 */
import * as http from "http";
import { AddressInfo } from "net";

export interface FakeS3 {
    endpoint: string;
    /** Keys whose GetObject answers 403 AccessDenied. */
    denied: Set<string>;
    /** Buckets whose listing answers 403 AccessDenied. */
    deniedBuckets: Set<string>;
    close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function error(res: http.ServerResponse, status: number, code: string, message: string) {
    res.writeHead(status, { "Content-Type": "application/xml" });
    res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
}

/** PutObject; `If-None-Match: *` creates only. A body sent in aws-chunked encoding is decoded. */
function putObject(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    objects: Map<string, Buffer>,
    key: string,
) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
        let body: Buffer = Buffer.concat(chunks);
        if (String(req.headers["content-encoding"] ?? "").includes("aws-chunked")) body = unchunk(body);
        if (req.headers["if-none-match"] === "*" && objects.has(key))
            return error(
                res,
                412,
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
            );
        objects.set(key, body);
        res.writeHead(200, { ETag: `"${objects.size}"` });
        res.end();
    });
}

/** The data of an aws-chunked body: `<hex size>[;extensions]\r\n<data>\r\n` ... up to a size of 0. */
function unchunk(body: Buffer): Buffer {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
        const eol = body.indexOf("\r\n", at);
        if (eol < 0) break;
        const size = parseInt(body.subarray(at, eol).toString("latin1").split(";")[0], 16);
        if (!size) break;
        parts.push(body.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
    }
    return Buffer.concat(parts);
}

/** Serves `buckets` (bucket → key → bytes); `pageSize` keys per listing page. */
export async function startFakeS3(
    buckets: Record<string, Map<string, Buffer>>,
    pageSize = 3,
): Promise<FakeS3> {
    const denied = new Set<string>();
    const deniedBuckets = new Set<string>();
    const modified = new Date("2026-01-01T00:00:00Z");
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const [, bucket, ...rest] = url.pathname.split("/");
        const objects = buckets[decodeURIComponent(bucket)];
        if (req.method === "PUT" && objects && rest.length > 0 && rest.join("/") !== "")
            return putObject(req, res, objects, rest.map(decodeURIComponent).join("/"));
        if (req.method !== "GET") return error(res, 405, "MethodNotAllowed", "only GET and PUT");
        if (!objects) return error(res, 404, "NoSuchBucket", "The specified bucket does not exist");
        if (rest.length === 0 || (rest.length === 1 && rest[0] === "")) {
            if (deniedBuckets.has(bucket)) return error(res, 403, "AccessDenied", "Access Denied");
            const prefix = url.searchParams.get("prefix") ?? "";
            const max = Math.min(Number(url.searchParams.get("max-keys") ?? pageSize), pageSize);
            const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
            const start = Number(url.searchParams.get("continuation-token") ?? 0);
            const page = keys.slice(start, start + max);
            const truncated = start + max < keys.length;
            res.writeHead(200, { "Content-Type": "application/xml" });
            res.end(
                `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
                    `<Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys>` +
                    `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${start + max}</NextContinuationToken>` : ""}` +
                    page
                        .map(
                            (k) =>
                                `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${modified.toISOString()}</LastModified><Size>${objects.get(k)!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
                        )
                        .join("") +
                    `</ListBucketResult>`,
            );
            return;
        }
        const key = rest.map(decodeURIComponent).join("/");
        if (denied.has(key)) return error(res, 403, "AccessDenied", "Access Denied");
        const body = objects.get(key);
        if (!body) return error(res, 404, "NoSuchKey", "The specified key does not exist.");
        res.writeHead(200, {
            "Content-Type": "application/octet-stream",
            "Content-Length": body.length,
            "Last-Modified": modified.toUTCString(),
        });
        res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        denied,
        deniedBuckets,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** The files of a folder as S3 objects under `prefix` (`/`-separated keys). */
export function objectsOf(root: string, prefix = ""): Map<string, Buffer> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("fs") as typeof import("fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require("path") as typeof import("path");
    const out = new Map<string, Buffer>();
    const walk = (dir: string, rel: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const key = rel ? `${rel}/${e.name}` : e.name;
            if (e.isDirectory()) walk(path.join(dir, e.name), key);
            else out.set(prefix ? `${prefix}/${key}` : key, fs.readFileSync(path.join(dir, e.name)));
        }
    };
    walk(root, "");
    return out;
}
