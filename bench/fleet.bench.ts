// A fleet under the mock runtime, as `check` previews it: 1,000 production tables joined to one
// ProtectionBaseline against 1,000 hand-written `aws.dynamodb.Table`s with PITR and deletion
// protection (what a team would write without the component), per table; and what each design
// registers per production table: alone (each table its own key, plan and alarms), on a shared
// TableBackupPlan (the previous fleet design), and joined to a baseline. Runs are interleaved; the
// median of BENCH_FLEET_RUNS (default 3) is reported. BENCH_FLEET sets the number of tables.
import * as aws from "@pulumi/aws";
import { previewNewResource, runUnderMocks } from "../cli/program/mockRuntime";
import { ProtectionBaseline } from "../components/baseline/protectionBaseline";
import { RESTORE_INPUTS } from "../components/table/tableParts";
import { ResilientTable } from "../components/table/resilientTable";
import { TableBackupPlan } from "../components/backup/backupPlan";
import { BenchResult, envCount, median, ratio, round, timed } from "./measure";

const KEYS = {
    hashKey: "pk",
    rangeKey: "sk",
    attributes: [
        { name: "pk", type: "S" as const },
        { name: "sk", type: "S" as const },
    ],
};

const programs = {
    "hand-written aws.dynamodb.Table (PITR, deletion protection)": (count: number) => () => {
        for (let i = 0; i < count; i++) {
            new aws.dynamodb.Table(
                `table${i}`,
                {
                    ...KEYS,
                    billingMode: "PAY_PER_REQUEST",
                    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
                    deletionProtectionEnabled: true,
                    tags: { environment: "production" },
                },
                { protect: true, retainOnDelete: true, ignoreChanges: [...RESTORE_INPUTS] },
            );
        }
    },
    "ResilientTable joined to a ProtectionBaseline": (count: number) => () => {
        const baseline = new ProtectionBaseline("platform");
        for (let i = 0; i < count; i++) new ResilientTable(`table${i}`, { ...KEYS, baseline });
    },
    "ResilientTable on a shared TableBackupPlan (previous fleet design)": (count: number) => () => {
        const plan = new TableBackupPlan("platform");
        for (let i = 0; i < count; i++) new ResilientTable(`table${i}`, { ...KEYS, backup: { plan } });
    },
    "ResilientTable alone (its own key, plan and alarms)": (count: number) => () => {
        for (let i = 0; i < count; i++) new ResilientTable(`table${i}`, { ...KEYS });
    },
};
type Variant = keyof typeof programs;

async function run(program: () => void) {
    const cpu = process.cpuUsage();
    const { ms, value } = await timed(() =>
        runUnderMocks(program, {
            project: "platform",
            stack: "prod",
            preview: true,
            newResource: previewNewResource,
            config: { "aws:region": "us-east-1" },
        }),
    );
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, resources: value.resources.length };
}

export async function bench(): Promise<BenchResult> {
    const count = envCount("BENCH_FLEET", 1000);
    const runs = envCount("BENCH_FLEET_RUNS", 3);
    const timedVariants: Variant[] = [
        "hand-written aws.dynamodb.Table (PITR, deletion protection)",
        "ResilientTable joined to a ProtectionBaseline",
    ];
    for (const v of timedVariants) await run(programs[v](50)); // warm-up: modules, provider code
    const times: Record<string, number[]> = {};
    const cpuTimes: Record<string, number[]> = {};
    const seen: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
        for (const v of timedVariants) {
            const r = await run(programs[v](count));
            (times[v] ??= []).push(r.ms);
            (cpuTimes[v] ??= []).push(r.cpuMs);
            seen[v] = r.resources;
        }
    }
    // Every design is counted at 100 and 200 tables (cheap), which gives what each table adds and
    // what is shared; the timed ones are also counted at `count`.
    const counts: Record<string, [number, number]> = {};
    for (const v of Object.keys(programs) as Variant[]) {
        counts[v] = [(await run(programs[v](100))).resources, (await run(programs[v](200))).resources];
    }
    const [hand, joined] = timedVariants;
    const perTable = (v: Variant) => median(times[v]) / count;
    const cpuPerTable = (v: Variant) => median(cpuTimes[v]) / count;
    const rows: Array<Record<string, string | number>> = (Object.keys(programs) as Variant[]).map((v) => {
        const [at100, at200] = counts[v];
        const perTableResources = (at200 - at100) / 100;
        const fixed = at100 - 100 * perTableResources;
        const atCount = v in seen ? seen[v] : fixed + perTableResources * count;
        return {
            program: v,
            "per table": round(perTableResources, 2),
            "shared (fixed)": round(fixed, 0),
            [`resources at ${count}`]: atCount,
            [`per table, all in, at ${count}`]: round(atCount / count, 2),
            "preview ms / table": v in times ? round(perTable(v), 3) : "",
            "time ratio": v in times ? ratio(perTable(v), perTable(hand)) : "",
            "CPU ms / table": v in times ? round(cpuPerTable(v), 3) : "",
            "CPU ratio": v in times ? ratio(cpuPerTable(v), cpuPerTable(hand)) : "",
        };
    });
    const resourcesPerTable = seen[joined] / count;
    const timeRatio = perTable(joined) / perTable(hand);
    return {
        title: `A fleet of ${count} production tables under the mock runtime, previewed as \`check\` does (${runs === 1 ? "one run" : `median of ${runs}`}, after a warm-up)`,
        rows,
        notes: [
            'Counts include the stack resource. "Per table" and "shared (fixed)" come from counts at 100 and 200 tables; ' +
                `"resources at ${count}" is counted for the timed designs and extrapolated for the others.`,
            `Target: ≤ 2.2 resources per production table at ${count} joined tables — ${
                resourcesPerTable <= 2.2 ? "holds" : "missed"
            } (${round(resourcesPerTable, 3)}).`,
            `Target: joined ResilientTable ≤ 1.3x the hand-written table per table — ${
                timeRatio <= 1.3 ? "holds" : "missed"
            } (${ratio(perTable(joined), perTable(hand))} wall clock; ${ratio(cpuPerTable(joined), cpuPerTable(hand))} CPU, ` +
                "which other work on the machine disturbs less).",
        ],
    };
}
