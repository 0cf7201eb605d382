// Payments: every payment attempt, every refund, and the idempotency keys of order-changing requests.
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orders } from './orders.ts';

/** Every payment attempt, successful or not: the payment record. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    cartId: text('cart_id'),
    provider: text('provider').notNull(),
    providerTransactionId: text('provider_transaction_id'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('USD'),
    /** pending (written before the provider is called), authorized, captured, declined, failed, voided */
    status: text('status').notNull(),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    cardExpMonth: integer('card_exp_month'),
    cardExpYear: integer('card_exp_year'),
    declineCode: text('decline_code'),
    message: text('message'),
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('payments_order_idx').on(t.orderId), index('payments_status_idx').on(t.status, t.createdAt)],
);

/** A refund is its own record: pending → succeeded | failed, retried, never issued twice. */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('USD'),
    /** pending, succeeded, failed */
    status: text('status').notNull().default('pending'),
    reason: text('reason').notNull(),
    /** What caused it: cancellation, modification, return. */
    source: text('source').notNull(),
    sourceId: text('source_id'),
    /** Unique: the same cause can never refund twice. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    providerRefundId: text('provider_refund_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('refunds_order_idx').on(t.orderId), index('refunds_status_idx').on(t.status, t.nextAttemptAt)],
);

/** Remembers the answer to an order-changing request so a retry gets the same answer. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  /** scope + ':' + client key */
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  /** in_progress, done */
  state: text('state').notNull(),
  responseStatus: integer('response_status'),
  responseBody: jsonb('response_body'),
  createdAt: createdAt(),
});
