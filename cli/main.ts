#!/usr/bin/env node
/**
 * The `dynamodb-pitr` command: `check` (offline preview + policy pack) and `recover` (copy lost items
 * back from a restored table). `npm start` runs `check` on the Orders example.
 */
const USAGE = `usage: dynamodb-pitr <command> [options]

Commands:
  check [program]     run a Pulumi program (default: the project in .) offline and check it with the policy pack
  recover             copy lost items from a restored table back into the live table (dry run by default)

Run a command with --help for its options.`;

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    switch (command) {
        case "check": {
            // Each command loads its own modules, so that `recover` does not pay for the policy
            // engine `check` loads.
            const { runCheck } = await import("./check/command");
            return runCheck(rest);
        }
        case "recover": {
            const { runRecover } = await import("./recover/command");
            return runRecover(rest);
        }
        case undefined:
        case "-h":
        case "--help":
        case "help":
            process.stdout.write(`${USAGE}\n`);
            return command === undefined ? 2 : 0;
        default:
            process.stderr.write(`error: unknown command "${command}"\n${USAGE}\n`);
            return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
        // A checked program may leave timers or connections behind after its verdict (`check` waits
        // for them up to its timeout): the verdict is final, end the process once output is written.
        if (process.argv[2] === "check")
            process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
    });
}
