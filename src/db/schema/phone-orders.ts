// Phone orders: an order an agent builds for a caller, waiting for the customer to pay by
// the emailed link. It holds a cart (so it is priced and placed exactly like a checkout) and
// the contact and address; stock is only taken when it is paid.
import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { carts } from './carts.ts';
import type { Address } from './orders.ts';

export const phoneOrders = pgTable(
  'phone_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Unguessable: the payment link's only key. */
    token: text('token').notNull().unique(),
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    shippingAddress: jsonb('shipping_address').$type<Address>().notNull(),
    shippingMethod: text('shipping_method').notNull(),
    /** The agent who took the call. */
    staffId: uuid('staff_id'),
    staffEmail: text('staff_email').notNull(),
    createdAt: createdAt(),
    /** After this the link no longer opens a payment. */
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('phone_orders_created_idx').on(t.createdAt)],
);
