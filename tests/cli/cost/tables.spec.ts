import { strict as assert } from "assert";
import { arnMatches } from "../../../cli/cost/selection";
import { stackDefaults, TableInstance, tableInstances } from "../../../cli/cost/tables";
import type { CostResource } from "../../../cli/cost/types";

const resource = (type: string, name: string, inputs: Record<string, unknown>): CostResource => ({
    urn: `urn:pulumi:dev::shop::${type}::${name}`,
    type,
    name,
    inputs,
});

describe("cost: the tables a stack declares", () => {
    it("reads aws-native tables and each replica of an aws-native global table", () => {
        const tables = tableInstances(
            [
                resource("aws-native:dynamodb:Table", "carts", {
                    tableName: "Carts",
                    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
                    tags: [{ key: "environment", value: "production" }],
                }),
                resource("aws-native:dynamodb:GlobalTable", "sessions", {
                    tableName: "Sessions",
                    replicas: [
                        {
                            region: "us-east-1",
                            pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
                        },
                        { region: "eu-west-1" },
                    ],
                }),
            ],
            stackDefaults({ "aws:region": "us-east-1" }),
        );
        assert.deepEqual(
            tables.map((t) => [t.name, t.tableName, t.region, t.pitr, t.tags]),
            [
                ["carts", "Carts", "us-east-1", true, { environment: "production" }],
                ["sessions replica us-east-1", "Sessions", "us-east-1", true, {}],
                ["sessions replica eu-west-1", "Sessions", "eu-west-1", false, {}],
            ],
        );
    });

    it("gives a table the provider's default tags under its own, and a replica only propagated tags", () => {
        const [table, propagated, bare] = tableInstances(
            [
                resource("aws:dynamodb/table:Table", "orders", {
                    tags: { team: "checkout" },
                    replicas: [{ regionName: "eu-west-1", propagateTags: true }, { regionName: "us-west-2" }],
                }),
            ],
            stackDefaults({
                "aws:defaultTags": JSON.stringify({ tags: { environment: "production", team: "platform" } }),
            }),
        );
        assert.deepEqual(table.tags, { environment: "production", team: "checkout" });
        assert.deepEqual(propagated.tags, table.tags);
        assert.deepEqual(bare.tags, {});
        assert.equal(
            propagated.replicaOf,
            undefined,
            "the table's own Region is the provider's, not known here",
        );
    });
});

describe("cost: ARNs in a backup selection", () => {
    const orders: TableInstance = {
        key: "k",
        urn: "u",
        name: "orders",
        tableName: "orders-prod",
        region: "eu-west-1",
        tags: {},
        pitr: true,
    };

    it("matches wildcards in the Region, the account and the table name", () => {
        for (const arn of [
            "*",
            "arn:aws:dynamodb:*:*:table/*",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/orders-prod",
            "arn:aws:dynamodb:eu-*:*:table/orders-*",
        ])
            assert.ok(arnMatches(arn, orders), arn);
    });

    it("does not match another Region, another table, another service, or a name it cannot know", () => {
        for (const arn of [
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders-prod",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/invoices",
            "arn:aws:rds:eu-west-1:123456789012:db:orders-prod",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/orders-prod/backup/1",
        ])
            assert.ok(!arnMatches(arn, orders), arn);
        assert.ok(
            !arnMatches("arn:aws:dynamodb:eu-west-1:1:table/orders-prod", {
                ...orders,
                tableName: undefined,
            }),
        );
        assert.ok(arnMatches("arn:aws:dynamodb:eu-west-1:1:table/*", { ...orders, tableName: undefined }));
    });
});
