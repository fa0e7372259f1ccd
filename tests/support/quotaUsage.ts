/**
 * Counts what a program registers against AWS's default quotas (components/core/quotas.ts), per account
 * and Region, per event bus, per plan and per selection. Returns every quota exceeded, so a test can
 * both prove a fleet fits and prove that the check catches one that does not.
 */
import { CapturedResource } from "../../cli/program/mockRuntime";
import { AWS_QUOTAS, eventRulesPerBus } from "../../components/core/quotas";

export interface QuotaUse {
    readonly quota: string;
    readonly where: string;
    readonly used: number;
    readonly limit: number;
}

export function quotaUsage(resources: CapturedResource[], homeRegion: string): QuotaUse[] {
    const uses: QuotaUse[] = [];
    const regionOf = (r: CapturedResource) => (r.inputs.region as string | undefined) ?? homeRegion;
    const countBy = (type: string, key: (r: CapturedResource) => string) => {
        const counts = new Map<string, number>();
        for (const r of resources.filter((x) => x.type === type))
            counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
        return counts;
    };
    const add = (
        quota: keyof typeof AWS_QUOTAS,
        where: string,
        used: number,
        limit: number = AWS_QUOTAS[quota].limit,
    ) => uses.push({ quota: AWS_QUOTAS[quota].name, where, used, limit });

    const rules = resources.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule");
    const bus = (r: CapturedResource) => `${regionOf(r)}/${(r.inputs.eventBusName as string) ?? "default"}`;
    for (const [where, used] of countBy("aws:cloudwatch/eventRule:EventRule", bus)) {
        add("eventRulesPerBus", where, used, eventRulesPerBus(where.split("/")[0]));
    }
    const wildcard = new Map<string, number>(rules.map((r) => [bus(r), 0]));
    for (const rule of rules) {
        const pattern = String(rule.inputs.eventPattern ?? "");
        add("eventPatternCharacters", rule.name, pattern.length);
        if (pattern.includes('"wildcard"')) wildcard.set(bus(rule), (wildcard.get(bus(rule)) ?? 0) + 1);
    }
    for (const [where, used] of wildcard) add("wildcardRulesPerBus", where, used);
    const ruleNames = new Map(rules.map((r) => [r.outputs.name as string, r.name]));
    for (const [rule, used] of countBy("aws:cloudwatch/eventTarget:EventTarget", (t) =>
        String(t.inputs.rule),
    )) {
        add("targetsPerRule", ruleNames.get(rule) ?? rule, used);
    }

    for (const [where, used] of countBy("aws:backup/plan:Plan", regionOf)) add("backupPlans", where, used);
    for (const [where, used] of countBy("aws:backup/vault:Vault", regionOf)) add("backupVaults", where, used);
    for (const plan of resources.filter((r) => r.type === "aws:backup/plan:Plan")) {
        add("rulesPerPlan", plan.name, (plan.inputs.rules as unknown[]).length);
    }
    const selections = resources.filter((r) => r.type === "aws:backup/selection:Selection");
    for (const [plan, used] of countBy("aws:backup/selection:Selection", (s) => String(s.inputs.planId))) {
        add("selectionsPerPlan", plan, used);
        const tagged = selections.filter(
            (s) => String(s.inputs.planId) === plan && s.inputs.conditions !== undefined,
        );
        add("tagSelectionsPerPlan", plan, tagged.length);
    }
    for (const selection of selections) {
        const arns = (selection.inputs.resources as string[] | undefined) ?? [];
        const wild = arns.some((a) => String(a).includes("*"));
        add("arnsPerSelection", selection.name, arns.length);
        add("wildcardArnsPerSelection", selection.name, wild ? arns.length : 0);
        const conditions =
            (selection.inputs.conditions as Array<Record<string, unknown[]>> | undefined) ?? [];
        add("tagsPerSelection", selection.name, conditions.flatMap((c) => Object.values(c).flat()).length);
    }

    add("snsTopics", "account", resources.filter((r) => r.type === "aws:sns/topic:Topic").length);
    for (const [where, used] of countBy("aws:kms/key:Key", regionOf)) add("kmsKeys", where, used);
    for (const [where, used] of countBy("aws:cfg/rule:Rule", regionOf)) add("configRules", where, used);
    return uses;
}

/** The uses over their limit. */
export function exceeded(uses: QuotaUse[]): QuotaUse[] {
    return uses.filter((u) => u.used > u.limit);
}
