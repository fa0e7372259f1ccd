import * as assert from "assert";
import { PROXY_TARGET, UNKNOWN, readProp, snapshot } from "../../../../policies/dynamodb/engine/values";

/** CrossGuard's internals (marked `@internal`, so absent from its `.d.ts`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    getSpecialProxyTarget: string;
    unknownCheckingProxy: (value: object) => object;
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownObjectValue: string;
};

/** Properties as CrossGuard hands them to a policy during preview: sentinels for unknown values. */
function previewProps() {
    return {
        name: "orders",
        arn: proxy.unknownStringValue,
        tags: { environment: "production", owner: proxy.unknownStringValue },
        replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: proxy.unknownBooleanValue }],
        pointInTimeRecovery: proxy.unknownObjectValue,
    };
}

const EXPECTED = {
    name: "orders",
    arn: UNKNOWN,
    tags: { environment: "production", owner: UNKNOWN },
    replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: UNKNOWN }],
    pointInTimeRecovery: UNKNOWN,
};

/** CrossGuard's proxy as a future version might build it: the same, but without the internal key. */
function withoutTargetKey(value: object): object {
    return new Proxy(value, {
        get: (obj, prop) => {
            if (prop === PROXY_TARGET) {
                return undefined;
            }
            const v = (obj as Record<string | symbol, unknown>)[prop];
            return v !== null && typeof v === "object" ? withoutTargetKey(v) : v;
        },
    });
}

describe("reading CrossGuard's proxy (policies/dynamodb/engine/values)", () => {
    it("uses the key under which the installed @pulumi/policy returns a proxy's target; if this fails, @pulumi/policy changed it and PROXY_TARGET must follow", () => {
        assert.strictEqual(
            proxy.getSpecialProxyTarget,
            PROXY_TARGET,
            `@pulumi/policy now names its proxy target key ${JSON.stringify(proxy.getSpecialProxyTarget)}; ` +
                "update PROXY_TARGET in policies/dynamodb/engine/values.ts (the pack stays correct, only slower, meanwhile)",
        );
        const target = previewProps();
        const wrapped = proxy.unknownCheckingProxy(target) as Record<string, unknown>;
        assert.strictEqual(wrapped[PROXY_TARGET], target, "the key returns the very object wrapped");
    });

    it("reads unknown values through the proxy as UNKNOWN, with the internal key", () => {
        assert.deepStrictEqual(snapshot(proxy.unknownCheckingProxy(previewProps())), EXPECTED);
    });

    it("reads the same data, only slower, when the proxy no longer answers the internal key", () => {
        const wrapped = withoutTargetKey(proxy.unknownCheckingProxy(previewProps()));
        assert.strictEqual((wrapped as Record<string, unknown>)[PROXY_TARGET], undefined);
        assert.deepStrictEqual(snapshot(wrapped), EXPECTED);
        assert.strictEqual(readProp({ props: wrapped }, "props") !== undefined, true);
        assert.deepStrictEqual(readProp(wrapped, "tags"), EXPECTED.tags);
        assert.strictEqual(readProp(wrapped, "pointInTimeRecovery"), UNKNOWN);
    });
});
