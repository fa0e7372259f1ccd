/**
 * The protection a fleet of DynamoDB tables shares in one account and Region: one backup vault and
 * plan with one tag selection, one set of alarms to one SNS topic, AWS Config rules once, and one
 * customer-managed key. Tables join it (`new ResilientTable(name, { ..., baseline })`) and register
 * nothing of their own that it already provides, so a platform of hundreds of tables stays within
 * AWS's quotas (components/core/quotas.ts) and pays for one key, not one per table.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { hideUnset } from "../core/hideUnset";
import * as aws from "@pulumi/aws";
import { planRules, TableBackupPlan, tablesTagged } from "../backup/backupPlan";
import { PLAN_NAME_RULES, physicalName } from "../core/names";
import { BackupSchedule, resolveSchedule } from "../backup/presets";
import { BaselineSelection, ProtectionBaselineArgs } from "./types";
import { DEFAULT_SCHEDULE_TAG_KEY, DEFAULT_SELECTION_TAGS, validateBaselineArgs } from "./baselineArgs";
import { ProtectionBaselineReference } from "./reference";
import { TIER_TAG_KEY } from "../core/constants";
import { AlertScope } from "../monitoring/types";
import { fleetDriftPattern } from "../monitoring/fleetAlerts";
import { ArgProblem, formatProblems } from "../core/problems";
import { claimFramework, createAudit } from "../backup/audit";
import { providerOf } from "../core/providers";
import { baselineKeys, describeScope, fleetAlarms, fleetBackups, fleetConfigRules } from "./fleetParts";

/** The baseline's arguments are invalid; the message lists every problem. The stack is hidden. */
export class BaselineArgsError extends pulumi.ResourceError {
    constructor(
        readonly componentName: string,
        readonly problems: ArgProblem[],
        resource?: pulumi.Resource,
    ) {
        super(formatProblems("ProtectionBaseline", componentName, problems), resource, true);
        this.name = "BaselineArgsError";
    }
}

/**
 * One account and Region's protection for every DynamoDB table in it. See the module comment and
 * docs/fleet.md.
 *
 * ```ts
 * const baseline = new ProtectionBaseline("platform", { replicaRegions: ["eu-west-1"] });
 * new ResilientTable("orders", { hashKey: "id", attributes: [{ name: "id", type: "S" }], baseline });
 * ```
 */
export class ProtectionBaseline extends pulumi.ComponentResource implements ProtectionBaselineReference {
    readonly baselineName: string;
    readonly region?: string;
    /** The shared key the baseline created, when no `kmsKeyArn` was given. */
    readonly key?: aws.kms.Key;
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly replicaKmsKeyArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** The vault, plan, role and selection; undefined in member mode (`organizationMember`). */
    readonly backups?: TableBackupPlan;
    /** In member mode, the vault the organization's backup policy stores into. */
    readonly memberVault?: aws.backup.Vault;
    /** In member mode, the role the organization's backup policy names (when this baseline created it). */
    readonly memberRole?: aws.iam.Role;
    /** The Audit Manager framework and report plan, when `audit` is on. */
    readonly auditFramework?: aws.backup.Framework;
    readonly auditReportPlan?: aws.backup.ReportPlan;
    /**
     * The baseline's backup plan. In member mode AWS Backup creates the plan from the organization's
     * policy, with an ARN no stack can know: this is then `organization-backup-policy`.
     */
    readonly planArn: pulumi.Output<string>;
    readonly vaultName: pulumi.Output<string>;
    readonly selectedTags?: Readonly<Record<string, string>>;
    readonly selectedTableArns?: readonly string[];
    readonly alertScope?: AlertScope;
    readonly alertTopicArn?: pulumi.Output<string>;
    /** The topic the baseline created for alerts, when it created one. */
    readonly alertTopic?: aws.sns.Topic;
    /** The EventBridge rules, in the baseline's Region and each replica Region. */
    readonly eventRules: aws.cloudwatch.EventRule[] = [];
    /** The AWS Config rules, in every Region the baseline covers. */
    readonly configRules: aws.cfg.Rule[] = [];
    readonly provider?: pulumi.ProviderResource;
    /** The tag key that puts a table on an extra schedule. */
    readonly scheduleTagKey: string;
    /** The extra plans made for tables' own schedules, by schedule id. */
    readonly schedulePlans = new Map<string, aws.backup.Plan>();

    private readonly backupRole: pulumi.Output<string>;
    private readonly advancedDynamoDbBackup: boolean;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: ProtectionBaselineArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("dynamodb-pitr:index:ProtectionBaseline", name, {}, opts);

        // 1. Validate everything that is known, before any child exists.
        const explicitProvider = opts.provider ?? providerOf(opts.providers);
        const providerRegion = explicitProvider ? undefined : aws.config.region;
        const selection: BaselineSelection = args.selection ?? { tags: DEFAULT_SELECTION_TAGS };
        const problems = baselineProblems(name, args, selection, providerRegion);
        if (problems.length > 0) throw new BaselineArgsError(name, problems, this);

        this.baselineName = name;
        this.region = args.region ?? providerRegion;
        this.provider = explicitProvider;
        this.scheduleTagKey = args.scheduleTagKey ?? DEFAULT_SCHEDULE_TAG_KEY;
        this.advancedDynamoDbBackup = args.advancedDynamoDbBackup !== undefined;
        const region = args.region;
        const tags = { ...args.tags, [TIER_TAG_KEY]: "production" };
        this.tags = tags;
        const childOpts = { parent: this };
        // What encrypts or holds the data is kept like a production table: no deployment deletes it.
        const keepOpts = { ...childOpts, protect: true, retainOnDelete: true };

        // 2. The shared key, and one per replica Region (keys are regional).
        const replicaRegions = args.replicaRegions ?? [];
        const keys = baselineKeys(name, args, { region, tags, keepOpts });
        this.key = keys.key;
        this.kmsKeyArn = pulumi.output(args.kmsKeyArn ?? this.key!.arn);
        this.replicaKmsKeyArns = keys.replicaKeys;

        // 3. Backups: one vault, one plan, one role, one selection for the fleet; in member mode the
        //    vault and role the organization's policy names, and no plan or selection.
        const backups = fleetBackups(name, args, {
            selection,
            kmsKeyArn: this.kmsKeyArn,
            region,
            tags,
            parent: this,
        });
        this.selectedTags = backups.selectedTags;
        this.selectedTableArns = backups.selectedTableArns;
        this.memberVault = backups.memberVault;
        this.memberRole = backups.memberRole;
        this.backups = backups.plan;
        this.planArn = backups.planArn;
        this.vaultName = backups.vaultName;
        this.backupRole = backups.roleArn;

        // 4. Alarms: one rule set for the fleet, to one topic; replica Regions forward theirs.
        const alarms = fleetAlarms(name, args, { region, tags, childOpts, eventRules: this.eventRules });
        if (alarms) {
            this.alertScope = alarms.scope;
            this.alertTopic = alarms.topic;
            this.alertTopicArn = alarms.topicArn;
            if (replicaRegions.length > 0)
                this.forwardReplicaEvents(name, alarms.scope, alarms.topicArn, replicaRegions);
        }

        // 5. AWS Config rules once per Region.
        this.configRules.push(
            ...fleetConfigRules(name, args, {
                region,
                tags,
                childOpts,
                replicaRegions,
                selectedTags: this.selectedTags,
            }),
        );

        // 6. Audit: an Audit Manager framework proving the protection, and its report, when asked.
        if (args.audit) {
            const audit = typeof args.audit === "object" ? args.audit : {};
            const created = createAudit(name, audit, this.selectedTags, region, tags, this);
            this.auditFramework = created.framework;
            this.auditReportPlan = created.reportPlan;
        }

        this.registerOutputs({
            kmsKeyArn: this.kmsKeyArn,
            replicaKmsKeyArns: this.replicaKmsKeyArns,
            planArn: this.planArn,
            vaultName: this.vaultName,
            alertTopicArn: this.alertTopicArn,
            selectedTags: this.selectedTags,
        });
        hideUnset(this);
    }

    /**
     * EventBridge rules see their own Region only, and SNS targets must be in the rule's Region: each
     * replica Region gets one rule that forwards the same events to the baseline Region's default bus
     * (EventBridge User Guide, "Sending and receiving events between AWS Regions"), where the fleet's
     * rule sends them to the one topic.
     */
    private forwardReplicaEvents(
        name: string,
        scope: AlertScope,
        topicArn: pulumi.Output<string>,
        replicaRegions: readonly string[],
    ) {
        const childOpts = { parent: this };
        // The home bus, from the topic's ARN: arn:<partition>:sns:<region>:<account>:<name>.
        const homeBus = topicArn.apply((arn) => {
            const [, partition, , region, account] = arn.split(":");
            return `arn:${partition}:events:${region}:${account}:event-bus/default`;
        });
        const role = new aws.iam.Role(
            `${name}-forward`,
            {
                description: `Lets EventBridge forward DynamoDB safety-net events of replica Regions (baseline ${name})`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "events.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                inlinePolicies: [
                    {
                        name: "put-events-home-bus",
                        policy: homeBus.apply((bus) =>
                            JSON.stringify({
                                Version: "2012-10-17",
                                Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: bus }],
                            }),
                        ),
                    },
                ],
                tags: this.tags,
            },
            childOpts,
        );
        for (const replicaRegion of replicaRegions) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-safety-net-changed-${replicaRegion}`,
                {
                    description: `DynamoDB fleet replicas in ${replicaRegion} (${describeScope(scope)}): forwarded to the baseline's Region.`,
                    eventPattern: JSON.stringify(fleetDriftPattern(scope)),
                    region: replicaRegion,
                    tags: this.tags,
                },
                childOpts,
            );
            new aws.cloudwatch.EventTarget(
                `${name}-safety-net-changed-${replicaRegion}`,
                { rule: rule.name, arn: homeBus, roleArn: role.arn, region: replicaRegion },
                childOpts,
            );
            this.eventRules.push(rule);
        }
    }

    /**
     * The tags that put a table on `schedule` too, in addition to the baseline's own plan. The first
     * table to ask for a schedule creates its plan (one per distinct schedule, in the baseline's vault,
     * selecting by tag); the others share it, so custom schedules cost a plan each, never one per table.
     */
    scheduleTags(schedule: BackupSchedule): Record<string, string> {
        if (this.backups === undefined) {
            throw new BaselineArgsError(
                this.baselineName,
                [
                    {
                        propertyPath: "organizationMember",
                        reason:
                            `a table asked baseline "${this.baselineName}" for its own schedule, but the baseline is in member ` +
                            "mode (`organizationMember`): the organization's backup policy owns every plan. Fix: remove the " +
                            "table's `backup` schedule, or add a rule to the OrganizationBackupPolicy.",
                    },
                ],
                this,
            );
        }
        const id = scheduleId(schedule);
        if (!this.schedulePlans.has(id)) {
            const advanced = this.advancedDynamoDbBackup;
            const childOpts = { parent: this };
            const base = [pulumi.getProject(), pulumi.getStack(), this.baselineName, id];
            const plan = new aws.backup.Plan(
                `${this.baselineName}-schedule-${id}`,
                {
                    name: physicalName(base, PLAN_NAME_RULES),
                    rules: planRules(resolveSchedule(schedule, advanced), this.vaultName),
                    region: this.region,
                    tags: this.tags,
                },
                childOpts,
            );
            new aws.backup.Selection(
                `${this.baselineName}-schedule-${id}`,
                {
                    name: physicalName([...base, "tagged"], PLAN_NAME_RULES),
                    planId: plan.id,
                    iamRoleArn: this.backupRole,
                    ...tablesTagged({ ...this.selectedTags, [this.scheduleTagKey]: id }),
                    region: this.region,
                },
                { ...childOpts, deleteBeforeReplace: true },
            );
            this.schedulePlans.set(id, plan);
        }
        return { [this.scheduleTagKey]: id };
    }
}

/** A schedule's stable id: the preset's name, or `custom-<hash>` of the rules. */
export function scheduleId(schedule: BackupSchedule): string {
    if (typeof schedule === "string") return schedule;
    const digest = crypto.createHash("sha256").update(JSON.stringify(schedule)).digest("hex");
    return `custom-${digest.slice(0, 10)}`;
}

/**
 * The selections of every baseline of this program, by stack: two baselines in one Region whose
 * selections can match the same table would back it up twice and alert twice, and hide which one owns
 * it. Tag selections overlap unless some tag has different values in each; ARN lists overlap when they
 * share an ARN.
 */
const claimed = new WeakMap<object, Array<{ name: string; region?: string; selection: BaselineSelection }>>();
const noStack = {};

function claimSelection(
    name: string,
    region: string | undefined,
    selection: BaselineSelection,
): ArgProblem[] {
    const stack = (pulumi.runtime.getStackResource() as object | undefined) ?? noStack;
    const list = claimed.get(stack) ?? [];
    claimed.set(stack, list);
    for (const other of list) {
        if (other.region !== region) continue;
        if (overlaps(selection, other.selection)) {
            return [
                {
                    propertyPath: "selection",
                    reason:
                        `\`selection\` ${describeSelection(selection)} can select the same tables as baseline "${other.name}" ` +
                        `(${describeSelection(other.selection)}) in ${region ?? "the provider's Region"}; each table would be ` +
                        "backed up and alerted on twice. Fix: use one baseline per account and Region, or give each a tag " +
                        'that tells their tables apart (e.g. { environment: "production", team: "payments" }).',
                },
            ];
        }
    }
    list.push({ name, region, selection });
    return [];
}

function overlaps(a: BaselineSelection, b: BaselineSelection): boolean {
    if ("tags" in a && "tags" in b) {
        return Object.entries(a.tags).every(([k, v]) => b.tags[k] === undefined || b.tags[k] === v);
    }
    if ("tableArns" in a && "tableArns" in b) return a.tableArns.some((arn) => b.tableArns.includes(arn));
    return false;
}

function describeSelection(selection: BaselineSelection): string {
    return "tags" in selection
        ? `selects tables tagged ${Object.entries(selection.tags)
              .map(([k, v]) => `${k}=${v}`)
              .join(", ")}`
        : `selects ${selection.tableArns.length} table ARNs`;
}

/**
 * Every problem with a baseline's arguments; when there is none, the claims on its selection and
 * (with `audit`) on the Region's Audit Manager frameworks, which another baseline may already hold.
 */
function baselineProblems(
    name: string,
    args: ProtectionBaselineArgs,
    selection: BaselineSelection,
    providerRegion: string | undefined,
): ArgProblem[] {
    const problems = validateBaselineArgs(args, providerRegion);
    const member = args.organizationMember;
    const memberSelection: BaselineSelection | undefined = member
        ? { tags: member.selectedTags ?? DEFAULT_SELECTION_TAGS }
        : undefined;
    if (problems.length === 0)
        problems.push(...claimSelection(name, args.region ?? providerRegion, memberSelection ?? selection));
    if (problems.length === 0 && args.audit) problems.push(...claimFramework(args.region ?? providerRegion));
    return problems;
}
