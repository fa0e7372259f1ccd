/**
 * The little the self-managed layout needs of a store (gocloud's `blob.Bucket` in pulumi): list the
 * keys under a prefix, read one key. A folder (`file://`) and an S3 bucket implement it.
 */

export interface BucketObject {
    /** Relative to the backend's root, `/`-separated: `.pulumi/stacks/shop/prod.json`. */
    key: string;
    modified: Date;
    size: number;
}

export interface Bucket {
    /** Every object whose key starts with `prefix`, all levels down. */
    list(prefix: string): Promise<BucketObject[]>;
    /** The object's bytes; `undefined` when there is no such key. */
    read(key: string): Promise<Buffer | undefined>;
    /** How to name an object in a message: a path or an `s3://` URL. */
    locate(key: string): string;
}
