// After-sales: return, exchange and refund-only cases with the lines they cover.
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orderItems, orders } from './orders.ts';
import { supportCases } from './support.ts';

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
