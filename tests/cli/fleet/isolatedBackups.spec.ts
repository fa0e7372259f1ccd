/**
 * The fleet report shows the isolated-backups rule: a production table whose recovery points all stay
 * in its own account gets its advisory, and the stack still passes (the rule is advisory by default).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import { runCheck } from "../../../cli/check";
import { writeDiyBackend } from "../../support/diyBackend";

const states = path.resolve(__dirname, "../../fixtures/states");

async function fleetReport(root: string, format: string[] = []) {
    let stdout = "";
    const sink = (write: (c: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()) }),
            { isTTY: false },
        );
    const code = await runCheck(["--backend", `file://${root}`, ...format], {
        stdout: sink((c) => (stdout += c)),
        stderr: sink(() => undefined),
    } as never);
    return { code, stdout };
}

describe("check --backend: backups out of the account's reach", function () {
    this.timeout(60_000);

    it("reports the advisory on a production table backed up in its own account only, and passes", async () => {
        const shop = JSON.parse(fs.readFileSync(path.join(states, "shop-prod.json"), "utf8"));
        const root = writeDiyBackend([{ project: "shop", stack: "prod", export: shop }]);
        const { code, stdout } = await fleetReport(root);
        assert.equal(code, 0, stdout);
        assert.match(stdout, /^shop\/prod\s+PASSED/m);
        assert.match(
            stdout,
            /\[advisory\] dynamodb-production-table-backups-isolated: Every backup of production table `orders`/,
        );
    });
});
