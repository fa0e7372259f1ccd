/**
 * Policy configuration (`--policy-config`, as `pulumi preview --policy-pack-config`), read the way the
 * engine reads it (pulumi/pulumi `pkg/resource/analyzer/config.go`):
 *
 * 1. parse: each entry is an enforcement level (`"advisory"`) or an object whose `enforcementLevel`
 *    (optional) is a level and whose other keys are the policy's settings; anything else, or a level
 *    that is not `advisory`, `mandatory`, `remediate` or `disabled`, is an error;
 * 2. start from every policy's declared level and its schema's `default`s;
 * 3. apply `all` (its level goes to every policy), then each policy's entry (its level, then its
 *    settings over the defaults);
 * 4. validate each policy's settings against its `configSchema`.
 *
 * Stricter than the engine in one way, because a gate must not pass on a typo: a name that matches no
 * policy of the pack, or a setting no policy declares, is an error naming the closest match.
 *
 * Every entry point (`check` of a program, `check --state`, ...) uses {@link resolvePolicyConfig}.
 */
import * as fs from "fs";
import { closest, excerpt } from "../core/text";
import type { AnalyzerInfo, EnforcementLevel, PolicyConfig } from "./types";

/** A policy configuration problem: one line, exit code 2. */
export class PolicyConfigError extends Error {}

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
    "advisory",
    "mandatory",
    "remediate",
    "disabled",
];

/** A configuration as given: policy name (or `all`) to a level or an object of level and settings. */
export type RawPolicyConfig = Record<string, unknown>;

/** Every policy's effective configuration: its level and every setting (defaults filled in). */
export type EffectivePolicyConfig = Record<string, PolicyConfig & { enforcementLevel: EnforcementLevel }>;

/** Reads a `--policy-config` file: a JSON object (an empty file is no configuration, as for the engine). */
export function readPolicyConfigFile(file: string): RawPolicyConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new PolicyConfigError(
            `--policy-config ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a JSON file" : (e as Error).message}`,
        );
    }
    if (text.trim() === "") return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(
            `--policy-config ${file} is not JSON (${(e as Error).message}); it starts ${excerpt(text)}`,
        );
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new PolicyConfigError(
            `--policy-config ${file} must be a JSON object of policy names to settings, not ${excerpt(text)}`,
        );
    }
    return parsed as RawPolicyConfig;
}

function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

const LEVELS_TEXT = ENFORCEMENT_LEVELS.map((l) => `"${l}"`).join(", ");

/** One entry as the engine parses it: its level (if given) and its settings. */
function parseEntry(
    source: string,
    name: string,
    value: unknown,
): { level?: EnforcementLevel; settings: Record<string, unknown> } {
    if (typeof value === "string") {
        if (!isLevel(value))
            throw new PolicyConfigError(
                `${source}: "${name}" is ${JSON.stringify(value)}, not an enforcement level; use one of ${LEVELS_TEXT}${suggest(value, ENFORCEMENT_LEVELS)}`,
            );
        return { level: value, settings: {} };
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
        const { enforcementLevel, ...settings } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined && !isLevel(enforcementLevel))
            throw new PolicyConfigError(
                `${source}: "${name}".enforcementLevel is ${JSON.stringify(enforcementLevel)}, not an enforcement level; use one of ${LEVELS_TEXT}${typeof enforcementLevel === "string" ? suggest(enforcementLevel, ENFORCEMENT_LEVELS) : ""}`,
            );
        return { level: enforcementLevel as EnforcementLevel | undefined, settings };
    }
    throw new PolicyConfigError(
        `${source}: "${name}" is ${JSON.stringify(value)}; it must be an enforcement level (${LEVELS_TEXT}) or an object of "enforcementLevel" and settings`,
    );
}

function suggest(given: string, names: readonly string[]): string {
    const near = closest(given, names);
    return near ? ` (did you mean "${near}"?)` : "";
}

/**
 * The configuration every policy of the pack runs with, from what the user gave (`source` names where
 * it came from, for messages). Throws a {@link PolicyConfigError} naming the policy, the setting and
 * what is allowed.
 */
export function resolvePolicyConfig(
    info: Pick<AnalyzerInfo, "name" | "policies"> & Partial<Pick<AnalyzerInfo, "initialConfig">>,
    given: RawPolicyConfig | undefined,
    source = "--policy-config",
): EffectivePolicyConfig {
    const result: EffectivePolicyConfig = {};
    for (const policy of info.policies) {
        const defaults: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            const d = (schema as { default?: unknown })?.default;
            if (d !== undefined) defaults[key] = structuredClone(d);
        }
        result[policy.name] = { ...defaults, enforcementLevel: policy.enforcementLevel };
    }
    const apply = (config: RawPolicyConfig, from: string) => {
        const entries = Object.entries(config).filter(([name]) => name !== "environments");
        const names = info.policies.map((p) => p.name);
        for (const [name] of entries) {
            if (name !== "all" && !result[name])
                throw new PolicyConfigError(
                    `${from}: "${name}" is not a policy of ${info.name}${suggest(name, names)}; its policies: ${names.join(", ")}`,
                );
        }
        const parsed = entries.map(([name, value]) => [name, parseEntry(from, name, value)] as const);
        for (const [name, entry] of parsed) {
            if (name !== "all") continue;
            if (Object.keys(entry.settings).length > 0)
                throw new PolicyConfigError(
                    `${from}: "all" sets only an enforcement level; put ${Object.keys(entry.settings)
                        .map((s) => `"${s}"`)
                        .join(", ")} under each policy that has it`,
                );
            if (entry.level) for (const c of Object.values(result)) c.enforcementLevel = entry.level;
        }
        for (const [name, entry] of parsed) {
            if (name === "all") continue;
            if (entry.level) result[name].enforcementLevel = entry.level;
            Object.assign(result[name], entry.settings);
        }
    };
    if (info.initialConfig)
        apply(info.initialConfig as RawPolicyConfig, `${info.name}'s initial configuration`);
    if (given) apply(given, source);

    for (const policy of info.policies) {
        const { enforcementLevel, ...settings } = result[policy.name];
        void enforcementLevel;
        const properties = (policy.configSchema?.properties ?? {}) as Record<string, JsonSchema>;
        const known = Object.keys(properties);
        for (const [key, value] of Object.entries(settings)) {
            const schema = properties[key];
            if (!schema) {
                throw new PolicyConfigError(
                    `${source}: "${policy.name}" has no setting "${key}"${suggest(key, known)}; its settings: ${known.join(", ") || "none"}`,
                );
            }
            const problem = validate(value, schema);
            if (problem)
                throw new PolicyConfigError(
                    `${source}: "${policy.name}".${key} is ${JSON.stringify(value)}; ${problem}`,
                );
        }
        for (const key of policy.configSchema?.required ?? []) {
            if (!(key in settings))
                throw new PolicyConfigError(`${source}: "${policy.name}" needs the setting "${key}"`);
        }
    }
    return result;
}

/** The JSON schema keywords a policy's `configSchema` uses (JSON Schema draft 7). */
interface JsonSchema {
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    items?: JsonSchema;
    minItems?: number;
    maxItems?: number;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: boolean | JsonSchema;
}

function typeOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value;
}

/** What is wrong with `value` under `schema` ("it must be ..."), or undefined when it is valid. */
export function validate(value: unknown, schema: JsonSchema, at = ""): string | undefined {
    const where = at ? ` (at ${at})` : "";
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        const actual = typeOf(value);
        const fits = types.some(
            (t) =>
                t === actual ||
                (t === "integer" && Number.isInteger(value)) ||
                (t === "number" && actual === "number"),
        );
        if (!fits) {
            const want = types.map((t) =>
                t === "array" && schema.items?.type ? `array of ${schema.items.type}s` : t,
            );
            return `it must be ${want.map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(" or ")}, not ${actual === "array" ? "an array" : `a ${actual}`}${where}`;
        }
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
        return `it must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}${where}`;
    if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value))
        return `it must be ${JSON.stringify(schema.const)}${where}`;
    if (typeof value === "number") {
        const range = `from ${schema.minimum ?? "any"} to ${schema.maximum ?? "any"}`;
        if (schema.minimum !== undefined && value < schema.minimum) return `it must be ${range}${where}`;
        if (schema.maximum !== undefined && value > schema.maximum) return `it must be ${range}${where}`;
        if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
            return `it must be more than ${schema.exclusiveMinimum}${where}`;
        if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
            return `it must be less than ${schema.exclusiveMaximum}${where}`;
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength)
            return `it must be at least ${schema.minLength} characters${where}`;
        if (schema.maxLength !== undefined && value.length > schema.maxLength)
            return `it must be at most ${schema.maxLength} characters${where}`;
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
            return `it must match ${schema.pattern}${where}`;
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems)
            return `it must have at least ${schema.minItems} items${where}`;
        if (schema.maxItems !== undefined && value.length > schema.maxItems)
            return `it must have at most ${schema.maxItems} items${where}`;
        if (schema.items) {
            for (let i = 0; i < value.length; i++) {
                const problem = validate(value[i], schema.items, `${at}[${i}]`);
                if (problem) return problem;
            }
        }
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
        const object = value as Record<string, unknown>;
        for (const key of schema.required ?? [])
            if (!(key in object)) return `it needs the key "${key}"${where}`;
        for (const [key, v] of Object.entries(object)) {
            const sub = schema.properties?.[key];
            if (sub) {
                const problem = validate(v, sub, `${at}.${key}`);
                if (problem) return problem;
            } else if (schema.additionalProperties === false) {
                return `it has no key "${key}"${where}`;
            } else if (typeof schema.additionalProperties === "object") {
                const problem = validate(v, schema.additionalProperties, `${at}.${key}`);
                if (problem) return problem;
            }
        }
    }
    return undefined;
}
