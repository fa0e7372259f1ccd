/**
 * Which tables an AWS Backup selection selects, read from its inputs as AWS Backup reads them (AWS
 * Backup API Reference, BackupSelection; Developer Guide, "Assigning resources programmatically"):
 *
 * - `resources`: ARNs, with `*` wildcards; an ARN not known before deployment (a table's `arn`
 *   output) is traced through the selection's property dependencies to the table it came from;
 * - `conditions`: tag conditions that must ALL hold (StringEquals, StringLike, StringNotEquals,
 *   StringNotLike), narrowing `resources`;
 * - `selectionTags` (the API's ListOfTags): tags of which ANY may match, adding to `resources`;
 * - `notResources`: ARNs taken out of what the rest selects.
 *
 * A selection sees only tables of its own Region, as its plan does.
 */
import type { TableInstance } from "./tables";
import type { CostResource } from "./types";

const TAG_KEY_PREFIX = "aws:ResourceTag/";

function glob(pattern: string, text: string): boolean {
    const re = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${re}$`).test(text);
}

/**
 * Whether a known ARN (or ARN pattern) names the table: `arn:<partition>:dynamodb:<region>:<account>:
 * table/<name>`, each part possibly a wildcard. A table whose name is not known matches only a
 * wildcard name; one whose Region is not known is taken to be in the ARN's.
 */
export function arnMatches(arn: string, table: TableInstance): boolean {
    if (arn === "*") return true;
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return false;
    const [, , service, region] = parts;
    const resource = parts.slice(5).join(":");
    if (!glob(service, "dynamodb")) return false;
    // An unknown Region is the provider's, which the selection shares (see `selects`).
    if (region !== "" && table.region !== undefined && !glob(region, table.region)) return false;
    const [kind, ...rest] = resource.split("/");
    if (!glob(kind, "table")) return false;
    const name = rest.join("/");
    if (name === "") return false;
    if (/^\*+$/.test(name)) return true;
    return table.tableName !== undefined && glob(name, table.tableName);
}

function entriesMatch(
    values: unknown,
    dependencies: readonly string[] | undefined,
    table: TableInstance,
): boolean | undefined {
    if (!Array.isArray(values) || values.length === 0) return undefined;
    if (dependencies?.includes(table.urn)) return true;
    return values.some((v) => typeof v === "string" && arnMatches(v, table));
}

type Pair = { key?: unknown; value?: unknown };

function tagValue(table: TableInstance, key: unknown): string | undefined {
    if (typeof key !== "string") return undefined;
    return table.tags[key.startsWith(TAG_KEY_PREFIX) ? key.slice(TAG_KEY_PREFIX.length) : key];
}

const pairs = (value: unknown): Pair[] => (Array.isArray(value) ? (value as Pair[]) : []);

/** Whether every tag condition holds; undefined when there is none. */
function conditionsHold(conditions: unknown, table: TableInstance): boolean | undefined {
    const blocks = (Array.isArray(conditions) ? conditions : conditions ? [conditions] : []) as Array<
        Record<string, unknown>
    >;
    const tests: boolean[] = [];
    for (const block of blocks) {
        for (const { key, value } of pairs(block.stringEquals)) tests.push(tagValue(table, key) === value);
        for (const { key, value } of pairs(block.stringLikes ?? block.stringLike)) {
            const v = tagValue(table, key);
            tests.push(v !== undefined && typeof value === "string" && glob(value, v));
        }
        for (const { key, value } of pairs(block.stringNotEquals)) tests.push(tagValue(table, key) !== value);
        for (const { key, value } of pairs(block.stringNotLikes ?? block.stringNotLike)) {
            const v = tagValue(table, key);
            tests.push(v === undefined || typeof value !== "string" || !glob(value, v));
        }
    }
    return tests.length === 0 ? undefined : tests.every(Boolean);
}

/** Whether any of the ListOfTags tags matches; undefined when there is none. */
function anyTagMatches(selectionTags: unknown, table: TableInstance): boolean | undefined {
    const tags = pairs(selectionTags);
    if (tags.length === 0) return undefined;
    return tags.some(({ key, value }) => tagValue(table, key) === value);
}

/** Whether the selection selects the table. `defaultRegion` is the stack's `aws:region`. */
export function selects(selection: CostResource, table: TableInstance, defaultRegion?: string): boolean {
    const i = selection.inputs;
    const region = typeof i.region === "string" ? i.region : defaultRegion;
    if (region !== table.region) return false;
    const deps = selection.propertyDependencies ?? {};
    const byResources = entriesMatch(i.resources, deps.resources, table);
    const byConditions = conditionsHold(i.conditions, table);
    const byTags = anyTagMatches(i.selectionTags, table);
    // Without `resources`, every resource is in play, unless ListOfTags alone says which.
    const base = byResources ?? byTags === undefined;
    const selected = (base && byConditions !== false) || byTags === true;
    return selected && entriesMatch(i.notResources, deps.notResources, table) !== true;
}

/** One tag selection of an AWS Organizations backup policy (the pack's `organizationBackupSelections`). */
export interface OrganizationTagSelection {
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Whether the organization's backup policy selects the table: it carries every tag of one selection,
 * as the pack decides it (policies/dynamodb/backup/organizationSelections.ts). The policy's plan is
 * made in each account by AWS Backup, outside any stack.
 */
export function organizationSelects(
    selections: readonly OrganizationTagSelection[],
    table: TableInstance,
): boolean {
    return selections.some((s) => Object.entries(s.tags).every(([k, v]) => table.tags[k] === v));
}
