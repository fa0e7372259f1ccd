/**
 * Small text helpers for one-line error messages: the closest known name to a misspelt one, and a
 * short, escaped excerpt of a file's content (no raw newlines or control bytes); and colour.
 */

/** A function that shows text in an ANSI colour or style (`code`, e.g. 1 bold, 31 red), or plain when `on` is false. */
export const paint = (on: boolean, code: number) => (text: string) =>
    on ? `\x1b[${code}m${text}\x1b[0m` : text;

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}

/**
 * The name in `names` closest to `given` (case-insensitive), when it is close enough to be a likely
 * misspelling (within a third of its length, or one contains the other).
 */
export function closest(given: string, names: readonly string[]): string | undefined {
    const g = given.toLowerCase();
    let best: { name: string; distance: number } | undefined;
    for (const name of names) {
        const n = name.toLowerCase();
        const distance =
            n.includes(g) || g.includes(n) ? Math.abs(n.length - g.length) / 4 : editDistance(g, n);
        if (!best || distance < best.distance) best = { name, distance };
    }
    if (!best) return undefined;
    return best.distance <= Math.max(2, Math.ceil(Math.max(given.length, best.name.length) / 3))
        ? best.name
        : undefined;
}

/**
 * A short excerpt of `text` for an error message: its start, as a JSON string (quoted, with newlines
 * and control characters escaped), cut at `max` characters.
 */
export function excerpt(text: string, max = 40): string {
    const cut = text.length > max ? `${text.slice(0, max)}…` : text;
    // JSON.stringify escapes quotes, backslashes and control characters; escape the rest of the
    // characters a terminal could act on too.
    return JSON.stringify(cut).replace(
        /[\u007f-\u009f\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}
