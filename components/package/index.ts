/**
 * The components as the Pulumi package (`pulumi package add`) presents them to Python, Go, .NET, Java
 * and YAML. TypeScript programs use `dynamodb-pitr` directly, whose arguments are richer.
 */
export * from "./resilientTable";
export * from "./tableBackupPlan";
export * from "./protectionBaseline";
export * from "./organizationBackupPolicy";
export type * from "./types";
