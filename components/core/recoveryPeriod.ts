/** The check of a PITR recovery period, shared by a table's own period and a restore's source's. */
import { PITR_DEFAULT_DAYS, PITR_MAX_DAYS, PITR_MIN_DAYS } from "./constants";
import { ArgProblem, show } from "./problems";

/** Checks a PITR recovery period once it is known. */
export function checkRecoveryPeriod(
    value: unknown,
    path = "pointInTimeRecovery.recoveryPeriodInDays",
): ArgProblem[] {
    if (value === undefined) return [];
    if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < PITR_MIN_DAYS ||
        value > PITR_MAX_DAYS
    ) {
        const kind = typeof value === "number" || value === null ? "" : ` (a ${typeof value})`;
        return [
            {
                propertyPath: path,
                reason:
                    `\`${path}\` is ${show(value)}${kind}; it must be a whole number of days from ` +
                    `${PITR_MIN_DAYS} to ${PITR_MAX_DAYS}. Fix: set a number from ${PITR_MIN_DAYS} to ` +
                    `${PITR_MAX_DAYS}, or leave it unset for ${PITR_DEFAULT_DAYS}.`,
            },
        ];
    }
    return [];
}
