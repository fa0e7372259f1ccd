// `check --state` on a generated 10,000-resource stack export: parsing and conversion alone, then the
// full check (one pack process, Analyze per resource and AnalyzeStack). BENCH_STATE_RESOURCES sets
// the size (default 10,000); a quarter of the resources are DynamoDB tables, half of them without PITR.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { runCheck } from "../cli/check";
import { convertStack, parseStackExport } from "../cli/state";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** A version 3 export of `count` resources: a provider with default tags, tables, keys and parameters. */
export function generateExport(count: number): string {
    const urn = (type: string, name: string) => `urn:pulumi:prod::bench::${type}::${name}`;
    const provider = urn("pulumi:providers:aws", "default_7_0_0");
    const providerId = "0b5a1c5e-5a6f-4b8e-9d1c-2f3e4a5b6c7d";
    const inputs = {
        region: "eu-west-1",
        defaultTags: '{"tags":{"environment":"production"}}',
        version: "7.0.0",
    };
    const resources: object[] = [
        {
            urn: urn("pulumi:pulumi:Stack", "bench-prod"),
            custom: false,
            type: "pulumi:pulumi:Stack",
            outputs: {},
        },
        {
            urn: provider,
            custom: true,
            id: providerId,
            type: "pulumi:providers:aws",
            inputs,
            outputs: inputs,
        },
    ];
    for (let i = 0; resources.length < count; i++) {
        const kind = i % 4;
        const name = `r${i}`;
        const base = {
            custom: true,
            provider: `${provider}::${providerId}`,
            parent: urn("pulumi:pulumi:Stack", "bench-prod"),
        };
        if (kind === 0) {
            const outputs = {
                arn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`,
                name,
                hashKey: "pk",
                attributes: [{ name: "pk", type: "S" }],
                billingMode: "PAY_PER_REQUEST",
                deletionProtectionEnabled: true,
                pointInTimeRecovery: { enabled: i % 8 === 0, recoveryPeriodInDays: i % 8 === 0 ? 35 : 0 },
                serverSideEncryption: { enabled: false, kmsKeyArn: "" },
                tags: { team: "t" },
                tagsAll: { team: "t", environment: "production" },
            };
            resources.push({
                ...base,
                urn: urn("aws:dynamodb/table:Table", name),
                id: name,
                type: "aws:dynamodb/table:Table",
                inputs: { name },
                outputs,
            });
        } else if (kind === 1) {
            const outputs = {
                arn: `arn:aws:kms:eu-west-1:123456789012:key/${name}`,
                enableKeyRotation: true,
            };
            resources.push({
                ...base,
                urn: urn("aws:kms/key:Key", name),
                id: name,
                type: "aws:kms/key:Key",
                inputs: {},
                outputs,
            });
        } else {
            const value = { [SIG]: SECRET, ciphertext: "v1:AAAA:BBBB" };
            const outputs = { name: `/bench/${name}`, type: "SecureString", value };
            resources.push({
                ...base,
                urn: urn("aws:ssm/parameter:Parameter", name),
                id: name,
                type: "aws:ssm/parameter:Parameter",
                inputs: outputs,
                outputs,
            });
        }
    }
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: { time: new Date(0).toISOString(), magic: "", version: "v3.178.0" },
            resources,
            pending_operations: [],
        },
    });
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function bench(): Promise<{ title: string; rows: Array<Record<string, string | number>> }> {
    const count = Number(process.env.BENCH_STATE_RESOURCES ?? 10_000);
    const text = generateExport(count);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dynamodb-pitr-state-")), "bench-prod.json");
    fs.writeFileSync(file, text);
    try {
        let start = process.hrtime.bigint();
        const converted = convertStack(parseStackExport(text, file));
        const convertMs = ms(start);

        const sink = new Writable({ write: (_c, _e, cb) => cb() });
        start = process.hrtime.bigint();
        const code = await runCheck(["--state", file, "--json"], { stdout: sink, stderr: sink });
        const checkMs = ms(start);
        if (code !== 1) throw new Error(`check --state on the generated export exited ${code}, expected 1`);
        const mb = Math.round((text.length / 1e6) * 10) / 10;
        return {
            title: `check --state on a generated ${count}-resource stack export (${mb} MB)`,
            rows: [
                { step: "parse + convert", resources: converted.resources.length, ms: Math.round(convertMs) },
                {
                    step: "full check (pack start, Analyze x N, AnalyzeStack, report)",
                    resources: converted.resources.length,
                    ms: Math.round(checkMs),
                },
            ],
        };
    } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
}

if (require.main === module) {
    bench().then((r) => console.log(r.title, r.rows));
}
