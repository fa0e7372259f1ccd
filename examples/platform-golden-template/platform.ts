// The platform team's golden template: what every DynamoDB table in the organisation gets without
// asking. App teams call `platform.table(...)` and write only their keys and indexes.
//
// - Org tags on every table (team, cost centre, data classification) next to `environment`.
// - One customer-managed KMS key per app stack, rotated yearly, for the tables and their backups.
// - One AWS Backup plan per app stack that selects every production DynamoDB table by its tag, so
//   a new table is protected the moment it exists and no table needs its own selection: daily
//   (35 days), weekly (90 days) and monthly (7 years, cold after 90 days) recovery points, a vault
//   lock in governance mode, notifications of every job's outcome, and a weekly restore test.
//
// In your own project, import from the package instead: `import { ... } from "dynamodb-pitr";`
import * as aws from "@pulumi/aws";
import { ResilientTable, ResilientTableArgs, TableBackupPlan } from "../../components";

/** Who owns the tables: becomes tags, and the names of the shared resources. */
export interface PlatformOptions {
    /** The owning team, e.g. `checkout`. */
    readonly team: string;
    /** The cost centre billed for the tables and their backups. */
    readonly costCenter: string;
    /** Data classification tag. @default "confidential" */
    readonly dataClassification?: string;
}

/** What an app team may set: everything but the protection the platform decides. */
export type GoldenTableArgs = Omit<ResilientTableArgs, "kmsKeyArn" | "encryption" | "backup" | "tier">;

export class Platform {
    /** The key that encrypts the tables and the backup vault. */
    readonly key: aws.kms.Key;
    /** The shared backup plan; its tag selection covers every production table. */
    readonly backups: TableBackupPlan;
    private readonly tags: Record<string, string>;

    constructor(options: PlatformOptions) {
        this.tags = {
            team: options.team,
            "cost-center": options.costCenter,
            "data-classification": options.dataClassification ?? "confidential",
        };
        this.key = new aws.kms.Key(
            `${options.team}-tables`,
            {
                description: `Encrypts the DynamoDB tables of ${options.team} and their backups`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: this.tags,
            },
            // The key is the data: losing it loses every table and backup it encrypts.
            { protect: true, retainOnDelete: true },
        );
        this.backups = new TableBackupPlan(`${options.team}-backups`, {
            schedule: "daily-weekly-monthly-7-year",
            kmsKeyArn: this.key.arn,
            selectTags: { environment: "production", team: options.team },
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
            kmsKeyArn: this.key.arn,
            tags: { ...args.tags, ...this.tags },
            backup: { plan: this.backups },
        });
    }
}
