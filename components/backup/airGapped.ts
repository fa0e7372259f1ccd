/**
 * Backups the workload account cannot delete: checks of an air-gapped destination and of an
 * {@link AirGappedVault}'s arguments, and the copy a destination adds to every rule. Pure; no
 * Pulumi resources are created here.
 *
 * Facts (AWS Backup Developer Guide, "Logically air-gapped vault",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html): the vault is
 * always locked in compliance mode; its minimum retention is at least 7 days; a job whose retention is
 * outside the vault's range fails; copies of DynamoDB recovery points need advanced DynamoDB backup
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/advanced-ddb-backup.html).
 */
import { TIERS } from "../core/constants";
import { ArgProblem, isKnown, show } from "../core/problems";
import { KNOWN_REGIONS } from "../core/regions";
import { MAX_RETENTION_DAYS, VAULT_NAME_PATTERN } from "./limits";
import type { BackupRuleArgs } from "./presets";
import { wholeNumber } from "./validateRules";
import type { AirGappedDestination, AirGappedVaultArgs } from "./types";

/** AWS's smallest minimum retention for a logically air-gapped vault (CreateLogicallyAirGappedBackupVault). */
export const AIR_GAPPED_MIN_RETENTION_DAYS = 7;
/** {@link AirGappedVault}'s default maximum retention: the default schedule's monthly points are kept a year. */
export const DEFAULT_AIR_GAPPED_MAX_RETENTION_DAYS = 365;

/** A backup vault ARN; `$account` only where an organization policy allows it. */
const VAULT_ARN =
    /^arn:(aws[a-z-]*):backup:([a-z0-9-]+):(\d{12}|\$account):backup-vault:([a-zA-Z0-9_-]{2,50})$/;
const ACCOUNT_ID = /^\d{12}$/;
/** An organization or OU ARN (AWS RAM principals). */
const ORGANIZATION_ARN =
    /^arn:aws[a-z-]*:organizations::\d{12}:(organization\/o-[a-z0-9]{10,32}|ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** The parts of a vault ARN, or undefined when `arn` is not one. */
export function parseVaultArn(
    arn: string,
): { partition: string; region: string; account: string; name: string } | undefined {
    const m = VAULT_ARN.exec(arn);
    return m ? { partition: m[1], region: m[2], account: m[3], name: m[4] } : undefined;
}

/** Problems with a destination vault ARN once known: its form, its Region, `$account` only if allowed. */
export function airGappedArnProblems(
    value: unknown,
    path: string,
    allowAccountVariable = false,
): ArgProblem[] {
    const parsed = typeof value === "string" ? parseVaultArn(value) : undefined;
    const form = `"arn:aws:backup:<region>:<12-digit account${allowAccountVariable ? " or $account" : ""}>:backup-vault:<name>"`;
    if (!parsed || (parsed.account === "$account" && !allowAccountVariable)) {
        return [
            {
                propertyPath: path,
                reason:
                    `\`${path}\` is ${show(value)}; it must be a backup vault ARN, ${form}. Fix: use the vault's ` +
                    "`arn` output (`AirGappedVault.vaultArn`), not its name or a recovery point ARN.",
            },
        ];
    }
    if (!KNOWN_REGIONS.includes(parsed.region)) {
        return [
            {
                propertyPath: path,
                reason:
                    `\`${path}\` names the Region ${show(parsed.region)}, which is not an AWS Region; ` +
                    "fix the ARN's Region (e.g. eu-west-1).",
            },
        ];
    }
    return [];
}

/**
 * Every problem with an air-gapped destination for `rules`: its ARN (when known), its retention range
 * (7 days at least, minimum not above maximum), each rule's copy retention inside that range (a copy
 * kept forever fails in a vault with a maximum), and advanced DynamoDB backup, which copies need.
 */
export function validateAirGappedDestination(
    destination: AirGappedDestination | undefined,
    rules: readonly BackupRuleArgs[],
    advancedDynamoDbBackup: boolean,
    path = "airGapped",
    allowAccountVariable = false,
): ArgProblem[] {
    if (destination === undefined) return [];
    const problems: ArgProblem[] = [];
    const add = (p: string, reason: string) => problems.push({ propertyPath: p, reason });
    if (destination === null || typeof destination !== "object" || Array.isArray(destination)) {
        add(
            path,
            `\`${path}\` is ${show(destination)}; it must be { vaultArn, minRetentionDays?, maxRetentionDays?, ` +
                "deleteAfterDays? }, or an AirGappedVault's `destination`.",
        );
        return problems;
    }
    if (destination.vaultArn === undefined) {
        add(`${path}.vaultArn`, `\`${path}.vaultArn\` is unset; give the destination vault's ARN.`);
    } else if (isKnown(destination.vaultArn)) {
        problems.push(
            ...airGappedArnProblems(destination.vaultArn, `${path}.vaultArn`, allowAccountVariable),
        );
    }
    const { minRetentionDays: min, maxRetentionDays: max, deleteAfterDays } = destination;
    const rangeOk = checkRange(min, max, path, add);
    if (deleteAfterDays !== undefined && !wholeNumber(deleteAfterDays, 1, MAX_RETENTION_DAYS)) {
        add(
            `${path}.deleteAfterDays`,
            `\`${path}.deleteAfterDays\` is ${show(deleteAfterDays)}; it must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`,
        );
    }
    if (rangeOk) {
        for (const rule of rules) {
            const keep = deleteAfterDays ?? rule.lifecycle?.deleteAfterDays;
            const where =
                deleteAfterDays !== undefined
                    ? `\`${path}.deleteAfterDays\` (${keep})`
                    : `rule "${rule.name}" keeps its copies ${keep === undefined ? "forever" : `${keep} days`}`;
            if (keep === undefined && max !== undefined) {
                add(
                    `${path}.deleteAfterDays`,
                    `${where}, but the air-gapped vault keeps recovery points at most ${max} days, so the copy would fail. ` +
                        `Fix: set \`${path}.deleteAfterDays\` or the rule's \`lifecycle.deleteAfterDays\` to at most ${max}.`,
                );
            } else if (keep !== undefined && typeof keep === "number" && min !== undefined && keep < min) {
                add(
                    `${path}.deleteAfterDays`,
                    `${where}, less than the air-gapped vault's minimum retention of ${min} days, so the copy would fail. ` +
                        `Fix: keep copies at least ${min} days (\`${path}.deleteAfterDays\`), or lower the vault's minimum.`,
                );
            } else if (keep !== undefined && typeof keep === "number" && max !== undefined && keep > max) {
                add(
                    `${path}.deleteAfterDays`,
                    `${where}, more than the air-gapped vault's maximum retention of ${max} days, so the copy would fail. ` +
                        `Fix: set \`${path}.deleteAfterDays\` to at most ${max}, or raise the vault's maximum.`,
                );
            }
        }
    }
    if (!advancedDynamoDbBackup) {
        add(
            path,
            `\`${path}\` copies DynamoDB recovery points to another vault, which needs AWS Backup's advanced DynamoDB ` +
                'backup in this account and Region. Fix: set `advancedDynamoDbBackup: "enable"` (or "already-enabled" ' +
                "when another stack or the console turned it on).",
        );
    }
    return dedupe(problems);
}

/** Checks `minRetentionDays` and `maxRetentionDays`; true when the range can be used for further checks. */
function checkRange(
    min: unknown,
    max: unknown,
    path: string,
    add: (p: string, reason: string) => void,
): boolean {
    let ok = true;
    if (min !== undefined && !wholeNumber(min, AIR_GAPPED_MIN_RETENTION_DAYS, MAX_RETENTION_DAYS)) {
        ok = false;
        add(
            `${path}.minRetentionDays`,
            `\`${path}.minRetentionDays\` is ${show(min)}; it must be a whole number of days from ` +
                `${AIR_GAPPED_MIN_RETENTION_DAYS} (AWS's minimum for a logically air-gapped vault) to ${MAX_RETENTION_DAYS}.`,
        );
    }
    if (max !== undefined && !wholeNumber(max, AIR_GAPPED_MIN_RETENTION_DAYS, MAX_RETENTION_DAYS)) {
        ok = false;
        add(
            `${path}.maxRetentionDays`,
            `\`${path}.maxRetentionDays\` is ${show(max)}; it must be a whole number of days from ` +
                `${AIR_GAPPED_MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}.`,
        );
    }
    if (ok && typeof min === "number" && typeof max === "number" && min > max) {
        ok = false;
        add(
            `${path}.maxRetentionDays`,
            `\`${path}.maxRetentionDays\` is ${max}, less than \`${path}.minRetentionDays\` (${min}); ` +
                "the maximum must be at least the minimum.",
        );
    }
    return ok;
}

function dedupe(problems: ArgProblem[]): ArgProblem[] {
    const seen = new Set<string>();
    return problems.filter((p) => !seen.has(p.reason) && seen.add(p.reason) !== undefined);
}

/** Every problem with an {@link AirGappedVault}'s arguments, before any resource exists. */
export function validateAirGappedVaultArgs(args: AirGappedVaultArgs): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (p: string, reason: string) => problems.push({ propertyPath: p, reason });
    if (args === null || typeof args !== "object") {
        add("", `the arguments are ${show(args)}; pass an object.`);
        return problems;
    }
    if (args.tier !== undefined && !(TIERS as readonly string[]).includes(args.tier)) {
        add(
            "tier",
            `\`tier\` is ${show(args.tier)}; it must be one of ${TIERS.map((t) => `"${t}"`).join(", ")}.`,
        );
    }
    if (
        args.vaultName !== undefined &&
        (typeof args.vaultName !== "string" || !VAULT_NAME_PATTERN.test(args.vaultName))
    ) {
        add(
            "vaultName",
            `\`vaultName\` is ${show(args.vaultName)}; it must be 2 to 50 characters of a-z, A-Z, 0-9, \`-\` and \`_\`. ` +
                "Fix: choose such a name, or leave it unset for a generated one.",
        );
    }
    const min = args.minRetentionDays ?? AIR_GAPPED_MIN_RETENTION_DAYS;
    const max =
        args.maxRetentionDays ??
        Math.max(DEFAULT_AIR_GAPPED_MAX_RETENTION_DAYS, typeof min === "number" ? min : 0);
    checkRange(min, max, "", (p, reason) => add(p.replace(/^\./, ""), reason.replace(/`\./g, "`")));
    if (args.region !== undefined && !KNOWN_REGIONS.includes(args.region)) {
        add("region", `\`region\` is ${show(args.region)}; it must be an AWS Region, e.g. "eu-west-1".`);
    }
    checkShare(args.share, add);
    return problems;
}

function checkShare(share: AirGappedVaultArgs["share"], add: (p: string, reason: string) => void) {
    if (share === undefined) return;
    if (share === null || typeof share !== "object") {
        add(
            "share",
            `\`share\` is ${show(share)}; it must be { accountIds?, organizationArn?, allowExternalPrincipals? }.`,
        );
        return;
    }
    const accounts: unknown = share.accountIds ?? [];
    if (!Array.isArray(accounts)) {
        add(
            "share.accountIds",
            `\`share.accountIds\` is ${show(accounts)}; it must be a list of 12-digit account IDs.`,
        );
    } else {
        accounts.forEach((id: unknown, i) => {
            if (typeof id !== "string" || !ACCOUNT_ID.test(id)) {
                add(
                    `share.accountIds[${i}]`,
                    `\`share.accountIds[${i}]\` is ${show(id)}; it must be a 12-digit AWS account ID, e.g. "111122223333". ` +
                        "Fix: copy it from the recovery account (`aws sts get-caller-identity`).",
                );
            }
        });
    }
    if (
        share.organizationArn !== undefined &&
        (typeof share.organizationArn !== "string" || !ORGANIZATION_ARN.test(share.organizationArn))
    ) {
        add(
            "share.organizationArn",
            `\`share.organizationArn\` is ${show(share.organizationArn)}; it must be an organization ARN ` +
                '("arn:aws:organizations::<management account>:organization/o-…") or an OU ARN. Fix: copy it from ' +
                "`aws organizations describe-organization`.",
        );
    }
    if (Array.isArray(accounts) && accounts.length === 0 && share.organizationArn === undefined) {
        add(
            "share",
            "`share` names no one to share with; give `share.accountIds` (the recovery accounts) or " +
                "`share.organizationArn`, or leave `share` unset.",
        );
    }
}

/** The copy an air-gapped destination adds to each rule: to its vault, kept as it says or as the rule. */
export function withAirGappedCopies(
    rules: readonly BackupRuleArgs[],
    destination: AirGappedDestination | undefined,
): BackupRuleArgs[] {
    if (!destination) return [...rules];
    return rules.map((rule) => {
        const keep = destination.deleteAfterDays ?? rule.lifecycle?.deleteAfterDays;
        return {
            ...rule,
            copyActions: [
                ...(rule.copyActions ?? []),
                {
                    destinationVaultArn: destination.vaultArn,
                    lifecycle: keep === undefined ? undefined : { deleteAfterDays: keep },
                },
            ],
        };
    });
}

/**
 * The advisory a production plan gets when nothing copies its recovery points out of the account:
 * what an admin of the account could delete, and the fix; undefined when a copy leaves the account
 * or the plan is not production. A copy action counts as leaving the account: whether its vault is
 * in another account is known only to the cloud, and the pack's rule checks it after deployment.
 */
export function isolationAdvisory(
    owner: string,
    plan: {
        readonly tier: string;
        readonly airGapped?: unknown;
        readonly rules: readonly BackupRuleArgs[];
        readonly vaultLockMode?: string;
        /** A member baseline: the vaults outside the account its organization's policy copies to. */
        readonly copiesOutsideAccount?: readonly string[];
    },
): string | undefined {
    if (plan.tier !== "production" || plan.airGapped !== undefined) return undefined;
    if (plan.rules.some((rule) => (rule.copyActions ?? []).length > 0)) return undefined;
    if (plan.copiesOutsideAccount !== undefined && plan.copiesOutsideAccount.length > 0) return undefined;
    // Member mode: the vault and plan belong to the organization's policy, not to this component.
    const vault =
        plan.vaultLockMode === "compliance"
            ? "the compliance lock keeps its recovery points, but closing the account or deleting the vault's " +
              "customer-managed KMS key still loses them"
            : plan.vaultLockMode === "governance"
              ? "every recovery point in the vault (a governance lock yields to `backup:DeleteBackupVaultLockConfiguration`)"
              : "every recovery point in the vault (it has no lock)";
    return (
        `${owner}: every backup of these production tables stays in this account. Someone with admin in it ` +
        `(ransomware, a compromised pipeline) can turn PITR off, delete the tables, and delete ${vault}. ` +
        `Fix: set \`airGapped\`${plan.copiesOutsideAccount !== undefined ? " on the OrganizationBackupPolicy" : ""} ` +
        "to a logically air-gapped vault (an `AirGappedVault`'s `destination`) or to a compliance-locked vault in " +
        "another account, with `advancedDynamoDbBackup`. See docs/ransomware.md."
    );
}
