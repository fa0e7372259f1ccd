/**
 * The runtime's wire form of property values (`@pulumi/pulumi/runtime/rpc`): its sentinels, and the
 * conversions between it and the analyzer client's values. The one copy of the signatures in the CLI.
 */
import { PropertyMap, PropertyValue, Secret, secret, UNKNOWN } from "./types";

/** The runtime's wire sentinel for a value that is unknown during preview (`@pulumi/pulumi/runtime/rpc`). */
export const UNKNOWN_WIRE_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The runtime's signature key and secret signature (`@pulumi/pulumi/runtime/rpc`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The runtime's signature of a resource reference. */
export const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** Converts a property value to the plain JSON the runtime puts in a `Struct`. */
export function toWire(value: PropertyValue | undefined): unknown {
    if (value === UNKNOWN) {
        return UNKNOWN_WIRE_VALUE;
    }
    if (value instanceof Secret) {
        return { [SIG_KEY]: SECRET_SIG, value: toWire(value.value) };
    }
    if (Array.isArray(value)) {
        return value.map((v) => toWire(v));
    }
    if (value !== null && typeof value === "object") {
        const out: { [key: string]: unknown } = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                out[k] = toWire(v);
            }
        }
        return out;
    }
    return value;
}

/** Converts a wire value to the analyzer client's representation. */
export function fromWire(value: unknown): PropertyValue {
    if (value === UNKNOWN_WIRE_VALUE) return UNKNOWN;
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map(fromWire);
    if (typeof value === "object") {
        const object = value as Record<string, unknown>;
        if (object[SIG_KEY] === SECRET_SIG) return secret(fromWire(object.value));
        if (object[SIG_KEY] === RESOURCE_REF_SIG) {
            const id = object.id;
            return typeof id === "string" && id !== "" ? fromWire(id) : String(object.urn ?? "");
        }
        const out: PropertyMap = {};
        for (const [key, item] of Object.entries(object)) out[key] = fromWire(item);
        return out;
    }
    return value as PropertyValue;
}
