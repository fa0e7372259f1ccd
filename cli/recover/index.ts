// Item-level recovery from a restored table into the live one: the library and its command.
export { recoverItems, defaultRateLimit } from "./recover";
export { RecoveryRefusedError } from "./preflight";
export { type RecoverOptions, type RecoveryProgress } from "./options";
export { runRecover, RECOVER_USAGE, type CommandIO } from "./command";
export { parseWhere, type RecoveryFilter, type WhereClause } from "./filter";
export { readKeysFile, parseKeys } from "./keys";
export {
    summarize,
    writeReport,
    type RecoveryReport,
    type RecoveryCounts,
    type RecoverySamples,
} from "./report";
export { recoveryStatus, describeStatus, type RecoveryStatus } from "./status";
export { openStateStore, type StateStore } from "./stateStore";
export { type WorkerSpec } from "./share";
