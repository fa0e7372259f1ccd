/**
 * `OrganizationBackupPolicy` as the Pulumi package presents it to Python, Go, .NET, Java and YAML:
 * the same component under the same type token, its schedule as a preset name plus custom rules and
 * its selection as a flat map (see ./resilientTable.ts for which types the schema inference supports).
 */
import * as pulumi from "@pulumi/pulumi";
import * as components from "..";
import { toSchedule } from "./tableBackupPlan";
import { toPackageProblems } from "./packageProblems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import type { OrganizationBackupPolicyArgs } from "./types/backup";

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
