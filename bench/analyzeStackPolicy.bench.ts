// The backup-plan stack policy alone, in this process, on the shapes of bench/stackShapes.ts: the
// resources are handed to `validateStack` as CrossGuard would (properties wrapped in its
// unknown-checking proxy, dependencies as resource objects), with no gRPC and no decoding, so the
// figures are the policy's own cost and its growth from 10k to 20k resources. Median of
// BENCH_ANALYZE_RUNS (default 5) calls after one warm-up call.
import { Resource, UNKNOWN } from "../cli/analyzer";
import { requireBackupPlan } from "../policies/dynamodb/requireBackupPlan";
import { BenchResult, envCount, median, ratio, round } from "./measure";
import { SHAPES } from "./stackShapes";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy: (value: object) => object;
    unknownStringValue: string;
};

/** The analyzer client's values as CrossGuard deserializes them (sentinels for unknowns). */
function asCrossGuard(v: unknown): unknown {
    if (v === UNKNOWN) {
        return proxy.unknownStringValue;
    }
    if (Array.isArray(v)) {
        return v.map(asCrossGuard);
    }
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asCrossGuard(x)]));
    }
    return v;
}

function policyResources(resources: Resource[]) {
    const byUrn = new Map<string, Record<string, unknown>>();
    const out = resources.map((r) => {
        const o: Record<string, unknown> = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: proxy.unknownCheckingProxy(asCrossGuard(r.properties) as object),
            provider: r.provider
                ? { props: proxy.unknownCheckingProxy(asCrossGuard(r.provider.properties) as object) }
                : undefined,
        };
        byUrn.set(r.urn, o);
        return o;
    });
    resources.forEach((r, i) => {
        out[i].dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d) => d);
        out[i].propertyDependencies = Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [
                k,
                v.map((u) => byUrn.get(u)).filter((d) => d),
            ]),
        );
    });
    return out;
}

function run(resources: unknown[]): { ms: number; violations: number } {
    let violations = 0;
    const args = { resources, getConfig: () => ({}), stackTags: new Map<string, string>() };
    const start = process.hrtime.bigint();
    (requireBackupPlan.validateStack as (a: unknown, r: () => void) => void)(args, () => violations++);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, violations };
}

export async function bench(): Promise<BenchResult> {
    const runs = envCount("BENCH_ANALYZE_RUNS", 5);
    const rows: Array<Record<string, string | number>> = [];
    for (const shape of SHAPES) {
        const at = new Map<number, number>();
        for (const size of [10_000, 20_000]) {
            const resources = policyResources(shape.generate(size));
            run(resources);
            const times: number[] = [];
            let violations = 0;
            for (let i = 0; i < runs; i++) {
                const r = run(resources);
                times.push(r.ms);
                violations = r.violations;
            }
            at.set(size, median(times));
            rows.push({
                shape: shape.name,
                resources: size,
                "stack policy ms": round(median(times)),
                violations,
            });
        }
        rows.push({
            shape: shape.name,
            resources: "growth 10k → 20k",
            "stack policy ms": ratio(at.get(20_000) ?? 0, at.get(10_000) ?? 1),
            violations: "",
        });
    }
    return {
        title: `The backup-plan stack policy alone, in process (median of ${runs} after a warm-up)`,
        rows,
        notes: ["No gRPC and no CrossGuard decoding: the policy's own cost on each shape."],
    };
}
