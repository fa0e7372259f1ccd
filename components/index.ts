export * from "./backupPlan";
export * from "./constants";
export * from "./onDemandBackup";
export * from "./resilientTable";
export * from "./restoreWindow";
export * from "./validateTableArgs";
