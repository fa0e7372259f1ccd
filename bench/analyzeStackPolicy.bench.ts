// The pack's stack checks, in this process, on the shapes of bench/stackShapes.ts: the resources are
// handed to every `validateStack` of the pack in turn as CrossGuard would in one AnalyzeStack call
// (properties wrapped in its unknown-checking proxy around the same decoded objects, dependencies as
// resource objects), with no gRPC and no decoding, so the figures are the policies' own cost and its
// growth from 10k to 20k resources. Each call gets freshly decoded objects, as a new request would, so
// nothing is shared between calls. Median of BENCH_ANALYZE_RUNS (default 5) calls after a warm-up.
import { Resource, UNKNOWN } from "../cli/analyzer";
import { requireBackupPlan } from "../policies/dynamodb/rules/requireBackupPlan";
import { requireCustomerManagedKey } from "../policies/dynamodb/rules/requireCustomerManagedKey";
import { requireDeletionProtection } from "../policies/dynamodb/rules/requireDeletionProtection";
import { requirePitr } from "../policies/dynamodb/rules/requirePitr";
import { requireRecoveryPeriod } from "../policies/dynamodb/rules/requireRecoveryPeriod";
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

function policyResources(resources: Resource[], decoded: Array<{ props: object; provider?: object }>) {
    const byUrn = new Map<string, Record<string, unknown>>();
    const out = resources.map((r, i) => {
        const d = decoded[i];
        const o: Record<string, unknown> = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: proxy.unknownCheckingProxy(d.props),
            provider: d.provider ? { props: proxy.unknownCheckingProxy(d.provider) } : undefined,
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

type StackCheck = (a: unknown, r: () => void) => void;

// The pack's stack checks in the order of policies/index.ts (which cannot be imported here: it serves).
const stackChecks = [
    requirePitr,
    requireRecoveryPeriod,
    requireBackupPlan,
    requireDeletionProtection,
    requireCustomerManagedKey,
]
    .map((p) => (p as { validateStack?: StackCheck }).validateStack)
    .filter((v): v is StackCheck => typeof v === "function");

/** One call: the given checks in turn, each with its own resource objects around the same decoding. */
function run(generated: Resource[], checks: StackCheck[]): { ms: number; violations: number } {
    const decoded = generated.map((r) => ({
        props: asCrossGuard(r.properties) as object,
        provider: r.provider ? (asCrossGuard(r.provider.properties) as object) : undefined,
    }));
    const perPolicy = checks.map(() => policyResources(generated, decoded));
    let violations = 0;
    const start = process.hrtime.bigint();
    checks.forEach((check, i) =>
        check(
            { resources: perPolicy[i], getConfig: () => ({}), stackTags: new Map<string, string>() },
            () => violations++,
        ),
    );
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, violations };
}

export async function bench(): Promise<BenchResult> {
    const runs = envCount("BENCH_ANALYZE_RUNS", 5);
    const rows: Array<Record<string, string | number>> = [];
    const backupOnly = [requireBackupPlan.validateStack as StackCheck];
    for (const shape of SHAPES) {
        const at = new Map<number, number[]>();
        for (const size of [10_000, 20_000]) {
            const generated = shape.generate(size);
            run(generated, stackChecks);
            const times: number[][] = [[], []];
            let violations = 0;
            for (let i = 0; i < runs; i++) {
                times[0].push(run(generated, backupOnly).ms);
                const all = run(generated, stackChecks);
                times[1].push(all.ms);
                violations = all.violations;
            }
            const m = times.map(median);
            at.set(size, m);
            rows.push({
                shape: shape.name,
                resources: size,
                "backup policy alone ms": round(m[0]),
                [`all ${stackChecks.length} stack checks ms`]: round(m[1]),
                violations,
            });
        }
        const a = at.get(10_000) ?? [1, 1];
        const b = at.get(20_000) ?? [0, 0];
        rows.push({
            shape: shape.name,
            resources: "growth 10k → 20k",
            "backup policy alone ms": ratio(b[0], a[0]),
            [`all ${stackChecks.length} stack checks ms`]: ratio(b[1], a[1]),
            violations: "",
        });
    }
    return {
        title: `The pack's stack checks, in process (median of ${runs} after a warm-up)`,
        rows,
        notes: [
            "No gRPC and no CrossGuard decoding: the policies' own cost on each shape. The stack checks of " +
                "one call share one reading of the stack (policies/dynamodb/crossguard/stackReading.ts).",
        ],
    };
}
