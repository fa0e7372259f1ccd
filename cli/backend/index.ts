/**
 * `--backend <url>` to a backend, as `pulumi login` reads the same URL (default: PULUMI_BACKEND_URL):
 * `file://<path>` or a bare path (a self-managed folder), `s3://bucket/prefix` (self-managed, in S3),
 * `https://...` / `http://...` (Pulumi Cloud or a self-hosted service).
 */
import * as fs from "fs";
import * as path from "path";
import { DiyBackend } from "./diy";
import { FileBucket } from "./fileBucket";
import { Backend, BackendError } from "./types";

export interface OpenOptions {
    /** PULUMI_ACCESS_TOKEN, for the service. */
    token: string | undefined;
    organization?: string;
    project?: string;
}

export function openBackend(url: string, options: OpenOptions = { token: undefined }): Backend {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
    // Each source loads its own client (the AWS SDK takes a while to load), as needed.
    /* eslint-disable @typescript-eslint/no-require-imports */
    if (scheme === "https" || scheme === "http") {
        const { CloudBackend } = require("./cloud") as typeof import("./cloud");
        return new CloudBackend(url, options);
    }
    if (scheme === "s3") {
        let parsed: URL;
        try {
            parsed = new URL(url);
        } catch {
            throw new BackendError("not a URL; expected s3://<bucket>[/<prefix>]");
        }
        const { S3Bucket } = require("./s3Bucket") as typeof import("./s3Bucket");
        return new DiyBackend(url, S3Bucket.open(parsed));
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (scheme !== undefined && scheme !== "file")
        throw new BackendError(
            `\`${scheme}://\` backends are not read; use file://<path>, a folder, s3://<bucket>/<prefix> or https://<Pulumi Cloud API>`,
        );
    // `file:///abs/path`, or pulumi's relative forms `file://./state` and `file://~/state`.
    let dir = scheme === "file" ? url.slice("file://".length) : url;
    try {
        dir = decodeURIComponent(dir);
    } catch {
        throw new BackendError("not a file URL (bad %-encoding)");
    }
    // pulumi's file:// paths may be relative (`file://./state`) or use `~`.
    dir = path.resolve(dir.replace(/^~(?=$|\/)/, process.env.HOME ?? "~"));
    if (!fs.existsSync(dir)) throw new BackendError(`no such folder (${dir})`);
    if (!fs.existsSync(path.join(dir, ".pulumi")))
        throw new BackendError(
            `${url}: ${dir} holds no .pulumi/ folder; is this a self-managed backend's root?`,
        );
    return new DiyBackend(url, new FileBucket(dir));
}
