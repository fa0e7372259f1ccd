/**
 * Pure validation of {@link ResilientTableArgs}: runs before any child resource exists, reports every
 * problem at once, and never throws on odd input (wrong types, `Output`s). Values that are not known
 * yet (an `Output` or a `Promise`) are skipped here and checked by {@link checkRecoveryPeriod} and
 * {@link checkTableName} once they resolve.
 */
import {
    REPLICA_STREAM_VIEW_TYPE,
    STREAM_VIEW_TYPES,
    TABLE_CLASSES,
    TABLE_NAME_PATTERN,
    TIER_TAG_KEY,
    TIERS,
} from "../core/constants";
import { MANAGED_TABLE_FIELDS, ResilientTableArgs } from "./types";
import { Add, checkKeysAndIndexes, listOf, oneOf } from "./validateKeys";
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

    const tier = checkTier(args, add);
    checkProtection(args, tier === "production", add);
    checkFlagsAndRegion(args, add);
    checkRecoveryPeriodArg(args, add);
    if (isKnown(args.name)) problems.push(...checkTableName(args.name));
    const used = checkKeysAndIndexes(args, add);
    checkClassTtlAndStream(args, used, add);
    checkReplicas(args, context, add);
    checkTags(args, tier, add);
    checkPassThrough(args, add);
    problems.push(...checkArgumentNames(args));
    return problems;
}

/** `tier`, which decides what the table may give up; the tier the table has (production unless told). */
function checkTier(args: ResilientTableArgs, add: Add): string {
    const tier = args.tier ?? "production";
    if (!(TIERS as readonly string[]).includes(tier)) {
        add(
            "tier",
            `\`tier\` is ${show(tier)}; it must be one of ${oneOf(TIERS)}. Fix: pick one, or leave it unset for "production".`,
        );
    }
    return tier;
}

/** Protection that production tables may not give up, and the encryption options. */
function checkProtection(args: ResilientTableArgs, production: boolean, add: Add) {
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
}

/** The boolean flags and the table's Region. */
function checkFlagsAndRegion(args: ResilientTableArgs, add: Add) {
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
}

/** Table class, TTL attribute (never a key: `used` holds the keys) and stream view type. */
function checkClassTtlAndStream(args: ResilientTableArgs, used: ReadonlySet<string>, add: Add) {
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
}

/** Replicas: known Regions, none the table's own, none twice, and the stream they need. */
function checkReplicas(args: ResilientTableArgs, context: ValidationContext, add: Add) {
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
}

/** Tags: string values, and the tier tag only as the tier says. */
function checkTags(args: ResilientTableArgs, tier: string, add: Add) {
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
}

/** `tableArgs`, passed through to `aws.dynamodb.Table`: an object that sets no managed field. */
function checkPassThrough(args: ResilientTableArgs, add: Add) {
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
}

function checkRecoveryPeriodArg(args: ResilientTableArgs, add: Add) {
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

/** Misspelt or unknown argument names, at every level of the arguments (see `argShapes.ts`). */
export function checkArgumentNames(args: ResilientTableArgs): ArgProblem[] {
    return argKeyProblems("ResilientTable", args, ARG_SHAPES.ResilientTable);
}
