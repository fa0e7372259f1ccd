/**
 * Finds the backup selections that cover a table without scanning every selection for every table,
 * which is quadratic in the stack's size. Selections are sorted once into the ways they can pick a
 * table: by a property dependency on it (its URN), by one tag, by literal table ARNs (by table name),
 * and the rest, grouped by what they say apart from their name and targets: selections that say the
 * same thing give the same answer for a table they do not target, so one per group is asked. The
 * answer is the one a full scan in stack order gives: a covering selection, else the first that may
 * cover it.
 */
import { TableArnParts, parseTableArn } from "./arn";
import { Coverage, SelectionFacts, TableView, covers } from "./backupSelections";

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

function literalName(pattern: string): { name: string; prefix: string } | undefined {
    if (pattern.includes("*")) {
        return undefined;
    }
    const p = parseTableArn(pattern);
    return p ? { name: p.name, prefix: pattern.slice(0, pattern.length - p.name.length) } : undefined;
}

function push<K>(map: Map<K, number[]>, key: K, value: number) {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

export class SelectionIndex {
    private readonly byUrn = new Map<string, number[]>();
    private readonly byTag = new Map<string, number>();
    private firstByTag: number | undefined;
    private readonly byName = new Map<string, number[]>();
    /** For a table whose name is unknown: one literal selection per set of ARN prefixes. */
    private readonly literalGroups: number[] = [];
    /** One selection per group of selections that say the same thing. */
    private readonly general: number[] = [];

    constructor(private readonly selections: readonly SelectionFacts[]) {
        const literalPrefixes = new Set<string>();
        const signatures = new Set<string>();
        selections.forEach((s, i) => {
            for (const u of s.targetUrns) {
                push(this.byUrn, u, i);
            }
            const unknown = s.unknown.picking.length + s.unknown.limiting.length > 0;
            const limited = unknown || s.conditions.length > 0 || s.notResources.length > 0;
            if (s.resources.length === 0 && s.tags.length === 0 && s.unknown.picking.length === 0) {
                return; // picks only the tables it targets
            }
            if (s.resources.length === 0 && !limited) {
                for (const t of s.tags) {
                    const k = `${t.key}\u0000${t.value}`;
                    if (!this.byTag.has(k)) {
                        this.byTag.set(k, i);
                    }
                }
                this.firstByTag ??= i;
                return;
            }
            const literals = s.resources.map(literalName);
            if (s.tags.length === 0 && !limited && literals.every((l) => l !== undefined)) {
                for (const l of literals) {
                    push(this.byName, l?.name ?? "", i);
                }
                const prefixes = [...new Set(literals.map((l) => l?.prefix))].sort().join("\u0000");
                if (!literalPrefixes.has(prefixes)) {
                    literalPrefixes.add(prefixes);
                    this.literalGroups.push(i);
                }
                return;
            }
            const signature = JSON.stringify([
                s.resources,
                s.tags,
                s.conditions,
                s.notResources,
                s.unknown.picking,
                s.unknown.limiting,
            ]);
            if (!signatures.has(signature)) {
                signatures.add(signature);
                this.general.push(i);
            }
        });
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
        const done = () =>
            covered !== undefined
                ? { covered: this.selections[covered] }
                : maybe && { maybe: this.selections[maybe.order], why: maybe.why };
        for (const i of this.byUrn.get(table.urn) ?? []) {
            if (ask(i, true)) return done();
        }
        if (table.tags) {
            for (const [k, v] of table.tags) {
                const i = this.byTag.get(`${k}\u0000${v}`);
                if (i !== undefined && ask(i, false)) return done();
            }
        } else if (this.firstByTag !== undefined) {
            ask(this.firstByTag, false);
        }
        const literal = this.literalCandidates(table.arn);
        for (const i of literal) {
            if (ask(i, false)) return done();
        }
        for (const i of this.general) {
            if (ask(i, false)) return done();
        }
        return done();
    }

    private literalCandidates(arn: TableArnParts): readonly number[] {
        return arn.name !== undefined ? (this.byName.get(arn.name) ?? []) : this.literalGroups;
    }
}
