// The order transaction's writes in as few statements as correctness allows. Each statement
// is a round trip, and round trips are most of what a checkout costs the web process (see
// "Checkout profile" in BENCHMARKS.md). PostgreSQL runs every data-modifying part of one
// WITH statement against the same snapshot and checks foreign keys when the whole statement
// ends, so the order, its lines, the payment's link, the cart's claim and the timeline event
// can go together once the order's id is chosen here. Then the email, the checkout's stored
// answer and the NOTIFYs go in a second statement, and each line's stock with its ledger
// row in one statement per line, last (the hot rows are held the shortest time).
import { randomUUID } from 'node:crypto';
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.ts';
import { rows } from '../../db/client.ts';
import { uniqueViolation } from '../../db/pg-errors.ts';
import { carts, idempotencyKeys, orderEvents, orderItems, orders, outbox, payments, products, stockLedger, variants } from '../../db/schema.ts';
import { orderEventRow, type OrderEventInput } from '../orders/order-events.ts';
import { emailRow, wakeOutboxWorkersSql, type EmailMessage } from '../notifications/outbox.ts';
import { announceChangeSql } from '../shared/change-bus.ts';
import type { TemplateName } from '../notifications/email-payloads.ts';
import { answerUpdate, type StoredAnswer } from './checkout-answers.ts';

type OrderRow = typeof orders.$inferSelect;
type ItemRow = typeof orderItems.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

export type OrderWrite = {
  order: Omit<typeof orders.$inferInsert, 'id'>;
  items: Omit<typeof orderItems.$inferInsert, 'orderId'>[];
  /** The payment that paid for it, and what the provider said about it. */
  payment: { id: string; set: Omit<PgUpdateSetSource<typeof payments>, 'orderId'> };
  /** The cart to claim for the order (null for an order made without one). */
  cartId: string | null;
  event: Omit<OrderEventInput, 'orderId'>;
};

/**
 * One statement: the order, its lines, the payment linked to it, the cart claimed and the
 * "placed" event. `cartClaimed` is false when another order holds the cart (the caller
 * refuses) or there is no such cart. A taken order number fails with a unique violation
 * on orders.number (see isOrderNumberTaken): the caller retries with a new number.
 */
export async function insertOrder(tx: Tx, w: OrderWrite): Promise<{ order: OrderRow; items: ItemRow[]; payment: PaymentRow; cartClaimed: boolean }> {
  const id = randomUUID();
  const placed = tx.$with('placed').as(tx.insert(orders).values({ ...w.order, id }).returning());
  const lines = tx.$with('lines').as(tx.insert(orderItems).values(w.items.map((i) => ({ ...i, orderId: id }))).returning());
  const linked = tx.$with('linked').as(tx.update(payments).set({ ...w.payment.set, orderId: id }).where(eq(payments.id, w.payment.id)).returning());
  const event = tx.$with('event').as(tx.insert(orderEvents).values(orderEventRow({ ...w.event, orderId: id })).returning({ id: orderEvents.id }));
  const claimed = tx.$with('claimed').as(
    tx
      .update(carts)
      .set({ orderId: id, updatedAt: sql`now()` })
      .where(and(eq(carts.id, w.cartId ?? ''), isNull(carts.orderId)))
      .returning({ cartId: carts.id }),
  );
  const joined = await tx
    .with(placed, lines, linked, event, claimed)
    .select()
    .from(placed)
    .innerJoin(lines, sql`true`)
    .innerJoin(linked, sql`true`)
    .leftJoin(claimed, sql`true`)
    .orderBy(lines.position);
  const first = joined[0]!;
  return { order: first.placed, items: joined.map((r) => r.lines), payment: first.linked, cartClaimed: first.claimed !== null };
}

/**
 * One statement: the confirmation email, the checkout's stored answer (when it came with an
 * Idempotency-Key) and the NOTIFYs that wake the outbox workers and tell every instance the
 * catalog's stock changed (both delivered only if the transaction commits).
 */
export async function queueConfirmation<T extends TemplateName>(tx: Tx, email: EmailMessage<T>, answer?: { key: string; answer: StoredAnswer }): Promise<void> {
  const queued = tx.$with('queued').as(tx.insert(outbox).values(emailRow(email)).returning({ id: outbox.id }));
  const answered = answer && tx.$with('answered').as(answerUpdate(tx, answer.key, answer.answer).returning({ key: idempotencyKeys.key }));
  await tx
    .with(queued, ...(answered ? [answered] : []))
    .select({ woke: wakeOutboxWorkersSql(), announced: announceChangeSql('catalog') })
    .from(sql`(select 1) as one`);
}

/**
 * One statement: takes `quantity` of the variant (only while that much is left and its
 * product is on sale) and writes the sale's ledger row. The stock left, or undefined when
 * the line no longer fits (nothing was written).
 */
export async function takeLineStock(tx: Tx, line: { variantId: string; quantity: number }, orderId: string): Promise<number | undefined> {
  const taken = tx
    .update(variants)
    .set({ stock: sql`${variants.stock} - ${line.quantity}` })
    .where(
      and(
        eq(variants.id, line.variantId),
        gte(variants.stock, line.quantity),
        sql`exists (select 1 from ${products} where ${products.id} = ${variants.productId} and ${products.active})`,
      ),
    )
    .returning({ id: variants.id, stock: variants.stock });
  const [row] = await rows<{ stock_after: number }>(
    tx,
    // (Drizzle puts its own parentheses around an embedded query.)
    sql`with taken as ${taken}
        insert into ${stockLedger} (variant_id, delta, stock_after, reason, order_id)
        select id, ${-line.quantity}::int, stock, 'sale', ${orderId}::uuid from taken
        returning stock_after`,
  );
  return row ? Number(row.stock_after) : undefined;
}

/** A unique violation of the order number (ids.ts makes a collision about 1 in 850 billion). */
export const isOrderNumberTaken = (err: unknown) => uniqueViolation(err)?.constraint?.startsWith('orders_number') ?? false;
