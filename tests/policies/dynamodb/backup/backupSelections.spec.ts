import * as assert from "assert";
import { PropertyMap, Resource, UNKNOWN } from "../../../../cli/analyzer";
import { covers, selectionOf, viewOf } from "../../../../policies/dynamodb/backup/backupSelections";
import { asPackSees, factOf } from "../../../support/policyFacts";
import {
    awsProvider,
    awsTable,
    backupSelection,
    nativeBackupSelection,
} from "../../../support/dynamodbResources";

function coverage(
    sel: Resource,
    table: Resource = { ...awsTable({ arn: UNKNOWN }), provider: awsProvider() },
) {
    const s = selectionOf(
        sel.type,
        sel.name,
        asPackSees(sel.properties),
        sel.propertyDependencies ?? {},
        sel.dependencies ?? [],
    );
    assert.ok(s);
    const c = covers(s, viewOf(factOf(table)));
    return c === true || c === false ? c : c.unknown;
}

describe("backup selection coverage (policies/dynamodb/backup/backupSelections)", () => {
    it("lets anything known to rule a table out win over what is unknown", () => {
        const cases: PropertyMap[] = [
            { resources: [UNKNOWN], notResources: ["arn:aws:dynamodb:*:*:table/orders"] },
            {
                resources: [UNKNOWN],
                conditions: [{ stringEquals: [{ key: "aws:ResourceTag/environment", value: "dev" }] }],
            },
            { resources: ["arn:aws:dynamodb:*:111122223333:table/orders"], notResources: ["*"] },
        ];
        for (const props of cases) {
            assert.strictEqual(coverage(backupSelection(props)), false, JSON.stringify(props));
        }
    });

    it("is unknown, naming the property, when only an unknown part could decide", () => {
        assert.strictEqual(
            coverage(backupSelection({ resources: ["*"], notResources: [UNKNOWN] })),
            "`notResources[0]` is unknown during preview and no property dependency says which resource it names",
        );
        assert.strictEqual(
            coverage(backupSelection({ resources: ["*"], conditions: [{ stringLikes: UNKNOWN }] })),
            "`conditions[0].stringLikes` is unknown during preview",
        );
        assert.strictEqual(
            coverage(
                nativeBackupSelection({
                    resources: ["*"],
                    conditions: { stringEquals: [{ conditionKey: UNKNOWN, conditionValue: "x" }] },
                }),
            ),
            "`backupSelection.conditions.stringEquals[0]` is unknown during preview",
        );
        assert.strictEqual(
            coverage(
                backupSelection({
                    resources: ["*"],
                    conditions: [{ stringEquals: [{ key: "aws:RequestTag/x", value: "y" }] }],
                }),
            ),
            "its condition key `aws:RequestTag/x` is not `aws:ResourceTag/<key>`",
        );
    });

    it("covers a table by a tag condition or tag selection on known tags, case-sensitive as AWS tags are", () => {
        const like = {
            resources: ["*"],
            conditions: [{ stringLikes: [{ key: "aws:ResourceTag/environment", value: "*duct*" }] }],
        };
        assert.strictEqual(coverage(backupSelection(like)), true);
        const upper = { selectionTags: [{ type: "STRINGEQUALS", key: "Environment", value: "production" }] };
        assert.strictEqual(coverage(backupSelection(upper)), false);
        const notLike = {
            resources: ["*"],
            conditions: [{ stringNotLikes: [{ key: "aws:ResourceTag/missing", value: "*" }] }],
        };
        assert.strictEqual(coverage(backupSelection(notLike)), true);
    });

    it("reads a selection tag type other than STRINGEQUALS as unreadable, not as a miss", () => {
        const odd = { selectionTags: [{ type: "STRINGLIKE", key: "environment", value: "prod*" }] };
        assert.match(String(coverage(backupSelection(odd))), /^`selectionTags\[0\]` cannot be read/);
    });
});
