import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { defaultNewResource, runUnderMocks } from "../../cli/program/mockRuntime";
import { ResilientTable, ResilientTableArgs, TableArgsError } from "../../components";
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

/**
 * Builds the restored table expecting the component to reject its arguments; returns the error and
 * how many tables were registered before it (none, when validation runs first).
 */
export async function rejectedRestore(
    args: ResilientTableArgs,
): Promise<{ error: TableArgsError; created: number }> {
    let created = 0;
    const error = await buildRestoredTable(args, (a) => {
        created += a.type === TABLE ? 1 : 0;
        return defaultNewResource(a);
    }).then(
        () => assert.fail("expected the component to reject its arguments"),
        (e) => e,
    );
    assert.ok(error instanceof TableArgsError, `expected a TableArgsError, got ${error?.stack ?? error}`);
    return { error: error as TableArgsError, created };
}
