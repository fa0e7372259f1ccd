/**
 * Loaded before every spec (`.mocharc.json`): keeps the suite's output to the test results.
 *
 * The AWS SDK warns once per process on Node 20 that its releases after January 2027 need Node 22;
 * the suite starts many processes (workers, the CLI, policy packs), so the same notice would be
 * printed a dozen times between the dots. docs/install.md says which Node versions are supported.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
