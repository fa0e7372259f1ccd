/**
 * The `dynamodb-pitr` CrossGuard policy pack: no production DynamoDB table without point-in-time
 * recovery, however it is declared, plus the related data-loss rules. See docs/policies.md.
 * The list of policies is in `policyList.ts` (no side effects there; this file serves them).
 */
import { PolicyPack } from "@pulumi/policy";
import { shareDecoding } from "./dynamodb/crossguard/sharedDecoding";
import { PACK_METADATA } from "./dynamodb/engine/metadata";
import { PACK_NAME, policies } from "./policyList";

export { policies };

// Several policies look at the whole stack; CrossGuard decodes it once for each unless shared.
shareDecoding();

// The pack's description, display name, README, provider, tags and repository: dynamodb/engine/metadata.ts.
new PolicyPack(PACK_NAME, { policies, ...PACK_METADATA, tags: [...PACK_METADATA.tags] });
