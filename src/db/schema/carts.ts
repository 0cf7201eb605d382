// Carts: a visitor's items before checkout.
import { integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { variants } from './catalog.ts';

export const carts = pgTable('carts', {
  /** Unguessable random token: it is the only thing that grants access to the cart. */
  id: text('id').primaryKey(),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  /** Set when the cart became an order; a converted cart is read-only. */
  orderId: uuid('order_id'),
  /** The discount code the shopper applied, as typed; checked again on every view and at checkout. */
  discountCode: text('discount_code'),
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
