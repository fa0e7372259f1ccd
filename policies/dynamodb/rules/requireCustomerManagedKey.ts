/**
 * Rule (advisory by default): production tables are encrypted with a customer managed KMS key, so
 * that the key's policy, rotation and deletion are under the owner's control.
 * Matches AWS Config `dynamodb-table-encrypted-kms`, Checkov CKV_AWS_119 and Trivy AVD-AWS-0025.
 */
import { TablePolicy } from "../crossguard/tablePolicy";
import { validateTablesInStack } from "../crossguard/stackRule";
import { Decision, compliant, notApplicable, problemWith, unknownField } from "../engine/decision";
import { TableFacts } from "../engine/tableFacts";
import { TableRule, configSchemaOf, validateTables } from "../crossguard/tableRule";
import { UNKNOWN, asBoolean } from "../engine/values";
import { metadataOf } from "../engine/metadata";

/** The AWS managed key for DynamoDB: KMS, but not customer managed. */
const AWS_MANAGED_KEY = /(^|:)alias\/aws\/dynamodb$/;

export function decideCustomerManagedKey(table: TableFacts): Decision {
    const e = table.encryption;
    if (table.cannotVerify || !e) {
        return notApplicable("this declaration has no encryption setting");
    }
    if (e.enabled) {
        const on = asBoolean(e.enabled.value);
        if (on === UNKNOWN) {
            return unknownField(e.enabled);
        }
        if (on !== true) {
            return {
                outcome: "non-compliant",
                path: e.enabled.path,
                problem: `${problemWith(e.enabled)}, so the table is encrypted with an AWS owned key`,
                fix: "set it to true and give a customer managed KMS key",
            };
        }
    }
    if (
        e.type &&
        e.type.value !== UNKNOWN &&
        e.type.value !== undefined &&
        String(e.type.value).toUpperCase() !== "KMS"
    ) {
        return {
            outcome: "non-compliant",
            path: e.type.path,
            problem: problemWith(e.type),
            fix: 'set it to "KMS" and give a customer managed KMS key',
        };
    }
    const key = e.kmsKey.value;
    if (key === UNKNOWN) {
        // A key that comes from another resource's output (`key.arn`) is a key the program manages;
        // only the literal AWS managed alias is not, and that is never an unknown output.
        // The same holds for a CloudFormation `!GetAtt Key.Arn` or `!ImportValue`.
        return compliant(`\`${e.kmsKey.path}\` comes from another resource`);
    }
    if (typeof key !== "string" || key.trim() === "") {
        return {
            outcome: "non-compliant",
            path: e.kmsKey.path,
            problem: `${problemWith(e.kmsKey)}, so the table uses an AWS owned or AWS managed key`,
            fix: "set it to the ARN of a customer managed KMS key",
        };
    }
    if (AWS_MANAGED_KEY.test(key.trim())) {
        return {
            outcome: "non-compliant",
            path: e.kmsKey.path,
            problem: `set to the AWS managed key ${JSON.stringify(key)}`,
            fix: "set it to the ARN of a customer managed KMS key",
        };
    }
    return compliant(`\`${e.kmsKey.path}\` names a customer managed key`);
}

export const customerManagedKeyRule: TableRule<Record<string, never>> = {
    what: "customer managed KMS encryption",
    schema: {},
    decide: (table) => decideCustomerManagedKey(table),
};

export const requireCustomerManagedKey: TablePolicy = {
    name: "dynamodb-production-table-customer-managed-key",
    ...metadataOf("dynamodb-production-table-customer-managed-key"),
    description:
        "Production DynamoDB tables should be encrypted with a customer managed KMS key rather than an AWS owned or AWS managed key.",
    enforcementLevel: "advisory",
    configSchema: configSchemaOf(customerManagedKeyRule),
    validateResource: validateTables(customerManagedKeyRule),
    validateStack: validateTablesInStack(customerManagedKeyRule),
};
