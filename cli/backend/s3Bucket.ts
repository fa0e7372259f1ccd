/**
 * A self-managed backend in S3: `s3://bucket/prefix`, read with `@aws-sdk/client-s3`, region and
 * credentials found as the AWS SDK finds them. The query parameters pulumi's (gocloud's) S3 URLs
 * take are honoured: `region`, `endpoint` and `s3ForcePathStyle` (or `use_path_style`), so that an
 * S3-compatible store (MinIO, a local test server) works as it does for `pulumi login`.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Bucket, BucketObject } from "./bucket";
import { BackendError, StackReadError } from "./types";

/** A one-line reason for an S3 failure: its HTTP status and code, never a stack trace. */
function reason(e: unknown): string {
    if (e instanceof S3ServiceException) {
        const status = e.$metadata?.httpStatusCode;
        return `${status ? `HTTP ${status} ` : ""}${e.name}${e.message && e.message !== e.name && e.message !== "UnknownError" ? `: ${e.message}` : ""}`;
    }
    const error = e as NodeJS.ErrnoException;
    return `${error?.code ?? error?.name ?? "error"}: ${String(error?.message ?? e).split("\n")[0]}`;
}

export class S3Bucket implements Bucket {
    private readonly client: S3Client;
    readonly bucket: string;
    private readonly prefix: string;

    constructor(private readonly url: URL) {
        this.bucket = url.hostname;
        this.prefix = url.pathname.replace(/^\/+/, "").replace(/\/*$/, "");
        const q = url.searchParams;
        const pathStyle = q.get("s3ForcePathStyle") ?? q.get("use_path_style");
        this.client = new S3Client({
            region: q.get("region") ?? undefined,
            endpoint: q.get("endpoint") ?? undefined,
            forcePathStyle: pathStyle === "true" || pathStyle === "1" ? true : undefined,
        });
    }

    private full(key: string): string {
        return this.prefix ? `${this.prefix}/${key}` : key;
    }

    async list(prefix: string): Promise<BucketObject[]> {
        const out: BucketObject[] = [];
        let token: string | undefined;
        do {
            let page;
            try {
                page = await this.client.send(
                    new ListObjectsV2Command({
                        Bucket: this.bucket,
                        Prefix: this.full(prefix),
                        ContinuationToken: token,
                    }),
                );
            } catch (e) {
                throw new BackendError(`cannot list s3://${this.bucket}/${this.full(prefix)} (${reason(e)})`);
            }
            for (const o of page.Contents ?? []) {
                if (!o.Key) continue;
                out.push({
                    key: this.prefix ? o.Key.slice(this.prefix.length + 1) : o.Key,
                    modified: o.LastModified ?? new Date(0),
                    size: o.Size ?? 0,
                });
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return out;
    }

    async read(key: string): Promise<Buffer | undefined> {
        try {
            const res = await this.client.send(
                new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }),
            );
            if (!res.Body) return Buffer.alloc(0);
            return Buffer.from(await res.Body.transformToByteArray());
        } catch (e) {
            if (
                e instanceof S3ServiceException &&
                (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404)
            )
                return undefined;
            throw new StackReadError(`cannot be read (${reason(e)})`);
        }
    }

    locate(key: string): string {
        return `s3://${this.bucket}/${this.full(key)}`;
    }

    /** Throws a BackendError when the URL is unusable before any request (no bucket). */
    static open(url: URL): S3Bucket {
        if (!url.hostname) throw new BackendError("no bucket; expected s3://<bucket>[/<prefix>]");
        return new S3Bucket(url);
    }
}
