// Payments: every payment session, every refund, the provider webhooks already handled, and the idempotency keys of order-changing requests.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orders } from './orders.ts';

/**
 * A payment session: opened with the provider before the shopper pays, holding everything
 * needed to place the order without the shopper (contact, address, lines and totals as
 * they were charged), so the provider's webhook alone can create the order.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    cartId: text('cart_id'),
    provider: text('provider').notNull(),
    /** The provider's session (Stripe: cs_… for hosted Checkout, else the PaymentIntent). */
    providerSessionId: text('provider_session_id'),
    /** The provider's payment, once it exists (Stripe: pi_…). */
    providerTransactionId: text('provider_transaction_id'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('USD'),
    /**
     * pending (written before the provider is called), open (waiting for the shopper),
     * processing, authorized, captured, declined, failed, expired (nobody paid),
     * voided (authorization released), releasing (paid but no order could be made: being
     * voided or refunded), refunded (released after capture)
     */
    status: text('status').notNull(),
    /** automatic (captured at checkout) or manual (captured at handover, or by staff). */
    captureMethod: text('capture_method').notNull().default('automatic'),
    amountCaptured: integer('amount_captured').notNull().default(0),
    /** What the order will be made of; see domain/checkout/checkout-snapshot.ts. */
    /** What the money is for: `order` (a checkout) or `edit` (the difference after staff made an order cost more). */
    purpose: text('purpose').notNull().default('order'),
    checkout: jsonb('checkout').$type<Record<string, unknown>>(),
    /** Where the shopper pays (the provider's hosted page), kept so a repeat can send them back. */
    redirectUrl: text('redirect_url'),
    /** For the provider's embedded payment field (never logged). */
    clientSecret: text('client_secret'),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    cardExpMonth: integer('card_exp_month'),
    cardExpYear: integer('card_exp_year'),
    declineCode: text('decline_code'),
    message: text('message'),
    idempotencyKey: text('idempotency_key'),
    /** A chargeback: the provider's dispute id, status (needs_response, under_review, won, lost…), reason and amount. */
    disputeId: text('dispute_id'),
    disputeStatus: text('dispute_status'),
    disputeReason: text('dispute_reason'),
    disputeAmount: integer('dispute_amount'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('payments_order_idx').on(t.orderId),
    index('payments_status_idx').on(t.status, t.createdAt),
    index('payments_cart_idx').on(t.cartId),
    index('payments_provider_tx_idx').on(t.provider, t.providerTransactionId),
    index('payments_provider_session_idx').on(t.provider, t.providerSessionId),
    index('payments_dispute_idx').on(t.disputeStatus).where(sql`dispute_status is not null`),
  ],
);

/** Provider webhooks already handled, by the provider's event id: a redelivery is acknowledged and ignored. */
export const paymentWebhookEvents = pgTable(
  'payment_webhook_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index('payment_webhook_events_received_idx').on(t.receivedAt)],
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
    /** Asked for while the payment was only authorized: it shrinks (or voids) the authorization instead of sending money back. */
    release: boolean('release').notNull().default(false),
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
