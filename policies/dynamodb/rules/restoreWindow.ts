/**
 * Rule: a table restored from a point in time asks for a time that DynamoDB can restore to, so the
 * mistake shows at preview rather than halfway through an update. A table can be restored to any
 * second between `EarliestRestorableDateTime` (at most the recovery period ago) and
 * `LatestRestorableDateTime` (typically 5 minutes ago). DynamoDB API Reference,
 * PointInTimeRecoveryDescription and RestoreTableToPointInTime.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { PITR_MAX_DAYS } from "../engine/config";
import { Decision, compliant, notApplicable, unknownField } from "../engine/decision";
import { TableFacts } from "../engine/tableFacts";
import { TableRule, configSchemaOf, validateTables } from "../crossguard/tableRule";
import { UNKNOWN, asBoolean, show } from "../engine/values";
import { metadataOf } from "../engine/metadata";

export interface RestoreWindowConfig {
    /** The restore time must be at least this many minutes before now. */
    readonly minimumAgeMinutes: number;
    /** The restore time must be at most this many days before now. */
    readonly maximumAgeDays: number;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

export function decideRestoreWindow(
    table: TableFacts,
    config: RestoreWindowConfig,
    now: Date = new Date(),
): Decision {
    const r = table.restore;
    // `null` is how state exports and provider outputs spell "unset".
    if (!r || r.dateTime.value === undefined || r.dateTime.value === null || r.dateTime.value === "") {
        return notApplicable("the table is not restored to a point in time");
    }
    const f = r.dateTime;
    if (f.value === UNKNOWN) {
        return unknownField(f);
    }
    if (asBoolean(r.toLatestTime.value) === true) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${show(f.value)} together with \`${r.toLatestTime.path}\``,
            fix: "give one of them, not both",
        };
    }
    const at =
        typeof f.value === "string" && RFC3339.test(f.value.trim()) ? new Date(f.value.trim()) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${show(f.value)}, which is not an RFC 3339 time`,
            fix: 'write it like "2025-09-25T10:00:00Z"',
        };
    }
    const minutes = (now.getTime() - at.getTime()) / 60000;
    const latest = Math.max(0, config.minimumAgeMinutes);
    const earliestDays = Math.min(Math.max(config.maximumAgeDays, 0), PITR_MAX_DAYS);
    if (minutes < 0) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${show(f.value)}, which is in the future`,
            fix: `use a time at least ${latest} minutes ago, or \`restoreToLatestTime: true\``,
        };
    }
    if (minutes < latest) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${show(f.value)}, newer than the latest restorable time (about ${latest} minutes ago)`,
            fix: `use a time at least ${latest} minutes ago, or \`restoreToLatestTime: true\``,
        };
    }
    if (minutes > earliestDays * 24 * 60) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${show(f.value)}, older than the ${earliestDays}-day recovery window`,
            fix:
                `use a time within the last ${earliestDays} days, or restore from an on-demand or AWS Backup backup. ` +
                "If the table was restored earlier, the restore already happened: drop the restore inputs " +
                "(ResilientTable ignores them once the table exists; for a bare aws.dynamodb.Table, add them to " +
                "`ignoreChanges` first, or dropping them replaces the table)",
        };
    }
    return compliant(`\`${f.path}\` is inside the restore window`);
}

export const restoreWindowRule: TableRule<RestoreWindowConfig> = {
    what: "the restore time",
    allTables: true,
    schema: {
        minimumAgeMinutes: {
            type: "number",
            default: 5,
            description:
                "The restore time must be at least this many minutes ago (DynamoDB's latest restorable time).",
        },
        maximumAgeDays: {
            type: "number",
            default: PITR_MAX_DAYS,
            description:
                "The restore time must be at most this many days ago (the source's recovery period, at most 35).",
        },
    },
    decide: (table, config) => decideRestoreWindow(table, config),
};

export const restoreWindow: ResourceValidationPolicy = {
    name: "dynamodb-restore-time-within-recovery-window",
    ...metadataOf("dynamodb-restore-time-within-recovery-window"),
    description:
        "A DynamoDB table restored to a point in time must ask for a time inside the restore window: not in the future, not newer than about five minutes ago, and not older than the recovery period.",
    enforcementLevel: "mandatory",
    configSchema: configSchemaOf(restoreWindowRule),
    validateResource: validateTables(restoreWindowRule),
};
