/**
 * Normalises every form in which a Pulumi program can declare a DynamoDB table into `TableFacts`:
 * `aws.dynamodb.Table` (and each of its `replicas`), `aws.dynamodb.TableReplica`, aws-native
 * `dynamodb.Table` and `dynamodb.GlobalTable` (one fact per replica), and the `AWS::DynamoDB::Table`
 * / `AWS::DynamoDB::GlobalTable` resources of a CloudFormation template deployed by
 * `aws.cloudformation.Stack`. Property names come from the providers' `.d.ts` files and the
 * CloudFormation resource reference. Never throws, whatever the properties hold.
 */
import { TYPES, TableFacts, TagSource } from "../engine/tableFacts";
import { TEMPLATE_TABLE_TYPES, parseTemplate, resolveIntrinsics, templateTableKey } from "./cloudformation";
import { Field, UNKNOWN, asBoolean, field, isRecord, readProp } from "../engine/values";

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

function tagSource(path: string, value: unknown): TagSource[] {
    return value === undefined ? [] : [{ path, value }];
}

/**
 * Only the properties a form's facts need, read through CrossGuard's proxy: a table's schema,
 * indexes and the like are never copied.
 */
function pick(props: unknown, keys: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
        const v = readProp(props, key);
        if (v !== undefined) {
            out[key] = v;
        }
    }
    return out;
}

/** Tables declared by one resource; empty when it declares none. */
export function tablesOf(resource: ResourceInput): TableFacts[] {
    try {
        switch (resource.type) {
            case TYPES.table:
                return awsTable(resource);
            case TYPES.tableReplica:
                return awsTableReplica(resource);
            case TYPES.nativeTable:
                return nativeTable(resource);
            case TYPES.nativeGlobalTable:
                return nativeGlobalTable(resource);
            case TYPES.cloudFormationStack:
                return cloudFormationStack(resource);
            default:
                return [];
        }
    } catch (e) {
        // A bug here must not crash the pack; report the resource as unverifiable instead.
        return [{ ...base(resource, []), cannotVerify: `its properties could not be read (${String(e)})` }];
    }
}

type Base = Pick<
    TableFacts,
    "urn" | "resourceName" | "resourceType" | "subject" | "stackName" | "tagSources" | "protect" | "region"
>;

/** What every table of one resource shares, read once per resource (a template may hold many tables). */
const shared = new WeakMap<ResourceInput, { provider?: TagSource; region?: string; stackName: string }>();

function base(r: ResourceInput, tagSources: TagSource[], subject?: string): Base {
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

/** `tagsAll` includes the provider's default tags; use it only when known (it is unknown at preview). */
function awsTags(props: unknown): TagSource[] {
    const tagsAll = readProp(props, "tagsAll");
    return [
        ...tagSource("tags", readProp(props, "tags")),
        ...(isRecord(tagsAll) ? tagSource("tagsAll", tagsAll) : []),
    ];
}

function awsTable(r: ResourceInput): TableFacts[] {
    const p = pick(r.props, [
        "pointInTimeRecovery",
        "deletionProtectionEnabled",
        "serverSideEncryption",
        "restoreDateTime",
        "restoreToLatestTime",
        "arn",
        "name",
        "replicas",
        "tags",
        "tagsAll",
    ]);
    const tags = awsTags(p);
    const table: TableFacts = {
        ...base(r, tags),
        pitrEnabled: field(p, ["pointInTimeRecovery", "enabled"]),
        recoveryPeriodInDays: field(p, ["pointInTimeRecovery", "recoveryPeriodInDays"]),
        pitrRemediation: "table",
        deletionProtectionEnabled: field(p, ["deletionProtectionEnabled"]),
        encryption: {
            enabled: field(p, ["serverSideEncryption", "enabled"]),
            kmsKey: field(p, ["serverSideEncryption", "kmsKeyArn"]),
        },
        restore: { dateTime: field(p, ["restoreDateTime"]), toLatestTime: field(p, ["restoreToLatestTime"]) },
        arn: field(p, ["arn"]),
        tableName: field(p, ["name"]),
    };
    const out: TableFacts[] = [table];
    const replicas = p.replicas;
    if (replicas === UNKNOWN) {
        out.push({
            ...base(r, tags, `replicas of table \`${r.name}\` (${r.type})`),
            pitrEnabled: { path: "replicas", value: UNKNOWN },
        });
    } else if (Array.isArray(replicas)) {
        replicas.forEach((replica, i) => {
            const region =
                isRecord(replica) && typeof replica.regionName === "string" ? replica.regionName : `#${i}`;
            out.push({
                ...base(r, tags, `replica \`${region}\` of table \`${r.name}\` (${r.type})`),
                region: region.startsWith("#") ? undefined : region,
                replicaIndex: i + 1,
                pitrEnabled: field(replica, ["pointInTimeRecovery"], `replicas[${i}]`),
                deletionProtectionEnabled: field(replica, ["deletionProtectionEnabled"], `replicas[${i}]`),
                // The table's own fact reports SSE being off; a replica adds only its own key.
                encryption:
                    asBoolean(field(p, ["serverSideEncryption", "enabled"]).value) === true
                        ? { kmsKey: field(replica, ["kmsKeyArn"], `replicas[${i}]`) }
                        : undefined,
            });
        });
    }
    return out;
}

function awsTableReplica(r: ResourceInput): TableFacts[] {
    const p = pick(r.props, [
        "pointInTimeRecovery",
        "deletionProtectionEnabled",
        "kmsKeyArn",
        "arn",
        "tags",
        "tagsAll",
    ]);
    return [
        {
            ...base(r, awsTags(p)),
            pitrEnabled: field(p, ["pointInTimeRecovery"]),
            pitrRemediation: "tableReplica",
            deletionProtectionEnabled: field(p, ["deletionProtectionEnabled"]),
            encryption: { kmsKey: field(p, ["kmsKeyArn"]) },
            arn: field(p, ["arn"]),
        },
    ];
}

function nativeTable(r: ResourceInput): TableFacts[] {
    const p = pick(r.props, [
        "pointInTimeRecoverySpecification",
        "deletionProtectionEnabled",
        "sseSpecification",
        "arn",
        "tableName",
        "tags",
    ]);
    return [
        {
            ...base(r, tagSource("tags", p.tags)),
            pitrEnabled: field(p, ["pointInTimeRecoverySpecification", "pointInTimeRecoveryEnabled"]),
            recoveryPeriodInDays: field(p, ["pointInTimeRecoverySpecification", "recoveryPeriodInDays"]),
            pitrRemediation: "nativeTable",
            deletionProtectionEnabled: field(p, ["deletionProtectionEnabled"]),
            encryption: {
                enabled: field(p, ["sseSpecification", "sseEnabled"]),
                type: field(p, ["sseSpecification", "sseType"]),
                kmsKey: field(p, ["sseSpecification", "kmsMasterKeyId"]),
            },
            arn: field(p, ["arn"]),
            tableName: field(p, ["tableName"]),
        },
    ];
}

/**
 * aws-native GlobalTable: PITR, deletion protection, KMS key and tags are per replica
 * (`GlobalTableReplicaSpecification`); the schema has no table-wide PITR default.
 */
function nativeGlobalTable(r: ResourceInput): TableFacts[] {
    const p = pick(r.props, ["replicas", "sseSpecification", "tableName"]);
    const replicas = p.replicas;
    if (!Array.isArray(replicas)) {
        return [
            {
                ...base(r, [], `replicas of global table \`${r.name}\` (${r.type})`),
                pitrEnabled: { path: "replicas", value: replicas === UNKNOWN ? UNKNOWN : undefined },
            },
        ];
    }
    const facts = replicas.map((replica, i): TableFacts => {
        const region = isRecord(replica) && typeof replica.region === "string" ? replica.region : `#${i}`;
        const at = `replicas[${i}]`;
        return {
            ...base(
                r,
                tagSource(`${at}.tags`, isRecord(replica) ? replica.tags : undefined),
                `replica \`${region}\` of global table \`${r.name}\` (${r.type})`,
            ),
            region: region.startsWith("#") ? undefined : region,
            replicaIndex: i,
            pitrEnabled: field(
                replica,
                ["pointInTimeRecoverySpecification", "pointInTimeRecoveryEnabled"],
                at,
            ),
            recoveryPeriodInDays: field(
                replica,
                ["pointInTimeRecoverySpecification", "recoveryPeriodInDays"],
                at,
            ),
            deletionProtectionEnabled: field(replica, ["deletionProtectionEnabled"], at),
            encryption: {
                enabled: field(p, ["sseSpecification", "sseEnabled"]),
                type: field(p, ["sseSpecification", "sseType"]),
                kmsKey: field(replica, ["sseSpecification", "kmsMasterKeyId"], at),
            },
            tableName: field(p, ["tableName"]),
        };
    });
    return withSiblings(facts);
}

/** Each replica of one global table shares the production-ness of the others. */
function withSiblings(replicas: TableFacts[]): TableFacts[] {
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

const CFN_WHY =
    "it is computed by a CloudFormation intrinsic function or parameter, which cannot be evaluated offline";

/** Marks fields made unknown by template intrinsics, so messages give the right reason. */
function cfnField(root: unknown, segments: (string | number)[], prefix: string): Field {
    const f = field(root, segments, prefix);
    return f.value === UNKNOWN ? { ...f, why: CFN_WHY } : f;
}

function cloudFormationStack(r: ResourceInput): TableFacts[] {
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
    const out: TableFacts[] = [];
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
        } else {
            out.push(...cfnGlobalTable(t));
        }
    }
    return out;
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
