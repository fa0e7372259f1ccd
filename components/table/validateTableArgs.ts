/**
 * Pure validation of {@link ResilientTableArgs}: runs before any child resource exists, reports every
 * problem at once, and never throws on odd input (wrong types, `Output`s). Values that are not known
 * yet (an `Output` or a `Promise`) are skipped here and checked by {@link checkRecoveryPeriod} and
 * {@link checkTableName} once they resolve.
 */
import {
    BILLING_MODES,
    KEY_ATTRIBUTE_TYPES,
    PROJECTION_TYPES,
    REPLICA_STREAM_VIEW_TYPE,
    STREAM_VIEW_TYPES,
    TABLE_CLASSES,
    TABLE_NAME_PATTERN,
    TIER_TAG_KEY,
    TIERS,
} from "../core/constants";
import { MANAGED_TABLE_FIELDS, ResilientTableArgs } from "./types";
import { argKeyProblems } from "../core/argKeys";
import { ArgProblem, isKnown, show } from "../core/problems";
import { REGION_PATTERN } from "../core/regions";
import { checkRecoveryPeriod } from "../core/recoveryPeriod";
import { ARG_SHAPES } from "../shapes/argShapes";

/** Context the arguments alone do not give. */
export interface ValidationContext {
    /** The Region of the AWS provider (`aws:region`), when known. */
    readonly providerRegion?: string;
}

function oneOf(list: readonly string[]): string {
    return list.map((v) => `"${v}"`).join(", ");
}

/** Checks a physical table name once it is known. */
export function checkTableName(value: unknown, path = "name"): ArgProblem[] {
    if (value === undefined) return [];
    if (typeof value !== "string" || !TABLE_NAME_PATTERN.test(value)) {
        const length = typeof value === "string" ? ` (${value.length} characters)` : "";
        return [
            {
                propertyPath: path,
                reason:
                    `\`${path}\` is ${show(value)}${length}; a table name must be 3 to 255 characters of ` +
                    "a-z, A-Z, 0-9, `_`, `-` and `.`. Fix: choose such a name, or leave it unset to let " +
                    "Pulumi generate one.",
            },
        ];
    }
    return [];
}

/**
 * Every problem with a table's arguments, in a stable order. An empty list means the arguments are
 * valid as far as can be told before deployment.
 */
export function validateTableArgs(args: ResilientTableArgs, context: ValidationContext = {}): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });

    if (args === null || typeof args !== "object") {
        add(
            "args",
            `the arguments are ${show(args)}; pass an object with at least \`hashKey\` and \`attributes\`.`,
        );
        return problems;
    }

    const tier = args.tier ?? "production";
    if (!(TIERS as readonly string[]).includes(tier)) {
        add(
            "tier",
            `\`tier\` is ${show(tier)}; it must be one of ${oneOf(TIERS)}. Fix: pick one, or leave it unset for "production".`,
        );
    }
    const production = tier === "production";

    // Protection that production tables may not give up.
    if (args.dangerouslyDisablePointInTimeRecovery === true && production) {
        add(
            "dangerouslyDisablePointInTimeRecovery",
            "`dangerouslyDisablePointInTimeRecovery` is true on a production table; PITR cannot be turned off " +
                'in production. Fix: remove it, or set `tier` to "staging" or "development" if this is not production data.',
        );
    }
    if (args.deletionProtectionEnabled === false && production) {
        add(
            "deletionProtectionEnabled",
            "`deletionProtectionEnabled` is false on a production table; production tables always have deletion " +
                "protection. Fix: remove it, or set `tier` to a non-production tier.",
        );
    }
    if (args.encryption !== undefined && !["customer-managed", "aws-owned"].includes(args.encryption)) {
        add(
            "encryption",
            `\`encryption\` is ${show(args.encryption)}; it must be "customer-managed" or "aws-owned".`,
        );
    } else if (args.encryption === "aws-owned" && production) {
        add(
            "encryption",
            '`encryption` is "aws-owned" on a production table; production tables are encrypted with a ' +
                "customer-managed KMS key. Fix: remove it (a key with rotation is created), or pass `kmsKeyArn`.",
        );
    }
    if (args.encryption === "aws-owned" && args.kmsKeyArn !== undefined) {
        add("kmsKeyArn", '`kmsKeyArn` is set while `encryption` is "aws-owned"; remove one of them.');
    }

    // Flags are read as truthy or `=== true`; a string such as "false" would mean the opposite of
    // what it says, so anything but a boolean is refused.
    for (const flag of [
        "dangerouslyDisablePointInTimeRecovery",
        "deletionProtectionEnabled",
        "dangerouslyAllowReplacement",
    ] as const) {
        const value: unknown = args[flag];
        if (value !== undefined && typeof value !== "boolean") {
            add(
                flag,
                `\`${flag}\` is ${show(value)}; it must be true or false. Fix: write the boolean without quotes, ` +
                    "or leave it unset.",
            );
        }
    }
    if (args.region !== undefined && (typeof args.region !== "string" || !REGION_PATTERN.test(args.region))) {
        add(
            "region",
            `\`region\` is ${show(args.region)}; it must be an AWS Region code such as "eu-west-1". Fix: set one, ` +
                "or leave it unset for the provider's Region.",
        );
    }

    checkRecoveryPeriodArg(args, add);
    if (isKnown(args.name)) problems.push(...checkTableName(args.name));

    // Keys, attributes and indexes.
    const attributes = Array.isArray(args.attributes) ? args.attributes : [];
    if (!Array.isArray(args.attributes)) {
        add(
            "attributes",
            `\`attributes\` is ${show(args.attributes)}; it must be a list of { name, type } for every key attribute, ` +
                'e.g. [{ name: "orderId", type: "S" }].',
        );
    }
    const declared = new Map<string, string>();
    attributes.forEach((attribute, i) => {
        const name = attribute?.name;
        if (typeof name !== "string" || name.length === 0) {
            add(
                `attributes[${i}].name`,
                `\`attributes[${i}].name\` is ${show(name)}; it must be a non-empty string.`,
            );
            return;
        }
        if (!(KEY_ATTRIBUTE_TYPES as readonly string[]).includes(attribute.type)) {
            add(
                `attributes[${i}].type`,
                `\`attributes[${i}].type\` of "${name}" is ${show(attribute.type)}; a key attribute is ` +
                    `${oneOf(KEY_ATTRIBUTE_TYPES)} (string, number, binary).`,
            );
        }
        if (declared.has(name)) {
            add(`attributes[${i}]`, `attribute "${name}" is declared twice in \`attributes\`; keep one.`);
        }
        declared.set(name, attribute.type);
    });

    const used = new Set<string>();
    const requireKey = (path: string, key: unknown, required: boolean) => {
        if (key === undefined && !required) return;
        if (typeof key !== "string" || key.length === 0) {
            add(path, `\`${path}\` is ${show(key)}; it must name an attribute declared in \`attributes\`.`);
            return;
        }
        used.add(key);
        if (Array.isArray(args.attributes) && !declared.has(key)) {
            add(
                path,
                `\`${path}\` is "${key}", which is not declared in \`attributes\`. Fix: add ` +
                    `{ name: "${key}", type: "S" | "N" | "B" } to \`attributes\`.`,
            );
        }
    };
    requireKey("hashKey", args.hashKey, true);
    requireKey("rangeKey", args.rangeKey, false);

    const billingMode = args.billingMode ?? "PAY_PER_REQUEST";
    const provisioned = billingMode === "PROVISIONED";
    if (!(BILLING_MODES as readonly string[]).includes(billingMode)) {
        add(
            "billingMode",
            `\`billingMode\` is ${show(billingMode)}; it must be one of ${oneOf(BILLING_MODES)}.`,
        );
    }
    checkCapacity("", args, provisioned, add);

    const indexNames = new Map<string, string>();
    const checkIndexName = (path: string, name: unknown) => {
        if (typeof name !== "string" || name.length === 0) {
            add(`${path}.name`, `\`${path}.name\` is ${show(name)}; every index needs a name.`);
            return;
        }
        const earlier = indexNames.get(name);
        if (earlier) {
            add(
                `${path}.name`,
                `index name "${name}" is used by both \`${earlier}\` and \`${path}\`; index names must be unique.`,
            );
        }
        indexNames.set(name, path);
    };
    const checkProjection = (
        path: string,
        index: { projectionType?: string; nonKeyAttributes?: string[] },
    ) => {
        const type = index.projectionType ?? "ALL";
        if (!(PROJECTION_TYPES as readonly string[]).includes(type)) {
            add(
                `${path}.projectionType`,
                `\`${path}.projectionType\` is ${show(type)}; it must be one of ${oneOf(PROJECTION_TYPES)}.`,
            );
        } else if (type !== "INCLUDE" && index.nonKeyAttributes && index.nonKeyAttributes.length > 0) {
            add(
                `${path}.nonKeyAttributes`,
                `\`${path}.nonKeyAttributes\` is set but \`projectionType\` is "${type}"; nonKeyAttributes need "INCLUDE".`,
            );
        }
    };
    listOf(args.globalSecondaryIndexes, "globalSecondaryIndexes", add).forEach((index, i) => {
        const path = `globalSecondaryIndexes[${i}]`;
        checkIndexName(path, index?.name);
        requireKey(`${path}.hashKey`, index?.hashKey, true);
        requireKey(`${path}.rangeKey`, index?.rangeKey, false);
        if (index) {
            checkProjection(path, index);
            checkCapacity(`${path}.`, index, provisioned, add);
        }
    });
    listOf(args.localSecondaryIndexes, "localSecondaryIndexes", add).forEach((index, i) => {
        const path = `localSecondaryIndexes[${i}]`;
        checkIndexName(path, index?.name);
        requireKey(`${path}.rangeKey`, index?.rangeKey, true);
        if (index) checkProjection(path, index);
        if (args.rangeKey === undefined) {
            add(
                path,
                `\`${path}\` needs the table to have a sort key; a local secondary index shares the partition key and ` +
                    "changes the sort key. Fix: set `rangeKey`, or use a global secondary index.",
            );
        }
    });
    for (const name of declared.keys()) {
        if (!used.has(name)) {
            add(
                "attributes",
                `attribute "${name}" is declared in \`attributes\` but no key or index uses it; DynamoDB rejects ` +
                    "unused attribute definitions. Fix: remove it (non-key attributes need no declaration).",
            );
        }
    }

    if (args.tableClass !== undefined && !(TABLE_CLASSES as readonly string[]).includes(args.tableClass)) {
        add(
            "tableClass",
            `\`tableClass\` is ${show(args.tableClass)}; it must be one of ${oneOf(TABLE_CLASSES)}.`,
        );
    }

    if (args.ttlAttribute !== undefined) {
        if (typeof args.ttlAttribute !== "string" || args.ttlAttribute.length === 0) {
            add(
                "ttlAttribute",
                `\`ttlAttribute\` is ${show(args.ttlAttribute)}; it must be an attribute name.`,
            );
        } else if (used.has(args.ttlAttribute)) {
            add(
                "ttlAttribute",
                `\`ttlAttribute\` is "${args.ttlAttribute}", a key attribute; TTL must use a separate Number ` +
                    "attribute holding an expiry time in epoch seconds, or expiring items would delete keys.",
            );
        }
    }

    if (
        args.streamViewType !== undefined &&
        !(STREAM_VIEW_TYPES as readonly string[]).includes(args.streamViewType)
    ) {
        add(
            "streamViewType",
            `\`streamViewType\` is ${show(args.streamViewType)}; it must be one of ${oneOf(STREAM_VIEW_TYPES)}.`,
        );
    }

    const region = args.region ?? context.providerRegion;
    const regions = new Set<string>();
    listOf(args.replicas, "replicas", add).forEach((replica, i) => {
        const path = `replicas[${i}].regionName`;
        const name = replica?.regionName;
        if (typeof name !== "string" || !REGION_PATTERN.test(name)) {
            add(path, `\`${path}\` is ${show(name)}; it must be an AWS Region code such as "eu-west-1".`);
            return;
        }
        if (region !== undefined && name === region) {
            add(
                path,
                `\`${path}\` is "${name}", the table's own Region; a replica must be in another Region. ` +
                    "Fix: remove it, or pick another Region.",
            );
        }
        if (regions.has(name))
            add(path, `\`${path}\` is "${name}", which is listed twice; keep one replica per Region.`);
        regions.add(name);
    });
    if (
        regions.size > 0 &&
        args.streamViewType !== undefined &&
        args.streamViewType !== REPLICA_STREAM_VIEW_TYPE
    ) {
        add(
            "streamViewType",
            `\`streamViewType\` is ${show(args.streamViewType)} but the table has replicas; global tables replicate ` +
                `through the stream and need "${REPLICA_STREAM_VIEW_TYPE}". Fix: remove it or set "${REPLICA_STREAM_VIEW_TYPE}".`,
        );
    }

    if (args.tags !== undefined) {
        if (args.tags === null || typeof args.tags !== "object" || Array.isArray(args.tags)) {
            add("tags", `\`tags\` is ${show(args.tags)}; it must be a map of tag names to string values.`);
        } else {
            for (const [key, value] of Object.entries(args.tags)) {
                if (typeof value !== "string") {
                    add(
                        `tags.${key}`,
                        `\`tags.${key}\` is ${show(value)}; tag values must be strings (AWS tags hold text only). ` +
                            "Fix: give the value as a string, or remove the tag.",
                    );
                }
            }
            const value = args.tags[TIER_TAG_KEY];
            if (value !== undefined && value !== tier) {
                add(
                    `tags.${TIER_TAG_KEY}`,
                    `\`tags.${TIER_TAG_KEY}\` is ${show(value)} but \`tier\` is "${tier}"; the component sets this tag ` +
                        `from the tier (the policy pack reads it). Fix: remove the tag, or set \`tier\`.`,
                );
            }
        }
    }

    if (
        args.tableArgs !== undefined &&
        (args.tableArgs === null || typeof args.tableArgs !== "object" || Array.isArray(args.tableArgs))
    ) {
        add(
            "tableArgs",
            `\`tableArgs\` is ${show(args.tableArgs)}; it must be an object of further \`aws.dynamodb.Table\` ` +
                "arguments, e.g. { onDemandThroughput: { maxReadRequestUnits: 100 } }. Fix: pass such an object, or remove it.",
        );
    } else if (args.tableArgs !== undefined) {
        for (const field of MANAGED_TABLE_FIELDS) {
            if (field in args.tableArgs) {
                add(
                    `tableArgs.${field}`,
                    `\`tableArgs.${field}\` is set, but the component manages \`${field}\`; use the component's own ` +
                        "argument for it, so that its protection cannot be bypassed.",
                );
            }
        }
    }

    problems.push(...checkArgumentNames(args));
    return problems;
}

function checkRecoveryPeriodArg(args: ResilientTableArgs, add: (path: string, reason: string) => void) {
    const pitr = args.pointInTimeRecovery;
    if (pitr === undefined) return;
    if (pitr === null || typeof pitr !== "object") {
        add(
            "pointInTimeRecovery",
            `\`pointInTimeRecovery\` is ${show(pitr)}; it must be { recoveryPeriodInDays?: 1..35 }.`,
        );
        return;
    }
    if (isKnown(pitr.recoveryPeriodInDays)) {
        for (const p of checkRecoveryPeriod(pitr.recoveryPeriodInDays)) add(p.propertyPath, p.reason);
    }
}

function checkCapacity(
    prefix: string,
    source: { readCapacity?: unknown; writeCapacity?: unknown },
    provisioned: boolean,
    add: (path: string, reason: string) => void,
) {
    for (const field of ["readCapacity", "writeCapacity"] as const) {
        const value = source[field];
        const path = `${prefix}${field}`;
        if (provisioned) {
            if (value === undefined) {
                add(
                    path,
                    `\`${path}\` is unset but \`billingMode\` is "PROVISIONED"; set a whole number of capacity units of at least 1.`,
                );
            } else if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
                add(
                    path,
                    `\`${path}\` is ${show(value)}; capacity units must be a whole number of at least 1.`,
                );
            }
        } else if (value !== undefined) {
            add(
                path,
                `\`${path}\` is ${show(value)} but \`billingMode\` is "PAY_PER_REQUEST", which has no provisioned ` +
                    'capacity. Fix: remove it, or set `billingMode: "PROVISIONED"`.',
            );
        }
    }
}

function listOf<T>(value: T[] | undefined, path: string, add: (path: string, reason: string) => void): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
        add(path, `\`${path}\` is ${show(value)}; it must be a list.`);
        return [];
    }
    return value;
}

/** Misspelt or unknown argument names, at every level of the arguments (see `argShapes.ts`). */
export function checkArgumentNames(args: ResilientTableArgs): ArgProblem[] {
    return argKeyProblems("ResilientTable", args, ARG_SHAPES.ResilientTable);
}
