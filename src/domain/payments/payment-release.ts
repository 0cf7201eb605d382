// The last step of releasing a paid payment no order could be made from (place-order.ts
// marks it `releasing` first): void it, or refund it when it was captured. Shared with
// the reconciler, which finishes releases a crash or a provider outage interrupted.
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { payments } from '../../db/schema.ts';
import type { Payment } from '../checkout/place-order.ts';
import type { PaymentProvider } from './provider.ts';

/** Voids (authorized) or refunds (captured) a `releasing` payment; leaves it for the reconciler when the provider fails. */
export async function finishRelease(ctx: AppContext, provider: PaymentProvider, payment: Payment): Promise<boolean> {
  const key = `${payment.idempotencyKey ?? payment.id}:${payment.id}:release`;
  let done: 'voided' | 'refunded' | undefined;
  let problem = '';
  try {
    if (payment.amountCaptured > 0 && payment.providerTransactionId) {
      const r = await provider.refund({ transactionId: payment.providerTransactionId, amount: payment.amountCaptured, currency: payment.currency, idempotencyKey: key, reference: payment.id });
      if (r.status === 'failed') problem = r.message;
      else done = 'refunded';
    } else {
      const r = await provider.void({ sessionId: payment.providerSessionId ?? '', transactionId: payment.providerTransactionId, idempotencyKey: key });
      if (r.status === 'voided') done = 'voided';
      else problem = r.message;
    }
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  if (!done) {
    ctx.log.error({ paymentId: payment.id, reason: problem }, 'releasing a payment failed; the reconciler will try again');
    return false;
  }
  await ctx.db
    .update(payments)
    .set({ status: done, updatedAt: sql`now()` })
    .where(and(eq(payments.id, payment.id), eq(payments.status, 'releasing')));
  return true;
}
