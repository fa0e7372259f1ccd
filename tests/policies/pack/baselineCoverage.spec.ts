// A fleet on a ProtectionBaseline through the policy pack, as `pulumi preview --policy-pack` runs it:
// the program under the mock runtime, its resources sent over the analyzer gRPC protocol.
import { strict as assert } from "assert";
import * as path from "path";
import { Writable } from "stream";
import { runCheck } from "../../../cli/check";
import { BACKUP, ISOLATED } from "./diagnostics";

const PROGRAM = path.resolve(__dirname, "../../fixtures/programs/baseline-coverage");

async function checkJson(program: string, ...flags: string[]) {
    let stdout = "";
    const sink = (write: (c: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const code = await runCheck(["--json", ...flags, program], {
        stdout: sink((c) => (stdout += c)),
        stderr: sink(() => undefined),
    } as never);
    return {
        code,
        report: JSON.parse(stdout) as {
            violations: Array<{ policyName: string; urn: string; message: string }>;
        },
    };
}

describe("the policy pack on tables joined to a baseline", function () {
    this.timeout(120_000);

    const APP = path.resolve(__dirname, "../../fixtures/programs/app-stack-on-baseline");

    it("reports a table joined by reference as not covered when the plan lives in another stack and the pack is not told", async () => {
        const { code, report } = await checkJson(APP);
        assert.deepEqual(
            report.violations.filter((v) => v.policyName === BACKUP).map((v) => v.urn.split("::").pop()),
            ["orders"],
        );
        assert.equal(code, 1);
    });

    it("covers it when the pack's config names the platform's tag selection (tagSelectionsOutsideStack)", async () => {
        const { code, report } = await checkJson(APP, "--policy-config", path.join(APP, "outside.json"));
        // The advisory that no copy leaves the account is the isolated-backups rule's (isolatedBackups.spec.ts).
        assert.deepEqual(
            report.violations.filter((v) => v.policyName !== ISOLATED),
            [],
        );
        assert.equal(code, 0);
    });

    it("reports a joined table as covered by the baseline's tag selection, and one whose tags it does not select as not", async () => {
        const { code, report } = await checkJson(PROGRAM);
        const uncovered = report.violations
            .filter((v) => v.policyName === BACKUP)
            .map((v) => v.urn.split("::").pop());
        assert.deepEqual(uncovered, ["ledger"]);
        const ledger = report.violations.find((v) => v.policyName === BACKUP)!;
        assert.match(ledger.message, /Production table `ledger` .* is not selected by any AWS Backup plan/);
        assert.deepEqual(
            report.violations.filter((v) => v.policyName !== BACKUP && v.policyName !== ISOLATED),
            [],
            "PITR, deletion protection and the key hold for both",
        );
        assert.equal(code, 1);
    });
});
