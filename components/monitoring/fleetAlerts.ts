/**
 * The event patterns and alert texts of a {@link ProtectionBaseline}: one EventBridge rule for every
 * call that removes a table's safety net and one for every failed AWS Backup job of a table, for the
 * whole fleet at once, instead of two rules per table.
 *
 * EventBridge cannot filter by a table's tags (CloudTrail events carry the request, not the table's
 * tags), so the scope is by name: every table of the account and Region (the default), the tables whose
 * name starts with a prefix, or an explicit list that must fit the event-pattern size limit. See
 * docs/monitoring.md for which alerts a non-production table in the same account can raise.
 */
import { AWS_QUOTAS } from "../core/quotas";
import { BACKUP_JOB_DETAIL_TYPE, FAILED_BACKUP_JOB_STATES, safetyNetPattern } from "./tableMonitoring";
import type { AlertScope } from "./types";

/**
 * The `tableName` filter: the name as given, or an ARN ending in `:table/<name>` (DynamoDB accepts
 * both, and CloudTrail records what the caller sent). Undefined for the whole account.
 */
function tableFilter(scope: AlertScope): unknown[] | undefined {
    if (scope === "account") return undefined;
    if ("tableNamePrefix" in scope) {
        return [
            { prefix: scope.tableNamePrefix },
            { wildcard: `arn:*:dynamodb:*:*:table/${scope.tableNamePrefix}*` },
        ];
    }
    return [...scope.tableNames, ...scope.tableNames.map((name) => ({ suffix: `:table/${name}` }))];
}

/** The filter on a backup's or a backup job's resource ARN, by the table it belongs to. */
function arnFilter(scope: AlertScope, tail: string): unknown[] | undefined {
    if (scope === "account") return undefined;
    if ("tableNamePrefix" in scope) {
        return [{ wildcard: `arn:*:dynamodb:*:*:table/${scope.tableNamePrefix}*${tail}` }];
    }
    return scope.tableNames.map((name) => ({ wildcard: `*:table/${name}${tail}` }));
}

const withFilter = (filter: unknown[] | undefined, key: string) => (filter ? { [key]: filter } : {});

/**
 * Calls that remove a table's safety net, for every table in scope: PITR turned off, deletion
 * protection turned off, a table deleted, one of its backups deleted: the pattern of
 * {@link driftEventPattern}, with the scope's filters.
 */
export function fleetDriftPattern(scope: AlertScope): object {
    return safetyNetPattern(tableFilter(scope), arnFilter(scope, "/backup/*"));
}

/** AWS Backup jobs of tables in scope that made no recovery point. */
export function fleetBackupJobFailedPattern(scope: AlertScope): object {
    return {
        source: ["aws.backup"],
        "detail-type": [BACKUP_JOB_DETAIL_TYPE],
        detail: {
            resourceType: ["DynamoDB"],
            state: [...FAILED_BACKUP_JOB_STATES],
            ...withFilter(arnFilter(scope, ""), "resourceArn"),
        },
    };
}

/**
 * The alert as a person reads it, with the table's name, the call, who made it and where: an
 * EventBridge input transformer (EventBridge User Guide, "Transforming target input"). A path missing
 * from an event (a backup ARN on a DeleteTable) is left empty.
 */
export const DRIFT_ALERT = {
    inputPaths: {
        event: "$.detail.eventName",
        table: "$.detail.requestParameters.tableName",
        backup: "$.detail.requestParameters.backupArn",
        who: "$.detail.userIdentity.arn",
        region: "$.region",
        account: "$.account",
        time: "$.time",
    },
    inputTemplate:
        '"DynamoDB safety net changed: <event> on table <table> <backup> in <region> (account <account>) ' +
        'by <who> at <time>. Point-in-time recovery or deletion protection was turned off, or a table or backup deleted."',
} as const;

export const BACKUP_JOB_ALERT = {
    inputPaths: {
        table: "$.detail.resourceArn",
        state: "$.detail.state",
        job: "$.detail.backupJobId",
        reason: "$.detail.statusMessage",
        region: "$.region",
        account: "$.account",
    },
    inputTemplate:
        '"AWS Backup job <job> for DynamoDB table <table> in <region> (account <account>) ended <state>: <reason>. ' +
        'No recovery point was made."',
} as const;

/** The longest event pattern a rule takes, in characters (EventBridge quotas). */
export const MAX_EVENT_PATTERN_CHARACTERS = AWS_QUOTAS.eventPatternCharacters.limit;

/** The size of the largest of the fleet's event patterns for `scope`, as EventBridge counts it. */
export function largestPatternSize(scope: AlertScope): number {
    return Math.max(
        JSON.stringify(fleetDriftPattern(scope)).length,
        JSON.stringify(fleetBackupJobFailedPattern(scope)).length,
    );
}
