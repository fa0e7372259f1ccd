/**
 * Normalises every form in which a Pulumi program can declare a DynamoDB table into `TableFacts`:
 * `aws.dynamodb.Table` (and each of its `replicas`), `aws.dynamodb.TableReplica`, aws-native
 * `dynamodb.Table` and `dynamodb.GlobalTable` (one fact per replica), and the tables of a
 * CloudFormation template deployed by `aws.cloudformation.Stack` (`templateTables.ts`:
 * `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable`, SAM `AWS::Serverless::SimpleTable`). A legacy
 * `aws.dynamodb.GlobalTable` declares no table of its own: it joins tables (`references.ts`).
 * Property names come from the providers' `.d.ts` files and the CloudFormation resource reference.
 * Never throws, whatever the properties hold.
 */
import { TYPES, TableFacts, TagSource } from "../engine/tableFacts";
import { ResourceInput, base, pick, tagSource, withSiblings } from "./resourceBase";
import { cloudFormationStack } from "./templateTables";
import { UNKNOWN, asBoolean, field, isRecord, readProp } from "../engine/values";

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
        "region",
    ]);
    const tags = awsTags(p);
    const table: TableFacts = {
        ...base(r, tags),
        // The resource's own `region` (@pulumi/aws 7) over its provider's.
        ...(typeof p.region === "string" && p.region !== "" ? { region: p.region } : {}),
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
