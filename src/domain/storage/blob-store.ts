// Where binary files (catalog images, customer photos) live. The default keeps them in
// the database, so every instance on one PostgreSQL serves the same files and the
// embedded database keeps them in its data folder; an S3-compatible store (s3-blob-store.ts)
// implements the same interface when STORAGE_URL names a bucket.
import { eq, inArray } from 'drizzle-orm';
import { blobs } from '../../db/schema.ts';
import type { Conn, Db } from '../../db/client.ts';

export type Blob = { contentType: string; bytes: Buffer; width?: number | null; height?: number | null };

export interface BlobStore {
  put(conn: Conn, key: string, blob: Blob): Promise<void>;
  get(key: string): Promise<Blob | undefined>;
  delete(conn: Conn, keys: string[]): Promise<void>;
  /** Only stores outside the database have it: every key they hold (backups copy them, as a database dump cannot). */
  list?(): AsyncIterable<string>;
}

/** Database-backed store with a small in-process cache (blobs never change once written). */
export function databaseBlobStore(db: Db, cacheBytes = 64 * 1024 * 1024): BlobStore {
  return withCache(
    {
      async put(conn, key, blob) {
        await conn
          .insert(blobs)
          .values({ key, contentType: blob.contentType, bytes: blob.bytes, width: blob.width, height: blob.height })
          .onConflictDoNothing();
      },
      async get(key) {
        const [row] = await db.select().from(blobs).where(eq(blobs.key, key));
        return row ? { contentType: row.contentType, bytes: row.bytes, width: row.width, height: row.height } : undefined;
      },
      async delete(conn, keys) {
        if (keys.length === 0) return;
        await conn.delete(blobs).where(inArray(blobs.key, keys));
      },
    },
    cacheBytes,
  );
}

/**
 * Keeps recently read blobs in memory, up to `cacheBytes` (oldest dropped first). Safe for
 * every store: keys are random and a blob never changes once written, only disappears.
 */
export function withCache<S extends BlobStore>(store: S, cacheBytes: number): S {
  const cache = new Map<string, Blob>();
  let cached = 0;
  const remember = (key: string, blob: Blob) => {
    if (blob.bytes.length > cacheBytes / 8) return;
    cache.set(key, blob);
    cached += blob.bytes.length;
    // Map keeps insertion order: drop the oldest entries first.
    for (const [k, b] of cache) {
      if (cached <= cacheBytes) break;
      cache.delete(k);
      cached -= b.bytes.length;
    }
  };
  return {
    ...store,
    async get(key: string) {
      const hit = cache.get(key);
      if (hit) return hit;
      const blob = await store.get(key);
      if (blob) remember(key, blob);
      return blob;
    },
    async delete(conn: Conn, keys: string[]) {
      await store.delete(conn, keys);
      for (const k of keys) {
        const gone = cache.get(k);
        if (gone) cached -= gone.bytes.length;
        cache.delete(k);
      }
    },
  };
}
