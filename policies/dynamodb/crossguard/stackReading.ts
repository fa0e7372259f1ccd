/**
 * The stack as the pack's stack checks read it: its tables (`tablesOf`), the properties references
 * need, and its backup selections (Pulumi resources and `AWS::Backup::BackupSelection`s inside
 * CloudFormation templates). Read once per AnalyzeStack call and shared by every rule that looks at the
 * stack, with production-ness resolved once per distinct production configuration.
 *
 * Sharing: CrossGuard hands each stack policy its own `args.resources`, but with `sharedDecoding.ts`
 * in place their properties wrap the same decoded objects, so the first resource's decoded
 * properties identify the call. Without it, each policy reads the stack itself (correct, slower).
 */
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { SelectionFacts, selectionOf } from "../backup/backupSelections";
import { templateSelections } from "../backup/cloudformationBackup";
import { ProductionConfig } from "../engine/config";
import { TABLE_TYPES, TYPES, TableFacts } from "../engine/tableFacts";
import { Production } from "../engine/production";
import { LinkInput, Links, REFERENCE_PROPS, linkTables, productionResolver } from "../facts/references";
import { tablesOfArgs } from "./tableRule";
import { PROXY_TARGET, readProp } from "../engine/values";

export interface Resolved {
    readonly links: Links;
    /** The table's production-ness with every reference of the stack followed. */
    readonly productionOf: (table: TableFacts) => Production;
}

export interface StackReading {
    /** Every resource that declares tables or refers to one, with its tables. */
    readonly inputs: readonly LinkInput[];
    /** Backup selections of the stack, in Pulumi resources and in CloudFormation templates. */
    readonly selections: readonly SelectionFacts[];
    /** Production-ness for one rule's configuration (memoised per configuration). */
    resolve(config: ProductionConfig, stackTags: ReadonlyMap<string, string> | undefined): Resolved;
}

function urns(list: unknown): string[] {
    return Array.isArray(list)
        ? list
              .filter((r) => r !== null && typeof r === "object")
              .map((r) => String((r as PolicyResource).urn))
        : [];
}

export function propertyDependenciesOf(r: PolicyResource): { [key: string]: string[] } {
    const out: { [key: string]: string[] } = {};
    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) {
        out[k] = urns(v);
    }
    return out;
}

/** Only the properties references read (a table's whole body is read by `tablesOf`). */
function referenceProps(r: PolicyResource): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const props = (r as { props?: unknown }).props;
    for (const key of REFERENCE_PROPS[r.type] ?? []) {
        out[key] = readProp(props, key);
    }
    return out;
}

/** Reads the stack; never throws because of one resource. */
export function readStackNow(resources: readonly PolicyResource[]): StackReading {
    const selections: SelectionFacts[] = [];
    const inputs: LinkInput[] = [];
    for (const r of resources) {
        try {
            if (r.type === TYPES.backupSelection || r.type === TYPES.nativeBackupSelection) {
                const sel = selectionOf(
                    r.type,
                    r.name,
                    readProp(r, "props"),
                    propertyDependenciesOf(r),
                    urns(r.dependencies),
                );
                if (sel) {
                    selections.push(sel);
                }
            } else if (
                r.type === TYPES.tag ||
                r.type === TYPES.legacyGlobalTable ||
                TABLE_TYPES.includes(r.type)
            ) {
                const tables = tablesOfArgs(r);
                inputs.push({
                    type: r.type,
                    name: r.name,
                    urn: r.urn,
                    props: referenceProps(r),
                    propertyDependencies: propertyDependenciesOf(r),
                    dependencies: r.type === TYPES.legacyGlobalTable ? urns(r.dependencies) : undefined,
                    tables,
                });
                if (r.type === TYPES.cloudFormationStack) {
                    const region = readProp(r.provider?.props, "region");
                    selections.push(
                        ...templateSelections(
                            r.name,
                            r.urn,
                            readProp(r.props, "templateBody"),
                            readProp(r.props, "parameters"),
                            typeof region === "string" && region !== "" ? region : undefined,
                        ),
                    );
                }
            }
        } catch {
            // One unreadable resource must not stop the check of the others.
        }
    }
    const resolved = new Map<string, Resolved>();
    return {
        inputs,
        selections,
        resolve(config, stackTags) {
            const key = JSON.stringify([
                config.productionTagKeys,
                config.productionTagValues,
                config.productionStackNamePattern,
                config.allTablesAreProduction,
            ]);
            let r = resolved.get(key);
            if (!r) {
                const links = linkTables(inputs, config);
                r = { links, productionOf: productionResolver(links, config, stackTags) };
                resolved.set(key, r);
            }
            return r;
        },
    };
}

/** The decoded object behind the first resource's properties: the same for every policy of a call. */
function callKey(resources: readonly PolicyResource[]): object | undefined {
    const props = resources[0]?.props as Record<string, unknown> | undefined;
    if (props === null || typeof props !== "object") {
        return undefined;
    }
    try {
        const target = props[PROXY_TARGET];
        return target !== null && typeof target === "object" ? target : undefined;
    } catch {
        return undefined;
    }
}

const readings = new WeakMap<object, { count: number; reading: StackReading }>();

/** The stack's reading, shared with the other stack checks of the same AnalyzeStack call. */
export function readStack(args: Pick<StackValidationArgs, "resources">): StackReading {
    const key = callKey(args.resources);
    const known = key ? readings.get(key) : undefined;
    if (known && known.count === args.resources.length) {
        return known.reading;
    }
    const reading = readStackNow(args.resources);
    if (key) {
        readings.set(key, { count: args.resources.length, reading });
    }
    return reading;
}
