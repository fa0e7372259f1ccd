/**
 * `OrganizationBackupPolicy` as the Pulumi package presents it to Python, Go, .NET, Java and YAML:
 * the same component under the same type token, its schedule as a preset name plus custom rules and
 * its selection as a flat map (see ./resilientTable.ts for which types the schema inference supports).
 */
import * as pulumi from "@pulumi/pulumi";
import * as components from "..";
import type { BackupRuleArgs } from "../backup/presets";
import { toSchedule } from "./tableBackupPlan";
import { toPackageProblems } from "./packageProblems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";

/** A copy of every recovery point to another vault. */
export interface OrganizationCopyTo {
    /** The destination vault's ARN; `$account` may stand for the account ID. */
    readonly vaultArn: pulumi.Input<string>;
    /** Days after which the copy is deleted (1 to 36,500). Defaults to the rule's own retention. */
    readonly deleteAfterDays?: number;
}

/** Arguments of an {@link OrganizationBackupPolicy} in the Pulumi package. */
export interface OrganizationBackupPolicyArgs {
    /** Root (`r-…`), OU (`ou-…-…`) or 12-digit account IDs to attach the policy to; one attachment each. */
    readonly targetIds: pulumi.Input<string>[];
    /** The Regions where AWS Backup creates the plan in every account the policy reaches. Required, non-empty. */
    readonly regions: string[];
    /** A schedule preset, as `TableBackupPlan`'s. Defaults to `daily-monthly-1-year` when no `rules` are given. */
    readonly schedule?: string;
    /** Custom rules, in addition to `schedule` when both are given. Defaults to none. */
    readonly rules?: BackupRuleArgs[];
    /** The tags a DynamoDB table must carry to be selected. Defaults to `{ environment: production }`. */
    readonly selectionTags?: Record<string, string>;
    /** The vault name in every member account and Region. Defaults to `dynamodb-organization-backups`. */
    readonly vaultName?: string;
    /** The IAM role name AWS Backup assumes in every member account. Defaults to `dynamodb-organization-backup`. */
    readonly roleName?: string;
    /** Copies of every rule's recovery points, keyed by destination vault ARN. Defaults to none. */
    readonly copyTo?: OrganizationCopyTo[];
    /** The plan's name in every member account. Defaults to `dynamodb-tables`. */
    readonly planName?: string;
    /** `already-enabled` states that advanced DynamoDB backup is on in every member account and Region. Defaults to unset. */
    readonly advancedDynamoDbBackup?: string;
    /** Let policies lower in the organization change this plan. Defaults to `false`. */
    readonly allowChildPolicyChanges?: boolean;
    /** Description of the Organizations policy. Defaults to one naming the selection and Regions. */
    readonly description?: string;
    /** Tags on the Organizations policy. Defaults to none. */
    readonly tags?: Record<string, string>;
}

const RENAMES: Array<[string, string]> = [["selection.tags", "selectionTags"]];

/** The TypeScript component's arguments, from the package's. */
export function toOrganizationPolicyArgs(
    args: OrganizationBackupPolicyArgs,
): components.OrganizationBackupPolicyArgs {
    const { schedule, rules, selectionTags, advancedDynamoDbBackup, ...rest } =
        args ?? ({} as OrganizationBackupPolicyArgs);
    return {
        ...rest,
        schedule: toSchedule(schedule, rules),
        selection: selectionTags !== undefined ? { tags: selectionTags } : undefined,
        advancedDynamoDbBackup:
            advancedDynamoDbBackup as components.OrganizationBackupPolicyArgs["advancedDynamoDbBackup"],
    };
}

/** The TypeScript component's arguments; a key the package does not know is refused, named. */
function checked(name: string, args: OrganizationBackupPolicyArgs): components.OrganizationBackupPolicyArgs {
    const problems = argKeyProblems(
        "OrganizationBackupPolicy",
        args,
        ARG_SHAPES["package:OrganizationBackupPolicy"],
    );
    if (problems.length > 0) throw new components.OrganizationPolicyArgsError(name, problems);
    return toOrganizationPolicyArgs(args);
}

/** The TypeScript component, seen by the schema analyzer as a direct `ComponentResource` subclass. */
const TypeScriptOrganizationBackupPolicy = components.OrganizationBackupPolicy as unknown as new (
    name: string,
    args: components.OrganizationBackupPolicyArgs,
    opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/**
 * One AWS Organizations backup policy for the production DynamoDB tables of every account it is
 * attached to, from the same presets as `TableBackupPlan`. Each member account needs the vault and
 * role it names: a `ProtectionBaseline` with `organizationMember`.
 */
export class OrganizationBackupPolicy extends TypeScriptOrganizationBackupPolicy {
    /** The Organizations policy's id. */
    declare readonly policyId: pulumi.Output<string>;
    /** The policy document as sent to AWS (minified JSON). */
    declare readonly content: pulumi.Output<string>;
    /** The vault name every member account needs. */
    declare readonly vaultName: string;
    /** The IAM role name every member account needs. */
    declare readonly roleName: string;
    /** The tags the policy selects tables by. */
    declare readonly selectedTags: Record<string, string>;
    /** The policy pack configuration for the member stacks, as JSON. */
    readonly packConfigJson: string;

    constructor(name: string, args: OrganizationBackupPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        try {
            super(name, checked(name, args), opts);
        } catch (e) {
            throw e instanceof components.OrganizationPolicyArgsError
                ? new components.OrganizationPolicyArgsError(name, toPackageProblems(e.problems, RENAMES))
                : e;
        }
        this.packConfigJson = JSON.stringify(
            (this as unknown as components.OrganizationBackupPolicy).packConfig,
        );
    }
}
