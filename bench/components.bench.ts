// Component construction under the SDK's mock runtime: 1,000 ResilientTables against 1,000
// hand-written equivalents that register the same children with the same inputs and options (a
// component, a KMS key with rotation, a table with PITR, deletion protection and the key). Both
// turn scheduled backups and drift alarms off (`backup: "none"`, `monitoring: false`), so the children match. Runs are
// interleaved; the median of BENCH_COMPONENT_RUNS (default 1: a run of 1,000 takes close to a minute
// on a 2-core machine) is reported, per registered resource.
// BENCH_COMPONENTS sets the number of tables (default 1,000).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { runUnderMocks } from "../cli/program/mockRuntime";
import { RESTORE_INPUTS } from "../components/table/tableParts";
import { ResilientTable } from "../components/table/resilientTable";
import { BenchResult, envCount, median, ratio, round, timed } from "./measure";

const attributes = [
    { name: "pk", type: "S" },
    { name: "sk", type: "S" },
];

function resilientTables(count: number): () => void {
    return () => {
        for (let i = 0; i < count; i++) {
            new ResilientTable(`orders${i}`, {
                hashKey: "pk",
                rangeKey: "sk",
                attributes,
                backup: "none",
                monitoring: false,
            });
        }
    };
}

/** What a user would write by hand for the same result. */
class HandWrittenTable extends pulumi.ComponentResource {
    readonly table: aws.dynamodb.Table;
    constructor(name: string) {
        super("bench:index:HandWrittenTable", name, {}, {});
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts DynamoDB table ${name} (production)`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: { environment: "production" },
            },
            { parent: this, protect: true, retainOnDelete: true },
        );
        this.table = new aws.dynamodb.Table(
            name,
            {
                hashKey: "pk",
                rangeKey: "sk",
                attributes,
                billingMode: "PAY_PER_REQUEST",
                tableClass: "STANDARD",
                pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
                deletionProtectionEnabled: true,
                serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
                streamEnabled: false,
                tags: { environment: "production" },
            },
            {
                parent: this,
                ignoreChanges: [...RESTORE_INPUTS],
                protect: true,
                retainOnDelete: true,
            },
        );
        this.registerOutputs({ name: this.table.name, arn: this.table.arn, kmsKeyArn: key.arn });
    }
}

function handWritten(count: number): () => void {
    return () => {
        for (let i = 0; i < count; i++) {
            new HandWrittenTable(`orders${i}`);
        }
    };
}

async function run(program: () => void): Promise<{ ms: number; resources: number; types: string }> {
    const { ms, value } = await timed(() =>
        runUnderMocks(program, { project: "orders", stack: "prod", config: { "aws:region": "us-east-1" } }),
    );
    const counts = new Map<string, number>();
    for (const r of value.resources) {
        const kind = r.custom ? r.type : "component";
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const types = [...counts].map(([t, n]) => `${n} ${t}`).join(", ");
    return { ms, resources: value.resources.length, types };
}

export async function bench(): Promise<BenchResult> {
    const count = envCount("BENCH_COMPONENTS", 1000);
    const runs = envCount("BENCH_COMPONENT_RUNS", 1);
    const variants = [
        { name: `${count} hand-written equivalents`, program: handWritten(count) },
        { name: `${count} ResilientTables`, program: resilientTables(count) },
    ];
    // A small warm-up run of each loads the modules and the provider's code.
    await run(handWritten(50));
    await run(resilientTables(50));
    const times: number[][] = variants.map(() => []);
    const seen: { resources: number; types: string }[] = [];
    for (let i = 0; i < runs; i++) {
        for (const [j, v] of variants.entries()) {
            const r = await run(v.program);
            times[j].push(r.ms);
            seen[j] = r;
        }
    }
    const [hand, ours] = seen;
    if (hand.resources !== ours.resources) {
        throw new Error(
            `The two programs register different resources: ${hand.types} (hand-written) vs ${ours.types}.`,
        );
    }
    const perResource = times.map((t, j) => median(t) / seen[j].resources);
    const rows: Array<Record<string, string | number>> = variants.map((v, j) => ({
        program: v.name,
        "registered resources": seen[j].resources,
        "median ms": round(median(times[j])),
        "ms / resource": round(perResource[j], 3),
        ratio: ratio(perResource[j], perResource[0]),
    }));
    return {
        title: `Component construction under the mock runtime (${runs === 1 ? "one run" : `median of ${runs}`}, after a warm-up)`,
        rows,
        notes: [
            `Each program registers ${ours.types} (the stack resource included).`,
            `Target: ResilientTable ≤ 1.5x the hand-written equivalent per resource — ${
                perResource[1] <= 1.5 * perResource[0] ? "holds" : "missed"
            } (${ratio(perResource[1], perResource[0])}).`,
        ],
    };
}
