/**
 * Reading resource properties safely. CrossGuard hands policies a proxy that throws when a value
 * unknown during preview is read; one such throw would end the whole policy for the resource (or, in a
 * stack policy, for the whole stack). `snapshot` copies the properties into plain data once, turning
 * each unknown into the `UNKNOWN` marker, so every decision can say which property was unknown.
 */

/** A value that is not known yet (an `Output` during `pulumi preview`). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/** The runtime's sentinels for unknown values, as they appear when properties are not proxied. */
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

const MAX_DEPTH = 64;

/**
 * The key under which CrossGuard's unknown-checking proxy returns the object it wraps
 * (`getSpecialProxyTarget` in `@pulumi/policy/proxy`). The proxy throws an error, with its stack
 * trace, for every unknown value read, which costs more than the rest of a stack check; the object
 * it wraps holds the same data with the runtime's sentinels, which `snapshot` maps to `UNKNOWN`.
 */
export const PROXY_TARGET = "__getSpecialProxyTarget";

/** The plain object behind a CrossGuard proxy, or `value` itself. */
function unwrap(value: object): object {
    try {
        const target = (value as Record<string, unknown>)[PROXY_TARGET];
        return target !== null && typeof target === "object" ? target : value;
    } catch {
        return value;
    }
}

/** Copies `value` (possibly a CrossGuard proxy) into plain data, with `UNKNOWN` for unknown values. */
export function snapshot(value: unknown, depth = 0): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (value === null || typeof value !== "object" || depth > MAX_DEPTH) {
        return value;
    }
    const plain = unwrap(value);
    const v = plain as Record<string | number, unknown>;
    if (Array.isArray(plain)) {
        const out: unknown[] = [];
        for (let i = 0; i < plain.length; i++) {
            out.push(readSafely(v, i, depth));
        }
        return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(plain)) {
        out[key] = readSafely(v, key, depth);
    }
    return out;
}

function readSafely(obj: Record<string | number, unknown>, key: string | number, depth: number): unknown {
    try {
        return snapshot(obj[key], depth + 1);
    } catch {
        // The proxy throws only for unknown values (UnknownValueError); treat anything else alike
        // rather than crash the pack.
        return UNKNOWN;
    }
}

/** Reads `props.key` without throwing, whatever `props` is. */
export function readProp(props: unknown, key: string): unknown {
    if (props === null || typeof props !== "object") {
        return undefined;
    }
    try {
        return snapshot((unwrap(props) as Record<string, unknown>)[key]);
    } catch {
        return UNKNOWN;
    }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A property of a table, by the path a user writes in their program, and its value. */
export interface Field {
    /** The property path, e.g. `pointInTimeRecovery.enabled` or `replicas[1].pointInTimeRecovery`. */
    readonly path: string;
    /** The value: `undefined` when unset, `UNKNOWN` when not known yet, else whatever was given. */
    readonly value: unknown;
    /** Why the value cannot be known, when it is `UNKNOWN` for a reason other than preview. */
    readonly why?: string;
}

/**
 * Walks `root` along `segments`. Stops at the first unknown step and reports that step's path, so a
 * message can say "`pointInTimeRecovery` is unknown" rather than blame a field inside it.
 */
export function field(root: unknown, segments: (string | number)[], prefix = ""): Field {
    let path = prefix;
    let current: unknown = root;
    for (const seg of segments) {
        path = typeof seg === "number" ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg;
        if (current === UNKNOWN) {
            return { path: parentPath(path), value: UNKNOWN };
        }
        if (current === null || typeof current !== "object") {
            return { path, value: undefined };
        }
        current = (current as Record<string | number, unknown>)[seg];
    }
    return { path, value: current };
}

function parentPath(path: string): string {
    const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
    return m ? m[1] : path;
}

/** `true`, `false`, `undefined` (unset or not a boolean) or `UNKNOWN`. Accepts "true"/"false" strings. */
export function asBoolean(value: unknown): boolean | undefined | Unknown {
    if (value === UNKNOWN || typeof value === "boolean") {
        return value;
    }
    if (typeof value === "string") {
        const v = value.trim().toLowerCase();
        return v === "true" ? true : v === "false" ? false : undefined;
    }
    return undefined;
}

/** A number, `undefined` (unset or not a number) or `UNKNOWN`. Accepts numeric strings. */
export function asNumber(value: unknown): number | undefined | Unknown {
    if (value === UNKNOWN || (typeof value === "number" && Number.isFinite(value))) {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return Number(value);
    }
    return undefined;
}

/** Renders a value for a message: strings quoted, objects as JSON, unset as "unset". */
export function show(value: unknown): string {
    if (value === undefined) {
        return "unset";
    }
    if (value === UNKNOWN) {
        return "unknown";
    }
    try {
        const s = JSON.stringify(value);
        return s.length > 60 ? `${s.slice(0, 57)}...` : s;
    } catch {
        return String(value);
    }
}

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}
