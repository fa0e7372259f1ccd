import * as assert from "assert";
import { PropertyMap, Resource, UNKNOWN } from "../../../../cli/analyzer";
import { PRODUCTION_DEFAULTS } from "../../../../policies/dynamodb/engine/config";
import { LinkInput, linkTables, productionResolver } from "../../../../policies/dynamodb/facts/references";
import { asPackSees, factsOf } from "../../../support/policyFacts";
import { awsTable, awsTableReplica, dynamodbTag, untaggedTable } from "../../../support/dynamodbResources";

function inputs(resources: Resource[]): LinkInput[] {
    return resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: asPackSees(r.properties) as Record<string, unknown>,
        propertyDependencies: r.propertyDependencies ?? {},
        tables: factsOf(r),
    }));
}

/** Production-ness of the first table of each resource, by resource name. */
function production(resources: Resource[]) {
    const ins = inputs(resources);
    const of = productionResolver(linkTables(ins, PRODUCTION_DEFAULTS), PRODUCTION_DEFAULTS, undefined);
    return Object.fromEntries(ins.filter((i) => i.tables[0]).map((i) => [i.name, of(i.tables[0])]));
}

const restored = (name: string, from: string, extra: PropertyMap = {}) =>
    untaggedTable(name, { restoreSourceName: from, ...extra });

describe("references between resources (policies/dynamodb/facts/references)", () => {
    it("follows a chain of restores back to a production table", () => {
        const p = production([awsTable(), restored("b", "orders"), restored("c", "b")]);
        assert.strictEqual(p.b.production, true);
        assert.strictEqual(p.c.production, true);
        assert.match(
            p.c.reason,
            /^it is restored from table `b` .* which is production because it is restored from table `orders`/,
        );
    });

    it("breaks cycles without taking any table for production", () => {
        const p = production([restored("a", "b"), restored("b", "a"), restored("self", "self")]);
        assert.deepStrictEqual([p.a.production, p.b.production, p.self.production], [false, false, false]);
    });

    it("gives up on a chain longer than a hundred references as unknown, without overflowing the stack", () => {
        const chain: Resource[] = [awsTable({}, "t0")];
        for (let i = 1; i <= 150; i++) {
            chain.push(restored(`t${i}`, `t${i - 1}`));
        }
        const p = production(chain.reverse());
        assert.strictEqual(p.t150.production, "unknown");
        assert.strictEqual(p.t50.production, true);
    });

    it("makes every untagged table unknown when a production Tag's table is unknown, and ignores one that cannot mean production", () => {
        const t = untaggedTable("orders");
        const floating = dynamodbTag("env", {
            resourceArn: UNKNOWN,
            key: "environment",
            value: "production",
        });
        const p = production([t, floating]);
        assert.strictEqual(p.orders.production, "unknown");
        assert.match(
            p.orders.reason,
            /`resourceArn` of `env` \(aws:dynamodb\/tag:Tag\) is unknown during preview and no property dependency names the table/,
        );
        const other = dynamodbTag("team", { resourceArn: UNKNOWN, key: "team", value: "payments" });
        assert.strictEqual(production([t, other]).orders.production, false);
    });

    it("ignores Tags without a key, with a malformed ARN, or naming a table outside the stack", () => {
        const t = untaggedTable("orders");
        const p = production([
            t,
            dynamodbTag("no-key", {
                resourceArn: "arn:aws:dynamodb:us-east-1:1:table/orders",
                value: "production",
            }),
            dynamodbTag("bad", { resourceArn: "orders", key: "environment", value: "production" }),
            dynamodbTag("away", {
                resourceArn: "arn:aws:dynamodb:us-east-1:1:table/x",
                key: "environment",
                value: "prod",
            }),
        ]);
        assert.strictEqual(p.orders.production, false);
    });

    it("lets a replica's own tag naming another environment win over its production table", () => {
        const main = awsTable({ arn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders" });
        const dev = awsTableReplica({ tags: { environment: "dev" } });
        assert.strictEqual(production([main, dev])["orders-eu"].production, false);
        const untagged = awsTableReplica({ tags: undefined });
        assert.strictEqual(production([main, untagged])["orders-eu"].production, true);
    });
});
