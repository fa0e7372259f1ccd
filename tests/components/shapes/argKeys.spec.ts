/**
 * The unknown-key check, proved for every registered component at every level of its arguments: for
 * each key the shape knows, the key is misspelt where it belongs (`backup.vaultLock.mdoe`) and the
 * component itself must refuse it, naming the key it resembles. A field added to an arguments type
 * without its entry in components/shapes/argShapes.ts fails to compile; an entry whose component does not
 * run the check fails here.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../../../components";
import * as pkg from "../../../components/package";
import { ArgShape } from "../../../components/core/argKeys";
import { ARG_SHAPES, ArgOwner } from "../../../components/shapes/argShapes";
import { runUnderMocks } from "../../../cli/program/mockRuntime";

const table = { hashKey: "id", attributes: [{ name: "id", type: "S" }] };
const organization = { targetIds: ["ou-ab12-cdef3456"], regions: ["eu-west-1"] };

/** How to build each registered component from arguments, and arguments it accepts. */
const COMPONENTS: Record<
    ArgOwner,
    { build: (name: string, args: any) => unknown; valid: Record<string, unknown> }
> = {
    ResilientTable: { build: (n, a) => new components.ResilientTable(n, a), valid: table },
    TableBackupPlan: { build: (n, a) => new components.TableBackupPlan(n, a), valid: {} },
    AirGappedVault: { build: (n, a) => new components.AirGappedVault(n, a), valid: {} },
    ProtectionBaseline: { build: (n, a) => new components.ProtectionBaseline(n, a), valid: {} },
    TableMonitoring: {
        build: (n, a) => new components.TableMonitoring(n, a),
        valid: { tableName: "orders", tableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders" },
    },
    ActiveTable: {
        build: (n, a) => new components.ActiveTable(n, a),
        valid: { tables: { orders: { name: "orders", arn: "arn" } }, active: "orders" },
    },
    "package:ResilientTable": { build: (n, a) => new pkg.ResilientTable(n, a), valid: table },
    "package:TableBackupPlan": { build: (n, a) => new pkg.TableBackupPlan(n, a), valid: {} },
    "package:ProtectionBaseline": { build: (n, a) => new pkg.ProtectionBaseline(n, a), valid: {} },
    OrganizationBackupPolicy: {
        build: (n, a) => new components.OrganizationBackupPolicy(n, a),
        valid: organization,
    },
    "package:OrganizationBackupPolicy": {
        build: (n, a) => new pkg.OrganizationBackupPolicy(n, a),
        valid: organization,
    },
};

/** One misspelling per known key: `key` with a letter doubled in the middle (`schedule` → `schedduule`-like). */
function misspell(key: string): string {
    const i = Math.floor(key.length / 2);
    return key.slice(0, i) + key[i] + key.slice(i);
}

interface Case {
    /** Where the misspelt key sits, e.g. `backup.rules[0].lifecycle.deleteAfterDays`. */
    readonly path: string;
    readonly known: string;
    readonly args: Record<string, unknown>;
}

/** A case for every known key at every level the shape describes, each in an otherwise valid argument set. */
function cases(shape: ArgShape, valid: Record<string, unknown>): Case[] {
    const found: Case[] = [];
    const visit = (node: ArgShape, path: string, wrap: (inner: unknown) => Record<string, unknown>) => {
        if (node.items) visit(node.items, `${path}[0]`, (inner) => wrap([inner]));
        if (node.values) visit(node.values, `${path}.entry`, (inner) => wrap({ entry: inner }));
        for (const [key, field] of Object.entries(node.keys ?? {})) {
            const at = path === "" ? "" : `${path}.`;
            found.push({ path: `${at}${misspell(key)}`, known: key, args: wrap({ [misspell(key)]: 1 }) });
            if (field !== true) visit(field, `${at}${key}`, (inner) => wrap({ [key]: inner }));
        }
    };
    visit(shape, "", (inner) => ({ ...valid, ...(inner as Record<string, unknown>) }));
    return found;
}

describe("unknown argument keys", () => {
    for (const owner of Object.keys(ARG_SHAPES) as ArgOwner[]) {
        it(`${owner} refuses a misspelt key at every level, naming the key it resembles`, async () => {
            const { build, valid } = COMPONENTS[owner];
            const all = cases(ARG_SHAPES[owner], valid);
            assert.ok(all.length > 3, `${owner}: expected cases, got ${all.length}`);
            const missed: string[] = [];
            await runUnderMocks(
                async () => {
                    all.forEach((c, i) => {
                        let problems: Array<{ propertyPath: string; reason: string }> = [];
                        try {
                            build(`c${i}`, c.args);
                        } catch (e) {
                            problems = (e as { problems?: typeof problems }).problems ?? [
                                { propertyPath: "", reason: String((e as Error).message) },
                            ];
                        }
                        const hit = problems.find(
                            (p) =>
                                (p.propertyPath === c.path || p.reason.includes(`\`${c.path}\``)) &&
                                p.reason.includes(`did you mean \`${c.known}\`?`),
                        );
                        if (!hit)
                            missed.push(
                                `${c.path}: ${problems.map((p) => p.reason).join(" | ") || "accepted"}`,
                            );
                    });
                },
                { config: { "aws:region": "us-east-1" } },
            );
            assert.deepEqual(missed, [], `${owner} let these through:\n  ${missed.join("\n  ")}`);
        });
    }

    it("covers every component class the package exports", () => {
        const classes = (module: object, prefix: string) =>
            Object.entries(module)
                .filter(([, v]) => typeof v === "function" && v.prototype instanceof pulumi.ComponentResource)
                .map(([name]) => `${prefix}${name}`);
        const exported = [...classes(components, ""), ...classes(pkg, "package:")].sort();
        assert.deepEqual(exported, Object.keys(ARG_SHAPES).sort());
    });

    it("refuses the misspellings of the issue report, in a table's backup", () => {
        const found = (backup: unknown) =>
            components
                .validateTableArgs({ ...table, backup } as never)
                .map((p) => `${p.propertyPath}: ${p.reason}`);
        assert.match(
            found({ schedual: "daily" }).join("\n"),
            /^backup\.schedual: .*did you mean `schedule`\?/m,
        );
        assert.match(
            found({ rules: [] }).join("\n"),
            /^backup\.rules: `backup\.rules` is set, but `backup` takes only/m,
        );
        assert.match(
            found({ schedule: "weekly", vaultNmae: "x" }).join("\n"),
            /^backup\.vaultNmae: .*did you mean `vaultName`\? Fix: rename it to `vaultName`\./m,
        );
        assert.deepEqual(found({ schedule: "weekly", vaultName: "orders-vault" }), []);
    });

    it("leaves resources and outputs passed as arguments alone", () => {
        const output = pulumi.output({ anything: 1 });
        assert.deepEqual(
            components.validateTableArgs({ ...table, monitoring: output, restore: output } as never),
            [],
        );
    });
});
