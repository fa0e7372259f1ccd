/**
 * The one place where every component's arguments are registered for the unknown-key check
 * (`argKeys.ts`). Each shape is written `{ ... } satisfies KeysOf<XArgs>`: a field added to an
 * arguments type without its entry here fails to compile, so no new option can be silently ignored.
 *
 * To register a new component: write its shape below (a nested object is `{ keys: ... }`, a list of
 * objects `{ items: { keys: ... } }`, anything else `true`), add it to {@link ARG_SHAPES} under the
 * component's name, and call `argKeyProblems(owner, args, ARG_SHAPES[owner])` first in its validation.
 * tests/components/argKeys.spec.ts then feeds a misspelt key at every level of it.
 *
 * Only types are imported here, so every validator may import this module without a circle.
 */
import type { ArgShape, KeysOf } from "../core/argKeys";
import type { ActiveTableArgs, ActiveTableCandidate } from "../table/types";
import type { AdoptedKeySchema, PreviousTableResource, TableAdoption } from "../table/types";
import type { TableBackupPlanArgs } from "../backup/types";
import type { BackupCopyAction, BackupLifecycle, BackupRuleArgs } from "../backup/presets";
import type { BackupPlanReference, BackupVaultLockArgs, RestoreTestingArgs } from "../backup/types";
import type { BaselineAuditArgs } from "../backup/types";
import type { BaselineAlerts, BaselineSelection, ProtectionBaselineArgs } from "../baseline/types";
import type { ProtectionBaselineReference } from "../baseline/reference";
import type { AlertScope } from "../monitoring/types";
import type {
    OrganizationBackupPolicyArgs,
    OrganizationCopyTo,
    OrganizationMemberArgs,
} from "../org/organizationPolicyArgs";
import type {
    BackupBeforeChange,
    GlobalSecondaryIndex,
    LocalSecondaryIndex,
    ResilientTableArgs,
    TableAttribute,
    TableReplica,
} from "../table/types";
import type { TableRestore } from "../restore/types";
import type { TableMonitoringArgs, TableMonitoringOptions } from "../monitoring/types";
import type * as pkg from "../package/types";

// Shapes shared by several components.

const LIFECYCLE = {
    keys: { moveToColdStorageAfterDays: true, deleteAfterDays: true } satisfies KeysOf<BackupLifecycle>,
};

const RULE = {
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
const SCHEDULE: ArgShape = { items: RULE };

const VAULT_LOCK = {
    keys: {
        mode: true,
        minRetentionDays: true,
        maxRetentionDays: true,
        changeableForDays: true,
    } satisfies KeysOf<BackupVaultLockArgs>,
};

const NOTIFICATIONS = {
    keys: { topicArn: true, events: true } satisfies KeysOf<TableBackupPlanArgs["notifications"]>,
};

const RESTORE_TESTING = {
    keys: {
        schedule: true,
        scheduleTimezone: true,
        selectionWindowDays: true,
        validationWindowHours: true,
        startWindowHours: true,
    } satisfies KeysOf<RestoreTestingArgs>,
};

const CONFIG_RULE_SCOPE = {
    keys: { tagKey: true, tagValue: true } satisfies KeysOf<TableMonitoringOptions["configRules"]>,
};

const ALERT_SCOPE = { keys: { tableNamePrefix: true, tableNames: true } satisfies KeysOf<AlertScope> };

// The TypeScript components.

const PLAN_KEYS = {
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
    region: true,
    tags: true,
} satisfies KeysOf<TableBackupPlanArgs>;

const MONITORING_KEYS = {
    topicArn: true,
    backupJobAlerts: true,
    configRules: CONFIG_RULE_SCOPE,
} satisfies KeysOf<TableMonitoringOptions>;

const TABLE = {
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

const ORGANIZATION_MEMBER_KEYS = {
    vaultName: true,
    roleName: true,
    selectedTags: true,
    createRole: true,
} as const;

const AUDIT_KEYS = {
    minRetentionDays: true,
    maxHoursBetweenBackups: true,
    copyRegions: true,
    copyAccounts: true,
    reportBucket: true,
    reportKeyPrefix: true,
} as const;

const COPY_TO = {
    items: { keys: { vaultArn: true, deleteAfterDays: true } satisfies KeysOf<OrganizationCopyTo> },
};

const ORGANIZATION_POLICY = {
    keys: {
        targetIds: true,
        regions: true,
        schedule: SCHEDULE,
        selection: { keys: { tags: true } satisfies KeysOf<OrganizationBackupPolicyArgs["selection"]> },
        vaultName: true,
        roleName: true,
        copyTo: COPY_TO,
        planName: true,
        advancedDynamoDbBackup: true,
        allowChildPolicyChanges: true,
        description: true,
        tags: true,
    } satisfies KeysOf<OrganizationBackupPolicyArgs>,
};

const BASELINE = {
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

const MONITORING = {
    keys: {
        ...MONITORING_KEYS,
        tableName: true,
        tableArn: true,
        region: true,
        tags: true,
    } satisfies KeysOf<TableMonitoringArgs>,
};

const ACTIVE_TABLE = {
    keys: {
        // A map of candidates by label: each candidate is checked, not the labels.
        tables: { values: { keys: { name: true, arn: true } satisfies KeysOf<ActiveTableCandidate> } },
        active: true,
        parameterPrefix: true,
        region: true,
        tags: true,
    } satisfies KeysOf<ActiveTableArgs>,
};

// The multi-language package (components/package), whose arguments are flatter.

const PACKAGE_RULES: ArgShape = { items: RULE };

const PACKAGE_VAULT_LOCK = {
    keys: {
        mode: true,
        minRetentionDays: true,
        maxRetentionDays: true,
        changeableForDays: true,
    } satisfies KeysOf<pkg.VaultLock>,
};
const PACKAGE_NOTIFICATIONS = {
    keys: { topicArn: true, events: true } satisfies KeysOf<pkg.BackupNotifications>,
};

const PACKAGE_TABLE = {
    keys: {
        tier: true,
        name: true,
        hashKey: true,
        rangeKey: true,
        attributes: TABLE.keys.attributes,
        globalSecondaryIndexes: TABLE.keys.globalSecondaryIndexes,
        localSecondaryIndexes: TABLE.keys.localSecondaryIndexes,
        billingMode: true,
        readCapacity: true,
        writeCapacity: true,
        tableClass: true,
        pointInTimeRecovery: TABLE.keys.pointInTimeRecovery,
        dangerouslyDisablePointInTimeRecovery: true,
        deletionProtectionEnabled: true,
        dangerouslyAllowReplacement: true,
        encryption: true,
        kmsKeyArn: true,
        ttlAttribute: true,
        streamViewType: true,
        replicas: TABLE.keys.replicas,
        region: true,
        tags: true,
        restore: TABLE.keys.restore,
        backupBeforeChange: TABLE.keys.backupBeforeChange,
        backup: true,
        sharedBackupPlan: {
            keys: {
                planId: true,
                planArn: true,
                roleArn: true,
                vaultName: true,
                selectedTags: true,
                region: true,
            } satisfies KeysOf<pkg.SharedBackupPlan>,
        },
        adopt: {
            keys: {
                fromResource: true,
                importExistingTable: true,
                hashKey: true,
                rangeKey: true,
            } satisfies KeysOf<pkg.TableAdoption>,
        },
        monitoring: {
            keys: {
                enabled: true,
                topicArn: true,
                backupJobAlerts: true,
                configRules: true,
            } satisfies KeysOf<pkg.TableMonitoringSettings>,
        },
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
                alertScope: true,
                alertTableNamePrefix: true,
                alertTableNames: true,
                alertTopicArn: true,
            } satisfies KeysOf<pkg.TableBaseline>,
        },
        keepOwnKeyAndVault: true,
    } satisfies KeysOf<pkg.ResilientTableArgs>,
};

const PACKAGE_PLAN = {
    keys: {
        tier: true,
        schedule: true,
        rules: PACKAGE_RULES,
        kmsKeyArn: true,
        vaultName: true,
        planName: true,
        roleArn: true,
        tables: true,
        selectTags: true,
        advancedDynamoDbBackup: true,
        vaultLock: PACKAGE_VAULT_LOCK,
        notifications: PACKAGE_NOTIFICATIONS,
        restoreTesting: RESTORE_TESTING,
        region: true,
        tags: true,
    } satisfies KeysOf<pkg.TableBackupPlanArgs>,
};

const PACKAGE_BASELINE = {
    keys: {
        region: true,
        replicaRegions: true,
        kmsKeyArn: true,
        selectionTags: true,
        selectionTableArns: true,
        schedule: true,
        rules: PACKAGE_RULES,
        advancedDynamoDbBackup: true,
        vaultLock: PACKAGE_VAULT_LOCK,
        notifications: PACKAGE_NOTIFICATIONS,
        restoreTesting: RESTORE_TESTING,
        vaultName: true,
        planName: true,
        alerts: true,
        alertScope: true,
        alertTableNamePrefix: true,
        alertTableNames: true,
        alertTopicArn: true,
        backupJobAlerts: true,
        configRules: true,
        tags: true,
        organizationMember: {
            keys: ORGANIZATION_MEMBER_KEYS satisfies KeysOf<pkg.OrganizationMember>,
        },
        audit: { keys: AUDIT_KEYS satisfies KeysOf<pkg.BaselineAudit> },
    } satisfies KeysOf<pkg.ProtectionBaselineArgs>,
};

const PACKAGE_ORGANIZATION_POLICY = {
    keys: {
        targetIds: true,
        regions: true,
        schedule: true,
        rules: PACKAGE_RULES,
        selectionTags: true,
        vaultName: true,
        roleName: true,
        copyTo: COPY_TO,
        planName: true,
        advancedDynamoDbBackup: true,
        allowChildPolicyChanges: true,
        description: true,
        tags: true,
    } satisfies KeysOf<pkg.OrganizationBackupPolicyArgs>,
};

/**
 * Every component's arguments by the name its messages use. The package's components carry the same
 * names as the TypeScript ones, so their entries are prefixed `package:`.
 */
export const ARG_SHAPES = {
    ResilientTable: TABLE,
    TableBackupPlan: { keys: PLAN_KEYS },
    ProtectionBaseline: BASELINE,
    TableMonitoring: MONITORING,
    ActiveTable: ACTIVE_TABLE,
    OrganizationBackupPolicy: ORGANIZATION_POLICY,
    "package:ResilientTable": PACKAGE_TABLE,
    "package:TableBackupPlan": PACKAGE_PLAN,
    "package:ProtectionBaseline": PACKAGE_BASELINE,
    "package:OrganizationBackupPolicy": PACKAGE_ORGANIZATION_POLICY,
} as const satisfies Record<string, ArgShape>;

/** A registered component's name. */
export type ArgOwner = keyof typeof ARG_SHAPES;
