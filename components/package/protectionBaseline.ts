/**
 * `ProtectionBaseline` as the Pulumi package presents it to Python, Go, .NET, Java and YAML: the same
 * component under the same type token, with its arguments in types the package schema inference
 * supports (see ./resilientTable.ts for which, and why). The selection, the alarms and the AWS Config
 * rules, which are unions in TypeScript, are flat fields here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as components from "..";
import type { AlertScope } from "../monitoring/types";
import type { ArgProblem } from "../core/problems";
import { toSchedule } from "./tableBackupPlan";
import { toPackageProblems } from "./packageProblems";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import { hideUnset } from "../core/hideUnset";
import type { ProtectionBaselineArgs } from "./types/backup";

/** How the package's field names read in the TypeScript component's messages. */
const RENAMES: Array<[string, string]> = [
    ["selection.tags", "selectionTags"],
    ["selection.tableArns", "selectionTableArns"],
    ["alerts.scope.tableNamePrefix", "alertTableNamePrefix"],
    ["alerts.scope.tableNames", "alertTableNames"],
    ["alerts.scope", "alertScope"],
    ["alerts.topicArn", "alertTopicArn"],
    ["alerts.backupJobAlerts", "backupJobAlerts"],
];

/** What in the package's arguments cannot be said in the TypeScript component's terms. */
export function packageBaselineProblems(args: ProtectionBaselineArgs): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (args.selectionTags !== undefined && args.selectionTableArns !== undefined) {
        add(
            "selectionTableArns",
            "`selectionTags` and `selectionTableArns` are both given; a baseline selects by one of them. Fix: keep " +
                "one (tags cover tables created later, lists do not).",
        );
    }
    const narrowed = [
        ...(args.alertTableNamePrefix !== undefined ? ["alertTableNamePrefix"] : []),
        ...(args.alertTableNames !== undefined ? ["alertTableNames"] : []),
    ];
    if (args.alertScope !== undefined && args.alertScope !== "account") {
        add(
            "alertScope",
            `\`alertScope\` is ${JSON.stringify(args.alertScope)}; the only scope by name is "account". Fix: leave it ` +
                "unset and give `alertTableNamePrefix` or `alertTableNames` to watch fewer tables.",
        );
    } else if (args.alertScope === "account" && narrowed.length > 0) {
        add(
            "alertScope",
            `\`alertScope\` is "account", and \`${narrowed[0]}\` narrows it. Fix: keep one of them.`,
        );
    }
    if (narrowed.length > 1) {
        add(
            "alertTableNames",
            "`alertTableNamePrefix` and `alertTableNames` are both given; the alarms watch one or the other. Fix: keep one.",
        );
    }
    if (args.alerts === false) {
        const set = (
            [
                "alertScope",
                "alertTableNamePrefix",
                "alertTableNames",
                "alertTopicArn",
                "backupJobAlerts",
            ] as const
        ).filter((k) => args[k] !== undefined);
        if (set.length > 0) {
            add(
                "alerts",
                `\`alerts\` is false, but ${set.map((k) => `\`${k}\``).join(", ")} ${set.length === 1 ? "is" : "are"} set; ` +
                    "there are no alarms to apply them to. Fix: remove them, or turn `alerts` on.",
            );
        }
    }
    return problems;
}

/** The TypeScript component's arguments, from the package's. */
export function toBaselineArgs(args: ProtectionBaselineArgs): components.ProtectionBaselineArgs {
    const scope: AlertScope | undefined =
        args.alertTableNamePrefix !== undefined
            ? { tableNamePrefix: args.alertTableNamePrefix }
            : args.alertTableNames !== undefined
              ? { tableNames: args.alertTableNames }
              : (args.alertScope as "account" | undefined);
    const alerts: components.ProtectionBaselineArgs["alerts"] =
        args.alerts === false
            ? false
            : {
                  ...(scope !== undefined ? { scope } : {}),
                  ...(args.alertTopicArn !== undefined ? { topicArn: args.alertTopicArn } : {}),
                  ...(args.backupJobAlerts !== undefined ? { backupJobAlerts: args.backupJobAlerts } : {}),
              };
    const selection: components.BaselineSelection | undefined =
        args.selectionTags !== undefined
            ? { tags: args.selectionTags }
            : args.selectionTableArns !== undefined
              ? { tableArns: args.selectionTableArns }
              : undefined;
    const defined = <T extends object>(o: T) =>
        Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    return defined({
        region: args.region,
        replicaRegions: args.replicaRegions,
        kmsKeyArn: args.kmsKeyArn,
        selection,
        airGapped: args.airGapped,
        schedule: toSchedule(args.schedule, args.rules),
        advancedDynamoDbBackup:
            args.advancedDynamoDbBackup as components.ProtectionBaselineArgs["advancedDynamoDbBackup"],
        vaultLock: args.vaultLock as components.ProtectionBaselineArgs["vaultLock"],
        notifications: args.notifications,
        restoreTesting: args.restoreTesting,
        vaultName: args.vaultName,
        planName: args.planName,
        alerts,
        configRules: args.configRules,
        tags: args.tags,
        organizationMember: args.organizationMember,
        audit: args.audit,
    });
}

/** The TypeScript `ProtectionBaseline`, seen by the schema analyzer as a direct `ComponentResource` subclass. */
const TypeScriptProtectionBaseline = components.ProtectionBaseline as unknown as new (
    name: string,
    args: components.ProtectionBaselineArgs,
    opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/** Builds the TypeScript component, its problems in the package's field names. */
function checked(name: string, args: ProtectionBaselineArgs): components.ProtectionBaselineArgs {
    const problems = [
        ...argKeyProblems("ProtectionBaseline", args, ARG_SHAPES["package:ProtectionBaseline"]),
        ...packageBaselineProblems(args ?? {}),
    ];
    if (problems.length > 0) throw new components.BaselineArgsError(name, problems);
    return toBaselineArgs(args ?? {});
}

/**
 * One account and Region's protection for a fleet of DynamoDB tables: a shared customer-managed key
 * (and one per replica Region), one backup vault and plan selecting tables by tag (or by ARN), one set
 * of drift and backup-job alarms to one SNS topic, and AWS Config rules once. Tables join it through
 * their `baseline` input, given this resource's outputs (of the same program, or of the platform's
 * stack through a stack reference), and then register only themselves.
 */
export class ProtectionBaseline extends TypeScriptProtectionBaseline {
    /** The baseline's resource name, for the messages of tables that join it. */
    declare readonly baselineName: string;
    /** The Region the baseline protects; unset when it is the provider's and the provider did not say. */
    declare readonly region?: string;
    /** The shared customer-managed key joined tables use unless they bring their own. */
    declare readonly kmsKeyArn: pulumi.Output<string>;
    /** The shared key of each replica Region, by Region name. */
    declare readonly replicaKmsKeyArns: Record<string, pulumi.Output<string>>;
    /** The backup plan's ARN. */
    declare readonly planArn: pulumi.Output<string>;
    /** The vault that holds the recovery points. */
    declare readonly vaultName: pulumi.Output<string>;
    /** The tags the backup selection selects tables by; unset when it selects by ARN. */
    declare readonly selectedTags?: Record<string, string>;
    /** The ARNs the backup selection selects; unset when it selects by tag. */
    declare readonly selectedTableArns?: string[];
    /** The topic the alarms publish to; unset when `alerts` is false. */
    declare readonly alertTopicArn?: pulumi.Output<string>;
    /** The name prefix the alarms are narrowed to; unset when they watch the whole account or a list. */
    readonly alertTableNamePrefix?: string;
    /** The table names the alarms are narrowed to; unset when they watch the whole account or a prefix. */
    readonly alertTableNames?: string[];

    constructor(name: string, args: ProtectionBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        try {
            super(name, checked(name, args), opts);
        } catch (e) {
            throw e instanceof components.BaselineArgsError
                ? new components.BaselineArgsError(name, toPackageProblems(e.problems, RENAMES))
                : e;
        }
        const scope = (this as unknown as components.ProtectionBaseline).alertScope;
        if (typeof scope === "object" && "tableNamePrefix" in scope)
            this.alertTableNamePrefix = scope.tableNamePrefix;
        if (typeof scope === "object" && "tableNames" in scope) this.alertTableNames = [...scope.tableNames];
        hideUnset(this);
    }
}
