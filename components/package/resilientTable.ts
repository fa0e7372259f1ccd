/**
 * `ResilientTable` as the Pulumi package presents it to Python, Go, .NET, Java and YAML programs.
 *
 * The package schema is inferred from TypeScript types by `@pulumi/pulumi/provider/experimental`,
 * which supports strings, numbers, booleans, arrays, string maps, `pulumi.Input`/`Output` of those,
 * and named interfaces. The TypeScript arguments use string-literal unions, union-typed options
 * (`backup`, `monitoring`, `adopt.fromResource`), anonymous object types and `aws.dynamodb.TableArgs`,
 * which it does not. This class takes the same arguments in those terms (strings whose allowed values
 * are documented, named interfaces) and passes them on to the TypeScript component unchanged in
 * meaning: it is that component, registered once under the same type token.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import * as components from "..";
import type { ProtectionBaselineReference } from "../baseline/reference";
import type { AlertScope } from "../monitoring/types";
import type { ArgProblem } from "../core/problems";
import { toPackageProblems } from "./packageProblems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import type { ResilientTableArgs, TableBaseline } from "./types/table";

/** The fields of a {@link TableBaseline} the table checks before anything exists: they must be plain values. */
const PLAIN_BASELINE_FIELDS = [
    "baselineName",
    "region",
    "selectedTags",
    "selectedTableArns",
    "alertScope",
    "alertTableNamePrefix",
    "alertTableNames",
    "replicaKmsKeyArns",
] as const;

/** Whether `value` is, or holds outside a map's values, an output not known before deployment. */
function holdsOutput(value: unknown, mapValuesMayBeOutputs = false): boolean {
    if (pulumi.Output.isInstance(value)) return true;
    if (Array.isArray(value)) return value.some((v) => holdsOutput(v));
    if (value !== null && typeof value === "object" && !mapValuesMayBeOutputs)
        return Object.values(value).some((v) => holdsOutput(v));
    return false;
}

/**
 * What in a table's package arguments cannot be said in the TypeScript component's terms: a baseline
 * whose checked fields are outputs, an alert scope that contradicts itself, a schedule of the table's
 * own (a baseline given by its outputs cannot add plans).
 */
export function packageTableProblems(args: ResilientTableArgs): ArgProblem[] {
    const baseline: unknown = args.baseline;
    if (baseline === undefined || baseline === null) return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (pulumi.Output.isInstance(baseline)) {
        add(
            "baseline",
            "`baseline` is one output of another resource, known only during deployment; the table checks the " +
                "baseline's Region, tags and alert scope before anything is created. Fix: give `baseline` as an object " +
                "whose `region`, `selectedTags` and alert scope are plain values and whose `kmsKeyArn`, `planArn`, " +
                "`vaultName` and `alertTopicArn` are the baseline's outputs.",
        );
        return problems;
    }
    if (typeof baseline !== "object") return problems; // refused by the component, naming the value
    const b = baseline as TableBaseline;
    for (const field of PLAIN_BASELINE_FIELDS) {
        if (holdsOutput(b[field], field === "replicaKmsKeyArns")) {
            add(
                `baseline.${field}`,
                `\`baseline.${field}\` is an output of another resource, known only during deployment; the table checks it ` +
                    "before anything is created. Fix: write it as a plain value, as the baseline was given it" +
                    (field === "replicaKmsKeyArns"
                        ? ": a map from each replica Region to the key ARN (the ARN may be an output)."
                        : "."),
            );
        }
    }
    const narrowed = [
        ...(b.alertTableNamePrefix !== undefined ? ["alertTableNamePrefix"] : []),
        ...(b.alertTableNames !== undefined ? ["alertTableNames"] : []),
    ];
    if (narrowed.length > 1) {
        add(
            "baseline.alertTableNames",
            "`baseline.alertTableNamePrefix` and `baseline.alertTableNames` are both given; a baseline's alarms " +
                "watch one or the other. Fix: copy the one the baseline has.",
        );
    }
    const scope = b.alertScope;
    if (scope !== undefined && scope !== "account" && scope !== "none") {
        add(
            "baseline.alertScope",
            `\`baseline.alertScope\` is ${JSON.stringify(scope)}; it must be "account" or "none". Fix: correct it, or ` +
                "give `alertTableNamePrefix` or `alertTableNames` for a narrower scope.",
        );
    } else if (scope === "account" && narrowed.length > 0) {
        add(
            "baseline.alertScope",
            `\`baseline.alertScope\` is "account", and \`baseline.${narrowed[0]}\` narrows it. Fix: keep the one the baseline has.`,
        );
    } else if (scope === "none" && (narrowed.length > 0 || b.alertTopicArn !== undefined)) {
        add(
            "baseline.alertScope",
            '`baseline.alertScope` is "none" (the baseline has no alarms), but the alert topic or scope is given. ' +
                "Fix: remove one or the other, as the baseline has it.",
        );
    }
    if (args.backup !== undefined && args.backup !== "none" && args.sharedBackupPlan === undefined) {
        add(
            "backup",
            `\`backup\` is ${JSON.stringify(args.backup)}, a schedule of the table's own, but a table of the package ` +
                "joins its baseline by the baseline's outputs, which cannot add plans. Fix: remove `backup` (the " +
                "baseline's plan backs the table up), or create a TableBackupPlan with that schedule and pass its " +
                "outputs as `sharedBackupPlan`.",
        );
    }
    return problems;
}

/** The TypeScript reference to a baseline, from its outputs as the package takes them. */
export function toBaselineReference(baseline: TableBaseline): ProtectionBaselineReference {
    const alertScope: AlertScope | undefined =
        baseline.alertTableNamePrefix !== undefined
            ? { tableNamePrefix: baseline.alertTableNamePrefix }
            : baseline.alertTableNames !== undefined
              ? { tableNames: baseline.alertTableNames }
              : baseline.alertScope === "account" ||
                  (baseline.alertScope === undefined && baseline.alertTopicArn !== undefined)
                ? "account"
                : undefined;
    return {
        baselineName: baseline.baselineName,
        region: baseline.region,
        kmsKeyArn: baseline.kmsKeyArn,
        replicaKmsKeyArns: baseline.replicaKmsKeyArns,
        selectedTags: baseline.selectedTags,
        selectedTableArns: baseline.selectedTableArns,
        planArn: baseline.planArn,
        vaultName: baseline.vaultName,
        alertScope,
        alertTopicArn: alertScope === undefined ? undefined : baseline.alertTopicArn,
    };
}

/** The TypeScript component's arguments, from the package's. */
export function toComponentArgs(args: ResilientTableArgs): components.ResilientTableArgs {
    const { sharedBackupPlan, adopt, monitoring, backup, baseline, ...rest } = args;
    const { enabled, configRules, ...monitoringOptions } = monitoring ?? {};
    const joined = baseline !== undefined && baseline !== null;
    // In a baseline, `monitoring: { enabled: true }` alone says what joining does anyway: the baseline's alarms.
    const onlyEnabled =
        enabled === true && configRules === undefined && Object.keys(monitoringOptions).length === 0;
    return {
        ...(rest as Omit<
            ResilientTableArgs,
            "sharedBackupPlan" | "adopt" | "monitoring" | "backup" | "baseline"
        >),
        baseline: joined
            ? typeof baseline === "object" && !pulumi.Output.isInstance(baseline)
                ? toBaselineReference(baseline)
                : (baseline as unknown as ProtectionBaselineReference)
            : undefined,
        tier: args.tier as components.ResilientTableArgs["tier"],
        attributes: args.attributes as components.ResilientTableArgs["attributes"],
        globalSecondaryIndexes:
            args.globalSecondaryIndexes as components.ResilientTableArgs["globalSecondaryIndexes"],
        localSecondaryIndexes:
            args.localSecondaryIndexes as components.ResilientTableArgs["localSecondaryIndexes"],
        billingMode: args.billingMode as components.ResilientTableArgs["billingMode"],
        tableClass: args.tableClass as components.ResilientTableArgs["tableClass"],
        encryption: args.encryption as components.ResilientTableArgs["encryption"],
        streamViewType: args.streamViewType as components.ResilientTableArgs["streamViewType"],
        backup:
            sharedBackupPlan !== undefined
                ? { plan: sharedBackupPlan }
                : (backup as components.ResilientTableArgs["backup"]),
        adopt:
            adopt === undefined
                ? undefined
                : {
                      fromResource: adopt.fromResource,
                      importExistingTable: adopt.importExistingTable,
                      keySchema: { hashKey: adopt.hashKey, rangeKey: adopt.rangeKey },
                  },
        monitoring:
            monitoring === undefined || (joined && onlyEnabled)
                ? undefined
                : enabled === false
                  ? false
                  : { ...monitoringOptions, configRules },
    };
}

/** How the TypeScript component's advice reads in the package's terms. */
const RENAMES: Array<[string, string]> = [
    ["monitoring: false", "monitoring: { enabled: false }"],
    ["alerts.scope", "alertScope"],
];

/** The TypeScript component's arguments, once the package's own problems are ruled out. */
function checked(name: string, args: ResilientTableArgs): components.ResilientTableArgs {
    const problems = [
        ...argKeyProblems("ResilientTable", args, ARG_SHAPES["package:ResilientTable"]),
        ...packageTableProblems(args ?? ({} as ResilientTableArgs)),
    ];
    if (problems.length > 0) throw new components.TableArgsError(name, problems);
    return toComponentArgs(args);
}

/**
 * The TypeScript `ResilientTable`, seen by the schema analyzer as a direct `ComponentResource`
 * subclass: the analyzer only recognises components that extend `ComponentResource` itself, and
 * reads outputs from the members declared below.
 */
const TypeScriptResilientTable = components.ResilientTable as unknown as new (
    name: string,
    args: components.ResilientTableArgs,
    opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/**
 * A DynamoDB table that cannot silently lose data: point-in-time recovery always on (35 days by
 * default), and for production (the default tier) deletion protection, Pulumi `protect` and
 * `retainOnDelete`, customer-managed KMS encryption with rotation, an AWS Backup plan, drift alarms,
 * and the `environment: production` tag the policy pack reads.
 */
export class ResilientTable extends TypeScriptResilientTable {
    /** The DynamoDB table. */
    declare readonly table: aws.dynamodb.Table;
    /** The table's physical name. */
    declare readonly name: pulumi.Output<string>;
    /** The table's ARN. */
    declare readonly arn: pulumi.Output<string>;
    /** The stream's ARN, when streams are on (empty otherwise). */
    declare readonly streamArn: pulumi.Output<string>;
    /** The ARN of the KMS key that encrypts the table; unset with `encryption: aws-owned`. */
    declare readonly kmsKeyArn: pulumi.Output<string | undefined>;
    /** The environment tier the table was created as. */
    declare readonly tier: string;
    /** The PITR window, in days; 0 when PITR was turned off (non-production only). */
    declare readonly recoveryPeriodInDays: pulumi.Output<number>;
    /** ARN of the AWS Backup plan that protects the table; unset when it has none. */
    declare readonly backupPlanArn: pulumi.Output<string | undefined>;
    /** Name of the vault that holds the table's recovery points; unset when it has no plan. */
    declare readonly backupVaultName: pulumi.Output<string | undefined>;

    constructor(name: string, args: ResilientTableArgs, opts?: pulumi.ComponentResourceOptions) {
        try {
            super(name, checked(name, args), opts);
        } catch (e) {
            throw e instanceof components.TableArgsError
                ? new components.TableArgsError(name, toPackageProblems(e.problems, RENAMES))
                : e;
        }
    }
}
