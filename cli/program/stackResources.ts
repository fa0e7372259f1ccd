/**
 * Turns the resources a program registered (under the mock runtime) into the resources the engine
 * sends to a policy pack: wire values (unknowns, secrets) kept, options and dependencies attached,
 * and each custom resource's provider resolved to its properties — an explicit provider to the
 * inputs it was created with, a default provider to the stack's config for its package (which is
 * where `aws:defaultTags` comes from), as the engine does.
 */
import * as fs from "fs";
import type { PropertyMap, PropertyValue, ProviderResource, Resource } from "../analyzer/types";
import { fromWire } from "../analyzer/wire";
import type { CapturedResource } from "./mockRuntime";

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
