// The options of an item-level recovery (`recoverItems`) and the progress it reports; a leaf of recover/.
import type { RecoveryFilter } from "./filter";
import type { DynamoSender } from "./preflight";
import type { RecoveryCounts } from "./report";
import type { RetryOptions } from "./retry";
import type { WorkerSpec } from "./share";
import type { StateStore } from "./stateStore";

export interface RecoverOptions {
    /** The restored table to copy from, e.g. `Orders_Restore`; or give `fromExport`. */
    readonly from?: string;
    /**
     * Instead of a restored table, a DynamoDB export to S3 (ExportTableToPointInTime, DYNAMODB_JSON):
     * `s3://bucket/<export-prefix>/AWSDynamoDB/<ExportId>/` or a local copy of that folder. Its data
     * files are the read units (split among workers); the live pass is skipped, since an export
     * cannot be looked up by key. Not with `from`, `keysFile` or `filter.index`.
     */
    readonly fromExport?: string;
    /** The live table to copy into, e.g. `Orders`. */
    readonly into: string;
    /** Which items to consider. Defaults to every item of the restored table. */
    readonly filter?: RecoveryFilter;
    /**
     * A JSON file of keys to recover (see `readKeysFile`), typed by the tables' key schema; the
     * same as `filter.keys`, read once the tables are described.
     */
    readonly keysFile?: string;
    /** Write. Defaults to false: a dry run that only reads and reports. */
    readonly apply?: boolean;
    /**
     * `missing` (the default) writes only items absent from the live table, with the condition
     * `attribute_not_exists(<partition key>)`. `changed` also restores items whose
     * `compareAttribute` is older (or absent) in the live table, with the condition
     * `attribute_not_exists(<attr>) OR <attr> < <restored value>`.
     */
    readonly mode?: "missing" | "changed";
    /** The version or timestamp attribute `changed` mode compares (numbers, ISO-8601 strings). */
    readonly compareAttribute?: string;
    /**
     * Write capacity units per second the recovery may use. Defaults to half the live table's
     * provisioned write capacity, or 1,000 for an on-demand table (one partition's write limit),
     * so that the application keeps the rest.
     */
    readonly rateLimitWcu?: number;
    /**
     * The most conditional writes in flight at once. Defaults to 256. The number in flight starts
     * at 16 (or this, if lower) and grows while writes queue, until the rate limit, throttling or
     * the server's latency says it is enough; it halves on throttling.
     */
    readonly concurrency?: number;
    /** Parallel Scan segments when the filter cannot use Query. Defaults to 4. */
    readonly segments?: number;
    /** Items per Query/Scan page (and per checkpoint). Defaults to 100, one BatchGetItem's worth. */
    readonly pageSize?: number;
    /** File to resume from and record progress in. No checkpoint when not given. */
    readonly checkpointFile?: string;
    /** Also read the live table to report items that exist only there. Defaults to true. */
    readonly reportOnlyInLive?: boolean;
    /** Keys kept per category in the report. Defaults to 10. */
    readonly sampleSize?: number;
    /** Stops after the pages in progress; the checkpoint then resumes the run. */
    readonly signal?: AbortSignal;
    /**
     * A JSON Lines file listing every item that is not identical in both tables, one line each as
     * its page is handled: its key, what was found (missing, differing, only in live, not found) and
     * what was done. Written as the run goes, never held in memory; a resumed run appends to it.
     */
    readonly itemsFile?: string;
    /** Called after every page. */
    readonly onProgress?: (progress: RecoveryProgress) => void;
    /** A client to use. When absent, one is built from `region`, `endpoint` and `credentials`. */
    readonly client?: DynamoSender;
    readonly region?: string;
    /** A custom endpoint such as a local DynamoDB-compatible server. */
    readonly endpoint?: string;
    readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /**
     * Worker mode: this process does worker `index`'s share of a recovery split among `count`
     * workers (read unit i, such as Scan segment i, belongs to worker i mod count). Needs `state`.
     * `rateLimitWcu` stays the whole job's budget: each worker uses `rateLimitWcu / count`.
     */
    readonly workers?: WorkerSpec;
    /**
     * Where the workers keep their claims, checkpoints and reports: `s3://bucket/prefix/` or a
     * local folder shared by all of them (or a store, in tests). Needed with `workers`.
     */
    readonly state?: string | StateStore;
    /**
     * Keeps the claims on the workers' shares in this DynamoDB table (partition key `share` (S),
     * sort key `generation` (N)) as conditional PutItems, instead of as create-only objects of
     * `state`: for an S3-compatible store that does not enforce `If-None-Match: *`. It is reached
     * with the live table's client (region, endpoint, credentials).
     */
    readonly claimsTable?: string;
    /**
     * Seconds a worker's heartbeat may stay unchanged before another copy of the same index takes
     * its share over (and a killed worker, started again, resumes). Defaults to 30.
     */
    readonly leaseSeconds?: number;
    /** A custom S3 endpoint for an `s3://` state or export (path-style addressing is then used). */
    readonly s3Endpoint?: string;
    /** Told when the share is claimed by another copy and this worker waits for its lease to run out. */
    readonly onWait?: (message: string) => void;
    /** Backoff for throttling, unprocessed keys and dropped connections. */
    readonly retry?: RetryOptions;
}

export interface RecoveryProgress {
    readonly phase: "restored" | "live";
    readonly counts: Readonly<RecoveryCounts>;
    /** Items this phase has read so far in this run (for a Scan, before its filter). */
    readonly examined: number;
    /** About how many items this phase reads in all, when known: a Scan's table item count, a keys file's length. */
    readonly total?: number;
    /** Conditional writes allowed in flight at the moment. */
    readonly writesInFlight: number;
}

/** The most conditional writes in flight by default; the number actually in flight adapts below it. */
export const DEFAULT_MAX_CONCURRENCY = 256;
