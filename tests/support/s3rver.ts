// A real S3-compatible server for tests: s3rver on 127.0.0.1 at a random port, its objects in a
// temporary folder, path-style. It checks request signatures (the tests' dummy key pair is
// registered with it) and serves ListObjectsV2, GetObject, PutObject (aws-chunked bodies too) and
// DeleteObject as S3 does. It does not enforce conditional writes: PutObject with
// `If-None-Match: *` replaces an object that exists, which is what `recover`'s create-only check
// must catch (claims then go to a DynamoDB table, `--claims-table`).
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    DeleteObjectCommand,
    GetObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import S3rver from "s3rver";

const localRequire = createRequire(__filename);

/** The part of s3rver's account model used to accept the tests' credentials (it ships no types for it). */
interface AccountModule {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

export interface LocalS3 {
    /** `http://127.0.0.1:<port>`, for path-style clients. */
    readonly endpoint: string;
    /** A path-style client of this server with the given credentials. */
    client(): S3Client;
    /** Makes `bucket` hold exactly `objects`: puts what is new or changed, deletes what is gone. */
    mirror(bucket: string, objects: ReadonlyMap<string, Buffer>): Promise<void>;
    /** The object's bytes, or undefined. */
    get(bucket: string, key: string): Promise<Buffer | undefined>;
    /** Keys under `prefix`, sorted. */
    keys(bucket: string, prefix?: string): Promise<string[]>;
    stop(): Promise<void>;
}

/** Starts s3rver with `buckets` created; requests signed with `credentials` are accepted. */
export async function startS3rver(
    buckets: readonly string[],
    credentials: { accessKeyId: string; secretAccessKey: string },
    region = "us-east-1",
): Promise<LocalS3> {
    const accounts = localRequire("s3rver/lib/models/account") as AccountModule;
    accounts.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
    const directory = mkdtempSync(join(tmpdir(), "s3rver-"));
    const server = new S3rver({
        address: "127.0.0.1",
        port: 0,
        silent: true,
        directory,
        configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = () => new S3Client({ endpoint, forcePathStyle: true, region, credentials });
    const own = client();
    /** What was last put through `mirror`, per bucket and key, to put only what changed. */
    const mirrored = new Map<string, Map<string, Buffer>>();

    const keys = async (bucket: string, prefix = "") => {
        const out: string[] = [];
        let token: string | undefined;
        do {
            const page = await own.send(
                new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
            );
            for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return out.sort();
    };

    return {
        endpoint,
        client,
        keys,
        mirror: async (bucket, objects) => {
            const last = mirrored.get(bucket) ?? new Map<string, Buffer>();
            for (const key of await keys(bucket))
                if (!objects.has(key)) await own.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
            for (const [key, body] of objects)
                if (!last.get(key)?.equals(body))
                    await own.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
            mirrored.set(bucket, new Map(objects));
        },
        get: async (bucket, key) => {
            try {
                const out = await own.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
                return Buffer.from(await out.Body!.transformToByteArray());
            } catch (error) {
                if ((error as Error).name === "NoSuchKey") return undefined;
                throw error;
            }
        },
        stop: async () => {
            own.destroy();
            await server.close();
            rmSync(directory, { recursive: true, force: true });
        },
    };
}
