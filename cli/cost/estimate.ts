/**
 * What a stack's protection costs a month, from the resources its program registers and nothing
 * else: PITR per table and replica, the recovery points each backup plan keeps of each table it
 * selects (warm and cold, per rule and per copy), and the fixed cost of keys, rules and topics.
 * Pure: no network, no clock; prices from ./prices.
 */
import { fixedCosts } from "./fixed";
import { cents, usd } from "./money";
import { KMS_BILLED_ROTATIONS, PRICE_REGION, PRICES, PRICES_AS_OF } from "./prices";
import { Lifecycle, runsPerDay, steadyState } from "./schedule";
import { OrganizationTagSelection, organizationSelects, selects } from "./selection";
import { StackDefaults, stackDefaults, TableInstance, tableInstances } from "./tables";
import type {
    BackupRuleCost,
    CostReport,
    CostResource,
    FixedCost,
    TableCost,
    UncostedSelection,
} from "./types";

/** The table size assumed when `--table-size-gb` is not given. */
export const DEFAULT_TABLE_SIZE_GB = 10;
/** Configuration changes a month assumed per table for change-triggered AWS Config rules. */
export const CONFIG_CHANGES_PER_TABLE_MONTH = 1;

export interface CostOptions {
    /** The size every table is assumed to hold, in GB. */
    readonly tableSizeGb: number;
    /** The stack's config, keyed `namespace:key`: `aws:region` and `aws:defaultTags` are read. */
    readonly config?: Readonly<Record<string, string>>;
    /**
     * The tag selections of an AWS Organizations backup policy covering the stack's account (the
     * pack's `organizationBackupSelections`): tables they select are backed up by a plan outside the
     * stack, so they are marked, not costed.
     */
    readonly organizationSelections?: readonly OrganizationTagSelection[];
    /** Where the price table and its sources are, as the report names it. @default none named */
    readonly pricesDoc?: string;
}

const hundredths = (n: number) => Math.round(n * 100) / 100;
const sum = (values: number[]) => cents(values.reduce((a, b) => a + b, 0));

interface Rule {
    readonly plan: string;
    readonly name: string;
    readonly schedule: string;
    readonly perDay?: number;
    readonly lifecycle: Lifecycle;
    readonly copies: Array<{
        readonly to: string;
        readonly lifecycle: Lifecycle;
        readonly airGapped: boolean;
    }>;
}

function lifecycleOf(value: unknown): Lifecycle {
    const l = (value ?? {}) as Record<string, unknown>;
    const days = (v: unknown) => (typeof v === "number" && v > 0 ? v : undefined);
    return { coldStorageAfter: days(l.coldStorageAfter), deleteAfter: days(l.deleteAfter) };
}

/** The stack's logically air-gapped vaults: their URNs, and their ARNs where the inputs know them. */
const AIR_GAPPED_VAULT = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";

function planRules(
    plan: CostResource,
    perDay: (schedule: string) => number | undefined,
    airGappedUrns: ReadonlySet<string> = new Set(),
): Rule[] {
    // A copy whose ARN is unknown counts as air-gapped when the rules read an air-gapped vault of the stack.
    const readsAirGapped = (plan.propertyDependencies?.rules ?? []).some((u) => airGappedUrns.has(u));
    const rules = Array.isArray(plan.inputs.rules)
        ? (plan.inputs.rules as Array<Record<string, unknown>>)
        : [];
    return rules.map((rule, n) => {
        // Without one, AWS Backup's default (BackupRuleInput ScheduleExpression); an output is unknown.
        const schedule =
            rule.schedule === undefined
                ? "cron(0 5 ? * * *)"
                : typeof rule.schedule === "string"
                  ? rule.schedule
                  : "known after deployment";
        const copies = Array.isArray(rule.copyActions)
            ? (rule.copyActions as Array<Record<string, unknown>>)
            : [];
        return {
            plan: plan.name,
            name: typeof rule.ruleName === "string" ? rule.ruleName : `rule ${n + 1}`,
            schedule,
            perDay: perDay(schedule),
            lifecycle: lifecycleOf(rule.lifecycle),
            copies: copies.map((copy) => ({
                to: typeof copy.destinationVaultArn === "string" ? copy.destinationVaultArn : "another vault",
                lifecycle: lifecycleOf(copy.lifecycle),
                airGapped: readsAirGapped,
            })),
        };
    });
}

function ruleCost(
    rule: Rule,
    sizeGb: number,
    lifecycle: Lifecycle,
    copyTo?: string,
    airGapped = false,
): BackupRuleCost {
    const perDay = rule.perDay ?? 0;
    const kept = steadyState(perDay, lifecycle);
    const warmPrice = airGapped ? PRICES.backupAirGappedGbMonth.usd : PRICES.backupWarmGbMonth.usd;
    const warmMonthly = cents(kept.warm * sizeGb * warmPrice);
    const coldMonthly = cents(kept.cold * sizeGb * PRICES.backupColdGbMonth.usd);
    return {
        plan: rule.plan,
        rule: rule.name,
        schedule: rule.schedule,
        ...(copyTo ? { copyTo } : {}),
        ...(airGapped ? { airGapped } : {}),
        backupsPerMonth: hundredths((perDay * 365.2425) / 12),
        warmRecoveryPoints: hundredths(kept.warm),
        coldRecoveryPoints: hundredths(kept.cold),
        growing: kept.growing,
        warmMonthly,
        coldMonthly,
        monthly: cents(warmMonthly + coldMonthly),
    };
}

/** Which plans (by URN) select which table instances (by key), and the selections left uncosted. */
function assignPlans(
    resources: readonly CostResource[],
    tables: readonly TableInstance[],
    defaults: StackDefaults,
): { byTable: Map<string, Set<string>>; uncosted: UncostedSelection[] } {
    const plans = resources.filter((r) => r.type === "aws:backup/plan:Plan");
    const byTable = new Map<string, Set<string>>();
    const uncosted: UncostedSelection[] = [];
    for (const selection of resources.filter((r) => r.type === "aws:backup/selection:Selection")) {
        const planId = selection.inputs.planId;
        const deps = selection.propertyDependencies?.planId ?? [];
        const plan = plans.find(
            (p) => deps.includes(p.urn) || (typeof planId === "string" && planId !== "" && p.id === planId),
        );
        const { name, urn } = selection;
        if (!plan) {
            uncosted.push({ name, urn, reason: "its backup plan is not in this stack" });
            continue;
        }
        const selected = tables.filter((t) => selects(selection, t, defaults.region));
        if (selected.length === 0) uncosted.push({ name, urn, reason: "it selects no table of this stack" });
        // A plan backs a table up once per rule, however many of its selections select it.
        for (const t of selected) byTable.set(t.key, new Set([...(byTable.get(t.key) ?? []), plan.urn]));
    }
    return { byTable, uncosted };
}

/** The monthly cost of the stack's protection; see the module comment and docs/cost.md. */
export function estimateCost(resources: readonly CostResource[], options: CostOptions): CostReport {
    const sizeGb = options.tableSizeGb;
    const defaults = stackDefaults(options.config);
    const tables = tableInstances(resources, defaults);
    const cache = new Map<string, number | undefined>();
    const perDay = (schedule: string) => {
        if (!cache.has(schedule)) cache.set(schedule, runsPerDay(schedule));
        return cache.get(schedule);
    };
    const airGappedUrns = new Set(resources.filter((r) => r.type === AIR_GAPPED_VAULT).map((r) => r.urn));
    const rulesOf = new Map(
        resources
            .filter((r) => r.type === "aws:backup/plan:Plan")
            .map((p) => [p.urn, planRules(p, perDay, airGappedUrns)]),
    );
    const { byTable, uncosted } = assignPlans(resources, tables, defaults);

    const tableCosts: TableCost[] = tables.map((t) => {
        const backups: BackupRuleCost[] = [];
        for (const plan of byTable.get(t.key) ?? []) {
            for (const rule of rulesOf.get(plan) ?? []) {
                backups.push(ruleCost(rule, sizeGb, rule.lifecycle));
                for (const copy of rule.copies) {
                    backups.push(ruleCost(rule, sizeGb, copy.lifecycle, copy.to, copy.airGapped));
                }
            }
        }
        const pitrMonthly = t.pitr ? cents(sizeGb * PRICES.pitrGbMonth.usd) : 0;
        const backupMonthly = sum(backups.map((b) => b.monthly));
        const byOrganization = organizationSelects(options.organizationSelections ?? [], t);
        return {
            name: t.name,
            ...(t.tableName ? { tableName: t.tableName } : {}),
            urn: t.urn,
            ...(t.region ? { region: t.region } : {}),
            ...(t.replicaOf ? { replicaOf: t.replicaOf } : {}),
            sizeGb,
            pitr: t.pitr,
            pitrMonthly,
            backups,
            ...(byOrganization ? { organizationBackupPolicy: true } : {}),
            backupMonthly,
            monthly: cents(pitrMonthly + backupMonthly),
        };
    });
    const fixed = fixedCosts(resources, tables, {
        configChangesPerTableMonth: CONFIG_CHANGES_PER_TABLE_MONTH,
        defaultRegion: defaults.region,
    });

    const totals = {
        pitr: sum(tableCosts.map((t) => t.pitrMonthly)),
        backups: sum(tableCosts.map((t) => t.backupMonthly)),
        fixed: sum(fixed.map((f) => f.monthly)),
        monthly: 0,
    };
    totals.monthly = cents(totals.pitr + totals.backups + totals.fixed);

    return {
        currency: "USD",
        prices: { region: PRICE_REGION, asOf: PRICES_AS_OF },
        assumptions: { tableSizeGb: sizeGb, configChangesPerTableMonth: CONFIG_CHANGES_PER_TABLE_MONTH },
        tables: tableCosts,
        fixed,
        uncosted,
        totals,
        notes: notesFor(tableCosts, [...rulesOf.values()].flat(), fixed),
        ...(options.pricesDoc ? { pricesDoc: options.pricesDoc } : {}),
    };
}

function notesFor(
    tables: readonly TableCost[],
    rules: readonly Rule[],
    fixed: readonly FixedCost[],
): string[] {
    const notes = [
        "Backups are full copies of the table; their figures are the steady state, once each rule's retention is full.",
    ];
    const growing = [
        ...new Set(tables.flatMap((t) => t.backups.filter((b) => b.growing).map((b) => b.rule))),
    ];
    if (growing.length > 0)
        notes.push(
            `Rule(s) ${growing.join(", ")} delete nothing (no deleteAfter): their figures are those after 12 months, and grow every month.`,
        );
    const unread = [
        ...new Set(rules.filter((r) => r.perDay === undefined).map((r) => `${r.name} (${r.schedule})`)),
    ];
    if (unread.length > 0)
        notes.push(`Schedule(s) not understood, counted as never running: ${unread.join(", ")}.`);
    const byOrganization = tables.filter((t) => t.organizationBackupPolicy).map((t) => t.name);
    if (byOrganization.length > 0)
        notes.push(
            `${byOrganization.join(", ")}: backed up by the organization's backup policy (policy config ` +
                "`organizationBackupSelections`), whose plan AWS Backup makes in the account, outside this stack: " +
                "its recovery points are not costed here (the management stack's schedule says how many it keeps).",
        );
    if (fixed.some((f) => f.kind === "kms-key" && f.monthly > PRICES.kmsKeyMonth.usd))
        notes.push(
            `A rotated KMS key costs ${usd(PRICES.kmsKeyMonth.usd)} a month until it first rotates and ` +
                `${usd(PRICES.kmsKeyMonth.usd + KMS_BILLED_ROTATIONS * PRICES.kmsRotationMonth.usd)} from its second rotation on (the figure shown).`,
        );
    return notes;
}
