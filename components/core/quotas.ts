/**
 * The AWS default quotas that protecting a fleet of tables meets, each with the document it comes
 * from. The fleet test (tests/components/baseline/fleetQuotas.spec.ts) builds 1,000 production tables and
 * checks every count against this table; `check` users can read it to size a platform.
 *
 * Quotas are per account and Region unless `scope` says otherwise. Many are adjustable; these are the
 * defaults a new account starts with, which is what a platform must fit without a support ticket.
 */

/** One default quota. */
export interface AwsQuota {
    /** What is counted, in AWS's words. */
    readonly name: string;
    /** The default value. */
    readonly limit: number;
    /** What the count is taken over. */
    readonly scope:
        "account-region" | "account" | "event-bus" | "backup-plan" | "backup-selection" | "event-rule";
    /** Whether AWS raises it on request. */
    readonly adjustable: boolean;
    /** Where AWS documents it. */
    readonly source: string;
}

const EVENTBRIDGE_QUOTAS = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html";
const BACKUP_QUOTAS = "https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html";
const BACKUP_SELECTION = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html";

export const AWS_QUOTAS = {
    eventRulesPerBus: {
        name: "EventBridge rules per event bus",
        limit: 300,
        scope: "event-bus",
        adjustable: true,
        source: EVENTBRIDGE_QUOTAS,
    },
    eventRulesPerBusSmallRegions: {
        name: "EventBridge rules per event bus in af-south-1 and eu-south-1",
        limit: 100,
        scope: "event-bus",
        adjustable: true,
        source: EVENTBRIDGE_QUOTAS,
    },
    eventPatternCharacters: {
        name: "EventBridge event pattern size, in characters",
        limit: 2048,
        scope: "event-rule",
        adjustable: false,
        source: EVENTBRIDGE_QUOTAS,
    },
    wildcardRulesPerBus: {
        name: "EventBridge rules with wildcard filters per event bus",
        limit: 30,
        scope: "event-bus",
        adjustable: false,
        source: EVENTBRIDGE_QUOTAS,
    },
    targetsPerRule: {
        name: "EventBridge targets per rule",
        limit: 5,
        scope: "event-rule",
        adjustable: false,
        source: EVENTBRIDGE_QUOTAS,
    },
    backupPlans: {
        name: "AWS Backup plans per Region per account",
        limit: 300,
        scope: "account-region",
        adjustable: true,
        source: BACKUP_QUOTAS,
    },
    backupVaults: {
        name: "AWS Backup vaults per Region per account",
        limit: 300,
        scope: "account-region",
        adjustable: true,
        source: BACKUP_QUOTAS,
    },
    selectionsPerPlan: {
        name: "AWS Backup resource assignments (selections) per backup plan",
        limit: 100,
        scope: "backup-plan",
        adjustable: false,
        source: BACKUP_QUOTAS,
    },
    tagSelectionsPerPlan: {
        name: "AWS Backup resource selections that use tags, per backup plan",
        limit: 10,
        scope: "backup-plan",
        adjustable: false,
        source: BACKUP_QUOTAS,
    },
    tagsPerSelection: {
        name: "AWS Backup tags in a resource selection",
        limit: 30,
        scope: "backup-selection",
        adjustable: false,
        source: BACKUP_QUOTAS,
    },
    rulesPerPlan: {
        name: "AWS Backup rules per backup plan",
        limit: 10,
        scope: "backup-plan",
        adjustable: false,
        source: BACKUP_QUOTAS,
    },
    arnsPerSelection: {
        name: "ARNs in a backup selection's Resources or NotResources, without wildcards",
        limit: 500,
        scope: "backup-selection",
        adjustable: false,
        source: BACKUP_SELECTION,
    },
    wildcardArnsPerSelection: {
        name: "ARNs in a backup selection's Resources or NotResources, with wildcards",
        limit: 30,
        scope: "backup-selection",
        adjustable: false,
        source: BACKUP_SELECTION,
    },
    snsTopics: {
        name: "SNS standard topics per account",
        limit: 100_000,
        scope: "account",
        adjustable: true,
        source: "https://docs.aws.amazon.com/general/latest/gr/sns.html",
    },
    kmsKeys: {
        name: "KMS customer managed keys per Region per account",
        limit: 100_000,
        scope: "account-region",
        adjustable: true,
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html",
    },
    configRules: {
        name: "AWS Config rules per Region per account",
        limit: 1000,
        scope: "account-region",
        adjustable: true,
        source: "https://docs.aws.amazon.com/config/latest/developerguide/configlimits.html",
    },
} as const satisfies Record<string, AwsQuota>;

export type QuotaName = keyof typeof AWS_QUOTAS;

/** Regions whose event buses start with 100 rules rather than 300 (EventBridge quotas). */
export const SMALL_EVENT_BUS_REGIONS = ["af-south-1", "eu-south-1"] as const;

/** The default number of rules an event bus in `region` may hold. */
export function eventRulesPerBus(region: string | undefined): number {
    return region !== undefined && (SMALL_EVENT_BUS_REGIONS as readonly string[]).includes(region)
        ? AWS_QUOTAS.eventRulesPerBusSmallRegions.limit
        : AWS_QUOTAS.eventRulesPerBus.limit;
}
