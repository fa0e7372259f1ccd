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
import { StateResource, Verdict, policyAnalyze, preview } from "../../support/policyAnalyze";
import { PITR } from "./diagnostics";

const STATES = path.resolve(__dirname, "../../fixtures/states");

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
    for (const file of fs.readdirSync(STATES).filter((f) => f.endsWith(".json")).sort()) {
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
            if (s.file === "payments-live.json") assert.ok(analyzed.length >= 3, "the corpus proves something");
        });
    }

    it("inventory-secrets-encrypted.json (--file, secrets not decrypted): what differs, and why", async () => {
        const encrypted = stacks.find((x) => x.file === "inventory-secrets-encrypted.json")!;
        const shown = stacks.find((x) => x.file === "inventory-secrets-shown.json")!;
        const analyzed = await policyAnalyze(analyzing, encrypted.resources);
        // A preview decrypts the secrets: it sees what the export with --show-secrets holds.
        const previewed = await preview(previewing, shown.resources, shown);
        const only = (a: Verdict[], b: Verdict[]) => a.filter((v) => !b.includes(v));
        console.log("ANALYZE ONLY", only(analyzed, previewed));
        console.log("PREVIEW ONLY", only(previewed, analyzed));
    });

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
            previewed.some((v) => v.startsWith(`${PITR} | ${urn("aws:dynamodb/table:Table", "notes")} | mandatory`)),
            previewed.join("\n"),
        );
        assert.deepStrictEqual(analyzed, []);
    });
});
