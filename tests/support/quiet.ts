/**
 * Loaded before every spec (`.mocharc.json`): keeps the suite's output to the test results.
 *
 * The AWS SDK warns once per process on Node 20 that its releases after January 2027 need Node 22;
 * the suite starts many processes (workers, the CLI, policy packs), so the same notice would be
 * printed a dozen times between the dots. docs/install.md says which Node versions are supported.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/**
 * The advisory a production plan without an air-gapped copy logs at preview (components/backup/airGapped.ts,
 * `isolationAdvisory`) is printed by the SDK on the console when no engine runs the program: once per
 * plan of every fixture. tests/components/backup/airGapped.spec.ts asserts on it by capturing
 * `console.warn` itself; everywhere else it is noise between the dots.
 */
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
    if (
        typeof args[0] === "string" &&
        args[0].includes("every backup of these production tables stays in this account")
    ) {
        return;
    }
    warn(...args);
};
