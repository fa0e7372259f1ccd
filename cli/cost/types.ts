/**
 * The shapes of a cost estimate: what it reads (resources as a program registers them) and what it
 * reports (per table, per backup rule, fixed items, totals). Shared by the estimator, the formatter
 * and `check`'s JSON and SARIF output.
 */

/** A resource as the mock runtime captured it; only what the estimate reads. */
export interface CostResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The id the engine would record; empty or absent during a preview. */
    readonly id?: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    /** For each input, the URNs of the resources its value came from (how unknown ARNs are traced). */
    readonly propertyDependencies?: Record<string, string[]>;
}

/** The recovery points one backup rule (or one of its copy actions) keeps of one table. */
export interface BackupRuleCost {
    /** The backup plan's resource name. */
    plan: string;
    rule: string;
    schedule: string;
    /** Where copies go, for a copy action's recovery points; absent for the rule's own. */
    copyTo?: string;
    /** A copy to a logically air-gapped vault: priced at the air-gapped rate, never cold. */
    airGapped?: boolean;
    /** Recovery points the rule makes a month, on average. */
    backupsPerMonth: number;
    /** Recovery points kept in warm and in cold storage once the retention is full (steady state). */
    warmRecoveryPoints: number;
    coldRecoveryPoints: number;
    /** True when the rule deletes nothing (no `deleteAfter`): the figures are those after 12 months. */
    growing: boolean;
    warmMonthly: number;
    coldMonthly: number;
    monthly: number;
}

/** What one table (or one replica of a global table) costs to protect, a month. */
export interface TableCost {
    /** The table's resource name; a replica's is `<table> replica <region>`. */
    name: string;
    /** The physical table name, when known before deployment. */
    tableName?: string;
    urn: string;
    region?: string;
    /** For a replica, the Region of the table it replicates. */
    replicaOf?: string;
    sizeGb: number;
    pitr: boolean;
    pitrMonthly: number;
    backups: BackupRuleCost[];
    /** True when an AWS Organizations backup policy selects the table (its recovery points are not costed). */
    organizationBackupPolicy?: boolean;
    backupMonthly: number;
    monthly: number;
}

export type FixedCostKind = "kms-key" | "eventbridge-rule" | "config-rule" | "cloudwatch-alarm" | "sns-topic";

/** A resource with a cost of its own, whatever the tables' size. */
export interface FixedCost {
    kind: FixedCostKind;
    name: string;
    urn: string;
    monthly: number;
    /** How the figure was reached, e.g. "1 key + 2 billed rotations". */
    basis: string;
}

/** Selections whose plan is not in this stack, or that select no table: worth knowing, not costed. */
export interface UncostedSelection {
    name: string;
    urn: string;
    reason: string;
}

export interface CostReport {
    currency: "USD";
    /** The Region and date of the prices (cli/cost/prices.ts, docs/cost.md). */
    prices: { region: string; asOf: string };
    assumptions: {
        /** The size assumed for every table (`--table-size-gb`). */
        tableSizeGb: number;
        /** Configuration changes a month assumed per table, for change-triggered AWS Config rules. */
        configChangesPerTableMonth: number;
    };
    tables: TableCost[];
    fixed: FixedCost[];
    uncosted: UncostedSelection[];
    totals: { pitr: number; backups: number; fixed: number; monthly: number };
    /** What the figures leave out or assume, in sentences. */
    notes: string[];
    /** The page with the price table, its sources and what is left out: this package's docs/cost.md, as a path from the working directory. */
    pricesDoc?: string;
}
