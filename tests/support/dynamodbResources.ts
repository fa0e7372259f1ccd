/**
 * Builders for DynamoDB-related resources as the engine describes them to a policy pack: one compliant
 * production fixture per declaration form, to change one thing per test.
 */
import { PropertyMap, ProviderResource, Resource, UNKNOWN as UNKNOWN_ARN } from "../../cli/analyzer";

export const PROJECT = "orders";

export function urnOf(type: string, name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

export function resource(
    type: string,
    name: string,
    properties: PropertyMap,
    extra: Partial<Resource> = {},
): Resource {
    return { type, name, urn: urnOf(type, name), properties, ...extra };
}

/** Places a resource in another stack (the stack name is read from the URN). */
export function inStack(r: Resource, stack: string): Resource {
    return { ...r, urn: urnOf(r.type, r.name, stack) };
}

export const PRODUCTION_TAGS = { environment: "production" };

export function awsProvider(defaultTags?: { [key: string]: string }, asJsonString = false): ProviderResource {
    const value = defaultTags ? { tags: defaultTags } : undefined;
    return {
        type: "pulumi:providers:aws",
        name: "default",
        urn: urnOf("pulumi:providers:aws", "default"),
        properties: {
            region: "us-east-1",
            ...(value ? { defaultTags: asJsonString ? JSON.stringify(value) : value } : {}),
        },
    };
}

/** aws.dynamodb.Table, production, fully compliant. */
export function awsTable(overrides: PropertyMap = {}, name = "orders"): Resource {
    return resource(
        "aws:dynamodb/table:Table",
        name,
        {
            name,
            hashKey: "pk",
            billingMode: "PAY_PER_REQUEST",
            attributes: [{ name: "pk", type: "S" }],
            pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
            deletionProtectionEnabled: true,
            serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/abcd" },
            tags: { ...PRODUCTION_TAGS },
            ...overrides,
        },
        { options: { protect: true } },
    );
}

/** aws.dynamodb.TableReplica, production, compliant. */
export function awsTableReplica(overrides: PropertyMap = {}): Resource {
    return resource(
        "aws:dynamodb/tableReplica:TableReplica",
        "orders-eu",
        {
            globalTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
            pointInTimeRecovery: true,
            deletionProtectionEnabled: true,
            kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/efgh",
            tags: { ...PRODUCTION_TAGS },
            ...overrides,
        },
        { options: { protect: true } },
    );
}

/** aws-native dynamodb.Table, production, compliant. */
export function nativeTable(overrides: PropertyMap = {}): Resource {
    return resource(
        "aws-native:dynamodb:Table",
        "orders-native",
        {
            keySchema: [{ attributeName: "pk", keyType: "HASH" }],
            pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
            deletionProtectionEnabled: true,
            sseSpecification: { sseEnabled: true, sseType: "KMS", kmsMasterKeyId: "alias/orders" },
            tags: [{ key: "environment", value: "production" }],
            ...overrides,
        },
        { options: { protect: true } },
    );
}

export function nativeReplica(region: string, overrides: PropertyMap = {}): PropertyMap {
    return {
        region,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
        deletionProtectionEnabled: true,
        sseSpecification: { kmsMasterKeyId: `arn:aws:kms:${region}:111122223333:key/k` },
        tags: [{ key: "environment", value: "production" }],
        ...overrides,
    };
}

/** aws-native dynamodb.GlobalTable with two replicas, production, compliant. */
export function nativeGlobalTable(
    replicas: PropertyMap[] = [nativeReplica("us-east-1"), nativeReplica("eu-west-1")],
): Resource {
    return resource(
        "aws-native:dynamodb:GlobalTable",
        "orders-global",
        {
            keySchema: [{ attributeName: "pk", keyType: "HASH" }],
            sseSpecification: { sseEnabled: true, sseType: "KMS" },
            replicas,
        },
        { options: { protect: true } },
    );
}

export const CFN_JSON_TEMPLATE = {
    Resources: {
        Orders: {
            Type: "AWS::DynamoDB::Table",
            Properties: {
                PointInTimeRecoverySpecification: {
                    PointInTimeRecoveryEnabled: true,
                    RecoveryPeriodInDays: 35,
                },
                DeletionProtectionEnabled: true,
                SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: "alias/orders" },
                Tags: [{ Key: "environment", Value: "production" }],
            },
        },
    },
};

/** A YAML template with short-form intrinsics; `pitr` is the literal for PointInTimeRecoveryEnabled. */
export function cfnYamlTemplate(pitr = "true", globalPitr = "true"): string {
    return [
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Parameters:",
        "  Env:",
        "    Type: String",
        "    Default: production",
        "Resources:",
        "  Orders:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      TableName: !Sub '${AWS::StackName}-orders'",
        "      PointInTimeRecoverySpecification:",
        `        PointInTimeRecoveryEnabled: ${pitr}`,
        "      DeletionProtectionEnabled: true",
        "      SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !GetAtt Key.Arn }",
        "      Tags:",
        "        - Key: environment",
        "          Value: !Ref Env",
        "  Global:",
        "    Type: AWS::DynamoDB::GlobalTable",
        "    Properties:",
        "      SSESpecification: { SSEEnabled: true, SSEType: KMS }",
        "      Replicas:",
        "        - Region: us-east-1",
        "          DeletionProtectionEnabled: true",
        "          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }",
        "          SSESpecification: { KMSMasterKeyId: !ImportValue key-us }",
        "          Tags: [{ Key: environment, Value: production }]",
        "        - Region: eu-west-1",
        "          DeletionProtectionEnabled: true",
        `          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: ${globalPitr} }`,
        "          SSESpecification: { KMSMasterKeyId: !ImportValue key-eu }",
        "          Tags: [{ Key: environment, Value: production }]",
        "  Key:",
        "    Type: AWS::KMS::Key",
        "    Properties:",
        "      KeyPolicy: { Version: '2012-10-17', Statement: [] }",
    ].join("\n");
}

/** aws.cloudformation.Stack deploying a template; pass a body (string or object → JSON) or overrides. */
export function cfnStack(body: string | object = CFN_JSON_TEMPLATE, overrides: PropertyMap = {}): Resource {
    return resource(
        "aws:cloudformation/stack:Stack",
        "legacy",
        {
            name: "legacy",
            templateBody: typeof body === "string" ? body : JSON.stringify(body),
            ...overrides,
        },
        { options: { protect: true } },
    );
}

/** aws.backup.Selection targeting resources by ARN, with the engine's property dependencies. */
export function backupSelection(
    properties: PropertyMap,
    propertyDependencies: { [k: string]: string[] } = {},
): Resource {
    return resource(
        "aws:backup/selection:Selection",
        "orders-backup",
        {
            iamRoleArn: "arn:aws:iam::111122223333:role/backup",
            planId: "plan-1",
            name: "orders",
            ...properties,
        },
        { propertyDependencies, dependencies: Object.values(propertyDependencies).flat() },
    );
}

export function nativeBackupSelection(
    backupSelection: PropertyMap,
    propertyDependencies: { [k: string]: string[] } = {},
): Resource {
    return resource(
        "aws-native:backup:BackupSelection",
        "orders-native-backup",
        {
            backupPlanId: "plan-1",
            backupSelection: {
                iamRoleArn: "arn:aws:iam::111122223333:role/backup",
                selectionName: "orders",
                ...backupSelection,
            },
        },
        { propertyDependencies, dependencies: Object.values(propertyDependencies).flat() },
    );
}

/** aws.dynamodb.Tag: one tag on the resource named by `resourceArn` (a table's ARN output, or a known ARN). */
export function dynamodbTag(
    name: string,
    properties: PropertyMap,
    propertyDependencies: { [k: string]: string[] } = {},
): Resource {
    return resource("aws:dynamodb/tag:Tag", name, properties, {
        propertyDependencies,
        dependencies: Object.values(propertyDependencies).flat(),
    });
}

/** An untagged table (production only if something else makes it so), its ARN unknown as at preview. */
export function untaggedTable(name: string, overrides: PropertyMap = {}): Resource {
    return awsTable({ tags: undefined, arn: UNKNOWN_ARN, ...overrides }, name);
}

/**
 * A SAM template (YAML, `Transform: AWS::Serverless-2016-10-31`) with one `AWS::Serverless::SimpleTable`
 * `Sessions`; `tags` is its `Tags` map, `pitr` its `PointInTimeRecoverySpecification` (left out when
 * undefined), `transform` the template's `Transform` line.
 */
export function samTemplate(
    tags: { [key: string]: string } = { ...PRODUCTION_TAGS },
    pitr?: string,
    transform = "AWS::Serverless-2016-10-31",
): string {
    return [
        "AWSTemplateFormatVersion: '2010-09-09'",
        `Transform: ${transform}`,
        "Resources:",
        "  Sessions:",
        "    Type: AWS::Serverless::SimpleTable",
        "    Properties:",
        "      TableName: sessions",
        "      PrimaryKey: { Name: id, Type: String }",
        "      SSESpecification: { SSEEnabled: true }",
        ...(pitr === undefined
            ? []
            : ["      PointInTimeRecoverySpecification:", `        PointInTimeRecoveryEnabled: ${pitr}`]),
        ...(Object.keys(tags).length === 0 ? [] : ["      Tags:"]),
        ...Object.entries(tags).map(([k, v]) => `        ${k}: ${v}`),
    ].join("\n");
}

/**
 * A legacy (2017.11.29) aws.dynamodb.GlobalTable joining the same-named tables of `regions`; the
 * member tables are separate `aws.dynamodb.Table`s in those Regions (see `tableIn`).
 */
export function legacyGlobalTable(
    name: string,
    regions: string[],
    extra: Partial<Resource> = {},
    overrides: PropertyMap = {},
): Resource {
    return resource(
        "aws:dynamodb/globalTable:GlobalTable",
        `${name}-global`,
        { name, replicas: regions.map((regionName) => ({ regionName })), ...overrides },
        extra,
    );
}

/** An aws.dynamodb.Table in `region` (through its provider's `region`), named `name`, PITR off, untagged. */
export function tableIn(region: string, name: string, overrides: PropertyMap = {}): Resource {
    const t = awsTable({ tags: undefined, pointInTimeRecovery: { enabled: false }, ...overrides }, name);
    return {
        ...t,
        name: `${name}-${region}`,
        urn: urnOf(t.type, `${name}-${region}`),
        provider: {
            type: "pulumi:providers:aws",
            name: region,
            urn: urnOf("pulumi:providers:aws", region),
            properties: { region },
        },
    };
}
