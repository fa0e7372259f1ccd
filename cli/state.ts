/**
 * `dynamodb-pitr check --state <file-or-folder>`: audits stacks that already exist, from the JSON of
 * `pulumi stack export`, with the same policy pack and the same analyzer gRPC protocol as a preview,
 * without the Pulumi CLI and without cloud credentials.
 *
 * The format is Pulumi's `apitype.UntypedDeployment` holding a `DeploymentV3`
 * (https://github.com/pulumi/pulumi/blob/master/sdk/go/common/apitype/core.go): `{version: 3,
 * deployment: {manifest, secrets_providers, resources: ResourceV3[], pending_operations}}`. Secret
 * values are `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...}` holding
 * either `ciphertext` (a plain export: encrypted by the stack's secrets provider, unreadable offline)
 * or `plaintext` (`--show-secrets`: the value as JSON text).
 *
 * The first half of this module is pure (parse, convert, count) and unit-tested; `runStateCheck` at
 * the end drives the pack.
 */
import * as fs from "fs";
import * as path from "path";
import { TYPES, TABLE_TYPES } from "../policies/dynamodb/engine/tableFacts";
import { decideProduction } from "../policies/dynamodb/engine/production";
import { decidePitr, pitrRule } from "../policies/dynamodb/rules/requirePitr";
import { readRuleConfig } from "../policies/dynamodb/crossguard/tableRule";
import { tablesOf } from "../policies/dynamodb/facts/tables";
import * as values from "../policies/dynamodb/engine/values";
import {
    AnalyzerInfo,
    PolicyConfig,
    PolicyPackClient,
    PropertyMap,
    PropertyValue,
    ProviderResource,
    Resource,
    Secret,
    startPolicyPack,
    UNKNOWN,
    UNKNOWN_WIRE_VALUE,
} from "./analyzer";
import type { CheckIo, CheckResult } from "./check";
import type { CapturedResource } from "./mockRuntime";
import { RawPolicyConfig, resolvePolicyConfig } from "./policyConfig";
import { renderReport, resourceSummary, toSarif } from "./report";
import { decompress, MAX_TEXT_BYTES, toText, tooLarge } from "./backend/decode";
import { StackReadError } from "./backend/types";
import { evaluateOverGrpc } from "./fleet/evaluate";
import { fromWire } from "./stackResources";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SUPPORTED_VERSION = 3;

/** One resource of a `DeploymentV3`, as `pulumi stack export` writes it (`apitype.ResourceV3`). */
export interface ResourceV3 {
    urn: string;
    custom: boolean;
    delete?: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    external?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: string;
    aliases?: string[];
    additionalSecretOutputs?: string[];
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
}

/** A problem with a file: the whole file (`StateError`) or one value in it (a warning). */
export class StateError extends Error {}

/** A stack export, checked for shape, with the stack and project read from its URNs. */
export interface StackExport {
    file: string;
    stack: string;
    project: string;
    resources: ResourceV3[];
    /** One line each: things the check could not read but worked around. */
    warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → its parts; the name may itself hold `::`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::") : [];
    if (parts.length < 4) return { stack: "", project: "", type: "", name: urn };
    const [stack, project, qualifiedType, ...name] = parts;
    return { stack, project, type: qualifiedType.split("$").pop() ?? "", name: name.join("::") };
}

/**
 * Parses the text of `pulumi stack export`. Throws a `StateError` whose message says, in one line,
 * what is wrong (the caller prefixes the file name).
 */
export function parseStackExport(text: string, file: string): StackExport {
    return readStackExport(parseJson(text), file);
}

/** JSON.parse, its failure said in one line (a `StateError`): cut off, or not JSON at all. */
export function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        // The file ends where the parser gave up: cut off (an interrupted export or copy), not malformed.
        const message = (e as Error).message;
        const at = /at position (\d+)/.exec(message);
        const truncated =
            /end of (JSON )?input|Unterminated/i.test(message) ||
            (at !== null && Number(at[1]) >= text.trimEnd().length);
        throw new StateError(
            `${truncated ? "truncated JSON" : "not JSON"} (${(e as Error).message}); export the stack again with \`pulumi stack export --file <file>\``,
        );
    }
}

/** Checks the shape of a parsed stack export; throws a `StateError` saying what is wrong. */
export function readStackExport(json: unknown, file: string): StackExport {
    if (!isObject(json) || !("deployment" in json) || !("version" in json)) {
        throw new StateError(
            "not a Pulumi stack export (expected an object with `version` and `deployment`, as `pulumi stack export` writes)",
        );
    }
    if (json.version !== SUPPORTED_VERSION) {
        throw new StateError(
            `stack export version ${JSON.stringify(json.version)} is not supported; only version ${SUPPORTED_VERSION} (Pulumi 3.x) is read`,
        );
    }
    const deployment = json.deployment;
    if (!isObject(deployment)) throw new StateError("`deployment` is not an object");
    const resources = deployment.resources ?? [];
    if (!Array.isArray(resources)) throw new StateError("`deployment.resources` is not a list");
    const warnings: string[] = [];
    resources.forEach((r, i) => {
        if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string")
            throw new StateError(`\`deployment.resources[${i}]\` has no \`urn\` and \`type\``);
    });
    const pending = Array.isArray(deployment.pending_operations) ? deployment.pending_operations.length : 0;
    if (pending > 0)
        warnings.push(
            `${pending} pending operation(s) from an interrupted update; the resources they touch may differ from the state (run \`pulumi refresh\`)`,
        );
    const first = (resources as ResourceV3[]).find((r) => r.urn.startsWith("urn:pulumi:"));
    const parsed = first ? parseUrn(first.urn) : undefined;
    return {
        file,
        stack: parsed?.stack || path.basename(file).replace(/\.json$/i, ""),
        project: parsed?.project || "",
        resources: resources as ResourceV3[],
        warnings,
    };
}

/**
 * Turns a state value into the runtime's wire form, so that `fromWire` (shared with the program path)
 * reads it: a `plaintext` secret becomes a secret of its decoded value; a `ciphertext` secret cannot
 * be read offline and becomes an unknown value, whose path is passed to `encrypted`. The pack treats an
 * unknown exactly as during a preview: "Cannot verify ...", never a guess.
 */
export function stateToWire(value: unknown, at: string, encrypted: (path: string) => void): unknown {
    if (Array.isArray(value)) return value.map((v, i) => stateToWire(v, `${at}[${i}]`, encrypted));
    if (!isObject(value)) return value;
    if (value[SIG_KEY] === SECRET_SIG) {
        if (typeof value.plaintext === "string") {
            let inner: unknown;
            try {
                inner = JSON.parse(value.plaintext);
            } catch {
                inner = value.plaintext;
            }
            return { [SIG_KEY]: SECRET_SIG, value: stateToWire(inner, at, encrypted) };
        }
        encrypted(at);
        return UNKNOWN_WIRE_VALUE;
    }
    // A null property is an unset optional value (bridged providers write them into outputs, e.g.
    // `restoreDateTime: null`); a program never sends those, so the pack sees them as unset.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
        if (v !== null) out[k] = stateToWire(v, at ? `${at}.${k}` : k, encrypted);
    return out;
}

/** Resource types whose properties the pack reads; an encrypted value elsewhere does not matter. */
const READ_BY_PACK = new Set<string>([...TABLE_TYPES, TYPES.backupSelection, TYPES.nativeBackupSelection]);

/** The check's view of one stack: resources for the analyzer and for the report. */
export interface ConvertedStack {
    resources: Resource[];
    /** For the report's resource list: the properties the pack saw, as plain values. */
    captured: CapturedResource[];
    warnings: string[];
}

/**
 * Converts a stack export to the resources the engine sends the pack in `AnalyzeStack`.
 *
 * Properties: a custom resource's `outputs` when it has any, else its `inputs`. After an update the
 * engine gives `AnalyzeStack` the resources' outputs (the provider's view of the cloud resource,
 * which is what `pulumi refresh` updates), and AWS outputs hold every input plus computed values
 * such as `arn`, which lets a backup selection's `resources` be matched to the table by ARN. A
 * component has no outputs of its own; a resource whose create failed may have none either.
 *
 * Providers: a resource's `provider` reference (`<provider urn>::<provider id>`) is resolved to the
 * provider resource in the same export, with its `inputs` (where `defaultTags` lives, stored as JSON
 * text). Default providers are in the export too (`pulumi:providers:aws::default_7_0_0`), holding the
 * stack's `aws:` config, so default tags from config are seen as well.
 *
 * Resources pending deletion (`delete: true`, the old half of a replacement) are left out: they are
 * on their way out and their replacement is in the same export.
 */
export function convertStack(exported: StackExport): ConvertedStack {
    const warnings: string[] = [];
    const live = exported.resources.filter((r) => r.delete !== true);
    const byUrn = new Map(live.map((r) => [r.urn, r]));
    const warned = new Set<string>();

    const decode = (r: ResourceV3, props: Record<string, unknown> | undefined, where: string) => {
        const name = parseUrn(r.urn).name;
        const wire = stateToWire(props ?? {}, "", (at) => {
            const key = `${r.urn}|${at}`;
            if (!warned.has(key) && (READ_BY_PACK.has(r.type) || where === "provider")) {
                warned.add(key);
                warnings.push(
                    `\`${name}\` (${r.type}) has \`${at}\` encrypted; it is checked as unknown (export with \`--show-secrets\` to read it)`,
                );
            }
        });
        return fromWire(wire) as PropertyMap;
    };

    const providers = new Map<string, ProviderResource | undefined>();
    const providerOf = (r: ResourceV3): ProviderResource | undefined => {
        if (!r.custom || !r.provider || r.type.startsWith("pulumi:providers:")) return undefined;
        if (providers.has(r.provider)) return providers.get(r.provider);
        const urn = r.provider.split("::").slice(0, -1).join("::");
        const found = byUrn.get(urn);
        const resolved = found
            ? {
                  type: found.type,
                  name: parseUrn(found.urn).name,
                  urn: found.urn,
                  properties: decode(found, found.inputs, "provider"),
              }
            : undefined;
        if (!found)
            warnings.push(
                `provider \`${urn}\` is referenced but not in the export; its default tags are not read`,
            );
        providers.set(r.provider, resolved);
        return resolved;
    };

    const resources: Resource[] = [];
    const captured: CapturedResource[] = [];
    for (const r of live) {
        const hasOutputs = r.custom && isObject(r.outputs) && Object.keys(r.outputs).length > 0;
        const properties = decode(r, hasOutputs ? r.outputs : r.inputs, "resource");
        const name = parseUrn(r.urn).name;
        resources.push({
            type: r.type,
            name,
            urn: r.urn,
            properties,
            options: {
                protect: r.protect === true,
                ignoreChanges: r.ignoreChanges ?? [],
                deleteBeforeReplace: r.deleteBeforeReplace,
                aliases: (r.aliases ?? []).filter((a): a is string => typeof a === "string"),
                additionalSecretOutputs: r.additionalSecretOutputs ?? [],
                parent: r.parent,
            },
            parent: r.parent,
            dependencies: r.dependencies ?? [],
            propertyDependencies: r.propertyDependencies ?? {},
            provider: providerOf(r),
        });
        captured.push({
            urn: r.urn,
            type: r.type,
            name,
            custom: r.custom,
            id: r.id ?? "",
            parent: r.parent,
            provider: r.provider,
            inputs: plain(properties) as Record<string, unknown>,
            wireInputs: {},
            outputs: {},
            dependencies: r.dependencies ?? [],
            propertyDependencies: r.propertyDependencies ?? {},
            protect: r.protect === true,
            retainOnDelete: r.retainOnDelete === true,
            deleteBeforeReplace: r.deleteBeforeReplace === true,
            ignoreChanges: r.ignoreChanges ?? [],
            replaceOnChanges: [],
            aliases: r.aliases ?? [],
        });
    }
    return { resources, captured, warnings };
}

/** Analyzer values as the pack's own decisions read them: secrets opened, its own unknown marker. */
export function plain(value: PropertyValue | undefined): unknown {
    if (value === UNKNOWN) return values.UNKNOWN;
    if (value instanceof Secret) return plain(value.value);
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
        return out;
    }
    return value;
}

/** What the summary counts for one stack. */
export interface TableCensus {
    /** DynamoDB tables (a replica of a global table counts as its own table). */
    tables: number;
    /** Tables the pack's production rules treat as production (unknown counts as not). */
    production: number;
    /** Production tables whose PITR is known to be off. */
    productionWithoutPitr: number;
}

/**
 * Counts tables with the pack's own facts and decisions (`tablesOf`, `decideProduction`,
 * `decidePitr`), under the PITR rule's configuration, so that the numbers agree with the violations.
 */
export function tableCensus(
    resources: Resource[],
    pitrConfig: unknown,
    stackTags: Record<string, string> = {},
): TableCensus {
    const config = readRuleConfig(pitrConfig, pitrRule.schema);
    const tags = new Map(Object.entries(stackTags));
    const census: TableCensus = { tables: 0, production: 0, productionWithoutPitr: 0 };
    for (const r of resources) {
        if (!TABLE_TYPES.includes(r.type)) continue;
        for (const table of tablesOf({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: plain(r.properties),
            protect: r.options?.protect,
            providerProps: r.provider ? plain(r.provider.properties) : undefined,
        })) {
            census.tables++;
            if (decideProduction(table, config, { stackTags: tags }).production !== true) continue;
            census.production++;
            if (decidePitr(table).outcome === "non-compliant") census.productionWithoutPitr++;
        }
    }
    return census;
}

/**
 * Policy configuration for a state check: `remediate` becomes `mandatory`, because a state cannot be
 * changed by a check; what a remediation would fix in a preview is a violation of the live stack.
 */
export function stateLevels(
    info: AnalyzerInfo,
    config: RawPolicyConfig | undefined,
): Record<string, PolicyConfig> {
    const out: Record<string, PolicyConfig> = resolvePolicyConfig(info, config);
    for (const c of Object.values(out))
        if (c.enforcementLevel === "remediate") c.enforcementLevel = "mandatory";
    return out;
}

/** Expands the `--state` arguments: files as given, folders to their `*.json` files (sorted). */
export function stateFiles(args: string[]): {
    files: string[];
    errors: Array<{ file: string; message: string }>;
} {
    const files: string[] = [];
    const errors: Array<{ file: string; message: string }> = [];
    for (const arg of args) {
        let stat: fs.Stats;
        try {
            stat = fs.statSync(arg);
        } catch {
            errors.push({ file: arg, message: "no such file or folder" });
            continue;
        }
        if (!stat.isDirectory()) {
            files.push(arg);
            continue;
        }
        const inside = fs
            .readdirSync(arg)
            .filter((f) => f.toLowerCase().endsWith(".json"))
            .sort();
        if (inside.length === 0) errors.push({ file: arg, message: "folder holds no *.json stack exports" });
        files.push(...inside.map((f) => path.join(arg, f)));
    }
    return { files, errors };
}

/* ----------------------------------------------------------------------------------------------- */
/* Running the check                                                                                */

/** One stack's result: a program check's result, plus what the summary needs. */
export interface StackCheck extends CheckResult {
    file: string;
    census: TableCensus;
    warnings: string[];
    exitCode: 0 | 1;
}

/** The `--json` output of a state check. */
export interface StateCheckResult {
    stacks: StackCheck[];
    errors: Array<{ file: string; message: string }>;
    summary: {
        stacksChecked: number;
        filesFailed: number;
        tables: number;
        productionTables: number;
        productionTablesWithoutPitr: number;
        mandatory: number;
        advisory: number;
    };
}

export interface StateCheckOptions {
    states: string[];
    packDir: string;
    policyConfig?: RawPolicyConfig;
    stackTags: Record<string, string>;
    json: boolean;
    sarif?: string;
    color: boolean;
    progress: (text: string) => void;
}

const rel = (file: string) => path.relative(process.cwd(), file) || file;

/**
 * An export's text. One larger than a JavaScript string can hold (about 512 MB: reading it would fail
 * with ERR_STRING_TOO_LONG) is refused from its size, before it is read; a gzip or zstd export is
 * decompressed.
 */
export function readExportText(file: string, limit = MAX_TEXT_BYTES): string {
    const size = fs.statSync(file).size;
    if (size > limit) throw tooLarge(size, limit);
    return toText(decompress(fs.readFileSync(file), limit), limit);
}

/** Checks every stack export with one pack process; resolves to the exit code (0, 1 or 2). */
export async function runStateCheck(options: StateCheckOptions, io: CheckIo): Promise<number> {
    const { files, errors } = stateFiles(options.states);
    const stacks: Array<{ exported: StackExport; converted: ConvertedStack }> = [];
    for (const file of files) {
        try {
            let text: string;
            try {
                text = readExportText(file);
            } catch (e) {
                if (e instanceof StackReadError) throw new StateError(`${e.message}`);
                throw new StateError(
                    `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
                );
            }
            options.progress(`Reading ${rel(file)}...`);
            const exported = parseStackExport(text, file);
            stacks.push({ exported, converted: convertStack(exported) });
        } catch (e) {
            if (!(e instanceof StateError)) throw e;
            errors.push({ file, message: e.message });
        }
    }
    options.progress("");
    for (const e of errors) io.stderr.write(`error: ${rel(e.file)}: ${e.message}\n`);
    if (stacks.length === 0) {
        io.stderr.write(`error: no stack export could be checked\n`);
        return 2;
    }

    options.progress("Starting the policy pack...");
    let pack: PolicyPackClient;
    try {
        pack = await startPolicyPack(options.packDir);
    } catch (e) {
        options.progress("");
        io.stderr.write(
            `error: policy pack ${options.packDir} failed to start: ${String((e as Error).message).split("\n")[0]}\n`,
        );
        return 2;
    }
    const results: StackCheck[] = [];
    try {
        const info = await pack.getAnalyzerInfo();
        const config = stateLevels(info, options.policyConfig);
        for (const { exported, converted } of stacks) {
            options.progress(`Checking ${exported.project}/${exported.stack}...`);
            results.push(await checkStack(pack, info, config, exported, converted, options));
        }
    } finally {
        await pack.close();
    }
    options.progress("");

    const result = summarise(results, errors);
    for (const s of results) for (const w of s.warnings) io.stderr.write(`warning: ${rel(s.file)}: ${w}\n`);
    if (options.sarif) {
        const runs = results.flatMap((s) => (toSarif(s, s.file) as { runs: unknown[] }).runs);
        const log = { ...(toSarif(results[0], results[0].file) as object), runs };
        fs.writeFileSync(options.sarif, JSON.stringify(log, null, 2));
    }
    if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
        io.stdout.write(
            renderStates(
                result,
                stacks.map((s) => s.converted),
                options.color,
            ),
        );
    // A file that could not be read never passes: its stack is unchecked (exit 2), unless another
    // stack already failed the pack (exit 1).
    return result.summary.mandatory > 0 ? 1 : errors.length > 0 ? 2 : 0;
}

async function checkStack(
    pack: PolicyPackClient,
    info: AnalyzerInfo,
    config: Record<string, PolicyConfig>,
    exported: StackExport,
    converted: ConvertedStack,
    options: StateCheckOptions,
): Promise<StackCheck> {
    const violations = await evaluateOverGrpc(
        pack,
        config,
        { stack: exported.stack, project: exported.project, tags: options.stackTags },
        converted.resources,
    );
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const census = tableCensus(
        converted.resources,
        config["dynamodb-production-table-pitr-enabled"],
        options.stackTags,
    );
    return {
        file: rel(exported.file),
        program: rel(exported.file),
        project: exported.project,
        stack: exported.stack,
        policyPack: { name: info.name, version: info.version, dir: rel(options.packDir) },
        resources: converted.captured.map(resourceSummary),
        violations,
        remediations: [],
        summary: {
            resources: converted.resources.length,
            tables: census.tables,
            mandatory,
            advisory: violations.length - mandatory,
            remediated: 0,
        },
        census,
        warnings: [...exported.warnings, ...converted.warnings],
        exitCode: mandatory > 0 ? 1 : 0,
    };
}

/** The summary over all stacks. Pure. */
export function summarise(stacks: StackCheck[], errors: StateCheckResult["errors"]): StateCheckResult {
    const sum = (f: (s: StackCheck) => number) => stacks.reduce((n, s) => n + f(s), 0);
    return {
        stacks,
        errors,
        summary: {
            stacksChecked: stacks.length,
            filesFailed: errors.length,
            tables: sum((s) => s.census.tables),
            productionTables: sum((s) => s.census.production),
            productionTablesWithoutPitr: sum((s) => s.census.productionWithoutPitr),
            mandatory: sum((s) => s.summary.mandatory),
            advisory: sum((s) => s.summary.advisory),
        },
    };
}

/** Per stack: its tables and backup resources, then its violations; then one summary for all. */
export function renderStates(result: StateCheckResult, converted: ConvertedStack[], color: boolean): string {
    const out: string[] = [];
    result.stacks.forEach((s, i) => {
        const shown = converted[i].captured.filter((r) =>
            /^aws(-native)?:(dynamodb|backup)[:/]/.test(r.type),
        );
        out.push(
            renderReport(s, shown, {
                color,
                programDir: path.dirname(s.file),
                heading: `Checking ${s.file} (project ${s.project}, stack ${s.stack}): ${s.summary.resources} resources in the state, ${shown.length} shown`,
                marker: "=",
            }),
        );
    });
    const t = result.summary;
    out.push("Summary:");
    out.push(
        `  ${t.stacksChecked} stack(s) checked${t.filesFailed ? `, ${t.filesFailed} file(s) could not be read` : ""}; ${t.productionTables} production table(s) of ${t.tables}; ${t.productionTablesWithoutPitr} production table(s) without PITR.`,
    );
    const width = Math.max(...result.stacks.map((s) => `${s.project}/${s.stack}`.length));
    for (const s of result.stacks) {
        const status = s.exitCode === 1 ? `FAILED (${s.summary.mandatory} mandatory)` : "PASSED";
        out.push(`  ${`${s.project}/${s.stack}`.padEnd(width)}  ${status}  exit ${s.exitCode}  ${s.file}`);
    }
    for (const e of result.errors)
        out.push(`  ${"(not checked)".padEnd(width)}  ERROR  exit 2  ${rel(e.file)}`);
    return `${out.join("\n")}\n`;
}
