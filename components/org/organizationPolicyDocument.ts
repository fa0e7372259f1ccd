/**
 * An AWS Organizations backup policy for DynamoDB tables, as pure data: its validation and the
 * document itself. No Pulumi resources are created here.
 *
 * The syntax is AWS's ("Backup policy syntax and examples", AWS Organizations User Guide,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html):
 * `plans.<name>.{regions, rules, selections}`, every value under an inheritance operator. We only
 * write `@@assign` (set this value) and, at the plan, the child control operator
 * `@@operators_allowed_for_child_policies` ("Policy syntax and inheritance for management policy
 * types", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html).
 * `$account` in a role or vault ARN stands for the account the effective policy applies to.
 */
import { BackupRuleArgs, BackupSchedule, DEFAULT_BACKUP_PRESET, resolveSchedule } from "../backup/presets";
import { MAX_RETENTION_DAYS } from "../backup/limits";
import { validateBackupPlanArgs } from "../backup/validatePlanArgs";
import {
    DEFAULT_ORGANIZATION_PLAN_NAME,
    DEFAULT_ORGANIZATION_ROLE_NAME,
    DEFAULT_ORGANIZATION_VAULT_NAME,
    OrganizationBackupPolicyArgs,
    OrganizationCopyTo,
} from "./organizationPolicyArgs";
import { TIER_TAG_KEY } from "../core/constants";
import { KNOWN_REGIONS, REGION_PATTERN } from "../core/regions";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import { ArgProblem, isKnown, show } from "../core/problems";
import { ROLE_NAME_PATTERN } from "../core/names";

/** Backup policies: at most 10,000 characters, whitespace included (AWS Organizations quotas). */
export const MAX_BACKUP_POLICY_CHARACTERS = 10000;
/** Every DynamoDB table; the tag conditions narrow it. */
export const DYNAMODB_TABLES = "arn:aws:dynamodb:*:*:table/*";
/** Root `r-` + 4 to 32; OU `ou-` + root part (4 to 32) + `-` + 8 to 32; account 12 digits (AttachPolicy TargetId). */
const TARGET_ID_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;
/** A vault ARN, `$account` allowed for the account (backup policy syntax, `copy_actions`). */
const COPY_VAULT_ARN_PATTERN =
    /^arn:aws[a-z-]*:backup:[a-z]{2}(-[a-z]+)+-\d+:(\d{12}|\$account):backup-vault:[a-zA-Z0-9_-]{2,50}$/;
/**
 * Tag keys: 1 to 128, values 0 to 256 characters of letters, digits, spaces and `_ . : / = + - @`; a
 * key may not start with `aws:` (AWS General Reference, "Tagging AWS resources").
 */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Problems with one target ID, once known. */
export function targetIdProblems(value: unknown, path: string): ArgProblem[] {
    if (typeof value === "string" && TARGET_ID_PATTERN.test(value)) return [];
    return [
        {
            propertyPath: path,
            reason:
                `\`${path}\` is ${show(value)}; it must be the organization's root ID ("r-" and 4 to 32 lower-case letters or ` +
                'digits), an OU ID ("ou-<root part>-<8 to 32 characters>") or a 12-digit account ID. Fix: copy it from ' +
                "the Organizations console or `aws organizations list-roots` / `list-organizational-units-for-parent`.",
        },
    ];
}

/** Problems with a `copyTo` vault ARN, once known. */
export function copyVaultArnProblems(value: unknown, path: string): ArgProblem[] {
    if (typeof value === "string" && COPY_VAULT_ARN_PATTERN.test(value)) return [];
    return [
        {
            propertyPath: path,
            reason:
                `\`${path}\` is ${show(value)}; it must be a backup vault ARN, "arn:aws:backup:<region>:<12-digit account or ` +
                "$account>:backup-vault:<name>\". Fix: use the destination vault's ARN (a KMS key or table ARN will not do).",
        },
    ];
}

/** The partition of a list of Regions: `aws`, `aws-us-gov` or `aws-cn`. */
export function partitionOf(regions: readonly string[]): string {
    const first = regions[0] ?? "";
    return first.startsWith("us-gov-") ? "aws-us-gov" : first.startsWith("cn-") ? "aws-cn" : "aws";
}

/** Every problem with the arguments that can be seen before any Output resolves. */
export function validateOrganizationPolicyArgs(args: OrganizationBackupPolicyArgs): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (args === null || typeof args !== "object") {
        add(
            "",
            `the arguments are ${show(args)}; they must be an object with \`targetIds\` and \`regions\`.`,
        );
        return problems;
    }
    // Unknown keys at every level, from the registry of argument shapes (argShapes.ts).
    problems.push(...argKeyProblems("OrganizationBackupPolicy", args, ARG_SHAPES.OrganizationBackupPolicy));

    checkTargets(args.targetIds, problems);
    checkRegions(args.regions, problems);
    problems.push(...selectionProblems(args.selection));
    checkRoleAndAdvanced(args, problems);
    // The schedule, plan and vault names, windows and lifecycles: the same checks as TableBackupPlan.
    problems.push(
        ...validateBackupPlanArgs({
            schedule: args.schedule,
            planName: args.planName,
            vaultName: args.vaultName,
            advancedDynamoDbBackup: args.advancedDynamoDbBackup,
            airGapped: args.airGapped,
        }),
    );
    checkPolicyRules(args, problems);
    problems.push(...copyToProblems(args));
    const description: unknown = args.description;
    if (description !== undefined && (typeof description !== "string" || description.length > 512)) {
        add(
            "description",
            `\`description\` is ${typeof description === "string" ? `${description.length} characters` : show(description)}; ` +
                "an Organizations policy's description is a string of at most 512 characters. Fix: shorten it.",
        );
    }
    return problems;
}

/** `targetIds`: a non-empty list of root, OU or account IDs, none twice. */
function checkTargets(targets: unknown, problems: ArgProblem[]) {
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (!Array.isArray(targets) || targets.length === 0) {
        add(
            "targetIds",
            `\`targetIds\` is ${show(targets)}; it must be a non-empty list of root, OU or account IDs. Fix: e.g. ` +
                '["ou-ab12-cdef3456"] to protect every account of that OU.',
        );
    } else {
        const seen = new Set<unknown>();
        targets.forEach((t, i) => {
            if (!isKnown(t)) return;
            problems.push(...targetIdProblems(t, `targetIds[${i}]`));
            if (seen.has(t))
                add(
                    `targetIds[${i}]`,
                    `\`targetIds[${i}]\` is ${show(t)}, listed twice. Fix: remove the duplicate.`,
                );
            seen.add(t);
        });
    }
}

/** `regions`: a non-empty list of known Regions of one partition, none twice. */
function checkRegions(regions: unknown, problems: ArgProblem[]) {
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (!Array.isArray(regions) || regions.length === 0) {
        add(
            "regions",
            `\`regions\` is ${show(regions)}; it must be a non-empty list of the Regions where member accounts hold ` +
                'DynamoDB tables. Fix: e.g. ["eu-west-1", "eu-central-1"].',
        );
    } else {
        const seen = new Set<string>();
        regions.forEach((r: unknown, i) => {
            const path = `regions[${i}]`;
            if (typeof r !== "string" || !REGION_PATTERN.test(r) || !KNOWN_REGIONS.includes(r)) {
                add(
                    path,
                    `\`${path}\` is ${show(r)}; it must be an AWS Region name such as "eu-west-1" (known Regions: ` +
                        `${KNOWN_REGIONS.length} listed in components/core/regions.ts). Fix: correct the spelling.`,
                );
            } else if (seen.has(r)) {
                add(path, `\`${path}\` is "${r}", listed twice. Fix: remove the duplicate.`);
            }
            if (typeof r === "string") seen.add(r);
        });
        const partitions = new Set(regions.filter((r) => typeof r === "string").map((r) => partitionOf([r])));
        if (partitions.size > 1) {
            add(
                "regions",
                `\`regions\` mixes partitions (${[...partitions].join(", ")}); an organization lives in one partition. ` +
                    "Fix: keep the Regions of one partition.",
            );
        }
    }
}

/** `roleName`, and `advancedDynamoDbBackup`, which a policy can only state as already enabled. */
function checkRoleAndAdvanced(args: OrganizationBackupPolicyArgs, problems: ArgProblem[]) {
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    const names: Array<[string, unknown, RegExp, string]> = [
        [
            "roleName",
            args.roleName,
            ROLE_NAME_PATTERN,
            "1 to 64 characters of a-z, A-Z, 0-9 and `+=,.@_-` (IAM role names)",
        ],
    ];
    for (const [field, v, pattern, rule] of names) {
        if (v !== undefined && (typeof v !== "string" || !pattern.test(v))) {
            add(
                field,
                `\`${field}\` is ${show(v)}; it must be ${rule}. Fix: choose such a name, or leave it unset.`,
            );
        }
    }
    if (args.advancedDynamoDbBackup !== undefined && args.advancedDynamoDbBackup !== "already-enabled") {
        add(
            "advancedDynamoDbBackup",
            `\`advancedDynamoDbBackup\` is ${show(args.advancedDynamoDbBackup)}; it must be "already-enabled" (member ` +
                'baselines turn it on with advancedDynamoDbBackup: "enable") or unset.',
        );
    }
}

/** What a backup policy's custom rules cannot hold: Output copy destinations, time zones other than UTC. */
function checkPolicyRules(args: OrganizationBackupPolicyArgs, problems: ArgProblem[]) {
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    // Presets carry no time zone and no copies; only custom rules (objects in the list) can.
    const entries: unknown[] = Array.isArray(args.schedule) ? [...args.schedule] : [];
    entries.forEach((entry, i) => {
        if (entry === null || typeof entry !== "object") return;
        const rule = entry as BackupRuleArgs;
        (Array.isArray(rule.copyActions) ? rule.copyActions : []).forEach((copy, j) => {
            if (!isKnown(copy?.destinationVaultArn)) {
                add(
                    `schedule[${i}].copyActions[${j}].destinationVaultArn`,
                    `\`schedule[${i}].copyActions[${j}].destinationVaultArn\` is an Output; a rule's copy in a backup policy ` +
                        "must be a plain ARN. Fix: give the ARN as text, or use `copyTo`, which takes Outputs.",
                );
            }
        });
        if (
            rule.scheduleTimezone !== undefined &&
            rule.scheduleTimezone !== "Etc/UTC" &&
            rule.scheduleTimezone !== "UTC"
        ) {
            add(
                `schedule[${i}].scheduleTimezone`,
                `\`schedule[${i}].scheduleTimezone\` is ${show(rule.scheduleTimezone)}; this component writes backup policy ` +
                    "schedules in UTC only. Fix: write the cron expression in UTC and remove scheduleTimezone.",
            );
        }
    });
}

function selectionProblems(selection: unknown): ArgProblem[] {
    if (selection === undefined) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    const tags = (selection as { tags?: unknown } | null)?.tags;
    if (selection === null || typeof selection !== "object" || Array.isArray(selection)) {
        add("selection", `\`selection\` is ${show(selection)}; it must be { tags: { key: value } }.`);
        return problems;
    }
    if (tags === null || typeof tags !== "object" || Array.isArray(tags) || Object.keys(tags).length === 0) {
        add(
            "selection.tags",
            `\`selection.tags\` is ${show(tags)}; it must name at least one tag, e.g. { environment: "production" }.`,
        );
        return problems;
    }
    for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
        const keyBad =
            k.length < 1 || k.length > 128 || !TAG_CHARACTERS.test(k) || k.toLowerCase().startsWith("aws:");
        const valueBad = typeof v !== "string" || v.length > 256 || !TAG_CHARACTERS.test(v);
        if (keyBad || valueBad) {
            add(
                `selection.tags.${k}`,
                `\`selection.tags\` has ${show(k)}: ${show(v)}; AWS takes tag keys of 1 to 128 and values of 0 to 256 ` +
                    "characters of letters, digits, spaces and `_ . : / = + - @`, keys not starting with `aws:`. Fix: use " +
                    "the tag exactly as your tables carry it.",
            );
        }
    }
    return problems;
}

function copyToProblems(args: OrganizationBackupPolicyArgs): ArgProblem[] {
    const copyTo: unknown = args.copyTo;
    if (copyTo === undefined) return [];
    if (!Array.isArray(copyTo)) {
        return [
            {
                propertyPath: "copyTo",
                reason: `\`copyTo\` is ${show(copyTo)}; it must be a list of { vaultArn, deleteAfterDays? }.`,
            },
        ];
    }
    const problems: ArgProblem[] = [];
    const seen = new Set<unknown>();
    copyTo.forEach((copy: unknown, i) => {
        const path = `copyTo[${i}]`;
        if (copy === null || typeof copy !== "object") {
            problems.push({
                propertyPath: path,
                reason: `\`${path}\` is ${show(copy)}; it must be { vaultArn, deleteAfterDays? }.`,
            });
            return;
        }
        const c = copy as { vaultArn?: unknown; deleteAfterDays?: unknown };
        if (isKnown(c.vaultArn)) {
            problems.push(...copyVaultArnProblems(c.vaultArn, `${path}.vaultArn`));
            if (seen.has(c.vaultArn)) {
                problems.push({
                    propertyPath: `${path}.vaultArn`,
                    reason: `\`${path}.vaultArn\` is ${show(c.vaultArn)}, listed twice; copies are keyed by vault ARN. Fix: remove the duplicate.`,
                });
            }
            seen.add(c.vaultArn);
        }
        const days = c.deleteAfterDays;
        if (
            days !== undefined &&
            !(typeof days === "number" && Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS)
        ) {
            problems.push({
                propertyPath: `${path}.deleteAfterDays`,
                reason: `\`${path}.deleteAfterDays\` is ${show(days)}; it must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}. Fix: correct it, or leave it unset to keep copies as long as the originals.`,
            });
        }
    });
    if (copyTo.length > 0 && args.advancedDynamoDbBackup === undefined) {
        problems.push({
            propertyPath: "copyTo",
            reason:
                "`copyTo` copies DynamoDB recovery points to other vaults, which needs advanced DynamoDB backup in every member " +
                'account and Region (AWS Backup Developer Guide, "Advanced DynamoDB backup"). Fix: turn it on with the member ' +
                'baselines (advancedDynamoDbBackup: "enable") and set `advancedDynamoDbBackup: "already-enabled"` here.',
        });
    }
    return problems;
}

/** The policy's inputs once every Output is known. */
export interface ResolvedOrganizationPolicy {
    readonly regions: readonly string[];
    readonly schedule?: BackupSchedule;
    readonly selectedTags: Readonly<Record<string, string>>;
    readonly vaultName: string;
    readonly roleName: string;
    readonly planName: string;
    readonly copyTo: ReadonlyArray<{ readonly vaultArn: string; readonly deleteAfterDays?: number }>;
    readonly advancedDynamoDbBackup: boolean;
    readonly allowChildPolicyChanges: boolean;
}

/** The arguments with their defaults, `copyTo` ARNs given as resolved. */
export function resolvePolicyArgs(
    args: OrganizationBackupPolicyArgs,
    copyVaultArns: readonly string[],
): ResolvedOrganizationPolicy {
    return {
        regions: [...args.regions],
        schedule: args.schedule,
        selectedTags: { ...(args.selection?.tags ?? { [TIER_TAG_KEY]: "production" }) },
        vaultName: args.vaultName ?? DEFAULT_ORGANIZATION_VAULT_NAME,
        roleName: args.roleName ?? DEFAULT_ORGANIZATION_ROLE_NAME,
        planName: args.planName ?? DEFAULT_ORGANIZATION_PLAN_NAME,
        copyTo: copiesOf(args).map((c, i) => ({
            vaultArn: copyVaultArns[i],
            deleteAfterDays: c.deleteAfterDays,
        })),
        advancedDynamoDbBackup: args.advancedDynamoDbBackup !== undefined,
        allowChildPolicyChanges: args.allowChildPolicyChanges === true,
    };
}

/** `copyTo`, then the air-gapped destination: one more `copy_actions` entry per rule. */
export function copiesOf(args: OrganizationBackupPolicyArgs): OrganizationCopyTo[] {
    const copies = [...(args.copyTo ?? [])];
    if (args.airGapped)
        copies.push({ vaultArn: args.airGapped.vaultArn, deleteAfterDays: args.airGapped.deleteAfterDays });
    return copies;
}

const assign = <T>(value: T) => ({ "@@assign": value });

function lifecycleOf(cold: number | undefined, del: number | undefined) {
    const out: Record<string, unknown> = {};
    if (cold !== undefined) out.move_to_cold_storage_after_days = assign(String(cold));
    if (del !== undefined) out.delete_after_days = assign(String(del));
    return Object.keys(out).length > 0 ? out : undefined;
}

/** The backup policy document (an object; {@link policyContent} minifies it). */
export function organizationPolicyDocument(p: ResolvedOrganizationPolicy): object {
    const partition = partitionOf(p.regions);
    const rules: Record<string, unknown> = {};
    for (const rule of resolveSchedule(p.schedule ?? DEFAULT_BACKUP_PRESET, p.advancedDynamoDbBackup)) {
        const keep = rule.lifecycle?.deleteAfterDays;
        const copies: Record<string, unknown> = {};
        const addCopy = (arn: string, cold: number | undefined, del: number | undefined) => {
            // Keyed by the ARN and with `target_backup_vault_arn` set: AWS lower-cases a key-only ARN,
            // and a vault name with capitals is then not found (backup policy syntax, `copy_actions`).
            copies[arn] = { target_backup_vault_arn: assign(arn), ...lifecycleOrNothing(cold, del) };
        };
        for (const copy of rule.copyActions ?? []) {
            addCopy(
                String(copy.destinationVaultArn),
                copy.lifecycle?.moveToColdStorageAfterDays,
                copy.lifecycle?.deleteAfterDays,
            );
        }
        for (const copy of p.copyTo) addCopy(copy.vaultArn, undefined, copy.deleteAfterDays ?? keep);
        const lifecycle = lifecycleOf(rule.lifecycle?.moveToColdStorageAfterDays, keep);
        rules[rule.name] = {
            schedule_expression: assign(rule.schedule),
            ...(rule.startWindowMinutes !== undefined && {
                start_backup_window_minutes: assign(String(rule.startWindowMinutes)),
            }),
            ...(rule.completionWindowMinutes !== undefined && {
                complete_backup_window_minutes: assign(String(rule.completionWindowMinutes)),
            }),
            ...(lifecycle && { lifecycle }),
            target_backup_vault_name: assign(p.vaultName),
            ...(rule.recoveryPointTags &&
                Object.keys(rule.recoveryPointTags).length > 0 && {
                    recovery_point_tags: Object.fromEntries(
                        Object.entries(rule.recoveryPointTags).map(([k, v]) => [
                            k,
                            { tag_key: assign(k), tag_value: assign(v) },
                        ]),
                    ),
                }),
            ...(Object.keys(copies).length > 0 && { copy_actions: copies }),
        };
    }
    const conditions = Object.fromEntries(
        Object.entries(p.selectedTags).map(([k, v], i) => [
            `tag_${i + 1}`,
            { condition_key: assign(`aws:ResourceTag/${k}`), condition_value: assign(v) },
        ]),
    );
    return {
        plans: {
            [p.planName]: {
                ...(!p.allowChildPolicyChanges && { "@@operators_allowed_for_child_policies": ["@@none"] }),
                regions: assign([...p.regions]),
                rules,
                selections: {
                    // A `resources` selection, not `tags`: a tag selection would back up every EC2 volume
                    // and RDS database carrying the same tag.
                    resources: {
                        dynamodb_tables: {
                            iam_role_arn: assign(`arn:${partition}:iam::$account:role/${p.roleName}`),
                            resource_types: assign([DYNAMODB_TABLES]),
                            conditions: { string_equals: conditions },
                        },
                    },
                },
            },
        },
    };
}

function lifecycleOrNothing(cold: number | undefined, del: number | undefined) {
    const lifecycle = lifecycleOf(cold, del);
    return lifecycle ? { lifecycle } : {};
}

/** The document as the policy's `content`: minified, since the size limit counts whitespace. */
export function policyContent(p: ResolvedOrganizationPolicy): string {
    return JSON.stringify(organizationPolicyDocument(p));
}

/** The size problem of a policy's content, if it is over AWS's limit. */
export function contentSizeProblems(content: string): ArgProblem[] {
    if (content.length <= MAX_BACKUP_POLICY_CHARACTERS) return [];
    return [
        {
            propertyPath: "schedule",
            reason:
                `the backup policy document is ${content.length} characters; AWS Organizations takes at most ` +
                `${MAX_BACKUP_POLICY_CHARACTERS} per backup policy. Fix: use fewer rules, copies or Regions, or split the ` +
                "tables into two policies with different selections.",
        },
    ];
}

/** The pack config that makes `dynamodb-production-table-in-backup-plan` know this policy's selection. */
export function packConfigOf(selectedTags: Readonly<Record<string, string>>, copiesLeaveAccounts = false) {
    return {
        "dynamodb-production-table-in-backup-plan": {
            organizationBackupSelections: [{ tags: { ...selectedTags } }],
        },
        // The isolated-backups rule: the policy copies every member's recovery points out of its account.
        ...(copiesLeaveAccounts && {
            "dynamodb-production-table-backups-isolated": {
                organizationIsolatedSelections: [{ tags: { ...selectedTags } }],
            },
        }),
    };
}
