// Pictures in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO), chosen by STORAGE_URL,
// e.g. s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true.
// Credentials come from the SDK's standard chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a
// profile, an instance role). The bucket stays private: the store reads objects and serves
// them through its own routes, so customer photos are never reachable without a staff
// session and catalog pictures keep their cache headers.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Conn } from '../../db/client.ts';
import { DomainError } from '../shared/errors.ts';
import type { Blob, BlobStore } from './blob-store.ts';
import type { S3Location } from './storage-url.ts';

export type S3BlobStore = BlobStore & {
  /** Whether the object is in the bucket (storage:migrate skips those already copied). */
  has(key: string): Promise<boolean>;
  /** Every key under the prefix (backups copy them). */
  list(): AsyncIterable<string>;
};

// The bucket's own error stays in `cause` (for the log), out of what a visitor is shown.
const unreachable = (action: string, err: unknown) =>
  Object.assign(new DomainError('unavailable', `Picture storage is not reachable right now, so the picture could not be ${action}. Try again in a minute.`), { cause: err });

const isMissing = (err: unknown) => err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);

export function s3BlobStore(loc: S3Location, client?: S3Client): S3BlobStore {
  const s3 =
    client ??
    new S3Client({
      region: loc.region,
      endpoint: loc.endpoint,
      forcePathStyle: loc.forcePathStyle,
      // Checksums only where S3 demands them: R2 and older MinIO refuse the SDK's newer default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A bucket that does not answer must fail an upload in seconds, not hold the request open.
      requestHandler: { connectionTimeout: 3000, requestTimeout: 20_000 },
      maxAttempts: 3,
    });
  const objectKey = (key: string) => loc.prefix + key;
  return {
    // Written before the transaction commits: if it then rolls back, an unreferenced object
    // remains (harmless, its key is random); if the bucket fails, the transaction does.
    async put(_conn: Conn, key, blob) {
      await s3
        .send(
          new PutObjectCommand({
            Bucket: loc.bucket,
            Key: objectKey(key),
            Body: blob.bytes,
            ContentType: blob.contentType,
            Metadata: { ...(blob.width ? { width: String(blob.width) } : {}), ...(blob.height ? { height: String(blob.height) } : {}) },
          }),
        )
        .catch((err) => {
          throw unreachable('saved', err);
        });
    },
    async get(key) {
      try {
        const res = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: objectKey(key) }));
        const bytes = Buffer.from(await res.Body!.transformToByteArray());
        const dim = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null);
        return { contentType: res.ContentType ?? 'application/octet-stream', bytes, width: dim(res.Metadata?.width), height: dim(res.Metadata?.height) } satisfies Blob;
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw unreachable('read', err);
      }
    },
    async delete(_conn: Conn, keys) {
      await Promise.all(keys.map((k) => s3.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: objectKey(k) })))).catch((err) => {
        throw unreachable('deleted', err);
      });
    },
    async has(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: objectKey(key) }));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw unreachable('checked', err);
      }
    },
    async *list() {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.prefix || undefined, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) yield o.Key.slice(loc.prefix.length);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

/**
 * The bucket first, then the database table for pictures written before STORAGE_URL was set
 * and not yet moved by `npm run storage:migrate`, so switching stores never breaks a page.
 */
export function withDatabaseFallback(bucket: S3BlobStore, database: BlobStore): S3BlobStore {
  return {
    ...bucket,
    async get(key) {
      return (await bucket.get(key)) ?? database.get(key);
    },
    async delete(conn, keys) {
      await database.delete(conn, keys);
      await bucket.delete(conn, keys);
    },
  };
}
