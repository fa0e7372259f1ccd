/**
 * Rule: production tables with PITR keep at least the configured recovery period (default 35 days,
 * the DynamoDB maximum and default; DynamoDB API Reference, PointInTimeRecoverySpecification).
 */
import { TablePolicy } from "../crossguard/tablePolicy";
import { validateTablesInStack } from "../crossguard/stackRule";
import { PITR_DEFAULT_DAYS, PITR_MAX_DAYS } from "../engine/config";
import { Decision, compliant, notApplicable, unknownField } from "../engine/decision";
import { TableFacts } from "../engine/tableFacts";
import { TableRule, configSchemaOf, validateTables } from "../crossguard/tableRule";
import { UNKNOWN, asBoolean, asNumber, show } from "../engine/values";
import { metadataOf } from "../engine/metadata";

export interface RecoveryPeriodConfig {
    /** The shortest recovery period (days) a production table may keep. */
    readonly minimumRecoveryPeriodInDays: number;
}

export function decideRecoveryPeriod(table: TableFacts, config: RecoveryPeriodConfig): Decision {
    const f = table.recoveryPeriodInDays;
    if (table.cannotVerify || !f) {
        return notApplicable("this declaration has no recovery period setting");
    }
    if (!table.pitrEnabled || asBoolean(table.pitrEnabled.value) !== true) {
        return notApplicable("PITR is not known to be on; the PITR rule reports that");
    }
    const minimum = Math.min(Math.max(Math.trunc(config.minimumRecoveryPeriodInDays), 1), PITR_MAX_DAYS);
    const days = asNumber(f.value);
    if (days === UNKNOWN) {
        return unknownField(f);
    }
    if (f.value === undefined) {
        // The default is also the maximum, so it meets any minimum.
        return compliant(`\`${f.path}\` is unset, so DynamoDB keeps ${PITR_DEFAULT_DAYS} days`);
    }
    if (days === undefined || !Number.isInteger(days) || days < 1 || days > PITR_MAX_DAYS) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${show(f.value)}, which is not a whole number of days from 1 to ${PITR_MAX_DAYS}`,
            fix: `set it to ${minimum === PITR_MAX_DAYS ? PITR_MAX_DAYS : `${minimum} to ${PITR_MAX_DAYS}`}`,
        };
    }
    if (days < minimum) {
        return {
            outcome: "non-compliant",
            path: f.path,
            problem: `set to ${days} days, below the required minimum of ${minimum} days`,
            fix: `set it to ${minimum === PITR_MAX_DAYS ? PITR_MAX_DAYS : `at least ${minimum}`}, or remove it (DynamoDB keeps ${PITR_DEFAULT_DAYS} days by default)`,
        };
    }
    return compliant(`\`${f.path}\` is ${days} days`);
}

export const recoveryPeriodRule: TableRule<RecoveryPeriodConfig> = {
    what: "the PITR recovery period",
    schema: {
        minimumRecoveryPeriodInDays: {
            type: "integer",
            minimum: 1,
            maximum: PITR_MAX_DAYS,
            default: PITR_MAX_DAYS,
            description:
                "Shortest PITR recovery period, in days (1 to 35), that a production table may keep.",
        },
    },
    decide: (table, config) => decideRecoveryPeriod(table, config),
};

export const requireRecoveryPeriod: TablePolicy = {
    name: "dynamodb-production-table-pitr-recovery-period",
    ...metadataOf("dynamodb-production-table-pitr-recovery-period"),
    description:
        "Production DynamoDB tables with point-in-time recovery must keep at least the configured recovery period (35 days by default).",
    enforcementLevel: "mandatory",
    configSchema: configSchemaOf(recoveryPeriodRule),
    validateResource: validateTables(recoveryPeriodRule),
    validateStack: validateTablesInStack(recoveryPeriodRule),
};
