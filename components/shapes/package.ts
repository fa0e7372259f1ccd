/**
 * The argument shapes of the multi-language package (`components/package`), whose arguments are
 * flatter. Only types are imported here, besides the shapes it shares with the TypeScript components.
 */
import type { ArgShape, KeysOf } from "../core/argKeys";
import type * as pkg from "../package/types";
import {
    AIR_GAPPED,
    AUDIT_KEYS,
    COPY_TO,
    ORGANIZATION_MEMBER_KEYS,
    RESTORE_TESTING,
    RULE,
    TABLE,
} from "./components";

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

export const PACKAGE_TABLE = {
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

export const PACKAGE_PLAN = {
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
        airGapped: AIR_GAPPED,
        region: true,
        tags: true,
    } satisfies KeysOf<pkg.TableBackupPlanArgs>,
};

export const PACKAGE_BASELINE = {
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
        airGapped: AIR_GAPPED,
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

export const PACKAGE_ORGANIZATION_POLICY = {
    keys: {
        targetIds: true,
        regions: true,
        schedule: true,
        rules: PACKAGE_RULES,
        selectionTags: true,
        vaultName: true,
        roleName: true,
        copyTo: COPY_TO,
        airGapped: AIR_GAPPED,
        planName: true,
        advancedDynamoDbBackup: true,
        allowChildPolicyChanges: true,
        description: true,
        tags: true,
    } satisfies KeysOf<pkg.OrganizationBackupPolicyArgs>,
};
