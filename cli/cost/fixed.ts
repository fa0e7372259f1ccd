/**
 * The resources whose cost does not depend on the tables' size: customer-managed KMS keys, EventBridge
 * rules, AWS Config rules, CloudWatch alarms and SNS topics. Every one in the stack is counted,
 * whatever declared it.
 */
import { KMS_BILLED_ROTATIONS, PRICES } from "./prices";
import { DAYS_PER_MONTH } from "./schedule";
import type { TableInstance } from "./tables";
import type { CostResource, FixedCost } from "./types";

/**
 * AWS managed rules that run on a schedule (24 hours unless `maximumExecutionFrequency` says other);
 * the others run when a table's configuration changes (AWS Config Developer Guide, each rule's
 * "Trigger type").
 */
export const PERIODIC_MANAGED_RULES: ReadonlySet<string> = new Set(["DYNAMODB_IN_BACKUP_PLAN"]);

const FREQUENCY_HOURS: Record<string, number> = {
    One_Hour: 1,
    Three_Hours: 3,
    Six_Hours: 6,
    Twelve_Hours: 12,
    TwentyFour_Hours: 24,
};

const DYNAMODB_TABLE = "AWS::DynamoDB::Table";
const round = (usd: number) => Math.round(usd * 1e4) / 1e4;

function kmsKey(r: CostResource): FixedCost {
    const rotating = r.inputs.enableKeyRotation === true;
    const rotations = rotating ? KMS_BILLED_ROTATIONS : 0;
    return {
        kind: "kms-key",
        name: r.name,
        urn: r.urn,
        monthly: PRICES.kmsKeyMonth.usd + rotations * PRICES.kmsRotationMonth.usd,
        basis: rotating
            ? `key $${PRICES.kmsKeyMonth.usd} + ${rotations} billed rotations; $${PRICES.kmsKeyMonth.usd} in its first rotation period`
            : `key $${PRICES.kmsKeyMonth.usd}, no rotation`,
    };
}

/** The stack's tables an AWS Config rule's scope covers, in the rule's Region. */
function tablesInScope(rule: CostResource, tables: readonly TableInstance[], defaultRegion?: string): number {
    const scope = (rule.inputs.scope ?? {}) as Record<string, unknown>;
    const region = typeof rule.inputs.region === "string" ? rule.inputs.region : defaultRegion;
    const types = Array.isArray(scope.complianceResourceTypes) ? scope.complianceResourceTypes : undefined;
    if (types && !types.includes(DYNAMODB_TABLE)) return 0;
    // An AWS managed rule checks the resource type it is written for: DynamoDB's start with DYNAMODB_.
    const source = (rule.inputs.source ?? {}) as Record<string, unknown>;
    if (!types && source.owner === "AWS" && !String(source.sourceIdentifier).startsWith("DYNAMODB_"))
        return 0;
    return tables.filter((t) => {
        if (t.region !== region) return false;
        if (typeof scope.tagKey !== "string") return true;
        const value = t.tags[scope.tagKey];
        return value !== undefined && (typeof scope.tagValue !== "string" || value === scope.tagValue);
    }).length;
}

function configRule(
    r: CostResource,
    tables: readonly TableInstance[],
    changesPerTableMonth: number,
    defaultRegion?: string,
): FixedCost {
    const source = (r.inputs.source ?? {}) as Record<string, unknown>;
    const frequency = r.inputs.maximumExecutionFrequency;
    const hours =
        typeof frequency === "string"
            ? FREQUENCY_HOURS[frequency]
            : PERIODIC_MANAGED_RULES.has(String(source.sourceIdentifier))
              ? 24
              : undefined;
    const perTable = hours ? (24 / hours) * DAYS_PER_MONTH : changesPerTableMonth;
    const count = tablesInScope(r, tables, defaultRegion);
    const evaluations = count * perTable;
    return {
        kind: "config-rule",
        name: r.name,
        urn: r.urn,
        monthly: round(evaluations * PRICES.configRuleEvaluation.usd),
        basis:
            `${count} table(s) in scope × ` +
            (hours
                ? `an evaluation every ${hours} h`
                : `${changesPerTableMonth} configuration change(s) a month`) +
            ` = ${Math.round(evaluations * 10) / 10} evaluations`,
    };
}

/**
 * A metric alarm is billed per metric it watches (each metric of a metric-math alarm), at three times
 * the price when its period is under a minute (high resolution).
 */
function metricAlarm(r: CostResource): FixedCost {
    const queries = Array.isArray(r.inputs.metricQueries)
        ? (r.inputs.metricQueries as Array<Record<string, unknown>>)
        : [];
    const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined) : [r.inputs];
    const periods = metrics.map((m) => {
        const metric = (m.metric ?? m) as Record<string, unknown>;
        return typeof metric.period === "number" ? metric.period : 60;
    });
    const high = periods.filter((p) => p < 60).length;
    const standard = periods.length - high;
    return {
        kind: "cloudwatch-alarm",
        name: r.name,
        urn: r.urn,
        monthly: round(
            standard * PRICES.cloudWatchAlarmMetricMonth.usd +
                high * PRICES.cloudWatchHighResolutionAlarmMetricMonth.usd,
        ),
        basis: `${standard} standard-resolution and ${high} high-resolution metric(s)`,
    };
}

/** Every fixed cost in the stack, in the order the resources were registered. */
export function fixedCosts(
    resources: readonly CostResource[],
    tables: readonly TableInstance[],
    options: { configChangesPerTableMonth: number; defaultRegion?: string },
): FixedCost[] {
    const out: FixedCost[] = [];
    for (const r of resources) {
        switch (r.type) {
            case "aws:kms/key:Key":
            case "aws-native:kms:Key":
                out.push(kmsKey(r));
                break;
            case "aws:kms/replicaKey:ReplicaKey":
                out.push({
                    kind: "kms-key",
                    name: r.name,
                    urn: r.urn,
                    monthly: PRICES.kmsKeyMonth.usd,
                    basis: `replica key $${PRICES.kmsKeyMonth.usd}`,
                });
                break;
            case "aws:cloudwatch/eventRule:EventRule":
                out.push({
                    kind: "eventbridge-rule",
                    name: r.name,
                    urn: r.urn,
                    monthly: PRICES.eventBridgeRuleMonth.usd,
                    basis: "AWS service events on the default bus are free",
                });
                break;
            case "aws:cfg/rule:Rule":
                out.push(configRule(r, tables, options.configChangesPerTableMonth, options.defaultRegion));
                break;
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                out.push(metricAlarm(r));
                break;
            case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
                out.push({
                    kind: "cloudwatch-alarm",
                    name: r.name,
                    urn: r.urn,
                    monthly: PRICES.cloudWatchCompositeAlarmMonth.usd,
                    basis: "a composite alarm",
                });
                break;
            case "aws:sns/topic:Topic":
                out.push({
                    kind: "sns-topic",
                    name: r.name,
                    urn: r.urn,
                    monthly: PRICES.snsTopicMonth.usd,
                    basis: "a topic is free; rare alerts stay in the free tier",
                });
                break;
        }
    }
    return out;
}
