/**
 * Physical names for AWS Backup resources. Vault names must be unique per account and Region, and
 * many stacks and tables share an account, so a name is built from the Pulumi project, the stack and
 * the component's name; when that is too long for AWS, it is cut and a hash of the whole is appended,
 * so two long names never meet.
 */
import { createHash } from "crypto";

export interface NameRules {
    /** Longest name AWS accepts. */
    readonly max: number;
    /** Characters allowed besides letters and digits, e.g. `-_`. The first one joins the parts. */
    readonly extra: string;
    /** The name must start with a letter (restore testing plans and selections). */
    readonly startWithLetter?: boolean;
}

/** Vaults: 2 to 50 characters of `a-z A-Z 0-9 - _` (CreateBackupVault). */
export const VAULT_NAME_RULES: NameRules = { max: 50, extra: "-_" };
/** Plans and selections: 1 to 50 characters of `a-z A-Z 0-9 - _ .` (BackupPlanInput, BackupSelection). */
export const PLAN_NAME_RULES: NameRules = { max: 50, extra: "-_." };
/**
 * Restore testing plans and selections: up to 50 letters, digits and underscores, starting with a
 * letter (RestoreTestingPlanForCreate, RestoreTestingSelectionForCreate).
 */
export const RESTORE_TESTING_NAME_RULES: NameRules = { max: 50, extra: "_", startWithLetter: true };

/** `["shop", "prod", "orders"]` → `shop-prod-orders`; too long → cut, then `-<8 hex of the whole>`. */
export function physicalName(parts: readonly string[], rules: NameRules): string {
    const separator = rules.extra[0];
    const escaped = rules.extra.replace(/[-\\\]^]/g, "\\$&");
    const disallowed = new RegExp(`[^a-zA-Z0-9${escaped}]+`, "g");
    const full = parts
        .map((part) => part.replace(disallowed, separator))
        .filter((part) => part.length > 0)
        .join(separator);
    let name = rules.startWithLetter && !/^[a-zA-Z]/.test(full) ? `b${separator}${full}` : full;
    if (name.length > rules.max) {
        const hash = createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 8);
        name = `${name.slice(0, rules.max - hash.length - 1)}${separator}${hash}`;
    }
    return name;
}

/** IAM role names: 1 to 64 characters of `a-z A-Z 0-9 + = , . @ _ -` (IAM CreateRole RoleName). */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
