/**
 * A `ProtectionBaseline` in an account that an AWS Organizations backup policy protects
 * (`organizationMember`): the vault (with its key and lock) and the IAM role the policy names, under
 * exactly those names, and no plan or selection of its own, since AWS Backup creates the plan from
 * the policy ("Backup policy syntax and examples": "Vaults must exist in each specified AWS Region ...
 * for each AWS account that receives the effective policy"; "The IAM role must exist when creating a
 * backup plan for the first time"). See docs/organizations.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { backupServiceRole, lockVault } from "../backup/planParts";
import { AirGappedDestination, BackupVaultLockArgs } from "../backup/types";
import { VAULT_NAME_PATTERN } from "../backup/limits";
import {
    DEFAULT_ORGANIZATION_ROLE_NAME,
    DEFAULT_ORGANIZATION_VAULT_NAME,
    OrganizationMemberArgs,
} from "../org/organizationPolicyArgs";
import { TIER_TAG_KEY } from "../core/constants";
import { ArgProblem, show } from "../core/problems";
import { validateAirGappedDestination } from "../backup/airGapped";
import { ROLE_NAME_PATTERN } from "../core/names";

/** Baseline arguments that configure a plan or selection, which the organization's policy owns. */
const PLAN_ONLY = [
    "schedule",
    "selection",
    "planName",
    "vaultName",
    "restoreTesting",
    "notifications",
    "scheduleTagKey",
];

/** Every problem with `organizationMember` and the arguments it cannot be combined with. */
export function validateOrganizationMember(args: Record<string, unknown>): ArgProblem[] {
    const member = args.organizationMember;
    if (member === undefined) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (member === null || typeof member !== "object" || Array.isArray(member)) {
        add(
            "organizationMember",
            `\`organizationMember\` is ${show(member)}; it must be { vaultName?, roleName?, selectedTags? }. Fix: pass ` +
                "the OrganizationBackupPolicy's `memberArgs`, or {} for its defaults.",
        );
        return problems;
    }
    const m = member as Record<string, unknown>;
    // Unknown keys are checked with the baseline's other arguments (argShapes.ts).
    if (m.createRole !== undefined && typeof m.createRole !== "boolean") {
        add(
            "organizationMember.createRole",
            `\`organizationMember.createRole\` is ${show(m.createRole)}; it must be true or false. Fix: write the boolean without quotes.`,
        );
    }
    if (
        m.vaultName !== undefined &&
        (typeof m.vaultName !== "string" || !VAULT_NAME_PATTERN.test(m.vaultName))
    ) {
        add(
            "organizationMember.vaultName",
            `\`organizationMember.vaultName\` is ${show(m.vaultName)}; it must be 2 to 50 characters of a-z, A-Z, 0-9, \`-\` ` +
                "and `_`, the name the organization's backup policy gives. Fix: use the policy's `vaultName`.",
        );
    }
    if (m.roleName !== undefined && (typeof m.roleName !== "string" || !ROLE_NAME_PATTERN.test(m.roleName))) {
        add(
            "organizationMember.roleName",
            `\`organizationMember.roleName\` is ${show(m.roleName)}; it must be 1 to 64 characters of a-z, A-Z, 0-9 and ` +
                "`+=,.@_-`. Fix: use the policy's `roleName`.",
        );
    }
    const tags = m.selectedTags;
    if (
        tags !== undefined &&
        (tags === null ||
            typeof tags !== "object" ||
            Array.isArray(tags) ||
            Object.keys(tags).length === 0 ||
            Object.values(tags).some((v) => typeof v !== "string"))
    ) {
        add(
            "organizationMember.selectedTags",
            `\`organizationMember.selectedTags\` is ${show(tags)}; it must be the policy's selection tags, e.g. ` +
                '{ environment: "production" }. Fix: use the policy\'s `selectedTags`.',
        );
    }
    const copies = m.copiesOutsideAccount;
    if (copies !== undefined && (!Array.isArray(copies) || copies.some((c) => typeof c !== "string"))) {
        add(
            "organizationMember.copiesOutsideAccount",
            `\`organizationMember.copiesOutsideAccount\` is ${show(copies)}; it must be a list of vault ARNs. Fix: ` +
                "use the policy's `memberArgs.copiesOutsideAccount`.",
        );
    }
    // In member mode `airGapped` names where the organization's policy copies (its `airGapped`): it
    // creates nothing here, is checked as any destination (without rules: the policy holds them), and
    // tells the baseline that its recovery points leave the account.
    if (args.airGapped !== undefined) {
        problems.push(
            ...validateAirGappedDestination(
                args.airGapped as AirGappedDestination,
                [],
                args.advancedDynamoDbBackup !== undefined,
                "airGapped",
            ),
        );
    }
    for (const field of PLAN_ONLY) {
        if (args[field] !== undefined) {
            add(
                field,
                `\`${field}\` is set with \`organizationMember\`; in member mode the organization's backup policy owns the ` +
                    "plan, its schedule, vault name and selection, and the baseline creates none. Fix: remove it, or set it " +
                    "on the OrganizationBackupPolicy.",
            );
        }
    }
    return problems;
}

/** What the member-mode baseline created for the organization's plan. */
export interface MemberBackups {
    readonly vault: aws.backup.Vault;
    /** The role, when this baseline created it (`createRole` not false). */
    readonly role?: aws.iam.Role;
    readonly vaultName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
}

/** The vault (with its lock) and role the policy names, under `parent`. */
export function createMemberBackups(
    name: string,
    member: OrganizationMemberArgs,
    options: {
        readonly kmsKeyArn: pulumi.Input<string>;
        readonly vaultLock?: BackupVaultLockArgs;
        readonly advancedDynamoDbBackup?: "enable" | "already-enabled";
        readonly region?: string;
        readonly tags: Record<string, string>;
    },
    parent: pulumi.Resource,
): MemberBackups {
    const childOpts = { parent };
    const keepOpts = { ...childOpts, protect: true, retainOnDelete: true };
    const { region, tags } = options;
    if (options.advancedDynamoDbBackup === "enable") {
        new aws.backup.RegionSettings(
            `${name}-region-settings`,
            {
                region,
                resourceTypeOptInPreference: { DynamoDB: true },
                resourceTypeManagementPreference: { DynamoDB: true },
            },
            { ...childOpts, retainOnDelete: true },
        );
    }
    const vault = new aws.backup.Vault(
        `${name}-vault`,
        {
            name: member.vaultName ?? DEFAULT_ORGANIZATION_VAULT_NAME,
            kmsKeyArn: options.kmsKeyArn,
            forceDestroy: false,
            region,
            tags: { ...tags, [TIER_TAG_KEY]: "production" },
        },
        keepOpts,
    );
    if (options.vaultLock) {
        lockVault(name, vault, options.vaultLock, region, keepOpts);
    }
    // IAM is global: one role per account serves every Region the policy names, so a second Region's
    // baseline of the same account must not create it again (see docs/organizations.md).
    const roleName = member.roleName ?? DEFAULT_ORGANIZATION_ROLE_NAME;
    if (member.createRole === false) {
        const roleArn = aws
            .getPartitionOutput({}, { parent })
            .partition.apply((partition) =>
                aws
                    .getCallerIdentityOutput({}, { parent })
                    .accountId.apply((account) => `arn:${partition}:iam::${account}:role/${roleName}`),
            );
        return { vault, vaultName: vault.name, roleArn };
    }
    const role = createMemberRole(name, roleName, tags, childOpts);
    return { vault, role, vaultName: vault.name, roleArn: role.arn };
}

/** The role the organization's backup policy names, with AWS Backup's managed policies. */
function createMemberRole(
    name: string,
    roleName: string,
    tags: Record<string, string>,
    childOpts: { parent: pulumi.Resource },
): aws.iam.Role {
    return backupServiceRole(
        name,
        {
            name: roleName,
            description:
                "Lets AWS Backup back up and restore DynamoDB tables for the organization's backup policy",
            tags,
        },
        childOpts,
    );
}
