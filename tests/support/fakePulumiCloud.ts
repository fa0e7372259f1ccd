/**
 * A local HTTP server answering the Pulumi Cloud REST API endpoints the fleet check calls, as
 * documented (https://www.pulumi.com/docs/reference/cloud-rest-api/): `GET /api/user/stacks`
 * (paged with `continuationToken`, narrowed by `organization` and `project`),
 * `GET /api/stacks/{org}/{project}/{stack}` (with `tags`) and `.../export`. Every request must carry
 * `Authorization: token <token>`, else 401.
 */
import * as http from "http";
import { AddressInfo } from "net";

export interface CloudStack {
    org: string;
    project: string;
    stack: string;
    tags?: Record<string, string>;
    deployment: unknown;
}

export interface FakeCloud {
    url: string;
    /** `org/project/stack` whose export answers 403. */
    denied: Set<string>;
    /** Paths requested, in order. */
    requests: string[];
    close(): Promise<void>;
}

export async function startFakeCloud(token: string, stacks: CloudStack[], pageSize = 2): Promise<FakeCloud> {
    const denied = new Set<string>();
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        requests.push(`${url.pathname}${url.search}`);
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `token ${token}`)
            return json(401, { code: 401, message: "Unauthorized: No credentials provided or are invalid." });
        if (req.headers.accept !== "application/vnd.pulumi+8")
            return json(400, { code: 400, message: "bad Accept" });
        if (url.pathname === "/api/user/stacks") {
            const org = url.searchParams.get("organization");
            const project = url.searchParams.get("project");
            const matching = stacks.filter(
                (s) => (!org || s.org === org) && (!project || s.project === project),
            );
            const start = Number(url.searchParams.get("continuationToken") ?? 0);
            const page = matching.slice(start, start + pageSize);
            return json(200, {
                stacks: page.map((s) => ({
                    orgName: s.org,
                    projectName: s.project,
                    stackName: s.stack,
                    lastUpdate: 1,
                    resourceCount: 1,
                })),
                continuationToken: start + pageSize < matching.length ? String(start + pageSize) : undefined,
            });
        }
        const m = /^\/api\/stacks\/([^/]+)\/([^/]+)\/([^/]+)(\/export)?$/.exec(url.pathname);
        const found = m && stacks.find((s) => s.org === m[1] && s.project === m[2] && s.stack === m[3]);
        if (!m || !found) return json(404, { code: 404, message: "Not Found" });
        if (m[4]) {
            if (denied.has(`${found.org}/${found.project}/${found.stack}`))
                return json(403, { code: 403, message: "Forbidden" });
            return json(200, found.deployment);
        }
        return json(200, {
            orgName: found.org,
            projectName: found.project,
            stackName: found.stack,
            tags: found.tags ?? {},
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        denied,
        requests,
        close: () => new Promise((r) => server.close(() => r())),
    };
}
