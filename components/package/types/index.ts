/**
 * The multi-language package's argument types. Other modules refer to them through one namespace
 * (`import type * as pkg from "./package/types"`), so they are never mistaken for the components'
 * types of the same names (`TableAttribute`, `GlobalSecondaryIndex`, `ResilientTableArgs`, ...).
 */
export type * from "./table";
export type * from "./backup";
