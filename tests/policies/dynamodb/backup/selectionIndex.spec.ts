import * as assert from "assert";
import { UNKNOWN, PropertyMap, Resource } from "../../../../cli/analyzer";
import { covers, selectionOf, viewOf } from "../../../../policies/dynamodb/backup/backupSelections";
import { SelectionIndex, scanSelections } from "../../../../policies/dynamodb/backup/selectionIndex";
import { asPackSees, factOf } from "../../../support/policyFacts";
import {
    awsProvider,
    awsTable,
    backupSelection,
    nativeBackupSelection,
} from "../../../support/dynamodbResources";

function sel(r: Resource, name: string) {
    const s = selectionOf(
        name.startsWith("n") ? r.type : r.type,
        name,
        asPackSees(r.properties),
        r.propertyDependencies ?? {},
        r.dependencies ?? [],
    );
    assert.ok(s);
    return s;
}

/** Selections of every kind the index sorts, several of each, in a mixed order. */
function selections(tables: Resource[]) {
    const kinds: ((i: number) => Resource)[] = [
        (i) => backupSelection({ resources: [UNKNOWN] }, { resources: [tables[i % tables.length].urn] }),
        (i) =>
            backupSelection({ selectionTags: [{ type: "STRINGEQUALS", key: "team", value: `t${i % 3}` }] }),
        (i) => backupSelection({ resources: [`arn:aws:dynamodb:us-east-1:111122223333:table/t${i}`] }),
        () => backupSelection({ resources: [UNKNOWN] }, {}),
        (i) => backupSelection({ resources: [`arn:aws:dynamodb:*:*:table/t${i % 4}*`] }),
        (i) =>
            backupSelection({
                resources: ["*"],
                conditions: [{ stringEquals: [{ key: "aws:ResourceTag/team", value: `t${i % 2}` }] }],
            }),
        (i) => backupSelection({ resources: ["*"], notResources: [`arn:aws:dynamodb:*:*:table/t${i % 5}`] }),
        () => backupSelection({ resources: ["arn:aws:s3:::*"] }),
        (i) =>
            nativeBackupSelection({
                listOfTags: [
                    { conditionType: "STRINGEQUALS", conditionKey: "team", conditionValue: `t${i % 4}` },
                ],
            }),
    ];
    const out = [];
    for (let i = 0; i < 40; i++) {
        const r = kinds[(i * 7) % kinds.length](i);
        out.push(sel({ ...r, dependencies: r.dependencies ?? [] }, `s${i}`));
    }
    return out;
}

function tables(): Resource[] {
    const out: Resource[] = [];
    const variants: PropertyMap[] = [
        {},
        { arn: "arn:aws:dynamodb:us-east-1:111122223333:table/t3" },
        { name: UNKNOWN },
        { tags: UNKNOWN },
        { tags: { environment: "production", team: "t1" } },
        { tags: { environment: "production", team: "t2" } },
    ];
    for (let i = 0; i < 12; i++) {
        const t = awsTable({ arn: UNKNOWN, ...variants[i % variants.length] }, `t${i}`);
        out.push(i % 2 === 0 ? { ...t, provider: awsProvider() } : t);
    }
    return out;
}

describe("backup selection index (policies/dynamodb/backup/selectionIndex)", () => {
    it("gives the answer of a full scan in stack order (covered, or the first selection that may cover) for every kind of table", () => {
        const ts = tables();
        const all = selections(ts);
        // Every prefix of the list, so that each kind of selection is first, alone, or behind others.
        for (let n = 0; n <= all.length; n += 3) {
            const some = all.slice(0, n);
            const index = new SelectionIndex(some);
            for (const t of ts) {
                const view = viewOf(factOf(t));
                const got = index.lookup(view);
                const want = scanSelections(some, view);
                const what = `${t.name} with ${n} selections`;
                if (want && "covered" in want) {
                    // Any covering selection may be named; it must truly cover the table.
                    assert.ok(got && "covered" in got, what);
                    assert.strictEqual(covers(got.covered, view), true, what);
                } else {
                    assert.deepStrictEqual(got, want, what);
                }
            }
        }
    });

    it("asks one selection of many that say the same thing", () => {
        const same = Array.from({ length: 1000 }, (_, i) =>
            sel(backupSelection({ resources: [UNKNOWN] }, {}), `s${i}`),
        );
        const index = new SelectionIndex(same);
        const found = index.lookup(viewOf(factOf(awsTable())));
        assert.ok(found && "maybe" in found);
        assert.strictEqual(found.maybe.name, "s0");
        assert.match(
            found.why,
            /`resources\[0\]` is unknown during preview and no property dependency says which resource it names/,
        );
    });
});
