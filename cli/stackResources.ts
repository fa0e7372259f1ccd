/**
 * Turns the resources a program registered (under the mock runtime) into the resources the engine
 * sends to a policy pack: wire values (unknowns, secrets) kept, options and dependencies attached,
 * and each custom resource's provider resolved to its properties — an explicit provider to the
 * inputs it was created with, a default provider to the stack's config for its package (which is
 * where `aws:defaultTags` comes from), as the engine does.
 */
import * as fs from "fs";
import * as path from "path";
import {
    PropertyMap,
    PropertyValue,
    ProviderResource,
    Resource,
    secret,
    UNKNOWN,
    UNKNOWN_WIRE_VALUE,
} from "./analyzer";
import type { CapturedResource } from "./mockRuntime";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

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

function packageVersion(pkg: string): string | undefined {
    try {
        const file = require.resolve(`@pulumi/${pkg}/package.json`, { paths: [process.cwd(), __dirname] });
        return JSON.parse(fs.readFileSync(file, "utf8")).version;
    } catch {
        return undefined;
    }
}

function parseConfigValue(value: string): PropertyValue {
    try {
        const parsed = JSON.parse(value);
        return typeof parsed === "object" && parsed !== null ? fromWire(parsed) : value;
    } catch {
        return value;
    }
}

export interface StackContext {
    project: string;
    stack: string;
    /** The stack's config, keyed `namespace:key`. */
    config: Record<string, string>;
}

/** The resources of a program as a policy pack receives them, in registration order. */
export function toAnalyzerResources(captured: CapturedResource[], context: StackContext): Resource[] {
    const byUrn = new Map(captured.map((r) => [r.urn, r]));
    const defaults = new Map<string, ProviderResource>();

    const defaultProvider = (pkg: string): ProviderResource => {
        let provider = defaults.get(pkg);
        if (!provider) {
            const version = packageVersion(pkg);
            const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
            const properties: PropertyMap = {};
            for (const [key, value] of Object.entries(context.config)) {
                if (key.startsWith(`${pkg}:`))
                    properties[key.slice(pkg.length + 1)] = parseConfigValue(value);
            }
            if (version) properties.version = version;
            provider = {
                type: `pulumi:providers:${pkg}`,
                name,
                urn: `urn:pulumi:${context.stack}::${context.project}::pulumi:providers:${pkg}::${name}`,
                properties,
            };
            defaults.set(pkg, provider);
        }
        return provider;
    };

    const providerOf = (resource: CapturedResource): ProviderResource | undefined => {
        if (!resource.custom || resource.type.startsWith("pulumi:providers:")) return undefined;
        if (resource.provider) {
            const urn = resource.provider.split("::").slice(0, -1).join("::");
            const explicit = byUrn.get(urn);
            if (explicit) {
                return {
                    type: explicit.type,
                    name: explicit.name,
                    urn: explicit.urn,
                    properties: fromWire(explicit.wireInputs) as PropertyMap,
                };
            }
        }
        return defaultProvider(resource.type.split(":")[0]);
    };

    return captured.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        properties: withAutoName(r),
        options: {
            protect: r.protect,
            ignoreChanges: r.ignoreChanges,
            deleteBeforeReplace: r.deleteBeforeReplace,
            aliases: r.aliases.filter((a): a is string => typeof a === "string"),
            parent: r.parent,
        },
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        provider: providerOf(r),
    }));
}

/**
 * The inputs the engine would check: the AWS provider gives a resource without a `name` a generated
 * one (`<resource name>-<random suffix>`) before the preview, and the pack sees it.
 */
function withAutoName(r: CapturedResource): PropertyMap {
    const properties = fromWire(r.wireInputs) as PropertyMap;
    if (
        r.custom &&
        r.type.startsWith("aws:") &&
        properties.name === undefined &&
        typeof r.outputs.name === "string"
    ) {
        properties.name = r.outputs.name;
    }
    return properties;
}

/** The folder of the policy pack that ships with this package. */
export function bundledPackDir(): string {
    // Compiled to bin/cli/, run from source in cli/: walk up to the package root.
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "policies", "PulumiPolicy.yaml"))) {
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error("the bundled policy pack (policies/) was not found");
        dir = parent;
    }
    return path.join(dir, "policies");
}
