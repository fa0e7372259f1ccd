/**
 * What a state check counts and how it configures the pack: tables by the pack's own facts and
 * decisions, and the policy levels (`remediate` read as `mandatory`).
 */
import { TABLE_TYPES } from "../../policies/dynamodb/engine/tableFacts";
import { decideProduction } from "../../policies/dynamodb/engine/production";
import { decidePitr, pitrRule } from "../../policies/dynamodb/rules/requirePitr";
import { readRuleConfig } from "../../policies/dynamodb/crossguard/tableRule";
import { tablesOf } from "../../policies/dynamodb/facts/tables";
import { RawPolicyConfig, resolvePolicyConfig } from "../analyzer/policyConfig";
import type { AnalyzerInfo, PolicyConfig, Resource } from "../analyzer/types";
import { plain } from "./convert";

/** The policy whose configuration (what makes a table production) the census reads. */
export const PITR_POLICY = "dynamodb-production-table-pitr-enabled";

/** What the summary counts for one stack. */
export interface TableCensus {
    /** DynamoDB tables (a replica of a global table counts as its own table). */
    tables: number;
    /** Tables the pack's production rules treat as production (unknown counts as not). */
    production: number;
    /** Production tables whose PITR is known to be off. */
    productionWithoutPitr: number;
}

/**
 * Counts tables with the pack's own facts and decisions (`tablesOf`, `decideProduction`,
 * `decidePitr`), under the PITR rule's configuration, so that the numbers agree with the violations.
 */
export function tableCensus(
    resources: Resource[],
    pitrConfig: unknown,
    stackTags: Record<string, string> = {},
): TableCensus {
    const config = readRuleConfig(pitrConfig, pitrRule.schema);
    const tags = new Map(Object.entries(stackTags));
    const census: TableCensus = { tables: 0, production: 0, productionWithoutPitr: 0 };
    for (const r of resources) {
        if (!TABLE_TYPES.includes(r.type)) continue;
        for (const table of tablesOf({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: plain(r.properties),
            protect: r.options?.protect,
            providerProps: r.provider ? plain(r.provider.properties) : undefined,
        })) {
            census.tables++;
            if (decideProduction(table, config, { stackTags: tags }).production !== true) continue;
            census.production++;
            if (decidePitr(table).outcome === "non-compliant") census.productionWithoutPitr++;
        }
    }
    return census;
}

/**
 * Policy configuration for a state check: `remediate` becomes `mandatory`, because a state cannot be
 * changed by a check; what a remediation would fix in a preview is a violation of the live stack.
 */
export function stateLevels(
    info: AnalyzerInfo,
    config: RawPolicyConfig | undefined,
): Record<string, PolicyConfig> {
    const out: Record<string, PolicyConfig> = resolvePolicyConfig(info, config);
    for (const c of Object.values(out))
        if (c.enforcementLevel === "remediate") c.enforcementLevel = "mandatory";
    return out;
}
