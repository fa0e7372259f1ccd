import { strict as assert } from "assert";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { ResilientTable, ResilientTableArgs, TableArgsError } from "../../../components";
import { all, COMPONENT, KMS_KEY, only, TABLE } from "../../support/resources";

const orders: ResilientTableArgs = {
    hashKey: "orderId",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "customerId", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId" }],
};

async function build(args: Partial<ResilientTableArgs> = {}, config: Record<string, string> = {}) {
    let component: ResilientTable | undefined;
    const run = await runUnderMocks(
        () => {
            component = new ResilientTable("orders", { ...orders, ...args });
        },
        { config: { "aws:region": "us-east-1", ...config } },
    );
    return { ...run, component: component!, table: only(run.resources, TABLE) };
}

describe("ResilientTable", () => {
    describe("defaults (production)", () => {
        it("creates one table as the component's child with PITR on for 35 days", async () => {
            const { resources, table } = await build();
            const component = only(resources, COMPONENT);
            assert.equal(table.parent, component.urn);
            assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
        });

        it("turns on deletion protection, protect and retainOnDelete", async () => {
            const { table } = await build();
            assert.equal(table.inputs.deletionProtectionEnabled, true);
            assert.equal(table.protect, true);
            assert.equal(table.retainOnDelete, true);
        });

        it("encrypts with a customer-managed KMS key it creates with rotation, itself protected", async () => {
            const { resources, table } = await build();
            const key = only(resources, KMS_KEY);
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.inputs.deletionWindowInDays, 30);
            assert.equal(key.protect, true);
            assert.deepEqual(table.inputs.serverSideEncryption, {
                enabled: true,
                kmsKeyArn: key.outputs.arn,
            });
        });

        it("tags the table environment=production and keeps the user's tags", async () => {
            const { table } = await build({ tags: { team: "checkout" } });
            assert.deepEqual(table.inputs.tags, { team: "checkout", environment: "production" });
        });

        it("uses on-demand billing, the standard class, and ALL projections", async () => {
            const { table } = await build();
            assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
            assert.equal(table.inputs.tableClass, "STANDARD");
            assert.equal((table.inputs.globalSecondaryIndexes as any[])[0].projectionType, "ALL");
            assert.equal(table.inputs.readCapacity, undefined);
        });

        it("exposes the table's name, ARN, stream ARN and key ARN", async () => {
            const { component } = await build({ name: "Orders", streamViewType: "NEW_IMAGE" });
            const [name, arn, streamArn, kmsKeyArn] = await Promise.all(
                [component.name, component.arn, component.streamArn, component.kmsKeyArn].map(
                    (o) => new Promise((resolve) => (o as any).apply(resolve)),
                ),
            );
            assert.equal(name, "Orders");
            assert.match(String(arn), /^arn:aws:dynamodb:.*table\/Orders$/);
            assert.match(String(streamArn), /\/stream\//);
            assert.match(String(kmsKeyArn), /^arn:aws:kms:/);
        });

        it("uses a KMS key the user passes instead of creating one", async () => {
            const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/abc";
            const { resources, table } = await build({ kmsKeyArn });
            assert.equal(all(resources, KMS_KEY).length, 0);
            assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn });
        });
    });

    describe("arguments", () => {
        it("sets the PITR window", async () => {
            const { table } = await build({ pointInTimeRecovery: { recoveryPeriodInDays: 7 } });
            assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 7 });
        });

        it("takes provisioned capacity for the table and its indexes", async () => {
            const { table } = await build({
                billingMode: "PROVISIONED",
                readCapacity: 5,
                writeCapacity: 3,
                globalSecondaryIndexes: [
                    { name: "byCustomer", hashKey: "customerId", readCapacity: 2, writeCapacity: 1 },
                ],
            });
            assert.equal(table.inputs.billingMode, "PROVISIONED");
            assert.equal(table.inputs.readCapacity, 5);
            assert.equal(table.inputs.writeCapacity, 3);
            assert.equal((table.inputs.globalSecondaryIndexes as any[])[0].readCapacity, 2);
        });

        it("sets the sort key, local secondary indexes, table class and TTL", async () => {
            const { table } = await build({
                rangeKey: "createdAt",
                attributes: [
                    ...orders.attributes,
                    { name: "createdAt", type: "S" },
                    { name: "status", type: "S" },
                ],
                localSecondaryIndexes: [
                    {
                        name: "byStatus",
                        rangeKey: "status",
                        projectionType: "INCLUDE",
                        nonKeyAttributes: ["total"],
                    },
                ],
                tableClass: "STANDARD_INFREQUENT_ACCESS",
                ttlAttribute: "expiresAt",
            });
            assert.equal(table.inputs.rangeKey, "createdAt");
            assert.deepEqual((table.inputs.localSecondaryIndexes as any[])[0], {
                name: "byStatus",
                rangeKey: "status",
                projectionType: "INCLUDE",
                nonKeyAttributes: ["total"],
            });
            assert.equal(table.inputs.tableClass, "STANDARD_INFREQUENT_ACCESS");
            assert.deepEqual(table.inputs.ttl, { attributeName: "expiresAt", enabled: true });
        });

        it("turns streams on with the view type asked for", async () => {
            const { table } = await build({ streamViewType: "KEYS_ONLY" });
            assert.equal(table.inputs.streamEnabled, true);
            assert.equal(table.inputs.streamViewType, "KEYS_ONLY");
        });

        it("leaves streams off by default", async () => {
            const { table } = await build();
            assert.equal(table.inputs.streamEnabled, false);
        });

        it("gives every replica PITR, deletion protection and a KMS key in its own Region", async () => {
            const { resources, table } = await build({
                replicas: [{ regionName: "eu-west-1" }, { regionName: "ap-south-1" }],
            });
            const replicas = table.inputs.replicas as any[];
            assert.equal(replicas.length, 2);
            for (const replica of replicas) {
                assert.equal(replica.pointInTimeRecovery, true);
                assert.equal(replica.deletionProtectionEnabled, true);
                assert.equal(replica.propagateTags, true);
                const key = only(resources, KMS_KEY, `orders-key-${replica.regionName}`);
                assert.equal(key.inputs.region, replica.regionName);
                assert.equal(key.inputs.enableKeyRotation, true);
                assert.equal(replica.kmsKeyArn, key.outputs.arn);
            }
            assert.equal(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
        });

        it("passes other aws.dynamodb.Table arguments through", async () => {
            const { table } = await build({
                tableArgs: { onDemandThroughput: { maxReadRequestUnits: 100 } },
            });
            assert.deepEqual(table.inputs.onDemandThroughput, { maxReadRequestUnits: 100 });
        });

        it("lets a production table be replaced only with dangerouslyAllowReplacement, still retained", async () => {
            const { table } = await build({ dangerouslyAllowReplacement: true });
            assert.equal(table.protect, false);
            assert.equal(table.retainOnDelete, true);
            assert.equal(table.inputs.deletionProtectionEnabled, true);
        });
    });

    describe("non-production tiers", () => {
        it("keeps PITR but relaxes protection, encryption and retention for staging", async () => {
            const { resources, table } = await build({ tier: "staging" });
            assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
            assert.equal(table.inputs.deletionProtectionEnabled, false);
            assert.equal(table.protect, false);
            assert.equal(table.retainOnDelete, false);
            assert.deepEqual(table.inputs.serverSideEncryption, { enabled: false });
            assert.equal(all(resources, KMS_KEY).length, 0);
            assert.equal((table.inputs.tags as any).environment, "staging");
        });

        it("turns PITR off only with dangerouslyDisablePointInTimeRecovery", async () => {
            const { table, component } = await build({
                tier: "development",
                dangerouslyDisablePointInTimeRecovery: true,
            });
            assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: false });
            assert.equal(await new Promise((resolve) => component.recoveryPeriodInDays.apply(resolve)), 0);
        });

        it("keeps deletion protection and customer-managed keys when a development table asks for them", async () => {
            const { resources, table } = await build({
                tier: "development",
                deletionProtectionEnabled: true,
                encryption: "customer-managed",
            });
            assert.equal(table.inputs.deletionProtectionEnabled, true);
            assert.equal(all(resources, KMS_KEY).length, 1);
            assert.equal(all(resources, KMS_KEY)[0].protect, false);
        });
    });

    describe("bad input", () => {
        async function rejects(args: Partial<ResilientTableArgs>, ...fragments: RegExp[]) {
            const error = await build(args).then(
                () => assert.fail("expected the component to reject its arguments"),
                (e) => e,
            );
            assert.ok(
                error instanceof TableArgsError,
                `expected a TableArgsError, got ${error?.stack ?? error}`,
            );
            assert.match(error.message, /ResilientTable "orders" has/);
            for (const fragment of fragments) assert.match(error.message, fragment);
            assert.equal(error.hideStack, true);
            return error as TableArgsError;
        }

        it("rejects a recovery period of 40 before creating anything", async () => {
            let created = 0;
            await runUnderMocks(
                () =>
                    new ResilientTable("orders", {
                        ...orders,
                        pointInTimeRecovery: { recoveryPeriodInDays: 40 },
                    }),
                {
                    newResource: (a) => {
                        created += a.type === TABLE ? 1 : 0;
                        return { id: "x", state: a.inputs };
                    },
                },
            ).catch((e) =>
                assert.match(
                    e.message,
                    /recoveryPeriodInDays` is 40; it must be a whole number of days from 1 to 35/,
                ),
            );
            assert.equal(created, 0);
        });

        it("rejects a recovery period that arrives later as an Output", async () => {
            const pulumi = await import("@pulumi/pulumi");
            await rejects(
                { pointInTimeRecovery: { recoveryPeriodInDays: pulumi.output(Promise.resolve(0)) } },
                /recoveryPeriodInDays` is 0/,
            );
        });

        it("reports every problem at once, each with its field", async () => {
            const error = await rejects(
                {
                    tier: "production",
                    dangerouslyDisablePointInTimeRecovery: true,
                    name: "ab",
                    billingMode: "PAY_PER_REQUEST",
                    readCapacity: 5,
                },
                /PITR cannot be turned off in production/,
                /`name` is "ab" \(2 characters\)/,
                /`readCapacity` is 5 but `billingMode` is "PAY_PER_REQUEST"/,
            );
            assert.match(error.message, /^ResilientTable "orders" has 3 invalid arguments:\n {2}- /);
            assert.deepEqual(
                error.problems.map((p) => p.propertyPath),
                ["dangerouslyDisablePointInTimeRecovery", "name", "readCapacity"],
            );
        });

        it("rejects a replica in the table's own Region", async () => {
            await rejects(
                { replicas: [{ regionName: "us-east-1" }] },
                /`replicas\[0\].regionName` is "us-east-1", the table's own Region/,
            );
        });
    });
});
