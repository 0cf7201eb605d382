// What each parcel carries, and the postage labels bought through a shipping provider.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orderItems, orders } from './orders.ts';
import { shipments } from './shipments.ts';

/** The order lines (and how many units of each) one shipment carries: a partial shipment says what is in it. */
export const shipmentItems = pgTable(
  'shipment_items',
  {
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    uniqueIndex('shipment_items_pk').on(t.shipmentId, t.orderItemId),
    index('shipment_items_item_idx').on(t.orderItemId),
    check('shipment_items_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export type LabelRate = { id: string; carrier: string; service: string; amount: number; currency: string; deliveryDays: number | null };
export type LabelParcel = { preset: string; weightGrams: number; lengthMm: number; widthMm: number; heightMm: number };
export type LabelItem = { orderItemId: string; quantity: number };

/**
 * One postage label from a shipping provider, for an order's parcel or a customer's return.
 * The idempotency key is written before the provider is asked to buy, so a purchase retried
 * after a timeout finds the label it already bought instead of buying a second one.
 */
export const shippingLabels = pgTable(
  'shipping_labels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** outbound (to the customer) or return (customer back to the shop) */
    kind: text('kind').notNull().default('outbound'),
    returnCaseId: uuid('return_case_id'),
    provider: text('provider').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /**
     * quoted: rates shown, nothing bought · buying: purchase asked for (maybe done, maybe not) ·
     * purchased: label and tracking number stored · void_requested: the order was cancelled, the
     * worker asks the provider for the postage back · voided · void_failed (staff contact the provider)
     */
    status: text('status').notNull().default('quoted'),
    providerShipmentId: text('provider_shipment_id').notNull(),
    parcel: jsonb('parcel').$type<LabelParcel>().notNull(),
    items: jsonb('items').$type<LabelItem[]>().notNull().default([]),
    rates: jsonb('rates').$type<LabelRate[]>().notNull().default([]),
    rateId: text('rate_id'),
    carrier: text('carrier'),
    service: text('service'),
    /** Postage paid, in cents. */
    amount: integer('amount'),
    trackingNumber: text('tracking_number'),
    /** The provider's tracker id, which its tracking webhooks name. */
    trackerId: text('tracker_id'),
    /** BlobStore key of the label PDF. */
    labelKey: text('label_key'),
    /** The shipment this label went out as (set at the handover). */
    shipmentId: uuid('shipment_id').references(() => shipments.id, { onDelete: 'set null' }),
    staffId: uuid('staff_id'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    purchasedAt: ts('purchased_at'),
    voidedAt: ts('voided_at'),
  },
  (t) => [
    uniqueIndex('shipping_labels_idempotency_idx').on(t.idempotencyKey),
    index('shipping_labels_order_idx').on(t.orderId),
    index('shipping_labels_tracking_idx').on(t.trackingNumber),
  ],
);
