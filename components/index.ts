export * from "./constants";
export * from "./resilientTable";
export * from "./validateTableArgs";
