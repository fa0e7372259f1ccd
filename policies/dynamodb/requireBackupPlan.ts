/**
 * Stack rule: every production table is selected by an AWS Backup plan, so that backups outlive the
 * table and PITR's 35 days. A selection (`aws.backup.Selection` or aws-native `backup.BackupSelection`)
 * covers a table when it names it directly (through the table's ARN output: at preview that ARN is
 * unknown, so the selection's property dependencies on the table count), by a tag, or by an ARN
 * pattern that matches the table (see `backupSelections.ts`). Matches AWS Config
 * `dynamodb-in-backup-plan` / `dynamodb-resources-protected-by-backup-plan`, Security Hub DynamoDB.4
 * and cdk-nag `DynamoDBInBackupPlan`.
 *
 * Production-ness here follows references between resources (`references.ts`): a table tagged by an
 * `aws.dynamodb.Tag`, a replica of a production table, a table restored from one. Resource policies
 * see one resource at a time and cannot follow them, so this stack policy also reports the PITR of
 * tables that only references make production (CrossGuard decodes the whole stack again for every
 * stack policy, so the pack keeps to one).
 *
 * Linear in the stack's size: resources are read once, selections indexed once (`selectionIndex.ts`).
 */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ProductionConfig, productionConfigSchema, readConfig } from "./config";
import { Decision, compliant } from "./decision";
import { SelectionFacts, selectionOf, viewOf } from "./backupSelections";
import { TABLE_TYPES, TYPES, TableFacts } from "./facts";
import { Production, decideProduction } from "./production";
import {
    decideOrganizationCoverage,
    organizationSelectionsSchema,
    readOrganizationSelections,
} from "./organizationSelections";
import { LinkInput, REFERENCE_PROPS, linkTables, productionResolver } from "./references";
import { decidePitr } from "./requirePitr";
import { tablesOfArgs } from "./rule";
import { SelectionIndex, scanSelections } from "./selectionIndex";
import { readProp } from "./values";

export { selectionOf } from "./backupSelections";

function verdict(found: ReturnType<typeof scanSelections>): Decision {
    if (found && "covered" in found) {
        return compliant(`backup selection \`${found.covered.name}\` selects it`);
    }
    if (found) {
        return {
            outcome: "unverifiable",
            reason: `backup selection \`${found.maybe.name}\` may select it, but ${found.why}`,
        };
    }
    return {
        outcome: "non-compliant",
        path: "",
        problem: "",
        fix:
            "add it to a backup plan with an aws.backup.Selection whose `resources` include the table's ARN, " +
            "or that selects its tags, or use ResilientTable, which creates one",
    };
}

/** The pure decision: is this table in some backup selection? (A full scan; the policy uses the index.) */
export function decideBackupPlan(table: TableFacts, selections: readonly SelectionFacts[]): Decision {
    return verdict(scanSelections(selections, viewOf(table)));
}

/** The tables this rule looks at: whole tables, not replicas of a table that is checked itself. */
function backupTables(type: string, tables: readonly TableFacts[]): TableFacts[] {
    switch (type) {
        case TYPES.table:
        case TYPES.nativeTable:
        case TYPES.nativeGlobalTable:
            return tables.slice(0, 1).filter((t) => !t.cannotVerify);
        case TYPES.cloudFormationStack:
            return tables.filter((t) => !t.cannotVerify && !t.replicaIndex);
        default:
            return [];
    }
}

function urns(list: unknown): string[] {
    return Array.isArray(list)
        ? list
              .filter((r) => r !== null && typeof r === "object")
              .map((r) => String((r as PolicyResource).urn))
        : [];
}

function propertyDependenciesOf(r: PolicyResource): { [key: string]: string[] } {
    const out: { [key: string]: string[] } = {};
    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) {
        out[k] = urns(v);
    }
    return out;
}

/** Only the properties references read (a table's whole body is read by `tablesOf`). */
function referenceProps(r: PolicyResource): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const props = (r as { props?: unknown }).props;
    for (const key of REFERENCE_PROPS[r.type] ?? []) {
        out[key] = readProp(props, key);
    }
    return out;
}

const schema = {
    ...productionConfigSchema,
    tagSelectionsOutsideStack: {
        type: "array",
        items: { type: "string" },
        default: [] as string[],
        description:
            "Tag selections of backup plans outside this stack, in the stack's account and Region (a protection baseline " +
            'in the platform\'s stack), each "key=value,key=value": a table carrying every tag of one is covered.',
    },
};

/** `"environment=production,team=checkout"` as tag pairs; undefined if malformed. */
export function parseTagSelection(text: string): Array<[string, string]> | undefined {
    const pairs = text.split(",").map((pair) => {
        const at = pair.indexOf("=");
        return at > 0
            ? ([pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as [string, string])
            : undefined;
    });
    return pairs.every((p) => p !== undefined && p[0] !== "")
        ? (pairs as Array<[string, string]>)
        : undefined;
}

/**
 * A plan outside the stack that selects the table by its tags, as the policy configuration states:
 * covered when every tag of one selection is on the table; undefined when none matches or the table's
 * tags are unknown (the in-stack verdict stands).
 */
export function coveredOutside(
    tags: ReadonlyMap<string, string> | undefined,
    selections: ReadonlyArray<Array<[string, string]>>,
): Decision | undefined {
    if (!tags) return undefined;
    const match = selections.find((sel) => sel.every(([k, v]) => tags.get(k) === v));
    return match
        ? compliant(
              `a backup plan outside the stack selects tables tagged ${match.map(([k, v]) => `${k}=${v}`).join(", ")} ` +
                  "(policy config `tagSelectionsOutsideStack`)",
          )
        : undefined;
}

type Report = (message: string, urn: string, advisory: boolean) => void;

/**
 * PITR of a table that only references make production (or make its production-ness unknown): the
 * resource policy, which saw the table alone, has not reported it.
 */
function checkPitrByReference(table: TableFacts, own: Production, final: Production, report: Report) {
    if (own.production === true || final.production === false || final.production === own.production) {
        return;
    }
    const pitr = decidePitr(table);
    if (pitr.outcome === "compliant" || pitr.outcome === "not-applicable") {
        return;
    }
    if (final.production === "unknown") {
        report(
            `Cannot verify point-in-time recovery on ${table.subject}: cannot tell whether it is a production table: ${final.reason}.`,
            table.urn,
            true,
        );
    } else if (pitr.outcome === "unverifiable") {
        report(
            `Cannot verify point-in-time recovery on production ${table.subject}: ${pitr.reason}. It is production because ${final.reason}.`,
            table.urn,
            true,
        );
    } else if (pitr.outcome === "non-compliant") {
        report(
            `Production ${table.subject} has \`${pitr.path}\` ${pitr.problem}; ${pitr.fix}. It is production because ${final.reason}.`,
            table.urn,
            false,
        );
    }
}

function checkBackup(table: TableFacts, production: Production, decision: Decision, report: Report) {
    if (decision.outcome === "compliant" || decision.outcome === "not-applicable") {
        return;
    }
    if (production.production === "unknown") {
        report(
            `Cannot verify that ${table.subject} is in a backup plan: cannot tell whether it is a production table: ${production.reason}.`,
            table.urn,
            true,
        );
    } else if (decision.outcome === "unverifiable") {
        report(
            `Cannot verify that ${table.subject} is in a backup plan: ${decision.reason}.`,
            table.urn,
            true,
        );
    } else if (decision.outcome === "non-compliant") {
        report(
            `Production ${table.subject} is not selected by any AWS Backup plan; ${decision.fix}. ` +
                `It is production because ${production.reason}.`,
            table.urn,
            false,
        );
    }
}

export const requireBackupPlan: StackValidationPolicy = {
    name: "dynamodb-production-table-in-backup-plan",
    description:
        "Production DynamoDB tables must be selected by an AWS Backup plan, directly, by tag or by wildcard, so that backups outlive the table and the PITR window.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...schema, ...organizationSelectionsSchema } as Record<string, any> },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = readConfig<ProductionConfig & { tagSelectionsOutsideStack: string[] }>(
            args.getConfig(),
            schema,
        );
        const outside = config.tagSelectionsOutsideStack
            .map(parseTagSelection)
            .filter((sel): sel is Array<[string, string]> => sel !== undefined);
        const organization = readOrganizationSelections(args.getConfig());
        const report: Report = (message, urn, advisory) =>
            advisory
                ? reportViolation({ message, enforcementLevel: "advisory", urn } as any, urn)
                : reportViolation(message, urn);
        const selections: SelectionFacts[] = [];
        const inputs: LinkInput[] = [];
        for (const r of args.resources) {
            try {
                if (r.type === TYPES.backupSelection || r.type === TYPES.nativeBackupSelection) {
                    const sel = selectionOf(
                        r.type,
                        r.name,
                        readProp(r, "props"),
                        propertyDependenciesOf(r),
                        urns(r.dependencies),
                    );
                    if (sel) {
                        selections.push(sel);
                    }
                } else if (r.type === TYPES.tag || TABLE_TYPES.includes(r.type)) {
                    inputs.push({
                        type: r.type,
                        name: r.name,
                        urn: r.urn,
                        props: referenceProps(r),
                        propertyDependencies: propertyDependenciesOf(r),
                        tables: tablesOfArgs(r),
                    });
                }
            } catch {
                // One unreadable resource must not stop the check of the others.
            }
        }
        const links = linkTables(inputs, config);
        const productionOf = productionResolver(links, config, args.stackTags);
        const index = new SelectionIndex(selections);
        for (const input of inputs) {
            const backup = new Set(backupTables(input.type, input.tables));
            for (const table of input.tables) {
                try {
                    const production = productionOf(table);
                    if (links.floating || links.tags.has(table) || links.parents.has(table)) {
                        const own = decideProduction(table, config, { stackTags: args.stackTags });
                        checkPitrByReference(table, own, production, report);
                    }
                    if (!backup.has(table) || production.production === false) {
                        continue;
                    }
                    const view = viewOf(table, links.tags.get(table));
                    const inStack = verdict(index.lookup(view));
                    const decision = decideOrganizationCoverage(
                        view.tags,
                        organization,
                        inStack.outcome === "compliant" || outside.length === 0
                            ? inStack
                            : (coveredOutside(view.tags, outside) ?? inStack),
                    );
                    checkBackup(table, production, decision, report);
                } catch {
                    // Never fail the stack check because of one table.
                }
            }
        }
    },
};
