/**
 * Reading ARNs by shape. A table's ARN is `arn:<partition>:dynamodb:<region>:<account>:table/<name>`
 * (Service Authorization Reference, "Resource types defined by Amazon DynamoDB"); during a preview
 * some of those parts are unknown. An AWS Backup selection's `resources` / `notResources` entry is
 * an ARN in which `*` matches any run of characters (AWS Backup Developer Guide, "Assigning
 * resources to a backup plan"). `matchArnPattern` says whether a pattern matches the table for every
 * value the unknown parts may take (true), for none (false), or for some only (undefined): only the
 * last depends on what is unknown.
 */

/** What is known of a table's ARN; an absent part is unknown. */
export interface TableArnParts {
    readonly partition?: string;
    readonly region?: string;
    readonly account?: string;
    readonly name?: string;
}

/** Characters each unknown part may take: a partition, a Region, an account id, a table name. */
const PART_CHARS = {
    partition: "abcdefghijklmnopqrstuvwxyz-",
    region: "abcdefghijklmnopqrstuvwxyz0123456789-",
    account: "0123456789",
    name: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
} as const;

type Part = keyof typeof PART_CHARS;

/** A table ARN as a sequence of literal text and holes (unknown parts). */
type Token = { readonly text: string } | { readonly hole: Part };

/** The partition a Region belongs to (`cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`). */
export function partitionOf(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** The parts of a DynamoDB table ARN, or undefined when `arn` is not one. */
export function parseTableArn(arn: unknown): Required<TableArnParts> | undefined {
    if (typeof arn !== "string") {
        return undefined;
    }
    const m = /^arn:([a-z-]+):dynamodb:([a-z0-9-]*):(\d*):table\/([A-Za-z0-9_.-]+)$/.exec(arn);
    return m ? { partition: m[1], region: m[2], account: m[3], name: m[4] } : undefined;
}

/** Why a selection's ARN pattern cannot be read, or undefined when it can. */
export function malformedPattern(pattern: string): string | undefined {
    if (pattern === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:./.test(pattern)) {
        return undefined;
    }
    // A `*` may stand for the colons of the missing parts (`arn:aws:dynamodb:*`).
    if (/^arn:/.test(pattern) && pattern.includes("*")) {
        return undefined;
    }
    return "it is not an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`)";
}

function tokens(t: TableArnParts, pattern: string): Token[] {
    const part = (p: Part): Token => (t[p] === undefined ? { hole: p } : { text: t[p] as string });
    // A backup plan selects only resources of its own partition, so when the table's Region (and so
    // its partition) is unknown, the pattern's own partition is the table's.
    const own = /^arn:([a-z-]+):/.exec(pattern)?.[1];
    const partition = t.partition ?? (t.region !== undefined ? partitionOf(t.region) : own);
    return [
        { text: "arn:" },
        partition === undefined ? { hole: "partition" } : { text: partition },
        { text: ":dynamodb:" },
        part("region"),
        { text: ":" },
        part("account"),
        { text: ":table/" },
        part("name"),
    ];
}

const regexCache = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else is literal. */
export function globRegExp(pattern: string): RegExp {
    let re = regexCache.get(pattern);
    if (!re) {
        re = new RegExp(
            `^${pattern
                .split("*")
                .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join("[\\s\\S]*")}$`,
        );
        if (regexCache.size > 10_000) {
            regexCache.clear();
        }
        regexCache.set(pattern, re);
    }
    return re;
}

/**
 * True when the pattern matches whatever the holes hold: fill each hole with a character the pattern
 * never uses; that character can only be matched by a `*`, which would match any other filling too.
 */
function matchesEvery(pattern: string, toks: Token[]): boolean | undefined {
    let s = "";
    for (const t of toks) {
        if ("text" in t) {
            s += t.text;
            continue;
        }
        const chars = PART_CHARS[t.hole];
        let c: string | undefined;
        for (let k = 0; k < chars.length && c === undefined; k++) {
            c = pattern.includes(chars[k]) ? undefined : chars[k];
        }
        if (c === undefined) {
            return undefined;
        }
        s += c;
    }
    return globRegExp(pattern).test(s);
}

/** True when some filling of the holes makes the pattern match (a small search over positions). */
function matchesSome(pattern: string, toks: Token[]): boolean {
    // Flatten the table into single characters and holes.
    const target: (string | Part)[] = [];
    const isHole: boolean[] = [];
    for (const t of toks) {
        if ("text" in t) {
            for (const ch of t.text) {
                target.push(ch);
                isHole.push(false);
            }
        } else {
            target.push(t.hole);
            isHole.push(true);
        }
    }
    const P = pattern.length;
    const T = target.length;
    const seen = new Uint8Array((P + 1) * (T + 1));
    const stack: number[] = [0, 0];
    while (stack.length > 0) {
        const j = stack.pop() as number;
        const i = stack.pop() as number;
        const k = i * (T + 1) + j;
        if (seen[k]) {
            continue;
        }
        seen[k] = 1;
        if (i === P && j === T) {
            return true;
        }
        const push = (a: number, b: number) => {
            if (a <= P && b <= T) {
                stack.push(a, b);
            }
        };
        const star = i < P && pattern[i] === "*";
        if (star) {
            push(i + 1, j); // the `*` ends here
        }
        if (j < T && isHole[j]) {
            push(i, j + 1); // the hole ends here (or a `*` takes what is left of it)
            if (i < P && !star && PART_CHARS[target[j] as Part].includes(pattern[i])) {
                push(i + 1, j); // the hole holds this character of the pattern
            }
        } else if (j < T) {
            if (star) {
                push(i, j + 1);
            } else if (i < P && pattern[i] === target[j]) {
                push(i + 1, j + 1);
            }
        }
    }
    return false;
}

/**
 * Does an ARN pattern match the table? True for every value of its unknown parts, false for none,
 * undefined when it depends on them. A malformed pattern gives undefined (see `malformedPattern`).
 */
export function matchArnPattern(pattern: string, table: TableArnParts): boolean | undefined {
    if (pattern === "*") {
        return true;
    }
    if (malformedPattern(pattern) !== undefined) {
        return undefined;
    }
    const toks = tokens(table, pattern);
    if (!toks.some((t) => "hole" in t)) {
        return globRegExp(pattern).test(toks.map((t) => ("text" in t ? t.text : "")).join(""));
    }
    if (matchesEvery(pattern, toks) === true) {
        return true;
    }
    return matchesSome(pattern, toks) ? undefined : false;
}
