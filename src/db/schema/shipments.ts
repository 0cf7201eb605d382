// Shipments and the carrier events that move them.
import { bigserial, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orders } from './orders.ts';

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
