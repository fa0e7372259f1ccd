/**
 * The protection baseline as the Pulumi package presents it: a `ProtectionBaseline` built from flat
 * arguments, and a `ResilientTable` joined to it by the baseline's outputs, as a Python or YAML
 * program passes them (the provider's Construct hands the table outputs of other resources as
 * `Output`s, as here). Run under the mock runtime; each test takes well under a second.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, runUnderMocks } from "../../cli/program/mockRuntime";
import {
    ProtectionBaseline,
    ProtectionBaselineArgs,
    ResilientTable,
    ResilientTableArgs,
    TableBaseline,
    toBaselineArgs,
} from "../../components/package";
import { all, COMPONENT, KMS_KEY, only, TABLE } from "../support/resources";

/* eslint-disable @typescript-eslint/no-require-imports */
const { deserializeInputs } = require("@pulumi/pulumi/provider/server");
const { specialSigKey, specialOutputValueSig } = require("@pulumi/pulumi/runtime/rpc");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const CONFIG = { "aws:region": "us-east-1" };
const KEYS = { hashKey: "pk", attributes: [{ name: "pk", type: "S" }] };
const RULE = "aws:cloudwatch/eventRule:EventRule";

/** The outputs a YAML program passes from a baseline of the same program, plain where they must be. */
function outputsOf(b: ProtectionBaseline): TableBaseline {
    return {
        baselineName: b.baselineName,
        region: b.region,
        kmsKeyArn: b.kmsKeyArn,
        replicaKmsKeyArns: b.replicaKmsKeyArns,
        selectedTags: b.selectedTags,
        selectedTableArns: b.selectedTableArns,
        planArn: b.planArn,
        vaultName: b.vaultName,
        alertTableNamePrefix: b.alertTableNamePrefix,
        alertTableNames: b.alertTableNames,
        alertTopicArn: b.alertTopicArn,
    };
}

function run(program: () => void) {
    return runUnderMocks(program, { project: "shop", stack: "prod", config: CONFIG });
}

/** A package baseline and a package table joined to it by outputs; each may change some arguments. */
function join(
    table: Partial<ResilientTableArgs> = {},
    baseline: ProtectionBaselineArgs = {},
    reference: (outputs: TableBaseline) => TableBaseline = (o) => o,
) {
    return run(() => {
        const b = new ProtectionBaseline("platform", baseline);
        new ResilientTable("orders", {
            ...KEYS,
            name: "orders",
            ...table,
            baseline: reference(outputsOf(b)),
        } as ResilientTableArgs);
    });
}

async function messageOf(build: Promise<unknown>): Promise<string> {
    try {
        await build;
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("the arguments were accepted");
}

const under = (resources: CapturedResource[], parentType: string) => {
    const parents = new Set(resources.filter((r) => r.type === parentType).map((r) => r.urn));
    return resources.filter((r) => r.parent !== undefined && parents.has(r.parent));
};

describe("package ProtectionBaseline", () => {
    it("turns flat arguments into the component's, unchanged in meaning", () => {
        assert.deepEqual(toBaselineArgs({}), { alerts: {} });
        assert.deepEqual(
            toBaselineArgs({
                selectionTags: { environment: "production", team: "checkout" },
                schedule: "daily",
                rules: [{ name: "hourly", schedule: "cron(0 * * * ? *)", lifecycle: { deleteAfterDays: 2 } }],
                alertTableNamePrefix: "prod-",
                backupJobAlerts: false,
                configRules: false,
                replicaRegions: ["eu-west-1"],
            }),
            {
                selection: { tags: { environment: "production", team: "checkout" } },
                schedule: [
                    "daily",
                    { name: "hourly", schedule: "cron(0 * * * ? *)", lifecycle: { deleteAfterDays: 2 } },
                ],
                alerts: { scope: { tableNamePrefix: "prod-" }, backupJobAlerts: false },
                configRules: false,
                replicaRegions: ["eu-west-1"],
            },
        );
        assert.deepEqual(toBaselineArgs({ selectionTableArns: ["arn:aws:dynamodb:*:*:table/a"] }).selection, {
            tableArns: ["arn:aws:dynamodb:*:*:table/a"],
        });
        assert.deepEqual(toBaselineArgs({ alertTableNames: ["Orders"] }).alerts, {
            scope: { tableNames: ["Orders"] },
        });
        assert.equal(toBaselineArgs({ alerts: false }).alerts, false);
    });

    it("is the TypeScript component: one key, plan, tag selection and rule set, under its type token", async () => {
        const { resources } = await run(() => void new ProtectionBaseline("platform", {}));
        assert.equal(only(resources, "dynamodb-pitr:index:ProtectionBaseline").name, "platform");
        assert.equal(all(resources, KMS_KEY).length, 1);
        assert.deepEqual(only(resources, "aws:backup/selection:Selection").inputs.conditions, [
            { stringEquals: [{ key: "aws:ResourceTag/environment", value: "production" }] },
        ]);
        assert.equal(all(resources, RULE).length, 2);
        assert.equal(all(resources, "aws:cfg/rule:Rule").length, 3);
    });

    it("narrows the alarms to a name prefix and reports it as an output", async () => {
        let prefix: string | undefined;
        const { resources } = await run(() => {
            prefix = new ProtectionBaseline("platform", { alertTableNamePrefix: "prod-" })
                .alertTableNamePrefix;
        });
        assert.equal(prefix, "prod-");
        assert.match(String(all(resources, RULE)[0].inputs.eventPattern), /"prefix":"prod-"/);
    });

    it("refuses contradictory flat fields, naming them as the package does", async () => {
        const message = await messageOf(
            run(
                () =>
                    void new ProtectionBaseline("platform", {
                        selectionTags: { environment: "production" },
                        selectionTableArns: ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"],
                        alerts: false,
                        alertTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts",
                        alertScope: "tables",
                    }),
            ),
        );
        assert.match(message, /ProtectionBaseline "platform" has 3 invalid arguments/);
        assert.match(message, /`selectionTags` and `selectionTableArns` are both given/);
        assert.match(message, /`alertScope` is "tables"; the only scope by name is "account"/);
        assert.match(message, /`alerts` is false, but `alertScope`, `alertTopicArn` are set/);
    });

    it("names the package's fields in the component's own refusals", async () => {
        const message = await messageOf(
            run(() => void new ProtectionBaseline("platform", { alertTableNamePrefix: "p".repeat(300) })),
        );
        assert.match(message, /`alertTableNamePrefix` is "p{300}"/);
        assert.doesNotMatch(message, /alerts\.scope/);
    });
});

describe("package ResilientTable joined to a baseline by its outputs", () => {
    it("registers only the table, on the baseline's key, carrying the selection's tags", async () => {
        const { resources } = await join(
            {},
            { selectionTags: { environment: "production", team: "checkout" } },
        );
        assert.deepEqual(
            under(resources, COMPONENT).map((r) => r.type),
            [TABLE],
        );
        const table = only(resources, TABLE);
        assert.deepEqual(table.inputs.serverSideEncryption, {
            enabled: true,
            kmsKeyArn: only(resources, KMS_KEY).outputs.arn,
        });
        assert.equal((table.inputs.tags as Record<string, string>).team, "checkout");
        assert.equal(table.protect, true);
    });

    it("keeps its own key and vault when asked (keepOwnKeyAndVault)", async () => {
        const { resources } = await join({ keepOwnKeyAndVault: true });
        const own = under(resources, COMPONENT).map((r) => r.type);
        assert.ok(own.includes(KMS_KEY), own.join(", "));
        assert.ok(own.includes("aws:backup/vault:Vault"), own.join(", "));
    });

    it("accepts outputs of other resources for the key, plan, vault, topic and replica keys", async () => {
        const { resources } = await join({}, { replicaRegions: ["eu-west-1"] }, (o) => ({
            ...o,
            kmsKeyArn: pulumi.output(o.kmsKeyArn),
            replicaKmsKeyArns: { "eu-west-1": pulumi.output(o.replicaKmsKeyArns!["eu-west-1"]) },
        }));
        assert.equal(all(resources, TABLE).length, 1);
    });

    it("refuses checked fields given as outputs, naming each and the fix", async () => {
        const message = await messageOf(
            join({}, {}, (o) => ({
                ...o,
                selectedTags: pulumi.output(o.selectedTags!) as unknown as Record<string, string>,
                region: pulumi.output("us-east-1") as unknown as string,
            })),
        );
        assert.match(message, /`baseline\.region` is an output of another resource/);
        assert.match(message, /`baseline\.selectedTags` is an output of another resource/);
        assert.match(message, /Fix: write it as a plain value/);
    });

    it("refuses a whole baseline given as one output", async () => {
        const message = await messageOf(join({}, {}, (o) => pulumi.output(o) as unknown as TableBaseline));
        assert.match(message, /`baseline` is one output of another resource/);
    });

    it("refuses a schedule of the table's own, pointing to sharedBackupPlan", async () => {
        const message = await messageOf(join({ backup: "monthly-7-year" }));
        assert.match(message, /`backup` is "monthly-7-year", a schedule of the table's own/);
        assert.match(message, /pass its outputs as `sharedBackupPlan`/);
        assert.doesNotMatch(message, /\{ plan \}/);
    });

    it("takes monitoring.enabled: true as joining the baseline's alarms, and words the opt-out as the package does", async () => {
        const { resources } = await join({ monitoring: { enabled: true } });
        assert.equal(all(resources, TABLE).length, 1);
        const message = await messageOf(join({}, {}, (o) => ({ ...o, alertTopicArn: undefined })));
        assert.match(message, /has no alarms/);
        assert.match(message, /`monitoring: \{ enabled: false \}`/);
        const optedOut = await join({ monitoring: { enabled: false } }, {}, (o) => ({
            ...o,
            alertTopicArn: undefined,
        }));
        assert.equal(all(optedOut.resources, TABLE).length, 1);
    });

    it("follows a narrowed alert scope: a table outside the prefix is refused", async () => {
        const message = await messageOf(join({ name: "orders" }, { alertTableNamePrefix: "prod-" }));
        assert.match(message, /alerts only on tables named prod-\*/);
        assert.match(message, /widen the baseline's `alertScope`/);
        const { resources } = await join({ name: "prod-orders" }, { alertTableNamePrefix: "prod-" });
        assert.equal(all(resources, TABLE).length, 1);
    });

    describe("as the provider's Construct deserializes the engine's inputs", () => {
        const PLATFORM = "urn:pulumi:prod::shop::dynamodb-pitr:index:ProtectionBaseline::platform";
        /** Another resource's output as the engine sends it: an output value, unknown when `value` is undefined. */
        const outputValue = (value?: unknown) => ({
            [specialSigKey]: specialOutputValueSig,
            ...(value === undefined ? {} : { value }),
            dependencies: [PLATFORM],
        });
        const KEY = "arn:aws:kms:us-east-1:123456789012:key/shared";
        const wire = (baseline: Record<string, unknown>) => ({
            hashKey: "pk",
            attributes: [{ name: "pk", type: "S" }],
            name: "orders",
            baseline: {
                baselineName: "platform",
                selectedTags: { environment: "production", team: "checkout" },
                kmsKeyArn: outputValue(KEY),
                planArn: outputValue(),
                vaultName: outputValue("platform-vault"),
                alertTopicArn: outputValue(),
                ...baseline,
            },
        });
        /** Deserializes `inputs` as the provider's Construct does, then builds the package's table from them. */
        const construct = (inputs: Record<string, unknown>) =>
            run(async () => {
                const args = await deserializeInputs(Struct.fromJavaScript(inputs), new Map());
                new ResilientTable("orders", args);
            });

        it("joins with literal fields plain and outputs (known or not) for the key, plan, vault and topic", async () => {
            const { resources } = await construct(wire({}));
            assert.deepEqual(
                under(resources, COMPONENT).map((r) => r.type),
                [TABLE],
            );
            const table = only(resources, TABLE);
            assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: KEY });
            assert.equal((table.inputs.tags as Record<string, string>).team, "checkout");
        });

        it("refuses selectedTags passed as the baseline's output, naming the field", async () => {
            const message = await messageOf(
                construct(wire({ selectedTags: outputValue({ environment: "production" }) })),
            );
            assert.match(message, /ResilientTable "orders" has an invalid argument/);
            assert.match(message, /`baseline\.selectedTags` is an output of another resource/);
        });
    });
});
