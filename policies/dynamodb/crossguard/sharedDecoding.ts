/**
 * One decoding of each resource per analyzer request, shared by the pack's policies.
 *
 * CrossGuard (`@pulumi/policy` `server.js`) decodes every resource's properties again for every
 * stack policy of an AnalyzeStack call, and for every resource policy of an Analyze call
 * (`deserializeProperties(r.getProperties(), false)`), before any policy code runs; a second no-op
 * stack policy was measured to cost x1.16 on 10,000 resources. The rules here each speak for
 * themselves (a PITR verdict under the PITR rule's name), so the pack has several policies that look
 * at the stack. This module wraps CrossGuard's `deserializeProperties` so that decoding the same
 * protobuf `Struct` (the same resource of the same request) twice returns the first result: the
 * second and later policies of a call get the same plain objects without decoding them again.
 *
 * Only read-only decodings (`proxySecrets === false`, as Analyze and AnalyzeStack use) are shared;
 * Remediate decodes with secret-preserving proxies and writes to the result, and is left alone. The
 * memo is a `WeakMap` keyed by the request's own objects, so it is freed with the request. If the
 * module is not where this version of `@pulumi/policy` keeps it, nothing is changed and every policy
 * decodes for itself, as before (slower, never wrong).
 */

type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;

const SHARED = Symbol.for("dynamodb-pitr.sharedDecoding");

/** Makes CrossGuard decode each resource of a request once; returns whether the wrapper is in place. */
export function shareDecoding(): boolean {
    let mod: { deserializeProperties?: Deserialize & { [SHARED]?: true } };
    try {
        // An internal module of CrossGuard, without typings: required, not imported.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require("@pulumi/policy/deserialize");
    } catch {
        return false;
    }
    const original = mod.deserializeProperties;
    if (typeof original !== "function") {
        return false;
    }
    if (original[SHARED]) {
        return true;
    }
    const memo = new WeakMap<object, unknown>();
    const shared: Deserialize & { [SHARED]?: true } = (struct, proxySecrets) => {
        if (proxySecrets !== false || struct === null || typeof struct !== "object") {
            return original(struct, proxySecrets);
        }
        if (memo.has(struct)) {
            return memo.get(struct);
        }
        const decoded = original(struct, proxySecrets);
        memo.set(struct, decoded);
        return decoded;
    };
    shared[SHARED] = true;
    try {
        mod.deserializeProperties = shared;
    } catch {
        return false;
    }
    return mod.deserializeProperties === shared;
}
