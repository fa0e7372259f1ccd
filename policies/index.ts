/**
 * The `dynamodb-pitr` CrossGuard policy pack: no production DynamoDB table without point-in-time
 * recovery, however it is declared, plus the related data-loss rules. See docs/policies.md.
 * The list of policies is in `policyList.ts` (no side effects there; this file serves them).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policyList";

export { policies };

new PolicyPack(PACK_NAME, { policies });
