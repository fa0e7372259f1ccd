/**
 * The tables the backup rules judge for one resource: whole tables, not the replicas of a table that
 * is judged itself, and only tables that can be read. Shared by the backup-plan and isolated-backups
 * rules so that both look at the same tables.
 */
import { TYPES, TableFacts } from "../engine/tableFacts";

export function backupTables(type: string, tables: readonly TableFacts[]): TableFacts[] {
    switch (type) {
        case TYPES.table:
        case TYPES.nativeTable:
        case TYPES.nativeGlobalTable:
            return tables.slice(0, 1).filter((t) => !t.cannotVerify);
        case TYPES.cloudFormationStack:
            return tables.filter((t) => !t.cannotVerify && !t.replicaIndex);
        default:
            return [];
    }
}
