import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import { ResilientTable, ResilientTableArgs, TableArgsError, validateAdoption } from "../../../components";
import { all, COMPONENT, KMS_KEY, only, TABLE } from "../../support/resources";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/live";
// The program's resources are what the tests read, not its return value: a bare table returned as the
// stack's outputs would make Pulumi warn about each of its unset properties.
const run = (program: () => unknown) =>
    runUnderMocks(
        () => {
            program();
        },
        { project: "shop", stack: "prod", config: { "aws:region": "us-east-1" } },
    );

/** The compliant starting point: a production table taking over `orders`, keys and key stated. */
const adopted: ResilientTableArgs = {
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
    kmsKeyArn: KEY_ARN,
    adopt: { fromResource: { name: "orders" }, keySchema: { hashKey: "orderId" } },
};

/**
 * The URN an alias stands for, as the engine computes it: a URN alias as is, a spec from its parts,
 * each missing part taken from the resource itself.
 */
function aliasUrn(resource: CapturedResource, alias: string | Record<string, unknown>): string {
    if (typeof alias === "string") return alias;
    const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resource.urn) ?? [];
    const type = (alias.type as string | undefined) ?? resource.type;
    const name = (alias.name as string | undefined) ?? resource.name;
    const parentUrn = alias.noParent
        ? undefined
        : ((alias.parentUrn as string | undefined) ?? resource.parent);
    const parentType = parentUrn?.split("::")[2];
    const qualified = parentType ? `${parentType}$${type}` : type;
    return engineUrn(
        `urn:pulumi:${alias.stack ?? stack}::${alias.project ?? project}::${qualified}::${name}`,
    );
}

const tableOf = (resources: CapturedResource[]) => only(resources, TABLE);

/**
 * A URN as the engine writes it. The mock monitor qualifies a top-level resource's type with the
 * stack's (`pulumi:pulumi:Stack$aws:…`); the engine does not: a top-level table is
 * `urn:pulumi:<stack>::<project>::aws:dynamodb/table:Table::<name>`.
 */
const engineUrn = (urn: string) => urn.replace("::pulumi:pulumi:Stack$", "::");

/** An alias spec without the fields the SDK left unset. */
const spec = (alias: unknown) =>
    typeof alias === "string"
        ? alias
        : Object.fromEntries(Object.entries(alias as object).filter(([, v]) => v !== undefined));

describe("ResilientTable adoption", () => {
    describe("from a table this stack already manages", () => {
        it("aliases the child table to the URN of the bare aws.dynamodb.Table it replaces", async () => {
            const before = await run(
                () =>
                    new aws.dynamodb.Table("orders", {
                        hashKey: "orderId",
                        attributes: [{ name: "orderId", type: "S" }],
                        billingMode: "PAY_PER_REQUEST",
                    }),
            );
            const after = await run(() => new ResilientTable("orders", adopted));
            const oldTable = tableOf(before.resources);
            const newTable = tableOf(after.resources);

            assert.notEqual(newTable.urn, oldTable.urn, "the child's own URN changes: it gains a parent");
            assert.equal(newTable.parent, only(after.resources, COMPONENT).urn);
            assert.deepEqual(newTable.aliases.map(spec), [{ name: "orders", noParent: true }]);
            assert.equal(aliasUrn(newTable, newTable.aliases[0]), engineUrn(oldTable.urn));
            assert.equal(
                aliasUrn(newTable, newTable.aliases[0]),
                "urn:pulumi:prod::shop::aws:dynamodb/table:Table::orders",
            );
            assert.equal(newTable.importId, undefined);
        });

        it("aliases to another resource name, defaulting to the component's own", async () => {
            const before = await run(
                () =>
                    new aws.dynamodb.Table("orders-table", {
                        hashKey: "orderId",
                        attributes: [{ name: "orderId", type: "S" }],
                    }),
            );
            const after = await run(
                () =>
                    new ResilientTable("orders", {
                        ...adopted,
                        adopt: { fromResource: { name: "orders-table" }, keySchema: { hashKey: "orderId" } },
                    }),
            );
            const table = tableOf(after.resources);
            assert.equal(aliasUrn(table, table.aliases[0]), engineUrn(tableOf(before.resources).urn));

            const unnamed = await run(
                () =>
                    new ResilientTable("orders", {
                        ...adopted,
                        adopt: { fromResource: {}, keySchema: { hashKey: "orderId" } },
                    }),
            );
            const child = tableOf(unnamed.resources);
            assert.deepEqual(child.aliases.map(spec), [{ noParent: true }]);
            assert.equal(
                aliasUrn(child, child.aliases[0]),
                "urn:pulumi:prod::shop::aws:dynamodb/table:Table::orders",
            );
        });

        it("aliases to a table that another module's component held", async () => {
            class LegacyTable extends pulumi.ComponentResource {
                constructor(name: string) {
                    super("acme:storage:Table", name, {});
                    new aws.dynamodb.Table(
                        name,
                        { hashKey: "orderId", attributes: [{ name: "orderId", type: "S" }] },
                        { parent: this },
                    );
                }
            }
            const before = await run(() => new LegacyTable("orders"));
            const oldUrn = engineUrn(tableOf(before.resources).urn);
            assert.match(oldUrn, /acme:storage:Table\$aws:dynamodb\/table:Table::orders$/);

            // The module is gone from the program: its table is named by URN.
            const byUrn = await run(
                () =>
                    new ResilientTable("orders", {
                        ...adopted,
                        adopt: { fromResource: oldUrn, keySchema: { hashKey: "orderId" } },
                    }),
            );
            const table = tableOf(byUrn.resources);
            assert.deepEqual(table.aliases, [oldUrn]);

            // The module's component still exists: it is named as the former parent.
            const byParent = await run(() => {
                const legacy = new pulumi.ComponentResource("acme:storage:Table", "orders", {});
                return new ResilientTable("orders", {
                    ...adopted,
                    adopt: { fromResource: { parent: legacy }, keySchema: { hashKey: "orderId" } },
                });
            });
            const child = tableOf(byParent.resources);
            assert.equal(aliasUrn(child, child.aliases[0]), oldUrn);
        });

        it("keeps production protection on the adopted table, and the stated key", async () => {
            const { resources } = await run(() => new ResilientTable("orders", adopted));
            const table = tableOf(resources);
            assert.equal(table.protect, true);
            assert.equal(table.retainOnDelete, true);
            assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: KEY_ARN });
            assert.equal(
                all(resources, KMS_KEY).length,
                0,
                "the table and its backup vault use the stated key",
            );
        });
    });

    describe("from a table created outside Pulumi", () => {
        const imported: ResilientTableArgs = {
            ...adopted,
            adopt: { importExistingTable: "Orders", keySchema: { hashKey: "orderId" } },
        };

        it("imports the live table by its physical name, which becomes the table's name", async () => {
            const { resources } = await run(() => new ResilientTable("orders", imported));
            const table = tableOf(resources);
            assert.equal(table.importId, "Orders");
            assert.equal(table.inputs.name, "Orders");
            assert.deepEqual(table.aliases, []);
            assert.equal(table.protect, true);
        });

        it("registers neither alias nor import without adopt", async () => {
            const { resources } = await run(
                () => new ResilientTable("orders", { ...adopted, adopt: undefined, kmsKeyArn: undefined }),
            );
            const table = tableOf(resources);
            assert.deepEqual(table.aliases, []);
            assert.equal(table.importId, undefined);
        });
    });

    describe("rejects", () => {
        const problems = (adopt: Partial<ResilientTableArgs>) =>
            validateAdoption({ ...adopted, ...adopt } as ResilientTableArgs);

        it("a key schema different from the live table's, before creating anything", async () => {
            let created = 0;
            const error = await runUnderMocks(
                () =>
                    new ResilientTable("orders", {
                        ...adopted,
                        rangeKey: "createdAt",
                        attributes: [...adopted.attributes, { name: "createdAt", type: "S" }],
                    }),
                {
                    newResource: (a) => {
                        created += a.type === TABLE ? 1 : 0;
                        return { id: "x", state: a.inputs };
                    },
                },
            ).then(
                () => assert.fail("expected the component to reject adopt"),
                (e) => e,
            );
            assert.ok(error instanceof TableArgsError);
            assert.match(
                error.message,
                /the adopted table has hash key "orderId", no range key but the component declares hash key "orderId", range key "createdAt"; a table's keys cannot change, so adopting it would replace the table/,
            );
            assert.equal(created, 0);
        });

        it("a fromResource that is neither a URN nor a description of the former resource", () => {
            assert.deepEqual(
                problems({ adopt: { fromResource: 5, keySchema: { hashKey: "orderId" } } as never }),
                [
                    {
                        propertyPath: "adopt.fromResource",
                        reason:
                            "`adopt.fromResource` is 5; it must be the table's former URN (a string) or { name?, parent?, " +
                            "type?, project?, stack? }. Fix: copy the URN from `pulumi stack --show-urns`, or give " +
                            '{ name: "<former resource name>" }.',
                    },
                ],
            );
        });

        it("fromResource parts of the wrong type", () => {
            const found = problems({
                adopt: {
                    fromResource: { name: 7, stack: "", parent: "stack" },
                    keySchema: { hashKey: "orderId" },
                } as never,
            });
            assert.deepEqual(
                found.map((p) => p.reason),
                [
                    "`adopt.fromResource.name` is 7; it must be a non-empty string. Fix: give the table's former " +
                        "name as `pulumi stack --show-urns` shows it, or leave it unset.",
                    '`adopt.fromResource.stack` is ""; it must be a non-empty string. Fix: give the table\'s former ' +
                        "stack as `pulumi stack --show-urns` shows it, or leave it unset.",
                    '`adopt.fromResource.parent` is "stack"; it must be "none" (the table was declared at the top of ' +
                        "the program) or the component resource that held it. Fix: pass that resource, or give the " +
                        "full former URN as `adopt.fromResource`.",
                ],
            );
        });

        it("a key schema whose range key is not a name", () => {
            assert.deepEqual(
                problems({
                    adopt: {
                        fromResource: { name: "orders" },
                        keySchema: { hashKey: "orderId", rangeKey: 1 },
                    } as never,
                }),
                [
                    {
                        propertyPath: "adopt.keySchema.rangeKey",
                        reason:
                            "`adopt.keySchema.rangeKey` is 1; it must be the name of the live table's RANGE key " +
                            "attribute. Fix: give that name, or leave it unset when the table has no sort key.",
                    },
                ],
            );
        });

        it("a different hash key", () => {
            const found = problems({
                adopt: { fromResource: { name: "orders" }, keySchema: { hashKey: "id" } },
            });
            assert.deepEqual(
                found.map((p) => p.propertyPath),
                ["adopt.keySchema"],
            );
            assert.match(found[0].reason, /adopted table has hash key "id", no range key/);
        });

        it("an adoption without the live key schema", () => {
            const found = problems({ adopt: { fromResource: { name: "orders" } } as never });
            assert.match(found[0].reason, /`adopt.keySchema` is unset; state the live table's keys/);
        });

        it("an adoption that does not say which key encrypts the table", () => {
            const found = problems({ kmsKeyArn: undefined });
            assert.deepEqual(
                found.map((p) => p.propertyPath),
                ["encryption"],
            );
            assert.match(found[0].reason, /say which key protects it, so adopting never changes it silently/);
            assert.deepEqual(problems({ kmsKeyArn: undefined, encryption: "customer-managed" }), []);
        });

        it("an import that would create a new key, which cannot match the live table", () => {
            const found = problems({
                kmsKeyArn: undefined,
                encryption: "customer-managed",
                adopt: { importExistingTable: "Orders", keySchema: { hashKey: "orderId" } },
            });
            assert.match(
                found[0].reason,
                /a key created now cannot match the live table, so the import would fail/,
            );
        });

        it("both sources at once, or none", () => {
            const both = problems({
                adopt: {
                    fromResource: { name: "orders" },
                    importExistingTable: "Orders",
                    keySchema: { hashKey: "orderId" },
                },
            });
            assert.match(both[0].reason, /both set; .* so keep one/);
            const none = problems({ adopt: { keySchema: { hashKey: "orderId" } } });
            assert.match(none[0].reason, /`adopt` names no table/);
        });

        it("a name other than the imported table's, and a malformed URN or table name", () => {
            const renamed = problems({
                name: "Orders2",
                adopt: { importExistingTable: "Orders", keySchema: { hashKey: "orderId" } },
            });
            assert.match(
                renamed[0].reason,
                /`name` is "Orders2" but `adopt.importExistingTable` is "Orders"/,
            );
            const urn = problems({ adopt: { fromResource: "orders", keySchema: { hashKey: "orderId" } } });
            assert.match(urn[0].reason, /`adopt.fromResource` is "orders", which is not a URN/);
            const table = problems({
                adopt: { importExistingTable: "ab", keySchema: { hashKey: "orderId" } },
            });
            assert.match(table[0].reason, /`adopt.importExistingTable` is "ab"/);
        });

        it("nothing when adopt is unset", () => {
            assert.deepEqual(validateAdoption({ ...adopted, adopt: undefined, kmsKeyArn: undefined }), []);
        });
    });
});
