/**
 * The shape of a table rule's policy: one CrossGuard policy object with both halves, so that one
 * name, one enforcement level and one configuration cover every verdict of the rule. CrossGuard
 * (`@pulumi/policy` 1.21 `server.js`) runs `validateResource` (and `remediateResource`) for each
 * resource in Analyze (and Remediate) and `validateStack` in AnalyzeStack for any policy that has
 * them; GetAnalyzerInfo lists such a policy as a resource policy.
 */
import { ResourceValidationPolicy, StackValidation } from "@pulumi/policy";

export type TablePolicy = ResourceValidationPolicy & {
    /** The verdicts that need the whole stack in view (`stackRule.ts`). */
    readonly validateStack: StackValidation;
};
