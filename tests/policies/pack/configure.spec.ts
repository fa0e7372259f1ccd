/**
 * The policy pack as the CLI runs it: the compiled pack started through `@pulumi/pulumi`'s policy
 * pack runner and driven over the analyzer gRPC protocol. One pack serves the whole file; each
 * `describe` sends its own configuration in `before()`, as `--policy-pack-config` would.
 * This file: Configure and Remediate: the production knobs, every rule's own knobs, disabled policies, remediation.
 */
import * as assert from "assert";
import { PolicyPackClient, UNKNOWN, secret } from "../../../cli/analyzer";
import { startPack } from "../../support/policyPack";
import { awsTable, awsTableReplica, inStack, nativeTable } from "../../support/dynamodbResources";
import { PITR, PERIOD, DELETION, RESTORE, messagesOf, levelsOf } from "./diagnostics";

describe("policy pack over the analyzer protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPack();
    });
    after(async () => {
        await pack?.close();
    });

    describe("Configure: production knobs", () => {
        before(async () => {
            const knobs = {
                productionTagKeys: ["tier"],
                productionTagValues: ["live"],
                productionStackNamePattern: "-live$",
            };
            await pack.configure({ [PITR]: { enforcementLevel: "mandatory", ...knobs } });
        });

        it("uses the configured tag keys and values instead of the defaults", async () => {
            const live = await pack.analyze(
                awsTable({ tags: { Tier: "LIVE" }, pointInTimeRecovery: undefined }),
            );
            assert.match(messagesOf(live, PITR)[0], /It is production because tag `tags.Tier` is "LIVE"\.$/);
            const old = await pack.analyze(awsTable({ pointInTimeRecovery: undefined }));
            assert.deepStrictEqual(messagesOf(old, PITR), []);
        });

        it("uses the configured stack name pattern", async () => {
            const result = await pack.analyzeStack([
                inStack(awsTable({ tags: {}, pointInTimeRecovery: undefined }), "orders-live"),
            ]);
            assert.match(
                messagesOf(result, PITR)[0],
                /stack `orders-live` matches the configured `productionStackNamePattern`/,
            );
        });

        it("reads stack tags set by ConfigureStack", async () => {
            await pack.configureStack({ stack: "dev", project: "orders", tags: { tier: "live" } });
            try {
                const table = awsTable({ tags: {}, pointInTimeRecovery: undefined });
                assert.deepStrictEqual(messagesOf(await pack.analyze(table), PITR), []);
                const result = await pack.analyzeStack([table]);
                assert.match(messagesOf(result, PITR)[0], /stack tag `tier` is "live"/);
            } finally {
                await pack.configureStack({ stack: "dev", project: "orders", tags: {} });
            }
        });
    });

    describe("Configure: allTablesAreProduction and the recovery period minimum", () => {
        before(async () => {
            await pack.configure({
                [PITR]: { enforcementLevel: "advisory", allTablesAreProduction: true },
                [PERIOD]: { enforcementLevel: "mandatory", minimumRecoveryPeriodInDays: 7 },
            });
        });

        it("treats an untagged table as production, at the configured level", async () => {
            const result = await pack.analyze(awsTable({ tags: {}, pointInTimeRecovery: undefined }));
            assert.match(
                messagesOf(result, PITR)[0],
                /It is production because `allTablesAreProduction` is on\.$/,
            );
            assert.deepStrictEqual(levelsOf(result, PITR), ["advisory"]);
        });

        it("accepts 7 days when the minimum is 7, and still rejects 6", async () => {
            const seven = await pack.analyze(
                awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 } }),
            );
            assert.deepStrictEqual(messagesOf(seven, PERIOD), []);
            const six = await pack.analyze(
                awsTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 6 } }),
            );
            assert.match(
                messagesOf(six, PERIOD)[0],
                /below the required minimum of 7 days; set it to at least 7/,
            );
        });
    });

    describe("Configure: disabled policies and other rules' knobs", () => {
        before(async () => {
            await pack.configure({
                [PITR]: "disabled",
                [DELETION]: { enforcementLevel: "mandatory", adviseProtectOption: false },
                [RESTORE]: { enforcementLevel: "mandatory", minimumAgeMinutes: 60, maximumAgeDays: 1 },
            });
        });

        it("does not run a disabled policy", async () => {
            const result = await pack.analyze(awsTable({ pointInTimeRecovery: undefined }));
            assert.deepStrictEqual(messagesOf(result, PITR), []);
        });

        it("drops the protect advice when adviseProtectOption is off", async () => {
            const result = await pack.analyze({ ...awsTable(), options: {} });
            assert.deepStrictEqual(messagesOf(result, DELETION), []);
        });

        it("uses the configured restore window", async () => {
            const tenMinutesAgo = new Date(Date.now() - 10 * 60000).toISOString();
            const result = await pack.analyze(
                awsTable({ restoreSourceName: "orders", restoreDateTime: tenMinutesAgo }),
            );
            assert.match(
                messagesOf(result, RESTORE)[0],
                /newer than the latest restorable time \(about 60 minutes ago\)/,
            );
            const twoDays = new Date(Date.now() - 2 * 86400000).toISOString();
            const old = await pack.analyze(
                awsTable({ restoreSourceName: "orders", restoreDateTime: twoDays }),
            );
            assert.match(messagesOf(old, RESTORE)[0], /older than the 1-day recovery window/);
        });
    });

    describe("Remediate", () => {
        before(async () => {
            await pack.configure({
                [PITR]: { enforcementLevel: "remediate", remediationRecoveryPeriodInDays: 30 },
            });
        });

        it("turns PITR on for a production table, keeping secrets and other properties", async () => {
            const result = await pack.remediate(
                awsTable({ pointInTimeRecovery: undefined, name: secret("orders") }),
            );
            assert.strictEqual(result.remediations.length, 1);
            const props = result.remediations[0].properties ?? {};
            assert.deepStrictEqual(props.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 30 });
            assert.deepStrictEqual(props.name, {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                value: "orders",
            });
            assert.strictEqual(props.hashKey, "pk");
        });

        it("remediates native tables and replicas", async () => {
            const native = await pack.remediate(nativeTable({ pointInTimeRecoverySpecification: undefined }));
            assert.deepStrictEqual(native.remediations[0].properties?.pointInTimeRecoverySpecification, {
                pointInTimeRecoveryEnabled: true,
                recoveryPeriodInDays: 30,
            });
            const replica = await pack.remediate(awsTableReplica({ pointInTimeRecovery: false }));
            assert.strictEqual(replica.remediations[0].properties?.pointInTimeRecovery, true);
        });

        it("leaves compliant, non-production and unknown tables alone", async () => {
            for (const r of [
                awsTable(),
                awsTable({ pointInTimeRecovery: undefined, tags: {} }),
                awsTable({ pointInTimeRecovery: UNKNOWN }),
            ]) {
                assert.deepStrictEqual((await pack.remediate(r)).remediations, []);
            }
        });

        it("still reports a production table without PITR when analysed, as mandatory", async () => {
            const result = await pack.analyze(awsTable({ pointInTimeRecovery: undefined }));
            assert.deepStrictEqual(levelsOf(result, PITR), ["mandatory"]);
        });
    });
});
