export * from "./adoption";
export * from "./backupPlan";
export * from "./constants";
export * from "./onDemandBackup";
export * from "./resilientTable";
export * from "./restoreWindow";
export * from "./tableMonitoring";
export * from "./validateTableArgs";
