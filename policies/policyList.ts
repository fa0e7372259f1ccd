/**
 * The pack's policies, without side effects: `index.ts` serves them (`new PolicyPack`), and the
 * offline fleet check (cli/analyzer/evaluate.ts) calls the same objects in its own process, so that both
 * paths run exactly one set of rules.
 */
import { requireBackupPlan } from "./dynamodb/rules/requireBackupPlan";
import { requireCustomerManagedKey } from "./dynamodb/rules/requireCustomerManagedKey";
import { requireDeletionProtection } from "./dynamodb/rules/requireDeletionProtection";
import { requireIsolatedBackups } from "./dynamodb/rules/requireIsolatedBackups";
import { requirePitr } from "./dynamodb/rules/requirePitr";
import { requireRecoveryPeriod } from "./dynamodb/rules/requireRecoveryPeriod";
import { restoreWindow } from "./dynamodb/rules/restoreWindow";

/** The pack's name, as `new PolicyPack` gets it and as diagnostics carry it. */
export const PACK_NAME = "dynamodb-pitr";

// The stack checks share one reading of each request's stack (dynamodb/crossguard/stackReading.ts),
// whichever runs first; the order is the order of the report.
export const policies = [
    requireBackupPlan,
    requirePitr,
    requireRecoveryPeriod,
    requireDeletionProtection,
    requireCustomerManagedKey,
    restoreWindow,
    requireIsolatedBackups,
];
