// Settles payments that webhooks and shoppers' returns left undone (see
// domain/payments/payment-reconciliation.ts). Runs beside the outbox worker; safe on
// several instances at once.
import type { AppContext } from '../context.ts';
import { reconcilePayments } from '../domain/payments/payment-reconciliation.ts';
import { runEvery, type PeriodicJob } from './periodic.ts';

export function startPaymentReconciler(ctx: AppContext): PeriodicJob {
  const log = ctx.log.child({ component: 'payment-reconciler' });
  const graceMs = ctx.config.reconcileAfterMs;
  // Often enough that a payment waits little past its grace period, never more than once a minute.
  const intervalMs = Math.min(60_000, Math.max(1_000, Math.round(graceMs / 3)));
  return runEvery(
    intervalMs,
    async () => {
      const report = await reconcilePayments(ctx, graceMs);
      if (Object.values(report).some((n) => n > 0)) log.warn({ report }, 'settled payments that were left open');
    },
    (err) => log.error({ err }, 'payment reconciliation failed; trying again at the next interval'),
  );
}
