/**
 * An on-demand DynamoDB backup taken whenever a trigger value changes: a Pulumi dynamic provider
 * that calls the AWS SDK v3 DynamoDB client (`DescribeContinuousBackups`, `CreateBackup`,
 * `DescribeBackup`). On-demand backups are kept until deleted, independent of PITR's window (API
 * Reference, CreateBackup), so a risky deployment always has a restore point that outlives it.
 *
 * Dynamic providers are serialized with their closures and run in a separate process: everything the
 * provider needs is inside {@link onDemandBackupProvider}, and the SDK is required inside its methods.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Backup names: 3 to 255 characters of `a-z A-Z 0-9 _ - .` (API Reference, CreateBackup BackupName). */
export const BACKUP_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;

/** Error names that mean "slow down and try again" (DynamoDB API Reference, Common Errors). */
export const RETRYABLE_ERRORS = [
    "ThrottlingException",
    "LimitExceededException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
];

/**
 * A traceable backup name, `<table>-<trigger>-<yyyymmddThhmmss>` (UTC), e.g.
 * `Orders-migration-42-20261125T155600`. Characters AWS does not accept in a backup name become `-`,
 * and long parts are shortened so that the name stays within 255 characters, time stamp kept.
 */
export function backupName(tableName: string, trigger: string, at: Date): string {
    const clean = (text: string) => text.replace(/[^a-zA-Z0-9_.-]+/g, "-");
    const stamp = at
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "");
    const triggerPart = clean(trigger).slice(0, 64);
    const budget = 255 - stamp.length - 2 - triggerPart.length;
    return `${clean(tableName).slice(0, budget)}-${triggerPart}-${stamp}`;
}

/** What the provider is given. */
export interface OnDemandBackupInputs {
    tableName: string;
    trigger: string;
    region?: string;
    deleteBackupOnDestroy?: boolean;
}

/** What the provider records. */
export interface OnDemandBackupOutputs extends OnDemandBackupInputs {
    /** ARN of the latest backup. */
    backupArn: string;
    backupName: string;
    /** `CREATING` or `AVAILABLE` (the backup holds the table as of the request either way). */
    backupStatus: string;
    /** When the latest backup was requested, ISO 8601. */
    backupCreationDateTime: string;
    backupSizeBytes?: number;
    /** The table's PITR status when the backup was taken: `ENABLED`, `DISABLED`, ... */
    pointInTimeRecoveryStatus: string;
    /** Every backup this resource took, oldest first. */
    backupArns: string[];
}

/** Seams for tests; a deployment uses the defaults. */
export interface OnDemandBackupProviderOptions {
    /** Makes the DynamoDB client. Defaults to `new DynamoDBClient({ region })` with the default credential chain. */
    client?: (region: string | undefined) => Pick<DynamoDBClient, "send">;
    /** Waits between attempts. */
    sleep?: (ms: number) => Promise<void>;
    /** The current time, for backup names. */
    now?: () => Date;
    /** Attempts per call for throttling and other retryable errors. @default 6 */
    maxAttempts?: number;
    /** First backoff delay; doubles each attempt, with jitter, up to 20 s. @default 500 */
    baseDelayMs?: number;
    /** How long to wait for a backup to become `AVAILABLE` before recording it as `CREATING`. @default 600000 */
    availableTimeoutMs?: number;
    /** Interval between `DescribeBackup` polls. @default 5000 */
    pollIntervalMs?: number;
}

/** Checks the provider's inputs; every problem, each naming its property. */
export function checkOnDemandBackupInputs(inputs: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    // During a preview, values not known yet arrive as this sentinel; they are checked once known.
    const notYetKnown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const known = (value: unknown) => (value === notYetKnown ? undefined : value);
    const [tableName, trigger, region, deleteBackupOnDestroy] = [
        inputs.tableName,
        inputs.trigger,
        inputs.region,
        inputs.deleteBackupOnDestroy,
    ].map(known);
    const pending = (key: string) => inputs[key] === notYetKnown;
    if (
        !pending("tableName") &&
        (typeof tableName !== "string" || !/^[a-zA-Z0-9_.-]{3,255}$/.test(tableName))
    ) {
        failures.push({
            property: "tableName",
            reason: `\`tableName\` is ${JSON.stringify(tableName) ?? "unset"}; it must be a table name (3 to 255 characters of a-z A-Z 0-9 _ - .).`,
        });
    }
    if (!pending("trigger") && (typeof trigger !== "string" || trigger.trim().length === 0)) {
        failures.push({
            property: "trigger",
            reason: `\`trigger\` is ${JSON.stringify(trigger) ?? "unset"}; it must be a non-empty string, e.g. a migration version or release id.`,
        });
    }
    if (region !== undefined && (typeof region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) {
        failures.push({
            property: "region",
            reason: `\`region\` is ${JSON.stringify(region)}; it must be an AWS Region code such as "us-east-1".`,
        });
    }
    if (deleteBackupOnDestroy !== undefined && typeof deleteBackupOnDestroy !== "boolean") {
        failures.push({
            property: "deleteBackupOnDestroy",
            reason: `\`deleteBackupOnDestroy\` is ${JSON.stringify(deleteBackupOnDestroy)}; it must be true or false.`,
        });
    }
    return failures;
}

/**
 * The provider. Its behaviour:
 * - `diff`: a new `trigger` is an update (a new backup; earlier ones are kept); a new `tableName` or
 *   `region` is a replacement; `deleteBackupOnDestroy` alone updates state and takes no backup.
 * - `create` / `update`: report the table's PITR status, take a backup, wait (bounded) for it to be
 *   `AVAILABLE`. Throttling and limit errors are retried with exponential backoff.
 * - `delete`: nothing, unless `deleteBackupOnDestroy` is true; then the backups this resource took.
 */
export function onDemandBackupProvider(
    options: OnDemandBackupProviderOptions = {},
): pulumi.dynamic.ResourceProvider<OnDemandBackupInputs, OnDemandBackupOutputs> {
    const retryable = RETRYABLE_ERRORS;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const now = options.now ?? (() => new Date());
    const maxAttempts = options.maxAttempts ?? 6;
    const baseDelayMs = options.baseDelayMs ?? 500;
    const availableTimeoutMs = options.availableTimeoutMs ?? 600_000;
    const pollIntervalMs = options.pollIntervalMs ?? 5_000;

    const sdk = () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("@aws-sdk/client-dynamodb");
    };
    const clientFor = (region: string | undefined) =>
        options.client ? options.client(region) : new (sdk().DynamoDBClient)(region ? { region } : {});

    const where = (inputs: OnDemandBackupInputs) =>
        `table "${inputs.tableName}"${inputs.region ? ` in ${inputs.region}` : ""}`;

    /** Runs `call`, retrying retryable errors; rethrows others with what was being done and why it failed. */
    const attempt = async (
        operation: string,
        inputs: OnDemandBackupInputs,
        call: () => Promise<any>,
    ): Promise<any> => {
        for (let tries = 1; ; tries++) {
            try {
                return await call();
            } catch (error: any) {
                const name = String(error?.name ?? "Error");
                const detail = `${name}: ${error?.message ?? error}`;
                if (retryable.includes(name) || error?.$retryable) {
                    if (tries < maxAttempts) {
                        const ceiling = Math.min(baseDelayMs * 2 ** (tries - 1), 20_000);
                        await sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
                        continue;
                    }
                    throw new Error(
                        `${operation} for ${where(inputs)} was still refused after ${tries} attempts (${detail}); ` +
                            "no backup was taken. Run the deployment again later, or raise the account's limit.",
                    );
                }
                if (name === "TableNotFoundException" || name === "ResourceNotFoundException") {
                    throw new Error(
                        `${operation}: ${where(inputs)} was not found (${detail}). Check \`tableName\` and the ` +
                            "Region (`region`, or the AWS provider's Region); no backup was taken.",
                    );
                }
                throw new Error(`${operation} for ${where(inputs)} failed (${detail}).`);
            }
        }
    };

    const takeBackup = async (inputs: OnDemandBackupInputs) => {
        const client = clientFor(inputs.region);
        const { DescribeContinuousBackupsCommand, CreateBackupCommand, DescribeBackupCommand } = sdk();
        // The PITR status is a report: a missing table stops here, but a status that cannot be read
        // (no `dynamodb:DescribeContinuousBackups` permission) must not cost the backup.
        const pitr = await attempt("DescribeContinuousBackups", inputs, () =>
            client.send(new DescribeContinuousBackupsCommand({ TableName: inputs.tableName })),
        ).then(
            (continuous) =>
                continuous?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
                    ?.PointInTimeRecoveryStatus ?? "UNKNOWN",
            (error: Error) => {
                if (/ was not found /.test(error.message)) throw error;
                return "UNKNOWN";
            },
        );
        const name = backupName(inputs.tableName, inputs.trigger, now());
        const created = await attempt("CreateBackup", inputs, () =>
            client.send(new CreateBackupCommand({ TableName: inputs.tableName, BackupName: name })),
        );
        const details = created?.BackupDetails;
        if (!details?.BackupArn) {
            throw new Error(`CreateBackup for ${where(inputs)} returned no backup ARN.`);
        }
        // The backup holds the table as of the request; waiting only confirms that it completed.
        let status: string = details.BackupStatus ?? "CREATING";
        let size: number | undefined = details.BackupSizeBytes;
        const deadline = Date.now() + availableTimeoutMs;
        while (status === "CREATING" && Date.now() < deadline) {
            await sleep(pollIntervalMs);
            const described = await attempt("DescribeBackup", inputs, () =>
                client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn })),
            );
            const backup = described?.BackupDescription?.BackupDetails;
            status = backup?.BackupStatus ?? status;
            size = backup?.BackupSizeBytes ?? size;
        }
        if (status === "DELETED") {
            throw new Error(
                `Backup ${details.BackupArn} of ${where(inputs)} was deleted while it was being created.`,
            );
        }
        const createdAt = details.BackupCreationDateTime;
        return {
            backupArn: details.BackupArn as string,
            backupName: (details.BackupName as string | undefined) ?? name,
            backupStatus: status,
            backupCreationDateTime: (createdAt instanceof Date ? createdAt : now()).toISOString(),
            ...(size === undefined ? {} : { backupSizeBytes: size }),
            pointInTimeRecoveryStatus: String(pitr),
        };
    };

    return {
        async check(_olds, news) {
            return {
                inputs: news,
                failures: checkOnDemandBackupInputs(news as unknown as Record<string, unknown>),
            };
        },

        async diff(_id, olds, news) {
            const replaces = (["tableName", "region"] as const).filter((key) => olds[key] !== news[key]);
            const changes =
                replaces.length > 0 ||
                olds.trigger !== news.trigger ||
                (olds.deleteBackupOnDestroy ?? false) !== (news.deleteBackupOnDestroy ?? false);
            return { changes, replaces, deleteBeforeReplace: false };
        },

        async create(inputs) {
            const backup = await takeBackup(inputs);
            return { id: backup.backupArn, outs: { ...inputs, ...backup, backupArns: [backup.backupArn] } };
        },

        async update(_id, olds, news) {
            if (olds.trigger === news.trigger) return { outs: { ...olds, ...news } };
            const backup = await takeBackup(news);
            return {
                outs: {
                    ...olds,
                    ...news,
                    ...backup,
                    backupArns: [...(olds.backupArns ?? []), backup.backupArn],
                },
            };
        },

        async delete(_id, props) {
            // Backups outlive the resource unless the user asked otherwise.
            if (props.deleteBackupOnDestroy !== true) return;
            const client = clientFor(props.region);
            const { DeleteBackupCommand } = sdk();
            for (const arn of props.backupArns ?? [props.backupArn]) {
                try {
                    await attempt("DeleteBackup", props, () =>
                        client.send(new DeleteBackupCommand({ BackupArn: arn })),
                    );
                } catch (error: any) {
                    if (!/BackupNotFoundException/.test(String(error?.message))) throw error;
                }
            }
        },
    };
}

/** Arguments of an {@link OnDemandBackup}. */
export interface OnDemandBackupArgs {
    /** The table to back up (its physical name). */
    readonly tableName: pulumi.Input<string>;
    /**
     * A value you change before a risky deployment (a migration version, a release id). The first
     * value and every change take a new backup; earlier backups are kept.
     */
    readonly trigger: pulumi.Input<string>;
    /** The table's Region. Defaults to the SDK's default (`AWS_REGION`, the profile). */
    readonly region?: pulumi.Input<string>;
    /**
     * Delete the backups this resource took when it is destroyed (or replaced for another table).
     * Defaults to `false`: the backups stay in AWS until someone deletes them.
     * @default false
     */
    readonly deleteBackupOnDestroy?: pulumi.Input<boolean>;
}

/**
 * An on-demand backup of a DynamoDB table, taken again each time `trigger` changes. Make the risky
 * step depend on it (`dependsOn: [backup]`) so that it runs only once the backup exists.
 *
 * ```ts
 * const backup = new OnDemandBackup("orders-before-migration", { tableName: "Orders", trigger: "migration-42" });
 * ```
 */
export class OnDemandBackup extends pulumi.dynamic.Resource {
    /** ARN of the latest backup: what to restore from (`restore-table-from-backup`). */
    declare readonly backupArn: pulumi.Output<string>;
    /** Name of the latest backup, `<table>-<trigger>-<yyyymmddThhmmss>`. */
    declare readonly backupName: pulumi.Output<string>;
    /** `AVAILABLE`, or `CREATING` when it took longer than the wait. */
    declare readonly backupStatus: pulumi.Output<string>;
    /** When the latest backup was requested, ISO 8601. */
    declare readonly backupCreationDateTime: pulumi.Output<string>;
    /** Every backup this resource took, oldest first. */
    declare readonly backupArns: pulumi.Output<string[]>;
    /** The table's PITR status when the latest backup was taken. */
    declare readonly pointInTimeRecoveryStatus: pulumi.Output<string>;

    constructor(
        name: string,
        args: OnDemandBackupArgs,
        opts: pulumi.CustomResourceOptions = {},
        providerOptions: OnDemandBackupProviderOptions = {},
    ) {
        super(
            onDemandBackupProvider(providerOptions),
            name,
            {
                tableName: args.tableName,
                trigger: args.trigger,
                region: args.region,
                deleteBackupOnDestroy: args.deleteBackupOnDestroy ?? false,
                backupArn: undefined,
                backupName: undefined,
                backupStatus: undefined,
                backupCreationDateTime: undefined,
                backupArns: undefined,
                pointInTimeRecoveryStatus: undefined,
            },
            opts,
            undefined,
            "OnDemandBackup",
        );
        this.pointInTimeRecoveryStatus.apply((status) => {
            if (status === "UNKNOWN") {
                void pulumi.log.warn(
                    "The backup was taken, but the table's point-in-time recovery status could not be read " +
                        "(`dynamodb:DescribeContinuousBackups` denied?); check that PITR is on.",
                    this,
                );
            } else if (status !== undefined && status !== "ENABLED") {
                void pulumi.log.warn(
                    `Point-in-time recovery on the backed-up table is ${status}: the on-demand backup is the only ` +
                        "restore point. Turn PITR on (`aws dynamodb update-continuous-backups ... " +
                        "PointInTimeRecoveryEnabled=true`, or use ResilientTable).",
                    this,
                );
            }
        });
    }
}
