/**
 * The check of a table's `backup` argument: a schedule, plan options, `{ plan }`, or none.
 */
import { ArgProblem, show } from "../core/problems";
import { BACKUP_PRESETS, BackupSchedule } from "./presets";
import type { BackupPlanOptions } from "./types";
import { renameRoot, validateBackupPlanArgs } from "./validatePlanArgs";

const NOT_FOR_A_TABLE = ["tier", "tables", "selectTags", "region"];

/**
 * Problems with a table's `backup` argument: a preset, a list of presets and rules, plan options
 * with a `schedule`, `{ plan }` to join a shared plan, or `false` / `"none"`.
 */
export function validateTableBackup(
    backup: unknown,
    context: { readonly tableRegion?: string; readonly providerRegion?: string } = {},
): ArgProblem[] {
    if (backup === undefined || backup === false || backup === "none") return [];
    if (typeof backup === "string" || Array.isArray(backup)) {
        const problems = validateBackupPlanArgs({ schedule: backup as BackupSchedule });
        return renameRoot(problems, "schedule", "backup").map((p) =>
            p.propertyPath === "backup" && typeof backup === "string"
                ? {
                      propertyPath: "backup",
                      reason:
                          `\`backup\` is ${show(backup)}; it must be a preset (${BACKUP_PRESETS.map((n) => `"${n}"`).join(", ")}), ` +
                          'a list of presets and rules, { plan } to join a shared plan, or "none". Fix: pick one.',
                  }
                : p,
        );
    }
    if (backup === null || typeof backup !== "object") {
        return [
            {
                propertyPath: "backup",
                reason: `\`backup\` is ${show(backup)}; it must be a preset name, a list of rules, plan options, { plan } or "none".`,
            },
        ];
    }
    if ("plan" in backup) {
        const plan = (backup as { plan: unknown }).plan;
        const missing = ["planId", "planArn", "roleArn", "vaultName"].filter(
            (field) =>
                plan === null ||
                typeof plan !== "object" ||
                (plan as Record<string, unknown>)[field] === undefined,
        );
        const planRegion = (plan as { region?: unknown } | null)?.region ?? context.providerRegion;
        const tableRegion = context.tableRegion ?? context.providerRegion;
        if (missing.length === 0 && typeof planRegion === "string" && typeof tableRegion === "string") {
            if (planRegion !== tableRegion) {
                return [
                    {
                        propertyPath: "backup.plan",
                        reason:
                            `\`backup.plan\` is in ${planRegion} but the table is in ${tableRegion}; an AWS Backup plan selects ` +
                            `resources in its own Region only, so the table would never be backed up. Fix: use a plan in ${tableRegion}.`,
                    },
                ];
            }
        }
        return missing.length === 0
            ? []
            : [
                  {
                      propertyPath: "backup.plan",
                      reason:
                          `\`backup.plan\` lacks ${missing.map((m) => `\`${m}\``).join(", ")}; it must be a TableBackupPlan, or ` +
                          "{ planId, planArn, roleArn, vaultName } exported by the stack that owns the plan.",
                  },
              ];
    }
    const problems = validateBackupPlanArgs(backup as BackupPlanOptions, "backup.");
    for (const field of NOT_FOR_A_TABLE) {
        if (field in backup) {
            problems.push({
                propertyPath: `backup.${field}`,
                reason:
                    `\`backup.${field}\` is set, but a table's own plan takes \`${field}\` from the table. Fix: remove it, ` +
                    "or create a TableBackupPlan and pass it as { plan }.",
            });
        }
    }
    return problems;
}
