/**
 * An AWS Backup Audit Manager framework that proves a baseline's protection: production DynamoDB
 * tables in a backup plan, plans frequent and long enough, recovery points encrypted, not deletable
 * by hand, recent, and copied where copies are configured; with an optional daily compliance report
 * to S3. Opt-in: a framework needs AWS Config recording backup resources in the account and Region,
 * and AWS bills each control evaluation ("AWS Backup Audit Manager", AWS Backup Developer Guide,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-audit-manager.html).
 *
 * Control names and parameters: "Choosing your controls",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/controls-and-remediation.html.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { NameRules, physicalName } from "../core/names";
import { REGION_PATTERN } from "../core/regions";
import { ArgProblem, show } from "../core/problems";
import type { BaselineAuditArgs } from "./types";

/** Controls per framework, and frameworks per account and Region (AWS Backup quotas). */
export const MAX_CONTROLS_PER_FRAMEWORK = 50;
export const MAX_FRAMEWORKS_PER_REGION = 10;
/** Framework and report plan names: letters, digits and `_`, starting with a letter, up to 256. */
const AUDIT_NAME_RULES: NameRules = { max: 256, extra: "_", startWithLetter: true };
/** S3 bucket names: 3 to 63 lower-case letters, digits, `.` and `-` (S3 User Guide, "Bucket naming rules"). */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** One control as `aws.backup.Framework` takes it. */
export interface AuditControl {
    readonly name: string;
    readonly inputParameters?: Array<{ name: string; value: string }>;
    readonly scope?: { complianceResourceTypes?: string[]; tags?: Record<string, string> };
}

/**
 * The controls for a baseline whose selection is `tags` (the scope takes one tag pair, so the first;
 * AWS Backup, ControlScope). Recovery-point and resource controls are scoped to DynamoDB.
 */
export function auditControls(
    audit: BaselineAuditArgs,
    tags: Readonly<Record<string, string>> | undefined,
): AuditControl[] {
    const retention = String(audit.minRetentionDays ?? 35);
    const hours = audit.maxHoursBetweenBackups ?? 24;
    const [firstTag] = Object.entries(tags ?? {});
    const dynamodb = { complianceResourceTypes: ["DynamoDB"] };
    const tagged = firstTag ? { ...dynamodb, tags: { [firstTag[0]]: firstTag[1] } } : dynamodb;
    // Frequency is given in hours (at most 24) or days (at most 31) (AWS Config,
    // https://docs.aws.amazon.com/config/latest/developerguide/backup-plan-min-frequency-and-min-retention-check.html);
    // the last recovery point's age likewise.
    const frequency =
        hours <= 24
            ? { unit: "hours", value: String(hours) }
            : { unit: "days", value: String(Math.ceil(hours / 24)) };
    const controls: AuditControl[] = [
        { name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", scope: tagged },
        {
            name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
            inputParameters: [
                { name: "requiredFrequencyUnit", value: frequency.unit },
                { name: "requiredFrequencyValue", value: frequency.value },
                { name: "requiredRetentionDays", value: retention },
            ],
        },
        { name: "BACKUP_RECOVERY_POINT_ENCRYPTED", scope: dynamodb },
        { name: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", scope: dynamodb },
        {
            name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
            inputParameters: [{ name: "requiredRetentionDays", value: retention }],
            scope: dynamodb,
        },
        {
            name: "BACKUP_LAST_RECOVERY_POINT_CREATED",
            inputParameters: [
                { name: "recoveryPointAgeUnit", value: frequency.unit },
                { name: "recoveryPointAgeValue", value: frequency.value },
            ],
            scope: tagged,
        },
    ];
    if ((audit.copyRegions ?? []).length > 0) {
        controls.push({
            name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
            inputParameters: [{ name: "crossRegionList", value: [...audit.copyRegions!].join(",") }],
            scope: tagged,
        });
    }
    if ((audit.copyAccounts ?? []).length > 0) {
        controls.push({
            name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT",
            inputParameters: [{ name: "crossAccountList", value: [...audit.copyAccounts!].join(",") }],
            scope: tagged,
        });
    }
    return controls;
}

/** Every problem with the `audit` argument. */
export function validateAudit(audit: unknown): ArgProblem[] {
    if (audit === undefined || typeof audit === "boolean") return [];
    const problems: ArgProblem[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    if (audit === null || typeof audit !== "object" || Array.isArray(audit)) {
        add("audit", `\`audit\` is ${show(audit)}; it must be true, false or { minRetentionDays?, ... }.`);
        return problems;
    }
    const a = audit as Record<string, unknown>;
    // Unknown keys are checked with the baseline's other arguments (argShapes.ts).
    const whole = (field: string, min: number, max: number, unit: string) => {
        const v = a[field];
        if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= min && v <= max)) {
            add(
                `audit.${field}`,
                `\`audit.${field}\` is ${show(v)}; it must be a whole number of ${unit} from ${min} to ${max}. Fix: correct it, or leave it unset.`,
            );
        }
    };
    whole("minRetentionDays", 1, 36500, "days");
    whole("maxHoursBetweenBackups", 1, 744, "hours");
    const list = (field: string, pattern: RegExp, what: string) => {
        const v = a[field];
        if (v === undefined) return;
        if (!Array.isArray(v)) {
            add(`audit.${field}`, `\`audit.${field}\` is ${show(v)}; it must be a list of ${what}s.`);
            return;
        }
        v.forEach((item: unknown, i) => {
            if (typeof item !== "string" || !pattern.test(item)) {
                add(
                    `audit.${field}[${i}]`,
                    `\`audit.${field}[${i}]\` is ${show(item)}; it must be ${what}. Fix: correct it.`,
                );
            }
        });
    };
    list("copyRegions", REGION_PATTERN, 'an AWS Region name such as "eu-west-1"');
    list("copyAccounts", /^\d{12}$/, "a 12-digit account ID");
    const bucket = a.reportBucket;
    if (bucket !== undefined && (typeof bucket !== "string" || !BUCKET_PATTERN.test(bucket))) {
        add(
            "audit.reportBucket",
            `\`audit.reportBucket\` is ${show(bucket)}; it must be an S3 bucket name (3 to 63 lower-case letters, digits, \`.\` and \`-\`), not an ARN. Fix: pass the bucket's name.`,
        );
    }
    if (a.reportKeyPrefix !== undefined && a.reportBucket === undefined) {
        add(
            "audit.reportKeyPrefix",
            "`audit.reportKeyPrefix` is set without `audit.reportBucket`. Fix: name the bucket, or remove the prefix.",
        );
    }
    return problems;
}

/** The frameworks of this program by stack and Region, to stay within AWS's 10 per account-Region. */
const frameworksByRegion = new Map<string, number>();

/** Problems with one more framework in `region` (this program's count; other stacks' are not seen). */
export function claimFramework(region: string | undefined): ArgProblem[] {
    const key = `${pulumi.getProject()}/${pulumi.getStack()}/${region ?? ""}`;
    const count = (frameworksByRegion.get(key) ?? 0) + 1;
    if (count > MAX_FRAMEWORKS_PER_REGION) {
        return [
            {
                propertyPath: "audit",
                reason: `\`audit\` would make framework ${count} of this program in ${region ?? "the provider's Region"}; AWS Backup allows ${MAX_FRAMEWORKS_PER_REGION} per account and Region. Fix: audit from one baseline per Region.`,
            },
        ];
    }
    frameworksByRegion.set(key, count);
    return [];
}

/** Creates the framework (and the report plan, when a bucket is given) under `parent`. */
export function createAudit(
    name: string,
    audit: BaselineAuditArgs,
    tags: Readonly<Record<string, string>> | undefined,
    region: string | undefined,
    resourceTags: Record<string, string>,
    parent: pulumi.Resource,
): { framework: aws.backup.Framework; reportPlan?: aws.backup.ReportPlan } {
    const controls = auditControls(audit, tags);
    // Never more than 8 controls; the quota is 50 per framework.
    if (controls.length > MAX_CONTROLS_PER_FRAMEWORK) throw new Error("too many audit controls");
    const base = [pulumi.getProject(), pulumi.getStack(), name];
    const framework = new aws.backup.Framework(
        `${name}-audit`,
        {
            name: physicalName(base, AUDIT_NAME_RULES),
            description: `Proves the DynamoDB protection of baseline ${name}: in a backup plan, encrypted, retained, recent.`,
            controls,
            region,
            tags: resourceTags,
        },
        { parent },
    );
    let reportPlan: aws.backup.ReportPlan | undefined;
    if (audit.reportBucket !== undefined) {
        reportPlan = new aws.backup.ReportPlan(
            `${name}-audit-report`,
            {
                name: physicalName([...base, "report"], AUDIT_NAME_RULES),
                description: `Daily control compliance of baseline ${name}.`,
                reportDeliveryChannel: {
                    s3BucketName: audit.reportBucket,
                    s3KeyPrefix: audit.reportKeyPrefix,
                    formats: ["CSV", "JSON"],
                },
                reportSetting: {
                    reportTemplate: "CONTROL_COMPLIANCE_REPORT",
                    frameworkArns: [framework.arn],
                    numberOfFrameworks: 1,
                },
                region,
                tags: resourceTags,
            },
            { parent },
        );
    }
    return { framework, reportPlan };
}
