import * as pulumi from "@pulumi/pulumi";

/**
 * The policy of an alarm topic: only the given EventBridge rules may publish to it. The condition on
 * the source ARN keeps any other rule in the account (or another account's) from using the topic (SNS
 * Developer Guide, "Amazon SNS access policy": confused-deputy prevention).
 */
export function alarmTopicPolicy(
    sid: string,
    topicArn: pulumi.Input<string>,
    ruleArns: pulumi.Input<string>[],
): pulumi.Output<string> {
    return pulumi.all([topicArn, pulumi.all(ruleArns)]).apply(([arn, sources]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: sid,
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: arn,
                    Condition: { ArnEquals: { "aws:SourceArn": sources } },
                },
            ],
        }),
    );
}
