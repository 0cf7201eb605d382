// Outbox: emails (and later webhooks) leave through it after the change that caused them commits.
import { bigserial, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';

/** Transactional outbox: written in the same transaction as the change that caused it,
 * delivered by the worker. Doubles as the notification log. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** email, sms, webhook */
    channel: text('channel').notNull().default('email'),
    /** Template name, e.g. order_confirmation */
    template: text('template').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    orderId: uuid('order_id'),
    caseId: uuid('case_id'),
    /** pending, sending, sent, failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    /** When a worker claimed the row; a stale claim (crashed worker) is retried. */
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: createdAt(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_order_idx').on(t.orderId),
    index('outbox_case_idx').on(t.caseId),
  ],
);
