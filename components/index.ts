export * from "./constants";
export * from "./resilientTable";
export * from "./validateTableArgs";
export * from "./onDemandBackup";
export * from "./restoreWindow";
