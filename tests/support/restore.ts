import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../cli/mockRuntime";
import { ResilientTable, ResilientTableArgs } from "../../components";
import { only, TABLE } from "./resources";

/**
 * Runs a program with one ResilientTable, `orders-restore` named `Orders_Restore` (the seed's restore
 * target), under the mock runtime in us-east-1, and returns what it registered and its table.
 */
export async function buildRestoredTable(
    args: ResilientTableArgs,
    newResource?: (a: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult,
) {
    const run = await runUnderMocks(
        () => {
            new ResilientTable("orders-restore", { name: "Orders_Restore", ...args });
        },
        { config: { "aws:region": "us-east-1" }, newResource },
    );
    return { ...run, table: only(run.resources, TABLE) };
}
