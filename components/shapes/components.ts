/**
 * The argument shapes of the TypeScript components, for the unknown-key check (`core/argKeys.ts`).
 * Each is written `{ ... } satisfies KeysOf<XArgs>`: a field added to an arguments type without its
 * entry here fails to compile. Only types are imported here.
 */
import type { ArgShape, KeysOf } from "../core/argKeys";
import type {
    ActiveTableArgs,
    ActiveTableCandidate,
    AdoptedKeySchema,
    PreviousTableResource,
    TableAdoption,
    BackupBeforeChange,
    GlobalSecondaryIndex,
    LocalSecondaryIndex,
    ResilientTableArgs,
    TableAttribute,
    TableReplica,
} from "../table/types";
import type {
    TableBackupPlanArgs,
    AirGappedDestination,
    AirGappedVaultArgs,
    BackupPlanReference,
    BackupVaultLockArgs,
    RestoreTestingArgs,
    BaselineAuditArgs,
} from "../backup/types";
import type { BackupCopyAction, BackupLifecycle, BackupRuleArgs } from "../backup/presets";
import type { BaselineAlerts, BaselineSelection, ProtectionBaselineArgs } from "../baseline/types";
import type { ProtectionBaselineReference } from "../baseline/reference";
import type { AlertScope, TableMonitoringArgs, TableMonitoringOptions } from "../monitoring/types";
import type {
    OrganizationBackupPolicyArgs,
    OrganizationCopyTo,
    OrganizationMemberArgs,
} from "../org/organizationPolicyArgs";
import type { TableRestore } from "../restore/types";

// Shapes shared by several components.

export const LIFECYCLE = {
    keys: { moveToColdStorageAfterDays: true, deleteAfterDays: true } satisfies KeysOf<BackupLifecycle>,
};

export const RULE = {
    keys: {
        name: true,
        schedule: true,
        scheduleTimezone: true,
        startWindowMinutes: true,
        completionWindowMinutes: true,
        lifecycle: LIFECYCLE,
        recoveryPointTags: true,
        copyActions: {
            items: {
                keys: { destinationVaultArn: true, lifecycle: LIFECYCLE } satisfies KeysOf<BackupCopyAction>,
            },
        },
    } satisfies KeysOf<BackupRuleArgs>,
};

/** A schedule: a preset, or a list of presets and rules (only the rules are objects). */
export const SCHEDULE: ArgShape = { items: RULE };

export const VAULT_LOCK = {
    keys: {
        mode: true,
        minRetentionDays: true,
        maxRetentionDays: true,
        changeableForDays: true,
    } satisfies KeysOf<BackupVaultLockArgs>,
};

export const NOTIFICATIONS = {
    keys: { topicArn: true, events: true } satisfies KeysOf<TableBackupPlanArgs["notifications"]>,
};

export const RESTORE_TESTING = {
    keys: {
        schedule: true,
        scheduleTimezone: true,
        selectionWindowDays: true,
        validationWindowHours: true,
        startWindowHours: true,
    } satisfies KeysOf<RestoreTestingArgs>,
};

export const CONFIG_RULE_SCOPE = {
    keys: { tagKey: true, tagValue: true } satisfies KeysOf<TableMonitoringOptions["configRules"]>,
};

export const ALERT_SCOPE = { keys: { tableNamePrefix: true, tableNames: true } satisfies KeysOf<AlertScope> };

export const AIR_GAPPED = {
    keys: {
        vaultArn: true,
        minRetentionDays: true,
        maxRetentionDays: true,
        deleteAfterDays: true,
    } satisfies KeysOf<AirGappedDestination>,
};

// The TypeScript components.

export const AIR_GAPPED_VAULT = {
    keys: {
        tier: true,
        vaultName: true,
        minRetentionDays: true,
        maxRetentionDays: true,
        encryptionKeyArn: true,
        share: {
            keys: {
                accountIds: true,
                organizationArn: true,
                allowExternalPrincipals: true,
            } satisfies KeysOf<AirGappedVaultArgs["share"]>,
        },
        notifications: NOTIFICATIONS,
        region: true,
        tags: true,
    } satisfies KeysOf<AirGappedVaultArgs>,
};

export const PLAN_KEYS = {
    tier: true,
    schedule: SCHEDULE,
    kmsKeyArn: true,
    vaultName: true,
    planName: true,
    roleArn: true,
    tables: true,
    selectTags: true,
    advancedDynamoDbBackup: true,
    vaultLock: VAULT_LOCK,
    notifications: NOTIFICATIONS,
    restoreTesting: RESTORE_TESTING,
    airGapped: AIR_GAPPED,
    region: true,
    tags: true,
} satisfies KeysOf<TableBackupPlanArgs>;

export const MONITORING_KEYS = {
    topicArn: true,
    backupJobAlerts: true,
    configRules: CONFIG_RULE_SCOPE,
} satisfies KeysOf<TableMonitoringOptions>;

export const TABLE = {
    keys: {
        tier: true,
        name: true,
        hashKey: true,
        rangeKey: true,
        attributes: { items: { keys: { name: true, type: true } satisfies KeysOf<TableAttribute> } },
        globalSecondaryIndexes: {
            items: {
                keys: {
                    name: true,
                    hashKey: true,
                    rangeKey: true,
                    projectionType: true,
                    nonKeyAttributes: true,
                    readCapacity: true,
                    writeCapacity: true,
                } satisfies KeysOf<GlobalSecondaryIndex>,
            },
        },
        localSecondaryIndexes: {
            items: {
                keys: {
                    name: true,
                    rangeKey: true,
                    projectionType: true,
                    nonKeyAttributes: true,
                } satisfies KeysOf<LocalSecondaryIndex>,
            },
        },
        billingMode: true,
        readCapacity: true,
        writeCapacity: true,
        tableClass: true,
        pointInTimeRecovery: {
            keys: { recoveryPeriodInDays: true } satisfies KeysOf<ResilientTableArgs["pointInTimeRecovery"]>,
        },
        dangerouslyDisablePointInTimeRecovery: true,
        deletionProtectionEnabled: true,
        dangerouslyAllowReplacement: true,
        encryption: true,
        kmsKeyArn: true,
        ttlAttribute: true,
        streamViewType: true,
        replicas: {
            items: {
                keys: {
                    regionName: true,
                    kmsKeyArn: true,
                    propagateTags: true,
                } satisfies KeysOf<TableReplica>,
            },
        },
        region: true,
        tags: true,
        // Passed through to `aws.dynamodb.Table` as is; its type is the provider's and may grow with it.
        tableArgs: true,
        restore: {
            keys: {
                sourceTableName: true,
                sourceTableArn: true,
                restoreDateTime: true,
                restoreToLatestTime: true,
                sourceRecoveryPeriodInDays: true,
                restoreBackupArn: true,
            } satisfies KeysOf<TableRestore>,
        },
        backupBeforeChange: {
            keys: { trigger: true, deleteBackupOnDestroy: true } satisfies KeysOf<BackupBeforeChange>,
        },
        // A schedule (list), plan options, or `{ plan }`. Plan options a table takes from itself
        // (`tier`, `tables`, `selectTags`, `region`) are known here: the backup check explains them.
        backup: {
            items: RULE,
            keys: {
                ...PLAN_KEYS,
                plan: {
                    keys: {
                        planId: true,
                        planArn: true,
                        roleArn: true,
                        vaultName: true,
                        selectedTags: true,
                        region: true,
                    } satisfies KeysOf<BackupPlanReference>,
                },
            },
        },
        adopt: {
            keys: {
                fromResource: {
                    keys: {
                        name: true,
                        parent: true,
                        type: true,
                        project: true,
                        stack: true,
                    } satisfies KeysOf<PreviousTableResource>,
                },
                importExistingTable: true,
                keySchema: { keys: { hashKey: true, rangeKey: true } satisfies KeysOf<AdoptedKeySchema> },
            } satisfies KeysOf<TableAdoption>,
        },
        monitoring: { keys: MONITORING_KEYS },
        baseline: {
            keys: {
                baselineName: true,
                region: true,
                kmsKeyArn: true,
                replicaKmsKeyArns: true,
                selectedTags: true,
                selectedTableArns: true,
                planArn: true,
                vaultName: true,
                alertScope: ALERT_SCOPE,
                alertTopicArn: true,
                scheduleTags: true,
                provider: true,
            } satisfies KeysOf<ProtectionBaselineReference>,
        },
        keepOwnKeyAndVault: true,
    } satisfies KeysOf<ResilientTableArgs>,
};

export const ORGANIZATION_MEMBER_KEYS = {
    vaultName: true,
    roleName: true,
    selectedTags: true,
    createRole: true,
    copiesOutsideAccount: true,
} as const;

export const AUDIT_KEYS = {
    minRetentionDays: true,
    maxHoursBetweenBackups: true,
    copyRegions: true,
    copyAccounts: true,
    reportBucket: true,
    reportKeyPrefix: true,
} as const;

export const COPY_TO = {
    items: { keys: { vaultArn: true, deleteAfterDays: true } satisfies KeysOf<OrganizationCopyTo> },
};

export const ORGANIZATION_POLICY = {
    keys: {
        targetIds: true,
        regions: true,
        schedule: SCHEDULE,
        selection: { keys: { tags: true } satisfies KeysOf<OrganizationBackupPolicyArgs["selection"]> },
        vaultName: true,
        roleName: true,
        copyTo: COPY_TO,
        airGapped: AIR_GAPPED,
        planName: true,
        advancedDynamoDbBackup: true,
        allowChildPolicyChanges: true,
        description: true,
        tags: true,
    } satisfies KeysOf<OrganizationBackupPolicyArgs>,
};

export const BASELINE = {
    keys: {
        region: true,
        replicaRegions: true,
        kmsKeyArn: true,
        selection: { keys: { tags: true, tableArns: true } satisfies KeysOf<BaselineSelection> },
        schedule: SCHEDULE,
        advancedDynamoDbBackup: true,
        vaultLock: VAULT_LOCK,
        notifications: NOTIFICATIONS,
        restoreTesting: RESTORE_TESTING,
        airGapped: AIR_GAPPED,
        vaultName: true,
        planName: true,
        alerts: {
            keys: {
                scope: ALERT_SCOPE,
                topicArn: true,
                backupJobAlerts: true,
            } satisfies KeysOf<BaselineAlerts>,
        },
        configRules: CONFIG_RULE_SCOPE,
        scheduleTagKey: true,
        tags: true,
        organizationMember: { keys: ORGANIZATION_MEMBER_KEYS satisfies KeysOf<OrganizationMemberArgs> },
        audit: { keys: AUDIT_KEYS satisfies KeysOf<BaselineAuditArgs> },
    } satisfies KeysOf<ProtectionBaselineArgs>,
};

export const MONITORING = {
    keys: {
        ...MONITORING_KEYS,
        tableName: true,
        tableArn: true,
        region: true,
        tags: true,
    } satisfies KeysOf<TableMonitoringArgs>,
};

export const ACTIVE_TABLE = {
    keys: {
        // A map of candidates by label: each candidate is checked, not the labels.
        tables: { values: { keys: { name: true, arn: true } satisfies KeysOf<ActiveTableCandidate> } },
        active: true,
        parameterPrefix: true,
        region: true,
        tags: true,
    } satisfies KeysOf<ActiveTableArgs>,
};
