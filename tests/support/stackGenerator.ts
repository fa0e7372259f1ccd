/**
 * Random Pulumi stacks (as `pulumi stack export` writes them) covering the declaration forms the
 * policy pack reads, for the differential suite (tests/cli/agreement/everyPath.spec.ts) and its long
 * run in the bench (bench/agreement.bench.ts): classic tables with replicas, `TableReplica`,
 * `aws.dynamodb.Tag`, aws-native tables and global tables, CloudFormation templates (JSON and YAML,
 * with their own backup selections), program backup selections (by ARN, tag and wildcard; classic and
 * aws-native), provider default tags, stack names and stack tags; and pack configurations, including
 * the organization's backup selections. Built on fast-check, so every stack is replayable from a seed.
 */
import fc from "fast-check";
import { PolicyConfig } from "../../cli/analyzer";
import { ACCOUNT, ExportResource, GeneratedStack, Item } from "./generatedStack";
import { template } from "./stackTemplate";

const PITR = "dynamodb-production-table-pitr-enabled";
const BACKUP = "dynamodb-production-table-in-backup-plan";

const environments = fc.constantFrom("production", "Production", "development", "staging", "prod", "dev");
const maybeEnvTag = fc.option(environments, { nil: undefined, freq: 2 });
const tagsArb = fc.record(
    { env: maybeEnvTag, team: fc.option(fc.constantFrom("shop", "billing"), { nil: undefined }) },
    { requiredKeys: [] },
);
const STACK_NAMES = [
    "prod",
    "production",
    "prod-eu",
    "prod.us",
    "dev",
    "staging",
    "preprod",
    "nonprod",
    "main",
    "qa",
];

function tagMap(t: { env?: string; team?: string }): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    if (t.env !== undefined) out.environment = t.env;
    if (t.team !== undefined) out.team = t.team;
    return Object.keys(out).length > 0 ? out : undefined;
}

const itemArb: fc.Arbitrary<Item> = fc.oneof(
    {
        weight: 5,
        arbitrary: fc.record({
            kind: fc.constant("table" as const),
            pitr: fc.option(fc.boolean(), { nil: undefined, freq: 6 }),
            days: fc.integer({ min: 1, max: 35 }),
            tags: tagsArb,
            replicas: fc.array(fc.boolean(), { maxLength: 2 }),
            protect: fc.boolean(),
            deletion: fc.boolean(),
            restoreFrom: fc.option(fc.nat(5), { nil: undefined, freq: 6 }),
            encrypted: fc.nat(7).map((n) => n === 0),
        }),
    },
    {
        weight: 2,
        arbitrary: fc.record({
            kind: fc.constant("replica" as const),
            of: fc.nat(5),
            pitr: fc.boolean(),
            tags: tagsArb,
        }),
    },
    {
        weight: 2,
        arbitrary: fc.record({
            kind: fc.constant("native" as const),
            pitr: fc.option(fc.boolean(), { nil: undefined, freq: 5 }),
            tags: tagsArb,
        }),
    },
    {
        weight: 1,
        arbitrary: fc.record({
            kind: fc.constant("global" as const),
            replicas: fc.array(
                fc.record({ pitr: fc.boolean(), env: maybeEnvTag }, { requiredKeys: ["pitr"] }),
                { minLength: 1, maxLength: 3 },
            ),
        }),
    },
    {
        weight: 1,
        arbitrary: fc.record({
            kind: fc.constant("cfn" as const),
            yaml: fc.boolean(),
            tables: fc.array(
                fc.record({ pitr: fc.boolean(), env: maybeEnvTag }, { requiredKeys: ["pitr"] }),
                { minLength: 1, maxLength: 2 },
            ),
            selection: fc.constantFrom("none" as const, "getatt" as const, "tags" as const),
            transform: fc.constantFrom("none" as const, "none" as const, "sam" as const, "macro" as const),
        }),
    },
    {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant("tag" as const), of: fc.nat(5), value: environments }),
    },
    {
        weight: 1,
        arbitrary: fc.record(
            {
                kind: fc.constant("legacyGlobal" as const),
                of: fc.nat(5),
                memberPitr: fc.boolean(),
                memberEnv: maybeEnvTag,
            },
            { requiredKeys: ["kind", "of", "memberPitr"] },
        ),
    },
    {
        weight: 1,
        arbitrary: fc.record({
            kind: fc.constant("plan" as const),
            of: fc.nat(5),
            copies: fc.constantFrom("air-gapped" as const, "other-account" as const, "same-account" as const),
        }),
    },
    {
        weight: 2,
        arbitrary: fc.record({
            kind: fc.constant("selection" as const),
            how: fc.constantFrom("arn" as const, "tags" as const, "wildcard" as const, "dependency" as const),
            of: fc.nat(5),
            native: fc.boolean(),
        }),
    },
);

export const stackArb: fc.Arbitrary<GeneratedStack> = fc
    .record({
        project: fc.constantFrom("shop", "billing", "orders"),
        stack: fc.constantFrom(...STACK_NAMES),
        suffix: fc.nat(999),
        stackTags: fc.record({ env: maybeEnvTag }, { requiredKeys: [] }),
        defaultTags: fc.option(fc.constantFrom("production", "development"), { nil: undefined, freq: 3 }),
        region: fc.constantFrom("us-east-1", "eu-west-1"),
        items: fc.array(itemArb, { maxLength: 7 }),
    })
    .map((g) => buildStack(g));

/** The pack configurations a run picks from: defaults, levels, and each knob that changes a verdict. */
export const configArb: fc.Arbitrary<Record<string, PolicyConfig>> = fc.constantFrom<
    Record<string, PolicyConfig>
>(
    {},
    { [PITR]: { enforcementLevel: "advisory" } },
    { [BACKUP]: { enforcementLevel: "disabled" } },
    { [BACKUP]: { organizationBackupSelections: [{ tags: { environment: "production" } }] } },
    { [BACKUP]: { tagSelectionsOutsideStack: ["team=shop"] } },
    { [PITR]: { productionTagValues: ["prod", "live"] } },
    { [PITR]: { allTablesAreProduction: true }, [BACKUP]: { allTablesAreProduction: true } },
);

/** A secret as an export without `--show-secrets` holds it: not readable offline. */
const ENCRYPTED = {
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    ciphertext: "v1:abc:def",
};

interface Placed {
    urn: string;
    arn: string;
    name: string;
}

function buildStack(g: {
    project: string;
    stack: string;
    suffix: number;
    stackTags: { env?: string };
    defaultTags?: string;
    region: string;
    items: Item[];
}): GeneratedStack {
    // Several stacks of one backend may share a name (in other projects): keep the name, vary the project.
    const project = `${g.project}${g.suffix}`;
    const urn = (type: string, name: string) => `urn:pulumi:${g.stack}::${project}::${type}::${name}`;
    const root = urn("pulumi:pulumi:Stack", `${project}-${g.stack}`);
    const providerUrn = urn("pulumi:providers:aws", "default_7_0_0");
    const providerId = "0b5a1c5e-5a6f-4b8e-9d1c-2f3e4a5b6c7d";
    const providerInputs: Record<string, unknown> = { region: g.region, version: "7.0.0" };
    if (g.defaultTags) providerInputs.defaultTags = JSON.stringify({ tags: { environment: g.defaultTags } });
    const resources: ExportResource[] = [
        { urn: root, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        {
            urn: providerUrn,
            custom: true,
            id: providerId,
            type: "pulumi:providers:aws",
            inputs: providerInputs,
            outputs: providerInputs,
        },
    ];
    const base = (
        type: string,
        name: string,
        outputs: Record<string, unknown>,
        extra: Partial<ExportResource> = {},
    ): ExportResource => ({
        urn: urn(type, name),
        custom: true,
        id: name,
        type,
        inputs: { name },
        outputs,
        parent: root,
        provider: `${providerUrn}::${providerId}`,
        ...extra,
    });
    const tables: Placed[] = [];
    const target = (i: number): Placed | undefined =>
        tables.length > 0 ? tables[i % tables.length] : undefined;
    g.items.forEach((item, n) => {
        const name = `t${n}`;
        const arn = `arn:aws:dynamodb:${g.region}:${ACCOUNT}:table/${name}`;
        switch (item.kind) {
            case "table": {
                const tags = tagMap(item.tags);
                const outputs: Record<string, unknown> = {
                    arn,
                    name,
                    hashKey: "pk",
                    attributes: [{ name: "pk", type: "S" }],
                    billingMode: "PAY_PER_REQUEST",
                    deletionProtectionEnabled: item.deletion,
                    serverSideEncryption: {
                        enabled: true,
                        kmsKeyArn: `arn:aws:kms:${g.region}:${ACCOUNT}:key/k${n}`,
                    },
                    replicas: item.replicas.map((pitr, i) => ({
                        regionName: ["eu-central-1", "ap-south-1"][i],
                        pointInTimeRecovery: pitr,
                    })),
                };
                if (item.pitr !== undefined)
                    outputs.pointInTimeRecovery = {
                        enabled: item.pitr,
                        recoveryPeriodInDays: item.pitr ? item.days : 0,
                    };
                if (tags) outputs.tags = item.encrypted ? ENCRYPTED : tags;
                const from = item.restoreFrom !== undefined ? target(item.restoreFrom) : undefined;
                if (from) outputs.restoreSourceName = from.name;
                resources.push(base("aws:dynamodb/table:Table", name, outputs, { protect: item.protect }));
                tables.push({ urn: urn("aws:dynamodb/table:Table", name), arn, name });
                break;
            }
            case "replica": {
                const of = target(item.of);
                const tags = tagMap(item.tags);
                const outputs: Record<string, unknown> = {
                    globalTableArn: of ? of.arn : `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/elsewhere`,
                    pointInTimeRecovery: item.pitr,
                    arn: `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/${of ? of.name : "elsewhere"}`,
                };
                if (tags) outputs.tags = tags;
                const deps = of
                    ? { propertyDependencies: { globalTableArn: [of.urn] }, dependencies: [of.urn] }
                    : {};
                resources.push(base("aws:dynamodb/tableReplica:TableReplica", name, outputs, deps));
                break;
            }
            case "native": {
                const outputs: Record<string, unknown> = {
                    tableName: name,
                    arn,
                    keySchema: [{ attributeName: "pk", keyType: "HASH" }],
                };
                if (item.pitr !== undefined)
                    outputs.pointInTimeRecoverySpecification = { pointInTimeRecoveryEnabled: item.pitr };
                const tags = tagMap(item.tags);
                if (tags) outputs.tags = Object.entries(tags).map(([key, value]) => ({ key, value }));
                resources.push({ ...base("aws-native:dynamodb:Table", name, outputs), provider: undefined });
                tables.push({ urn: urn("aws-native:dynamodb:Table", name), arn, name });
                break;
            }
            case "global": {
                const outputs = {
                    tableName: name,
                    arn,
                    keySchema: [{ attributeName: "pk", keyType: "HASH" }],
                    replicas: item.replicas.map((r, i) => ({
                        region: ["us-east-1", "eu-west-1", "ap-south-1"][i],
                        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: r.pitr },
                        ...(r.env ? { tags: [{ key: "environment", value: r.env }] } : {}),
                    })),
                };
                resources.push({
                    ...base("aws-native:dynamodb:GlobalTable", name, outputs),
                    provider: undefined,
                });
                break;
            }
            case "cfn": {
                const body = template(item, name);
                resources.push(
                    base("aws:cloudformation/stack:Stack", name, {
                        name,
                        templateBody: item.yaml ? body.yaml : body.json,
                    }),
                );
                break;
            }
            case "legacyGlobal": {
                // A legacy (2017.11.29) global table joins the same-named tables of the Regions it
                // lists: the stack's table and a member declared in another Region.
                const of = target(item.of);
                if (!of || !of.urn.includes("aws:dynamodb/table:Table")) break;
                const member: Record<string, unknown> = {
                    name: of.name,
                    region: "eu-central-1",
                    arn: `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/${of.name}`,
                    hashKey: "pk",
                    pointInTimeRecovery: {
                        enabled: item.memberPitr,
                        recoveryPeriodInDays: item.memberPitr ? 35 : 0,
                    },
                };
                if (item.memberEnv) member.tags = { environment: item.memberEnv };
                const memberUrn = urn("aws:dynamodb/table:Table", `${name}-member`);
                resources.push({
                    ...base("aws:dynamodb/table:Table", `${name}-member`, member),
                    urn: memberUrn,
                });
                resources.push(
                    base(
                        "aws:dynamodb/globalTable:GlobalTable",
                        name,
                        {
                            name: of.name,
                            replicas: [{ regionName: g.region }, { regionName: "eu-central-1" }],
                        },
                        { dependencies: [of.urn, memberUrn] },
                    ),
                );
                break;
            }
            case "plan": {
                // A plan whose rules copy somewhere (an air-gapped vault of the stack, a vault of
                // another account, or the account's own), with a selection of one table.
                const of = target(item.of);
                if (!of) break;
                const vaultUrn = urn(
                    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
                    `${name}-lag`,
                );
                const account = item.copies === "other-account" ? "999988887777" : ACCOUNT;
                const destination = `arn:aws:backup:${g.region}:${account}:backup-vault:${name}-copies`;
                if (item.copies === "air-gapped")
                    resources.push({
                        ...base("aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault", `${name}-lag`, {
                            arn: destination,
                            minRetentionDays: 7,
                            maxRetentionDays: 365,
                        }),
                        urn: vaultUrn,
                    });
                const planUrn = urn("aws:backup/plan:Plan", `${name}-plan`);
                const rules = [
                    {
                        ruleName: "daily",
                        targetVaultName: "main",
                        schedule: "cron(0 5 * * ? *)",
                        copyActions: [{ destinationVaultArn: destination, lifecycle: { deleteAfter: 35 } }],
                    },
                ];
                const ruleDeps =
                    item.copies === "air-gapped"
                        ? { propertyDependencies: { rules: [vaultUrn] }, dependencies: [vaultUrn] }
                        : {};
                resources.push({
                    ...base(
                        "aws:backup/plan:Plan",
                        `${name}-plan`,
                        { name: `${name}-plan`, rules },
                        ruleDeps,
                    ),
                    urn: planUrn,
                });
                resources.push(
                    base(
                        "aws:backup/selection:Selection",
                        name,
                        {
                            iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
                            planId: `${name}-plan-id`,
                            name,
                            resources: [of.arn],
                        },
                        { propertyDependencies: { planId: [planUrn] }, dependencies: [planUrn] },
                    ),
                );
                break;
            }
            case "tag": {
                const of = target(item.of);
                if (!of) break;
                const outputs = { resourceArn: of.arn, key: "environment", value: item.value };
                resources.push(
                    base("aws:dynamodb/tag:Tag", name, outputs, {
                        propertyDependencies: { resourceArn: [of.urn] },
                        dependencies: [of.urn],
                    }),
                );
                break;
            }
            case "selection": {
                const of = target(item.of);
                const selected =
                    item.how === "wildcard"
                        ? [`arn:aws:dynamodb:*:${ACCOUNT}:table/*`]
                        : of && item.how !== "tags"
                          ? [of.arn]
                          : [];
                const deps =
                    item.how === "dependency" && of
                        ? { propertyDependencies: { resources: [of.urn] }, dependencies: [of.urn] }
                        : {};
                const byTag =
                    item.how === "tags"
                        ? [{ type: "STRINGEQUALS", key: "environment", value: "production" }]
                        : [];
                if (item.native) {
                    const inner: Record<string, unknown> = {
                        iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
                        selectionName: name,
                        resources: selected,
                    };
                    if (byTag.length)
                        inner.listOfTags = byTag.map((t) => ({
                            conditionType: t.type,
                            conditionKey: t.key,
                            conditionValue: t.value,
                        }));
                    const nativeDeps =
                        item.how === "dependency" && of
                            ? { propertyDependencies: { backupSelection: [of.urn] }, dependencies: [of.urn] }
                            : {};
                    resources.push({
                        ...base(
                            "aws-native:backup:BackupSelection",
                            name,
                            { backupPlanId: "plan-1", backupSelection: inner },
                            nativeDeps,
                        ),
                        provider: undefined,
                    });
                } else {
                    const outputs: Record<string, unknown> = {
                        iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
                        planId: "plan-1",
                        name,
                        resources: selected,
                    };
                    if (byTag.length) outputs.selectionTags = byTag;
                    resources.push(base("aws:backup/selection:Selection", name, outputs, deps));
                }
                break;
            }
        }
    });
    const stackTags: Record<string, string> = {};
    if (g.stackTags.env) stackTags.environment = g.stackTags.env;
    return { project, stack: g.stack, tags: stackTags, resources };
}
