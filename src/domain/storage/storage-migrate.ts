// `npm run storage:migrate`: moves the pictures kept in the database into the bucket of
// STORAGE_URL. Each batch is copied first and deleted from the database only after the
// bucket has it, so the store keeps serving every picture during the move (it reads the
// bucket, then the database) and an interrupted run simply continues where it stopped; a
// second run finds nothing left and changes nothing.
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { blobs } from '../../db/schema.ts';
import type { S3BlobStore } from './s3-blob-store.ts';

export type StorageMigrateReport = { moved: number; alreadyThere: number };

export async function moveBlobsToBucket(db: Db, bucket: S3BlobStore, opts: { batchSize?: number; onBatch?: (r: StorageMigrateReport) => void } = {}): Promise<StorageMigrateReport> {
  const report: StorageMigrateReport = { moved: 0, alreadyThere: 0 };
  for (;;) {
    // Small batches: each row holds a whole picture.
    const batch = await db.select().from(blobs).orderBy(asc(blobs.key)).limit(opts.batchSize ?? 50);
    if (batch.length === 0) return report;
    for (const row of batch) {
      if (await bucket.has(row.key)) {
        report.alreadyThere++;
        continue;
      }
      await bucket.put(db, row.key, { contentType: row.contentType, bytes: row.bytes, width: row.width, height: row.height });
      report.moved++;
    }
    await db.delete(blobs).where(inArray(blobs.key, batch.map((r) => r.key)));
    opts.onBatch?.(report);
  }
}
