/**
 * The outcome of one rule for one table, kept apart from its wording (after cdk-nag: not applicable,
 * compliant, non-compliant), plus "unverifiable" for what cannot be known before deployment.
 */
import { TableFacts } from "./tableFacts";
import { Production } from "./production";
import { Field, UNKNOWN, show } from "./values";

export type Decision =
    | { readonly outcome: "not-applicable"; readonly reason: string }
    | { readonly outcome: "compliant"; readonly reason: string }
    | {
          readonly outcome: "non-compliant";
          /** The property at fault, as the user wrote it. */
          readonly path: string;
          /** What is wrong with it, completing "has `path` ...": "unset", "set to false". */
          readonly problem: string;
          /** How to fix it, as an imperative: "set it to true". */
          readonly fix: string;
      }
    | {
          readonly outcome: "unverifiable";
          /** The property that could not be read, if one. */
          readonly path?: string;
          /** Why it cannot be checked now. */
          readonly reason: string;
          /** True when the reason does not depend on production-ness (a template that cannot be read). */
          readonly regardlessOfProduction?: boolean;
      };

export const notApplicable = (reason: string): Decision => ({ outcome: "not-applicable", reason });
export const compliant = (reason: string): Decision => ({ outcome: "compliant", reason });

/** "unset" or "set to <value>", for a field whose value is wrong. */
export function problemWith(f: Field): string {
    return f.value === undefined ? "unset" : `set to ${show(f.value)}`;
}

/** An unverifiable decision for a field whose value is `UNKNOWN`. */
export function unknownField(f: Field): Decision {
    return {
        outcome: "unverifiable",
        path: f.path,
        reason: `\`${f.path}\` is unknown: ${f.why ?? "its value comes from an output that is not known until the update (pulumi preview)"}`,
    };
}

export function cannotVerify(table: TableFacts): Decision {
    return {
        outcome: "unverifiable",
        reason: table.cannotVerify ?? "its properties cannot be read",
        regardlessOfProduction: true,
    };
}

/**
 * Applies a rule's verdict on a table to production tables only: a failing check on a table that is
 * not production is not applicable; on a table whose production-ness is unknown, unverifiable.
 */
export function forProductionTable(check: Decision, production: Production): Decision {
    if (check.outcome === "compliant" || check.outcome === "not-applicable") {
        return check;
    }
    if (check.outcome === "unverifiable" && check.regardlessOfProduction) {
        return check;
    }
    if (production.production === false) {
        return notApplicable(`not a production table (${production.reason})`);
    }
    if (production.production === "unknown") {
        const also = check.outcome === "unverifiable" ? `; also, ${check.reason}` : "";
        return {
            outcome: "unverifiable",
            path: production.path,
            reason: `cannot tell whether it is a production table: ${production.reason}${also}`,
        };
    }
    return check;
}

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}
