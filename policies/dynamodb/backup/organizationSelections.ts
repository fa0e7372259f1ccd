/**
 * The selections of an AWS Organizations backup policy, as the pack's configuration states them
 * (`organizationBackupSelections: [{ tags: { environment: "production" } }]`). A backup policy is
 * attached in the management account: no stack of a member account can see it, so without this the
 * pack would report every production table of an organization-protected account as outside any
 * backup plan. `OrganizationBackupPolicy` (components/org/organizationBackupPolicy.ts) prints this config
 * from its own selection, so the two cannot drift.
 *
 * A backup policy makes a backup plan; it never turns on point-in-time recovery, so only the backup
 * rule reads this, never the PITR rules.
 *
 * Pure: no Pulumi, nothing outside policies/ (the pack is published alone).
 */
import { Decision, compliant } from "../engine/decision";

/** One selection of the organization's backup policy: tables carrying every one of these tags. */
export interface OrganizationSelection {
    readonly tags: Readonly<Record<string, string>>;
}

/** The JSON schema of one selection, { tags: { key: value } } with at least one tag. */
export const organizationSelectionSchema = {
    type: "object",
    properties: {
        tags: { type: "object", additionalProperties: { type: "string" }, minProperties: 1 },
    },
    required: ["tags"],
} as const;

/** The knob's JSON schema, for the backup rule's `configSchema`. */
export const organizationSelectionsSchema = {
    organizationBackupSelections: {
        type: "array",
        items: organizationSelectionSchema,
        default: [] as OrganizationSelection[],
        description:
            "Tag selections of an AWS Organizations backup policy attached to this stack's account (as " +
            "OrganizationBackupPolicy's `packConfig` prints them), each { tags: { key: value } }: a production table " +
            "carrying every tag of one is covered. It never covers PITR.",
    },
} as const;

/**
 * The selections in the pack's raw configuration; malformed entries (not `{ tags }` with at least one
 * string-valued tag) are dropped rather than guessed at, so they can never cover a table.
 */
export function readOrganizationSelections(raw: unknown): OrganizationSelection[] {
    const list =
        raw !== null && typeof raw === "object"
            ? (raw as Record<string, unknown>).organizationBackupSelections
            : undefined;
    if (!Array.isArray(list)) return [];
    const out: OrganizationSelection[] = [];
    for (const entry of list) {
        const tags =
            entry !== null && typeof entry === "object" ? (entry as { tags?: unknown }).tags : undefined;
        if (tags === null || typeof tags !== "object" || Array.isArray(tags)) continue;
        const pairs = Object.entries(tags as Record<string, unknown>);
        if (pairs.length === 0 || pairs.some(([, v]) => typeof v !== "string")) continue;
        out.push({ tags: Object.fromEntries(pairs) as Record<string, string> });
    }
    return out;
}

/** `{environment=production, team=checkout}` */
function describe(selection: OrganizationSelection): string {
    return `{${Object.entries(selection.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}}`;
}

/**
 * The backup decision once the organization's selections are known. `inStack` is the verdict of the
 * stack's own selections and stands when it is compliant or no selection is configured. Otherwise:
 * compliant when the table carries every tag of one selection; unverifiable when its tags are unknown
 * (preview); else the in-stack verdict, its fix naming the selections the table was compared with.
 */
export function decideOrganizationCoverage(
    tags: ReadonlyMap<string, string> | undefined,
    selections: readonly OrganizationSelection[],
    inStack: Decision,
): Decision {
    if (inStack.outcome === "compliant" || selections.length === 0) return inStack;
    const listed = selections.map(describe).join(", ");
    if (!tags) {
        return inStack.outcome === "non-compliant"
            ? {
                  outcome: "unverifiable",
                  reason:
                      `the organization backup policy selects tables by tag (${listed}) and the table's tags are ` +
                      "unknown during preview",
              }
            : inStack;
    }
    const match = selections.find((s) => Object.entries(s.tags).every(([k, v]) => tags.get(k) === v));
    if (match) {
        return compliant(
            `the organization backup policy selects tables tagged ${describe(match)} ` +
                "(policy config `organizationBackupSelections`)",
        );
    }
    if (inStack.outcome !== "non-compliant") return inStack;
    const own = [...tags].map(([k, v]) => `${k}=${v}`).join(", ");
    return {
        ...inStack,
        fix:
            `${inStack.fix}, or give it every tag of one of the organization backup policy's selections ` +
            `(policy config \`organizationBackupSelections\`: ${listed}; it was compared with each, and its tags are ` +
            `${own === "" ? "none" : `{${own}}`})`,
    };
}
