// How many conditional writes to keep in flight. Each write waits for a network round trip, so the
// throughput a recovery reaches is (writes in flight) / (round trip); the right number depends on
// the latency between the tool and the table, which is not known in advance. The limit therefore
// starts small and grows while writes queue for a slot and nothing says "enough":
//   - the rate limit: a write that had to wait for write capacity units means more writes in
//     flight would only wait longer, so the limit stops growing;
//   - throttling: the table refused a write, so the limit halves (and afterwards grows by one per
//     round of writes instead of doubling), as TCP congestion control does;
//   - the server's own limit: when requests take much longer than the fastest seen, the server (not
//     the network) is the bottleneck and more requests would only queue there.

/** Starting point, growth and ceiling of the writes in flight. */
export interface AdaptiveConcurrencyOptions {
    /** Writes in flight at the start. Defaults to 16. */
    readonly initial?: number;
    /** Never more than this many in flight. */
    readonly max: number;
}

export class AdaptiveConcurrency {
    private current: number;
    private active = 0;
    private readonly waiting: Array<() => void> = [];
    /** After the first throttling, grow by one per `limit` successes instead of one per success. */
    private cautious = false;
    private credit = 0;
    private fastestMs = Infinity;
    private recentMs = 0;
    /** The highest limit reached, for the report. */
    peak: number;

    constructor(readonly options: AdaptiveConcurrencyOptions) {
        if (!(options.max >= 1)) throw new Error(`Concurrency is ${options.max}; it must be at least 1.`);
        this.current = Math.min(options.max, Math.max(1, options.initial ?? 16));
        this.peak = this.current;
    }

    get limit(): number {
        return this.current;
    }

    /** Runs `task` once a slot is free. */
    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.active < this.current) this.active++;
        // The slot is counted by whoever hands it over (see dispatch).
        else await new Promise<void>((resolve) => this.waiting.push(resolve));
        try {
            return await task();
        } finally {
            this.active--;
            this.dispatch();
        }
    }

    /**
     * A write succeeded after `latencyMs`; `rateLimited` when it waited for write capacity first.
     * Grows the limit when writes are queueing for a slot and neither the rate limit nor the server is
     * the bottleneck.
     */
    succeeded(latencyMs: number, rateLimited: boolean): void {
        this.fastestMs = Math.min(this.fastestMs, latencyMs);
        this.recentMs = this.recentMs === 0 ? latencyMs : 0.9 * this.recentMs + 0.1 * latencyMs;
        if (rateLimited || this.waiting.length === 0 || this.current >= this.options.max) return;
        if (this.recentMs > 2 * this.fastestMs + 10) return;
        if (this.cautious) {
            this.credit += 1 / this.current;
            if (this.credit < 1) return;
            this.credit = 0;
        }
        this.current++;
        this.peak = Math.max(this.peak, this.current);
        this.dispatch();
    }

    /** The table throttled a write: halve the writes in flight. */
    throttled(): void {
        this.cautious = true;
        this.current = Math.max(1, Math.floor(this.current / 2));
    }

    private dispatch(): void {
        while (this.active < this.current && this.waiting.length > 0) {
            this.active++;
            this.waiting.shift()!();
        }
    }
}
