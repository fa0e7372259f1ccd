/**
 * Every check a {@link ResilientTable} runs before any child exists: the table's arguments, its
 * baseline, restore, backups, adoption and monitoring, collected into one list.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ArgProblem, isKnown, show } from "../core/problems";
import { validateTableBackup } from "../backup/tableBackup";
import { validateMonitoring } from "../monitoring/tableMonitoring";
import { validateRestore } from "../restore/restoreWindow";
import { validateAdoption } from "./adoption";
import { validateJoin } from "./baselineJoin";
import type { ResilientTableArgs } from "./types";
import { validateTableArgs } from "./validateTableArgs";

/** Every problem with a table's arguments that can be found before deployment, in a stable order. */
export function tableProblems(
    args: ResilientTableArgs,
    context: { providerRegion?: string; now: Date; provider?: pulumi.ProviderResource },
): ArgProblem[] {
    const { providerRegion, now } = context;
    return [
        ...validateJoin(args, {
            tier: args.tier ?? "production",
            providerRegion,
            provider: context.provider,
        }),
        ...checkKeepOwnKeyAndVault(args),
        ...validateTableArgs(args, { providerRegion }),
        ...validateRestore(args.restore, {
            now,
            targetName: args.name,
            region: args.region ?? providerRegion,
        }),
        ...checkBackupBeforeChange(args.backupBeforeChange),
        ...validateTableBackup(args.backup, { tableRegion: args.region, providerRegion }),
        ...validateAdoption(args),
        ...validateMonitoring(args),
    ];
}

function checkKeepOwnKeyAndVault(args: ResilientTableArgs): ArgProblem[] {
    const keep: unknown = args.keepOwnKeyAndVault;
    if (keep === undefined || keep === false) return [];
    if (keep !== true) {
        return [
            {
                propertyPath: "keepOwnKeyAndVault",
                reason: `\`keepOwnKeyAndVault\` is ${show(keep)}; it must be true or false. Fix: write the boolean without quotes.`,
            },
        ];
    }
    if (args.baseline === undefined) {
        return [
            {
                propertyPath: "keepOwnKeyAndVault",
                reason:
                    "`keepOwnKeyAndVault` is true, but the table joins no `baseline`; a table without one keeps its key and " +
                    "vault anyway. Fix: remove it, or set `baseline`.",
            },
        ];
    }
    return [];
}

function checkBackupBeforeChange(backup: ResilientTableArgs["backupBeforeChange"]): ArgProblem[] {
    if (backup === undefined) return [];
    if (backup === null || typeof backup !== "object" || Array.isArray(backup)) {
        return [
            {
                propertyPath: "backupBeforeChange",
                reason:
                    `\`backupBeforeChange\` is ${show(backup)}; it must be { trigger, deleteBackupOnDestroy? }. ` +
                    'Fix: pass the trigger inside an object, e.g. `backupBeforeChange: { trigger: "migration-42" }`.',
            },
        ];
    }
    const trigger = backup.trigger;
    if (trigger === undefined || trigger === "") {
        return [
            {
                propertyPath: "backupBeforeChange.trigger",
                reason:
                    "`backupBeforeChange.trigger` is unset; set a value you change before a risky deployment, " +
                    'e.g. a migration version (`trigger: "migration-42"`).',
            },
        ];
    }
    const problems: ArgProblem[] = [];
    if (typeof trigger !== "string" && isKnown(trigger)) {
        problems.push({
            propertyPath: "backupBeforeChange.trigger",
            reason:
                `\`backupBeforeChange.trigger\` is ${show(trigger)}; it must be a string, since it becomes part of ` +
                'the backup\'s name. Fix: quote it, e.g. `trigger: "migration-42"`.',
        });
    }
    const keep: unknown = backup.deleteBackupOnDestroy;
    if (keep !== undefined && typeof keep !== "boolean") {
        problems.push({
            propertyPath: "backupBeforeChange.deleteBackupOnDestroy",
            reason:
                `\`backupBeforeChange.deleteBackupOnDestroy\` is ${show(keep)}; it must be true or false. Fix: write ` +
                "the boolean without quotes, or leave it unset to keep the backups.",
        });
    }
    return problems;
}
