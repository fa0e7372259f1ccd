// A stack that `dynamodb-pitr check examples/violations` (and `pulumi preview --policy-pack ./policies`)
// rejects. Every table here is production: the provider's default tags say `environment: production`.
// Each is declared a different way, and each lacks point-in-time recovery.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

// 1. A bare table with no PITR at all.
new aws.dynamodb.Table("payments", {
    hashKey: "paymentId",
    attributes: [{ name: "paymentId", type: "S" }],
    billingMode: "PAY_PER_REQUEST",
});

// 2. A global table whose table has PITR, but whose replica does not.
new aws.dynamodb.Table("sessions", {
    hashKey: "sessionId",
    attributes: [{ name: "sessionId", type: "S" }],
    billingMode: "PAY_PER_REQUEST",
    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 },
    deletionProtectionEnabled: true,
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: false }],
});

// 3. A table inside a CloudFormation template.
new aws.cloudformation.Stack("legacy", {
    templateBody: `
Resources:
  Invoices:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "\${AWS::StackName}-invoices"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: invoiceId
          AttributeType: S
      KeySchema:
        - AttributeName: invoiceId
          KeyType: HASH
      Tags:
        - Key: environment
          Value: production
`,
});

// 4. An aws-native table, declared through its type token (what `new awsnative.dynamodb.Table` registers).
class NativeTable extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super("aws-native:dynamodb:Table", name, props, opts);
    }
}
new NativeTable("carts", {
    keySchema: [{ attributeName: "cartId", keyType: "HASH" }],
    attributeDefinitions: [{ attributeName: "cartId", attributeType: "S" }],
    billingMode: "PAY_PER_REQUEST",
    tags: [{ key: "environment", value: "production" }],
});
