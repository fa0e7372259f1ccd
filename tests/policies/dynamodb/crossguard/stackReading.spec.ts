import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { shareDecoding } from "../../../../policies/dynamodb/crossguard/sharedDecoding";
import { readStack } from "../../../../policies/dynamodb/crossguard/stackReading";
import { PRODUCTION_DEFAULTS } from "../../../../policies/dynamodb/engine/config";

/** A resource as CrossGuard hands it to a stack policy: its properties behind a proxy of `target`. */
function policyResource(target: Record<string, unknown>, name: string): PolicyResource {
    const props = new Proxy(target, {
        get: (obj, p) => (p === "__getSpecialProxyTarget" ? obj : (obj as any)[p]),
    });
    return {
        type: "aws:dynamodb/table:Table",
        name,
        urn: `urn:pulumi:prod::orders::aws:dynamodb/table:Table::${name}`,
        props,
        opts: {},
        dependencies: [],
        propertyDependencies: {},
    } as unknown as PolicyResource;
}

describe("stackReading: one reading of the stack for every stack check of a call", () => {
    it("shares the reading between policies that see the same decoded resources", () => {
        const decoded = [{ name: "a", tags: {} }, { name: "b" }];
        const first = readStack({ resources: decoded.map((d, i) => policyResource(d, `t${i}`)) });
        const second = readStack({ resources: decoded.map((d, i) => policyResource(d, `t${i}`)) });
        assert.strictEqual(second, first);
        assert.strictEqual(first.inputs.length, 2);
        const resolved = first.resolve(PRODUCTION_DEFAULTS, undefined);
        assert.strictEqual(first.resolve({ ...PRODUCTION_DEFAULTS }, undefined), resolved);
        assert.notStrictEqual(
            first.resolve({ ...PRODUCTION_DEFAULTS, allTablesAreProduction: true }, undefined),
            resolved,
        );
    });

    it("reads again for another call (other decoded objects)", () => {
        const one = readStack({ resources: [policyResource({ name: "a" }, "a")] });
        const two = readStack({ resources: [policyResource({ name: "a" }, "a")] });
        assert.notStrictEqual(two, one);
        assert.strictEqual(readStack({ resources: [] }).inputs.length, 0);
    });
});

describe("sharedDecoding", () => {
    it("makes CrossGuard decode one request's resource once for every policy, and only read-only decodings", () => {
        assert.strictEqual(shareDecoding(), true);
        assert.strictEqual(shareDecoding(), true, "installing twice keeps one wrapper");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require("@pulumi/policy/deserialize");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
        const struct = Struct.fromJavaScript({ name: "orders", tags: { environment: "production" } });
        const a = mod.deserializeProperties(struct, false);
        assert.strictEqual(mod.deserializeProperties(struct, false), a);
        assert.deepStrictEqual(a, { name: "orders", tags: { environment: "production" } });
        assert.notStrictEqual(mod.deserializeProperties(struct, true), a, "remediation decodes its own copy");
        const other = Struct.fromJavaScript({ name: "orders" });
        assert.notStrictEqual(mod.deserializeProperties(other, false), a);
    });
});
