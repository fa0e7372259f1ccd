/**
 * Taking over a table that already exists, without replacing it.
 *
 * Moving `new aws.dynamodb.Table("orders", …)` into `new ResilientTable("orders", …)` gives the table a
 * parent, and so a new URN; to Pulumi a new URN is a new resource, and it would create a table and
 * delete the old one, with its data. An alias tells the engine that the child is the resource it
 * already knows under the old URN: the change becomes an in-place update. A table created outside
 * Pulumi is taken over with the `import` resource option instead, which reads the live table and
 * fails if the declared inputs differ from it. Pulumi docs: "Resource option: aliases", "Resource
 * option: import".
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgProblem, show } from "../core/problems";
import type { ResilientTableArgs, TableAdoption } from "./types";

/** The type token of `aws.dynamodb.Table`, the type a bare table was declared with. */
export const TABLE_TYPE = "aws:dynamodb/table:Table";

/** The resource options that adopt the table: an alias, or the import id. */
export function adoptionOptions(adopt: TableAdoption | undefined): {
    aliases?: pulumi.Input<pulumi.URN | pulumi.Alias>[];
    import?: string;
} {
    if (adopt === undefined) return {};
    if (adopt.importExistingTable !== undefined) return { import: adopt.importExistingTable };
    const from = adopt.fromResource;
    if (from === undefined) return {};
    if (typeof from === "string") return { aliases: [from] };
    const alias: pulumi.Alias = {
        // A top-level resource's parent is the stack: `rootStackResource` says "no parent" to the engine.
        parent: from.parent === undefined || from.parent === "none" ? pulumi.rootStackResource : from.parent,
    };
    if (from.name !== undefined) alias.name = from.name;
    if (from.type !== undefined) alias.type = from.type;
    if (from.project !== undefined) alias.project = from.project;
    if (from.stack !== undefined) alias.stack = from.stack;
    return { aliases: [alias] };
}

const URN_PATTERN = /^urn:pulumi:[^:]+::[^:]+::[^:]+(:[^:]+)*::.+$/;

/**
 * Every problem with `adopt`, before any child exists: one source only, a well-formed URN, the live
 * key schema stated and equal to the component's, the encryption stated (so adopting never silently
 * changes the key that protects the data), and a physical name that matches the imported table.
 */
export function validateAdoption(args: ResilientTableArgs): ArgProblem[] {
    const adopt = args?.adopt;
    if (adopt === undefined) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (adopt === null || typeof adopt !== "object") {
        add(
            "adopt",
            `\`adopt\` is ${JSON.stringify(adopt)}; it must be { fromResource | importExistingTable, keySchema }.`,
        );
        return problems;
    }

    const from = adopt.fromResource;
    const imported = adopt.importExistingTable;
    if (from === undefined && imported === undefined) {
        add(
            "adopt",
            "`adopt` names no table; set `adopt.fromResource` (a table this stack already manages) or " +
                "`adopt.importExistingTable` (the physical name of a table created outside Pulumi).",
        );
    } else if (from !== undefined && imported !== undefined) {
        add(
            "adopt",
            "`adopt.fromResource` and `adopt.importExistingTable` are both set; a table is either already in the " +
                "stack (alias it with `fromResource`) or outside it (import it), so keep one.",
        );
    }
    checkFromResource(from, add);
    checkImport(args, imported, add);
    checkKeySchema(args, adopt.keySchema, add);
    checkAdoptedKey(args, imported, add);
    return problems;
}

/** `adopt.fromResource`: a well-formed URN, or the parts of one. */
function checkFromResource(
    from: TableAdoption["fromResource"],
    add: (propertyPath: string, reason: string) => void,
) {
    if (typeof from === "string" && !URN_PATTERN.test(from)) {
        add(
            "adopt.fromResource",
            `\`adopt.fromResource\` is ${JSON.stringify(from)}, which is not a URN; give the full URN from ` +
                '`pulumi stack --show-urns` ("urn:pulumi:<stack>::<project>::<type>::<name>"), or { name, parent }.',
        );
    } else if (typeof from === "string" || from === undefined) {
        // A well-formed URN, or no former resource: nothing more to check here.
    } else if (from === null || typeof from !== "object" || Array.isArray(from)) {
        add(
            "adopt.fromResource",
            `\`adopt.fromResource\` is ${show(from)}; it must be the table's former URN (a string) or ` +
                "{ name?, parent?, type?, project?, stack? }. Fix: copy the URN from `pulumi stack --show-urns`, " +
                'or give { name: "<former resource name>" }.',
        );
    } else {
        for (const field of ["name", "type", "project", "stack"] as const) {
            const value: unknown = from[field];
            if (value !== undefined && (typeof value !== "string" || value === "")) {
                add(
                    `adopt.fromResource.${field}`,
                    `\`adopt.fromResource.${field}\` is ${show(value)}; it must be a non-empty string. Fix: give the ` +
                        `table's former ${field} as \`pulumi stack --show-urns\` shows it, or leave it unset.`,
                );
            }
        }
        const parent: unknown = from.parent;
        if (parent !== undefined && parent !== "none" && !pulumi.Resource.isInstance(parent)) {
            add(
                "adopt.fromResource.parent",
                `\`adopt.fromResource.parent\` is ${show(parent)}; it must be "none" (the table was declared at the top ` +
                    "of the program) or the component resource that held it. Fix: pass that resource, or give the full " +
                    "former URN as `adopt.fromResource`.",
            );
        }
    }
}

/** `adopt.importExistingTable`: a physical table name, the same as `name` when both are set. */
function checkImport(
    args: ResilientTableArgs,
    imported: unknown,
    add: (propertyPath: string, reason: string) => void,
) {
    if (
        imported !== undefined &&
        (typeof imported !== "string" || !/^[a-zA-Z0-9_.-]{3,255}$/.test(imported))
    ) {
        add(
            "adopt.importExistingTable",
            `\`adopt.importExistingTable\` is ${JSON.stringify(imported)}; it must be the live table's physical name ` +
                "(3 to 255 characters of a-z, A-Z, 0-9, `_`, `-`, `.`).",
        );
    } else if (typeof imported === "string" && typeof args.name === "string" && args.name !== imported) {
        add(
            "name",
            `\`name\` is "${args.name}" but \`adopt.importExistingTable\` is "${imported}"; an imported table keeps ` +
                "its name. Fix: remove `name` (it defaults to the imported name) or make them equal.",
        );
    }
}

/** `adopt.keySchema`: the live table's keys, which must be the declared ones. */
function checkKeySchema(
    args: ResilientTableArgs,
    keys: TableAdoption["keySchema"],
    add: (propertyPath: string, reason: string) => void,
) {
    if (
        keys !== undefined &&
        keys !== null &&
        typeof keys === "object" &&
        typeof keys.hashKey === "string" &&
        keys.rangeKey !== undefined &&
        typeof keys.rangeKey !== "string"
    ) {
        add(
            "adopt.keySchema.rangeKey",
            `\`adopt.keySchema.rangeKey\` is ${show(keys.rangeKey)}; it must be the name of the live table's RANGE ` +
                "key attribute. Fix: give that name, or leave it unset when the table has no sort key.",
        );
    } else if (
        keys === undefined ||
        keys === null ||
        typeof keys !== "object" ||
        typeof keys.hashKey !== "string"
    ) {
        add(
            "adopt.keySchema",
            "`adopt.keySchema` is unset; state the live table's keys as `aws dynamodb describe-table` shows them " +
                '(KeySchema), e.g. { hashKey: "orderId" }, so that keys which would replace the table are caught here.',
        );
    } else {
        const live = `hash key "${keys.hashKey}"${keys.rangeKey ? `, range key "${keys.rangeKey}"` : ", no range key"}`;
        const declared = `hash key "${args.hashKey}"${args.rangeKey ? `, range key "${args.rangeKey}"` : ", no range key"}`;
        if (keys.hashKey !== args.hashKey || (keys.rangeKey ?? undefined) !== (args.rangeKey ?? undefined)) {
            add(
                "adopt.keySchema",
                `the adopted table has ${live} but the component declares ${declared}; a table's keys cannot change, ` +
                    "so adopting it would replace the table and lose its data. Fix: set `hashKey` and `rangeKey` to the " +
                    "live table's keys; to change keys, create a new table and copy the data.",
            );
        }
    }
}

/** The adopted table's key: stated, and passed when the table is imported with a customer-managed key. */
function checkAdoptedKey(
    args: ResilientTableArgs,
    imported: unknown,
    add: (propertyPath: string, reason: string) => void,
) {
    if (args.encryption === undefined && args.kmsKeyArn === undefined) {
        add(
            "encryption",
            "`encryption` and `kmsKeyArn` are both unset on an adopted table; say which key protects it, so adopting " +
                "never changes it silently. Fix: pass `kmsKeyArn` with the key the table uses now (describe-table " +
                'SSEDescription.KMSMasterKeyArn), or set `encryption: "customer-managed"` to move it to a new key ' +
                '(an in-place update, no data loss), or `"aws-owned"` outside production.',
        );
    } else if (
        imported !== undefined &&
        args.kmsKeyArn === undefined &&
        args.encryption === "customer-managed"
    ) {
        add(
            "kmsKeyArn",
            '`encryption` is "customer-managed" without `kmsKeyArn` on an imported table; a key created now cannot ' +
                "match the live table, so the import would fail. Fix: pass `kmsKeyArn` with the table's current key, " +
                "or import it as a bare table first and move it over with `adopt.fromResource` (docs/migration.md).",
        );
    }
}
