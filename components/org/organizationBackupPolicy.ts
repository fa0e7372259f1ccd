/**
 * One AWS Organizations backup policy that backs up the production DynamoDB tables of every account
 * it reaches, from the same validated presets as {@link TableBackupPlan}. Created in the management
 * account (or a delegated administrator for backup policies); each member account needs the vault and
 * role the policy names, which a `ProtectionBaseline` with `organizationMember` creates. See
 * docs/organizations.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { formatProblems, ArgProblem, isKnown } from "../core/problems";
import { physicalName } from "../core/names";
import {
    contentSizeProblems,
    copiesOf,
    copyVaultArnProblems,
    packConfigOf,
    policyContent,
    resolvePolicyArgs,
    targetIdProblems,
    validateOrganizationPolicyArgs,
} from "./organizationPolicyDocument";
import { OrganizationBackupPolicyArgs, OrganizationMemberArgs } from "./organizationPolicyArgs";

/** The arguments are invalid; the message lists every problem. The stack is hidden. */
export class OrganizationPolicyArgsError extends pulumi.ResourceError {
    constructor(
        readonly componentName: string,
        readonly problems: ArgProblem[],
        resource?: pulumi.Resource,
    ) {
        super(formatProblems("OrganizationBackupPolicy", componentName, problems), resource, true);
        this.name = "OrganizationPolicyArgsError";
    }
}

/**
 * ```ts
 * const policy = new OrganizationBackupPolicy("dynamodb", {
 *     targetIds: ["ou-ab12-cdef3456"],
 *     regions: ["eu-west-1", "eu-central-1"],
 *     schedule: "daily-weekly-monthly-7-year",
 * });
 * export const packConfig = policy.packConfig;
 * ```
 */
export class OrganizationBackupPolicy extends pulumi.ComponentResource {
    readonly policy: aws.organizations.Policy;
    readonly attachments: aws.organizations.PolicyAttachment[] = [];
    readonly policyId: pulumi.Output<string>;
    /** The policy document as sent to AWS: minified JSON. */
    readonly content: pulumi.Output<string>;
    /** The vault, role and plan names every member account gets. */
    readonly vaultName: string;
    readonly roleName: string;
    readonly planName: string;
    /** The tags the policy selects DynamoDB tables by. */
    readonly selectedTags: Readonly<Record<string, string>>;
    /**
     * The policy pack configuration that tells `dynamodb-production-table-in-backup-plan` about this
     * policy: write it to the member stacks' `--policy-pack-config` file (docs/organizations.md).
     */
    readonly packConfig: ReturnType<typeof packConfigOf>;
    /** What each member account's `ProtectionBaseline` takes as `organizationMember`. */
    readonly memberArgs: Required<Omit<OrganizationMemberArgs, "createRole">>;

    constructor(
        name: string,
        args: OrganizationBackupPolicyArgs,
        opts: pulumi.ComponentResourceOptions = {},
    ) {
        super("dynamodb-pitr:index:OrganizationBackupPolicy", name, {}, opts);

        // 1. Validate everything that is known, before any child exists.
        const problems = validateOrganizationPolicyArgs(args);
        const copyArns = args && typeof args === "object" ? copiesOf(args).map((c) => c?.vaultArn) : [];
        const known = problems.length === 0 && copyArns.every(isKnown);
        if (known)
            problems.push(
                ...contentSizeProblems(policyContent(resolvePolicyArgs(args, copyArns as string[]))),
            );
        if (problems.length > 0) throw new OrganizationPolicyArgsError(name, problems, this);

        const resolvedNow = resolvePolicyArgs(args, []);
        this.vaultName = resolvedNow.vaultName;
        this.roleName = resolvedNow.roleName;
        this.planName = resolvedNow.planName;
        this.selectedTags = resolvedNow.selectedTags;

        this.memberArgs = {
            vaultName: this.vaultName,
            roleName: this.roleName,
            selectedTags: this.selectedTags,
            // Copies to a vault named with `$account` stay in the member account (another Region).
            copiesOutsideAccount: copyArns
                .map((arn, i) =>
                    typeof arn === "string"
                        ? arn
                        : i < (args.copyTo ?? []).length
                          ? `copyTo[${i}]`
                          : "airGapped",
                )
                .filter((arn) => !arn.includes(":$account:")),
        };
        this.packConfig = packConfigOf(this.selectedTags, this.memberArgs.copiesOutsideAccount.length > 0);
        const childOpts = { parent: this };

        // Values known only later (Outputs) are checked when they resolve, before the policy is sent.
        const fail = (found: ArgProblem[]) => {
            if (found.length > 0) throw new OrganizationPolicyArgsError(name, found, this);
        };
        this.content = pulumi.all(copyArns.map((a) => pulumi.output(a))).apply((arns) => {
            const copyCount = (args.copyTo ?? []).length;
            fail(
                arns.flatMap((arn, i) =>
                    copyVaultArnProblems(arn, i < copyCount ? `copyTo[${i}].vaultArn` : "airGapped.vaultArn"),
                ),
            );
            const content = policyContent(resolvePolicyArgs(args, arns));
            fail(contentSizeProblems(content));
            return content;
        });

        // 2. The policy, and one attachment per target.
        const tags = Object.entries(this.selectedTags)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ");
        this.policy = new aws.organizations.Policy(
            `${name}-policy`,
            {
                name: physicalName([pulumi.getProject(), pulumi.getStack(), name], { max: 128, extra: "-_" }),
                type: "BACKUP_POLICY",
                description:
                    args.description ??
                    `Backs up DynamoDB tables tagged ${tags} in ${args.regions.join(", ")} (plan ${this.planName}).`.slice(
                        0,
                        512,
                    ),
                content: this.content,
                tags: args.tags,
            },
            childOpts,
        );
        this.policyId = this.policy.id;
        args.targetIds.forEach((target, i) => {
            const targetId = pulumi.output(target).apply((t) => {
                fail(targetIdProblems(t, `targetIds[${i}]`));
                return t;
            });
            this.attachments.push(
                new aws.organizations.PolicyAttachment(
                    `${name}-${typeof target === "string" ? target : `target-${i}`}`,
                    { policyId: this.policy.id, targetId },
                    childOpts,
                ),
            );
        });

        this.registerOutputs({ policyId: this.policyId, content: this.content, packConfig: this.packConfig });
    }
}
