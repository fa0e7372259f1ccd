/**
 * `AWS::Backup::BackupSelection` resources inside the template of an `aws.cloudformation.Stack`,
 * read as backup selections like the program's own (after cdk-nag's `DynamoDBInBackupPlan`, which
 * follows the same references). A `Resources` entry may name a table of the same template by
 * `!GetAtt Table.Arn` (`{"Fn::GetAtt": ["Table", "Arn"]}`), by an ARN built with `!Sub` or
 * `Fn::Join` around `${Table}` / `{"Ref": "Table"}` (a table's `Ref` is its name), or by a literal
 * ARN or pattern, which may name a table of another template or of the program. `ListOfTags` and
 * `Conditions` select by tags as in the aws-native form.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-backup-backupselection-backupselectionresourcetype.html
 *
 * What cannot be read offline (`Fn::ImportValue`, a `Ref` to another kind of resource) is recorded
 * as a reason the selection "may" pick a table, never as a pick or a miss.
 */
import { partitionOf } from "../facts/arn";
import { SelectionFacts, selectionOf } from "./backupSelections";
import {
    TEMPLATE_TABLE_TYPES,
    parseTemplate,
    resolveIntrinsics,
    templateTableKey,
} from "../facts/cloudformation";
import { TYPES } from "../engine/tableFacts";
import { UNKNOWN, isRecord } from "../engine/values";

interface Context {
    readonly tables: ReadonlySet<string>;
    readonly parameters: Record<string, unknown>;
    readonly templateParameters: Record<string, unknown>;
    /** The CloudFormation stack's Region (its provider's), when known. */
    readonly region?: string;
}

/** A table named inside an ARN being built; replaced by the table's key once the ARN is whole. */
const TABLE_MARK = "<table>"; // never part of a table name ([A-Za-z0-9_.-]+)

type Built = { text: string; table?: string } | { unknown: string };

/** The value of `Ref name`: a pseudo parameter, a parameter, or a table of the template. */
function ref(name: unknown, ctx: Context): Built {
    if (typeof name !== "string") {
        return { unknown: "a `Ref` without a name" };
    }
    if (name === "AWS::Region") {
        return ctx.region
            ? { text: ctx.region }
            : { unknown: "`AWS::Region` (the stack's Region is unknown)" };
    }
    if (name === "AWS::Partition") {
        return ctx.region
            ? { text: partitionOf(ctx.region) }
            : { unknown: "`AWS::Partition` (the stack's Region is unknown)" };
    }
    if (name === "AWS::AccountId") {
        // The template's own account; any account the pattern could name, at worst.
        return { text: "*" };
    }
    if (ctx.tables.has(name)) {
        return { text: TABLE_MARK, table: name };
    }
    if (name in ctx.parameters || name in ctx.templateParameters) {
        const v = resolveIntrinsics({ Ref: name }, ctx.parameters, ctx.templateParameters);
        return typeof v === "string"
            ? { text: v }
            : { unknown: `parameter \`${name}\`, whose value is unknown` };
    }
    return { unknown: `\`Ref ${name}\`, which is not a table or a parameter of the template` };
}

function join(parts: Built[]): Built {
    let text = "";
    let table: string | undefined;
    for (const p of parts) {
        if ("unknown" in p) return p;
        if (p.table) {
            if (table && table !== p.table) return { unknown: "an ARN built from two tables" };
            table = p.table;
        }
        text += p.text;
    }
    return { text, table };
}

/** Evaluates what a `Resources` entry can be offline. */
function build(value: unknown, ctx: Context, depth = 0): Built {
    if (depth > 16) return { unknown: "an expression nested too deeply" };
    if (typeof value === "string") return { text: value };
    if (!isRecord(value)) return { unknown: "a value that is not a string" };
    const keys = Object.keys(value);
    const fn = keys.length === 1 ? keys[0] : "";
    const arg = value[fn];
    switch (fn) {
        case "Ref":
            return ref(arg, ctx);
        case "Fn::GetAtt": {
            const [id, attr] = Array.isArray(arg) ? arg : typeof arg === "string" ? arg.split(".") : [];
            if (typeof id === "string" && ctx.tables.has(id) && attr === "Arn") {
                return { text: TABLE_MARK, table: id };
            }
            return { unknown: `\`Fn::GetAtt ${String(id)}.${String(attr)}\`, which is not a table's ARN` };
        }
        case "Fn::Sub": {
            const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
            if (typeof text !== "string") return { unknown: "an `Fn::Sub` without a string" };
            const parts: Built[] = [];
            let at = 0;
            for (const m of text.matchAll(/\$\{([^}!]+)\}/g)) {
                parts.push({ text: text.slice(at, m.index) });
                const name = m[1].trim();
                const local = isRecord(vars) ? vars[name] : undefined;
                if (local !== undefined) {
                    parts.push(build(local, ctx, depth + 1));
                } else if (name.endsWith(".Arn")) {
                    parts.push(build({ "Fn::GetAtt": name.split(".") }, ctx, depth + 1));
                } else {
                    parts.push(ref(name, ctx));
                }
                at = (m.index ?? 0) + m[0].length;
            }
            parts.push({ text: text.slice(at) });
            return join(parts);
        }
        case "Fn::Join": {
            const [sep, list] = Array.isArray(arg) ? arg : [];
            if (typeof sep !== "string" || !Array.isArray(list))
                return { unknown: "an `Fn::Join` that cannot be read" };
            const parts: Built[] = [];
            list.forEach((v, i) => {
                if (i > 0) parts.push({ text: sep });
                parts.push(build(v, ctx, depth + 1));
            });
            return join(parts);
        }
        default:
            return { unknown: `\`${fn || "an object"}\`, which cannot be evaluated offline` };
    }
}

/** The table a built ARN names, when it is exactly that table's ARN (or its `GetAtt`). */
function namedTable(b: { text: string; table?: string }): string | undefined {
    if (!b.table) return undefined;
    return b.text === TABLE_MARK || /^arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/<table>$/.test(b.text)
        ? b.table
        : undefined;
}

/** Tag entries and conditions with CloudFormation's names, as aws-native names them (camelCase). */
function camel(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(camel);
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        out[k.charAt(0).toLowerCase() + k.slice(1)] = camel(v);
    }
    return out;
}

/** The backup selections of a template; none when the body cannot be read (`tables.ts` reports that). */
export function templateSelections(
    stackName: string,
    stackUrn: string,
    body: unknown,
    parameters: unknown,
    region?: string,
): SelectionFacts[] {
    if (typeof body !== "string" || !body.includes("AWS::Backup::BackupSelection")) {
        return [];
    }
    const parsed = parseTemplate(body);
    if (!parsed.ok) {
        return [];
    }
    const template = parsed.template;
    const resources = isRecord(template.Resources) ? template.Resources : {};
    const tables = new Set(
        Object.entries(resources)
            .filter(([, r]) => isRecord(r) && typeof r.Type === "string" && TEMPLATE_TABLE_TYPES.has(r.Type))
            .map(([id]) => id),
    );
    const ctx: Context = {
        tables,
        parameters: isRecord(parameters) ? parameters : {},
        templateParameters: isRecord(template.Parameters) ? template.Parameters : {},
        region,
    };
    const out: SelectionFacts[] = [];
    for (const [logicalId, raw] of Object.entries(resources)) {
        if (!isRecord(raw) || raw.Type !== "AWS::Backup::BackupSelection") {
            continue;
        }
        const sel = templateSelection(stackName, stackUrn, logicalId, raw, ctx);
        if (sel) {
            out.push(sel);
        }
    }
    return out;
}

/** One `AWS::Backup::BackupSelection` of a template, or undefined when it selects nothing readable. */
function templateSelection(
    stackName: string,
    stackUrn: string,
    logicalId: string,
    raw: Record<string, unknown>,
    ctx: Context,
): SelectionFacts | undefined {
    const at = `templateBody: Resources.${logicalId}.Properties.BackupSelection`;
    const name = `AWS::Backup::BackupSelection \`${logicalId}\` in CloudFormation stack \`${stackName}\``;
    const spec = isRecord(raw.Properties) ? raw.Properties.BackupSelection : undefined;
    if (!isRecord(spec)) {
        return undefined;
    }
    const { targets, patterns, picking } = selectedResources(spec.Resources, at, stackUrn, ctx);
    const notResources = (Array.isArray(spec.NotResources) ? spec.NotResources : []).map((entry) => {
        const b = build(entry, ctx);
        return "unknown" in b || b.table ? UNKNOWN : b.text;
    });
    const rest = resolveIntrinsics(
        { ListOfTags: spec.ListOfTags, Conditions: spec.Conditions },
        ctx.parameters,
        ctx.templateParameters,
    );
    const sel = selectionOf(
        TYPES.nativeBackupSelection,
        name,
        {
            backupSelection: {
                resources: patterns,
                notResources,
                ...(camel(rest) as Record<string, unknown>),
            },
        },
        {},
        [],
    );
    if (!sel) {
        return undefined;
    }
    return {
        ...sel,
        targetUrns: targets,
        unknown: {
            picking: [
                ...picking,
                ...sel.unknown.picking.map((w) => w.replace("`backupSelection.", `\`${at}.`)),
            ],
            limiting: sel.unknown.limiting.map((w) => w.replace("`backupSelection.", `\`${at}.`)),
        },
    };
}

/**
 * A selection's `Resources`: the template's own tables it names (by key), the ARN patterns it
 * matches, and why an entry cannot be read.
 */
function selectedResources(
    resources: unknown,
    at: string,
    stackUrn: string,
    ctx: Context,
): { targets: string[]; patterns: unknown[]; picking: string[] } {
    const targets: string[] = [];
    const patterns: unknown[] = [];
    const picking: string[] = [];
    const entries = Array.isArray(resources) ? resources : [];
    entries.forEach((entry, i) => {
        const b = build(entry, ctx);
        if ("unknown" in b) {
            picking.push(`\`${at}.Resources[${i}]\` is ${b.unknown}`);
            return;
        }
        const table = namedTable(b);
        if (table) {
            targets.push(templateTableKey(stackUrn, table));
        } else if (b.table) {
            picking.push(
                `\`${at}.Resources[${i}]\` builds an ARN around table \`${b.table}\` that is not the table's own`,
            );
        } else {
            patterns.push(b.text);
        }
    });
    return { targets, patterns, picking };
}
