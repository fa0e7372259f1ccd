import { strict as assert } from "assert";
import { Decision } from "../../../../policies/dynamodb/engine/decision";
import {
    OrganizationSelection,
    decideOrganizationCoverage,
    readOrganizationSelections,
} from "../../../../policies/dynamodb/backup/organizationSelections";

const notInPlan: Decision = {
    outcome: "non-compliant",
    path: "",
    problem: "",
    fix: "add it to a backup plan",
};
const tags = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("organizationSelections", () => {
    it("reads { tags } selections and drops malformed ones rather than guessing", () => {
        assert.deepEqual(
            readOrganizationSelections({
                organizationBackupSelections: [
                    { tags: { environment: "production" } },
                    { tags: {} },
                    { tags: { environment: 1 } },
                    "environment=production",
                    null,
                    { tags: ["environment"] },
                    { tags: { environment: "production", team: "checkout" } },
                ],
            }),
            [
                { tags: { environment: "production" } },
                { tags: { environment: "production", team: "checkout" } },
            ],
        );
        assert.deepEqual(readOrganizationSelections({}), []);
        assert.deepEqual(readOrganizationSelections(undefined), []);
        assert.deepEqual(readOrganizationSelections({ organizationBackupSelections: "x" }), []);
    });

    const selections: OrganizationSelection[] = [
        { tags: { environment: "production", team: "checkout" } },
        { tags: { backup: "org" } },
    ];

    it("covers a table carrying every tag of one selection", () => {
        const d = decideOrganizationCoverage(tags({ backup: "org" }), selections, notInPlan);
        assert.equal(d.outcome, "compliant");
        assert.match(
            (d as { reason: string }).reason,
            /organization backup policy selects tables tagged \{backup=org\}/,
        );
    });

    it("keeps a table carrying only some tags of a selection non-compliant, naming every selection and its tags", () => {
        const d = decideOrganizationCoverage(tags({ environment: "production" }), selections, notInPlan);
        assert.equal(d.outcome, "non-compliant");
        assert.equal(
            (d as { fix: string }).fix,
            "add it to a backup plan, or give it every tag of one of the organization backup policy's selections " +
                "(policy config `organizationBackupSelections`: {environment=production, team=checkout}, {backup=org}; " +
                "it was compared with each, and its tags are {environment=production})",
        );
    });

    it("cannot verify a table whose tags are unknown during preview", () => {
        const d = decideOrganizationCoverage(undefined, selections, notInPlan);
        assert.equal(d.outcome, "unverifiable");
        assert.match((d as { reason: string }).reason, /tags are unknown during preview/);
    });

    it("leaves the in-stack verdict alone when it is compliant or nothing is configured", () => {
        const inPlan: Decision = { outcome: "compliant", reason: "selection `s` selects it" };
        assert.equal(decideOrganizationCoverage(tags({}), selections, inPlan), inPlan);
        assert.equal(decideOrganizationCoverage(tags({ backup: "org" }), [], notInPlan), notInPlan);
    });
});
