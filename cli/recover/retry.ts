// Retries with exponential backoff and full jitter on the errors DynamoDB uses to say "slow down".
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

export function isRetryable(error: unknown): boolean {
    const name = (error as { name?: string } | undefined)?.name;
    return name !== undefined && RETRYABLE_ERRORS.has(name);
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
