/**
 * The component package's schema, read from the provider over the provider gRPC protocol
 * (`GetSchema`), as `pulumi package add` reads it before generating SDKs for other languages.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import {
    getSchema,
    PackageSchema,
    PLUGIN_DIR,
    REPO_ROOT,
    RunningProvider,
    SchemaProperty,
    startProvider,
} from "./providerHost";

const TABLE = "dynamodb-pitr:index:ResilientTable";
const PLAN = "dynamodb-pitr:index:TableBackupPlan";
const BASELINE = "dynamodb-pitr:index:ProtectionBaseline";
const ORGANIZATION = "dynamodb-pitr:index:OrganizationBackupPolicy";
const ref = (name: string) => `#/types/dynamodb-pitr:index:${name}`;

/** How each input and output should look: a scalar type, an array of a type, a map, or a `$ref`. */
function shape(p: SchemaProperty): string {
    if (p.$ref)
        return p.$ref.startsWith("#/types/") ? p.$ref.slice("#/types/dynamodb-pitr:index:".length) : p.$ref;
    if (p.type === "array") return `${shape(p.items!)}[]`;
    if (p.type === "object" && p.additionalProperties) return `map<${shape(p.additionalProperties)}>`;
    return p.type!;
}

const TABLE_INPUTS: Record<string, string> = {
    tier: "string",
    name: "string",
    hashKey: "string",
    rangeKey: "string",
    attributes: "TableAttribute[]",
    globalSecondaryIndexes: "GlobalSecondaryIndex[]",
    localSecondaryIndexes: "LocalSecondaryIndex[]",
    billingMode: "string",
    readCapacity: "number",
    writeCapacity: "number",
    tableClass: "string",
    pointInTimeRecovery: "PointInTimeRecovery",
    dangerouslyDisablePointInTimeRecovery: "boolean",
    deletionProtectionEnabled: "boolean",
    dangerouslyAllowReplacement: "boolean",
    encryption: "string",
    kmsKeyArn: "string",
    ttlAttribute: "string",
    streamViewType: "string",
    replicas: "TableReplica[]",
    region: "string",
    tags: "map<string>",
    restore: "TableRestore",
    backupBeforeChange: "BackupBeforeChange",
    backup: "string",
    sharedBackupPlan: "SharedBackupPlan",
    adopt: "TableAdoption",
    monitoring: "TableMonitoringSettings",
    baseline: "TableBaseline",
    keepOwnKeyAndVault: "boolean",
};

const TABLE_OUTPUTS: Record<string, string> = {
    table: "/aws/v{version}/schema.json#/resources/aws:dynamodb%2Ftable:Table",
    name: "string",
    arn: "string",
    streamArn: "string",
    kmsKeyArn: "string",
    tier: "string",
    recoveryPeriodInDays: "number",
    backupPlanArn: "string",
    backupVaultName: "string",
};

const PLAN_INPUTS: Record<string, string> = {
    tier: "string",
    schedule: "string",
    rules: "BackupRuleArgs[]",
    kmsKeyArn: "string",
    vaultName: "string",
    planName: "string",
    roleArn: "string",
    tables: "string[]",
    selectTags: "map<string>",
    advancedDynamoDbBackup: "string",
    vaultLock: "VaultLock",
    notifications: "BackupNotifications",
    restoreTesting: "RestoreTestingArgs",
    airGapped: "AirGappedDestination",
    region: "string",
    tags: "map<string>",
};

const PLAN_OUTPUTS: Record<string, string> = {
    planArn: "string",
    planId: "string",
    vaultName: "string",
    vaultArn: "string",
    roleArn: "string",
    tier: "string",
};

const BASELINE_INPUTS: Record<string, string> = {
    region: "string",
    replicaRegions: "string[]",
    kmsKeyArn: "string",
    selectionTags: "map<string>",
    selectionTableArns: "string[]",
    schedule: "string",
    rules: "BackupRuleArgs[]",
    advancedDynamoDbBackup: "string",
    vaultLock: "VaultLock",
    notifications: "BackupNotifications",
    restoreTesting: "RestoreTestingArgs",
    airGapped: "AirGappedDestination",
    vaultName: "string",
    planName: "string",
    alerts: "boolean",
    alertScope: "string",
    alertTableNamePrefix: "string",
    alertTableNames: "string[]",
    alertTopicArn: "string",
    backupJobAlerts: "boolean",
    configRules: "boolean",
    tags: "map<string>",
    organizationMember: "OrganizationMember",
    audit: "BaselineAudit",
};

const ORGANIZATION_INPUTS: Record<string, string> = {
    targetIds: "string[]",
    regions: "string[]",
    schedule: "string",
    rules: "BackupRuleArgs[]",
    selectionTags: "map<string>",
    vaultName: "string",
    roleName: "string",
    copyTo: "OrganizationCopyTo[]",
    airGapped: "AirGappedDestination",
    planName: "string",
    advancedDynamoDbBackup: "string",
    allowChildPolicyChanges: "boolean",
    description: "string",
    tags: "map<string>",
};

const ORGANIZATION_OUTPUTS: Record<string, string> = {
    policyId: "string",
    content: "string",
    vaultName: "string",
    roleName: "string",
    selectedTags: "map<string>",
    packConfigJson: "string",
};

const BASELINE_OUTPUTS: Record<string, string> = {
    baselineName: "string",
    region: "string",
    kmsKeyArn: "string",
    replicaKmsKeyArns: "map<string>",
    planArn: "string",
    vaultName: "string",
    selectedTags: "map<string>",
    selectedTableArns: "string[]",
    alertTopicArn: "string",
    alertTableNamePrefix: "string",
    alertTableNames: "string[]",
};

const YAML_EXAMPLE = path.join(REPO_ROOT, "examples", "yaml-orders");
/** The YAML programs users copy: the example's Pulumi.yaml and the fleet program in its README. */
const YAML_PROGRAMS: Array<[string, string]> = [
    ["examples/yaml-orders/Pulumi.yaml", fs.readFileSync(path.join(YAML_EXAMPLE, "Pulumi.yaml"), "utf8")],
    ...[
        ...fs.readFileSync(path.join(YAML_EXAMPLE, "README.md"), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g),
    ].map((m, i): [string, string] => [`examples/yaml-orders/README.md (YAML block ${i + 1})`, m[1]]),
];

describe("component package schema (GetSchema over gRPC)", function () {
    // Inferring the schema compiles the components' TypeScript: about 50 s alone on two cores, and
    // more beside mocha's other worker.
    this.timeout(300000);
    let provider: RunningProvider;
    let schema: PackageSchema;

    before(async () => {
        provider = await startProvider();
        try {
            schema = await getSchema(provider);
        } catch (e) {
            throw new Error(`GetSchema failed: ${(e as Error).message}\n${provider.stderr()}`);
        }
    });
    after(() => provider?.stop());

    it("names the package dynamodb-pitr, at the npm package's version, with its four components", () => {
        const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        const pluginPackage = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8"));
        assert.strictEqual(schema.name, "dynamodb-pitr");
        assert.strictEqual(
            pluginPackage.version,
            rootPackage.version,
            "provider/package.json's version must follow the root's",
        );
        assert.strictEqual(schema.version, rootPackage.version);
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), [ORGANIZATION, BASELINE, TABLE, PLAN]);
        for (const token of [ORGANIZATION, BASELINE, TABLE, PLAN]) {
            assert.strictEqual(schema.resources[token].isComponent, true, token);
            assert.ok(schema.resources[token].description, `${token} has a description`);
        }
    });

    it("depends on the AWS package only, for the table output", () => {
        const aws = JSON.parse(
            fs.readFileSync(require.resolve("@pulumi/aws/package.json", { paths: [REPO_ROOT] }), "utf8"),
        );
        assert.deepStrictEqual(schema.dependencies, [{ name: "aws", version: aws.version }]);
    });

    for (const [token, inputs, outputs, required] of [
        [TABLE, TABLE_INPUTS, TABLE_OUTPUTS, ["attributes", "hashKey"]],
        [PLAN, PLAN_INPUTS, PLAN_OUTPUTS, []],
        [BASELINE, BASELINE_INPUTS, BASELINE_OUTPUTS, []],
        [ORGANIZATION, ORGANIZATION_INPUTS, ORGANIZATION_OUTPUTS, ["regions", "targetIds"]],
    ] as const) {
        const short = token.split(":")[2];

        it(`${short}: every input, with its type`, () => {
            const found = schema.resources[token].inputProperties!;
            assert.deepStrictEqual(
                Object.fromEntries(Object.entries(found).map(([k, v]) => [k, shape(v)])),
                inputs,
            );
            assert.deepStrictEqual(schema.resources[token].requiredInputs, required);
        });

        it(`${short}: every input has a description, and every optional one states its default`, () => {
            const resource = schema.resources[token];
            for (const [name, property] of Object.entries(resource.inputProperties!)) {
                assert.ok(
                    property.description && property.description.length > 20,
                    `${short}.${name} has no description`,
                );
                if (!resource.requiredInputs!.includes(name)) {
                    assert.match(
                        property.description!,
                        /[Dd]efaults?\s+to/,
                        `${short}.${name} states no default`,
                    );
                }
            }
        });

        it(`${short}: every output, with its type and description`, () => {
            const found = schema.resources[token].properties!;
            const awsVersion = schema.dependencies?.[0]?.version;
            assert.deepStrictEqual(
                Object.fromEntries(Object.entries(found).map(([k, v]) => [k, shape(v)])),
                Object.fromEntries(
                    Object.entries(outputs).map(([k, v]) => [k, v.replace("{version}", awsVersion!)]),
                ),
            );
            for (const [name, property] of Object.entries(found)) {
                assert.ok(property.description, `${short} output ${name} has no description`);
            }
        });
    }

    it("ResilientTable: outputs that may be unset are optional, the rest always set", () => {
        assert.deepStrictEqual(schema.resources[TABLE].required, [
            "arn",
            "name",
            "recoveryPeriodInDays",
            "streamArn",
            "table",
            "tier",
        ]);
    });

    it("ResilientTable: values that come from other resources are inputs, the rest plain", () => {
        const inputs = schema.resources[TABLE].inputProperties!;
        const notPlain = Object.keys(inputs)
            .filter((k) => !inputs[k].plain)
            .sort();
        assert.deepStrictEqual(notPlain, ["kmsKeyArn", "name"]);
    });

    it("restore: a point in time of a source table, the latest restorable time, or a backup", () => {
        const restore = schema.types["dynamodb-pitr:index:TableRestore"];
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(restore.properties!).map(([k, v]) => [k, shape(v)])),
            {
                sourceTableName: "string",
                sourceTableArn: "string",
                restoreDateTime: "string",
                restoreToLatestTime: "boolean",
                sourceRecoveryPeriodInDays: "number",
                restoreBackupArn: "string",
            },
        );
        assert.deepStrictEqual(restore.required, []);
        assert.match(restore.properties!.restoreDateTime.description!, /ISO 8601/);
        assert.match(restore.properties!.sourceRecoveryPeriodInDays.description!, /Defaults to 35/);
        assert.strictEqual(schema.resources[TABLE].inputProperties!.restore.$ref, ref("TableRestore"));
    });

    it("allowed values of string inputs are listed in their descriptions", () => {
        const inputs = schema.resources[TABLE].inputProperties!;
        const cases: [string, string[]][] = [
            ["tier", ["production", "staging", "development"]],
            ["billingMode", ["PAY_PER_REQUEST", "PROVISIONED"]],
            ["tableClass", ["STANDARD", "STANDARD_INFREQUENT_ACCESS"]],
            ["encryption", ["customer-managed", "aws-owned"]],
            ["streamViewType", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]],
            ["backup", ["daily-monthly-1-year", "daily-weekly-monthly-7-year", "none"]],
        ];
        for (const [name, values] of cases) {
            for (const value of values)
                assert.ok(inputs[name].description!.includes(`\`${value}\``), `${name}: ${value}`);
        }
        const attribute = schema.types["dynamodb-pitr:index:TableAttribute"].properties!.type;
        for (const value of ["S", "N", "B"]) assert.ok(attribute.description!.includes(`\`${value}\``));
    });

    it("every property of every type has a type and a description", () => {
        for (const [name, type] of Object.entries(schema.types)) {
            assert.strictEqual(type.type, "object", name);
            for (const [property, spec] of Object.entries(type.properties!)) {
                assert.ok(spec.type || spec.$ref, `${name}.${property} has no type`);
                assert.ok(spec.description, `${name}.${property} has no description`);
            }
        }
    });

    for (const [where, text] of YAML_PROGRAMS) describeYamlProgram(where, text);

    it("ResilientTable: the baseline's checked fields are plain, its key, plan, vault and topic may be outputs", () => {
        const input = schema.resources[TABLE].inputProperties!.baseline;
        assert.strictEqual(input.$ref, ref("TableBaseline"));
        const type = schema.types["dynamodb-pitr:index:TableBaseline"];
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(type.properties!).map(([k, v]) => [k, shape(v)])),
            {
                baselineName: "string",
                region: "string",
                kmsKeyArn: "string",
                replicaKmsKeyArns: "map<string>",
                selectedTags: "map<string>",
                selectedTableArns: "string[]",
                planArn: "string",
                vaultName: "string",
                alertScope: "string",
                alertTableNamePrefix: "string",
                alertTableNames: "string[]",
                alertTopicArn: "string",
            },
        );
        assert.deepStrictEqual(type.required, ["kmsKeyArn", "planArn", "vaultName"]);
        const outputs = Object.keys(type.properties!)
            .filter((k) => !type.properties![k].plain)
            .sort();
        assert.deepStrictEqual(outputs, ["alertTopicArn", "kmsKeyArn", "planArn", "vaultName"]);
        assert.ok(
            !type.properties!.replicaKmsKeyArns.additionalProperties!.plain,
            "replica key ARNs may be outputs",
        );
        for (const value of ["account", "none"])
            assert.ok(type.properties!.alertScope.description!.includes(`\`${value}\``), value);
    });

    it("ProtectionBaseline: the outputs a table needs, those that may be unset optional", () => {
        assert.deepStrictEqual(schema.resources[BASELINE].required, [
            "baselineName",
            "kmsKeyArn",
            "planArn",
            "replicaKmsKeyArns",
            "vaultName",
        ]);
        const inputs = schema.resources[BASELINE].inputProperties!;
        const notPlain = Object.keys(inputs)
            .filter((k) => !inputs[k].plain)
            .sort();
        assert.deepStrictEqual(notPlain, ["alertTopicArn", "kmsKeyArn"]);
        for (const [name, values] of [
            ["schedule", ["daily-monthly-1-year", "daily-weekly-monthly-7-year", "monthly-7-year"]],
            ["alertScope", ["account"]],
            ["advancedDynamoDbBackup", ["enable", "already-enabled"]],
        ] as const) {
            for (const value of values)
                assert.ok(inputs[name].description!.includes(`\`${value}\``), `${name}: ${value}`);
        }
    });

    function describeYamlProgram(where: string, text: string) {
        describe(`${where} refers only to what the schema has`, () => {
            const program = YAML.parse(text) as {
                resources: Record<string, { type: string; properties: Record<string, unknown> }>;
                outputs: Record<string, string>;
            };

            /** Problems with `value` against `property`, following `$ref`s into the schema's types. */
            function check(where: string, value: unknown, property: SchemaProperty): string[] {
                if (typeof value === "string" && value.startsWith("${")) return []; // an interpolation: checked below
                if (property.$ref?.startsWith("#/types/")) {
                    const type = schema.types[property.$ref.slice("#/types/".length)];
                    if (typeof value !== "object" || value === null || Array.isArray(value))
                        return [`${where} is not an object`];
                    const problems = Object.entries(value).flatMap(([k, v]) =>
                        type.properties![k]
                            ? check(`${where}.${k}`, v, type.properties![k])
                            : [`${where}.${k} is not in the schema`],
                    );
                    for (const k of type.required ?? [])
                        if (!(k in value)) problems.push(`${where}.${k} is required`);
                    return problems;
                }
                if (property.type === "array")
                    return Array.isArray(value)
                        ? value.flatMap((v, i) => check(`${where}[${i}]`, v, property.items!))
                        : [`${where} is not a list`];
                if (property.type === "object" && property.additionalProperties)
                    return typeof value === "object" && value !== null
                        ? Object.entries(value).flatMap(([k, v]) =>
                              check(`${where}.${k}`, v, property.additionalProperties!),
                          )
                        : [`${where} is not a map`];
                return typeof value === property.type
                    ? []
                    : [`${where} is ${JSON.stringify(value)}, not a ${property.type}`];
            }

            it("each resource's type, inputs and required inputs exist, with the right shapes", () => {
                const problems: string[] = [];
                for (const [name, resource] of Object.entries(program.resources)) {
                    const spec = schema.resources[resource.type];
                    if (!spec) {
                        problems.push(`${name}: type ${resource.type} is not in the schema`);
                        continue;
                    }
                    for (const [k, v] of Object.entries(resource.properties ?? {})) {
                        const property = spec.inputProperties![k];
                        problems.push(
                            ...(property
                                ? check(`${name}.${k}`, v, property)
                                : [`${name}.${k} is not an input`]),
                        );
                    }
                    for (const k of spec.requiredInputs ?? [])
                        if (!(k in (resource.properties ?? {}))) problems.push(`${name}.${k} is required`);
                }
                assert.deepStrictEqual(problems, []);
            });

            it("every ${resource.output} it reads is an output of that resource", () => {
                const live = text
                    .split("\n")
                    .filter((line) => !line.trim().startsWith("#"))
                    .join("\n");
                const references = [...live.matchAll(/\$\{(\w+)\.(\w+)\}/g)].map((m) => [m[1], m[2]]);
                assert.ok(references.length >= 5, `${references.length} references`);
                for (const [resource, output] of references) {
                    const type = program.resources[resource]?.type;
                    assert.ok(type, `${resource} is not a resource of the program`);
                    assert.ok(
                        schema.resources[type].properties![output],
                        `${resource}.${output} is not an output of ${type}`,
                    );
                }
            });
        });
    }
});
