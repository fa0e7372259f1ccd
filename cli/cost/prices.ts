/**
 * The prices the cost estimate uses: US East (N. Virginia), in US dollars, as AWS publishes them.
 * They ship with the package so that `check` makes no network call; each says where it comes from and
 * when it was read. Other Regions cost more or less (DynamoDB and AWS Backup storage usually somewhat
 * more outside US East): the figures are an estimate for comparing designs, not a bill.
 *
 * The same table, with what each price covers, is in docs/cost.md; keep the two together.
 */

/** When the prices were read from the AWS pages below. */
export const PRICES_AS_OF = "2026-11";
/** The Region the prices are for. */
export const PRICE_REGION = "us-east-1";

export interface Price {
    /** US dollars per `unit`. */
    readonly usd: number;
    readonly unit: string;
    /** What the price is for, in a few words. */
    readonly label: string;
    /** The AWS page the price comes from. */
    readonly source: string;
    /**
     * Whether the figure was read on an AWS page (its rendered text or the AWS documentation), or only
     * in secondary sources that quote it; see docs/cost.md.
     */
    readonly confirmed: boolean;
}

const DYNAMODB_PRICING = "https://aws.amazon.com/dynamodb/pricing/on-demand/";
const BACKUP_PRICING = "https://aws.amazon.com/backup/pricing/";

export const PRICES = {
    /**
     * Continuous backups (PITR): per GB-month of table size, table data and local secondary indexes
     * included; the recovery period (1 to 35 days) does not change the price (DynamoDB Developer
     * Guide, "Enable point-in-time recovery": "The cost remains the same regardless of the recovery
     * period you choose").
     */
    pitrGbMonth: {
        usd: 0.2,
        unit: "GB-month",
        label: "DynamoDB continuous backups (PITR), per GB of table size",
        source: DYNAMODB_PRICING,
        confirmed: false,
    },
    /**
     * A DynamoDB backup in warm storage, per GB-month. Each DynamoDB backup is a full copy of the table
     * (DynamoDB Developer Guide, "Backing up and restoring DynamoDB tables with AWS Backup": "Each time
     * you create an on-demand backup, the entire table data is backed up"); advanced DynamoDB backup
     * does not change the warm price (AWS Backup Developer Guide, "Advanced DynamoDB backup").
     */
    backupWarmGbMonth: {
        usd: 0.1,
        unit: "GB-month",
        label: "DynamoDB backup, warm storage",
        source: BACKUP_PRICING,
        confirmed: false,
    },
    /**
     * A DynamoDB backup in cold storage (advanced DynamoDB backup only), per GB-month; billed for at
     * least 90 days (AWS Backup pricing: "Backups that are transitioned to Cold Storage have a minimum
     * 90 days of storage").
     */
    backupColdGbMonth: {
        usd: 0.03,
        unit: "GB-month",
        label: "DynamoDB backup, cold storage (90-day minimum)",
        source: BACKUP_PRICING,
        confirmed: false,
    },
    /**
     * A DynamoDB recovery point in a logically air-gapped vault, per GB-month. AWS lists it on the AWS
     * Backup pricing page ("You can view the storage pricing for backups of supported services in a
     * logically air-gapped vault on the AWS Backup pricing page", AWS Backup Developer Guide,
     * "Logically air-gapped vault"); the figure could not be read there offline, so the warm price
     * stands in until it is. Change it here (and in docs/cost.md) when you know your Region's.
     */
    backupAirGappedGbMonth: {
        usd: 0.1,
        unit: "GB-month",
        label: "DynamoDB backup in a logically air-gapped vault",
        source: BACKUP_PRICING,
        confirmed: false,
    },
    /** A customer-managed KMS key, each primary and each multi-Region replica key (AWS KMS pricing). */
    kmsKeyMonth: {
        usd: 1,
        unit: "key-month",
        label: "KMS customer-managed key",
        source: "https://aws.amazon.com/kms/pricing/",
        confirmed: true,
    },
    /**
     * Each rotation of a key adds a backing key at this price, for the first two rotations only: since
     * April 2024 a key's price stops rising after its second rotation (AWS KMS pricing; AWS Security
     * Blog, "The curious case of faster AWS KMS symmetric key rotation").
     */
    kmsRotationMonth: {
        usd: 1,
        unit: "rotation-month",
        label: "KMS key rotation, first two rotations",
        source: "https://aws.amazon.com/kms/pricing/",
        confirmed: true,
    },
    /**
     * AWS management events (CloudTrail-recorded API calls, AWS Backup job changes) reach the default
     * event bus for free, and a rule costs nothing to exist; same-account delivery to SNS carries no
     * EventBridge charge (Amazon EventBridge pricing, "AWS management events are ingested by the
     * event bus for free").
     */
    eventBridgeRuleMonth: {
        usd: 0,
        unit: "rule-month",
        label: "EventBridge rule on AWS service events",
        source: "https://aws.amazon.com/eventbridge/pricing/",
        confirmed: true,
    },
    /**
     * An AWS Config rule evaluation, first 100,000 per account and Region a month ($0.0008 for the
     * next 400,000, $0.0005 beyond). The recorder's configuration items ($0.003 each) are billed to
     * the account's recorder, which this stack does not own.
     */
    configRuleEvaluation: {
        usd: 0.001,
        unit: "evaluation",
        label: "AWS Config rule evaluation (first 100,000 a month)",
        source: "https://aws.amazon.com/config/pricing/",
        confirmed: false,
    },
    /**
     * A CloudWatch metric alarm at standard resolution (a period of 60 seconds or more), per metric it
     * watches; high-resolution alarms (a period under 60 seconds) cost three times as much, and a
     * composite alarm $0.50 (Amazon CloudWatch pricing, "Alarms").
     */
    cloudWatchAlarmMetricMonth: {
        usd: 0.1,
        unit: "alarm metric-month",
        label: "CloudWatch metric alarm, standard resolution, per metric",
        source: "https://aws.amazon.com/cloudwatch/pricing/",
        confirmed: false,
    },
    cloudWatchHighResolutionAlarmMetricMonth: {
        usd: 0.3,
        unit: "alarm metric-month",
        label: "CloudWatch metric alarm, high resolution, per metric",
        source: "https://aws.amazon.com/cloudwatch/pricing/",
        confirmed: false,
    },
    cloudWatchCompositeAlarmMonth: {
        usd: 0.5,
        unit: "alarm-month",
        label: "CloudWatch composite alarm",
        source: "https://aws.amazon.com/cloudwatch/pricing/",
        confirmed: false,
    },
    /**
     * An SNS topic costs nothing to exist; publishes (first million a month free) and deliveries
     * (email: first 1,000 a month free) are billed per use, and alerts are rare (Amazon SNS pricing).
     */
    snsTopicMonth: {
        usd: 0,
        unit: "topic-month",
        label: "SNS topic (alerts within the free tier)",
        source: "https://aws.amazon.com/sns/pricing/",
        confirmed: false,
    },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/** The minimum number of days AWS Backup bills a recovery point moved to cold storage for. */
export const COLD_STORAGE_MINIMUM_DAYS = 90;
/** Rotations AWS KMS bills a key for; later ones are free. */
export const KMS_BILLED_ROTATIONS = 2;
