// Capturing an authorized payment: at checkout when the store captures at once, at the
// handover to the carrier when it captures later (settings.payments.capture), or when staff
// press "Capture". The amount is the authorization less what was released from it before
// (refunds asked for while only authorized), read under the order's row lock, which every
// refund request also takes; the payment is marked `capturing` meanwhile, so a refund
// asked for during the provider call waits for the capture instead of shrinking it.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { orders, payments, refunds } from '../../db/schema.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';

type Payment = typeof payments.$inferSelect;

export type CaptureOutcome = { status: 'captured'; amount: number } | { status: 'voided' } | { status: 'failed'; message: string } | { status: 'skipped' };

/** Captures payment `paymentId` if it is authorized; a provider failure leaves it authorized for the reconciler. */
export async function capturePayment(ctx: AppContext, paymentId: string, actor: Actor): Promise<CaptureOutcome> {
  const claimed = await ctx.db.transaction(async (tx) => {
    const [p] = await tx.select({ orderId: payments.orderId }).from(payments).where(eq(payments.id, paymentId));
    if (!p?.orderId) return undefined;
    await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, p.orderId)).for('update');
    const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
    if (payment?.status !== 'authorized') return undefined;
    const [row] = await tx
      .select({ total: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
      .from(refunds)
      .where(and(eq(refunds.paymentId, paymentId), ne(refunds.status, 'failed')));
    const amount = payment.amount - Number(row?.total ?? 0);
    await tx.update(payments).set({ status: 'capturing', updatedAt: sql`now()` }).where(eq(payments.id, paymentId));
    return { payment, amount };
  });
  if (!claimed) return { status: 'skipped' };
  const { payment, amount } = claimed;
  const provider = ctx.payments.get(payment.provider);

  // Everything was released before capture: nothing to take; the authorization was (or is now) voided.
  if (amount <= 0) {
    await provider.void({ sessionId: payment.providerSessionId ?? '', transactionId: payment.providerTransactionId, idempotencyKey: `${payment.id}:capture-void` }).catch(() => {});
    await setStatus(ctx, payment, 'voided');
    return { status: 'voided' };
  }
  const result = await provider
    .capture({ transactionId: payment.providerTransactionId ?? '', amount, idempotencyKey: `${payment.id}:capture:${amount}` })
    .catch((err: unknown) => ({ status: 'failed' as const, message: err instanceof Error ? err.message : String(err) }));
  if (result.status !== 'captured') {
    await setStatus(ctx, payment, 'authorized');
    ctx.log.error({ paymentId, reason: result.message }, 'capturing a payment failed; the reconciler will try again');
    return result;
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(payments)
      .set({ status: 'captured', amountCaptured: amount, updatedAt: sql`now()` })
      .where(and(eq(payments.id, paymentId), eq(payments.status, 'capturing')));
    await appendOrderEvent(tx, {
      orderId: payment.orderId!,
      type: 'payment_captured',
      actor,
      internal: true,
      details: { paymentId, amount, currency: payment.currency },
      at: ctx.clock.now(),
    });
  });
  return { status: 'captured', amount };
}

const setStatus = (ctx: AppContext, payment: Payment, status: string) =>
  ctx.db
    .update(payments)
    .set({ status, updatedAt: sql`now()` })
    .where(and(eq(payments.id, payment.id), eq(payments.status, 'capturing')));

/** Captures every authorized payment of an order (the handover, or staff's "Capture"). */
export async function captureOrderPayments(ctx: AppContext, orderId: string, actor: Actor): Promise<CaptureOutcome[]> {
  const authorized = await ctx.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'authorized')));
  const outcomes: CaptureOutcome[] = [];
  for (const { id } of authorized) outcomes.push(await capturePayment(ctx, id, actor));
  return outcomes;
}

/** Staff's "Capture" on an order whose payment is only authorized. */
export async function captureByStaff(ctx: AppContext, orderNumber: string, actor: Actor): Promise<CaptureOutcome> {
  const [order] = await ctx.db.select({ id: orders.id, status: orders.status }).from(orders).where(eq(orders.number, orderNumber));
  if (!order) throw notFound('Order');
  if (order.status === 'cancelled') throw new DomainError('conflict', 'This order is cancelled: its authorization is released, not captured.');
  const outcomes = await captureOrderPayments(ctx, order.id, actor);
  const failed = outcomes.find((o) => o.status === 'failed');
  if (failed) throw new DomainError('payment_failed', `The payment provider refused the capture: ${(failed as { message: string }).message}`);
  const done = outcomes.find((o) => o.status === 'captured' || o.status === 'voided');
  if (!done) throw new DomainError('conflict', 'This order has no authorized payment waiting to be captured.');
  return done;
}

/** Orders whose capture is due but not done: paid at checkout (capture failed or interrupted) or handed to the carrier. */
export async function dueCaptures(ctx: AppContext, olderThanMs: number) {
  return ctx.db
    .select({ id: payments.id, orderStatus: orders.status })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.status, 'authorized'),
        sql`(${payments.captureMethod} = 'automatic' or ${inArray(orders.status, ['shipped', 'delivered'])})`,
        sql`${payments.updatedAt} < now() - make_interval(secs => ${olderThanMs / 1000})`,
      ),
    )
    .limit(500);
}
