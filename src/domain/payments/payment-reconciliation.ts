// Settles what webhooks and returns left undone, by asking the provider what is true:
//   - sessions without an order past the grace: paid → the order is placed (or the money
//     released when it cannot be); still unpaid after the session lifetime → closed at the
//     provider and marked expired; never reached the provider → failed.
//   - payments being released (voided/refunded) whose provider call failed → tried again.
//   - captures that are due (at checkout, or at handover) but did not happen → captured.
//   - captures interrupted mid-call → set to what the provider says.
// Safe on several instances at once: every change is conditional on the state it was read
// in, and every provider call carries an idempotency key.
import { and, asc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { idempotencyKeys, payments } from '../../db/schema.ts';
import { settlePayment } from '../checkout/place-order.ts';
import { finishRelease } from './payment-release.ts';
import { rememberAnswer } from '../checkout/checkout-answers.ts';
import { capturePayment, dueCaptures } from './capture-service.ts';
import type { PaymentProvider } from './provider.ts';

/** An unpaid session is closed after this long (Stripe's hosted Checkout lasts 24 h; ours far less). */
export const SESSION_LIFETIME_MS = 60 * 60_000;

export type ReconcileReport = { placed: number; released: number; expired: number; failed: number; captured: number };

const SYSTEM = { kind: 'system', name: 'reconciler' } as const;

export async function reconcilePayments(ctx: AppContext, graceMs: number, sessionLifetimeMs = Math.max(graceMs, SESSION_LIFETIME_MS)): Promise<ReconcileReport> {
  const report: ReconcileReport = { placed: 0, released: 0, expired: 0, failed: 0, captured: 0 };
  const older = (ms: number) => sql`${payments.createdAt} < now() - make_interval(secs => ${ms / 1000})`;

  const open = await ctx.db
    .select()
    .from(payments)
    .where(and(inArray(payments.status, ['pending', 'open', 'processing']), isNull(payments.orderId), older(graceMs)))
    .orderBy(asc(payments.createdAt))
    .limit(500);
  for (const p of open) {
    const provider = providerOf(ctx, p.provider);
    if (!provider) continue;
    try {
      if (!p.providerSessionId) {
        // The provider never answered the request that would have opened it: nobody can pay it.
        if (await closeAs(ctx, p.id, ['pending'], 'failed', 'Checkout interrupted before the payment provider answered; nothing was charged.')) report.failed++;
        continue;
      }
      const settled = await settlePayment(ctx, p);
      if (settled.outcome === 'placed') report.placed++;
      else if (settled.outcome === 'released') report.released++;
      else if (settled.outcome === 'pending' && ctx.clock.now().getTime() - p.createdAt.getTime() > sessionLifetimeMs) {
        const voided = await provider.void({ sessionId: p.providerSessionId, transactionId: p.providerTransactionId, idempotencyKey: `${p.id}:expire` });
        // A refusal usually means the shopper paid at the last moment: the next round places the order.
        if (voided.status === 'voided' && (await closeAs(ctx, p.id, ['open', 'processing'], 'expired', 'The shopper did not pay; the payment session was closed.'))) report.expired++;
      }
    } catch (err) {
      ctx.log.error({ err, paymentId: p.id }, 'reconciling a payment failed; trying again next round');
    }
  }

  const releasing = await ctx.db.select().from(payments).where(and(eq(payments.status, 'releasing'), sql`${payments.updatedAt} < now() - make_interval(secs => ${graceMs / 1000})`)).limit(500);
  for (const p of releasing) {
    const provider = providerOf(ctx, p.provider);
    if (provider && (await finishRelease(ctx, provider, p))) report.released++;
  }

  for (const { id } of await dueCaptures(ctx, graceMs)) {
    if ((await capturePayment(ctx, id, SYSTEM)).status === 'captured') report.captured++;
  }
  await settleInterruptedCaptures(ctx, graceMs);

  // Keys of checkout requests that died before writing any payment: free them so a retry can run.
  await ctx.db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.state, 'in_progress'),
        sql`${idempotencyKeys.key} like 'checkout:%'`,
        sql`${idempotencyKeys.createdAt} < now() - make_interval(secs => ${graceMs / 1000})`,
        notExists(ctx.db.select({ id: payments.id }).from(payments).where(eq(payments.idempotencyKey, idempotencyKeys.key))),
      ),
    );
  return report;
}

/** A capture whose process died during the provider call: the provider says whether it happened. */
async function settleInterruptedCaptures(ctx: AppContext, graceMs: number) {
  const stuck = await ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.status, 'capturing'), sql`${payments.updatedAt} < now() - make_interval(secs => ${graceMs / 1000})`))
    .limit(100);
  for (const p of stuck) {
    const provider = providerOf(ctx, p.provider);
    if (!provider || !p.providerSessionId) continue;
    try {
      const truth = await provider.retrieve({ sessionId: p.providerSessionId, transactionId: p.providerTransactionId });
      const set = truth.status === 'captured' ? { status: 'captured', amountCaptured: truth.amountCaptured } : { status: 'authorized' };
      await ctx.db
        .update(payments)
        .set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(payments.id, p.id), eq(payments.status, 'capturing')));
    } catch (err) {
      ctx.log.error({ err, paymentId: p.id }, 'checking an interrupted capture failed');
    }
  }
}

async function closeAs(ctx: AppContext, id: string, from: string[], status: 'failed' | 'expired', message: string): Promise<boolean> {
  const [closed] = await ctx.db
    .update(payments)
    .set({ status, message, updatedAt: sql`now()` })
    .where(and(eq(payments.id, id), inArray(payments.status, from), isNull(payments.orderId)))
    .returning();
  if (closed?.idempotencyKey) {
    await rememberAnswer(ctx.db, closed.idempotencyKey, {
      error: { code: 'payment_failed', message: 'This checkout was not paid in time and its payment session was closed; nothing was charged. Please place the order again.' },
    });
  }
  return Boolean(closed);
}

function providerOf(ctx: AppContext, name: string): PaymentProvider | undefined {
  try {
    return ctx.payments.get(name);
  } catch {
    ctx.log.error({ provider: name }, 'payment of an unknown provider');
    return undefined;
  }
}
