import { CapturedResource } from "../../cli/program/mockRuntime";

/** The one resource of `type` (and `name`, when given); fails with the list of what was registered. */
export function only(resources: CapturedResource[], type: string, name?: string): CapturedResource {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) {
        const seen = resources.map((r) => `${r.type} ${r.name}`).join("\n  ");
        throw new Error(
            `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}:\n  ${seen}`,
        );
    }
    return found[0];
}

/** Every resource of `type`. */
export function all(resources: CapturedResource[], type: string): CapturedResource[] {
    return resources.filter((r) => r.type === type);
}

export const TABLE = "aws:dynamodb/table:Table";
export const KMS_KEY = "aws:kms/key:Key";
export const COMPONENT = "dynamodb-pitr:index:ResilientTable";
