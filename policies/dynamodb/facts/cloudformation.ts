/**
 * Parsing CloudFormation template bodies (JSON or YAML) without throwing. YAML short-form intrinsic
 * functions (`!Ref`, `!Sub`, `!GetAtt`, ...) are read as their long form (`{ "Ref": ... }`), as
 * CloudFormation itself does.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { parse, ScalarTag, CollectionTag } from "yaml";
import { UNKNOWN, isRecord } from "../engine/values";

/** The key under which a table of a template is targeted: the stack's URN and the logical ID. */
export function templateTableKey(stackUrn: string, logicalId: string): string {
    return `${stackUrn}#${logicalId}`;
}

/** SAM's one-key table: the SAM transform turns it into an `AWS::DynamoDB::Table` of the same logical ID. */
export const SAM_SIMPLE_TABLE = "AWS::Serverless::SimpleTable";

/** The transform that expands SAM resources (`AWS::Serverless::*`). */
export const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/** The template resource types that declare DynamoDB tables. */
export const TEMPLATE_TABLE_TYPES: ReadonlySet<string> = new Set([
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    SAM_SIMPLE_TABLE,
]);

const INTRINSICS = [
    "Ref",
    "Condition",
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "And",
    "Equals",
    "If",
    "Not",
    "Or",
    "ToJsonString",
    "Length",
];

function longName(name: string): string {
    return name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
}

/** One YAML tag per intrinsic and node kind; `!GetAtt a.b` becomes `{ "Fn::GetAtt": ["a", "b"] }`. */
const customTags: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => {
    const key = longName(name);
    const scalar: ScalarTag = {
        tag: `!${name}`,
        resolve: (value: string) => ({ [key]: name === "GetAtt" ? value.split(".") : value }),
    };
    const seq: CollectionTag = {
        tag: `!${name}`,
        collection: "seq",
        resolve: (value) => ({ [key]: value.toJSON() }),
    } as CollectionTag;
    const map: CollectionTag = {
        tag: `!${name}`,
        collection: "map",
        resolve: (value) => ({ [key]: value.toJSON() }),
    } as CollectionTag;
    return [scalar, seq, map];
});

export type TemplateParse = { ok: true; template: Record<string, unknown> } | { ok: false; reason: string };

/** Parses a template body as JSON, then as YAML; never throws. */
export function parseTemplate(body: unknown): TemplateParse {
    if (typeof body !== "string") {
        return {
            ok: false,
            reason: `it is ${body === undefined ? "unset" : `a ${typeof body}`}, not a string`,
        };
    }
    if (body.trim() === "") {
        return { ok: false, reason: "it is empty" };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    } catch {
        try {
            parsed = parse(body, { customTags, uniqueKeys: false, maxAliasCount: 1000, prettyErrors: false });
        } catch (e) {
            const first = String((e as Error)?.message ?? e).split("\n")[0];
            return { ok: false, reason: `it is neither JSON nor YAML (${first})` };
        }
    }
    if (!isRecord(parsed)) {
        return { ok: false, reason: "it is not a JSON or YAML object" };
    }
    return { ok: true, template: parsed };
}

/** The name of the intrinsic function in `value`, if it is one (`{ "Fn::If": [...] }` → `Fn::If`). */
export function intrinsicName(value: unknown): string | undefined {
    if (!isRecord(value)) {
        return undefined;
    }
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::")) ? keys[0] : undefined;
}

/**
 * Replaces `{ "Ref": "Param" }` with the parameter's value (the stack's `parameters`, else the
 * template's `Default`) and every other intrinsic with `UNKNOWN`, so rules treat them as values that
 * cannot be known offline. Pseudo parameters (`AWS::Region`, ...) and resource refs stay unknown.
 */
export function resolveIntrinsics(
    value: unknown,
    parameters: Record<string, unknown>,
    templateParameters: Record<string, unknown>,
    depth = 0,
): unknown {
    if (depth > 64) {
        return undefined;
    }
    const fn = intrinsicName(value);
    if (fn === "Ref") {
        const name = (value as Record<string, unknown>).Ref;
        if (typeof name === "string" && name in parameters && parameters[name] !== UNKNOWN) {
            return parameters[name];
        }
        const declared = typeof name === "string" ? templateParameters[name] : undefined;
        if (isRecord(declared) && declared.Default !== undefined && !(String(name) in parameters)) {
            return declared.Default;
        }
        return UNKNOWN;
    }
    if (fn) {
        return UNKNOWN;
    }
    if (Array.isArray(value)) {
        return value.map((v) => resolveIntrinsics(v, parameters, templateParameters, depth + 1));
    }
    if (isRecord(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = resolveIntrinsics(v, parameters, templateParameters, depth + 1);
        }
        return out;
    }
    return value;
}

/**
 * The transforms a template's top-level `Transform` names other than SAM's, each as messages show it
 * (a string, or a list of them; anything else is named as unreadable). CloudFormation runs them
 * before deploying, and any of them may add or change resources.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-section-structure.html
 */
export function otherTransforms(transform: unknown): string[] {
    if (transform === undefined || transform === null) {
        return [];
    }
    const list = Array.isArray(transform) ? transform : [transform];
    const out: string[] = [];
    for (const t of list) {
        if (t === SAM_TRANSFORM) {
            continue;
        }
        if (typeof t === "string") {
            out.push(`\`${t}\``);
        } else if (isRecord(t) && typeof t.Name === "string") {
            out.push(`\`${t.Name}\``);
        } else {
            out.push("an entry that cannot be read");
        }
    }
    return out;
}
