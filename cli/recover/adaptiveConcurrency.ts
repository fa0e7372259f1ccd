// How many conditional writes to keep in flight. Each write waits for a network round trip, so the
// throughput a recovery reaches is (writes in flight) / (round trip); the right number depends on
// the latency between the tool and the table, which is not known in advance. The limit therefore
// starts small and grows while writes queue for a slot and nothing says "enough":
//   - the rate limit: a write that had to wait for write capacity units means more writes in
//     flight would only wait longer, so the limit stops growing;
//   - throttling: the table refused a write, so the limit halves (and afterwards grows by one per
//     round of writes instead of doubling), as TCP congestion control does;
//   - the ceiling (`max`), which bounds the sockets and the memory held by writes in flight.
// Latency alone is not a signal: measured on a busy client it includes the client's own event loop
// delays, and stopping on it kept the limit far below what the rate limit allowed.

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
     * A write succeeded; `rateLimited` when it waited for write capacity first. Grows the limit when
     * writes are queueing for a slot and the rate limit is not what holds them back.
     */
    succeeded(rateLimited: boolean): void {
        if (rateLimited || this.waiting.length === 0 || this.current >= this.options.max) return;
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
