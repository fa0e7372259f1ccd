/**
 * The failures of `check` itself (not policy violations): each is one line and exit code 2.
 * Kept apart from the check's command so that the modules `check` uses can throw them without an import circle.
 */

/** A failure of the check itself: one line, exit code 2. */
export class CheckError extends Error {}

/** The program failed (threw, or a resource rejected its inputs); `--verbose` shows its stack. */
export class ProgramError extends CheckError {
    constructor(
        message: string,
        readonly cause: unknown,
        /** The program's own message is meant for users (a component's argument errors): show it whole. */
        readonly userFacing: boolean,
    ) {
        super(message);
    }
}

/** The program did not finish: it ended with work pending, or ran past the timeout. */
export class ProgramStalled extends CheckError {}
