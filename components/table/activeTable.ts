import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { show, type ArgProblem } from "../core/problems";
import { TableArgsError } from "./resilientTable";
import { argKeyProblems } from "../core/argKeys";
import { ARG_SHAPES } from "../shapes/argShapes";
import type { ActiveTableArgs } from "./types";

const PARAMETER_PREFIX_PATTERN = /^(\/[a-zA-Z0-9_.-]+)+$/;

/** Checks {@link ActiveTableArgs} before any parameter exists; returns every problem. */
export function validateActiveTable(args: ActiveTableArgs): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const tables = args?.tables;
    const keys = tables !== null && typeof tables === "object" ? Object.keys(tables) : [];
    if (keys.length === 0) {
        problems.push({
            propertyPath: "tables",
            reason:
                `\`tables\` is ${show(tables)}; list the tables the application may use, e.g. ` +
                '`{ orders, "orders-restore": restored }`.',
        });
    } else if (!keys.includes(args.active)) {
        problems.push({
            propertyPath: "active",
            reason:
                `\`active\` is ${show(args.active)}, which is not a key of \`tables\`; it must be one of ` +
                `${keys.map((k) => show(k)).join(", ")}. Fix: add the table to \`tables\`, or pick one of those.`,
        });
    }
    const prefix = args?.parameterPrefix;
    if (prefix !== undefined && (typeof prefix !== "string" || !PARAMETER_PREFIX_PATTERN.test(prefix))) {
        problems.push({
            propertyPath: "parameterPrefix",
            reason:
                `\`parameterPrefix\` is ${show(prefix)}; it must be an SSM parameter path such as "/orders/active" ` +
                "(starts with `/`, segments of a-z A-Z 0-9 _ . -, no trailing `/`).",
        });
    }
    return problems;
}

/**
 * The stable handle an application reads to find its table: two SSM parameters holding the active
 * table's name and ARN. After a restore, point `active` at the restored table: one changed value
 * moves the application over, and changing it back moves it back. Neither table is touched; the old
 * one stays protected until it is removed from the program explicitly.
 *
 * ```ts
 * const current = new ActiveTable("orders-active", { tables: { orders, restored }, active: "restored" });
 * // The application reads /dynamodb-pitr/orders-active/table-name at start-up.
 * ```
 */
export class ActiveTable extends pulumi.ComponentResource {
    /** The parameter holding the active table's name. */
    readonly nameParameter: aws.ssm.Parameter;
    /** The parameter holding the active table's ARN. */
    readonly arnParameter: aws.ssm.Parameter;
    /** The active table's name. */
    readonly tableName: pulumi.Output<string>;
    /** The active table's ARN. */
    readonly tableArn: pulumi.Output<string>;

    constructor(name: string, args: ActiveTableArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("dynamodb-pitr:index:ActiveTable", name, {}, opts);

        const problems = [
            ...argKeyProblems("ActiveTable", args, ARG_SHAPES.ActiveTable),
            ...validateActiveTable(args),
        ];
        if (problems.length > 0) throw new TableArgsError(name, problems, this, "ActiveTable");

        const active = args.tables[args.active];
        const prefix = args.parameterPrefix ?? `/dynamodb-pitr/${name}`;
        const parameter = (role: "name" | "arn", value: pulumi.Input<string>) =>
            new aws.ssm.Parameter(
                `${name}-${role}`,
                {
                    name: `${prefix}/table-${role}`,
                    type: "String",
                    value,
                    description: `The ${role === "name" ? "name" : "ARN"} of the DynamoDB table the application uses (${args.active})`,
                    region: args.region,
                    tags: { ...args.tags, "dynamodb-pitr:active": args.active },
                },
                // Only a pointer: no `protect`, so cutting over never needs an override.
                { parent: this },
            );
        this.nameParameter = parameter("name", active.name);
        this.arnParameter = parameter("arn", active.arn);
        // From the table, not the parameter: the provider marks a parameter's value secret.
        this.tableName = pulumi.output(active.name);
        this.tableArn = pulumi.output(active.arn);
        this.registerOutputs({ active: args.active, tableName: this.tableName, tableArn: this.tableArn });
    }
}
