import { strict as assert } from "assert";
import {
    BACKUP_PRESETS,
    BackupRuleArgs,
    DEFAULT_BACKUP_PRESET,
    resolveSchedule,
} from "../../../components/backup/presets";
import { BackupPlanOptions } from "../../../components/backup/types";
import { cronProblem } from "../../../components/backup/cron";
import { validateBackupPlanArgs } from "../../../components/backup/validatePlanArgs";
import { validateTableBackup } from "../../../components/backup/tableBackup";
import {
    physicalName,
    PLAN_NAME_RULES,
    RESTORE_TESTING_NAME_RULES,
    VAULT_NAME_RULES,
} from "../../../components/core/names";

/** A valid custom rule; each test changes one thing. */
const rule: BackupRuleArgs = {
    name: "Hourly",
    schedule: "cron(15 * ? * * *)",
    startWindowMinutes: 60,
    completionWindowMinutes: 180,
    lifecycle: { deleteAfterDays: 14 },
};

function reasons(options: BackupPlanOptions): string[] {
    return validateBackupPlanArgs(options).map((p) => p.reason);
}

function onlyReason(options: BackupPlanOptions): string {
    const found = reasons(options);
    assert.equal(found.length, 1, `expected one problem, got:\n${found.join("\n")}`);
    return found[0];
}

describe("backup schedules", () => {
    describe("presets", () => {
        it("mirror aws-cdk's rules: daily 35 days, weekly 90 days, monthly 1/5/7 years", () => {
            const expand = (preset: (typeof BACKUP_PRESETS)[number]) => resolveSchedule(preset, true);
            assert.deepEqual(expand("daily"), [
                { name: "Daily", schedule: "cron(0 5 * * ? *)", lifecycle: { deleteAfterDays: 35 } },
            ]);
            assert.deepEqual(expand("weekly"), [
                { name: "Weekly", schedule: "cron(0 5 ? * SAT *)", lifecycle: { deleteAfterDays: 90 } },
            ]);
            assert.deepEqual(expand("monthly-1-year")[0].lifecycle, {
                moveToColdStorageAfterDays: 30,
                deleteAfterDays: 365,
            });
            assert.deepEqual(expand("monthly-5-year")[0].lifecycle, {
                moveToColdStorageAfterDays: 90,
                deleteAfterDays: 1825,
            });
            assert.deepEqual(expand("monthly-7-year")[0].lifecycle, {
                moveToColdStorageAfterDays: 90,
                deleteAfterDays: 2555,
            });
        });

        it("expand plan presets into their rules", () => {
            const names = (preset: (typeof BACKUP_PRESETS)[number]) =>
                resolveSchedule(preset, false).map((r) => r.name);
            assert.deepEqual(names("daily-monthly-1-year"), ["Daily", "Monthly1Year"]);
            assert.deepEqual(names("daily-weekly-monthly-5-year"), ["Daily", "Weekly", "Monthly5Year"]);
            assert.deepEqual(names("daily-weekly-monthly-7-year"), ["Daily", "Weekly", "Monthly7Year"]);
        });

        it("drop cold storage without advanced DynamoDB backup, keeping the retention", () => {
            assert.deepEqual(resolveSchedule("monthly-7-year", false)[0].lifecycle, {
                deleteAfterDays: 2555,
            });
        });

        it("are all valid, with and without advanced DynamoDB backup", () => {
            for (const schedule of BACKUP_PRESETS) {
                assert.deepEqual(reasons({ schedule }), [], schedule);
                assert.deepEqual(reasons({ schedule, advancedDynamoDbBackup: "enable" }), [], schedule);
            }
        });

        it("default to daily plus monthly for a year", () => {
            assert.equal(DEFAULT_BACKUP_PRESET, "daily-monthly-1-year");
        });

        it("mix with custom rules in a list", () => {
            assert.deepEqual(
                resolveSchedule(["daily", rule], false).map((r) => r.name),
                ["Daily", "Hourly"],
            );
        });
    });

    describe("AWS cron expressions", () => {
        for (const valid of [
            "cron(0 5 ? * * *)",
            "cron(0 5 * * ? *)",
            "cron(30 2 ? * MON-FRI *)",
            "cron(0 0/6 ? * * *)",
            "cron(0 5 1,15 * ? *)",
            "cron(0 5 L * ? *)",
            "cron(0 5 15W * ? *)",
            "cron(0 5 ? * 6#3 *)",
            "cron(0 5 ? * FRIL *)",
            "cron(0 5 ? JAN-MAR SUN 2026-2030)",
        ]) {
            it(`accepts ${valid}`, () => assert.equal(cronProblem(valid), undefined));
        }

        it("rejects a rate expression or a bare cron body", () => {
            assert.match(cronProblem("rate(1 day)")!, /form cron\(minutes hours/);
            assert.match(cronProblem("0 5 * * ? *")!, /form cron\(/);
        });

        it("rejects five fields (Unix cron) and says there are six", () => {
            assert.equal(
                cronProblem("cron(0 5 * * *)"),
                "it has 5 fields; an AWS cron expression has 6: minutes hours day-of-month month day-of-week year",
            );
        });

        it("rejects values out of range, naming the field and the allowed values", () => {
            assert.equal(cronProblem("cron(0 24 ? * * *)"), 'hours "24": "24" is not a number from 0 to 23');
            assert.equal(
                cronProblem("cron(0 5 ? 13 * *)"),
                'month "13": "13" is not a number from 1 to 12 or JAN-DEC',
            );
            assert.equal(
                cronProblem("cron(0 5 ? * FUNDAY *)"),
                'day-of-week "FUNDAY": "FUNDAY" is not a number from 1 to 7 or SUN-SAT',
            );
        });

        it("requires exactly one `?` in day-of-month or day-of-week", () => {
            assert.match(
                cronProblem("cron(0 5 * * * *)")!,
                /exactly one of day-of-month and day-of-week must be `\?`/,
            );
            assert.match(cronProblem("cron(0 5 ? * ? *)")!, /exactly one of/);
            assert.match(
                cronProblem("cron(0 ? * * ? *)")!,
                /hours "\?": `\?` is allowed only in day-of-month/,
            );
        });

        it("refuses schedules more often than hourly", () => {
            assert.match(
                cronProblem("cron(*/5 * ? * * *)")!,
                /minutes must be a single number; .*at most once an hour/,
            );
        });
    });

    describe("validateBackupPlanArgs", () => {
        it("accepts a valid custom rule", () => {
            assert.deepEqual(reasons({ schedule: [rule] }), []);
        });

        it("rejects an unknown preset, listing the presets", () => {
            assert.match(
                onlyReason({ schedule: "hourly" as never }),
                /^`schedule` is "hourly"; a preset is one of "daily", "weekly", .*"daily-weekly-monthly-7-year"\. Fix: pick one/,
            );
        });

        it("rejects an empty schedule list", () => {
            assert.match(
                onlyReason({ schedule: [] }),
                /`schedule` is \[\]; it must be a preset .* or a non-empty list/,
            );
        });

        it("rejects a bad cron expression with its field and an example", () => {
            assert.equal(
                onlyReason({ schedule: [{ ...rule, schedule: "cron(0 5 * * *)" }] }),
                '`schedule[0].schedule` is "cron(0 5 * * *)"; it has 5 fields; an AWS cron expression has 6: minutes ' +
                    'hours day-of-month month day-of-week year. Fix: write an AWS cron expression such as "cron(0 5 ? * * *)" (05:00 every day).',
            );
        });

        it("rejects a rule name that is too long or has spaces", () => {
            assert.match(
                onlyReason({ schedule: [{ ...rule, name: "my rule" }] }),
                /`schedule\[0\].name` is "my rule" \(7 characters\); a rule name is 1 to 50 characters of a-z, A-Z, 0-9/,
            );
            assert.match(onlyReason({ schedule: [{ ...rule, name: "x".repeat(51) }] }), /\(51 characters\)/);
        });

        it("rejects two rules with one name, including a preset listed twice", () => {
            assert.match(
                onlyReason({ schedule: ["daily", "daily-monthly-1-year"] }),
                /rule name "Daily" is used by both `schedule\[0\]` and `schedule\[1\]`; rule names must be unique/,
            );
        });

        it("rejects an unknown time zone", () => {
            assert.match(
                onlyReason({ schedule: [{ ...rule, scheduleTimezone: "Mars/Olympus" }] }),
                /`schedule\[0\].scheduleTimezone` is "Mars\/Olympus"; it must be an IANA time zone/,
            );
            assert.deepEqual(reasons({ schedule: [{ ...rule, scheduleTimezone: "Europe/Paris" }] }), []);
        });

        it("rejects a start window under 60 minutes", () => {
            assert.equal(
                onlyReason({ schedule: [{ ...rule, startWindowMinutes: 30 }] }),
                "`schedule[0].startWindowMinutes` is 30; it must be a whole number of minutes of at least 60 " +
                    "(BackupRuleInput). Fix: set 60 or more, or leave it unset for 8 hours.",
            );
        });

        it("rejects a completion window not longer than the start window", () => {
            assert.match(
                onlyReason({
                    schedule: [{ ...rule, startWindowMinutes: 120, completionWindowMinutes: 120 }],
                }),
                /`schedule\[0\].completionWindowMinutes` is 120; it must be greater than `schedule\[0\].startWindowMinutes` \(120\)/,
            );
            assert.match(
                onlyReason({
                    schedule: [{ ...rule, startWindowMinutes: undefined, completionWindowMinutes: 240 }],
                }),
                /greater than the default start window \(480\)/,
            );
        });

        it("rejects deletion sooner than 90 days after the move to cold storage", () => {
            const found = reasons({
                advancedDynamoDbBackup: "already-enabled",
                schedule: [{ ...rule, lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 100 } }],
            });
            assert.deepEqual(found, [
                "`schedule[0].lifecycle.deleteAfterDays` is 100 with `moveToColdStorageAfterDays` 30; recovery points " +
                    "must stay in cold storage at least 90 days, so deleteAfterDays must be at least 120. Fix: raise " +
                    "deleteAfterDays to 120 or more, or drop the cold storage step.",
            ]);
        });

        it("rejects retention beyond 100 years", () => {
            assert.match(
                onlyReason({ schedule: [{ ...rule, lifecycle: { deleteAfterDays: 36501 } }] }),
                /`schedule\[0\].lifecycle.deleteAfterDays` is 36501; it must be a whole number of days from 1 to 36500 \(100 years/,
            );
            assert.deepEqual(reasons({ schedule: [{ ...rule, lifecycle: { deleteAfterDays: 36500 } }] }), []);
        });

        it("says that cold storage needs advanced DynamoDB backup, and how to turn it on", () => {
            assert.match(
                onlyReason({
                    schedule: [
                        { ...rule, lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 } },
                    ],
                }),
                /`schedule\[0\].lifecycle.moveToColdStorageAfterDays` is 30; cold storage for DynamoDB needs advanced DynamoDB backup .*Fix: set `advancedDynamoDbBackup: "enable"`/,
            );
        });

        it("says that copies need advanced DynamoDB backup", () => {
            const copyActions = [
                { destinationVaultArn: "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr" },
            ];
            assert.match(
                onlyReason({ schedule: [{ ...rule, copyActions }] }),
                /`schedule\[0\].copyActions` copies DynamoDB recovery points .*cross-Region and cross-account copies of DynamoDB backups need advanced DynamoDB backup/,
            );
            assert.deepEqual(
                reasons({ advancedDynamoDbBackup: "enable", schedule: [{ ...rule, copyActions }] }),
                [],
            );
        });

        it("rejects a copy target that is not a vault ARN, and checks the copy's lifecycle", () => {
            const found = reasons({
                advancedDynamoDbBackup: "enable",
                schedule: [
                    {
                        ...rule,
                        copyActions: [
                            {
                                destinationVaultArn: "arn:aws:s3:::my-bucket",
                                lifecycle: { moveToColdStorageAfterDays: 10, deleteAfterDays: 20 },
                            },
                        ],
                    },
                ],
            });
            assert.equal(found.length, 2);
            assert.match(
                found[0],
                /^`schedule\[0\].copyActions\[0\].destinationVaultArn` is "arn:aws:s3:::my-bucket"; it must be a backup vault ARN, "arn:aws:backup:<region>:<12-digit account>:backup-vault:<name>"/,
            );
            assert.match(found[1], /copyActions\[0\].lifecycle.deleteAfterDays` is 20 .*at least 100/);
        });

        it("rejects recovery point tags without advanced DynamoDB backup", () => {
            assert.match(
                onlyReason({ schedule: [{ ...rule, recoveryPointTags: { team: "a" } }] }),
                /`schedule\[0\].recoveryPointTags` is set; tags on DynamoDB recovery points need advanced DynamoDB backup/,
            );
        });

        it("rejects plan and vault names outside AWS limits", () => {
            const found = reasons({ planName: "has space", vaultName: "dots.not.allowed" });
            assert.deepEqual(found, [
                '`planName` is "has space" (9 characters); it must be 1 to 50 characters of a-z, A-Z, 0-9, `-`, `_` and `.`. ' +
                    "Fix: choose such a name, or leave it unset for a generated one.",
                '`vaultName` is "dots.not.allowed" (16 characters); it must be 2 to 50 characters of a-z, A-Z, 0-9, `-` and `_`. ' +
                    "Fix: choose such a name, or leave it unset for a generated one.",
            ]);
        });

        it("reports every problem at once", () => {
            const found = validateBackupPlanArgs({
                planName: "",
                schedule: [{ ...rule, startWindowMinutes: 10, schedule: "cron(bad)" }],
                vaultLock: { mode: "governance", minRetentionDays: 10, maxRetentionDays: 5 },
            });
            assert.deepEqual(
                found.map((p) => p.propertyPath),
                [
                    "planName",
                    "schedule[0].schedule",
                    "schedule[0].startWindowMinutes",
                    "vaultLock.minRetentionDays",
                    "vaultLock.maxRetentionDays",
                ],
            );
        });
    });

    describe("vault lock", () => {
        it("rejects a minimum above the maximum", () => {
            assert.equal(
                onlyReason({
                    vaultLock: { mode: "governance", minRetentionDays: 400, maxRetentionDays: 365 },
                }),
                "`vaultLock.minRetentionDays` is 400, more than `vaultLock.maxRetentionDays` (365); the minimum must " +
                    "not exceed the maximum. Fix: lower the minimum or raise the maximum.",
            );
        });

        it("requires an explicit grace period of at least 3 days in compliance mode", () => {
            assert.match(
                onlyReason({ vaultLock: { mode: "compliance", minRetentionDays: 7 } }),
                /`vaultLock.changeableForDays` is unset; compliance mode needs a grace period of at least 3 days, after which the lock can never be removed/,
            );
            assert.match(
                onlyReason({ vaultLock: { mode: "compliance", changeableForDays: 1 } }),
                /`vaultLock.changeableForDays` is 1;/,
            );
        });

        it("rejects a grace period in governance mode", () => {
            assert.match(
                onlyReason({ vaultLock: { mode: "governance", changeableForDays: 3 } }),
                /a grace period makes the lock compliance mode/,
            );
        });

        it("rejects an unknown mode", () => {
            assert.match(
                onlyReason({ vaultLock: { mode: "strict" as never } }),
                /`vaultLock.mode` is "strict"/,
            );
        });

        it("rejects a lock whose range would fail the plan's own backup jobs", () => {
            const found = reasons({
                schedule: "daily-monthly-1-year",
                vaultLock: { mode: "governance", minRetentionDays: 90, maxRetentionDays: 180 },
            });
            assert.deepEqual(found, [
                '`vaultLock.minRetentionDays` is 90 but rule "Daily" keeps recovery points 35 days; its backup jobs ' +
                    "would fail. Fix: lower the minimum to 35 or keep that rule's backups longer.",
                '`vaultLock.maxRetentionDays` is 180 but rule "Monthly1Year" keeps recovery points 365 days; its ' +
                    "backup jobs would fail. Fix: raise the maximum or give the rule a deleteAfterDays of at most 180.",
            ]);
        });
    });

    describe("notifications and restore testing", () => {
        it("rejects events AWS Backup no longer sends, naming the one to use", () => {
            assert.equal(
                onlyReason({ notifications: { events: ["BACKUP_JOB_FAILED"] } }),
                '`notifications.events[0]` is "BACKUP_JOB_FAILED", an event AWS Backup no longer sends, so it would ' +
                    'never notify anyone. Fix: use "BACKUP_JOB_COMPLETED", whose message carries the job\'s state (failed, expired, ...).',
            );
            assert.match(
                onlyReason({ notifications: { events: ["RESTORE_JOB_FAILED"] } }),
                /use "RESTORE_JOB_COMPLETED"/,
            );
        });

        it("rejects unknown events and a topic that is not an SNS ARN", () => {
            const found = reasons({ notifications: { topicArn: "my-topic", events: ["JOB_DONE"] } });
            assert.equal(found.length, 2);
            assert.match(
                found[0],
                /`notifications.topicArn` is "my-topic"; it must be a standard \(not FIFO\) SNS topic ARN/,
            );
            assert.match(
                found[1],
                /`notifications.events\[0\]` is "JOB_DONE"; it must be one of "BACKUP_JOB_STARTED"/,
            );
        });

        it("checks the restore testing schedule and windows", () => {
            const found = reasons({
                restoreTesting: {
                    schedule: "cron(0 8 * * * *)",
                    selectionWindowDays: 400,
                    validationWindowHours: 0,
                },
            });
            assert.equal(found.length, 3);
            assert.match(
                found[0],
                /`restoreTesting.schedule` is "cron\(0 8 \* \* \* \*\)"; exactly one of day-of-month/,
            );
            assert.match(
                found[1],
                /`restoreTesting.selectionWindowDays` is 400; it must be a whole number of days from 1 to 365/,
            );
            assert.match(
                found[2],
                /`restoreTesting.validationWindowHours` is 0; it must be a whole number of hours from 1 to 168/,
            );
        });

        it("rejects an empty tag selection", () => {
            assert.match(onlyReason({ selectTags: {} }), /`selectTags` is \{\}; it must be a non-empty map/);
        });
    });

    describe("a table's `backup` argument", () => {
        it("accepts presets, lists, plan options, a plan reference and none", () => {
            for (const backup of [
                undefined,
                false,
                "none",
                "daily",
                ["weekly", rule],
                { schedule: "daily", notifications: {} },
                { plan: { planId: "p", planArn: "a", roleArn: "r", vaultName: "v" } },
            ]) {
                assert.deepEqual(validateTableBackup(backup), [], JSON.stringify(backup));
            }
        });

        it("names `backup` in messages about a schedule given directly", () => {
            const [problem] = validateTableBackup([{ ...rule, startWindowMinutes: 5 }]);
            assert.equal(problem.propertyPath, "backup[0].startWindowMinutes");
            assert.match(problem.reason, /^`backup\[0\].startWindowMinutes` is 5;/);
        });

        it("lists the choices for an unknown preset", () => {
            const [problem] = validateTableBackup("hourly");
            assert.match(
                problem.reason,
                /^`backup` is "hourly"; it must be a preset \("daily", .*\{ plan \} to join a shared plan, or "none"/,
            );
        });

        it("prefixes plan options with `backup.`", () => {
            const [problem] = validateTableBackup({ vaultLock: { mode: "compliance" } });
            assert.equal(problem.propertyPath, "backup.vaultLock.changeableForDays");
            assert.match(problem.reason, /^`backup.vaultLock.changeableForDays` is unset/);
        });

        it("rejects a plan reference without its outputs", () => {
            const [problem] = validateTableBackup({ plan: { planId: "p" } });
            assert.match(
                problem.reason,
                /`backup.plan` lacks `planArn`, `roleArn`, `vaultName`; it must be a TableBackupPlan/,
            );
        });

        it("rejects fields a table sets itself", () => {
            const [problem] = validateTableBackup({ schedule: "daily", tables: ["arn"] });
            assert.match(
                problem.reason,
                /`backup.tables` is set, but a table's own plan takes `tables` from the table/,
            );
        });
    });

    describe("physical names", () => {
        it("joins project, stack and name", () => {
            assert.equal(physicalName(["shop", "prod", "orders"], VAULT_NAME_RULES), "shop-prod-orders");
        });

        it("replaces characters AWS does not allow", () => {
            assert.equal(
                physicalName(["shop", "prod.eu", "orders"], VAULT_NAME_RULES),
                "shop-prod-eu-orders",
            );
            assert.equal(physicalName(["shop", "prod.eu", "orders"], PLAN_NAME_RULES), "shop-prod.eu-orders");
            assert.equal(
                physicalName(["1shop", "prod-eu", "orders"], RESTORE_TESTING_NAME_RULES),
                "b_1shop_prod_eu_orders",
            );
        });

        it("cuts long names and appends a hash, so two long names differ", () => {
            const long = "a".repeat(60);
            const one = physicalName(["shop", "prod", `${long}-one`], VAULT_NAME_RULES);
            const two = physicalName(["shop", "prod", `${long}-two`], VAULT_NAME_RULES);
            assert.equal(one.length, 50);
            assert.notEqual(one, two);
            assert.match(one, /^shop-prod-a+-[0-9a-f]{8}$/);
        });
    });
});
