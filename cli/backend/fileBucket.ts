/** A self-managed backend in a folder: `file://<path>`, or a bare path to the folder holding `.pulumi/`. */
import * as fs from "fs";
import * as path from "path";
import { Bucket, BucketObject } from "./bucket";
import { BackendError } from "./types";

export class FileBucket implements Bucket {
    constructor(readonly root: string) {}

    async list(prefix: string): Promise<BucketObject[]> {
        const out: BucketObject[] = [];
        const walk = async (dir: string, keyPrefix: string) => {
            let entries: fs.Dirent[];
            try {
                entries = await fs.promises.readdir(dir, { withFileTypes: true });
            } catch (e) {
                const code = (e as NodeJS.ErrnoException).code;
                if (code === "ENOENT" && keyPrefix !== "") return;
                throw new BackendError(`cannot list ${dir} (${code ?? (e as Error).message})`);
            }
            for (const entry of entries) {
                const key = `${keyPrefix}${entry.name}`;
                const full = path.join(dir, entry.name);
                if (entry.isDirectory()) await walk(full, `${key}/`);
                else if (entry.isFile()) {
                    const stat = await fs.promises.stat(full);
                    out.push({ key, modified: stat.mtime, size: stat.size });
                }
            }
        };
        const dir = path.join(this.root, ...prefix.split("/").filter(Boolean));
        if (!fs.existsSync(dir)) return [];
        await walk(dir, prefix.endsWith("/") || prefix === "" ? prefix : `${prefix}/`);
        return out;
    }

    async read(key: string): Promise<Buffer | undefined> {
        try {
            // Synchronous: for local files it costs a fraction of fs.promises' per-call overhead, and
            // the check is bound by the CPU anyway.
            return fs.readFileSync(this.locate(key));
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
            throw e;
        }
    }

    locate(key: string): string {
        return path.join(this.root, ...key.split("/"));
    }
}
