import { strict as assert } from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { selectionOf } from "../../../../policies/dynamodb/backup/backupSelections";
import {
    coveredOutside,
    decideBackupPlan,
    parseTagSelection,
} from "../../../../policies/dynamodb/rules/requireBackupPlan";
import { asPackSees, factOf } from "../../../support/policyFacts";
import { awsTable, backupSelection, nativeBackupSelection } from "../../../support/dynamodbResources";
import { Resource } from "../../../../cli/analyzer";

function selection(r: Resource) {
    const sel = selectionOf(
        r.type,
        r.name,
        asPackSees(r.properties),
        r.propertyDependencies ?? {},
        r.dependencies ?? [],
    );
    assert.ok(sel);
    return sel;
}

describe("requireBackupPlan: decision", () => {
    const table = awsTable({ arn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders" });

    it("accepts a table selected through a property dependency on its ARN output", () => {
        const sel = selection(backupSelection({ resources: [WIRE_UNKNOWN] }, { resources: [table.urn] }));
        assert.strictEqual(decideBackupPlan(factOf(table), [sel]).outcome, "compliant");
    });

    it("accepts selection by tag, by wildcard ARN, and by an aws-native tag list", () => {
        for (const r of [
            backupSelection({
                selectionTags: [{ type: "STRINGEQUALS", key: "environment", value: "production" }],
            }),
            backupSelection({ resources: ["arn:aws:dynamodb:*:*:table/ord*"] }),
            nativeBackupSelection({
                listOfTags: [
                    {
                        conditionType: "STRINGEQUALS",
                        conditionKey: "environment",
                        conditionValue: "production",
                    },
                ],
            }),
        ]) {
            assert.strictEqual(decideBackupPlan(factOf(table), [selection(r)]).outcome, "compliant", r.name);
        }
    });

    it("rejects a table excluded by notResources or by a failing condition", () => {
        const excluded = backupSelection({
            resources: ["*"],
            notResources: ["arn:aws:dynamodb:*:*:table/orders"],
        });
        assert.strictEqual(decideBackupPlan(factOf(table), [selection(excluded)]).outcome, "non-compliant");
        const devOnly = backupSelection({
            resources: ["*"],
            conditions: [{ stringEquals: [{ key: "aws:ResourceTag/environment", value: "dev" }] }],
        });
        assert.strictEqual(decideBackupPlan(factOf(table), [selection(devOnly)]).outcome, "non-compliant");
    });

    it("matches a table whose name and ARN are unknown only by a pattern that selects every table", () => {
        const unnamed = awsTable({ name: WIRE_UNKNOWN, arn: WIRE_UNKNOWN });
        const everyTable = backupSelection({
            resources: ["arn:aws:dynamodb:*:*:table/*"],
            conditions: [{ stringEquals: [{ key: "aws:ResourceTag/environment", value: "production" }] }],
        });
        assert.strictEqual(decideBackupPlan(factOf(unnamed), [selection(everyTable)]).outcome, "compliant");
        const someTables = backupSelection({ resources: ["arn:aws:dynamodb:*:*:table/ord*"] });
        assert.strictEqual(
            decideBackupPlan(factOf(unnamed), [selection(someTables)]).outcome,
            "unverifiable",
        );
        const excludedMaybe = backupSelection({
            resources: ["*"],
            notResources: ["arn:aws:dynamodb:*:*:table/ord*"],
        });
        assert.strictEqual(
            decideBackupPlan(factOf(unnamed), [selection(excludedMaybe)]).outcome,
            "unverifiable",
        );
    });

    it("is unverifiable when a selection's resources are unknown and nothing says what they are", () => {
        const sel = selection({ ...backupSelection({ resources: [WIRE_UNKNOWN] }), dependencies: [] });
        assert.strictEqual(decideBackupPlan(factOf(table), [sel]).outcome, "unverifiable");
    });
});

describe("tagSelectionsOutsideStack", () => {
    it("reads key=value pairs, and refuses malformed ones rather than guessing", () => {
        assert.deepEqual(parseTagSelection("environment=production, team=checkout"), [
            ["environment", "production"],
            ["team", "checkout"],
        ]);
        assert.deepEqual(parseTagSelection("a=b=c"), [["a", "b=c"]]);
        assert.equal(parseTagSelection("environment"), undefined);
        assert.equal(parseTagSelection("=production"), undefined);
    });

    it("covers a table carrying every tag of one selection, and only then", () => {
        const selections = [parseTagSelection("environment=production,team=checkout")!];
        const tags = (entries: Record<string, string>) => new Map(Object.entries(entries));
        assert.equal(
            coveredOutside(tags({ environment: "production", team: "checkout" }), selections)?.outcome,
            "compliant",
        );
        assert.equal(coveredOutside(tags({ environment: "production" }), selections), undefined);
        assert.equal(
            coveredOutside(undefined, selections),
            undefined,
            "unknown tags leave the in-stack verdict",
        );
    });
});
