/**
 * Finds the backup selections that cover a table without scanning every selection for every table,
 * which is quadratic in the stack's size. For a table it does not target, a selection's answer depends
 * only on what it says apart from its name and targets, so selections that say the same thing are
 * kept once (the first in stack order). The rest are sorted once into the ways they can pick a table:
 * by a property dependency on it (its URN), by one tag, by table ARN patterns (looked up by the
 * literal start of the table name), by an `aws:ResourceTag` equality condition, and the few left,
 * asked for every table. The answer is the one a full scan in stack order gives: a covering
 * selection, else the first that may cover the table.
 */
import { TableArnParts } from "../facts/arn";
import { Coverage, SelectionFacts, TableView, covers } from "./backupSelections";
import { push } from "../engine/values";

export type Lookup =
    | { readonly covered: SelectionFacts }
    | { readonly maybe: SelectionFacts; readonly why: string }
    | undefined;

/** The answer of a full scan, in stack order: the reference the index must agree with. */
export function scanSelections(selections: readonly SelectionFacts[], table: TableView): Lookup {
    let maybe: Lookup;
    for (const sel of selections) {
        const c = covers(sel, table);
        if (c === true) {
            return { covered: sel };
        }
        if (c !== false && !maybe) {
            maybe = { maybe: sel, why: c.unknown };
        }
    }
    return maybe;
}

const NAME_CHARS = /^[A-Za-z0-9_.*-]*$/;

/**
 * A pattern `arn:<p>:<s>:<r>:<a>:table/<name>` whose parts hold no `:` (and the name no `/`): each
 * part can only match the same part of a table ARN, so the name part alone decides between tables
 * whose other parts are alike. Gives the part before the name, the name's literal start, and, for a
 * table whose name is unknown, what the name part can match: any name, some names, or none.
 */
function tablePattern(pattern: string): { before: string; start: string; unknownName: string } | undefined {
    const parts = pattern.split(":");
    if (parts.length !== 6 || parts[0] !== "arn" || !parts[5].startsWith("table/")) {
        return undefined;
    }
    const name = parts[5].slice("table/".length);
    if (name.includes("/")) {
        return undefined;
    }
    const star = name.indexOf("*");
    return {
        before: pattern.slice(0, pattern.length - name.length),
        start: star < 0 ? name : name.slice(0, star),
        unknownName:
            /^\**$/.test(name) && name !== ""
                ? "any"
                : NAME_CHARS.test(name) && name !== ""
                  ? "some"
                  : "none",
    };
}

/** Keeps the first index for each key. */
function first(map: Map<string, number>, key: string, value: number) {
    if (!map.has(key)) {
        map.set(key, value);
    }
}

const TAG_CONDITION = /^aws:ResourceTag\/(.+)$/;

export class SelectionIndex {
    private readonly byUrn = new Map<string, number[]>();
    private readonly byTag = new Map<string, number>();
    private firstByTag: number | undefined;
    /** Table ARN patterns by the literal start of their name part. */
    private readonly byNameStart = new Map<string, number[]>();
    /** For a table whose name is unknown: one pattern selection per kind of pattern set. */
    private readonly patternKinds = new Map<string, number>();
    /** Selections with an `aws:ResourceTag/<key>` equality condition, by key and value. */
    private readonly byCondition = new Map<string, number[]>();
    /** For a table whose tags are unknown: one of those per kind (conditions left aside). */
    private readonly conditionKinds = new Map<string, number>();
    /** The rest, asked for every table. */
    private readonly general: number[] = [];

    constructor(private readonly selections: readonly SelectionFacts[]) {
        const signatures = new Set<string>();
        selections.forEach((s, i) => {
            for (const u of s.targetUrns) {
                push(this.byUrn, u, i);
            }
            if (s.resources.length === 0 && s.tags.length === 0 && s.unknown.picking.length === 0) {
                return; // picks only the tables it targets
            }
            const rest = [s.resources, s.tags, s.notResources, s.unknown.picking, s.unknown.limiting];
            const signature = JSON.stringify([...rest, s.conditions]);
            if (signatures.has(signature)) {
                return; // an earlier selection says the same thing
            }
            signatures.add(signature);
            this.place(s, i, JSON.stringify(rest));
        });
    }

    private place(s: SelectionFacts, i: number, withoutConditions: string) {
        const limited =
            s.unknown.picking.length +
                s.unknown.limiting.length +
                s.conditions.length +
                s.notResources.length >
            0;
        if (s.resources.length === 0 && !limited) {
            for (const t of s.tags) {
                first(this.byTag, `${t.key}\u0000${t.value}`, i);
            }
            this.firstByTag ??= i;
            return;
        }
        const patterns = s.resources.map(tablePattern);
        if (s.tags.length === 0 && !limited && patterns.every((p) => p !== undefined)) {
            const starts = new Set(patterns.map((p) => p?.start ?? ""));
            for (const start of starts) {
                push(this.byNameStart, start, i);
            }
            const kind = [...new Set(patterns.map((p) => `${p?.before}\u0000${p?.unknownName}`))].sort();
            first(this.patternKinds, kind.join("\u0001"), i);
            return;
        }
        const equality = s.conditions.find((c) => c.op === "equals" && TAG_CONDITION.test(c.key));
        if (equality) {
            const key = TAG_CONDITION.exec(equality.key)?.[1] ?? "";
            push(this.byCondition, `${key}\u0000${equality.value}`, i);
            // With the table's tags unknown, conditions on tags are all unknown: only whether every
            // condition is on a tag, and the rest of the selection, tell two such selections apart.
            const onTags = s.conditions.every((c) => TAG_CONDITION.test(c.key));
            first(this.conditionKinds, `${withoutConditions}\u0000${onTags}`, i);
            return;
        }
        this.general.push(i);
    }

    lookup(table: TableView): Lookup {
        let maybe: { order: number; why: string } | undefined;
        let covered: number | undefined;
        const ask = (i: number, targeted: boolean): boolean => {
            const c: Coverage = covers(this.selections[i], table, targeted);
            if (c === true) {
                covered = i;
                return true;
            }
            if (c !== false && (!maybe || i < maybe.order)) {
                maybe = { order: i, why: c.unknown };
            }
            return false;
        };
        const answer = (): Lookup =>
            covered !== undefined
                ? { covered: this.selections[covered] }
                : maybe && { maybe: this.selections[maybe.order], why: maybe.why };
        for (const i of this.byUrn.get(table.urn) ?? []) {
            if (ask(i, true)) return answer();
        }
        for (const i of table.templateKey ? (this.byUrn.get(table.templateKey) ?? []) : []) {
            if (ask(i, true)) return answer();
        }
        if (table.tags) {
            for (const [k, v] of table.tags) {
                const i = this.byTag.get(`${k}\u0000${v}`);
                if (i !== undefined && ask(i, false)) return answer();
                for (const j of this.byCondition.get(`${k}\u0000${v}`) ?? []) {
                    if (ask(j, false)) return answer();
                }
            }
        } else {
            if (this.firstByTag !== undefined) {
                ask(this.firstByTag, false);
            }
            for (const i of this.conditionKinds.values()) {
                if (ask(i, false)) return answer();
            }
        }
        for (const i of this.patternCandidates(table.arn)) {
            if (ask(i, false)) return answer();
        }
        for (const i of this.general) {
            if (ask(i, false)) return answer();
        }
        return answer();
    }

    private *patternCandidates(arn: TableArnParts): Iterable<number> {
        if (arn.name === undefined) {
            yield* this.patternKinds.values();
            return;
        }
        for (let n = 0; n <= arn.name.length; n++) {
            yield* this.byNameStart.get(arn.name.slice(0, n)) ?? [];
        }
    }
}
