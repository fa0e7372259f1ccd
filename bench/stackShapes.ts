// Stack shapes for the AnalyzeStack benchmark, each a function of the number of resources. `current`
// is bench/stack.ts; the others stress one way the backup-plan stack policy could turn quadratic:
// selections whose resources are unknown at preview with no property dependencies (fed by a data
// source), one tag selection per table, tables inside CloudFormation templates, and a stack that is
// half tables. Tables here are production and the selections cover them or may cover them, so the
// policy has to look at every table.
import { Resource, UNKNOWN } from "../cli/analyzer";
import { generateStack, provider } from "./stack";

const STACK = "prod";
const PROJECT = "orders";

function urn(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function table(name: string, tags: Record<string, string>, pitr = true): Resource {
    return {
        type: "aws:dynamodb/table:Table",
        name,
        urn: urn("aws:dynamodb/table:Table", name),
        provider,
        properties: {
            name: `${name}-${STACK}`,
            hashKey: "pk",
            attributes: [{ name: "pk", type: "S" }],
            billingMode: "PAY_PER_REQUEST",
            pointInTimeRecovery: { enabled: pitr, recoveryPeriodInDays: 35 },
            deletionProtectionEnabled: true,
            serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN },
            tags,
            arn: UNKNOWN,
        },
        options: { protect: true },
    };
}

function filler(name: string): Resource {
    return {
        type: "aws:s3/bucket:Bucket",
        name,
        urn: urn("aws:s3/bucket:Bucket", name),
        provider,
        properties: { bucket: `${name}-${STACK}`, forceDestroy: false, tags: { environment: "production" } },
    };
}

function selection(name: string, properties: Resource["properties"]): Resource {
    return {
        type: "aws:backup/selection:Selection",
        name,
        urn: urn("aws:backup/selection:Selection", name),
        provider,
        properties: {
            name,
            planId: UNKNOWN,
            iamRoleArn: "arn:aws:iam::123456789012:role/backup",
            ...properties,
        },
        dependencies: [],
        propertyDependencies: {},
    };
}

/** Groups of ten: two tables, two selections with unknown resources and no dependencies, six others. */
function unknownSelections(size: number): Resource[] {
    const out: Resource[] = [];
    for (let i = 0; out.length < size; i++) {
        out.push(
            table(`a${i}`, { environment: "production" }),
            table(`b${i}`, { environment: "production" }),
            selection(`from-data-source-${i}`, { resources: [UNKNOWN] }),
            selection(`from-data-source-${i}-b`, { resources: [UNKNOWN, "arn:aws:s3:::*"] }),
            ...[0, 1, 2, 3, 4, 5].map((j) => filler(`f${i}-${j}`)),
        );
    }
    return out.slice(0, size);
}

/** Groups of ten: two tables each selected by its own tag selection, six others. */
function selectionsByTag(size: number): Resource[] {
    const out: Resource[] = [];
    for (let i = 0; out.length < size; i++) {
        out.push(
            table(`a${i}`, { environment: "production", backup: `a${i}` }),
            table(`b${i}`, { environment: "production", backup: `b${i}` }),
            selection(`by-tag-a${i}`, {
                selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: `a${i}` }],
            }),
            selection(`by-tag-b${i}`, {
                resources: ["*"],
                conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: `b${i}` }] }],
            }),
            ...[0, 1, 2, 3, 4, 5].map((j) => filler(`f${i}-${j}`)),
        );
    }
    return out.slice(0, size);
}

function template(i: number, k: number): string {
    const resources: Record<string, unknown> = {};
    for (let j = 0; j < 4; j++) {
        resources[`Table${j}`] = {
            Type: "AWS::DynamoDB::Table",
            Properties: {
                TableName: `legacy${i}-${k}-t${j}`,
                PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
                DeletionProtectionEnabled: true,
                SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: { Ref: "Key" } },
                Tags: [{ Key: "environment", Value: { Ref: "Env" } }],
            },
        };
    }
    resources.Key = { Type: "AWS::KMS::Key", Properties: { KeyPolicy: { Statement: [] } } };
    return JSON.stringify({
        Parameters: { Env: { Type: "String", Default: "production" } },
        Resources: resources,
        Outputs: { Name: { Value: { Ref: "Table0" } } },
        Description: `legacy stack ${i}`,
    });
}

/** Groups of ten: two CloudFormation stacks of four tables each, one selection by name pattern, seven others. */
function cloudFormationHeavy(size: number): Resource[] {
    const out: Resource[] = [];
    for (let i = 0; out.length < size; i++) {
        for (const k of [0, 1]) {
            out.push({
                type: "aws:cloudformation/stack:Stack",
                name: `legacy${i}-${k}`,
                urn: urn("aws:cloudformation/stack:Stack", `legacy${i}-${k}`),
                provider,
                properties: { name: `legacy${i}-${k}`, templateBody: template(i, k), parameters: {} },
            });
        }
        out.push(
            selection(`legacy${i}`, { resources: [`arn:aws:dynamodb:us-east-1:*:table/legacy${i}-*`] }),
            ...[0, 1, 2, 3, 4, 5, 6].map((j) => filler(`f${i}-${j}`)),
        );
    }
    return out.slice(0, size);
}

/** Half the resources are tables, a fifth of them tagged for one shared tag selection, the rest named by ARN. */
function halfTables(size: number): Resource[] {
    const out: Resource[] = [
        selection("daily-by-tag", {
            selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }],
        }),
    ];
    for (let i = 0; out.length < size; i++) {
        const t = table(
            `t${i}`,
            i % 5 === 0 ? { environment: "production", backup: "daily" } : { environment: "production" },
        );
        out.push(t);
        if (i % 5 !== 0) {
            out.push({
                ...selection(`t${i}-selection`, { resources: [UNKNOWN] }),
                dependencies: [t.urn],
                propertyDependencies: { resources: [t.urn] },
            });
        } else {
            out.push(filler(`f${i}`));
        }
    }
    return out.slice(0, size);
}

export interface StackShape {
    readonly name: string;
    readonly generate: (size: number) => Resource[];
}

export const SHAPES: readonly StackShape[] = [
    { name: "current (ResilientTable-like groups)", generate: generateStack },
    { name: "selections with unknown resources, no dependencies", generate: unknownSelections },
    { name: "one tag selection per table", generate: selectionsByTag },
    { name: "CloudFormation-heavy", generate: cloudFormationHeavy },
    { name: "50% tables", generate: halfTables },
];
