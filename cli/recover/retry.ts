// Retries with exponential backoff and full jitter on the errors DynamoDB uses to say "slow down",
// and on connections that drop or are refused (a server that goes away for a few seconds).
// See "Error retries and exponential backoff" in the DynamoDB Developer Guide
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.RetryAndBackoff).
import { systemClock, type Clock } from "./rateLimiter";

/** Error names after which the same request may succeed if sent again later. */
export const RETRYABLE_ERRORS = new Set([
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
]);

export interface RetryOptions {
    /** Attempts in all, the first included. Defaults to 10. */
    readonly maxAttempts?: number;
    /** Ceiling of the first backoff in ms; doubles each attempt. Defaults to 50. */
    readonly baseDelayMs?: number;
    /** Largest backoff in ms. Defaults to 20,000. */
    readonly maxDelayMs?: number;
    readonly clock?: Clock;
    /** Random number in [0, 1) for jitter; Math.random by default. */
    readonly random?: () => number;
}

/**
 * Socket errors and timeouts: the server went away or the network dropped the connection. The
 * request may or may not have reached the server, so only requests that are safe to send twice are
 * retried after them: reads, and recovery's conditional writes, which fail their condition the second
 * time instead of writing again.
 */
export const CONNECTION_ERROR_CODES = new Set([
    "ECONNRESET",
    "ECONNREFUSED",
    "ECONNABORTED",
    "EPIPE",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENETDOWN",
    "EAI_AGAIN",
]);

/** True for a dropped or refused connection, a timeout, or a 5xx answer without a DynamoDB error name. */
export function isConnectionError(error: unknown): boolean {
    const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    if (!e) return false;
    if (e.code !== undefined && CONNECTION_ERROR_CODES.has(e.code)) return true;
    if (e.name === "TimeoutError" || e.name === "RequestTimeout") return true;
    const status = e.$metadata?.httpStatusCode;
    return status !== undefined && status >= 500 && !RETRYABLE_ERRORS.has(e.name ?? "");
}

export function isThrottling(error: unknown): boolean {
    const name = (error as { name?: string } | undefined)?.name;
    return name !== undefined && RETRYABLE_ERRORS.has(name);
}

export function isRetryable(error: unknown): boolean {
    return isThrottling(error) || isConnectionError(error);
}

/** Backoff before retry number `attempt` (1 for the first retry): uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, options: RetryOptions = {}): number {
    const base = options.baseDelayMs ?? 50;
    const max = options.maxDelayMs ?? 20_000;
    const ceiling = Math.min(max, base * 2 ** (attempt - 1));
    return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Calls `fn` until it succeeds, a non-retryable error occurs, or attempts run out. */
export async function withRetry<T>(
    fn: () => Promise<T>,
    options: RetryOptions = {},
    onRetry: (error: unknown) => void = () => undefined,
): Promise<T> {
    const maxAttempts = options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
        try {
            return await fn();
        } catch (error) {
            if (!isRetryable(error) || attempt >= maxAttempts) throw error;
            onRetry(error);
            await (options.clock ?? systemClock).sleep(backoffMs(attempt, options));
        }
    }
}

/** Sleeps before the given retry of a partial result (UnprocessedKeys or UnprocessedItems). */
export function backoff(attempt: number, options: RetryOptions = {}): Promise<void> {
    return (options.clock ?? systemClock).sleep(backoffMs(attempt, options));
}
