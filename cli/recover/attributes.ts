// Pure helpers over DynamoDB's low-level AttributeValue maps: equality (sets are unordered, numbers
// compare by value), ordering as DynamoDB's `<` orders them, item size for capacity estimates, and a
// plain JSON form for reports.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export type Item = Record<string, AttributeValue>;

/** True when the two items hold the same attributes with the same values. */
export function itemsEqual(a: Item, b: Item): boolean {
    const names = Object.keys(a);
    if (names.length !== Object.keys(b).length) return false;
    return names.every((name) => name in b && valuesEqual(a[name], b[name]));
}

/** Names of the attributes whose values differ between the two items (present in one only, or unequal). */
export function differingAttributes(a: Item, b: Item): string[] {
    const names = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...names].filter((n) => !(n in a) || !(n in b) || !valuesEqual(a[n], b[n])).sort();
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
    if (a.S !== undefined) return b.S === a.S;
    if (a.N !== undefined) return b.N !== undefined && compareNumbers(a.N, b.N) === 0;
    if (a.B !== undefined)
        return b.B !== undefined && Buffer.compare(Buffer.from(a.B), Buffer.from(b.B)) === 0;
    if (a.BOOL !== undefined) return b.BOOL === a.BOOL;
    if (a.NULL !== undefined) return b.NULL !== undefined;
    if (a.SS !== undefined) return b.SS !== undefined && sameSet(a.SS, b.SS, (x, y) => x === y);
    if (a.NS !== undefined)
        return b.NS !== undefined && sameSet(a.NS, b.NS, (x, y) => compareNumbers(x, y) === 0);
    if (a.BS !== undefined) {
        return (
            b.BS !== undefined &&
            sameSet(a.BS, b.BS, (x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)) === 0)
        );
    }
    if (a.L !== undefined) {
        return b.L !== undefined && a.L.length === b.L.length && a.L.every((v, i) => valuesEqual(v, b.L![i]));
    }
    if (a.M !== undefined) return b.M !== undefined && itemsEqual(a.M, b.M);
    return false;
}

function sameSet<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean): boolean {
    return a.length === b.length && a.every((x) => b.some((y) => eq(x, y)));
}

/**
 * Orders two scalar values as DynamoDB's `<` does: numbers by value, strings by their UTF-8 bytes,
 * binary by bytes. Returns undefined when they are not comparable (different types, or not S/N/B),
 * in which case a DynamoDB condition `a < b` is false.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
    if (a.N !== undefined && b.N !== undefined) return compareNumbers(a.N, b.N);
    if (a.S !== undefined && b.S !== undefined)
        return Buffer.compare(Buffer.from(a.S, "utf8"), Buffer.from(b.S, "utf8"));
    if (a.B !== undefined && b.B !== undefined) return Buffer.compare(Buffer.from(a.B), Buffer.from(b.B));
    return undefined;
}

/** Compares two DynamoDB number strings exactly (up to 38 digits, so not through `Number`). */
export function compareNumbers(a: string, b: string): number {
    const x = parseDecimal(a);
    const y = parseDecimal(b);
    if (x.negative !== y.negative) return x.negative ? -1 : 1;
    const sign = x.negative ? -1 : 1;
    if (x.digits === "" || y.digits === "") return sign * (x.digits.length - y.digits.length);
    if (x.exponent !== y.exponent) return sign * (x.exponent < y.exponent ? -1 : 1);
    const len = Math.max(x.digits.length, y.digits.length);
    const dx = x.digits.padEnd(len, "0");
    const dy = y.digits.padEnd(len, "0");
    return dx === dy ? 0 : sign * (dx < dy ? -1 : 1);
}

/** Normalises "-0012.3400e1" to sign, significant digits "1234" and the exponent of the first digit. */
function parseDecimal(text: string): { negative: boolean; digits: string; exponent: number } {
    const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!match) throw new Error(`"${text}" is not a DynamoDB number.`);
    const [, sign, whole = "", fraction = "", exp = "0"] = match;
    const all = whole + fraction;
    const firstNonZero = all.search(/[1-9]/);
    if (firstNonZero < 0) return { negative: false, digits: "", exponent: 0 };
    const digits = all.slice(firstNonZero).replace(/0+$/, "");
    return { negative: sign === "-", digits, exponent: whole.length - firstNonZero + Number(exp) };
}

/**
 * The size DynamoDB bills an item by, per "Item sizes and formats" in the DynamoDB Developer Guide
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute names plus values; strings and binary by length, numbers about 1 byte per 2 digits plus 1,
 * 3 bytes of overhead per list or map and 1 per element.
 */
export function itemSizeBytes(item: Item): number {
    let size = 0;
    for (const [name, value] of Object.entries(item))
        size += Buffer.byteLength(name, "utf8") + valueSize(value);
    return size;
}

function valueSize(v: AttributeValue): number {
    if (v.S !== undefined) return Buffer.byteLength(v.S, "utf8");
    if (v.N !== undefined) return numberSize(v.N);
    if (v.B !== undefined) return v.B.length;
    if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
    if (v.SS !== undefined) return v.SS.reduce((s, x) => s + Buffer.byteLength(x, "utf8"), 0);
    if (v.NS !== undefined) return v.NS.reduce((s, x) => s + numberSize(x), 0);
    if (v.BS !== undefined) return v.BS.reduce((s, x) => s + x.length, 0);
    if (v.L !== undefined) return 3 + v.L.reduce((s, x) => s + 1 + valueSize(x), 0);
    if (v.M !== undefined) return 3 + Object.values(v.M).length + itemSizeBytes(v.M);
    return 0;
}

function numberSize(n: string): number {
    const digits = n.replace(/[^0-9]/g, "").replace(/^0+/, "").length;
    return Math.ceil(digits / 2) + 1;
}

/** Write capacity units one standard write of this item consumes: 1 per started KB. */
export function writeUnits(item: Item): number {
    return Math.max(1, Math.ceil(itemSizeBytes(item) / 1024));
}

/** A JSON-friendly form of a key or item for reports: S as string, N as number when exact, B as base64. */
export function toPlain(item: Item): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(item)) out[name] = plainValue(value);
    return out;
}

function plainValue(v: AttributeValue): unknown {
    if (v.S !== undefined) return v.S;
    if (v.N !== undefined) return Number.isSafeInteger(Number(v.N)) || /[.eE]/.test(v.N) ? Number(v.N) : v.N;
    if (v.B !== undefined) return Buffer.from(v.B).toString("base64");
    if (v.BOOL !== undefined) return v.BOOL;
    if (v.NULL !== undefined) return null;
    if (v.SS !== undefined) return v.SS;
    if (v.NS !== undefined) return v.NS.map(Number);
    if (v.BS !== undefined) return v.BS.map((b) => Buffer.from(b).toString("base64"));
    if (v.L !== undefined) return v.L.map(plainValue);
    if (v.M !== undefined) return toPlain(v.M);
    return undefined;
}
