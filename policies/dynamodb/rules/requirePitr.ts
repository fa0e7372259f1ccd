/**
 * Rule: every production DynamoDB table has point-in-time recovery on, however it is declared.
 * Matches AWS Config `dynamodb-pitr-enabled`, Security Hub DynamoDB.2, cdk-nag AwsSolutions-DDB3,
 * Checkov CKV_AWS_28 / CKV_AWS_165 and Trivy AVD-AWS-0024.
 * With enforcement level `remediate`, it turns PITR on instead of failing.
 */
import { ResourceValidationArgs } from "@pulumi/policy";
import { PITR_DEFAULT_DAYS, PITR_MAX_DAYS, ProductionConfig } from "../engine/config";
import {
    Decision,
    cannotVerify,
    compliant,
    notApplicable,
    problemWith,
    unknownField,
} from "../engine/decision";
import { TableFacts } from "../engine/tableFacts";
import { decideProduction } from "../engine/production";
import {
    TableRule,
    configSchemaOf,
    readRuleConfig,
    readTablesOfArgs,
    validateTables,
} from "../crossguard/tableRule";
import { validateTablesInStack } from "../crossguard/stackRule";
import { TablePolicy } from "../crossguard/tablePolicy";
import { UNKNOWN, asBoolean, asNumber, isRecord, snapshot } from "../engine/values";
import { metadataOf } from "../engine/metadata";

export interface PitrConfig {
    /** The recovery period remediation sets when it turns PITR on and none is given. */
    readonly remediationRecoveryPeriodInDays: number;
}

/** The pure decision: is PITR on for this table? */
export function decidePitr(table: TableFacts): Decision {
    if (table.cannotVerify) {
        return cannotVerify(table);
    }
    const f = table.pitrEnabled;
    if (!f) {
        return notApplicable("this declaration has no point-in-time recovery setting");
    }
    const enabled = asBoolean(f.value);
    if (enabled === true) {
        return compliant(`\`${f.path}\` is true`);
    }
    if (enabled === UNKNOWN) {
        return unknownField(f);
    }
    const component = table.pitrRemediation === "table" ? ", or use ResilientTable, which turns it on" : "";
    return {
        outcome: "non-compliant",
        path: f.path,
        problem: problemWith(f),
        fix: table.fixes?.pitr ?? `set it to true${component}`,
    };
}

export const pitrRule: TableRule<PitrConfig> = {
    what: "point-in-time recovery",
    schema: {
        remediationRecoveryPeriodInDays: {
            type: "integer",
            minimum: 1,
            maximum: PITR_MAX_DAYS,
            default: PITR_DEFAULT_DAYS,
            description:
                "Recovery period (days, 1 to 35) that remediation sets when it turns PITR on and the table gives none.",
        },
    },
    decide: (table) => decidePitr(table),
};

/**
 * The remediation, as a pure function of the resource's plain properties: the properties to write,
 * or undefined when nothing needs to change (or cannot be changed safely).
 */
export function remediatePitr(
    type: string,
    table: TableFacts,
    props: Record<string, unknown>,
    config: PitrConfig & ProductionConfig,
    stackTags?: ReadonlyMap<string, string>,
): Record<string, unknown> | undefined {
    if (decideProduction(table, config, { stackTags }).production !== true) {
        return undefined;
    }
    const days = config.remediationRecoveryPeriodInDays;
    const changes: Record<string, unknown> = {};
    if (table.pitrRemediation === "table" && decidePitr(table).outcome === "non-compliant") {
        const current = isRecord(props.pointInTimeRecovery) ? props.pointInTimeRecovery : {};
        const period = asNumber(current.recoveryPeriodInDays);
        changes.pointInTimeRecovery = {
            ...current,
            enabled: true,
            recoveryPeriodInDays: typeof period === "number" ? period : days,
        };
    }
    if (table.pitrRemediation === "nativeTable" && decidePitr(table).outcome === "non-compliant") {
        const current = isRecord(props.pointInTimeRecoverySpecification)
            ? props.pointInTimeRecoverySpecification
            : {};
        const period = asNumber(current.recoveryPeriodInDays);
        changes.pointInTimeRecoverySpecification = {
            ...current,
            pointInTimeRecoveryEnabled: true,
            recoveryPeriodInDays: typeof period === "number" ? period : days,
        };
    }
    if (table.pitrRemediation === "tableReplica" && decidePitr(table).outcome === "non-compliant") {
        changes.pointInTimeRecovery = true;
    }
    if (type === "aws:dynamodb/table:Table" && Array.isArray(props.replicas)) {
        const replicas = props.replicas;
        const off = replicas.some(
            (r) =>
                isRecord(r) && r.pointInTimeRecovery !== UNKNOWN && asBoolean(r.pointInTimeRecovery) !== true,
        );
        if (off) {
            changes.replicas = replicas.map((r) =>
                isRecord(r) && r.pointInTimeRecovery !== UNKNOWN ? { ...r, pointInTimeRecovery: true } : r,
            );
        }
    }
    return Object.keys(changes).length > 0 ? changes : undefined;
}

export const requirePitr: TablePolicy = {
    name: "dynamodb-production-table-pitr-enabled",
    ...metadataOf("dynamodb-production-table-pitr-enabled"),
    description:
        "Production DynamoDB tables must have point-in-time recovery enabled, on the table and on every replica, however they are declared.",
    enforcementLevel: "mandatory",
    configSchema: configSchemaOf(pitrRule),
    validateResource: validateTables(pitrRule),
    validateStack: validateTablesInStack(pitrRule),
    remediateResource: (args: ResourceValidationArgs) => {
        try {
            const tables = readTablesOfArgs(args);
            const main = tables[0];
            if (!main || main.cannotVerify || !main.pitrRemediation) {
                return undefined;
            }
            const config = readRuleConfig<PitrConfig>(args.getConfig(), pitrRule.schema);
            const plain = snapshot(args.props);
            const changes = remediatePitr(
                args.type,
                main,
                isRecord(plain) ? plain : {},
                config,
                args.stackTags,
            );
            if (!changes) {
                return undefined;
            }
            // Write through CrossGuard's proxy so that secret values elsewhere in the resource stay secret.
            const props = args.props as Record<string, unknown>;
            for (const [k, v] of Object.entries(changes)) {
                props[k] = v;
            }
            return props;
        } catch {
            // Leave the resource as it is; the validation reports what is wrong.
            return undefined;
        }
    },
};
