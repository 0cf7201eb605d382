// Outgoing webhooks: the endpoints the owner registered, and every attempt to reach them.
// The deliveries themselves are outbox rows (channel 'webhook', recipient = endpoint id),
// written in the same transaction as the change they announce.
import { bigint, bigserial, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { staff } from './staff.ts';

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  /** Event types it subscribed to, e.g. ["order.placed", "stock.low"]. */
  events: jsonb('events').$type<string[]>().notNull(),
  /** The signing secret. Kept as is because HMAC needs it to sign; shown to the owner only once. */
  secret: text('secret').notNull(),
  /** active, disabled */
  status: text('status').notNull().default('active'),
  /** Why it was disabled (automatically after repeated failures, or by staff). */
  disabledReason: text('disabled_reason'),
  disabledAt: ts('disabled_at'),
  /** Deliveries that failed for good in a row; reset by any success. */
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  /** When the current run of failures started; null while deliveries succeed. */
  failingSince: ts('failing_since'),
  createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/** One HTTP attempt of one delivery: the delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The outbox row (the delivery). */
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    /** HTTP status; null when no answer came (timeout, refused connection, refused address). */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_endpoint_idx').on(t.endpointId, t.id), index('webhook_attempts_outbox_idx').on(t.outboxId)],
);
