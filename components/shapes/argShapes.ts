/**
 * The one place where every component's arguments are registered for the unknown-key check
 * (`core/argKeys.ts`). Each shape is written `{ ... } satisfies KeysOf<XArgs>`: a field added to an
 * arguments type without its entry here fails to compile, so no new option can be silently ignored.
 *
 * To register a new component: write its shape in `components.ts` (`package.ts` for the package; a
 * nested object is `{ keys: ... }`, a list of objects `{ items: { keys: ... } }`, anything else
 * `true`), add it to {@link ARG_SHAPES} under the component's name, and call `argKeyProblems(owner, args, ARG_SHAPES[owner])` first in its validation.
 * tests/components/shapes/argKeys.spec.ts then feeds a misspelt key at every level of it.
 *
 * The shapes modules import only types (and each other), so every validator may import this module
 * without a circle.
 */
import type { ArgShape } from "../core/argKeys";
import {
    ACTIVE_TABLE,
    AIR_GAPPED_VAULT,
    BASELINE,
    MONITORING,
    ORGANIZATION_POLICY,
    PLAN_KEYS,
    TABLE,
} from "./components";
import { PACKAGE_BASELINE, PACKAGE_ORGANIZATION_POLICY, PACKAGE_PLAN, PACKAGE_TABLE } from "./package";

/**
 * Every component's arguments by the name its messages use. The package's components carry the same
 * names as the TypeScript ones, so their entries are prefixed `package:`.
 */
export const ARG_SHAPES = {
    ResilientTable: TABLE,
    TableBackupPlan: { keys: PLAN_KEYS },
    ProtectionBaseline: BASELINE,
    TableMonitoring: MONITORING,
    ActiveTable: ACTIVE_TABLE,
    OrganizationBackupPolicy: ORGANIZATION_POLICY,
    AirGappedVault: AIR_GAPPED_VAULT,
    "package:ResilientTable": PACKAGE_TABLE,
    "package:TableBackupPlan": PACKAGE_PLAN,
    "package:ProtectionBaseline": PACKAGE_BASELINE,
    "package:OrganizationBackupPolicy": PACKAGE_ORGANIZATION_POLICY,
} as const satisfies Record<string, ArgShape>;

/** A registered component's name. */
export type ArgOwner = keyof typeof ARG_SHAPES;
