// The platform team's golden template: what every DynamoDB table in the organisation gets without
// asking. App teams call `platform.table(...)` and write only their keys and indexes.
//
// - One ProtectionBaseline per account and Region: one customer-managed KMS key for every table and
//   its backups, one AWS Backup plan whose tag selection covers every production table of the team
//   (and any table added later), one set of alarms for all of them to one SNS topic, AWS Config rules
//   once. A table registers itself and nothing else, so hundreds of tables stay within AWS's quotas.
// - Daily (35 days), weekly (90 days) and monthly (7 years, cold after 90 days) recovery points, a
//   vault lock in governance mode, notifications of every job's outcome, and a weekly restore test.
// - Org tags on every table (team, cost centre, data classification) next to `environment`.
//
// In a real organisation the baseline lives in the platform's own stack, and app stacks join it by
// reference: export `baseline.kmsKeyArn`, `planArn`, `vaultName`, `selectedTags`, `region`,
// `replicaKmsKeyArns` and `alertScope` there, read them with a `pulumi.StackReference` here, and pass
// the object as `baseline` (see docs/fleet.md). This example keeps both in one program.
//
// In your own project, import from the package instead: `import { ... } from "dynamodb-pitr";`
import { ProtectionBaseline, ResilientTable, ResilientTableArgs } from "../../components";

/** Who owns the tables: becomes tags, and the names of the shared resources. */
export interface PlatformOptions {
    /** The owning team, e.g. `checkout`. */
    readonly team: string;
    /** The cost centre billed for the tables and their backups. */
    readonly costCenter: string;
    /** Data classification tag. @default "confidential" */
    readonly dataClassification?: string;
    /** Regions the team's global tables replicate to. @default [] */
    readonly replicaRegions?: readonly string[];
}

/** What an app team may set: everything but the protection the platform decides. */
export type GoldenTableArgs = Omit<
    ResilientTableArgs,
    "kmsKeyArn" | "encryption" | "baseline" | "tier" | "monitoring" | "keepOwnKeyAndVault"
>;

export class Platform {
    /** The team's protection baseline: key, backups, alarms and Config rules for every table. */
    readonly baseline: ProtectionBaseline;
    private readonly tags: Record<string, string>;

    constructor(options: PlatformOptions) {
        this.tags = {
            team: options.team,
            "cost-center": options.costCenter,
            "data-classification": options.dataClassification ?? "confidential",
        };
        this.baseline = new ProtectionBaseline(options.team, {
            replicaRegions: options.replicaRegions,
            // The team's production tables: a table carrying both tags is backed up, in any stack.
            selection: { tags: { environment: "production", team: options.team } },
            schedule: "daily-weekly-monthly-7-year",
            // The landing zone turns on advanced DynamoDB backup in every account, so monthly
            // recovery points move to cold storage after 90 days.
            advancedDynamoDbBackup: "already-enabled",
            // Governance mode: nobody deletes a recovery point early without the IAM permission to
            // bypass the lock. The range covers the plan's rules (35 days to 7 years).
            vaultLock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 2555 },
            notifications: {},
            restoreTesting: true,
            tags: this.tags,
        });
    }

    /** A production table with the organisation's protection; the app team sets keys and indexes. */
    table(name: string, args: GoldenTableArgs): ResilientTable {
        return new ResilientTable(name, {
            ...args,
            tier: "production",
            tags: { ...args.tags, ...this.tags },
            baseline: this.baseline,
        });
    }
}
