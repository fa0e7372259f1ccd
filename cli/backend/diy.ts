/**
 * The self-managed ("diy") backend's layout, as pulumi lays it out (pkg/backend/diy in
 * pulumi/pulumi: meta.go, store.go, stack_tags.go, backend.go):
 *
 * - `.pulumi/meta.yaml` `version: 1`: project layout, `.pulumi/stacks/<project>/<stack>.json`;
 *   no meta.yaml (or `version: 0`): the legacy layout, `.pulumi/stacks/<stack>.json`.
 * - A checkpoint may be `.json`, `.json.gz` or `.json.zst`; when several exist the newest is the
 *   stack's (pulumi compares their modification times).
 * - `.json.bak` copies, `.pulumi/history/`, `.pulumi/backups/` and `.pulumi/journal/` are not stacks.
 * - A stack's tags are in `<stack>.pulumi-tags` beside its checkpoint: `{"version": 1, "tags": {...}}`.
 */
import { parse as parseYaml } from "yaml";
import { Bucket, BucketObject } from "./bucket";
import { Backend, BackendError, StackReadError, StackRef } from "./types";

const STACKS = ".pulumi/stacks/";
const META = ".pulumi/meta.yaml";
/** tokens.IsName (sdk/go/common/tokens): a project folder's name. */
const NAME = /^[A-Za-z0-9_.-]+$/;
/** tokens.ParseStackName: letters, digits, `-`, `_`, `.`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const CHECKPOINT = /^(.+)\.json(\.gz|\.zst)?$/;

/** The layout version from `.pulumi/meta.yaml`; undefined when there is none. */
async function layoutVersion(bucket: Bucket): Promise<number | undefined> {
    const bytes = await bucket.read(META);
    if (!bytes) return undefined;
    let meta: unknown;
    try {
        meta = parseYaml(bytes.toString("utf8"));
    } catch (e) {
        throw new BackendError(`${bucket.locate(META)} is not YAML (${(e as Error).message.split("\n")[0]})`);
    }
    const version = (meta as { version?: unknown } | null)?.version;
    if (typeof version !== "number")
        throw new BackendError(
            `${bucket.locate(META)} has no \`version\`; pulumi reports such a store as corrupt`,
        );
    if (version > 1)
        throw new BackendError(
            `${bucket.locate(META)} is version ${version}; this check reads versions 0 and 1 of the self-managed layout`,
        );
    return version;
}

export class DiyBackend implements Backend {
    constructor(
        readonly url: string,
        private readonly bucket: Bucket,
    ) {}

    async list(): Promise<StackRef[]> {
        const version = await layoutVersion(this.bucket);
        const objects = await this.bucket.list(STACKS);
        const byKey = new Map(objects.map((o) => [o.key, o]));
        // Without meta.yaml, pulumi uses the legacy layout when it holds stacks, else the project layout.
        const legacyFound = objects.some((o) => this.parse(o.key, true) !== undefined);
        const legacy = version === 0 || (version === undefined && legacyFound);
        const newest = new Map<
            string,
            { object: BucketObject; project: string; stack: string; base: string }
        >();
        for (const object of objects) {
            const parsed = this.parse(object.key, legacy);
            if (!parsed) continue;
            const id = `${parsed.project}/${parsed.stack}`;
            const seen = newest.get(id);
            if (!seen || object.modified > seen.object.modified) newest.set(id, { object, ...parsed });
        }
        return [...newest.values()]
            .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0))
            .map(({ object, project, stack, base }) =>
                this.ref(object, project, stack, byKey.get(`${base}.pulumi-tags`)),
            );
    }

    /** `.pulumi/stacks/<project>/<stack>.json[.gz|.zst]` (or `<stack>.json...` in the legacy layout). */
    private parse(
        key: string,
        legacy: boolean,
    ): { project: string; stack: string; base: string } | undefined {
        const parts = key.slice(STACKS.length).split("/");
        if (parts.length !== (legacy ? 1 : 2)) return undefined;
        const file = parts[parts.length - 1];
        const match = CHECKPOINT.exec(file);
        if (!match || !STACK_NAME.test(match[1])) return undefined;
        const project = legacy ? "" : parts[0];
        if (!legacy && !NAME.test(project)) return undefined;
        const base = `${STACKS}${legacy ? "" : `${project}/`}${match[1]}`;
        return { project, stack: match[1], base };
    }

    private ref(object: BucketObject, project: string, stack: string, tagsObject?: BucketObject): StackRef {
        const bucket = this.bucket;
        const location = bucket.locate(object.key);
        return {
            name: project ? `${project}/${stack}` : stack,
            project,
            stack,
            location,
            async read() {
                const bytes = await bucket.read(object.key);
                if (!bytes) throw new StackReadError("was removed while the check ran");
                return bytes;
            },
            async tags() {
                // pulumi adds `pulumi:project` to a stack's tags where the user set none.
                const system: Record<string, string> = project ? { "pulumi:project": project } : {};
                if (!tagsObject) return system;
                const where = bucket.locate(tagsObject.key);
                const bytes = await bucket.read(tagsObject.key);
                if (!bytes) return system;
                let parsed: { version?: unknown; tags?: unknown };
                try {
                    parsed = JSON.parse(bytes.toString("utf8"));
                } catch (e) {
                    throw new StackReadError(`its tags file ${where} is not JSON (${(e as Error).message})`);
                }
                if (parsed?.version !== 1)
                    throw new StackReadError(
                        `its tags file ${where} is version ${JSON.stringify(parsed?.version)}; version 1 is read`,
                    );
                const tags: Record<string, string> = { ...system };
                for (const [k, v] of Object.entries((parsed.tags ?? {}) as Record<string, unknown>))
                    if (typeof v === "string") tags[k] = v;
                return tags;
            },
        };
    }
}
