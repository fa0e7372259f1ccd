import * as assert from "assert";
import { Resource, UNKNOWN } from "../../../../cli/analyzer";
import { PRODUCTION_DEFAULTS } from "../../../../policies/dynamodb/engine/config";
import { LinkInput, linkTables, productionResolver } from "../../../../policies/dynamodb/facts/references";
import { asPackSees, factsOf } from "../../../support/policyFacts";
import { PRODUCTION_TAGS, legacyGlobalTable, tableIn } from "../../../support/dynamodbResources";

function inputs(resources: Resource[]): LinkInput[] {
    return resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: asPackSees(r.properties) as Record<string, unknown>,
        propertyDependencies: r.propertyDependencies ?? {},
        dependencies: r.dependencies ?? [],
        tables: factsOf(r),
    }));
}

/** Production-ness of the first table of each resource that declares one, by resource name. */
function production(resources: Resource[]) {
    const ins = inputs(resources);
    const of = productionResolver(linkTables(ins, PRODUCTION_DEFAULTS), PRODUCTION_DEFAULTS, undefined);
    return Object.fromEntries(ins.filter((i) => i.tables[0]).map((i) => [i.name, of(i.tables[0])]));
}

const east = (extra = {}) => tableIn("us-east-1", "orders", { tags: { ...PRODUCTION_TAGS }, ...extra });
const west = (extra = {}) => tableIn("us-west-2", "orders", extra);

describe("legacy global tables (policies/dynamodb/facts/references)", () => {
    it("shares production-ness between the same-named tables of the Regions it lists", () => {
        const p = production([east(), west(), legacyGlobalTable("orders", ["us-east-1", "us-west-2"])]);
        assert.strictEqual(p["orders-us-west-2"].production, true);
        assert.match(
            p["orders-us-west-2"].reason,
            /^it is a member of legacy global table `orders-global` \(aws:dynamodb\/globalTable:GlobalTable\) with table `orders-us-east-1` .* which is production because tag `tags.environment` is "production"$/,
        );
    });

    it("leaves out a same-named table of a Region it does not list, and tables of another name", () => {
        const p = production([
            east(),
            tableIn("eu-west-1", "orders"),
            tableIn("us-west-2", "carts"),
            legacyGlobalTable("orders", ["us-east-1", "us-west-2"]),
        ]);
        assert.strictEqual(p["orders-eu-west-1"].production, false);
        assert.strictEqual(p["carts-us-west-2"].production, false);
    });

    it("takes no member for production when none is, and keeps a member's own other environment", () => {
        const none = production([
            east({ tags: undefined }),
            west(),
            legacyGlobalTable("orders", ["us-east-1", "us-west-2"]),
        ]);
        assert.deepStrictEqual(
            [none["orders-us-east-1"].production, none["orders-us-west-2"].production],
            [false, false],
        );
        const staging = production([
            east(),
            west({ tags: { environment: "staging" } }),
            legacyGlobalTable("orders", ["us-east-1", "us-west-2"]),
        ]);
        assert.strictEqual(staging["orders-us-west-2"].production, false);
    });

    it("finds the members of an unknown name through its dependencies, and their name", () => {
        const e = east();
        const w = west();
        const gt = legacyGlobalTable(
            "orders",
            ["us-east-1", "us-west-2"],
            { propertyDependencies: { name: [w.urn] }, dependencies: [w.urn] },
            { name: UNKNOWN },
        );
        assert.strictEqual(production([e, w, gt])["orders-us-west-2"].production, true);
    });

    it("makes production-ness unknown, never a guess, when no dependency names the members of an unknown name", () => {
        const gt = legacyGlobalTable("orders", ["us-east-1", "us-west-2"], {}, { name: UNKNOWN });
        const p = production([east(), west(), gt]);
        assert.strictEqual(p["orders-us-east-1"].production, true);
        assert.strictEqual(p["orders-us-west-2"].production, "unknown");
        assert.match(
            p["orders-us-west-2"].production === "unknown" ? p["orders-us-west-2"].reason : "",
            /`name` of legacy global table `orders-global` .* is unknown during preview/,
        );
    });
});
