/**
 * The report checks itself and fails closed: the census (rows from the pack's decisions) and the
 * diagnostics must agree table by table, or `check --backend` / `--state` exit 2 naming the gap.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import type { Diagnostic } from "../../../cli/analyzer";
import { runCheck } from "../../../cli/check";
import { BACKUP_POLICY, CensusRow, PITR_POLICY } from "../../../cli/state/census";
import { disagreements } from "../../../cli/state/selfCheck";
import { writeDiyBackend } from "../../support/diyBackend";

const SILENT_PACK = path.resolve(__dirname, "../../fixtures/packs/silent-pitr");

const row = (over: Partial<CensusRow> = {}): CensusRow => ({
    subject: "table `orders` (aws:dynamodb/table:Table)",
    urn: "urn:pulumi:prod::shop::aws:dynamodb/table:Table::orders",
    production: true,
    productionReason: "stack `prod` is named like production",
    pitr: "disabled",
    backupPlan: "covered",
    inBackupPlan: true,
    cannotVerify: false,
    ...over,
});
const diagnostic = (policyName: string, message: string, over: Partial<Diagnostic> = {}): Diagnostic => ({
    policyName,
    policyPackName: "dynamodb-pitr",
    policyPackVersion: "0.1.0",
    description: "",
    message,
    enforcementLevel: "mandatory",
    urn: row().urn,
    ...over,
});
const levels = {
    [PITR_POLICY]: { enforcementLevel: "mandatory" as const },
    [BACKUP_POLICY]: { enforcementLevel: "mandatory" as const },
};

describe("the report's self-check", () => {
    it("agrees when every counted gap has its violation, at the rule's level", () => {
        assert.deepEqual(
            disagreements([row()], [diagnostic(PITR_POLICY, "Production table `orders` has ...")], levels),
            [],
        );
    });

    it("names a production table without PITR that the PITR rule did not report", () => {
        const found = disagreements([row()], [], levels);
        assert.equal(found.length, 1);
        assert.match(
            found[0],
            /census counts 1 production table\(s\) without PITR on urn:.*orders, but `dynamodb-production-table-pitr-enabled` reported 0/,
        );
    });

    it("names a violation the census does not count, and one at the wrong level", () => {
        const extra = disagreements([row({ pitr: "enabled" })], [diagnostic(PITR_POLICY, "x")], levels);
        assert.match(extra[0], /counts 0 .* reported 1/);
        const wrongLevel = disagreements(
            [row()],
            [diagnostic(PITR_POLICY, "x", { enforcementLevel: "advisory" })],
            levels,
        );
        assert.match(wrongLevel[0], /is mandatory, but its violation on .* came at level advisory/);
    });

    it("counts backup gaps by the backup rule's own judgement, and ignores 'cannot verify' advisories", () => {
        const gap = row({ pitr: "enabled", backupPlan: "not-covered", inBackupPlan: false });
        assert.match(disagreements([gap], [], levels)[0], /in no backup plan/);
        assert.deepEqual(
            disagreements([gap], [diagnostic(BACKUP_POLICY, "Production table ... is not selected")], levels),
            [],
        );
        const unverifiable = diagnostic(PITR_POLICY, "Cannot verify point-in-time recovery on ...", {
            enforcementLevel: "advisory",
        });
        assert.deepEqual(disagreements([row({ pitr: "unknown" })], [unverifiable], levels), []);
    });

    it("skips a rule that is disabled or that the pack does not have", () => {
        assert.deepEqual(disagreements([row()], [], { [PITR_POLICY]: { enforcementLevel: "disabled" } }), []);
        assert.deepEqual(disagreements([row()], [], {}), []);
    });

    describe("fails closed end to end, with a pack whose PITR rule never reports", () => {
        let dir: string;
        let backend: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "self-check-"));
            const urn = (t: string, n: string) => `urn:pulumi:prod::shop::${t}::${n}`;
            const exported = {
                version: 3,
                deployment: {
                    resources: [
                        {
                            urn: urn("pulumi:pulumi:Stack", "shop-prod"),
                            custom: false,
                            type: "pulumi:pulumi:Stack",
                        },
                        {
                            urn: urn("aws:dynamodb/table:Table", "orders"),
                            custom: true,
                            id: "orders",
                            type: "aws:dynamodb/table:Table",
                            inputs: { name: "orders" },
                            outputs: {
                                name: "orders",
                                arn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
                                pointInTimeRecovery: { enabled: false },
                                tags: { team: "shop" },
                            },
                        },
                    ],
                },
            };
            backend = writeDiyBackend([{ project: "shop", stack: "prod", export: exported }], {
                root: path.join(dir, "backend"),
            });
            fs.writeFileSync(path.join(dir, "prod.json"), JSON.stringify(exported));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        async function check(argv: string[]) {
            let stdout = "";
            let stderr = "";
            const sink = (write: (c: string) => void) =>
                Object.assign(
                    new Writable({
                        write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()),
                    }),
                    { isTTY: false },
                );
            const code = await runCheck(argv, {
                stdout: sink((c) => (stdout += c)),
                stderr: sink((c) => (stderr += c)),
            } as never);
            return { code, stdout, stderr };
        }

        it("check --backend exits 2 and names the table the pack let through", async () => {
            const { code, stderr, stdout } = await check([
                "--backend",
                `file://${backend}`,
                "--policy-pack",
                SILENT_PACK,
                "--format",
                "json",
                "--no-color",
            ]);
            assert.equal(code, 2, stderr);
            assert.match(
                stderr,
                /stack shop\/prod: the report contradicts itself: the census counts 1 production table\(s\) without PITR on urn:pulumi:prod::shop::aws:dynamodb\/table:Table::orders, but `dynamodb-production-table-pitr-enabled` reported 0/,
            );
            assert.equal(JSON.parse(stdout).summary.stacksContradicted, 1);
        });

        it("the bundled pack fails a stack that is production by its name beside one that passes (exit 1)", async () => {
            // Two stacks with a table at the same position: billing/prod tagged production with PITR
            // on, shop/prod tagged only `team: shop` with PITR off (production by the stack's name).
            const urn = (p: string, t: string, n: string) => `urn:pulumi:prod::${p}::${t}::${n}`;
            const stack = (project: string, pitr: boolean, tags: Record<string, string>) => ({
                version: 3,
                deployment: {
                    resources: [
                        {
                            urn: urn(project, "pulumi:pulumi:Stack", `${project}-prod`),
                            custom: false,
                            type: "pulumi:pulumi:Stack",
                        },
                        {
                            urn: urn(project, "aws:dynamodb/table:Table", "t"),
                            custom: true,
                            id: "t",
                            type: "aws:dynamodb/table:Table",
                            outputs: { name: "t", pointInTimeRecovery: { enabled: pitr }, tags },
                        },
                    ],
                },
            });
            const two = writeDiyBackend(
                [
                    {
                        project: "billing",
                        stack: "prod",
                        export: stack("billing", true, { environment: "production" }),
                    },
                    { project: "shop", stack: "prod", export: stack("shop", false, { team: "shop" }) },
                ],
                { root: path.join(dir, "two") },
            );
            const { code, stdout, stderr } = await check(["--backend", `file://${two}`, "--no-color"]);
            assert.equal(code, 1, stderr);
            assert.match(stdout, /shop\/prod\s+FAILED/);
            assert.doesNotMatch(stderr, /contradicts/);
        });

        it("check --state exits 2 the same way", async () => {
            const { code, stderr } = await check([
                "--state",
                path.join(dir, "prod.json"),
                "--policy-pack",
                SILENT_PACK,
                "--json",
                "--no-color",
            ]);
            assert.equal(code, 2, stderr);
            assert.match(
                stderr,
                /the report contradicts itself: the census counts 1 production table\(s\) without PITR/,
            );
        });
    });
});
