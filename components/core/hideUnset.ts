/**
 * Keeps what a component knows to be absent out of its exported form. A program that exports a
 * component (`export const orders = new ResilientTable(...)`) has every enumerable property of it
 * serialised as a stack output, and Pulumi warns once per property that holds nothing:
 * "Undefined value (streamArn) will not show as a stack output." (`@pulumi/pulumi` runtime/stack.ts).
 * This module imports nothing local.
 */

/**
 * Makes each property of `resource` that is undefined, and each one named in `absent` (an `Output`
 * the component knows resolves to nothing, such as the stream ARN of a table without a stream),
 * non-enumerable: still readable in the program, no longer exported or warned about.
 */
export function hideUnset(resource: object, absent: readonly string[] = []): void {
    for (const key of Object.keys(resource)) {
        if ((resource as Record<string, unknown>)[key] === undefined || absent.includes(key)) {
            Object.defineProperty(resource, key, { enumerable: false });
        }
    }
}
