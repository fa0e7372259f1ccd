/** The `check` command, as tests and benchmarks import it: its entry point, its result and its errors. */
export { runCheck } from "./command";
export { CheckError } from "../core/errors";
export { DEFAULT_TIMEOUT_SECONDS, resolvePackDir } from "./options";
export type { CheckIo, CheckResult } from "../report/types";
