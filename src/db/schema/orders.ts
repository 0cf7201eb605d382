// Orders: the order row, its lines (snapshots of what was bought), its timeline and per-status counts.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { variants } from './catalog.ts';
import type { TaxJurisdiction } from '../../domain/tax/tax-table.ts';

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
    /** The part of `tax` charged on shipping. */
    shippingTax: integer('shipping_tax').notNull().default(0),
    /** `tax` by taxing authority (state, county, city), as the tax provider split it. */
    taxBreakdown: jsonb('tax_breakdown').$type<TaxJurisdiction[]>().notNull().default([]),
    /** Cents the discount took off the goods (shipping waived by free shipping shows as shipping 0). */
    discount: integer('discount').notNull().default(0),
    /** The code the shopper used, or the automatic promotion's name; null without a discount. */
    discountCode: text('discount_code'),
    holdReason: text('hold_reason'),
    /** An edit made the order cost more: the payment for the difference it waits for (no preparing until paid). */
    awaitingPaymentId: uuid('awaiting_payment_id'),
    cartId: text('cart_id'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // The queue's sort keys: created_at, then number to break ties, so a keyset page
    // ("after this order") is one range scan in either direction.
    index('orders_status_created_idx').on(t.status, t.createdAt, t.number),
    index('orders_created_idx').on(t.createdAt, t.number),
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
    /** This line's share of the order's discount: lineTotal − discount is what the line was taxed on and paid. */
    discount: integer('discount').notNull().default(0),
    /** This line's share of the order's tax, so refunds can return it exactly. */
    tax: integer('tax').notNull().default(0),
    /** The product's sales-tax category when it was bought (general, clothing, groceries). */
    taxCategory: text('tax_category').notNull().default('general'),
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
