// Pacing for writes: a token bucket in capacity units per second, so that a recovery never takes
// more of a table's throughput than the operator allows, and a limit on requests in flight.

export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket holding at most one second of capacity. `acquire(n)` waits until n units are
 * available and takes them. A request larger than the bucket (an item over `unitsPerSecond` KB)
 * waits for a full bucket and then borrows, so it cannot wait forever.
 */
export class RateLimiter {
    private tokens: number;
    private last: number;
    private queue: Promise<void> = Promise.resolve();

    /** `initialUnits`: capacity available at the start; a full bucket (one second's worth) by default. */
    constructor(
        readonly unitsPerSecond: number,
        private readonly clock: Clock = systemClock,
        initialUnits = unitsPerSecond,
    ) {
        if (!(unitsPerSecond > 0))
            throw new Error(
                `Rate limit is ${unitsPerSecond}; it must be a positive number of units per second.`,
            );
        this.tokens = Math.min(unitsPerSecond, initialUnits);
        this.last = clock.now();
    }

    /**
     * Waits its turn (callers are served in order), then until `units` are available. Resolves to
     * true when it had to wait for capacity, i.e. the rate limit is what holds the writes back.
     */
    acquire(units: number): Promise<boolean> {
        const turn = this.queue.then(() => this.take(units));
        this.queue = turn.then(
            () => undefined,
            () => undefined,
        );
        return turn;
    }

    private async take(units: number): Promise<boolean> {
        const need = Math.min(units, this.unitsPerSecond);
        for (let waited = false; ; waited = true) {
            this.refill();
            if (this.tokens >= need) {
                this.tokens -= units;
                return waited;
            }
            await this.clock.sleep(Math.ceil(((need - this.tokens) / this.unitsPerSecond) * 1000));
        }
    }

    private refill(): void {
        const now = this.clock.now();
        this.tokens = Math.min(
            this.unitsPerSecond,
            this.tokens + ((now - this.last) / 1000) * this.unitsPerSecond,
        );
        this.last = now;
    }
}

/** Runs at most `limit` tasks at once. */
export class ConcurrencyLimiter {
    private active = 0;
    private readonly waiting: Array<() => void> = [];

    constructor(readonly limit: number) {
        if (!(limit >= 1)) throw new Error(`Concurrency is ${limit}; it must be at least 1.`);
    }

    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.active++;
        try {
            return await task();
        } finally {
            this.active--;
            this.waiting.shift()?.();
        }
    }
}
