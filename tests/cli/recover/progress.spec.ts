// What recover prints while it runs: a bar redrawn in place on a terminal, plain lines in a log.
import { strict as assert } from "node:assert";
import { ProgressPrinter, describeProgress } from "../../../cli/recover/progress";
import type { RecoveryProgress } from "../../../cli/recover/options";
import { emptyCounts } from "../../../cli/recover/report";

function progress(extra: Partial<RecoveryProgress> = {}): RecoveryProgress {
    return {
        phase: "restored",
        counts: {
            ...emptyCounts(),
            missing: 3_900,
            identical: 288,
            differing: 12,
            written: 3_900,
            toWrite: 3_900,
            skippedByCondition: 2,
        },
        examined: 4_200,
        total: 10_000,
        writesInFlight: 48,
        ...extra,
    };
}

describe("recover progress", () => {
    it("draws a bar with items compared, written, skipped, the rate and the time left", () => {
        const line = describeProgress(progress(), 4.2, { apply: true, isTTY: true });
        assert.equal(
            line,
            "restored: read 4,200 of ~10,000 [########------------] 42%  compared 4,200  written 3,900  skipped 2  1,000 items/s  ETA 6s",
        );
    });

    it("says what a dry run would write, and leaves out the bar and time left when the total is unknown", () => {
        const line = describeProgress(progress({ total: undefined }), 2, { apply: false, isTTY: true });
        assert.equal(
            line,
            "restored: read 4,200  compared 4,200  would write 3,900  skipped 2  2,100 items/s",
        );
    });

    it("counts items only in the live table during the live pass, and shows retries", () => {
        const counts = { ...emptyCounts(), onlyInLive: 7, connectionRetries: 3 };
        const line = describeProgress(
            progress({ phase: "live", counts, examined: 30_000, total: 200_000 }),
            10,
            { apply: true, isTTY: false },
        );
        assert.equal(
            line,
            "live: read 30,000 of ~200,000 15%, only in live 7, 3,000 items/s, ETA 57s, retries 3",
        );
    });

    it("on a terminal redraws one line in place at most five times a second, cut to the width, and clears it at the end", () => {
        let now = 0;
        let out = "";
        const printer = new ProgressPrinter(
            { write: (t: string) => (out += t) },
            { isTTY: true, apply: true, columns: 40, now: () => now },
        );
        printer.update(progress());
        now = 100;
        printer.update(progress());
        now = 250;
        printer.update(progress({ examined: 5_000 }));
        const draws = out.split("\r").filter((s) => s);
        assert.equal(draws.length, 2);
        assert.ok(
            draws.every((d) => d.replace("\x1b[K", "").length <= 39),
            JSON.stringify(draws),
        );
        assert.match(draws[1], /^restored: read 5,000/);
        printer.finish();
        assert.ok(out.endsWith("\r\x1b[K"));
    });

    it("elsewhere prints a plain line every interval, none for a run shorter than that", () => {
        let now = 0;
        let out = "";
        const printer = new ProgressPrinter(
            { write: (t: string) => (out += t) },
            { isTTY: false, apply: true, everyMs: 10_000, now: () => now },
        );
        now = 9_000;
        printer.update(progress());
        assert.equal(out, "");
        now = 10_000;
        printer.update(progress());
        now = 15_000;
        printer.update(progress());
        printer.finish();
        assert.equal(out.split("\n").filter((l) => l).length, 1);
        assert.match(
            out,
            /^recover: restored: read 4,200 of ~10,000 42%, compared 4,200, written 3,900, skipped 2, 420 items\/s, ETA 14s\n$/,
        );
        assert.ok(!out.includes("\r"));
    });
});
