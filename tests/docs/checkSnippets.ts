/**
 * Runs snippet programs through `check`'s own pieces with one policy pack for all of them: each
 * program under the mock runtime as a preview (cli/program), its resources through the pack over the
 * analyzer gRPC protocol (cli/check/analyze.ts), as `dynamodb-pitr check --transpile-only` does.
 * Starting the pack once, not once a snippet, keeps the whole run to seconds. The type check is
 * compileSnippets.ts's, in one program for all.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AnalyzerInfo } from "../../cli/analyzer/types";
import type { PolicyPackClient } from "../../cli/analyzer/client";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../cli/analyzer/policyConfig";
import { analyze, startPack } from "../../cli/check/analyze";
import { bundledPackDir } from "../../cli/core/paths";
import { runProgram, watchLateErrors } from "../../cli/program/programHost";
import { loadProject } from "../../cli/program/project";
import { toAnalyzerResources } from "../../cli/program/stackResources";
import { ROOT, SnippetModule } from "./snippets";

/** What `check` made of a snippet: the policies with mandatory violations, or the error that stopped it. */
export type Verdict = { kind: "checked"; mandatory: string[] } | { kind: "error"; message: string };

/** A project folder for the snippet: its own Pulumi.yaml, this repository's node_modules. */
function writeProject(dir: string, module: SnippetModule, n: number): string {
    const project = path.join(dir, `snippet-${n}`);
    fs.mkdirSync(project);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"), "dir");
    fs.writeFileSync(
        path.join(project, "Pulumi.yaml"),
        `name: snippet\nruntime: nodejs\nmain: index.ts\nconfig:\n    aws:region: us-east-1\n`,
    );
    const text = module.text
        .replace(/(from\s+")dynamodb-pitr\/recover(")/g, `$1${path.join(ROOT, "cli", "recover")}$2`)
        .replace(/(from\s+")dynamodb-pitr(")/g, `$1${path.join(ROOT, "components")}$2`);
    fs.writeFileSync(path.join(project, "index.ts"), text);
    return project;
}

async function checkOne(
    pack: PolicyPackClient,
    info: AnalyzerInfo,
    project: string,
    module: SnippetModule,
): Promise<Verdict> {
    const marker = module.snippet.marker;
    const late = watchLateErrors();
    try {
        const settings = loadProject(project, { stack: marker?.stack, config: marker?.config ?? {} });
        const raw = marker?.policyConfig
            ? readPolicyConfigFile(path.join(ROOT, marker.policyConfig))
            : undefined;
        const config = resolvePolicyConfig(info, raw, `--policy-config ${marker?.policyConfig}`);
        const captured = await runProgram(settings, { transpileOnly: true, timeoutSeconds: 60 }, late);
        const resources = toAnalyzerResources(captured, {
            project: settings.name,
            stack: settings.stack,
            config: settings.config,
        });
        const result = await analyze(
            pack,
            info,
            bundledPackDir(),
            settings,
            resources,
            captured,
            config,
            {},
            () => undefined,
        );
        const mandatory = result.violations
            .filter((v) => v.enforcementLevel === "mandatory")
            .map((v) => v.policyName);
        return { kind: "checked", mandatory: [...new Set(mandatory)].sort() };
    } catch (e) {
        return {
            kind: "error",
            message: String((e as Error).message ?? e)
                .split("\n")
                .slice(0, 3)
                .join(" "),
        };
    } finally {
        late.stop();
    }
}

/** Checks each snippet program in turn with one pack; the verdicts in the same order. */
export async function checkSnippets(modules: readonly SnippetModule[]): Promise<Verdict[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "doc-snippets-"));
    const pack = await startPack(bundledPackDir());
    try {
        const info = await pack.getAnalyzerInfo();
        const verdicts: Verdict[] = [];
        for (const [n, module] of modules.entries())
            verdicts.push(await checkOne(pack, info, writeProject(dir, module, n), module));
        return verdicts;
    } finally {
        await pack.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
