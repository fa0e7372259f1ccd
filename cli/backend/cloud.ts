/**
 * Pulumi Cloud (https://api.pulumi.com, or a self-hosted API URL), through its documented REST API
 * (https://www.pulumi.com/docs/reference/cloud-rest-api/): `GET /api/user/stacks` lists the stacks
 * the token can see, page by page (`continuationToken`), narrowed by `organization` and `project`;
 * `GET /api/stacks/{org}/{project}/{stack}` holds a stack's tags; `.../export` its deployment.
 * Every request carries `Authorization: token <PULUMI_ACCESS_TOKEN>` and
 * `Accept: application/vnd.pulumi+8`.
 */
import { Backend, BackendError, StackReadError, StackRef } from "./types";

interface StackSummary {
    orgName: string;
    projectName: string;
    stackName: string;
}

export interface CloudOptions {
    token: string | undefined;
    /** Narrow the listing (the API's `organization` and `project` query parameters). */
    organization?: string;
    project?: string;
}

export class CloudBackend implements Backend {
    private readonly base: string;

    constructor(
        readonly url: string,
        private readonly options: CloudOptions,
    ) {
        this.base = url.replace(/\/+$/, "");
    }

    private async get(pathAndQuery: string, failure: (message: string) => Error): Promise<unknown> {
        const where = `${this.base}${pathAndQuery}`;
        let res: Response;
        try {
            res = await fetch(where, {
                headers: {
                    Authorization: `token ${this.options.token}`,
                    Accept: "application/vnd.pulumi+8",
                    "Content-Type": "application/json",
                },
            });
        } catch (e) {
            const cause = (e as { cause?: { code?: string; message?: string } }).cause;
            throw failure(`cannot reach ${where} (${cause?.code ?? cause?.message ?? (e as Error).message})`);
        }
        if (!res.ok) {
            let detail = "";
            try {
                const body = (await res.json()) as { message?: string };
                if (body?.message) detail = `: ${body.message}`;
            } catch {
                // The status says enough.
            }
            const hint =
                res.status === 401
                    ? "; PULUMI_ACCESS_TOKEN is missing, expired or revoked"
                    : res.status === 403
                      ? "; the token's user or team lacks read access"
                      : "";
            throw failure(`${where} answered HTTP ${res.status}${detail}${hint}`);
        }
        try {
            return await res.json();
        } catch (e) {
            throw failure(`${where} did not answer JSON (${(e as Error).message})`);
        }
    }

    async list(): Promise<StackRef[]> {
        if (!this.options.token)
            throw new BackendError(
                `PULUMI_ACCESS_TOKEN is not set; create a token (https://app.pulumi.com/account/tokens) and export it`,
            );
        const stacks: StackSummary[] = [];
        let token: string | undefined;
        const seen = new Set<string>();
        do {
            const q = new URLSearchParams();
            if (this.options.organization) q.set("organization", this.options.organization);
            if (this.options.project) q.set("project", this.options.project);
            if (token) q.set("continuationToken", token);
            const query = q.toString();
            const page = (await this.get(
                `/api/user/stacks${query ? `?${query}` : ""}`,
                (m) => new BackendError(m),
            )) as {
                stacks?: StackSummary[];
                continuationToken?: string | null;
            };
            if (!Array.isArray(page?.stacks))
                throw new BackendError(`${this.base}/api/user/stacks did not answer a list of stacks`);
            stacks.push(...page.stacks);
            token = page.continuationToken ?? undefined;
            // A server repeating a token would page forever.
            if (token && seen.has(token)) break;
            if (token) seen.add(token);
        } while (token);
        return stacks.map((s) => this.ref(s));
    }

    private ref(s: StackSummary): StackRef {
        const path = `/api/stacks/${[s.orgName, s.projectName, s.stackName].map(encodeURIComponent).join("/")}`;
        const failure = (m: string) => new StackReadError(m);
        return {
            name: `${s.orgName}/${s.projectName}/${s.stackName}`,
            project: s.projectName,
            stack: s.stackName,
            location: `${this.base}${path}`,
            read: async () => Buffer.from(JSON.stringify(await this.get(`${path}/export`, failure))),
            tags: async () => {
                const stack = (await this.get(path, failure)) as { tags?: Record<string, unknown> };
                const tags: Record<string, string> = {};
                for (const [k, v] of Object.entries(stack?.tags ?? {}))
                    if (typeof v === "string") tags[k] = v;
                return tags;
            },
        };
    }
}
