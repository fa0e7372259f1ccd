// Generated stacks for the analysis benchmarks, as the engine would describe them to AnalyzeStack
// during a preview: ten resources per group, two of them DynamoDB tables (one in five overall).
// Each group holds a ResilientTable-like production table (component, KMS key, table with PITR and
// deletion protection, its own vault, plan, IAM role, role policy attachment and a selection that
// names the table through its unknown ARN, so only propertyDependencies tie them) and a second table
// that varies: a dev table without PITR, a production table with PITR and two replicas selected by
// tag, a production table without PITR (a violation), or a production table without a plan.
import { ProviderResource, Resource, UNKNOWN } from "../cli/analyzer";

const STACK = "prod";
const PROJECT = "orders";

function urn(type: string, name: string, parentType?: string): string {
    const qualified = parentType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${STACK}::${PROJECT}::${qualified}::${name}`;
}

/** The default AWS provider, with default tags as the engine passes provider inputs (JSON strings). */
export const provider: ProviderResource = {
    type: "pulumi:providers:aws",
    name: "default_7_48_0",
    urn: urn("pulumi:providers:aws", "default_7_48_0"),
    properties: {
        region: "us-east-1",
        skipCredentialsValidation: "false",
        defaultTags: JSON.stringify({ tags: { team: "orders", costCenter: "cc-1234", managedBy: "pulumi" } }),
        version: "7.48.0",
    },
};

const COMPONENT = "dynamodb-pitr:index:ResilientTable";

function table(name: string, extra: Record<string, unknown>, parentType?: string): Resource {
    return {
        type: "aws:dynamodb/table:Table",
        name,
        urn: urn("aws:dynamodb/table:Table", name, parentType),
        provider,
        properties: {
            name: `${name}-${STACK}`,
            hashKey: "pk",
            rangeKey: "sk",
            attributes: [
                { name: "pk", type: "S" },
                { name: "sk", type: "S" },
                { name: "gsi1pk", type: "S" },
            ],
            globalSecondaryIndexes: [
                {
                    name: "gsi1",
                    hashKey: "gsi1pk",
                    rangeKey: "sk",
                    projectionType: "ALL",
                    nonKeyAttributes: [],
                },
            ],
            billingMode: "PAY_PER_REQUEST",
            tableClass: "STANDARD",
            streamEnabled: false,
            ttl: { attributeName: "expiresAt", enabled: true },
            arn: UNKNOWN,
            ...extra,
        } as Resource["properties"],
    };
}

/** One group of ten resources; `i` picks the variant of the second table. */
function group(i: number): Resource[] {
    const n = `orders${i}`;
    const component: Resource = {
        type: COMPONENT,
        name: n,
        urn: urn(COMPONENT, n),
        properties: {},
    };
    const key: Resource = {
        type: "aws:kms/key:Key",
        name: `${n}-key`,
        urn: urn("aws:kms/key:Key", `${n}-key`, COMPONENT),
        provider,
        parent: component.urn,
        options: { protect: true, parent: component.urn },
        properties: {
            description: `Encrypts DynamoDB table ${n} (production)`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: { environment: "production" },
            arn: UNKNOWN,
        },
    };
    const main = table(
        n,
        {
            pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
            deletionProtectionEnabled: true,
            serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN },
            tags: { environment: "production", service: "orders" },
        },
        COMPONENT,
    );
    main.parent = component.urn;
    main.options = { protect: true, parent: component.urn, ignoreChanges: ["restoreSourceName"] };
    main.dependencies = [key.urn];
    main.propertyDependencies = { serverSideEncryption: [key.urn] };
    const vault: Resource = {
        type: "aws:backup/vault:Vault",
        name: `${n}-vault`,
        urn: urn("aws:backup/vault:Vault", `${n}-vault`, COMPONENT),
        provider,
        parent: component.urn,
        properties: { name: `${n}-${STACK}-vault`, kmsKeyArn: UNKNOWN, forceDestroy: false },
        dependencies: [key.urn],
        propertyDependencies: { kmsKeyArn: [key.urn] },
    };
    const plan: Resource = {
        type: "aws:backup/plan:Plan",
        name: `${n}-plan`,
        urn: urn("aws:backup/plan:Plan", `${n}-plan`, COMPONENT),
        provider,
        parent: component.urn,
        properties: {
            name: `${n}-${STACK}-plan`,
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: `${n}-${STACK}-vault`,
                    schedule: "cron(0 5 ? * * *)",
                    startWindow: 60,
                    completionWindow: 180,
                    lifecycle: { deleteAfter: 35 },
                },
                {
                    ruleName: "monthly",
                    targetVaultName: `${n}-${STACK}-vault`,
                    schedule: "cron(0 5 1 * ? *)",
                    lifecycle: { coldStorageAfter: 30, deleteAfter: 365 },
                },
            ],
        },
        dependencies: [vault.urn],
        propertyDependencies: { rules: [vault.urn] },
    };
    const role: Resource = {
        type: "aws:iam/role:Role",
        name: `${n}-backup-role`,
        urn: urn("aws:iam/role:Role", `${n}-backup-role`, COMPONENT),
        provider,
        parent: component.urn,
        properties: {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "backup.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
            arn: UNKNOWN,
        },
    };
    const attachment: Resource = {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: `${n}-backup-policy`,
        urn: urn("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${n}-backup-policy`, COMPONENT),
        provider,
        parent: component.urn,
        properties: {
            role: UNKNOWN,
            policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        },
        dependencies: [role.urn],
        propertyDependencies: { role: [role.urn] },
    };
    const selection: Resource = {
        type: "aws:backup/selection:Selection",
        name: `${n}-selection`,
        urn: urn("aws:backup/selection:Selection", `${n}-selection`, COMPONENT),
        provider,
        parent: component.urn,
        properties: { name: `${n}-selection`, planId: UNKNOWN, iamRoleArn: UNKNOWN, resources: [UNKNOWN] },
        dependencies: [plan.urn, role.urn, main.urn],
        propertyDependencies: { planId: [plan.urn], iamRoleArn: [role.urn], resources: [main.urn] },
    };
    const variant = i % 4;
    const second =
        variant === 0
            ? table(`sessions${i}`, {
                  pointInTimeRecovery: { enabled: false },
                  tags: { environment: "dev" },
              })
            : variant === 1
              ? table(`carts${i}`, {
                    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 },
                    deletionProtectionEnabled: true,
                    streamEnabled: true,
                    streamViewType: "NEW_AND_OLD_IMAGES",
                    serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN },
                    replicas: ["eu-west-1", "us-west-2"].map((regionName) => ({
                        regionName,
                        pointInTimeRecovery: true,
                        propagateTags: true,
                        kmsKeyArn: UNKNOWN,
                    })),
                    tags: { environment: "production", backup: "daily" },
                })
              : variant === 2
                ? table(`events${i}`, {
                      pointInTimeRecovery: { enabled: false },
                      tags: { environment: "production" },
                  })
                : table(`audit${i}`, {
                      pointInTimeRecovery: { enabled: true },
                      deletionProtectionEnabled: true,
                      tags: { environment: "production" },
                  });
    const other: Resource = {
        type: "aws:s3/bucket:Bucket",
        name: `exports${i}`,
        urn: urn("aws:s3/bucket:Bucket", `exports${i}`),
        provider,
        properties: {
            bucket: `exports-${i}-${STACK}`,
            forceDestroy: false,
            tags: { environment: "production" },
        },
    };
    return [component, key, main, vault, plan, role, attachment, selection, second, other];
}

/** A tag-based selection in one shared plan covers every table tagged `backup: daily`. */
function sharedSelection(): Resource {
    return {
        type: "aws:backup/selection:Selection",
        name: "daily-by-tag",
        urn: urn("aws:backup/selection:Selection", "daily-by-tag"),
        provider,
        properties: {
            name: "daily-by-tag",
            planId: "shared-plan-id",
            iamRoleArn: "arn:aws:iam::123456789012:role/backup",
            selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }],
        },
    };
}

/** A stack of about `size` resources (a multiple of ten, plus the shared selection). */
export function generateStack(size: number): Resource[] {
    const out: Resource[] = [sharedSelection()];
    for (let i = 0; out.length < size; i++) {
        out.push(...group(i));
    }
    return out.slice(0, size);
}
