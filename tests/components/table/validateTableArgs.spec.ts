import { strict as assert } from "assert";
import { ResilientTableArgs, validateTableArgs } from "../../../components";

const valid: ResilientTableArgs = {
    hashKey: "orderId",
    rangeKey: "createdAt",
    attributes: [
        { name: "orderId", type: "S" },
        { name: "createdAt", type: "S" },
        { name: "customerId", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId" }],
};

/** The reasons given for `change` applied to the valid arguments. */
function reasons(
    change: Partial<ResilientTableArgs> | Record<string, unknown>,
    providerRegion?: string,
): string[] {
    return validateTableArgs({ ...valid, ...change } as ResilientTableArgs, { providerRegion }).map(
        (p) => p.reason,
    );
}

function rejects(
    change: Partial<ResilientTableArgs> | Record<string, unknown>,
    expected: RegExp,
    providerRegion?: string,
) {
    const found = reasons(change, providerRegion);
    assert.ok(
        found.some((r) => expected.test(r)),
        `expected a problem matching ${expected}, got:\n  ${found.join("\n  ") || "(none)"}`,
    );
}

describe("validateTableArgs", () => {
    it("accepts the valid arguments", () => {
        assert.deepEqual(validateTableArgs(valid), []);
    });

    describe("PITR recovery period", () => {
        for (const [value, shown] of [
            [0, "0"],
            [36, "36"],
            [3.5, "3.5"],
            ["35", '"35" \\(a string\\)'],
            [-1, "-1"],
            [null, "null"],
        ] as const) {
            it(`rejects ${JSON.stringify(value)}, naming the field, the value, the range and the fix`, () => {
                rejects(
                    { pointInTimeRecovery: { recoveryPeriodInDays: value as any } },
                    new RegExp(
                        `^\`pointInTimeRecovery.recoveryPeriodInDays\` is ${shown}; it must be a whole number of days from 1 to 35\\. ` +
                            "Fix: set a number from 1 to 35, or leave it unset for 35\\.$",
                    ),
                );
            });
        }
        it("accepts 1 and 35", () => {
            assert.deepEqual(reasons({ pointInTimeRecovery: { recoveryPeriodInDays: 1 } }), []);
            assert.deepEqual(reasons({ pointInTimeRecovery: { recoveryPeriodInDays: 35 } }), []);
        });
        it("leaves an Output to be checked when it resolves", async () => {
            const pulumi = await import("@pulumi/pulumi");
            assert.deepEqual(
                reasons({ pointInTimeRecovery: { recoveryPeriodInDays: pulumi.output(99) } }),
                [],
            );
        });
    });

    describe("table name", () => {
        it("rejects names shorter than 3 characters", () =>
            rejects({ name: "ab" }, /`name` is "ab" \(2 characters\); a table name must be 3 to 255/));
        it("rejects names longer than 255 characters", () =>
            rejects({ name: "a".repeat(256) }, /\(256 characters\)/));
        it("rejects characters outside a-z A-Z 0-9 _ - .", () =>
            rejects({ name: "orders table" }, /`name` is "orders table"/));
        it("accepts 255 characters of the allowed set", () =>
            assert.deepEqual(reasons({ name: "Orders_v1.2-" + "x".repeat(243) }), []));
    });

    describe("keys and attributes", () => {
        it("rejects a key attribute missing from attributes", () =>
            rejects(
                { hashKey: "id" },
                /`hashKey` is "id", which is not declared in `attributes`. Fix: add \{ name: "id"/,
            ));
        it("rejects an index key missing from attributes", () =>
            rejects(
                {
                    globalSecondaryIndexes: [{ name: "byStatus", hashKey: "status" }],
                    attributes: valid.attributes.slice(0, 2),
                },
                /`globalSecondaryIndexes\[0\].hashKey` is "status", which is not declared/,
            ));
        it("rejects an attribute that no key uses", () =>
            rejects(
                { attributes: [...valid.attributes, { name: "total", type: "N" }] },
                /attribute "total" is declared in `attributes` but no key or index uses it/,
            ));
        it("rejects an attribute type other than S, N or B", () =>
            rejects(
                { attributes: [{ name: "orderId", type: "BOOL" as any }, ...valid.attributes.slice(1)] },
                /`attributes\[0\].type` of "orderId" is "BOOL"/,
            ));
        it("rejects a missing hash key", () =>
            rejects({ hashKey: undefined as any }, /`hashKey` is unset; it must name an attribute/));
        it("rejects attributes that are not a list", () =>
            rejects({ attributes: "orderId" as any }, /`attributes` is "orderId"; it must be a list/));
        it("rejects an attribute declared twice", () =>
            rejects(
                { attributes: [...valid.attributes, { name: "orderId", type: "S" }] },
                /attribute "orderId" is declared twice/,
            ));
    });

    describe("capacity", () => {
        it("rejects provisioned capacity with PAY_PER_REQUEST", () =>
            rejects(
                { writeCapacity: 5 },
                /`writeCapacity` is 5 but `billingMode` is "PAY_PER_REQUEST", which has no provisioned capacity/,
            ));
        it("rejects index capacity with PAY_PER_REQUEST", () =>
            rejects(
                { globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId", readCapacity: 1 }] },
                /`globalSecondaryIndexes\[0\].readCapacity` is 1 but `billingMode` is "PAY_PER_REQUEST"/,
            ));
        it("requires capacity with PROVISIONED", () =>
            rejects(
                { billingMode: "PROVISIONED", readCapacity: 5 },
                /`writeCapacity` is unset but `billingMode` is "PROVISIONED"/,
            ));
        it("rejects fractional capacity", () =>
            rejects(
                { billingMode: "PROVISIONED", readCapacity: 0.5, writeCapacity: 1 },
                /`readCapacity` is 0.5; capacity units must be a whole number/,
            ));
        it("rejects an unknown billing mode", () =>
            rejects({ billingMode: "ON_DEMAND" as any }, /`billingMode` is "ON_DEMAND"; it must be one of/));
    });

    describe("indexes", () => {
        it("rejects duplicate index names across GSIs and LSIs", () =>
            rejects(
                { localSecondaryIndexes: [{ name: "byCustomer", rangeKey: "customerId" }] },
                /index name "byCustomer" is used by both `globalSecondaryIndexes\[0\]` and `localSecondaryIndexes\[0\]`/,
            ));
        it("rejects a local index on a table without a sort key", () =>
            rejects(
                { rangeKey: undefined, localSecondaryIndexes: [{ name: "byDate", rangeKey: "createdAt" }] },
                /`localSecondaryIndexes\[0\]` needs the table to have a sort key/,
            ));
        it("rejects nonKeyAttributes without INCLUDE", () =>
            rejects(
                {
                    globalSecondaryIndexes: [
                        { name: "byCustomer", hashKey: "customerId", nonKeyAttributes: ["total"] },
                    ],
                },
                /nonKeyAttributes` is set but `projectionType` is "ALL"/,
            ));
    });

    describe("replicas and streams", () => {
        it("rejects a replica in the table's own Region (from the provider)", () =>
            rejects(
                { replicas: [{ regionName: "eu-west-1" }] },
                /the table's own Region; a replica must be in another Region/,
                "eu-west-1",
            ));
        it("rejects a replica in the table's own Region (from args.region)", () =>
            rejects(
                { region: "eu-west-1", replicas: [{ regionName: "eu-west-1" }] },
                /`replicas\[0\].regionName` is "eu-west-1", the table's own Region/,
            ));
        it("rejects a replica Region listed twice", () =>
            rejects(
                { replicas: [{ regionName: "eu-west-1" }, { regionName: "eu-west-1" }] },
                /listed twice/,
            ));
        it("rejects something that is not a Region", () =>
            rejects({ replicas: [{ regionName: "Ireland" }] }, /an AWS Region code/));
        it("rejects a stream view type that global tables cannot use", () =>
            rejects(
                { streamViewType: "KEYS_ONLY", replicas: [{ regionName: "eu-west-1" }] },
                /need "NEW_AND_OLD_IMAGES"/,
            ));
        it("rejects an unknown stream view type", () =>
            rejects({ streamViewType: "ALL" as any }, /`streamViewType` is "ALL"; it must be one of/));
    });

    describe("argument shapes", () => {
        it("rejects tag values that are not strings", () =>
            assert.deepEqual(reasons({ tags: { team: "orders", costCentre: 42 } as never }), [
                "`tags.costCentre` is 42; tag values must be strings (AWS tags hold text only). Fix: give the " +
                    "value as a string, or remove the tag.",
            ]));
        it("rejects tableArgs that are not an object", () => {
            for (const tableArgs of ["PAY_PER_REQUEST", null, [], 5]) {
                assert.deepEqual(reasons({ tableArgs } as never), [
                    `\`tableArgs\` is ${JSON.stringify(tableArgs)}; it must be an object of further ` +
                        "`aws.dynamodb.Table` arguments, e.g. { onDemandThroughput: { maxReadRequestUnits: 100 } }. " +
                        "Fix: pass such an object, or remove it.",
                ]);
            }
        });
        it('rejects protection flags that are not booleans, so that "false" cannot mean true', () =>
            assert.deepEqual(
                reasons({
                    tier: "development",
                    dangerouslyDisablePointInTimeRecovery: "false",
                    deletionProtectionEnabled: 1,
                    dangerouslyAllowReplacement: "yes",
                } as never),
                [
                    '`dangerouslyDisablePointInTimeRecovery` is "false"; it must be true or false. Fix: write the ' +
                        "boolean without quotes, or leave it unset.",
                    "`deletionProtectionEnabled` is 1; it must be true or false. Fix: write the boolean without " +
                        "quotes, or leave it unset.",
                    '`dangerouslyAllowReplacement` is "yes"; it must be true or false. Fix: write the boolean ' +
                        "without quotes, or leave it unset.",
                ],
            ));
        it("rejects a region that is not a Region code", () =>
            assert.deepEqual(reasons({ region: "Ireland" }), [
                '`region` is "Ireland"; it must be an AWS Region code such as "eu-west-1". Fix: set one, or leave ' +
                    "it unset for the provider's Region.",
            ]));
    });

    describe("TTL", () => {
        it("rejects TTL on a key attribute", () =>
            rejects(
                { ttlAttribute: "createdAt" },
                /`ttlAttribute` is "createdAt", a key attribute; TTL must use a separate Number attribute/,
            ));
        it("accepts TTL on a non-key attribute", () =>
            assert.deepEqual(reasons({ ttlAttribute: "expiresAt" }), []));
    });

    describe("tiers and protection", () => {
        it("rejects an unknown tier", () =>
            rejects(
                { tier: "prod" as any },
                /`tier` is "prod"; it must be one of "production", "staging", "development"/,
            ));
        it("refuses to turn PITR off in production", () =>
            rejects(
                { dangerouslyDisablePointInTimeRecovery: true },
                /PITR cannot be turned off in production/,
            ));
        it("refuses to turn PITR off when the tier is left to its production default", () =>
            rejects(
                { tier: undefined, dangerouslyDisablePointInTimeRecovery: true },
                /on a production table/,
            ));
        it("allows turning PITR off for development, by name", () =>
            assert.deepEqual(
                reasons({ tier: "development", dangerouslyDisablePointInTimeRecovery: true }),
                [],
            ));
        it("refuses deletion protection off in production", () =>
            rejects(
                { deletionProtectionEnabled: false },
                /`deletionProtectionEnabled` is false on a production table/,
            ));
        it("refuses AWS-owned encryption in production", () =>
            rejects(
                { encryption: "aws-owned" },
                /production tables are encrypted with a customer-managed KMS key/,
            ));
        it("rejects an environment tag that contradicts the tier", () =>
            rejects(
                { tier: "staging", tags: { environment: "production" } },
                /`tags.environment` is "production" but `tier` is "staging"/,
            ));
        it("rejects managed fields passed through tableArgs", () =>
            rejects(
                { tableArgs: { pointInTimeRecovery: { enabled: false } } as any },
                /`tableArgs.pointInTimeRecovery` is set, but the component manages/,
            ));
    });

    describe("argument names", () => {
        it("names a misspelt argument and the one it was meant to be", () =>
            rejects(
                { restor: { sourceTableName: "Orders", restoreToLatestTime: true } },
                /^`restor` is not an argument of ResilientTable; did you mean `restore`\? Fix: rename it to `restore`\.$/,
            ));
        it("names an argument that resembles none", () =>
            rejects(
                { colour: "blue" },
                /^`colour` is not an argument of ResilientTable\. Fix: remove it\.$/,
            ));
        it("checks the keys of PITR, restore, indexes, replicas and attributes", () => {
            rejects(
                { pointInTimeRecovery: { recoveryPeriodInDay: 7 } },
                /`pointInTimeRecovery.recoveryPeriodInDay` is set, but `pointInTimeRecovery` takes only `recoveryPeriodInDays`; did you mean `recoveryPeriodInDays`\?/,
            );
            rejects(
                { restore: { sourceTableName: "Orders", restoreDatetime: "2025-09-25T10:00:00Z" } },
                /`restore.restoreDatetime` is set, .*did you mean `restoreDateTime`\?/,
            );
            rejects(
                {
                    globalSecondaryIndexes: [
                        { name: "byCustomer", hashKey: "customerId", projection: "ALL" },
                    ],
                },
                /`globalSecondaryIndexes\[0\].projection` is set, .*did you mean `projectionType`\?/,
            );
            rejects(
                { replicas: [{ regionName: "eu-west-1", region: "x" }] },
                /`replicas\[0\].region` is set, but `replicas\[0\]` takes only/,
            );
            rejects(
                {
                    attributes: [
                        ...valid.attributes.slice(0, 2),
                        { name: "customerId", type: "S", kind: "HASH" },
                    ],
                },
                /`attributes\[2\].kind` is set, but `attributes\[2\]` takes only `name`, `type`/,
            );
        });
    });

    it("never throws on arguments of the wrong shape", () => {
        for (const bad of [
            null,
            42,
            "x",
            [],
            { attributes: [null] },
            { globalSecondaryIndexes: [null], attributes: [] },
            { replicas: {} },
        ]) {
            assert.ok(Array.isArray(validateTableArgs(bad as any)));
        }
    });

    it("reports every problem at once", () => {
        const found = validateTableArgs({
            ...valid,
            name: "x",
            writeCapacity: 1,
            ttlAttribute: "orderId",
            tier: "production",
            dangerouslyDisablePointInTimeRecovery: true,
        });
        assert.deepEqual(found.map((p) => p.propertyPath).sort(), [
            "dangerouslyDisablePointInTimeRecovery",
            "name",
            "ttlAttribute",
            "writeCapacity",
        ]);
    });
});
