/**
 * A table joining a protection baseline: what it must agree with (Region, provider, tags, replica
 * Regions, alarms) and the tags it carries so the baseline selects it. Pure functions, checked
 * before any resource exists.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProtectionBaselineReference } from "../baseline/reference";
import type { ResilientTableArgs } from "./types";
import { TIER_TAG_KEY, Tier } from "../core/constants";
import { ArgProblem, escapeRegExp, isKnown, show } from "../core/problems";

export interface JoinContext {
    /** The table's tier. */
    readonly tier: Tier;
    /** The provider's Region when the table uses the default provider. */
    readonly providerRegion?: string;
    /** The provider the table was given, if any. */
    readonly provider?: pulumi.ProviderResource;
}

const FIELDS = ["kmsKeyArn", "planArn", "vaultName"] as const;

/** Every reason the table cannot join `baseline` as declared. */
export function validateJoin(args: ResilientTableArgs, context: JoinContext): ArgProblem[] {
    const baseline = args.baseline as ProtectionBaselineReference | undefined;
    if (baseline === undefined) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (baseline === null || typeof baseline !== "object") {
        add(
            "baseline",
            `\`baseline\` is ${show(baseline)}; it must be a ProtectionBaseline, or its outputs from the platform's stack ` +
                "({ kmsKeyArn, planArn, vaultName, selectedTags, region, ... }). Fix: pass the baseline.",
        );
        return problems;
    }
    const missing = FIELDS.filter((f) => baseline[f] === undefined);
    if (missing.length > 0) {
        add(
            "baseline",
            `\`baseline\` lacks ${missing.map((m) => `\`${m}\``).join(", ")}; it must be a ProtectionBaseline or the ` +
                "outputs of one. Fix: export them from the platform's stack and pass them.",
        );
        return problems;
    }
    const of = `baseline "${baseline.baselineName ?? "(reference)"}"`;
    const fix = "or leave `baseline` unset to give the table protection of its own";
    const join: Join = { args, baseline, context, of, fix, add };

    checkPlacement(join);
    checkSelection(join);
    checkJoinedBackup(join);
    checkJoinedMonitoring(join);
    checkJoinedReplicas(join);
    return problems;
}

/** What each check of a join needs: the arguments, the baseline, how to name it, and where problems go. */
interface Join {
    readonly args: ResilientTableArgs;
    readonly baseline: ProtectionBaselineReference;
    readonly context: JoinContext;
    /** `baseline "<name>"`, as messages name it. */
    readonly of: string;
    /** The fix every message ends with: leave the baseline. */
    readonly fix: string;
    readonly add: (propertyPath: string, reason: string) => void;
}

/** The table's Region and provider: the baseline acts in its own Region and account only. */
function checkPlacement(join: Join) {
    const { args, baseline, context, of, fix, add } = join;
    const tableRegion = args.region ?? context.providerRegion;
    if (
        typeof tableRegion === "string" &&
        typeof baseline.region === "string" &&
        tableRegion !== baseline.region
    ) {
        add(
            "baseline",
            `\`baseline\` is ${of} of ${baseline.region}, but the table is in ${tableRegion}; its backup selection, ` +
                `alarms and key act in ${baseline.region} only. Fix: join the baseline of ${tableRegion}, ${fix}.`,
        );
    }
    // A baseline of this program knows its provider; one read from another stack does not, and its
    // account cannot be compared before deployment (docs/fleet.md).
    const sameProgram = typeof baseline.scheduleTags === "function";
    if (sameProgram && context.provider !== baseline.provider) {
        add(
            "baseline",
            `the table uses another provider than ${of}, so it may be in another account or Region, where the ` +
                "baseline protects nothing. Fix: create the table with the baseline's provider " +
                `(\`{ provider: baseline.provider }\`), join the baseline of that account and Region, ${fix}.`,
        );
    }
}

/** The baseline's selection: the table's tags must not contradict it, and its ARN list must match the name. */
function checkSelection(join: Join) {
    const { args, baseline, context, of, fix, add } = join;
    const selected = baseline.selectedTags ?? {};
    for (const [key, value] of Object.entries(selected)) {
        const own = key === TIER_TAG_KEY ? context.tier : args.tags?.[key];
        if (own !== undefined && own !== value) {
            const field = key === TIER_TAG_KEY ? "tier" : `tags.${key}`;
            add(
                field,
                `\`${field}\` is ${show(own)}, but ${of} selects tables tagged ${key}=${value}; the table would not be ` +
                    `backed up by it. Fix: ${key === TIER_TAG_KEY ? `set \`tier: "${value}"\`` : `remove \`tags.${key}\``}, ` +
                    `join a baseline that selects ${key}=${show(own)}, ${fix}.`,
            );
        }
    }
    if (baseline.selectedTableArns !== undefined) {
        const name = args.name;
        if (typeof name !== "string") {
            add(
                "name",
                `\`name\` is ${isKnown(name) ? "unset" : "not known until deployment"}, but ${of} selects tables by ARN; ` +
                    "a generated name cannot be checked against its list. Fix: set `name`, or select by tags on the baseline.",
            );
        } else if (!baseline.selectedTableArns.some((arn) => arnNameMatches(arn, name))) {
            add(
                "name",
                `\`name\` is "${name}", which no ARN of ${of}'s selection matches; the table would not be backed up. ` +
                    "Fix: add its ARN to the baseline's `selection.tableArns`, or select by tags on the baseline.",
            );
        }
    }
}

/** Backups: the baseline's plan covers the table; other schedules come from the baseline too. */
function checkJoinedBackup(join: Join) {
    const { args, baseline, of, fix, add } = join;
    const backup: unknown = args.backup;
    if (backup === false || backup === "none") {
        add(
            "backup",
            `\`backup\` is ${show(backup)}, but ${of} backs up every table it selects, this one included. Fix: remove ` +
                `\`backup\`, ${fix}.`,
        );
    } else if (backup !== undefined && (typeof backup === "string" || Array.isArray(backup))) {
        if (typeof baseline.scheduleTags !== "function") {
            add(
                "backup",
                `\`backup\` asks for a schedule of its own, but ${of} is a reference from another stack, which cannot add ` +
                    "plans. Fix: add the schedule in the platform's stack, or pass `{ plan }` of a TableBackupPlan.",
            );
        }
    } else if (backup !== undefined && typeof backup === "object" && backup !== null && !("plan" in backup)) {
        add(
            "backup",
            `\`backup\` sets plan options, but a table in ${of} stores its recovery points in the baseline's vault. ` +
                'Fix: pass only a schedule (`backup: "monthly-7-year"` or a list of rules), set the options on the ' +
                `baseline, ${fix}.`,
        );
    }
}

/** Alarms: the baseline's, for every table in its scope. */
function checkJoinedMonitoring(join: Join) {
    const { args, baseline, context, of, fix, add } = join;
    const monitoring: unknown = args.monitoring;
    if (monitoring !== undefined && typeof monitoring === "object" && monitoring !== null) {
        add(
            "monitoring",
            `\`monitoring\` sets options, but the alarms of a table in ${of} are the baseline's. Fix: set \`alerts\` on ` +
                `the baseline, write \`monitoring: false\` to go without, ${fix}.`,
        );
    } else if (monitoring !== false && context.tier === "production") {
        const scope = baseline.alertScope;
        if (scope === undefined) {
            add(
                "baseline",
                `${of} has no alarms (\`alerts: false\`), and a production table needs them. Fix: turn on the ` +
                    "baseline's `alerts`, or write `monitoring: false` on the table to go without on purpose.",
            );
        } else if (scope !== "account") {
            const name = args.name;
            const covered =
                typeof name === "string" &&
                ("tableNamePrefix" in scope
                    ? name.startsWith(scope.tableNamePrefix)
                    : scope.tableNames.includes(name));
            if (!covered) {
                const what =
                    "tableNamePrefix" in scope
                        ? `tables named ${scope.tableNamePrefix}*`
                        : `${scope.tableNames.length} listed tables`;
                add(
                    "name",
                    `\`name\` is ${typeof name === "string" ? `"${name}"` : "unset"}, but ${of} alerts only on ${what}; this ` +
                        "production table would be unwatched. Fix: name the table to fit the scope, widen the baseline's " +
                        "`alerts.scope`, or write `monitoring: false` to go without on purpose.",
                );
            }
        }
    }
}

/** Replicas: only in Regions the baseline covers, so none is unwatched or without a key. */
function checkJoinedReplicas(join: Join) {
    const { args, baseline, of, fix, add } = join;
    const covered = Object.keys(baseline.replicaKmsKeyArns ?? {});
    (args.replicas ?? []).forEach((replica, i) => {
        const region = replica?.regionName;
        if (typeof region === "string" && !covered.includes(region)) {
            add(
                `replicas[${i}].regionName`,
                `\`replicas[${i}].regionName\` is "${region}", but ${of} covers ${covered.length === 0 ? "no replica Region" : covered.join(", ")}; ` +
                    `the replica would have no alarms and no shared key. Fix: add "${region}" to the baseline's ` +
                    `\`replicaRegions\`, ${fix}.`,
            );
        }
    });
}

/** Whether a selection ARN (wildcards allowed in the name) selects the table `name`. */
export function arnNameMatches(arn: string, name: string): boolean {
    const resource = arn.slice(arn.indexOf(":table/") + ":table/".length);
    if (resource === arn) return false;
    const pattern = new RegExp(`^${resource.split("*").map(escapeRegExp).join(".*")}$`);
    return pattern.test(name);
}

/** The tags of a joined table: the baseline's selection tags, then its own, then its tier. */
export function joinedTags(
    baseline: ProtectionBaselineReference,
    tags: Record<string, string> | undefined,
    tier: Tier,
): Record<string, string> {
    return { ...baseline.selectedTags, ...tags, [TIER_TAG_KEY]: tier };
}
