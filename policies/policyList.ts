/**
 * The pack's policies, without side effects: `index.ts` serves them (`new PolicyPack`), and the
 * offline fleet check (cli/fleet/evaluate.ts) calls the same objects in its own process, so that both
 * paths run exactly one set of rules.
 */
import { requireBackupPlan } from "./dynamodb/requireBackupPlan";
import { requireCustomerManagedKey } from "./dynamodb/requireCustomerManagedKey";
import { requireDeletionProtection } from "./dynamodb/requireDeletionProtection";
import { requirePitr } from "./dynamodb/requirePitr";
import { requireRecoveryPeriod } from "./dynamodb/requireRecoveryPeriod";
import { restoreWindow } from "./dynamodb/restoreWindow";

/** The pack's name, as `new PolicyPack` gets it and as diagnostics carry it. */
export const PACK_NAME = "dynamodb-pitr";

// The backup rule comes first: its stack check reads the stack for all, and the other rules' stack
// checks are skipped when that reading leaves them nothing to report (dynamodb/stackRule.ts).
export const policies = [
    requireBackupPlan,
    requirePitr,
    requireRecoveryPeriod,
    requireDeletionProtection,
    requireCustomerManagedKey,
    restoreWindow,
];
