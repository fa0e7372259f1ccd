/**
 * Runs a Pulumi program under the SDK's mock runtime (`pulumi.runtime.setMocks`) and captures every
 * resource it registers, with what the engine would receive: type, name, URN, parent, inputs,
 * dependencies, property dependencies, provider reference and resource options (`protect`,
 * `retainOnDelete`, aliases, `import`, ...). No cloud, no CLI.
 *
 * The capture reads the RegisterResource requests the SDK sends to the (mock) resource monitor, so
 * options are seen exactly as the SDK resolved them, not as a test would guess them.
 */
import * as pulumi from "@pulumi/pulumi";
import { declarationSite, SourceLocation } from "./sourcePosition";

// Internal SDK modules: the same ones the language host uses to run a program.
/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require("@pulumi/pulumi/runtime/settings");
const stack = require("@pulumi/pulumi/runtime/stack");
const rpc = require("@pulumi/pulumi/runtime/rpc");
/* eslint-enable @typescript-eslint/no-require-imports */

/** A resource as the program registered it. */
export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** A custom resource (a cloud resource) rather than a component. */
    custom: boolean;
    id: string;
    parent?: string;
    /** Provider reference `urn::id`, when the resource names a provider explicitly. */
    provider?: string;
    inputs: Record<string, unknown>;
    /**
     * The inputs in their wire form, as the engine receives them: unknown values as the runtime's
     * unknown sentinel ({@link UNKNOWN_WIRE_VALUE}) and secrets in their signed envelope.
     */
    wireInputs: Record<string, unknown>;
    /** The state the mock returned (inputs plus computed values such as `arn`). */
    outputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    /** Alias URNs and alias specs (name/type/parent/stack/project), as registered. */
    aliases: Array<string | Record<string, unknown>>;
    importId?: string;
    /** The user's line that declared the resource (see `declarationSite`), when the SDK sent one. */
    source?: SourceLocation;
}

export interface MockRunOptions {
    project?: string;
    stack?: string;
    /** Configuration, keyed `namespace:key` (e.g. `aws:region`). */
    config?: Record<string, string>;
    /** Run as a preview (`pulumi.runtime.isDryRun()` is true). Defaults to false. */
    preview?: boolean;
    /** Computes a resource's state and id; defaults to {@link defaultNewResource}. */
    newResource?: (args: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult;
    /** Answers provider function calls (`aws.getRegion()`, ...); defaults to echoing the inputs. */
    call?: (args: pulumi.runtime.MockCallArgs) => pulumi.runtime.MockCallResult;
}

export interface MockRunResult {
    resources: CapturedResource[];
    /** The stack's outputs (what the program exported). */
    outputs: Record<string, unknown>;
}

/** The runtime's wire sentinel for a value not known until deployment. */
export const UNKNOWN_WIRE_VALUE: string = rpc.unknownValue;

/**
 * The state a resource has during `pulumi preview`: its inputs, a generated name where none was
 * given (the engine auto-names before the preview), and every computed output (ARN, id, ...)
 * unknown, so values derived from them reach other resources as unknowns.
 */
export function previewNewResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const state: Record<string, unknown> = {
        ...args.inputs,
        name: args.inputs.name ?? `${args.name}-${hash(args.name)}`,
        arn: UNKNOWN_WIRE_VALUE,
        id: UNKNOWN_WIRE_VALUE,
        keyId: UNKNOWN_WIRE_VALUE,
        streamArn: UNKNOWN_WIRE_VALUE,
    };
    return { id: "", state };
}

/** The state a typical AWS resource would have after creation: its inputs plus an id, ARN and name. */
export function defaultNewResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const id = args.inputs.name ?? `${args.name}-id`;
    const [, module = "resource"] = args.type.split(":");
    const service = module.split("/")[0];
    const state: Record<string, unknown> = {
        ...args.inputs,
        name: args.inputs.name ?? `${args.name}-${hash(args.name)}`,
        arn: `arn:aws:${service}:us-east-1:123456789012:${module.split("/")[1] ?? "resource"}/${id}`,
    };
    if (args.type === "aws:dynamodb/table:Table" && args.inputs.streamEnabled) {
        state.streamArn = `${state.arn}/stream/2026-01-01T00:00:00.000`;
    }
    return { id: String(id), state };
}

function hash(text: string): string {
    let h = 0;
    for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h.toString(16).padStart(7, "0").slice(0, 7);
}

/**
 * Runs `program` as the body of a stack under the mock runtime and returns what it registered.
 * Rejects with the program's error if it throws or a resource's inputs fail to resolve.
 */
export async function runUnderMocks(
    program: () => unknown | Promise<unknown>,
    options: MockRunOptions = {},
): Promise<MockRunResult> {
    const project = options.project ?? "project";
    const stackName = options.stack ?? "dev";
    pulumi.runtime.setAllConfig(options.config ?? {});
    const newResource = options.newResource ?? defaultNewResource;
    await pulumi.runtime.setMocks(
        {
            newResource,
            call: options.call ?? ((args) => args.inputs),
        },
        project,
        stackName,
        options.preview ?? false,
    );

    const captured: CapturedResource[] = [];
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req: any, callback: (err: unknown, res?: any) => void) => {
        await register(req, (err: unknown, res?: any) => {
            if (!err && res) captured.push(toCaptured(req, res));
            callback(err, res);
        });
    };

    // Errors thrown inside an apply surface as unhandled rejections, and the stack then never
    // settles: the first one ends the run as the program's error.
    let onRejection: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onRejection = reject));
    process.on("unhandledRejection", onRejection);
    let run: Promise<unknown> | undefined;
    try {
        run = (async () => {
            const outputs = await stack.runInPulumiStack(async () => program());
            await settings.waitForRPCs();
            // The newest SDK (3.276) settles the RPC queue before a registration whose inputs
            // failed to serialize rejects: let that rejection surface before the run counts as done.
            await new Promise((resolve) => setImmediate(resolve));
            return outputs;
        })();
        const outputs = await Promise.race([run, failed]);
        return { resources: captured, outputs: (outputs ?? {}) as Record<string, unknown> };
    } catch (e) {
        // A failed program leaves other registrations rejecting behind it: absorb them too.
        run?.catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw e;
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

function toCaptured(req: any, res: any): CapturedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    const aliases = req.getAliasesList().map((alias: any) => {
        if (alias.hasUrn()) return alias.getUrn();
        const spec = alias.getSpec();
        return {
            name: spec.getName() || undefined,
            type: spec.getType() || undefined,
            stack: spec.getStack() || undefined,
            project: spec.getProject() || undefined,
            parentUrn: spec.getParenturn() || undefined,
            noParent: spec.getNoparent() || undefined,
        };
    });
    return {
        urn: res.getUrn(),
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        id: res.getId(),
        parent: req.getParent() || undefined,
        provider: req.getProvider() || undefined,
        inputs: rpc.deserializeProperties(req.getObject(), true),
        wireInputs: req.getObject()?.toJavaScript() ?? {},
        outputs: res.getObject() ? rpc.deserializeProperties(res.getObject()) : {},
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        deleteBeforeReplace: req.getDeletebeforereplace() === true,
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        aliases,
        importId: req.getImportid() || undefined,
        source: declarationSite(req),
    };
}
