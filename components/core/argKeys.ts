/**
 * The unknown-key check of component arguments. In JavaScript, or with a cast, a misspelt option
 * (`backup: { schedual: "daily" }`) would otherwise be ignored without a word and the default used;
 * every component walks its arguments with {@link argKeyProblems} and the shapes registered in
 * `argShapes.ts`, before any child exists. This module imports nothing local, so any validator can
 * use it without an import circle.
 */

/** How the key check treats one argument's value. */
export type ArgField =
    /** A value whose keys are not checked: a scalar, a free map (`tags`), an output or a resource. */
    true | ArgShape;

/** The shape of an argument that is an object, a list of objects, or either. */
export interface ArgShape {
    /** When the value is a plain object: the keys it may have, each with the shape of its value. */
    readonly keys?: ArgKeys;
    /** When the value is a list: the shape of each element. */
    readonly items?: ArgShape;
    /** When the value is a map of entries by a name the user chooses: the shape of each entry. */
    readonly values?: ArgShape;
}

/** The keys of an object argument, each with the shape of its value. */
export type ArgKeys = { readonly [key: string]: ArgField };

/** The keys of every object variant of `T` (a union such as `"account" | { tableNames }` included). */
type ObjectKeys<T> = T extends readonly unknown[] ? never : T extends object ? keyof T : never;

/**
 * Exactly the keys of `T`, each mapped to its shape. Written as `{ ... } satisfies KeysOf<XArgs>`,
 * a field added to `XArgs` without an entry here fails to compile, and so does an entry for a field
 * that does not exist.
 */
export type KeysOf<T> = { readonly [K in ObjectKeys<NonNullable<T>>]-?: ArgField };

type Add = (propertyPath: string, reason: string) => void;

/**
 * Every key of `args`, at every level the shape describes, that the shape does not know, each with
 * the known key it most resembles. Plain objects and lists are walked; anything else (an `Output`, a
 * `Promise`, a resource such as a `TableBackupPlan` passed as `plan`) is left alone.
 */
export function argKeyProblems(
    owner: string,
    args: unknown,
    shape: ArgShape,
): Array<{ propertyPath: string; reason: string }> {
    const problems: Array<{ propertyPath: string; reason: string }> = [];
    walk("", args, shape, (propertyPath, reason) => problems.push({ propertyPath, reason }), owner);
    return problems;
}

function walk(path: string, value: unknown, shape: ArgShape, add: Add, owner: string) {
    if (Array.isArray(value)) {
        if (shape.items) value.forEach((item, i) => walk(`${path}[${i}]`, item, shape.items!, add, owner));
        return;
    }
    if (!isPlainObject(value)) return;
    if (shape.values) {
        for (const [key, entry] of Object.entries(value))
            walk(`${path}.${key}`, entry, shape.values, add, owner);
    }
    if (!shape.keys) return;
    unknownKeys(path, value, Object.keys(shape.keys), add, owner);
    for (const [key, field] of Object.entries(shape.keys)) {
        if (field !== true && key in value)
            walk(path === "" ? key : `${path}.${key}`, value[key], field, add, owner);
    }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object") return false;
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

/**
 * Reports each key of `value` that is not in `known`, naming the known key it most resembles.
 * `path` is empty for the top-level arguments of `owner`.
 */
export function unknownKeys(
    path: string,
    value: Record<string, unknown>,
    known: readonly string[],
    add: Add,
    owner = "ResilientTable",
) {
    for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const near = nearest(key, known);
        const fix = near ? `; did you mean \`${near}\`? Fix: rename it to \`${near}\`.` : ". Fix: remove it.";
        if (path === "") {
            add(key, `\`${key}\` is not an argument of ${owner}${fix}`);
        } else {
            add(
                `${path}.${key}`,
                `\`${path}.${key}\` is set, but \`${path}\` takes only ${known.map((k) => `\`${k}\``).join(", ")}${fix}`,
            );
        }
    }
}

/** The known key a misspelt one was most likely meant to be: the closest within 3 edits, or the one it begins. */
function nearest(key: string, known: readonly string[]): string | undefined {
    const lower = key.toLowerCase();
    let best: { key: string; distance: number } | undefined;
    for (const k of known) {
        const candidate = k.toLowerCase();
        const distance =
            lower.length >= 4 && candidate.startsWith(lower) ? 0 : editDistance(candidate, lower);
        if (distance <= 3 && (!best || distance < best.distance)) best = { key: k, distance };
    }
    return best?.key;
}

/** Levenshtein distance, for naming the option a misspelt key was meant to be. */
function editDistance(a: string, b: string): number {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) {
            next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        row = next;
    }
    return row[b.length];
}
