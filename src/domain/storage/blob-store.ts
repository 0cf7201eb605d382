// Where binary files (catalog images, customer photos) live. The default keeps them in
// the database, so every instance on one PostgreSQL serves the same files and the
// embedded database keeps them in its data folder; an S3-compatible store can
// implement the same interface.
import { eq, inArray } from 'drizzle-orm';
import { blobs } from '../../db/schema.ts';
import type { Conn, Db } from '../../db/client.ts';

export type Blob = { contentType: string; bytes: Buffer; width?: number | null; height?: number | null };

export interface BlobStore {
  put(conn: Conn, key: string, blob: Blob): Promise<void>;
  get(key: string): Promise<Blob | undefined>;
  delete(conn: Conn, keys: string[]): Promise<void>;
}

/** Database-backed store with a small in-process cache (blobs never change once written). */
export function databaseBlobStore(db: Db, cacheBytes = 64 * 1024 * 1024): BlobStore {
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
    async put(conn, key, blob) {
      await conn
        .insert(blobs)
        .values({ key, contentType: blob.contentType, bytes: blob.bytes, width: blob.width, height: blob.height })
        .onConflictDoNothing();
    },
    async get(key) {
      const hit = cache.get(key);
      if (hit) return hit;
      const [row] = await db.select().from(blobs).where(eq(blobs.key, key));
      if (!row) return undefined;
      const blob = { contentType: row.contentType, bytes: row.bytes, width: row.width, height: row.height };
      remember(key, blob);
      return blob;
    },
    async delete(conn, keys) {
      if (keys.length === 0) return;
      await conn.delete(blobs).where(inArray(blobs.key, keys));
      for (const k of keys) cache.delete(k);
    },
  };
}
