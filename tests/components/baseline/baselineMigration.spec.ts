// Moving a platform from per-table protection to a baseline, walked as `pulumi up` would walk it: the
// resources of the old program that the new one no longer declares (by URN or alias) are the ones the
// engine deletes, after it has created and updated everything else.
import { strict as assert } from "assert";
import { CapturedResource, runUnderMocks } from "../../../cli/program/mockRuntime";
import { ProtectionBaseline } from "../../../components/baseline/protectionBaseline";
import { ResilientTable } from "../../../components/table/resilientTable";
import { ResilientTableArgs } from "../../../components/table/types";
import { all, KMS_KEY, only, TABLE } from "../../support/resources";

const RUN = { project: "shop", stack: "prod", config: { "aws:region": "us-east-1" } };
const TABLES = ["orders", "carts", "payments"];
const args = (name: string): ResilientTableArgs => ({
    name,
    hashKey: "pk",
    attributes: [{ name: "pk", type: "S" }],
});

/**
 * The URNs a resource answers to: its own and its aliases'. An alias by parent URN resolves as the
 * URN of the resource would under that parent; the SDK's mock monitor qualifies a type with its
 * parent's own type (the engine with the parent's whole chain), so the alias is resolved the same way.
 */
function urnsOf(r: CapturedResource): string[] {
    const [prefix, , typeChain] = r.urn.split("::");
    const project = r.urn.split("::")[1];
    const own = [r.urn];
    for (const alias of r.aliases) {
        if (typeof alias === "string") own.push(alias);
        else if (alias.parentUrn) {
            const parentChain = String(alias.parentUrn).split("::")[2].split("$").pop();
            const type = typeChain.split("$").pop();
            own.push(`${prefix}::${project}::${parentChain}$${type}::${alias.name ?? r.name}`);
        }
    }
    return own;
}

/** What `pulumi up` from `before` to `after` deletes. */
function deletedBy(before: CapturedResource[], after: CapturedResource[]): CapturedResource[] {
    const kept = new Set(after.flatMap(urnsOf));
    return before.filter((r) => !kept.has(r.urn));
}

const HOLDS_DATA = [
    "aws:backup/vault:Vault",
    KMS_KEY,
    TABLE,
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
];

describe("moving tables with their own protection to a baseline", () => {
    let former: CapturedResource[];
    before(async () => {
        ({ resources: former } = await runUnderMocks(
            () => TABLES.forEach((t) => new ResilientTable(t, args(t))),
            RUN,
        ));
    });

    it("with keepOwnKeyAndVault, deletes nothing that holds data and nothing protected", async () => {
        const { resources: after } = await runUnderMocks(() => {
            const baseline = new ProtectionBaseline("platform");
            TABLES.forEach((t) => new ResilientTable(t, { ...args(t), baseline, keepOwnKeyAndVault: true }));
        }, RUN);
        const deleted = deletedBy(former, after);
        assert.ok(deleted.length > 0, "the per-table plans and alarms go");
        assert.deepEqual(
            deleted.filter((r) => HOLDS_DATA.includes(r.type)).map((r) => r.name),
            [],
        );
        assert.deepEqual(
            deleted.filter((r) => r.protect).map((r) => r.name),
            [],
        );
        // What goes: each table's plan, selection, role and alarms.
        const gone = new Set(deleted.map((r) => r.type));
        for (const type of [
            "aws:backup/plan:Plan",
            "aws:backup/selection:Selection",
            "aws:cloudwatch/eventRule:EventRule",
        ]) {
            assert.ok(gone.has(type), `${type} is removed`);
        }
    });

    it("keeps each table on its own key and each old vault as it was, so neither is replaced", async () => {
        const { resources: after } = await runUnderMocks(() => {
            const baseline = new ProtectionBaseline("platform");
            TABLES.forEach((t) => new ResilientTable(t, { ...args(t), baseline, keepOwnKeyAndVault: true }));
        }, RUN);
        for (const t of TABLES) {
            const old = only(former, TABLE, t);
            const now = only(after, TABLE, t);
            assert.equal(now.urn, old.urn);
            assert.deepEqual(now.inputs.serverSideEncryption, old.inputs.serverSideEncryption, "no new key");
            const oldVault = only(former, "aws:backup/vault:Vault", `${t}-backup-vault`);
            const newVault = only(after, "aws:backup/vault:Vault", `${t}-backup-vault`);
            assert.ok(urnsOf(newVault).includes(oldVault.urn), "the vault is aliased to its former URN");
            for (const field of ["name", "kmsKeyArn", "forceDestroy"]) {
                assert.deepEqual(newVault.inputs[field], oldVault.inputs[field], `vault ${field} unchanged`);
            }
            assert.equal(newVault.protect, true);
            assert.equal(newVault.retainOnDelete, true);
        }
    });

    it("has the baseline select every table before the old selections go", async () => {
        const { resources: after } = await runUnderMocks(() => {
            const baseline = new ProtectionBaseline("platform");
            TABLES.forEach((t) => new ResilientTable(t, { ...args(t), baseline, keepOwnKeyAndVault: true }));
        }, RUN);
        const selection = all(after, "aws:backup/selection:Selection").find(
            (s) => s.name === "platform-backup-tagged",
        )!;
        assert.ok(
            !former.some((r) => r.urn === selection.urn),
            "the baseline's selection is new: created in the up",
        );
        const wanted = (
            selection.inputs.conditions as Array<{ stringEquals: Array<{ key: string; value: string }> }>
        )[0].stringEquals;
        for (const t of TABLES) {
            const tags = only(after, TABLE, t).inputs.tags as Record<string, string>;
            for (const { key, value } of wanted)
                assert.equal(tags[key.replace("aws:ResourceTag/", "")], value);
        }
    });

    it("without keepOwnKeyAndVault, the up would stop on the protected keys and vaults, deleting nothing", async () => {
        const { resources: after } = await runUnderMocks(() => {
            const baseline = new ProtectionBaseline("platform");
            TABLES.forEach((t) => new ResilientTable(t, { ...args(t), baseline }));
        }, RUN);
        const blocked = deletedBy(former, after).filter((r) => r.protect);
        assert.deepEqual(
            blocked.map((r) => r.type).sort(),
            [...TABLES.map(() => KMS_KEY), ...TABLES.map(() => "aws:backup/vault:Vault")].sort(),
        );
    });
});
