// The payment for an edit that made an order cost more: a second payment on the order, for
// the difference only. While it is unpaid the order waits ("awaiting payment for changes"):
// it cannot be prepared, packed or shipped. The customer pays on the provider's page from a
// signed link (emailed, and on the tracking page); the provider's webhook or the return
// settles it, once; an edit back to what was paid, or a cancellation, withdraws it.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { orders, payments } from '../../db/schema.ts';
import { recordSession } from '../checkout/checkout-service.ts';
import { loadOrderReceipt } from '../checkout/order-receipt.ts';
import type { Settlement } from '../checkout/place-order.ts';
import { appendOrderEvent } from '../orders/order-events.ts';
import type { Order } from '../orders/order-service.ts';
import type { ProviderPayment } from '../payments/provider.ts';
import { requestRefund, processRefundsAfterCommit } from '../payments/refund-service.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { freshTrackingToken } from '../tracking/tracking-token.ts';

type Payment = typeof payments.$inferSelect;

const SYSTEM = { kind: 'system', name: 'payments' } as const;
const OPEN = ['pending', 'open', 'processing'];

/** The signed page where the customer pays for the changes (the tracking token's lifetime). */
export function changesPaymentUrl(ctx: AppContext, number: string): string {
  const t = freshTrackingToken(ctx, number);
  return `${ctx.config.publicUrl}/orders/${encodeURIComponent(number)}/pay-changes?t=${encodeURIComponent(t)}`;
}

/** Records the payment to collect (no provider call yet: the session opens when the customer presses Pay) and holds the order. */
export async function openChangesPayment(ctx: AppContext, tx: Tx, order: Order, amount: number, key: string): Promise<Payment> {
  const [payment] = await tx
    .insert(payments)
    .values({
      provider: ctx.payments.defaultName,
      amount,
      currency: order.currency,
      status: 'pending',
      captureMethod: 'automatic',
      orderId: order.id,
      purpose: 'edit',
      idempotencyKey: `edit-pay:${order.id}:${key}`,
    })
    .returning();
  await tx.update(orders).set({ awaitingPaymentId: payment!.id }).where(eq(orders.id, order.id));
  return payment!;
}

/** Withdraws an unpaid changes payment (the edit was undone, or the order cancelled). Call with the order locked. */
export async function withdrawChangesPayment(tx: Tx, order: Order): Promise<void> {
  if (!order.awaitingPaymentId) return;
  await tx
    .update(payments)
    .set({ status: 'expired', message: 'Withdrawn: the order no longer costs more than was paid.', updatedAt: sql`now()` })
    .where(and(eq(payments.id, order.awaitingPaymentId), inArray(payments.status, OPEN)));
  await tx.update(orders).set({ awaitingPaymentId: null }).where(eq(orders.id, order.id));
}

/** The difference order `orderId` waits for, if any (for the tracking page and the order page). */
export async function awaitedAmount(conn: Conn, orderId: string): Promise<{ amount: number; currency: string } | undefined> {
  const [row] = await conn
    .select({ amount: payments.amount, currency: payments.currency })
    .from(orders)
    .innerJoin(payments, eq(payments.id, orders.awaitingPaymentId))
    .where(and(eq(orders.id, orderId), inArray(payments.status, OPEN)));
  return row;
}

/** The changes payment the order waits for, or not_found. */
export async function awaitedPayment(ctx: AppContext, number: string): Promise<{ order: Order; payment: Payment }> {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.number, number));
  if (!order?.awaitingPaymentId) throw notFound('Payment for changes');
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.id, order.awaitingPaymentId));
  if (!payment) throw notFound('Payment for changes');
  return { order, payment };
}

/** Opens the provider's payment page for the difference, or returns the one already open: pressing Pay twice is one payment. */
export async function startChangesPayment(ctx: AppContext, number: string): Promise<string> {
  const { order, payment } = await awaitedPayment(ctx, number);
  if (payment.redirectUrl && payment.status === 'open') return payment.redirectUrl;
  if (!OPEN.includes(payment.status)) throw new DomainError('conflict', 'This payment is closed. Call or email us and we will send a new link.');
  const provider = ctx.payments.get(payment.provider);
  const page = changesPaymentUrl(ctx, order.number);
  const opened = await provider.createSession({
    reference: payment.id,
    amount: payment.amount,
    currency: payment.currency,
    captureMethod: 'automatic',
    idempotencyKey: `${payment.id}:session`,
    description: `Changes to order ${order.number}`,
    email: order.email,
    lines: [{ name: `Changes to order ${order.number}`, quantity: 1, unitAmount: payment.amount }],
    returnUrl: page.replace('/pay-changes?', `/pay-changes/return?payment=${payment.id}&`),
    cancelUrl: page,
    method: { kind: 'hosted' },
  });
  await recordSession(ctx, payment.id, opened);
  if (!opened.redirectUrl) throw new Error(`Payment session ${payment.id} has no page to pay on`);
  return opened.redirectUrl;
}

/**
 * Records a changes payment the provider says is paid (settlePayment calls this; the shared
 * path handles open and declined ones): the order is released to go on, once; if the order
 * no longer waits for it (withdrawn meanwhile), the money goes straight back.
 */
export async function settleChangesPayment(ctx: AppContext, payment: Payment, now: ProviderPayment): Promise<Settlement> {
  const refundIds = await ctx.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, payment.orderId!)).for('update');
    const [locked] = await tx.select().from(payments).where(eq(payments.id, payment.id)).for('update');
    if (!order || !locked || !OPEN.includes(locked.status)) return [];
    await tx
      .update(payments)
      .set({
        status: now.status,
        providerTransactionId: now.transactionId ?? locked.providerTransactionId,
        amountCaptured: now.amountCaptured,
        cardBrand: now.card?.brand ?? null,
        cardLast4: now.card?.last4 ?? null,
        cardExpMonth: now.card?.expMonth ?? null,
        cardExpYear: now.card?.expYear ?? null,
        declineCode: null,
        message: null,
        updatedAt: sql`now()`,
      })
      .where(eq(payments.id, payment.id));
    if (order.awaitingPaymentId === payment.id) {
      await tx.update(orders).set({ awaitingPaymentId: null, updatedAt: ctx.clock.now() }).where(eq(orders.id, order.id));
      await appendOrderEvent(tx, {
        orderId: order.id,
        type: 'edit_paid',
        actor: SYSTEM,
        details: { paymentId: payment.id, amount: payment.amount, message: `The customer paid ${(payment.amount / 100).toFixed(2)} ${payment.currency} for the changes; the order can go on.` },
        at: ctx.clock.now(),
      });
      return [];
    }
    // Paid after the changes were withdrawn (or the order cancelled): give it back.
    const { refund } = await requestRefund(tx, { orderId: order.id, amount: payment.amount, reason: 'Payment for changes that no longer apply', source: 'modification', sourceId: payment.id, idempotencyKey: `edit-pay-back:${payment.id}` });
    return [refund.id];
  });
  await processRefundsAfterCommit(ctx, refundIds);
  const [order] = await ctx.db.select({ number: orders.number }).from(orders).where(eq(orders.id, payment.orderId!));
  const receipt = order && (await loadOrderReceipt(ctx, ctx.db, order.number));
  if (!receipt) throw notFound('Order');
  return { outcome: 'placed', order: receipt };
}
