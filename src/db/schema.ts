// The one database schema, shared by PGlite (embedded) and PostgreSQL.
// Money columns are integer minor units (cents); every table that changes over
// time carries timestamps with time zone.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

// ---------------------------------------------------------------- settings

/** Store settings: one JSON document (validated by domain/settings), edited by the owner. */
export const storeSettings = pgTable('store_settings', {
  id: integer('id').primaryKey().default(1),
  data: jsonb('data').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// ---------------------------------------------------------------- blobs (images, photos)

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

// ---------------------------------------------------------------- catalog

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  position: integer('position').notNull().default(0),
});

export type Specification = { name: string; value: string };

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id),
    /** Ordered name → value pairs shown as the specifications table. */
    specifications: jsonb('specifications').$type<Specification[]>().notNull().default([]),
    featured: boolean('featured').notNull().default(false),
    /** Hidden products stay for old orders but leave the storefront. */
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('products_category_idx').on(t.categoryId)],
);

export const productImages = pgTable(
  'product_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** Blob key prefix; sizes are stored as `${imageKey}/${size}`. */
    imageKey: text('image_key').notNull(),
    alt: text('alt').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.position)],
);

export const variants = pgTable(
  'variants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull().unique(),
    /** Option values such as { size: "M", colour: "Sage" }. */
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    price: integer('price').notNull(),
    compareAtPrice: integer('compare_at_price'),
    currency: text('currency').notNull().default('USD'),
    stock: integer('stock').notNull().default(0),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('variants_product_idx').on(t.productId, t.position),
    check('variants_stock_non_negative', sql`${t.stock} >= 0`),
    check('variants_price_non_negative', sql`${t.price} >= 0`),
  ],
);

/** Every stock change with who made it and why: the stock ledger. */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => variants.id, { onDelete: 'cascade' }),
    delta: integer('delta').notNull(),
    stockAfter: integer('stock_after').notNull(),
    /** sale, cancel, modify, adjustment, set, restock, write_off, exchange */
    reason: text('reason').notNull(),
    note: text('note'),
    staffId: uuid('staff_id'),
    orderId: uuid('order_id'),
    createdAt: createdAt(),
  },
  (t) => [index('stock_ledger_variant_idx').on(t.variantId, t.createdAt)],
);

// ---------------------------------------------------------------- carts

export const carts = pgTable('carts', {
  /** Unguessable random token: it is the only thing that grants access to the cart. */
  id: text('id').primaryKey(),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  /** Set when the cart became an order; a converted cart is read-only. */
  orderId: uuid('order_id'),
});

export const cartItems = pgTable(
  'cart_items',
  {
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => variants.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.cartId, t.variantId] })],
);

// ---------------------------------------------------------------- orders

export type Address = {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: 'US';
};

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human order number, e.g. CS-7K3M-9QX2: random, unique by constraint. */
    number: text('number').notNull().unique(),
    status: text('status').notNull(),
    email: text('email').notNull(),
    /** E.164, e.g. +13045550142 */
    phone: text('phone').notNull(),
    shippingAddress: jsonb('shipping_address').$type<Address>().notNull(),
    shippingMethod: text('shipping_method').notNull(),
    currency: text('currency').notNull().default('USD'),
    subtotal: integer('subtotal').notNull(),
    shipping: integer('shipping').notNull(),
    tax: integer('tax').notNull(),
    total: integer('total').notNull(),
    /** Tax rate applied, in basis points (600 = 6%). */
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    holdReason: text('hold_reason'),
    cartId: text('cart_id'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('orders_status_created_idx').on(t.status, t.createdAt),
    index('orders_created_idx').on(t.createdAt),
    index('orders_email_idx').on(sql`lower(${t.email})`),
    index('orders_phone_idx').on(t.phone),
  ],
);

/**
 * Orders per status, kept by a statement trigger on orders (migration order_search_and_counts),
 * so the back-office tabs and /metrics read a few rows instead of counting a million orders.
 * Each change adds its delta to a random one of 32 shards: concurrent checkouts rarely queue on one row.
 * The count of a status is the sum over its shards.
 */
export const orderStatusCounts = pgTable(
  'order_status_counts',
  {
    status: text('status').notNull(),
    shard: integer('shard').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.status, t.shard] })],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').references(() => variants.id, { onDelete: 'set null' }),
    // Snapshot of what was bought, so later catalog edits never change an order.
    sku: text('sku').notNull(),
    productName: text('product_name').notNull(),
    productSlug: text('product_slug').notNull(),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    unitPrice: integer('unit_price').notNull(),
    quantity: integer('quantity').notNull(),
    lineTotal: integer('line_total').notNull(),
    /** This line's share of the order's tax, so refunds can return it exactly. */
    tax: integer('tax').notNull().default(0),
    /** Units in an open or finished return/exchange/refund case (per-line counter). */
    returnRequestedQuantity: integer('return_requested_quantity').notNull().default(0),
    /** Units physically received back. */
    returnReceivedQuantity: integer('return_received_quantity').notNull().default(0),
    /** Units whose money went back to the customer. */
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('order_items_order_idx').on(t.orderId), index('order_items_sku_idx').on(t.sku)],
);

/** The audit timeline: every change to an order, who made it, from which state. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** e.g. placed, transition, note, shipment, carrier_event, request, refund, return */
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** 'customer', 'system', or the staff member's email. */
    actor: text('actor').notNull(),
    staffId: uuid('staff_id'),
    /** Internal events (notes) never reach the customer's tracking view. */
    internal: boolean('internal').notNull().default(false),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.id), index('order_events_to_created_idx').on(t.toStatus, t.createdAt)],
);

// ---------------------------------------------------------------- payments & refunds

/** Every payment attempt, successful or not: the payment record. */
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

// ---------------------------------------------------------------- shipments & carrier events

export const shipments = pgTable(
  'shipments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    /** shipped, in_transit, out_for_delivery, delivered, exception */
    status: text('status').notNull().default('shipped'),
    /** order (the original parcel) or exchange (a replacement) */
    kind: text('kind').notNull().default('order'),
    returnCaseId: uuid('return_case_id'),
    staffId: uuid('staff_id'),
    shippedAt: ts('shipped_at').notNull().defaultNow(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [index('shipments_order_idx').on(t.orderId), index('shipments_tracking_idx').on(t.trackingNumber)],
);

export const carrierEvents = pgTable(
  'carrier_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    /** The carrier's event id, or a hash of the event when it has none: duplicates are recorded once. */
    eventKey: text('event_key').notNull(),
    status: text('status').notNull(),
    location: text('location').notNull().default(''),
    description: text('description').notNull().default(''),
    occurredAt: ts('occurred_at').notNull(),
    /** carrier (webhook) or staff (entered by hand) */
    source: text('source').notNull().default('carrier'),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('carrier_events_dedupe_idx').on(t.shipmentId, t.eventKey), index('carrier_events_time_idx').on(t.shipmentId, t.occurredAt)],
);

// ---------------------------------------------------------------- outbox (emails, webhooks)

/** Transactional outbox: written in the same transaction as the change that caused it,
 * delivered by the worker. Doubles as the notification log. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** email (webhooks later) */
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

// ---------------------------------------------------------------- staff & sessions

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** owner, support, warehouse */
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  active: boolean('active').notNull().default(true),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  createdAt: createdAt(),
});

/** Back-office browser sessions and API bearer tokens; only a hash of the secret is stored. */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    /** session (cookie) or api (bearer token) */
    kind: text('kind').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('staff_sessions_staff_idx').on(t.staffId)],
);

/** Fixed-window counters shared by every instance (sign-in and lookup limits). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: ts('reset_at').notNull(),
});

// ---------------------------------------------------------------- customer service

/** One support inbox: contact messages, order requests, delivery problems, after-sales. */
export const supportCases = pgTable(
  'support_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** e.g. SC-4F7K-2M9P, given to the customer */
    number: text('number').notNull().unique(),
    /** contact, order_request, delivery_problem, after_sales */
    kind: text('kind').notNull(),
    /** open, waiting_on_customer, resolved */
    status: text('status').notNull().default('open'),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    topic: text('topic').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    assigneeId: uuid('assignee_id').references(() => staff.id, { onDelete: 'set null' }),
    dueAt: ts('due_at').notNull(),
    firstRepliedAt: ts('first_replied_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('support_cases_status_idx').on(t.status, t.dueAt), index('support_cases_order_idx').on(t.orderId)],
);

export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => supportCases.id, { onDelete: 'cascade' }),
    /** customer, reply (sent to the customer), note (internal), system */
    kind: text('kind').notNull(),
    staffId: uuid('staff_id'),
    body: text('body').notNull(),
    /** Blob keys of attached photos. */
    attachments: jsonb('attachments').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('case_messages_case_idx').on(t.caseId, t.id)],
);

/** A customer's request to cancel or modify an order before it ships. */
export const orderRequests = pgTable(
  'order_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id').references(() => supportCases.id, { onDelete: 'set null' }),
    /** cancel, modify */
    type: text('type').notNull(),
    /** pending, approved, declined */
    status: text('status').notNull().default('pending'),
    message: text('message').notNull().default(''),
    changes: jsonb('changes').$type<Record<string, unknown>>(),
    declineReason: text('decline_reason'),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [index('order_requests_order_idx').on(t.orderId)],
);

/** After-sales case: return, exchange or refund-only. */
export const returnCases = pgTable(
  'return_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** e.g. RMA-8H2K-4TQ7 */
    number: text('number').notNull().unique(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    supportCaseId: uuid('support_case_id').references(() => supportCases.id, { onDelete: 'set null' }),
    /** return, exchange, refund */
    type: text('type').notNull(),
    /** requested, approved, declined, received, refunded, exchanged, closed */
    status: text('status').notNull().default('requested'),
    reason: text('reason').notNull(),
    condition: text('condition').notNull(),
    photos: jsonb('photos').$type<string[]>().notNull().default([]),
    declineReason: text('decline_reason'),
    /** What staff found on receipt: resellable or damaged. */
    receivedCondition: text('received_condition'),
    refundId: uuid('refund_id'),
    /** For exchanges: the zero-total order that carries the replacement through processing. */
    replacementOrderId: uuid('replacement_order_id').references(() => orders.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('return_cases_order_idx').on(t.orderId), index('return_cases_status_idx').on(t.status, t.createdAt)],
);

export const returnItems = pgTable(
  'return_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    returnCaseId: uuid('return_case_id')
      .notNull()
      .references(() => returnCases.id, { onDelete: 'cascade' }),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    /** For exchanges: the variant to send instead. */
    exchangeVariantId: uuid('exchange_variant_id'),
    exchangeQuantity: integer('exchange_quantity'),
    /** What staff found on receipt: resellable (restocked) or damaged (written off). */
    condition: text('condition'),
  },
  (t) => [index('return_items_case_idx').on(t.returnCaseId)],
);

/** Secrets the store generates for itself on first start (e.g. the signing key for tracking links). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
