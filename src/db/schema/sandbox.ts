// The sandbox payment processor's own tables (it stands in for a provider's servers).
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/**
 * The built-in sandbox processor's own books (it stands in for a provider's servers, so it
 * keeps its state in the database: every instance, and a restart, sees the same payments).
 */
export const sandboxPayments = pgTable('sandbox_payments', {
  id: text('id').primaryKey(),
  /** Our payments.id, as a provider keeps the merchant's metadata. */
  reference: text('reference').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  amount: integer('amount').notNull(),
  currency: text('currency').notNull(),
  captureMethod: text('capture_method').notNull(),
  /** open, awaiting_3ds, authorized, captured, canceled */
  status: text('status').notNull(),
  amountCaptured: integer('amount_captured').notNull().default(0),
  amountRefunded: integer('amount_refunded').notNull().default(0),
  description: text('description').notNull().default(''),
  returnUrl: text('return_url').notNull(),
  cancelUrl: text('cancel_url').notNull(),
  cardBrand: text('card_brand'),
  cardLast4: text('card_last4'),
  cardExpMonth: integer('card_exp_month'),
  cardExpYear: integer('card_exp_year'),
  declineCode: text('decline_code'),
  createdAt: createdAt(),
});

export const sandboxRefunds = pgTable('sandbox_refunds', {
  id: text('id').primaryKey(),
  paymentId: text('payment_id')
    .notNull()
    .references(() => sandboxPayments.id),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  amount: integer('amount').notNull(),
  createdAt: createdAt(),
});
