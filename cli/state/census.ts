/**
 * What a state check counts and how it configures the pack: one row per table from the pack's own
 * reading of the stack and its own decisions, and the policy levels (`remediate` read as `mandatory`).
 *
 * The rows are the verdicts' twin: production-ness is resolved as the pack's stack checks resolve it
 * (Tag resources, replicas, restores, the stack's name and tags: `StackReading.resolve`), PITR is the
 * PITR rule's decision, and backup coverage is the backup rule's own judgement (`judgeBackups`), so a
 * table counts as "in a backup plan" only when a program, template or organization selection covers
 * it. `selfCheck.ts` then checks the rows against the diagnostics and fails closed if they disagree.
 */
import { PolicyResource } from "@pulumi/policy";
import { TableFacts } from "../../policies/dynamodb/engine/tableFacts";
import { readStackNow } from "../../policies/dynamodb/crossguard/stackReading";
import { readRuleConfig } from "../../policies/dynamodb/crossguard/tableRule";
import { decidePitr, pitrRule } from "../../policies/dynamodb/rules/requirePitr";
import { judgeBackups } from "../../policies/dynamodb/rules/requireBackupPlan";
import { RawPolicyConfig, resolvePolicyConfig } from "../analyzer/policyConfig";
import type { AnalyzerInfo, PolicyConfig, Resource } from "../analyzer/types";
import { plain } from "./convert";

/** The policy whose configuration (what makes a table production) the census reads. */
export const PITR_POLICY = "dynamodb-production-table-pitr-enabled";
/** The policy whose judgement says whether a table is in a backup plan. */
export const BACKUP_POLICY = "dynamodb-production-table-in-backup-plan";

/** One table as the pack's decisions see it. */
export interface CensusRow {
    /** How the pack names it, e.g. "table `orders` (aws:dynamodb/table:Table)". */
    subject: string;
    urn: string;
    production: boolean | "unknown";
    /** Why it is (or is not) production, as the pack decides it with the whole stack in view. */
    productionReason: string;
    pitr: "enabled" | "disabled" | "unknown" | "n/a";
    /**
     * The backup rule's judgement: `covered` by a selection (program, template, organization or one
     * the configuration names), `not-covered`, `cannot-verify`, or `not-checked` (not a production
     * table, a replica judged with its table, or a table that cannot be read).
     */
    backupPlan: "covered" | "not-covered" | "cannot-verify" | "not-checked";
    /** True only when the backup rule found a selection that covers it. */
    inBackupPlan: boolean;
    /** The pack could not verify something about it (an unknown or encrypted value). */
    cannotVerify: boolean;
}

/** What the summary counts for one stack. */
export interface TableCensus {
    /** DynamoDB tables (a replica of a global table counts as its own table). */
    tables: number;
    /** Tables the pack's production rules treat as production (unknown counts as not). */
    production: number;
    /** Production tables whose PITR is known to be off. */
    productionWithoutPitr: number;
    /** Production tables (to the backup rule's own knobs) it found no selection for. */
    productionWithoutBackups: number;
    /** Tables the pack could not verify something about. */
    cannotVerify: number;
}

/** The list CrossGuard's `resources` would hold, as plain values (no unknown-checking proxies). */
function policyResources(resources: readonly Resource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((r) => {
        const resource = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: plain(r.properties) as Record<string, unknown>,
            opts: { protect: r.options?.protect ?? false },
            provider: r.provider ? { props: plain(r.provider.properties) } : undefined,
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        const b = built[i] as unknown as {
            dependencies: PolicyResource[];
            propertyDependencies: Record<string, PolicyResource[]>;
        };
        // As CrossGuard links them: a URN that is not a resource of the stack is left out.
        const find = (urns: readonly string[]) =>
            urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        b.dependencies = find(r.dependencies ?? []);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {}))
            b.propertyDependencies[k] = find(urns);
    });
    return built;
}

/** A policy's settings as `getConfig` hands them to it: its configuration less the level. */
function settings(config: PolicyConfig | undefined): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { enforcementLevel, ...rest } = config ?? {};
    return rest;
}

function pitrState(table: TableFacts): CensusRow["pitr"] {
    const pitr = decidePitr(table).outcome;
    return pitr === "compliant"
        ? "enabled"
        : pitr === "non-compliant"
          ? "disabled"
          : pitr === "unverifiable"
            ? "unknown"
            : "n/a";
}

/**
 * One row per table of the stack, in the stack's order, from the pack's reading and decisions under
 * the check's configuration (`stateLevels`): the PITR rule's knobs decide production-ness, the backup
 * rule's its coverage.
 */
export function censusRows(
    resources: readonly Resource[],
    config: Record<string, PolicyConfig | undefined>,
    stackTags: Record<string, string> = {},
): CensusRow[] {
    const tags = new Map(Object.entries(stackTags));
    const reading = readStackNow(policyResources(resources));
    const pitrConfig = readRuleConfig(settings(config[PITR_POLICY]), pitrRule.schema);
    const { productionOf } = reading.resolve(pitrConfig, tags);
    const backups = judgeBackups(reading, settings(config[BACKUP_POLICY]), tags);
    const rows: CensusRow[] = [];
    for (const input of reading.inputs) {
        for (const table of input.tables) {
            const production = productionOf(table);
            const pitr = pitrState(table);
            const judgement = backups.get(table);
            // As the backup rule reports it: production it cannot tell is "cannot verify", whatever
            // the selections say.
            const outcome = judgement?.decision.outcome;
            const judged =
                judgement?.production.production === "unknown" && outcome !== "compliant"
                    ? "unverifiable"
                    : outcome;
            const backupPlan =
                judged === "compliant"
                    ? "covered"
                    : judged === "non-compliant"
                      ? "not-covered"
                      : judged === "unverifiable"
                        ? "cannot-verify"
                        : "not-checked";
            rows.push({
                subject: table.subject,
                urn: table.urn,
                production: production.production,
                productionReason: production.reason,
                pitr,
                backupPlan,
                inBackupPlan: backupPlan === "covered",
                cannotVerify:
                    table.cannotVerify !== undefined ||
                    production.production === "unknown" ||
                    pitr === "unknown" ||
                    backupPlan === "cannot-verify",
            });
        }
    }
    return rows;
}

/** Adds up a stack's rows. Pure. */
export function countRows(rows: readonly CensusRow[]): TableCensus {
    const production = rows.filter((r) => r.production === true);
    return {
        tables: rows.length,
        production: production.length,
        productionWithoutPitr: production.filter((r) => r.pitr === "disabled").length,
        productionWithoutBackups: rows.filter((r) => r.backupPlan === "not-covered").length,
        cannotVerify: rows.filter((r) => r.cannotVerify).length,
    };
}

/** The census of one stack's resources (see `censusRows`). */
export function tableCensus(
    resources: readonly Resource[],
    config: Record<string, PolicyConfig | undefined> = {},
    stackTags: Record<string, string> = {},
): TableCensus {
    return countRows(censusRows(resources, config, stackTags));
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
