// Abandoned-checkout recovery: the email a shopper typed at checkout, kept with their cart
// for one reminder, and the addresses that asked never to get one.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { carts } from './carts.ts';

/** What the cart held when the shopper was at checkout, to tell them later what changed. */
export type CapturedLine = { sku: string; name: string; unitPrice: number; quantity: number };

export const checkoutContacts = pgTable(
  'checkout_contacts',
  {
    cartId: text('cart_id')
      .primaryKey()
      .references(() => carts.id, { onDelete: 'cascade' }),
    /** lower case */
    email: text('email').notNull(),
    lines: jsonb('lines').$type<CapturedLine[]>().notNull(),
    capturedAt: createdAt(),
    remindAt: ts('remind_at').notNull(),
    /** When the reminder job looked at it; `outcome` says what it did. */
    handledAt: ts('handled_at'),
    /** reminded, ordered, unsubscribed, empty */
    outcome: text('outcome'),
  },
  (t) => [index('checkout_contacts_due_idx').on(t.remindAt).where(sql`handled_at is null`), index('checkout_contacts_captured_idx').on(t.capturedAt)],
);

/** Addresses that unsubscribed from reminders (order emails still reach them). */
export const emailSuppressions = pgTable('email_suppressions', {
  email: text('email').primaryKey(),
  createdAt: createdAt(),
});
