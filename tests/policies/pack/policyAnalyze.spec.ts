/**
 * `pulumi policy analyze` runs a pack against a stack's state without its program. For every stack
 * of the test corpus (the stack exports of tests/fixtures/states, and each example as deployed under
 * the mock runtime) this sends the compiled pack, over the analyzer protocol, exactly what that
 * command sends (tests/support/policyAnalyze.ts, from pulumi/pulumi's source), and what a preview of
 * the same stack sends, and compares the verdicts. They are equal, except where docs/policies.md
 * ("`pulumi policy analyze`") says why not: the command sends no stack tags, and secrets it cannot
 * decrypt reach the pack as the string `[secret]`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackClient, startPolicyPack } from "../../../cli/analyzer";
import { PACK_DIR, buildPackIfStale, startPack } from "../../support/policyPack";
import {
    PackConfig,
    StateResource,
    policyAnalyze,
    preview,
    stateOfProgram,
} from "../../support/policyAnalyze";
import type { PropertyMap } from "../../../cli/analyzer";
import { fromWire } from "../../../cli/analyzer/wire";
import { loadProject } from "../../../cli/program/project";
import { runProgram, watchLateErrors } from "../../../cli/program/programHost";
import { toAnalyzerResources } from "../../../cli/program/stackResources";
import { PITR } from "./diagnostics";

const STATES = path.resolve(__dirname, "../../fixtures/states");
const EXAMPLES = path.resolve(__dirname, "../../../examples");

/**
 * The examples `check` runs (tests/examples/allExamples.spec.ts), with the policy configuration they
 * are documented with; python-orders and yaml-orders are not Node.js programs and have no state here.
 */
const EXAMPLE_PROGRAMS: Record<string, { config?: string }> = {
    orders: {},
    "platform-golden-template": {},
    restore: {},
    violations: {},
    "organization/management": {},
    "organization/member": { config: "organization/member/policy-config.json" },
};

/** An example, run under the mock runtime as `check` runs it: its resources, and the state `pulumi up` would leave. */
async function deployExample(name: string) {
    const project = loadProject(path.join(EXAMPLES, name));
    const late = watchLateErrors();
    try {
        const captured = await runProgram(project, { transpileOnly: true, timeoutSeconds: 60 }, late);
        const resources = toAnalyzerResources(captured, {
            project: project.name,
            stack: project.stack,
            config: project.config,
        });
        const outputs = new Map(captured.map((c) => [c.urn, fromWire(c.outputs) as PropertyMap]));
        const root = captured.find((c) => c.type === "pulumi:pulumi:Stack")?.urn ?? "";
        return { project, state: stateOfProgram(resources, (urn) => outputs.get(urn) ?? {}, root) };
    } finally {
        late.stop();
    }
}

interface CorpusStack {
    file: string;
    stack: string;
    project: string;
    resources: StateResource[];
}

/** The corpus's stack exports; a file that is no version 3 export (as `pulumi stack export` writes) is left out. */
function stateCorpus(): { stacks: CorpusStack[]; notStacks: string[] } {
    const stacks: CorpusStack[] = [];
    const notStacks: string[] = [];
    for (const file of fs
        .readdirSync(STATES)
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        const exported = JSON.parse(fs.readFileSync(path.join(STATES, file), "utf8"));
        const resources: StateResource[] | undefined = exported?.deployment?.resources;
        if (exported?.version !== 3 || !Array.isArray(resources)) {
            notStacks.push(file);
            continue;
        }
        const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resources[0].urn) ?? [];
        stacks.push({ file, stack, project, resources });
    }
    return { stacks, notStacks };
}

describe("`pulumi policy analyze` gives the verdicts of a preview", function () {
    this.timeout(120_000);
    // One pack as the command starts it (never sent ConfigureStack), one as a preview does.
    let analyzing: PolicyPackClient;
    let previewing: PolicyPackClient;

    before(async () => {
        buildPackIfStale();
        [analyzing, previewing] = await Promise.all([startPolicyPack(PACK_DIR), startPack()]);
    });
    after(async () => {
        await Promise.all([analyzing?.close(), previewing?.close()]);
    });

    const { stacks, notStacks } = stateCorpus();

    it("reads every stack export of the corpus (the others are not stack exports of version 3)", () => {
        assert.deepStrictEqual(notStacks, ["foreign.json", "version4.json"]);
        assert.ok(stacks.length >= 4);
    });

    for (const s of stacks.filter((x) => x.file !== "inventory-secrets-encrypted.json")) {
        it(`${s.file}: the same verdicts`, async () => {
            const analyzed = await policyAnalyze(analyzing, s.resources);
            const previewed = await preview(previewing, s.resources, s);
            assert.deepStrictEqual(analyzed, previewed);
            if (s.file === "payments-live.json")
                assert.ok(analyzed.length >= 3, "the corpus proves something");
        });
    }

    it("inventory-secrets-encrypted.json (--file, secrets not decrypted): what differs, and why", async () => {
        const encrypted = stacks.find((x) => x.file === "inventory-secrets-encrypted.json")!;
        const shown = stacks.find((x) => x.file === "inventory-secrets-shown.json")!;
        const analyzed = await policyAnalyze(analyzing, encrypted.resources);
        // A preview decrypts the secrets: it sees what the export with --show-secrets holds.
        const previewed = await preview(previewing, shown.resources, shown);
        // The table's tags are a secret: `[secret]` is no tag map, so nothing makes the table production.
        assert.deepStrictEqual(analyzed, []);
        const stock = previewed.filter((v) => v.includes("::aws:dynamodb/table:Table::stock | mandatory"));
        assert.ok(stock.length >= 3, previewed.join("\n"));
    });

    for (const [name, { config }] of Object.entries(EXAMPLE_PROGRAMS)) {
        it(`examples/${name}, as deployed: the same verdicts`, async () => {
            const { project, state } = await deployExample(name);
            const packConfig: PackConfig = config
                ? JSON.parse(fs.readFileSync(path.join(EXAMPLES, config), "utf8"))
                : {};
            const analyzed = await policyAnalyze(analyzing, state, packConfig);
            const previewed = await preview(
                previewing,
                state,
                { stack: project.stack, project: project.name },
                packConfig,
            );
            assert.deepStrictEqual(analyzed, previewed);
            if (name === "violations") assert.ok(analyzed.length >= 5, "the corpus proves something");
        });
    }

    it("a stack that is production by its stack tags alone: policy analyze sends no stack tags", async () => {
        const urn = (t: string, n: string) => `urn:pulumi:main::plain::${t}::${n}`;
        const resources: StateResource[] = [
            { urn: urn("pulumi:pulumi:Stack", "plain-main"), type: "pulumi:pulumi:Stack" },
            {
                urn: urn("aws:dynamodb/table:Table", "notes"),
                custom: true,
                type: "aws:dynamodb/table:Table",
                inputs: { name: "notes", hashKey: "pk", deletionProtectionEnabled: true },
                outputs: {
                    name: "notes",
                    arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/notes",
                    hashKey: "pk",
                    pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: 0 },
                    deletionProtectionEnabled: true,
                },
            },
        ];
        const tags = { environment: "production" };
        const previewed = await preview(previewing, resources, { stack: "main", project: "plain", tags });
        const analyzed = await policyAnalyze(analyzing, resources);
        assert.ok(
            previewed.some((v) =>
                v.startsWith(`${PITR} | ${urn("aws:dynamodb/table:Table", "notes")} | mandatory`),
            ),
            previewed.join("\n"),
        );
        assert.deepStrictEqual(analyzed, []);
    });
});
