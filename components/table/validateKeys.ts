/**
 * The key checks of a table's arguments: attributes, the table's keys, billing mode and capacity, and
 * its secondary indexes. Part of {@link validateTableArgs}; pure, and never throws on odd input.
 */
import { BILLING_MODES, KEY_ATTRIBUTE_TYPES, PROJECTION_TYPES } from "../core/constants";
import { show } from "../core/problems";
import type { ResilientTableArgs } from "./types";

/** Records one problem: the property path and the sentence. */
export type Add = (path: string, reason: string) => void;

export function oneOf(list: readonly string[]): string {
    return list.map((v) => `"${v}"`).join(", ");
}

/**
 * Attributes, keys, billing mode, capacity and indexes, in that order. Returns the attributes the
 * table's and indexes' keys use.
 */
export function checkKeysAndIndexes(args: ResilientTableArgs, add: Add): Set<string> {
    const declared = checkAttributes(args, add);
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
    checkIndexes(args, provisioned, requireKey, add);
    for (const name of declared.keys()) {
        if (!used.has(name)) {
            add(
                "attributes",
                `attribute "${name}" is declared in \`attributes\` but no key or index uses it; DynamoDB rejects ` +
                    "unused attribute definitions. Fix: remove it (non-key attributes need no declaration).",
            );
        }
    }
    return used;
}

/** The declared attributes, by name, with their types. */
function checkAttributes(args: ResilientTableArgs, add: Add): Map<string, string> {
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
    return declared;
}

/** Global and local secondary indexes: unique names, keys, projections and capacity. */
function checkIndexes(
    args: ResilientTableArgs,
    provisioned: boolean,
    requireKey: (path: string, key: unknown, required: boolean) => void,
    add: Add,
) {
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
}

function checkCapacity(
    prefix: string,
    source: { readCapacity?: unknown; writeCapacity?: unknown },
    provisioned: boolean,
    add: Add,
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

export function listOf<T>(value: T[] | undefined, path: string, add: Add): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
        add(path, `\`${path}\` is ${show(value)}; it must be a list.`);
        return [];
    }
    return value;
}
