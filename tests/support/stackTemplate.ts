/** The CloudFormation templates of generated stacks: tables (or SAM SimpleTables) and a backup selection. */
import { ACCOUNT, Item } from "./generatedStack";

/** A template with one to two tables and, maybe, a backup selection of its own (JSON and YAML forms). */
export function template(item: Extract<Item, { kind: "cfn" }>, name: string): { json: string; yaml: string } {
    const resources: Record<string, unknown> = {};
    const sam = item.transform === "sam";
    const transform = sam
        ? "AWS::Serverless-2016-10-31"
        : item.transform === "macro"
          ? "TableMacro"
          : undefined;
    const yaml: string[] = [...(transform ? [`Transform: ${transform}`] : []), "Resources:"];
    // SAM's SimpleTable takes its tags as a map; AWS::DynamoDB::Table as a list.
    const type = sam ? "AWS::Serverless::SimpleTable" : "AWS::DynamoDB::Table";
    item.tables.forEach((t, i) => {
        const props: Record<string, unknown> = {
            TableName: `${name}-${i}`,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: t.pitr },
        };
        if (t.env) props.Tags = sam ? { environment: t.env } : [{ Key: "environment", Value: t.env }];
        resources[`Table${i}`] = { Type: type, Properties: props };
        const tags = sam
            ? ["      Tags:", `        environment: ${t.env}`]
            : ["      Tags:", "        - Key: environment", `          Value: ${t.env}`];
        yaml.push(
            `  Table${i}:`,
            `    Type: ${type}`,
            "    Properties:",
            `      TableName: ${name}-${i}`,
            `      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: ${t.pitr} }`,
            ...(t.env ? tags : []),
        );
    });
    if (item.selection !== "none") {
        const selection: Record<string, unknown> = {
            SelectionName: "tables",
            IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
        };
        if (item.selection === "getatt")
            selection.Resources = item.tables.map((_, i) => ({ "Fn::GetAtt": [`Table${i}`, "Arn"] }));
        else
            selection.ListOfTags = [
                { ConditionType: "STRINGEQUALS", ConditionKey: "environment", ConditionValue: "production" },
            ];
        resources.Selection = {
            Type: "AWS::Backup::BackupSelection",
            Properties: { BackupPlanId: "plan-1", BackupSelection: selection },
        };
        yaml.push(
            "  Selection:",
            "    Type: AWS::Backup::BackupSelection",
            "    Properties:",
            "      BackupPlanId: plan-1",
            "      BackupSelection:",
            "        SelectionName: tables",
            `        IamRoleArn: arn:aws:iam::${ACCOUNT}:role/backup`,
        );
        if (item.selection === "getatt") {
            yaml.push(
                "        Resources:",
                ...item.tables.map((_, i) => `          - !GetAtt Table${i}.Arn`),
            );
        } else {
            yaml.push(
                "        ListOfTags:",
                "          - { ConditionType: STRINGEQUALS, ConditionKey: environment, ConditionValue: production }",
            );
        }
    }
    const json = transform ? { Transform: transform, Resources: resources } : { Resources: resources };
    return { json: JSON.stringify(json), yaml: yaml.join("\n") };
}
