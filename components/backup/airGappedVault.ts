import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Tier, TIER_TAG_KEY } from "../core/constants";
import { physicalName, VAULT_NAME_RULES } from "../core/names";
import { ArgProblem, formatProblems } from "../core/problems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import {
    AIR_GAPPED_MIN_RETENTION_DAYS,
    DEFAULT_AIR_GAPPED_MAX_RETENTION_DAYS,
    validateAirGappedVaultArgs,
} from "./airGapped";
import { vaultNotifications } from "./planParts";
import type { AirGappedDestination, AirGappedVaultArgs } from "./types";

/** The arguments are invalid: every problem, one per line; `problems` holds them for programs. */
export class AirGappedVaultArgsError extends pulumi.ResourceError {
    constructor(
        readonly componentName: string,
        readonly problems: ArgProblem[],
        resource?: pulumi.Resource,
    ) {
        super(formatProblems("AirGappedVault", componentName, problems), resource, true);
        this.name = "AirGappedVaultArgsError";
    }
}

/**
 * A logically air-gapped backup vault, for a central or recovery account: always locked in compliance
 * mode (nobody, not even the account root user, deletes a recovery point before its retention ends),
 * its recovery points held in an account AWS Backup owns, optionally shared through AWS RAM so a
 * recovery account can restore from it when the workload account is lost. Pass its `destination` as
 * `airGapped` to a `TableBackupPlan`, `ProtectionBaseline` or `OrganizationBackupPolicy`.
 *
 * ```ts
 * const vault = new AirGappedVault("last-resort", {
 *     maxRetentionDays: 365,
 *     share: { accountIds: ["111122223333"] },
 * });
 * ```
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
 */
export class AirGappedVault extends pulumi.ComponentResource {
    readonly vault: aws.backup.LogicallyAirGappedVault;
    /** The RAM share, when `share` was given. */
    readonly resourceShare?: aws.ram.ResourceShare;
    /** The topic the component created for notifications, when it created one. */
    readonly topic?: aws.sns.Topic;
    readonly vaultArn: pulumi.Output<string>;
    readonly vaultName: pulumi.Output<string>;
    readonly minRetentionDays: number;
    readonly maxRetentionDays: number;
    readonly tier: Tier;
    /** What a plan's `airGapped` takes: the vault's ARN and its retention range, checked before any cloud call. */
    readonly destination: AirGappedDestination;

    constructor(name: string, args: AirGappedVaultArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("dynamodb-pitr:index:AirGappedVault", name, {}, opts);

        // 1. Validate everything that is known, before any child exists.
        const problems = [
            ...argKeyProblems("AirGappedVault", args, ARG_SHAPES.AirGappedVault),
            ...validateAirGappedVaultArgs(args),
        ];
        if (problems.length > 0) throw new AirGappedVaultArgsError(name, problems, this);

        const tier: Tier = args.tier ?? "production";
        const production = tier === "production";
        const region = args.region;
        const tags = { ...args.tags, [TIER_TAG_KEY]: tier };
        const childOpts = { parent: this };
        const keepOpts = { ...childOpts, protect: production, retainOnDelete: production };
        this.tier = tier;
        this.minRetentionDays = args.minRetentionDays ?? AIR_GAPPED_MIN_RETENTION_DAYS;
        this.maxRetentionDays =
            args.maxRetentionDays ?? Math.max(DEFAULT_AIR_GAPPED_MAX_RETENTION_DAYS, this.minRetentionDays);

        // 2. The vault: compliance-locked by AWS, with no grace period; there is nothing to unlock.
        this.vault = new aws.backup.LogicallyAirGappedVault(
            `${name}-vault`,
            {
                name:
                    args.vaultName ??
                    physicalName([pulumi.getProject(), pulumi.getStack(), name], VAULT_NAME_RULES),
                minRetentionDays: this.minRetentionDays,
                maxRetentionDays: this.maxRetentionDays,
                encryptionKeyArn: args.encryptionKeyArn,
                region,
                tags,
            },
            keepOpts,
        );
        this.vaultArn = this.vault.arn;
        this.vaultName = this.vault.name;
        this.destination = {
            vaultArn: this.vault.arn,
            minRetentionDays: this.minRetentionDays,
            maxRetentionDays: this.maxRetentionDays,
        };

        // 3. The RAM share to the recovery accounts or organization.
        if (args.share)
            this.resourceShare = shareVault(name, this.vault, args.share, { region, tags, childOpts });

        // 4. Notifications.
        this.topic = vaultNotifications(name, args, this.vault, { region, tags, childOpts });

        this.registerOutputs({ vaultArn: this.vaultArn, vaultName: this.vaultName });
    }
}

/** A RAM share of the vault (`<name>-share`), its association, and one principal association per principal. */
function shareVault(
    name: string,
    vault: aws.backup.LogicallyAirGappedVault,
    share: NonNullable<AirGappedVaultArgs["share"]>,
    parts: { region?: string; tags: Record<string, string>; childOpts: pulumi.CustomResourceOptions },
): aws.ram.ResourceShare {
    const { region, tags, childOpts } = parts;
    const resourceShare = new aws.ram.ResourceShare(
        `${name}-share`,
        {
            name: physicalName([pulumi.getProject(), pulumi.getStack(), name], { max: 255, extra: "-_." }),
            allowExternalPrincipals: share.allowExternalPrincipals ?? false,
            region,
            tags,
        },
        childOpts,
    );
    new aws.ram.ResourceAssociation(
        `${name}-share-vault`,
        { resourceArn: vault.arn, resourceShareArn: resourceShare.arn, region },
        childOpts,
    );
    const principals = [
        ...(share.accountIds ?? []),
        ...(share.organizationArn ? [share.organizationArn] : []),
    ];
    for (const principal of principals) {
        new aws.ram.PrincipalAssociation(
            `${name}-share-${/^\d{12}$/.test(principal) ? principal : "organization"}`,
            { principal, resourceShareArn: resourceShare.arn, region },
            childOpts,
        );
    }
    return resourceShare;
}
