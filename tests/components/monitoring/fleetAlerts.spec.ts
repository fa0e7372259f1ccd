import { strict as assert } from "assert";
import {
    BACKUP_JOB_ALERT,
    DRIFT_ALERT,
    fleetBackupJobFailedPattern,
    fleetDriftPattern,
    largestPatternSize,
    MAX_EVENT_PATTERN_CHARACTERS,
} from "../../../components/monitoring/fleetAlerts";
import { validateBaselineArgs } from "../../../components/baseline/baselineArgs";

type Alternatives = { detail: { $or: Array<Record<string, unknown>> } };

describe("the fleet's alarm patterns", () => {
    it("watches every table of the account with no name filter and no wildcard", () => {
        const pattern = fleetDriftPattern("account") as Alternatives;
        const text = JSON.stringify(pattern);
        assert.doesNotMatch(text, /tableName|wildcard/);
        const events = pattern.detail.$or.flatMap((alt) => alt.eventName as string[]);
        assert.deepEqual(events.sort(), [
            "DeleteBackup",
            "DeleteTable",
            "UpdateContinuousBackups",
            "UpdateTable",
        ]);
        assert.match(text, /"pointInTimeRecoveryEnabled":\[false\]/);
        assert.match(text, /"deletionProtectionEnabled":\[false\]/);
    });

    it("matches a prefix by name and by ARN, and backups and backup jobs of those tables", () => {
        const drift = JSON.stringify(fleetDriftPattern({ tableNamePrefix: "prod-" }));
        assert.match(drift, /"prefix":"prod-"/);
        assert.match(drift, /"wildcard":"arn:\*:dynamodb:\*:\*:table\/prod-\*"/);
        assert.match(drift, /"wildcard":"arn:\*:dynamodb:\*:\*:table\/prod-\*\/backup\/\*"/);
        const jobs = JSON.stringify(fleetBackupJobFailedPattern({ tableNamePrefix: "prod-" }));
        assert.match(jobs, /"resourceType":\["DynamoDB"\]/);
        assert.match(jobs, /"wildcard":"arn:\*:dynamodb:\*:\*:table\/prod-\*"/);
    });

    it("matches listed tables by name and by ARN suffix", () => {
        const drift = JSON.stringify(fleetDriftPattern({ tableNames: ["Orders"] }));
        assert.match(drift, /"tableName":\["Orders",\{"suffix":":table\/Orders"\}\]/);
    });

    it("fits the 2,048-character limit for the account and a prefix, and grows with a list", () => {
        assert.ok(largestPatternSize("account") < MAX_EVENT_PATTERN_CHARACTERS);
        assert.ok(largestPatternSize({ tableNamePrefix: "p".repeat(100) }) <= MAX_EVENT_PATTERN_CHARACTERS);
        const [tooLong] = validateBaselineArgs({ alerts: { scope: { tableNamePrefix: "p".repeat(254) } } });
        assert.match(
            tooLong.reason,
            /is 254 characters long, which makes an event pattern of \d+ characters; .*Fix: use a prefix of at most 1\d\d characters/,
        );
        const names = (n: number) => Array.from({ length: n }, (_, i) => `table-${i}`);
        assert.ok(
            largestPatternSize({ tableNames: names(20) }) > largestPatternSize({ tableNames: names(2) }),
        );
    });

    it("refuses a list that would not fit, naming its size and the fix", () => {
        const tableNames = Array.from({ length: 30 }, (_, i) => `orders-table-${i}`);
        const [problem] = validateBaselineArgs({ alerts: { scope: { tableNames } } });
        assert.equal(problem.propertyPath, "alerts.scope.tableNames");
        assert.match(
            problem.reason,
            /lists 30 tables, which makes an event pattern of \d+ characters; EventBridge takes at most 2048/,
        );
        assert.match(problem.reason, /Fix: use \{ tableNamePrefix \} or "account"/);
        assert.deepEqual(
            validateBaselineArgs({ alerts: { scope: { tableNames: tableNames.slice(0, 3) } } }),
            [],
        );
    });

    it("writes alerts as JSON strings naming the table", () => {
        for (const alert of [DRIFT_ALERT, BACKUP_JOB_ALERT]) {
            assert.equal(typeof JSON.parse(alert.inputTemplate), "string");
            assert.match(alert.inputTemplate, /<table>/);
            for (const name of Object.keys(alert.inputPaths)) {
                assert.ok(alert.inputTemplate.includes(`<${name}>`), `<${name}> is used`);
            }
        }
    });
});

describe("validateBaselineArgs", () => {
    it("accepts the defaults", () => assert.deepEqual(validateBaselineArgs({}), []));

    it("refuses selections AWS Backup would refuse", () => {
        const reasons = (args: object) =>
            validateBaselineArgs(args).map((p) => `${p.propertyPath}: ${p.reason}`);
        assert.match(reasons({ selection: { tags: {} } })[0], /^selection.tags: .*at least one tag/);
        assert.match(
            reasons({
                selection: {
                    tableArns: Array.from({ length: 31 }, (_, i) => `arn:aws:dynamodb:*:*:table/t${i}*`),
                },
            })[0],
            /has 31 ARNs; an AWS Backup selection takes at most 30 when any has a wildcard/,
        );
        assert.match(
            reasons({ selection: { tableArns: ["arn:aws:s3:::bucket"] } })[0],
            /must be a DynamoDB table ARN/,
        );
        assert.match(
            reasons({ selection: { tags: { a: "b" }, tableArns: ["x"] } }).join("\n"),
            /has both `tags` and `tableArns`/,
        );
    });

    it("refuses a replica Region equal to the baseline's own", () => {
        const [problem] = validateBaselineArgs({ region: "eu-west-1", replicaRegions: ["eu-west-1"] });
        assert.match(problem.reason, /the baseline's own Region/);
    });

    it("refuses a topic in another Region than the baseline's", () => {
        const [problem] = validateBaselineArgs({
            region: "eu-west-1",
            alerts: { topicArn: "arn:aws:sns:us-east-1:123456789012:oncall" },
        });
        assert.match(problem.reason, /is a topic in us-east-1, but the baseline is in eu-west-1/);
    });

    it("refuses a topic that is not an SNS topic ARN and a quoted boolean", () => {
        const problems = validateBaselineArgs({
            alerts: {
                topicArn: "arn:aws:sqs:us-east-1:123456789012:q",
                backupJobAlerts: "yes" as unknown as boolean,
            },
        });
        assert.deepEqual(
            problems.map((p) => p.propertyPath),
            ["alerts.topicArn", "alerts.backupJobAlerts"],
        );
    });
});
