/**
 * Which backup selections put a table's recovery points in a vault its own account cannot delete:
 * a logically air-gapped vault (always compliance-locked, its recovery points held in an account AWS
 * Backup owns), a vault whose lock is in compliance mode, or a vault in another account. Read from the
 * program's resources (`aws.backup.Plan` rules and the vaults they depend on) and from
 * `AWS::Backup::BackupPlan`s inside CloudFormation templates; the organization's destinations come
 * from the pack's configuration, since no member stack can see the management account's policy.
 * AWS Backup Developer Guide, "Logically air-gapped vault" and "AWS Backup Vault Lock":
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 *
 * Pure reading; nothing outside policies/ (the pack is published alone).
 */
import { PolicyResource } from "@pulumi/policy";
import { SelectionFacts } from "./backupSelections";
import { parseTemplate } from "../facts/cloudformation";
import { TYPES } from "../engine/tableFacts";
import { isRecord, readProp } from "../engine/values";

const PLAN = "aws:backup/plan:Plan";
const AIR_GAPPED_VAULT = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";
const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const VAULT_ARN = /^arn:aws[a-z-]*:backup:[a-z0-9-]+:(\d{12}):backup-vault:[a-zA-Z0-9_-]+$/;

/** Why a plan's recovery points survive an admin of the table's account, or in which accounts they may. */
export interface PlanIsolation {
    /** Evidence that holds whatever the table's account: an air-gapped or compliance-locked vault, or a listed vault. */
    readonly always?: string;
    /** Known accounts of copy destinations: isolated when the table's account is another. */
    readonly copyAccounts: readonly string[];
}

/** The isolation knobs of the pack's configuration. */
export interface IsolationConfig {
    /** Vault ARNs outside the stack that an admin of the workload account cannot empty. */
    readonly isolatedVaultArns: readonly string[];
}

/** The account of a backup vault ARN, or undefined. */
export function vaultAccount(arn: unknown): string | undefined {
    return typeof arn === "string" ? VAULT_ARN.exec(arn)?.[1] : undefined;
}

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** One plan's isolation from its rules, what they depend on, and the stack's air-gapped and locked vaults. */
export function planIsolation(
    rules: unknown,
    ruleDependencies: readonly string[],
    isolatedUrns: ReadonlyMap<string, string>,
    config: IsolationConfig,
): PlanIsolation | undefined {
    const reasons: string[] = [];
    const copyAccounts: string[] = [];
    for (const urn of ruleDependencies) {
        const why = isolatedUrns.get(urn);
        if (why) reasons.push(why);
    }
    for (const rule of list(rules)) {
        if (!isRecord(rule)) continue;
        const primary = rule.targetLogicallyAirGappedBackupVaultArn;
        if (typeof primary === "string" && primary !== "") {
            reasons.push(`its rules back up into logically air-gapped vault \`${primary}\``);
        }
        for (const copy of list(rule.copyActions)) {
            const arn = isRecord(copy) ? copy.destinationVaultArn : undefined;
            if (typeof arn !== "string") continue;
            if (config.isolatedVaultArns.includes(arn)) {
                reasons.push(`its rules copy to \`${arn}\` (policy config \`isolatedVaultArns\`)`);
            }
            const account = vaultAccount(arn);
            if (account) copyAccounts.push(account);
        }
    }
    if (reasons.length === 0 && copyAccounts.length === 0) return undefined;
    return { always: reasons[0], copyAccounts };
}

/** The stack's air-gapped vaults and compliance-locked vaults, by URN, each with the sentence that says why. */
function isolatedVaults(resources: readonly PolicyResource[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of resources) {
        if (r.type === AIR_GAPPED_VAULT) {
            out.set(r.urn, `its rules reach logically air-gapped vault \`${r.name}\``);
        } else if (r.type === VAULT_LOCK) {
            // `changeableForDays` set: compliance mode (governance mode yields to an admin).
            const changeable = readProp(r.props, "changeableForDays");
            if (typeof changeable !== "number") continue;
            for (const urn of r.propertyDependencies?.backupVaultName ?? []) {
                const u = String((urn as unknown as PolicyResource)?.urn ?? urn);
                out.set(u, `its rules reach a vault locked in compliance mode (\`${r.name}\`)`);
            }
        }
    }
    return out;
}

/** The plan (by selection name) of the program's selections, from their `planId` dependency. */
function planOfSelections(resources: readonly PolicyResource[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of resources) {
        if (r.type !== TYPES.backupSelection) continue;
        const deps = r.propertyDependencies?.planId ?? [];
        const first = deps[0] as unknown;
        if (first !== undefined) out.set(r.name, String((first as PolicyResource)?.urn ?? first));
    }
    return out;
}

/**
 * The stack's selections whose plan isolates its recovery points, each with its plan's isolation: the
 * program's (`aws.backup.Selection` → `aws.backup.Plan`) and those of CloudFormation templates.
 */
export function isolatedSelections(
    resources: readonly PolicyResource[],
    selections: readonly SelectionFacts[],
    config: IsolationConfig,
): Array<{ selection: SelectionFacts; isolation: PlanIsolation }> {
    const vaults = isolatedVaults(resources);
    const plans = new Map<string, PlanIsolation>();
    for (const r of resources) {
        try {
            if (r.type === PLAN) {
                const deps = (r.propertyDependencies?.rules ?? []).map((d) =>
                    String((d as unknown as PolicyResource)?.urn ?? d),
                );
                const isolation = planIsolation(readProp(r.props, "rules"), deps, vaults, config);
                if (isolation) plans.set(r.urn, isolation);
            } else if (r.type === TYPES.cloudFormationStack) {
                for (const [name, isolation] of templateIsolation(
                    r.name,
                    readProp(r.props, "templateBody"),
                    config,
                )) {
                    plans.set(name, isolation);
                }
            }
        } catch {
            // One unreadable resource must not stop the check of the others.
        }
    }
    const planOf = planOfSelections(resources);
    const out: Array<{ selection: SelectionFacts; isolation: PlanIsolation }> = [];
    for (const selection of selections) {
        const plan = planOf.get(selection.name) ?? selection.name;
        const isolation = plans.get(plan);
        if (isolation) out.push({ selection, isolation });
    }
    return out;
}

/** The name `cloudformationBackup.ts` gives a template's selection, so the two readings meet. */
function templateSelectionName(stackName: string, logicalId: string): string {
    return `AWS::Backup::BackupSelection \`${logicalId}\` in CloudFormation stack \`${stackName}\``;
}

/** `{Ref: X}` or `{"Fn::GetAtt": [X, ...]}` → X. */
function referenced(value: unknown): string | undefined {
    if (!isRecord(value)) return undefined;
    if (typeof value.Ref === "string") return value.Ref;
    const att = value["Fn::GetAtt"];
    if (Array.isArray(att) && typeof att[0] === "string") return att[0];
    if (typeof att === "string") return att.split(".")[0];
    return undefined;
}

/** Per selection of the template (by the name the selection reading gives it), its plan's isolation. */
export function templateIsolation(
    stackName: string,
    body: unknown,
    config: IsolationConfig,
): Map<string, PlanIsolation> {
    const out = new Map<string, PlanIsolation>();
    const parsed = parseTemplate(body);
    if (!parsed.ok || !isRecord(parsed.template.Resources)) return out;
    const resources = parsed.template.Resources as Record<string, unknown>;
    const typeOf = (id: string | undefined) =>
        id && isRecord(resources[id]) ? (resources[id] as Record<string, unknown>).Type : undefined;
    const propsOf = (id: string) => {
        const r = resources[id];
        return isRecord(r) && isRecord(r.Properties) ? r.Properties : {};
    };
    const isolatedVault = (value: unknown): string | undefined => {
        const id = referenced(value);
        if (typeOf(id) === "AWS::Backup::LogicallyAirGappedBackupVault") {
            return `its rules reach logically air-gapped vault \`${id}\` of the template`;
        }
        const lock =
            id && typeOf(id) === "AWS::Backup::BackupVault" ? propsOf(id).LockConfiguration : undefined;
        if (isRecord(lock) && lock.ChangeableForDays !== undefined) {
            return `its rules reach vault \`${id}\` of the template, locked in compliance mode`;
        }
        if (typeof value === "string" && config.isolatedVaultArns.includes(value)) {
            return `its rules copy to \`${value}\` (policy config \`isolatedVaultArns\`)`;
        }
        return undefined;
    };
    const plans = new Map<string, PlanIsolation>();
    for (const id of Object.keys(resources)) {
        if (typeOf(id) !== "AWS::Backup::BackupPlan") continue;
        const plan = propsOf(id).BackupPlan;
        const reasons: string[] = [];
        const copyAccounts: string[] = [];
        for (const rule of list(isRecord(plan) ? plan.BackupPlanRule : undefined)) {
            if (!isRecord(rule)) continue;
            const direct = rule.TargetLogicallyAirGappedBackupVaultArn;
            const targets = [rule.TargetBackupVault, ...(direct !== undefined ? [direct] : [])];
            if (direct !== undefined && typeof direct === "string") {
                reasons.push(`its rules back up into logically air-gapped vault \`${direct}\``);
            }
            for (const copy of list(rule.CopyActions)) {
                if (!isRecord(copy)) continue;
                targets.push(copy.DestinationBackupVaultArn);
                const account = vaultAccount(copy.DestinationBackupVaultArn);
                if (account) copyAccounts.push(account);
            }
            for (const t of targets) {
                const why = isolatedVault(t);
                if (why) reasons.push(why);
            }
        }
        if (reasons.length > 0 || copyAccounts.length > 0)
            plans.set(id, { always: reasons[0], copyAccounts });
    }
    for (const id of Object.keys(resources)) {
        if (typeOf(id) !== "AWS::Backup::BackupSelection") continue;
        const plan = plans.get(referenced(propsOf(id).BackupPlanId) ?? "");
        if (plan) out.set(templateSelectionName(stackName, id), plan);
    }
    return out;
}
