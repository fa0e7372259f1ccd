"""The Orders table from Python, through the dynamodb-pitr component package.

`pulumi package add ../../provider` generates the `pulumi_dynamodb_pitr` SDK and adds it to
requirements.txt; then `pulumi up`.
"""

import pulumi
import pulumi_dynamodb_pitr as dynamodb_pitr

orders = dynamodb_pitr.ResilientTable(
    "orders",
    name="Orders",
    hash_key="orderId",
    attributes=[
        dynamodb_pitr.TableAttributeArgs(name="orderId", type="S"),
        dynamodb_pitr.TableAttributeArgs(name="customerId", type="S"),
        dynamodb_pitr.TableAttributeArgs(name="createdAt", type="S"),
    ],
    global_secondary_indexes=[
        dynamodb_pitr.GlobalSecondaryIndexArgs(
            name="byCustomer", hash_key="customerId", range_key="createdAt"
        )
    ],
    point_in_time_recovery=dynamodb_pitr.PointInTimeRecoveryArgs(recovery_period_in_days=35),
    # Production is the default tier: a daily and monthly AWS Backup plan, deletion protection,
    # a customer-managed KMS key and drift alarms come with it.
    backup="daily-monthly-1-year",
)

pulumi.export("table_name", orders.name)
pulumi.export("table_arn", orders.arn)
pulumi.export("recovery_period_in_days", orders.recovery_period_in_days)
