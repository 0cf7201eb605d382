// The store's own records: settings, generated secrets, and stored files (blobs).
import { integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt, ts } from './columns.ts';

/** Store settings: one JSON document (validated by domain/settings), edited by the owner. */
export const storeSettings = pgTable('store_settings', {
  id: integer('id').primaryKey().default(1),
  data: jsonb('data').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Secrets the store generates for itself on first start (e.g. the signing key for tracking links). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/** Binary objects (catalog images in several sizes, customer photos). Kept in the
 * database so every instance on one PostgreSQL serves the same files. */
export const blobs = pgTable('blobs', {
  key: text('key').primaryKey(),
  contentType: text('content_type').notNull(),
  bytes: bytea('bytes').notNull(),
  width: integer('width'),
  height: integer('height'),
  createdAt: createdAt(),
});
