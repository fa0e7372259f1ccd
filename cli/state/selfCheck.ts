/**
 * The report checks itself: a stack's census (rows from the pack's decisions, `census.ts`) and the
 * pack's diagnostics are two views of one verdict, and must agree table by table. A production table
 * the census counts without PITR must have the PITR rule's violation on its resource, at the rule's
 * level; one it counts outside every backup plan must have the backup rule's; and no such violation
 * may stand where the census sees nothing. Any difference means one of the two paths is wrong: the
 * check then fails closed (exit 2) and names it, rather than print a total that a PASSED contradicts.
 */
import type { Diagnostic, PolicyConfig } from "../analyzer/types";
import { BACKUP_POLICY, CensusRow, PITR_POLICY } from "./census";

/** A diagnostic that says the pack could not tell, not that the table fails. */
export const isUnverifiable = (d: Pick<Diagnostic, "message">) =>
    /cannot verify|cannot check|can't run/i.test(d.message);

interface Expectation {
    policy: string;
    /** What the census counts, in words: "production table(s) without PITR". */
    what: string;
    /** The census rows the policy must report (one violation each). */
    expected: (row: CensusRow) => boolean;
}

const EXPECTATIONS: Expectation[] = [
    {
        policy: PITR_POLICY,
        what: "production table(s) without PITR",
        expected: (r) => r.production === true && r.pitr === "disabled",
    },
    {
        policy: BACKUP_POLICY,
        // The backup rule's own judgement (its own production knobs): `not-covered` is production to it.
        what: "production table(s) in no backup plan",
        expected: (r) => r.backupPlan === "not-covered",
    },
];

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
    const out = new Map<string, number>();
    for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
    return out;
}

/**
 * The disagreements between a stack's census rows and its diagnostics, one sentence each; empty
 * when they agree. `config` is the check's policy configuration (`stateLevels`).
 */
export function disagreements(
    rows: readonly CensusRow[],
    diagnostics: readonly Diagnostic[],
    config: Record<string, PolicyConfig | undefined>,
): string[] {
    const out: string[] = [];
    for (const { policy, what, expected } of EXPECTATIONS) {
        // A pack without the rule (another pack given by path) says nothing about it either way.
        const configured = config[policy];
        if (configured === undefined) continue;
        const level = configured.enforcementLevel ?? "mandatory";
        if (level === "disabled") continue;
        const counted = countBy(rows.filter(expected), (r) => r.urn);
        const reported = diagnostics.filter((d) => d.policyName === policy && !isUnverifiable(d));
        const byUrn = countBy(reported, (d) => d.urn);
        for (const urn of new Set([...counted.keys(), ...byUrn.keys()])) {
            const c = counted.get(urn) ?? 0;
            const v = byUrn.get(urn) ?? 0;
            if (c !== v) {
                out.push(
                    `the census counts ${c} ${what} on ${urn}, but \`${policy}\` reported ${v} violation(s) there`,
                );
            }
        }
        for (const d of reported) {
            if (d.enforcementLevel !== level) {
                out.push(
                    `\`${policy}\` is ${level}, but its violation on ${d.urn} came at level ${d.enforcementLevel}`,
                );
            }
        }
    }
    return out;
}
