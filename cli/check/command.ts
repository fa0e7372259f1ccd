/**
 * `dynamodb-pitr check`: one command, three sources. A program (./program.ts) runs under the SDK's
 * mock runtime as a preview; `--state` (../state/command.ts) reads stack exports; `--backend`
 * (../fleet/run.ts) reads every stack of a backend. Each goes through the policy pack over the
 * analyzer gRPC protocol, as `pulumi preview --policy-pack` does. No cloud, no CLI.
 *
 * Exit codes: 0 no mandatory violation, 1 at least one, 2 the check could not run (bad program, bad
 * flags, pack failed to start).
 */
import { PolicyConfigError } from "../analyzer/policyConfig";
import { BackendError } from "../backend/types";
import { CheckError, ProgramError } from "../core/errors";
import type { PolicyConfig } from "../analyzer/types";
import { fleetOfChecks } from "../fleet/fromChecks";
import { renderFleet } from "../fleet/render";
import { runFleetCheck, withDefaultBackend } from "../fleet/run";
import { parseOutputFormat } from "../report/formats";
import { watchLateErrors } from "../program/programHost";
import { ProjectError } from "../program/project";
import { runStateCheck, StateCheckResult } from "../state/command";
import type { ConvertedStack } from "../state/convert";
import {
    CheckSettings,
    CheckValues,
    parseCommandLine,
    readSettings,
    refuseInapplicable,
    usage,
    UsageError,
} from "./options";
import { checkProgram } from "./program";
import type { CheckIo } from "../report/types";

/** Runs the check; resolves to the exit code. Never throws. */
export async function runCheck(argv: string[], io: CheckIo = process): Promise<number> {
    let verbose = argv.includes("--verbose");
    const late = watchLateErrors();
    try {
        const { values, positionals } = parseCommandLine(withDefaultBackend(argv));
        verbose = values.verbose === true;
        if (values.help) {
            io.stdout.write(`${usage()}\n`);
            return 0;
        }
        if (positionals.length > 1)
            throw new CheckError(`expected one program, got ${positionals.length}: ${positionals.join(" ")}`);
        const settings = readSettings(values, io);
        if (values.backend !== undefined) return await checkBackend(values, positionals, settings, io);
        if (values.state) return await checkStates(values, positionals, settings, io);
        refuseInapplicable(values, "program");
        return await checkProgram(argv, values, positionals, settings, late, io);
    } catch (e) {
        io.stderr.write(`\r${formatFailure(e, verbose)}\n`);
        if (e instanceof UsageError) io.stderr.write(`${usage()}\n`);
        return 2;
    } finally {
        late.stop();
    }
}

/** `--backend`: every stack of a backend. */
function checkBackend(values: CheckValues, positionals: string[], settings: CheckSettings, io: CheckIo) {
    if (positionals.length > 0 || values.state)
        throw new CheckError(
            `--backend checks a backend's stacks; a program or --state cannot be given with it`,
        );
    refuseInapplicable(values, "backend");
    return runFleetCheck(
        {
            backend: values.backend!,
            stackFilter: values["stack-filter"],
            project: values.project,
            format: parseOutputFormat(values.format, values.json === true),
            output: values.output,
            sarif: values.sarif,
            // The bundled pack is evaluated in process; a pack given by path runs over gRPC.
            packDir: values["policy-pack"] !== undefined ? settings.packDir : undefined,
            policyConfig: settings.policyConfig,
            stackTags: settings.stackTags,
            color: settings.color,
            progress: settings.progress,
            token: process.env.PULUMI_ACCESS_TOKEN,
        },
        io,
    );
}

/** `--state`: stack exports. */
function checkStates(values: CheckValues, positionals: string[], settings: CheckSettings, io: CheckIo) {
    if (positionals.length > 0)
        throw new CheckError(`--state checks stack exports; a program cannot be given with it`);
    if (values["table-size-gb"] !== undefined)
        throw new CheckError(
            "--table-size-gb sizes a program's cost estimate; --state gives none, leave it out",
        );
    refuseInapplicable(values, "state");
    return runStateCheck(
        {
            states: values.state!,
            packDir: settings.packDir,
            policyConfig: settings.policyConfig,
            stackTags: settings.stackTags,
            format: parseOutputFormat(values.format, values.json === true),
            output: values.output,
            renderAsFleet: stateAsFleet,
            sarif: values.sarif,
            color: settings.color,
            progress: settings.progress,
        },
        io,
    );
}

/** `--state` as markdown or HTML: the fleet report's renderers over the stack exports. */
function stateAsFleet(
    result: StateCheckResult,
    converted: ConvertedStack[],
    config: Record<string, PolicyConfig>,
    stackTags: Record<string, string>,
    format: "markdown" | "html",
): string {
    const checked = result.stacks.map((s, i) => ({
        result: s,
        resources: converted[i].resources,
        location: s.file,
        stackTags,
        config,
        warnings: s.warnings,
    }));
    const errors = result.errors.map((e) => ({ name: e.file, location: e.file, message: e.message }));
    return renderFleet(fleetOfChecks("--state", checked, errors), format, { color: false });
}

function formatFailure(e: unknown, verbose: boolean): string {
    const error = e as Error;
    const message = String(error?.message ?? e);
    if (verbose) {
        const cause = error instanceof ProgramError ? (error.cause as Error) : error;
        return `error: ${message}\n${cause?.stack ?? ""}`;
    }
    if (error instanceof ProgramError) {
        return error.userFacing
            ? `error: ${message}`
            : `error: ${message.split("\n")[0]} (run with --verbose for details)`;
    }
    if (
        error instanceof CheckError ||
        error instanceof ProjectError ||
        error instanceof PolicyConfigError ||
        error instanceof BackendError
    )
        return `error: ${message.split("\n")[0]}`;
    return `error: ${message.split("\n")[0]} (run with --verbose for details)`;
}
