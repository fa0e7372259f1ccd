/**
 * The DynamoDB tables of a CloudFormation template deployed by `aws.cloudformation.Stack`:
 * `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable` (one fact per replica) and SAM's
 * `AWS::Serverless::SimpleTable`, which the `AWS::Serverless-2016-10-31` transform turns into an
 * `AWS::DynamoDB::Table` of the same logical ID: its `Tags` map becomes the table's tags and its
 * `SSESpecification` and `PointInTimeRecoverySpecification` are passed through as they are.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html
 *
 * Any other `Transform` (a macro, `AWS::LanguageExtensions`, `AWS::Include`, ...) rewrites the template
 * when CloudFormation processes it and may add or change tables, which cannot be done offline: the
 * stack is then reported as "cannot verify", besides the tables written in the template. So is a
 * `Fn::Transform` at the top of `Resources` (an `AWS::Include` snippet may hold tables).
 * Never throws, whatever the body holds.
 */
import { TableFacts, TagSource } from "../engine/tableFacts";
import {
    SAM_SIMPLE_TABLE,
    TEMPLATE_TABLE_TYPES,
    otherTransforms,
    parseTemplate,
    resolveIntrinsics,
    templateTableKey,
} from "./cloudformation";
import { ResourceInput, base, pick, tagSource, withSiblings } from "./resourceBase";
import { Field, UNKNOWN, field, isRecord } from "../engine/values";

const CFN_WHY =
    "it is computed by a CloudFormation intrinsic function or parameter, which cannot be evaluated offline";

/** Marks fields made unknown by template intrinsics, so messages give the right reason. */
function cfnField(root: unknown, segments: (string | number)[], prefix: string): Field {
    const f = field(root, segments, prefix);
    return f.value === UNKNOWN ? { ...f, why: CFN_WHY } : f;
}

/** The tables of an `aws.cloudformation.Stack`, read from its `templateBody`. */
export function cloudFormationStack(r: ResourceInput): TableFacts[] {
    const p = pick(r.props, ["tags", "templateBody", "templateUrl", "parameters"]);
    const stackTags = tagSource("tags", p.tags);
    const stackLabel = `CloudFormation stack \`${r.name}\` (${r.type})`;
    const body = p.templateBody;
    if (body === undefined && p.templateUrl !== undefined) {
        return [
            {
                ...base(r, stackTags, stackLabel),
                cannotVerify:
                    "its template is given by `templateUrl`, which cannot be read offline; inline it with " +
                    "`templateBody` so its DynamoDB tables can be checked",
            },
        ];
    }
    if (body === UNKNOWN) {
        // The tables inside (and their tags) cannot be seen, so this is unverifiable whatever the stack's tags.
        return [
            {
                ...base(r, stackTags, stackLabel),
                cannotVerify:
                    "its `templateBody` is unknown during preview, so its DynamoDB tables cannot be checked",
            },
        ];
    }
    if (body === undefined) {
        return [];
    }
    const parsed = parseTemplate(body);
    if (!parsed.ok) {
        return [
            {
                ...base(r, stackTags, stackLabel),
                cannotVerify: `its \`templateBody\` cannot be read: ${parsed.reason}`,
            },
        ];
    }
    const template = parsed.template;
    const resources = isRecord(template.Resources) ? template.Resources : {};
    const parameters = isRecord(p.parameters) ? p.parameters : {};
    const templateParameters = isRecord(template.Parameters) ? template.Parameters : {};
    const out: TableFacts[] = macroFacts(
        r,
        stackTags,
        stackLabel,
        template.Transform,
        resources["Fn::Transform"],
    );
    for (const [logicalId, raw] of Object.entries(resources)) {
        if (!isRecord(raw) || typeof raw.Type !== "string" || !TEMPLATE_TABLE_TYPES.has(raw.Type)) {
            continue;
        }
        const resolved = resolveIntrinsics(raw.Properties, parameters, templateParameters);
        const t: TemplateTable = {
            r,
            stackTags,
            logicalId,
            rp: isRecord(resolved) ? resolved : {},
            at: `templateBody: Resources.${logicalId}.Properties`,
            where: `in CloudFormation stack \`${r.name}\` (${r.type})`,
        };
        if (raw.Type === "AWS::DynamoDB::Table") {
            out.push(cfnTable(t));
        } else if (raw.Type === SAM_SIMPLE_TABLE) {
            out.push(samSimpleTable(t));
        } else {
            out.push(...cfnGlobalTable(t));
        }
    }
    return out;
}

/**
 * A template whose `Transform` names anything but SAM's: one fact that says its tables cannot all be
 * seen offline (the tables written in it are still read as written).
 */
function macroFacts(
    r: ResourceInput,
    stackTags: TagSource[],
    stackLabel: string,
    transform: unknown,
    inResources: unknown,
): TableFacts[] {
    const top = otherTransforms(transform);
    const inline = inResources === undefined ? [] : otherTransforms(inResources);
    if (top.length === 0 && inline.length === 0) {
        return [];
    }
    const named = [
        ...(top.length > 0 ? [`\`templateBody: Transform\` names ${top.join(", ")}`] : []),
        ...(inline.length > 0
            ? [`\`templateBody: Resources.Fn::Transform\` names ${inline.join(", ")}`]
            : []),
    ];
    return [
        {
            ...base(r, stackTags, stackLabel),
            cannotVerify:
                `its template's ${named.join(" and ")}, which CloudFormation ` +
                "runs when it deploys the template and which may add or change DynamoDB tables; that cannot be " +
                "done offline, so expand the template (deploy the processed template, or declare the tables " +
                "as Pulumi resources) for its tables to be checked",
        },
    ];
}

/** How a SimpleTable gets PITR: SAM passes the property through to the table it generates. */
const SIMPLE_TABLE_PITR_FIX =
    "set it to true (SAM passes `PointInTimeRecoverySpecification` through to the `AWS::DynamoDB::Table` " +
    "it generates), or declare an `AWS::DynamoDB::Table` with " +
    "`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true` instead";

/** A SimpleTable has no deletion protection property (SAM rejects properties it does not define). */
const SIMPLE_TABLE_DELETION_FIX =
    "an `AWS::Serverless::SimpleTable` cannot set it (SAM rejects the property), so declare an " +
    "`AWS::DynamoDB::Table` with `DeletionProtectionEnabled: true` instead";

/**
 * The facts of SAM's `AWS::Serverless::SimpleTable`: its `Tags` map, `SSESpecification` and
 * `PointInTimeRecoverySpecification` become the generated `AWS::DynamoDB::Table`'s own; it has no
 * `DeletionProtectionEnabled`, so deletion protection is off.
 */
function samSimpleTable({ r, stackTags, logicalId, rp, at, where }: TemplateTable): TableFacts {
    return {
        ...base(
            r,
            [...stackTags, ...tagSource(`${at}.Tags`, rp.Tags)],
            `SAM table \`${logicalId}\` (${SAM_SIMPLE_TABLE}) ${where}`,
        ),
        templateKey: templateTableKey(r.urn, logicalId),
        pitrEnabled: cfnField(rp, ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"], at),
        recoveryPeriodInDays: cfnField(rp, ["PointInTimeRecoverySpecification", "RecoveryPeriodInDays"], at),
        deletionProtectionEnabled: { path: `${at}.DeletionProtectionEnabled`, value: undefined },
        fixes: { pitr: SIMPLE_TABLE_PITR_FIX, deletionProtection: SIMPLE_TABLE_DELETION_FIX },
        encryption: {
            enabled: cfnField(rp, ["SSESpecification", "SSEEnabled"], at),
            type: cfnField(rp, ["SSESpecification", "SSEType"], at),
            kmsKey: cfnField(rp, ["SSESpecification", "KMSMasterKeyId"], at),
        },
        tableName: cfnField(rp, ["TableName"], at),
    };
}

/** One table resource of a CloudFormation stack's template, its intrinsics resolved. */
interface TemplateTable {
    readonly r: ResourceInput;
    readonly stackTags: TagSource[];
    readonly logicalId: string;
    /** Its resolved `Properties`. */
    readonly rp: Record<string, unknown>;
    /** The path of its `Properties`, for messages. */
    readonly at: string;
    /** "in CloudFormation stack ...", for its subject. */
    readonly where: string;
}

/** The facts of an `AWS::DynamoDB::Table`. */
function cfnTable({ r, stackTags, logicalId, rp, at, where }: TemplateTable): TableFacts {
    return {
        ...base(r, [...stackTags, ...tagSource(`${at}.Tags`, rp.Tags)], `table \`${logicalId}\` ${where}`),
        templateKey: templateTableKey(r.urn, logicalId),
        pitrEnabled: cfnField(rp, ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"], at),
        recoveryPeriodInDays: cfnField(rp, ["PointInTimeRecoverySpecification", "RecoveryPeriodInDays"], at),
        deletionProtectionEnabled: cfnField(rp, ["DeletionProtectionEnabled"], at),
        encryption: {
            enabled: cfnField(rp, ["SSESpecification", "SSEEnabled"], at),
            type: cfnField(rp, ["SSESpecification", "SSEType"], at),
            kmsKey: cfnField(rp, ["SSESpecification", "KMSMasterKeyId"], at),
        },
        tableName: cfnField(rp, ["TableName"], at),
    };
}

/** The facts of an `AWS::DynamoDB::GlobalTable`: one per replica, or one when its replicas cannot be read. */
function cfnGlobalTable(t: TemplateTable): TableFacts[] {
    const { r, stackTags, logicalId, rp, at, where } = t;
    const replicas = rp.Replicas;
    if (!Array.isArray(replicas)) {
        return [
            {
                ...base(r, stackTags, `global table \`${logicalId}\` ${where}`),
                templateKey: templateTableKey(r.urn, logicalId),
                pitrEnabled: {
                    path: `${at}.Replicas`,
                    value: replicas === UNKNOWN ? UNKNOWN : undefined,
                    why: replicas === UNKNOWN ? CFN_WHY : undefined,
                },
            },
        ];
    }
    return withSiblings(replicas.map((replica, i) => cfnReplica(t, replica, i)));
}

/** The facts of replica `i` of an `AWS::DynamoDB::GlobalTable`. */
function cfnReplica(
    { r, stackTags, logicalId, rp, at, where }: TemplateTable,
    replica: unknown,
    i: number,
): TableFacts {
    const region = isRecord(replica) && typeof replica.Region === "string" ? replica.Region : `#${i}`;
    const rat = `${at}.Replicas[${i}]`;
    return {
        ...base(
            r,
            [...stackTags, ...tagSource(`${rat}.Tags`, isRecord(replica) ? replica.Tags : undefined)],
            `replica \`${region}\` of global table \`${logicalId}\` ${where}`,
        ),
        region: region.startsWith("#") ? undefined : region,
        replicaIndex: i,
        templateKey: templateTableKey(r.urn, logicalId),
        pitrEnabled: cfnField(
            replica,
            ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"],
            rat,
        ),
        recoveryPeriodInDays: cfnField(
            replica,
            ["PointInTimeRecoverySpecification", "RecoveryPeriodInDays"],
            rat,
        ),
        deletionProtectionEnabled: cfnField(replica, ["DeletionProtectionEnabled"], rat),
        encryption: {
            enabled: cfnField(rp, ["SSESpecification", "SSEEnabled"], at),
            type: cfnField(rp, ["SSESpecification", "SSEType"], at),
            kmsKey: cfnField(replica, ["SSESpecification", "KMSMasterKeyId"], rat),
        },
        tableName: cfnField(rp, ["TableName"], at),
    };
}
