// The cost estimate `check` prints, against the preview it follows: N production ResilientTables
// under the SDK's mock runtime as a preview, then `estimateCost` over what they registered. Two
// fleets: tables that each bring their own backup plan, key and alarms (the defaults), and tables
// that share one tag-selected plan and one key (the golden template's shape). The estimate's time is
// the median of 5 runs; the ratio (in percent) says what it adds to the preview, measured in the same run.
// BENCH_COST_ALONE (default 100) and BENCH_COST_SHARED (default 1,000) set the table counts.
import * as aws from "@pulumi/aws";
import { previewNewResource, runUnderMocks } from "../cli/program/mockRuntime";
import { estimateCost } from "../cli/cost/estimate";
import { ResilientTable } from "../components/table/resilientTable";
import { TableBackupPlan } from "../components/backup/backupPlan";
import { BenchResult, envCount, median, round, timed } from "./measure";

const attributes = [{ name: "pk", type: "S" }];

function alone(count: number): () => void {
    return () => {
        for (let i = 0; i < count; i++) new ResilientTable(`orders${i}`, { hashKey: "pk", attributes });
    };
}

function shared(count: number): () => void {
    return () => {
        const key = new aws.kms.Key("platform", { enableKeyRotation: true });
        const plan = new TableBackupPlan("platform", {
            schedule: "daily-weekly-monthly-7-year",
            advancedDynamoDbBackup: "already-enabled",
            kmsKeyArn: key.arn,
            selectTags: { environment: "production" },
        });
        for (let i = 0; i < count; i++)
            new ResilientTable(`orders${i}`, {
                hashKey: "pk",
                attributes,
                kmsKeyArn: key.arn,
                backup: { plan },
                monitoring: false,
            });
    };
}

async function row(
    fleet: string,
    count: number,
    program: () => void,
): Promise<Record<string, string | number>> {
    const preview = await timed(() =>
        runUnderMocks(program, {
            project: "bench",
            stack: "prod",
            preview: true,
            newResource: previewNewResource,
        }),
    );
    const resources = preview.value.resources;
    const runs: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
        const estimate = await timed(async () => estimateCost(resources, { tableSizeGb: 10 }));
        runs.push(estimate.ms);
        total = estimate.value.totals.monthly;
    }
    const ms = median(runs);
    return {
        fleet,
        tables: count,
        resources: resources.length,
        "preview ms": round(preview.ms, 0),
        "estimate ms": round(ms, 1),
        "µs/table": round((ms * 1000) / count, 0),
        "estimate/preview": `${round((ms / preview.ms) * 100, 2)}%`,
        "USD/month at 10 GB": total,
    };
}

export async function bench(): Promise<BenchResult> {
    const alones = envCount("BENCH_COST_ALONE", 100);
    const shares = envCount("BENCH_COST_SHARED", 1000);
    return {
        title: "Cost estimate: time it adds to check's preview",
        rows: [
            await row("each table alone", alones, alone(alones)),
            await row("one shared tag-selected plan", shares, shared(shares)),
        ],
        notes: ["No target: the estimate should stay a small fraction of the preview it follows."],
    };
}
