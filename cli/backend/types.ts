/**
 * What every backend (a self-managed folder or bucket, S3, Pulumi Cloud) gives the fleet check: a
 * list of stacks, each read on demand, so that the check holds one stack at a time, not the fleet.
 * A leaf module: it imports nothing local.
 */

/** A stack of a backend, not read yet. */
export interface StackRef {
    /** `<project>/<stack>` (the legacy self-managed layout has no project: `<stack>`). */
    name: string;
    project: string;
    stack: string;
    /** Where it is read from, for messages: a file path, an S3 URL or a service URL. */
    location: string;
    /** The checkpoint or export, as stored (possibly compressed). */
    read(): Promise<Buffer>;
    /** The stack's tags (`pulumi stack tag ls`); `{}` where the backend has none. */
    tags(): Promise<Record<string, string>>;
}

/** A backend's stacks, listed once. */
export interface Backend {
    /** The URL as the user gave it, for messages. */
    url: string;
    list(): Promise<StackRef[]>;
}

/** One stack could not be read: one line naming it and the reason; the rest of the fleet goes on. */
export class StackReadError extends Error {}

/** The backend as a whole cannot be read (no such folder, bucket denied, no token): exit 2. */
export class BackendError extends Error {}
