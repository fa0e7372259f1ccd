/**
 * The fast path may never drift from what `pulumi preview --policy-pack` enforces: every fixture
 * stack and a corpus of declaration forms go through the pack over gRPC and through the in-process
 * evaluator, under several configurations, and the diagnostics must be identical.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Diagnostic, PolicyConfig, PolicyPackClient, Resource, secret, UNKNOWN } from "../../../cli/analyzer";
import {
    evaluateInProcess,
    evaluateOverGrpc,
    inProcessInfo,
    StackIdentity,
} from "../../../cli/analyzer/evaluate";
import { convertStack, parseStackExport, stateLevels } from "../../../cli/state";
import { generateExport } from "../../../bench/state.bench";
import {
    awsProvider,
    awsTable,
    awsTableReplica,
    backupSelection,
    cfnStack,
    cfnYamlTemplate,
    dynamodbTag,
    nativeBackupSelection,
    nativeGlobalTable,
    nativeReplica,
    nativeTable,
    untaggedTable,
} from "../../support/dynamodbResources";
import { buildPackIfStale, PACK_DIR } from "../../support/policyPack";
import { startPolicyPack } from "../../../cli/analyzer";

const states = path.resolve(__dirname, "../../fixtures/states");

/** Fixture exports that parse (the others are refused before any check). */
function fixtureStacks(): Array<{ label: string; id: StackIdentity; resources: Resource[] }> {
    const out = [];
    for (const file of fs.readdirSync(states).sort()) {
        let exported;
        try {
            exported = parseStackExport(fs.readFileSync(path.join(states, file), "utf8"), file);
        } catch {
            continue;
        }
        out.push({
            label: file,
            id: { stack: exported.stack, project: exported.project, tags: {} },
            resources: convertStack(exported).resources,
        });
    }
    return out;
}

/** Declaration forms from the pack's own tests, compliant and not, known and unknown. */
function corpusStacks(): Array<{ label: string; id: StackIdentity; resources: Resource[] }> {
    const provider = awsProvider({ environment: "production" });
    const table = awsTable();
    const withProvider = (r: Resource) => ({ ...r, provider });
    const stacks: Record<string, Resource[]> = {
        "compliant table": [table],
        "no PITR, unprotected": [awsTable({ pointInTimeRecovery: { enabled: false } }, "bad")],
        "short recovery period": [
            awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 3 } }),
        ],
        "unknown PITR": [awsTable({ pointInTimeRecovery: UNKNOWN })],
        "secret tags": [awsTable({ tags: secret({ environment: "production" }) })],
        "provider default tags": [withProvider(untaggedTable("plain"))],
        "replica and native": [
            awsTableReplica(),
            nativeTable(),
            nativeGlobalTable([
                nativeReplica("us-east-1"),
                nativeReplica("eu-west-1", {
                    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
                }),
            ] as never),
        ],
        "cloudformation json": [cfnStack()],
        "cloudformation yaml, PITR off": [cfnStack(cfnYamlTemplate("false", "false"))],
        "backed-up by ARN": [
            {
                ...table,
                properties: {
                    ...table.properties,
                    arn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
                },
            },
            backupSelection(
                { resources: ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"] },
                { resources: [table.urn] },
            ),
        ],
        "native selection by tag": [
            table,
            nativeBackupSelection({
                listOfTags: [
                    {
                        conditionType: "STRINGEQUALS",
                        conditionKey: "environment",
                        conditionValue: "production",
                    },
                ],
            }),
        ],
        "tag resource makes production": [
            untaggedTable("tagged-later", {
                arn: "arn:aws:dynamodb:us-east-1:111122223333:table/tagged-later",
            }),
            dynamodbTag("env", {
                resourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/tagged-later",
                key: "environment",
                value: "production",
            }),
        ],
    };
    return Object.entries(stacks).map(([label, resources]) => ({
        label,
        id: { stack: "dev", project: "orders", tags: {} },
        resources,
    }));
}

function generatedStack() {
    const exported = parseStackExport(generateExport(200), "generated.json");
    return {
        label: "generated 200",
        id: { stack: exported.stack, project: exported.project, tags: { team: "t" } },
        resources: convertStack(exported).resources,
    };
}

const configs: Array<{
    label: string;
    given?: Record<string, PolicyConfig | string>;
    tags?: Record<string, string>;
}> = [
    { label: "defaults" },
    { label: "all mandatory", given: { all: "mandatory" } },
    {
        label: "one disabled, one remediate",
        given: {
            "dynamodb-production-table-in-backup-plan": "disabled",
            "dynamodb-production-table-deletion-protection": "remediate",
        },
    },
    { label: "stack tag makes production", tags: { environment: "production" } },
];

describe("check --backend: the in-process evaluator agrees with the pack over gRPC", function () {
    this.timeout(120_000);
    let pack: PolicyPackClient;
    before(async () => {
        buildPackIfStale();
        pack = await startPolicyPack(PACK_DIR);
    });
    after(async () => pack?.close());

    const all = () => [...fixtureStacks(), ...corpusStacks(), generatedStack()];

    it("covers every fixture stack that parses and the corpus", () => {
        const labels = all().map((s) => s.label);
        assert.ok(labels.includes("payments-live.json") && labels.includes("shop-prod.json"));
        assert.ok(labels.length >= 16, labels.join(", "));
    });

    for (const c of configs) {
        it(`gives identical diagnostics for every stack (${c.label})`, async () => {
            const info = await pack.getAnalyzerInfo();
            // The same configuration function for both paths.
            const config = stateLevels(info, c.given);
            assert.deepEqual(stateLevels(inProcessInfo(), c.given), config);
            let compared = 0;
            let nonEmpty = 0;
            for (const s of all()) {
                const id = { ...s.id, tags: { ...s.id.tags, ...(c.tags ?? {}) } };
                const overGrpc: Diagnostic[] = await evaluateOverGrpc(pack, config, id, s.resources);
                const inProcess = await evaluateInProcess(config, id, s.resources);
                assert.deepEqual(inProcess, overGrpc, `${s.label} (${c.label})`);
                compared++;
                if (overGrpc.length > 0) nonEmpty++;
            }
            assert.ok(
                nonEmpty >= 5,
                `only ${nonEmpty} of ${compared} stacks had diagnostics: the comparison proves little`,
            );
        });
    }

    it("reports the pack's name and version as the pack itself does", async () => {
        const info = await pack.getAnalyzerInfo();
        const mine = inProcessInfo();
        assert.equal(mine.name, info.name);
        assert.equal(mine.version, info.version);
        assert.deepEqual(
            mine.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]),
            info.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]),
        );
    });
});
