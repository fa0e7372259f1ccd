/**
 * Facts the component relies on, each with the AWS document it comes from. The policy pack keeps its
 * own copy of the tag contract (it is published alone, without this folder); both sides must agree.
 */

/**
 * The tag that marks a table's environment tier. Production tables carry `environment: production`,
 * which the policy pack (`policies/`) reads by default to decide that a table is production.
 */
export const TIER_TAG_KEY = "environment";

/** The environment tiers a table can belong to. */
export const TIERS = ["production", "staging", "development"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * PITR recovery period: a whole number of days from 1 to 35, 35 when not given.
 * DynamoDB API Reference, PointInTimeRecoverySpecification (RecoveryPeriodInDays).
 */
export const PITR_MIN_DAYS = 1;
export const PITR_MAX_DAYS = 35;
export const PITR_DEFAULT_DAYS = 35;

/**
 * Table names: 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`.
 * DynamoDB API Reference, CreateTable (TableName).
 */
export const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;

/** Attribute types a key attribute may have. DynamoDB API Reference, AttributeDefinition. */
export const KEY_ATTRIBUTE_TYPES = ["S", "N", "B"] as const;

export const BILLING_MODES = ["PAY_PER_REQUEST", "PROVISIONED"] as const;
export const TABLE_CLASSES = ["STANDARD", "STANDARD_INFREQUENT_ACCESS"] as const;
export const STREAM_VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] as const;
export const PROJECTION_TYPES = ["ALL", "KEYS_ONLY", "INCLUDE"] as const;

/**
 * Global tables (version 2019.11.21) replicate through DynamoDB Streams and need the stream on with
 * `NEW_AND_OLD_IMAGES`. DynamoDB Developer Guide, "Global tables: how it works".
 */
export const REPLICA_STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES";
