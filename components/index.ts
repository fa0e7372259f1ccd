/**
 * The public API of `dynamodb-pitr`: an explicit list, so internals stay internal.
 * tests/components/publicApi.spec.ts lists the same names.
 */
export { ActiveTable, validateActiveTable } from "./table/activeTable";
export { type ActiveTableArgs, type ActiveTableCandidate } from "./table/types";
export { type AdoptedKeySchema, type PreviousTableResource, type TableAdoption } from "./table/types";
export { adoptionOptions, TABLE_TYPE, validateAdoption } from "./table/adoption";
export {
    attachTableBackup,
    BackupPlanArgsError,
    planRules,
    selectTables,
    type TableBackupAttachment,
    TableBackupPlan,
    tablesTagged,
} from "./backup/backupPlan";
export { BACKUP_SERVICE_POLICY_ARN, RESTORE_SERVICE_POLICY_ARN } from "./backup/planParts";
export { type TableBackup, type TableBackupPlanArgs } from "./backup/types";
export {
    BACKUP_PRESETS,
    type BackupCopyAction,
    type BackupLifecycle,
    type BackupPreset,
    type BackupRuleArgs,
    type BackupSchedule,
    DEFAULT_BACKUP_PRESET,
    PLAN_PRESETS,
    type PlanPreset,
    resolveSchedule,
    RULE_PRESETS,
    type RulePreset,
} from "./backup/presets";
export {
    BACKUP_RULE_NAME_PATTERN,
    COLD_STORAGE_MIN_DAYS,
    DEFAULT_VAULT_EVENTS,
    DEPRECATED_VAULT_EVENTS,
    MAX_RETENTION_DAYS,
    VAULT_EVENTS,
    VAULT_NAME_PATTERN,
    type VaultEvent,
} from "./backup/limits";
export {
    type AirGappedDestination,
    type AirGappedVaultArgs,
    type AirGappedVaultShare,
    type BackupPlanOptions,
    type BackupPlanReference,
    type BackupVaultLockArgs,
    type RestoreTestingArgs,
} from "./backup/types";
export { AirGappedVault, AirGappedVaultArgsError } from "./backup/airGappedVault";
export {
    AIR_GAPPED_MIN_RETENTION_DAYS,
    isolationAdvisory,
    parseVaultArn,
    validateAirGappedDestination,
    validateAirGappedVaultArgs,
} from "./backup/airGapped";
export { cronProblem, isTimeZone } from "./backup/cron";
export { validateBackupPlanArgs } from "./backup/validatePlanArgs";
export { validateTableBackup } from "./backup/tableBackup";
export {
    BILLING_MODES,
    KEY_ATTRIBUTE_TYPES,
    PITR_DEFAULT_DAYS,
    PITR_MAX_DAYS,
    PITR_MIN_DAYS,
    PROJECTION_TYPES,
    REPLICA_STREAM_VIEW_TYPE,
    STREAM_VIEW_TYPES,
    TABLE_CLASSES,
    TABLE_NAME_PATTERN,
    type Tier,
    TIER_TAG_KEY,
    TIERS,
} from "./core/constants";
export {
    BACKUP_NAME_PATTERN,
    backupName,
    checkOnDemandBackupInputs,
    OnDemandBackup,
    type OnDemandBackupArgs,
    type OnDemandBackupInputs,
    type OnDemandBackupOutputs,
    onDemandBackupProvider,
    type OnDemandBackupProviderOptions,
    RETRYABLE_ERRORS,
} from "./backup/onDemandBackup";
export { ResilientTable, TableArgsError } from "./table/resilientTable";
export { RESTORE_INPUTS } from "./table/tableParts";
export {
    type BackupBeforeChange,
    type GlobalSecondaryIndex,
    type LocalSecondaryIndex,
    MANAGED_TABLE_FIELDS,
    type PassThroughTableArgs,
    type ResilientTableArgs,
    type TableAttribute,
    type TableReplica,
} from "./table/types";
export { type TableRestore } from "./restore/types";
export {
    BACKUP_ARN_PATTERN,
    checkRestoreBackupArn,
    checkRestoreDateTime,
    checkRestoreSource,
    formatInstant,
    LATEST_RESTORABLE_LAG_MS,
    parseInstant,
    parseTableArn,
    RECOVERY_POINT_ARN_PATTERN,
    restorableWindow,
    restoreClock,
    type RestoreContext,
    TABLE_ARN_PATTERN,
    validateRestore,
} from "./restore/restoreWindow";
export {
    BACKUP_JOB_DETAIL_TYPE,
    backupJobFailedPattern,
    CLOUDTRAIL_DETAIL_TYPE,
    DRIFT_EVENT_NAMES,
    driftEventPattern,
    DYNAMODB_CONFIG_RULES,
    FAILED_BACKUP_JOB_STATES,
    safetyNetPattern,
    SNS_TOPIC_ARN_PATTERN,
    type TableAlarm,
    TableMonitoring,
    validateMonitoring,
} from "./monitoring/tableMonitoring";
export { type TableMonitoringArgs, type TableMonitoringOptions } from "./monitoring/types";
export { type ArgProblem } from "./core/problems";
export { validateTableArgs, type ValidationContext } from "./table/validateTableArgs";
export { BaselineArgsError, ProtectionBaseline, scheduleId } from "./baseline/protectionBaseline";
export { type BaselineAlerts, type BaselineSelection, type ProtectionBaselineArgs } from "./baseline/types";
export {
    DEFAULT_SCHEDULE_TAG_KEY,
    DEFAULT_SELECTION_TAGS,
    planOptionsOf,
    validateBaselineArgs,
} from "./baseline/baselineArgs";
export { REGION_PATTERN } from "./core/regions";
export { type ProtectionBaselineReference } from "./baseline/reference";
export { arnNameMatches, type JoinContext, joinedTags, validateJoin } from "./table/baselineJoin";
export { type AlertScope } from "./monitoring/types";
export {
    BACKUP_JOB_ALERT,
    DRIFT_ALERT,
    fleetBackupJobFailedPattern,
    fleetDriftPattern,
    largestPatternSize,
    MAX_EVENT_PATTERN_CHARACTERS,
} from "./monitoring/fleetAlerts";
export {
    AWS_QUOTAS,
    type AwsQuota,
    eventRulesPerBus,
    type QuotaName,
    SMALL_EVENT_BUS_REGIONS,
} from "./core/quotas";
export {
    MAX_BACKUP_POLICY_CHARACTERS,
    organizationPolicyDocument,
    validateOrganizationPolicyArgs,
} from "./org/organizationPolicyDocument";
export { OrganizationBackupPolicy, OrganizationPolicyArgsError } from "./org/organizationBackupPolicy";
export {
    DEFAULT_ORGANIZATION_PLAN_NAME,
    DEFAULT_ORGANIZATION_ROLE_NAME,
    DEFAULT_ORGANIZATION_VAULT_NAME,
    type OrganizationBackupPolicyArgs,
    type OrganizationCopyTo,
    type OrganizationMemberArgs,
} from "./org/organizationPolicyArgs";
