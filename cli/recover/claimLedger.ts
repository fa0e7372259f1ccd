// Where the claims on the workers' shares are kept (see claim.ts): numbered generations per share,
// each created only if absent, so that of two copies taking the same generation exactly one wins.
//
// By default the claims are objects of the state store (`--state`), created with `If-None-Match: *`
// on S3 or O_EXCL in a folder. `--claims-table` keeps them in a small DynamoDB table instead, as
// conditional PutItems: for S3-compatible stores that do not enforce conditional writes.
import { claimObject } from "./share";
import type { StateStore } from "./stateStore";

export interface ClaimLedger {
    /** Where the claims are, for messages. */
    readonly where: string;
    /** The highest generation claimed for worker `index`'s share, 0 when none. */
    latest(index: number): Promise<number>;
    /** Creates generation `generation` of the share only if absent; false when another copy has it. */
    take(index: number, generation: number, body: string): Promise<boolean>;
    /** Whether generation `generation` of the share exists. */
    exists(index: number, generation: number): Promise<boolean>;
}

/** The claims as objects of the state store: `workers/<index>/claim-<generation>.json`. */
export function storeLedger(store: StateStore): ClaimLedger {
    return {
        where: store.location,
        latest: async (index) => {
            const prefix = claimObject(index, 0).replace(/claim-\d+\.json$/, "");
            let latest = 0;
            for (const name of await store.list(prefix)) {
                const match = /claim-(\d+)\.json$/.exec(name);
                if (match) latest = Math.max(latest, Number(match[1]));
            }
            return latest;
        },
        take: (index, generation, body) => store.create(claimObject(index, generation), body),
        exists: async (index, generation) => (await store.read(claimObject(index, generation))) !== undefined,
    };
}

/**
 * Whether `store` refuses to create an object that exists: `name` is created twice in a row, and
 * the second (or the first, when it was there from an earlier run) must be refused. A store that
 * lets both through (an S3-compatible server that ignores `If-None-Match`) cannot hold claims.
 */
export async function enforcesCreateOnly(store: StateStore, name: string): Promise<boolean> {
    const body = JSON.stringify({ check: "create-only", at: new Date().toISOString() });
    if (!(await store.create(name, body))) return true;
    return !(await store.create(name, body));
}
