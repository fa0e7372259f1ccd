/**
 * Configuration shared by the rules: which tables are production, and reading a policy's config with
 * its defaults. The Pulumi CLI fills schema defaults itself, but a policy must not rely on it (an
 * older CLI, or another client of the analyzer protocol, may send nothing), so each knob is read here
 * with its default and a wrong-typed value falls back to the default.
 */

/**
 * The tag that marks production tables; the component tags its production tables
 * `environment: production`. Keep in step with `components/core/constants.ts` (TIER_TAG_KEY): this pack is
 * published alone and cannot import it.
 */
export const PRODUCTION_TAG_KEY = "environment";
export const PRODUCTION_TAG_VALUES = ["prod", "production"];
/**
 * Stack names that start or end with `prod` or `production` as a word (`prod`, `prod-eu`,
 * `orders-prod`, `app.production`), but not `non-prod` or `pre-prod`. Broad on purpose: taking a
 * table for production by mistake costs a warning; missing one costs its data.
 */
export const PRODUCTION_STACK_NAME_PATTERN =
    "^(prod|production)([-_.].*)?$|^(?!.*(non|pre)[-_.]?prod).*[-_.](prod|production)$";

/** PITR recovery period limits: 1 to 35 days, 35 when not given (DynamoDB API Reference, PointInTimeRecoverySpecification). */
export const PITR_MAX_DAYS = 35;
export const PITR_DEFAULT_DAYS = 35;

export interface ProductionConfig {
    /** Tag keys (case-insensitive) whose value marks a table's environment. */
    readonly productionTagKeys: string[];
    /** Values (case-insensitive) of those tags that mean production. */
    readonly productionTagValues: string[];
    /** A regular expression (case-insensitive) that production stack names match; empty to ignore names. */
    readonly productionStackNamePattern: string;
    /** Treat every table as production. */
    readonly allTablesAreProduction: boolean;
}

export const PRODUCTION_DEFAULTS: ProductionConfig = {
    productionTagKeys: [PRODUCTION_TAG_KEY],
    productionTagValues: PRODUCTION_TAG_VALUES,
    productionStackNamePattern: PRODUCTION_STACK_NAME_PATTERN,
    allTablesAreProduction: false,
};

/** JSON schema for the production knobs, included in every rule's `configSchema`. */
export const productionConfigSchema = {
    productionTagKeys: {
        type: "array",
        items: { type: "string" },
        default: PRODUCTION_DEFAULTS.productionTagKeys,
        description:
            "Tag keys (case-insensitive) read from the table's tags, the AWS provider's defaultTags, and the stack's tags.",
    },
    productionTagValues: {
        type: "array",
        items: { type: "string" },
        default: PRODUCTION_DEFAULTS.productionTagValues,
        description: "Tag values (case-insensitive) that mark a production table.",
    },
    productionStackNamePattern: {
        type: "string",
        default: PRODUCTION_DEFAULTS.productionStackNamePattern,
        description:
            "Regular expression (case-insensitive) matched against the stack name; every table of a matching stack is production. Empty to ignore stack names.",
    },
    allTablesAreProduction: {
        type: "boolean",
        default: PRODUCTION_DEFAULTS.allTablesAreProduction,
        description: "Treat every DynamoDB table as production.",
    },
} as const;

/** One knob's JSON schema: its type, default and description (plus limits such as `minimum`). */
export interface KnobSchema {
    readonly type: string;
    readonly default: unknown;
    readonly description: string;
    readonly [extra: string]: unknown;
}

type Schema = { readonly [knob: string]: KnobSchema };

/** Reads `raw` against `schema`: each knob of the right JSON type, else its default. */
export function readConfig<T>(raw: unknown, schema: Schema): T {
    const out: Record<string, unknown> = {};
    const given = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    for (const [knob, spec] of Object.entries(schema)) {
        const v = given[knob];
        out[knob] = hasType(v, spec.type) ? v : spec.default;
    }
    return out as T;
}

function hasType(v: unknown, type: string): boolean {
    switch (type) {
        case "array":
            return Array.isArray(v) && v.every((x) => typeof x === "string");
        case "integer":
            return typeof v === "number" && Number.isInteger(v);
        case "number":
            return typeof v === "number" && Number.isFinite(v);
        default:
            return typeof v === type;
    }
}
