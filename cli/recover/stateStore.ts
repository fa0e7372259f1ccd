// The shared place where the workers of one recovery keep their claims, checkpoints and reports
// (`--state`): a local folder, or an S3 prefix (`s3://bucket/prefix/`). Three operations are all
// the workers need: read an object, overwrite one, and create one only if it does not exist yet
// (the atomic step a claim is built on).
//
// S3: PutObject with `If-None-Match: *` creates an object only when the key does not exist; S3
// answers 412 Precondition Failed when it does, and 409 ConditionalRequestConflict when another
// conditional write to the key is in progress (then the write is tried again).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
// A folder: open with O_CREAT | O_EXCL (`wx`), which fails with EEXIST when the file exists, in
// one system call.
import {
    GetObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    S3Client,
    type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

export interface StateStore {
    /** Where the state is, as the user gave it (for messages). */
    readonly location: string;
    /** The object's text, or undefined when there is none. */
    read(name: string): Promise<string | undefined>;
    /** Creates or replaces the object. */
    write(name: string, body: string): Promise<void>;
    /** Creates the object only if it does not exist; false when it already did (someone else created it). */
    create(name: string, body: string): Promise<boolean>;
    /** Names of the objects under `prefix` (a folder-like path such as `workers/`), sorted. */
    list(prefix: string): Promise<string[]>;
    /** Releases the client. */
    close(): void;
}

/** A problem with a `--state` location, before anything is sent; undefined when it can be used. */
export function checkStateLocation(location: string): string | undefined {
    if (!location.startsWith("s3://")) return location.trim() === "" ? "`--state` is empty." : undefined;
    const { bucket } = parseS3Location(location);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
        return `\`--state\` is ${location}; it must be a folder or s3://<bucket>/<prefix>/ with a valid bucket name (3 to 63 lowercase letters, digits, dots and hyphens).`;
    return undefined;
}

/** Opens the state store at `location`: `s3://bucket/prefix/` or a local folder (created when absent). */
export function openStateStore(location: string, s3Config: S3ClientConfig = {}): StateStore {
    return location.startsWith("s3://")
        ? new S3StateStore(location, new S3Client(s3Config))
        : new FolderStateStore(location);
}

export function parseS3Location(location: string): { bucket: string; prefix: string } {
    const rest = location.slice("s3://".length);
    const slash = rest.indexOf("/");
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    let prefix = slash < 0 ? "" : rest.slice(slash + 1);
    if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
    return { bucket, prefix };
}

export class FolderStateStore implements StateStore {
    constructor(readonly location: string) {}

    async read(name: string): Promise<string | undefined> {
        try {
            return readFileSync(join(this.location, name), "utf8");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
            throw error;
        }
    }

    async write(name: string, body: string): Promise<void> {
        const path = join(this.location, name);
        mkdirSync(dirname(path), { recursive: true });
        // Write then rename: a kill at any moment leaves the old object or the new one, whole.
        const temp = `${path}.${process.pid}.tmp`;
        const fd = openSync(temp, "w");
        try {
            writeSync(fd, body);
        } finally {
            closeSync(fd);
        }
        renameSync(temp, path);
    }

    async create(name: string, body: string): Promise<boolean> {
        const path = join(this.location, name);
        mkdirSync(dirname(path), { recursive: true });
        let fd: number;
        try {
            fd = openSync(path, "wx");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
            throw error;
        }
        try {
            writeSync(fd, body);
        } finally {
            closeSync(fd);
        }
        return true;
    }

    async list(prefix: string): Promise<string[]> {
        const folder = join(this.location, prefix);
        const out: string[] = [];
        const walk = (dir: string, rel: string) => {
            let entries;
            try {
                entries = readdirSync(dir, { withFileTypes: true });
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
                throw error;
            }
            for (const e of entries) {
                if (e.name.endsWith(".tmp")) continue;
                if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
                else out.push(`${prefix}${rel}${e.name}`);
            }
        };
        walk(folder, "");
        return out.sort();
    }

    close(): void {}
}

/** Tries a conditional write again when S3 reports another conditional write to the same key in progress. */
const CONFLICT_ATTEMPTS = 5;

export class S3StateStore implements StateStore {
    private readonly bucket: string;
    private readonly prefix: string;

    constructor(
        readonly location: string,
        private readonly client: Pick<S3Client, "send" | "destroy">,
    ) {
        ({ bucket: this.bucket, prefix: this.prefix } = parseS3Location(location));
    }

    async read(name: string): Promise<string | undefined> {
        try {
            const out = await this.client.send(
                new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + name }),
            );
            return await out.Body!.transformToString();
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    async write(name: string, body: string): Promise<void> {
        await this.client.send(
            new PutObjectCommand({
                Bucket: this.bucket,
                Key: this.prefix + name,
                Body: body,
                ContentType: "application/json",
            }),
        );
    }

    async create(name: string, body: string): Promise<boolean> {
        for (let attempt = 1; ; attempt++) {
            try {
                await this.client.send(
                    new PutObjectCommand({
                        Bucket: this.bucket,
                        Key: this.prefix + name,
                        Body: body,
                        ContentType: "application/json",
                        IfNoneMatch: "*",
                    }),
                );
                return true;
            } catch (error) {
                const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
                    ?.httpStatusCode;
                const code = (error as Error).name;
                if (status === 412 || code === "PreconditionFailed") return false;
                const conflict = status === 409 || code === "ConditionalRequestConflict";
                if (!conflict || attempt >= CONFLICT_ATTEMPTS) throw error;
                await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
            }
        }
    }

    async list(prefix: string): Promise<string[]> {
        const out: string[] = [];
        let token: string | undefined;
        do {
            const page = await this.client.send(
                new ListObjectsV2Command({
                    Bucket: this.bucket,
                    Prefix: this.prefix + prefix,
                    ...(token ? { ContinuationToken: token } : {}),
                }),
            );
            for (const object of page.Contents ?? [])
                if (object.Key) out.push(object.Key.slice(this.prefix.length));
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return out.sort();
    }

    close(): void {
        this.client.destroy();
    }
}

function isNotFound(error: unknown): boolean {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}
