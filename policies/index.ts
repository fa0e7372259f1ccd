/**
 * The `dynamodb-pitr` CrossGuard policy pack: no production DynamoDB table without point-in-time
 * recovery, however it is declared, plus the related data-loss rules. See docs/policies.md.
 */
import { PolicyPack } from "@pulumi/policy";
import { requireBackupPlan } from "./dynamodb/requireBackupPlan";
import { requireCustomerManagedKey } from "./dynamodb/requireCustomerManagedKey";
import { requireDeletionProtection } from "./dynamodb/requireDeletionProtection";
import { requirePitr } from "./dynamodb/requirePitr";
import { requireRecoveryPeriod } from "./dynamodb/requireRecoveryPeriod";
import { restoreWindow } from "./dynamodb/restoreWindow";
import { shareDecoding } from "./dynamodb/sharedDecoding";

// Several policies look at the whole stack; CrossGuard decodes it once for each unless shared.
shareDecoding();

// The backup rule comes first: its stack check reads the stack for all, and the other rules' stack
// checks are skipped when that reading leaves them nothing to report (stackRule.ts).
export const policies = [
    requireBackupPlan,
    requirePitr,
    requireRecoveryPeriod,
    requireDeletionProtection,
    requireCustomerManagedKey,
    restoreWindow,
];

new PolicyPack("dynamodb-pitr", { policies });
