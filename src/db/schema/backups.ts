// Backups taken of this store's database: one row per run, whether by `npm run backup`, the
// back office's "Back up now" or the daily schedule. The unique `slot` is the claim: with
// several instances, only the one whose insert wins takes that day's scheduled backup.
import { bigint, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';

export const backups = pgTable('backups', {
  id: serial('id').primaryKey(),
  /** `daily-YYYY-MM-DD` (shop's time zone) for the schedule; `manual-<time>-<random>` otherwise. */
  slot: text('slot').notNull().unique(),
  /** running → done | failed */
  status: text('status').notNull().default('running'),
  /** Who asked: `schedule`, `cli`, or the staff member's email. */
  requestedBy: text('requested_by').notNull(),
  /** The file's name inside BACKUP_DIR, known once written. */
  fileName: text('file_name'),
  sizeBytes: bigint('size_bytes', { mode: 'number' }),
  error: text('error'),
  startedAt: createdAt(),
  finishedAt: ts('finished_at'),
});
