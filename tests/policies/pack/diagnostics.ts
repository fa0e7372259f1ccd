/**
 * Reading the pack's answers in the specs that run it over the analyzer protocol: the policy names,
 * and the messages and enforcement levels of one policy's diagnostics.
 */
import { AnalyzeResult } from "../../../cli/analyzer";

export const PITR = "dynamodb-production-table-pitr-enabled";
export const PERIOD = "dynamodb-production-table-pitr-recovery-period";
export const BACKUP = "dynamodb-production-table-in-backup-plan";
export const DELETION = "dynamodb-production-table-deletion-protection";
export const CMK = "dynamodb-production-table-customer-managed-key";
export const RESTORE = "dynamodb-restore-time-within-recovery-window";
export const ISOLATED = "dynamodb-production-table-backups-isolated";

/** The violation messages of one policy, without CrossGuard's description prefix. */
export function messagesOf(result: AnalyzeResult, policy: string): string[] {
    return result.diagnostics
        .filter((d) => d.policyName === policy)
        .map((d) =>
            d.message.startsWith(d.description + "\n")
                ? d.message.slice(d.description.length + 1)
                : d.message,
        );
}

export function levelsOf(result: AnalyzeResult, policy: string): string[] {
    return result.diagnostics.filter((d) => d.policyName === policy).map((d) => d.enforcementLevel);
}
