// Discounts: codes a shopper types and automatic promotions, and every redemption of one.
// The used count sits on the discount row so a redemption is one conditional UPDATE that
// also locks the row, like stock: two shoppers taking the last allowed use cannot both win.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { orders } from './orders.ts';
import type { DiscountKind } from '../../domain/discounts/discount-rules.ts';

export const discounts = pgTable(
  'discounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What the shopper types, as staff wrote it; unique ignoring case. Null for an automatic promotion. */
    code: text('code'),
    /** Staff's name for it (shown to shoppers for automatic promotions). */
    name: text('name').notNull().default(''),
    /** percent (value in basis points), fixed (value in cents) or free_shipping (value 0). */
    kind: text('kind').$type<DiscountKind>().notNull(),
    value: integer('value').notNull().default(0),
    startsAt: ts('starts_at'),
    /** The first instant it no longer applies. */
    endsAt: ts('ends_at'),
    /** Subtotal (before the discount) from which it applies, cents. */
    minSubtotal: integer('min_subtotal').notNull().default(0),
    /** Redemptions allowed in all; null: no cap. */
    usageCap: integer('usage_cap'),
    /** Redemptions allowed per customer email (ignoring case); null: no cap. */
    perCustomerCap: integer('per_customer_cap'),
    active: boolean('active').notNull().default(true),
    usedCount: integer('used_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('discounts_code_idx').on(sql`lower(${t.code})`)],
);

/** One order's use of a discount, with what it took off. */
export const discountRedemptions = pgTable(
  'discount_redemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    discountId: uuid('discount_id')
      .notNull()
      .references(() => discounts.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    /** Cents taken off the goods, plus the shipping waived by a free-shipping discount. */
    amount: integer('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('discount_redemptions_email_idx').on(t.discountId, sql`lower(${t.email})`), index('discount_redemptions_created_idx').on(t.createdAt)],
);
