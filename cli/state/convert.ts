/**
 * A stack export turned into what the engine sends the policy pack in `AnalyzeStack`: state values to
 * the runtime's wire form (secrets opened or made unknown), providers resolved, resources pending
 * deletion left out. Pure.
 */
import { TYPES, TABLE_TYPES } from "../../policies/dynamodb/engine/tableFacts";
import * as values from "../../policies/dynamodb/engine/values";
import { PropertyMap, PropertyValue, ProviderResource, Resource, Secret, UNKNOWN } from "../analyzer/types";
import { fromWire, SECRET_SIG, SIG_KEY, UNKNOWN_WIRE_VALUE } from "../analyzer/wire";
import type { CapturedResource } from "../program/mockRuntime";
import { isObject, parseUrn, ResourceV3, StackExport } from "./parse";

/**
 * Turns a state value into the runtime's wire form, so that `fromWire` (shared with the program path)
 * reads it: a `plaintext` secret becomes a secret of its decoded value; a `ciphertext` secret cannot
 * be read offline and becomes an unknown value, whose path is passed to `encrypted`. The pack treats an
 * unknown exactly as during a preview: "Cannot verify ...", never a guess.
 */
export function stateToWire(value: unknown, at: string, encrypted: (path: string) => void): unknown {
    if (Array.isArray(value)) return value.map((v, i) => stateToWire(v, `${at}[${i}]`, encrypted));
    if (!isObject(value)) return value;
    if (value[SIG_KEY] === SECRET_SIG) {
        if (typeof value.plaintext === "string") {
            let inner: unknown;
            try {
                inner = JSON.parse(value.plaintext);
            } catch {
                inner = value.plaintext;
            }
            return { [SIG_KEY]: SECRET_SIG, value: stateToWire(inner, at, encrypted) };
        }
        encrypted(at);
        return UNKNOWN_WIRE_VALUE;
    }
    // A null property is an unset optional value (bridged providers write them into outputs, e.g.
    // `restoreDateTime: null`); a program never sends those, so the pack sees them as unset.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
        if (v !== null) out[k] = stateToWire(v, at ? `${at}.${k}` : k, encrypted);
    return out;
}

/** Resource types whose properties the pack reads; an encrypted value elsewhere does not matter. */
const READ_BY_PACK = new Set<string>([
    ...TABLE_TYPES,
    TYPES.legacyGlobalTable,
    TYPES.backupSelection,
    TYPES.nativeBackupSelection,
]);

/** The check's view of one stack: resources for the analyzer and for the report. */
export interface ConvertedStack {
    resources: Resource[];
    /** For the report's resource list: the properties the pack saw, as plain values. */
    captured: CapturedResource[];
    warnings: string[];
}

/**
 * Converts a stack export to the resources the engine sends the pack in `AnalyzeStack`.
 *
 * Properties: a custom resource's `outputs` when it has any, else its `inputs`. After an update the
 * engine gives `AnalyzeStack` the resources' outputs (the provider's view of the cloud resource,
 * which is what `pulumi refresh` updates), and AWS outputs hold every input plus computed values
 * such as `arn`, which lets a backup selection's `resources` be matched to the table by ARN. A
 * component has no outputs of its own; a resource whose create failed may have none either.
 *
 * Providers: a resource's `provider` reference (`<provider urn>::<provider id>`) is resolved to the
 * provider resource in the same export, with its `inputs` (where `defaultTags` lives, stored as JSON
 * text). Default providers are in the export too (`pulumi:providers:aws::default_7_0_0`), holding the
 * stack's `aws:` config, so default tags from config are seen as well.
 *
 * Resources pending deletion (`delete: true`, the old half of a replacement) are left out: they are
 * on their way out and their replacement is in the same export.
 */
export function convertStack(exported: StackExport): ConvertedStack {
    const warnings: string[] = [];
    const live = exported.resources.filter((r) => r.delete !== true);
    const byUrn = new Map(live.map((r) => [r.urn, r]));
    const warned = new Set<string>();

    const decode = (r: ResourceV3, props: Record<string, unknown> | undefined, where: string) => {
        const name = parseUrn(r.urn).name;
        const wire = stateToWire(props ?? {}, "", (at) => {
            const key = `${r.urn}|${at}`;
            if (!warned.has(key) && (READ_BY_PACK.has(r.type) || where === "provider")) {
                warned.add(key);
                warnings.push(
                    `\`${name}\` (${r.type}) has \`${at}\` encrypted; it is checked as unknown (export with \`--show-secrets\` to read it)`,
                );
            }
        });
        return fromWire(wire) as PropertyMap;
    };

    const providers = new Map<string, ProviderResource | undefined>();
    const providerOf = (r: ResourceV3): ProviderResource | undefined => {
        if (!r.custom || !r.provider || r.type.startsWith("pulumi:providers:")) return undefined;
        if (providers.has(r.provider)) return providers.get(r.provider);
        const urn = r.provider.split("::").slice(0, -1).join("::");
        const found = byUrn.get(urn);
        const resolved = found
            ? {
                  type: found.type,
                  name: parseUrn(found.urn).name,
                  urn: found.urn,
                  properties: decode(found, found.inputs, "provider"),
              }
            : undefined;
        if (!found)
            warnings.push(
                `provider \`${urn}\` is referenced but not in the export; its default tags are not read`,
            );
        providers.set(r.provider, resolved);
        return resolved;
    };

    const resources: Resource[] = [];
    const captured: CapturedResource[] = [];
    for (const r of live) {
        const hasOutputs = r.custom && isObject(r.outputs) && Object.keys(r.outputs).length > 0;
        const properties = decode(r, hasOutputs ? r.outputs : r.inputs, "resource");
        const name = parseUrn(r.urn).name;
        resources.push(toResource(r, name, properties, providerOf(r)));
        captured.push(toCaptured(r, name, properties));
    }
    return { resources, captured, warnings };
}

/** A live resource as the engine describes it to the analyzer. */
function toResource(
    r: ResourceV3,
    name: string,
    properties: PropertyMap,
    provider: ProviderResource | undefined,
): Resource {
    return {
        type: r.type,
        name,
        urn: r.urn,
        properties,
        options: {
            protect: r.protect === true,
            ignoreChanges: r.ignoreChanges ?? [],
            deleteBeforeReplace: r.deleteBeforeReplace,
            aliases: (r.aliases ?? []).filter((a): a is string => typeof a === "string"),
            additionalSecretOutputs: r.additionalSecretOutputs ?? [],
            parent: r.parent,
        },
        parent: r.parent,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
        provider,
    };
}

/** A live resource as the report lists it: the properties the pack saw, as plain values. */
function toCaptured(r: ResourceV3, name: string, properties: PropertyMap): CapturedResource {
    return {
        urn: r.urn,
        type: r.type,
        name,
        custom: r.custom,
        id: r.id ?? "",
        parent: r.parent,
        provider: r.provider,
        inputs: plain(properties) as Record<string, unknown>,
        wireInputs: {},
        outputs: {},
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
        protect: r.protect === true,
        retainOnDelete: r.retainOnDelete === true,
        deleteBeforeReplace: r.deleteBeforeReplace === true,
        ignoreChanges: r.ignoreChanges ?? [],
        replaceOnChanges: [],
        aliases: r.aliases ?? [],
    };
}

/** Analyzer values as the pack's own decisions read them: secrets opened, its own unknown marker. */
export function plain(value: PropertyValue | undefined): unknown {
    if (value === UNKNOWN) return values.UNKNOWN;
    if (value instanceof Secret) return plain(value.value);
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
        return out;
    }
    return value;
}
