/**
 * What every table fact of one resource shares, whatever its form: the resource's identity, its
 * stack, its provider's Region and default tags. Read once per resource (a template may hold many
 * tables). Never throws.
 */
import { TableFacts, TagSource } from "../engine/tableFacts";
import { field, readProp } from "../engine/values";

/** The parts of a resource the normaliser reads; `props` and provider props may be CrossGuard proxies. */
export interface ResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: unknown;
    readonly protect?: boolean;
    /** The resource's provider properties (for AWS: `region`, `defaultTags`, ...). */
    readonly providerProps?: unknown;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → `<stack>`. */
export function stackNameFromUrn(urn: string): string {
    const prefix = "urn:pulumi:";
    if (typeof urn !== "string" || !urn.startsWith(prefix)) {
        return "";
    }
    const end = urn.indexOf("::", prefix.length);
    return urn.slice(prefix.length, end < 0 ? undefined : end);
}

/**
 * Only the properties a form's facts need, read through CrossGuard's proxy: a table's schema,
 * indexes and the like are never copied.
 */
export function pick(props: unknown, keys: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
        const v = readProp(props, key);
        if (v !== undefined) {
            out[key] = v;
        }
    }
    return out;
}

const parsedDefaultTags = new Map<string, TagSource | null>();

/**
 * The provider's `defaultTags.tags`. Provider inputs may arrive as objects or, as the engine stores
 * many provider settings, JSON-encoded strings.
 */
export function providerDefaultTags(providerProps: unknown): TagSource | undefined {
    const defaultTags = readProp(providerProps, "defaultTags");
    if (defaultTags === undefined) {
        return undefined;
    }
    if (typeof defaultTags === "string") {
        // The engine hands every resource its own copy of the provider: parse each distinct string once.
        const cached = parsedDefaultTags.get(defaultTags);
        if (cached !== undefined) {
            return cached === null ? undefined : cached;
        }
        const text = defaultTags;
        let parsed: TagSource | null = null;
        try {
            const f = field(JSON.parse(text), ["tags"], "provider defaultTags");
            parsed = f.value === undefined ? null : { path: f.path, value: f.value };
        } catch {
            parsed = null;
        }
        if (parsedDefaultTags.size > 100) {
            parsedDefaultTags.clear();
        }
        parsedDefaultTags.set(text, parsed);
        return parsed === null ? undefined : parsed;
    }
    const f = field(defaultTags, ["tags"], "provider defaultTags");
    return f.value === undefined ? undefined : { path: f.path, value: f.value };
}

export function tagSource(path: string, value: unknown): TagSource[] {
    return value === undefined ? [] : [{ path, value }];
}

export type Base = Pick<
    TableFacts,
    "urn" | "resourceName" | "resourceType" | "subject" | "stackName" | "tagSources" | "protect" | "region"
>;

/** What every table of one resource shares, read once per resource (a template may hold many tables). */
const shared = new WeakMap<ResourceInput, { provider?: TagSource; region?: string; stackName: string }>();

export function base(r: ResourceInput, tagSources: TagSource[], subject?: string): Base {
    let common = shared.get(r);
    if (!common) {
        const region = readProp(r.providerProps, "region");
        common = {
            provider: providerDefaultTags(r.providerProps),
            region: typeof region === "string" && region !== "" ? region : undefined,
            stackName: stackNameFromUrn(r.urn),
        };
        shared.set(r, common);
    }
    const provider = common.provider;
    return {
        region: common.region,
        urn: r.urn,
        resourceName: r.name,
        resourceType: r.type,
        subject: subject ?? `table \`${r.name}\` (${r.type})`,
        stackName: common.stackName,
        tagSources: provider ? [provider, ...tagSources] : tagSources,
        protect: r.protect,
    };
}

/** Each replica of one global table shares the production-ness of the others. */
export function withSiblings(replicas: TableFacts[]): TableFacts[] {
    if (replicas.length < 2) {
        return replicas;
    }
    return replicas.map((t) => ({
        ...t,
        siblings: replicas
            .filter((o) => o !== t)
            .map((o) => ({ subject: o.subject, tagSources: o.tagSources })),
    }));
}
