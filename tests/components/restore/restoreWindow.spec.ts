import { strict as assert } from "assert";
import {
    checkRestoreDateTime,
    formatInstant,
    parseInstant,
    parseTableArn,
    restorableWindow,
    TableRestore,
    validateRestore,
} from "../../../components";

// A fixed clock: the window is 2026-10-21T10:00:00Z to 2026-11-25T09:55:00Z.
const now = new Date("2026-11-25T10:00:00Z");
const valid: TableRestore = { sourceTableName: "Orders", restoreDateTime: "2026-11-20T08:30:15Z" };

function problems(change: Partial<TableRestore> | undefined, targetName?: unknown) {
    const restore = change === undefined ? undefined : ({ ...valid, ...change } as TableRestore);
    return validateRestore(restore, { now, targetName });
}

describe("restore window (pure)", () => {
    it("accepts a restore by name to any second inside the window", () => {
        assert.deepEqual(problems({}), []);
        assert.deepEqual(problems({ restoreDateTime: "2026-10-21T10:00:00Z" }), []);
        assert.deepEqual(problems({ restoreDateTime: "2026-11-25T09:55:00Z" }), []);
    });

    it("accepts nothing to check when there is no restore", () => {
        assert.deepEqual(problems(undefined), []);
    });

    it("accepts a cross-Region source by ARN and restore to latest", () => {
        const restore: TableRestore = {
            sourceTableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
            restoreToLatestTime: true,
        };
        assert.deepEqual(validateRestore(restore, { now }), []);
    });

    it("computes the window from the source's recovery period", () => {
        const window = restorableWindow(now, 7);
        assert.equal(formatInstant(window.earliest), "2026-11-18T10:00:00Z");
        assert.equal(formatInstant(window.latest), "2026-11-25T09:55:00Z");
    });

    it("rejects a time older than the recovery period, giving the window", () => {
        const [problem, ...rest] = problems({ restoreDateTime: "2025-09-25T10:00:00Z" });
        assert.equal(rest.length, 0);
        assert.equal(problem.propertyPath, "restore.restoreDateTime");
        assert.match(
            problem.reason,
            /^`restore.restoreDateTime` is "2025-09-25T10:00:00Z", older than the source's 35-day recovery period; the restorable window is 2026-10-21T10:00:00Z to 2026-11-25T09:55:00Z \(UTC\)\. Fix: pick a time inside it/,
        );
        assert.match(problem.reason, /remove the `restore` block/);
    });

    it("uses a shorter recovery period when the source's is known", () => {
        const [problem] = problems({
            restoreDateTime: "2026-11-10T00:00:00Z",
            sourceRecoveryPeriodInDays: 7,
        });
        assert.match(
            problem.reason,
            /older than the source's 7-day recovery period; the restorable window is 2026-11-18T10:00:00Z to/,
        );
    });

    it("rejects a time in the future", () => {
        const [problem] = problems({ restoreDateTime: "2026-11-25T10:00:01Z" });
        assert.match(
            problem.reason,
            /"2026-11-25T10:00:01Z", which is in the future; the restorable window is/,
        );
    });

    it("rejects a time newer than the latest restorable time (5 minutes ago)", () => {
        const [problem] = problems({ restoreDateTime: "2026-11-25T09:58:00Z" });
        assert.match(
            problem.reason,
            /newer than the latest restorable time \(about 5 minutes ago\); the restorable window is 2026-10-21T10:00:00Z to 2026-11-25T09:55:00Z/,
        );
        assert.match(problem.reason, /restoreToLatestTime: true/);
    });

    it("compares instants with an offset in UTC", () => {
        // 11:57+02:00 is 09:57Z: newer than the latest restorable time.
        assert.equal(problems({ restoreDateTime: "2026-11-25T11:57:00+02:00" }).length, 1);
        assert.deepEqual(problems({ restoreDateTime: "2026-11-25T11:50:00+02:00" }), []);
    });

    for (const bad of [
        "2026-11-20",
        "2026-11-20T08:30:15",
        "2026-02-30T10:00:00Z",
        "2026-11-20T24:00:00Z",
        "yesterday",
        "2026-11-20 08:30:15Z",
    ]) {
        it(`rejects ${JSON.stringify(bad)}, which is not an ISO 8601 instant with a timezone`, () => {
            const [problem] = problems({ restoreDateTime: bad });
            assert.match(
                problem.reason,
                /not an ISO 8601 instant with a timezone; write it as "YYYY-MM-DDThh:mm:ssZ"/,
            );
        });
    }

    it("parses instants with fractions and offsets", () => {
        assert.equal(parseInstant("2026-11-20T08:30:15.250Z")?.toISOString(), "2026-11-20T08:30:15.250Z");
        assert.equal(parseInstant("2026-11-20T10:30:15+02:00")?.toISOString(), "2026-11-20T08:30:15.000Z");
        assert.equal(parseInstant("2026-11-20T08:30:15+25:00"), undefined);
    });

    it("rejects a time that is not a string", () => {
        const [problem] = checkRestoreDateTime(1764000000, now);
        assert.match(
            problem.reason,
            /`restore.restoreDateTime` is 1764000000; it must be an ISO 8601 instant/,
        );
    });

    it("requires exactly one of restoreDateTime and restoreToLatestTime", () => {
        const both = problems({ restoreToLatestTime: true });
        assert.deepEqual(
            both.map((p) => p.propertyPath),
            ["restore.restoreToLatestTime"],
        );
        assert.match(
            both[0].reason,
            /`restore.restoreDateTime` is set and `restore.restoreToLatestTime` is true; choose one/,
        );
        const neither = validateRestore({ sourceTableName: "Orders" }, { now });
        assert.match(neither[0].reason, /`restore` says no time to restore to/);
        const falseOnly = validateRestore({ sourceTableName: "Orders", restoreToLatestTime: false }, { now });
        assert.equal(falseOnly.length, 1);
    });

    it("requires a source by name or ARN, not both", () => {
        const both = problems({ sourceTableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders" });
        assert.match(
            both[0].reason,
            /`restore.sourceTableName` and `restore.sourceTableArn` are both set; name the source once/,
        );
        const none = validateRestore({ restoreToLatestTime: true }, { now });
        assert.match(none[0].reason, /`restore` names no source table/);
    });

    it("validates the ARN's shape and tells a name from an ARN", () => {
        for (const arn of [
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000",
            "arn:aws:dynamodb:eu-west-1:12345:table/Orders",
            "arn:aws:s3:::orders",
            "Orders",
        ]) {
            const [problem] = validateRestore({ sourceTableArn: arn, restoreToLatestTime: true }, { now });
            assert.match(
                problem.reason,
                /it must be a table ARN such as "arn:aws:dynamodb:eu-west-1:123456789012:table\/Orders"/,
                arn,
            );
        }
        const [named] = validateRestore(
            {
                sourceTableName: "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
                restoreToLatestTime: true,
            },
            { now },
        );
        assert.match(named.reason, /Fix: pass an ARN as `restore.sourceTableArn`/);
        assert.deepEqual(parseTableArn("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/Orders"), {
            partition: "aws-cn",
            region: "cn-north-1",
            account: "123456789012",
            tableName: "Orders",
        });
    });

    it("refuses to restore a table onto its own name", () => {
        const [problem] = problems({}, "Orders");
        assert.equal(problem.propertyPath, "name");
        assert.match(
            problem.reason,
            /never overwrites its source\. Fix: give the restored table another name, e.g\. "Orders_Restore"/,
        );
    });

    it("rejects a recovery period outside 1 to 35 days", () => {
        const [problem] = problems({ sourceRecoveryPeriodInDays: 40 });
        assert.match(
            problem.reason,
            /`restore.sourceRecoveryPeriodInDays` is 40; it must be a whole number of days from 1 to 35/,
        );
    });

    it("reports every problem at once", () => {
        const found = validateRestore(
            { restoreDateTime: "soon", sourceRecoveryPeriodInDays: 0 } as TableRestore,
            {
                now,
            },
        );
        assert.deepEqual(
            found.map((p) => p.propertyPath),
            ["restore.sourceTableName", "restore.sourceRecoveryPeriodInDays", "restore.restoreDateTime"],
        );
    });

    it("rejects a restore that is not an object", () => {
        const [problem] = validateRestore("Orders" as unknown as TableRestore, { now });
        assert.match(
            problem.reason,
            /`restore` is "Orders"; it must be \{ sourceTableName or sourceTableArn/,
        );
    });
});

describe("restore from a recovery point in a logically air-gapped vault shared to the recovery account", () => {
    // The vault's owner (a central backup account) appears in the ARN; the table is in the recovery account.
    const shared =
        "arn:aws:backup:eu-west-1:999988887777:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45";
    const restore = (region: string | undefined, arn: string) =>
        validateRestore({ restoreBackupArn: arn }, { now, region });

    it("accepts a recovery point of another account in the table's Region", () => {
        assert.deepEqual(restore("eu-west-1", shared), []);
    });

    it("refuses one in another Region, naming both Regions and the copy that fixes it", () => {
        const [problem] = restore("eu-central-1", shared);
        assert.equal(problem.propertyPath, "restore.restoreBackupArn");
        assert.match(problem.reason, /is in Region eu-west-1, but the table is created in eu-central-1/);
        assert.match(problem.reason, /aws backup start-copy-job/);
    });

    it("refuses a vault ARN where a recovery point ARN belongs", () => {
        const [problem] = restore(
            "eu-west-1",
            "arn:aws:backup:eu-west-1:999988887777:backup-vault:last-resort",
        );
        assert.match(
            problem.reason,
            /it must be a DynamoDB backup ARN .* or an AWS Backup recovery point ARN/,
        );
    });
});
