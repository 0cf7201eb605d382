// Settles checkout payments a crash left half-done: authorizations without an order are
// voided (voidOrphanPayments) and orders whose capture never happened are captured
// (captureUncapturedPayments). Runs beside the outbox worker; safe on several instances at
// once, because each payment changes only from the state it was read in and the provider
// calls carry idempotency keys.
import type { AppContext } from '../context.ts';
import { captureUncapturedPayments, voidOrphanPayments } from '../domain/checkout/checkout-service.ts';
import { runEvery, type PeriodicJob } from './periodic.ts';

export function startPaymentReconciler(ctx: AppContext): PeriodicJob {
  const log = ctx.log.child({ component: 'payment-reconciler' });
  const graceMs = ctx.config.reconcileAfterMs;
  // Often enough that an orphan waits little past its grace period, never more than once a minute.
  const intervalMs = Math.min(60_000, Math.max(1_000, Math.round(graceMs / 3)));
  return runEvery(
    intervalMs,
    async () => {
      const orphans = await voidOrphanPayments(ctx, graceMs);
      const uncaptured = await captureUncapturedPayments(ctx, graceMs);
      if (orphans.voided + orphans.failed + uncaptured.captured + uncaptured.voided > 0) log.warn({ orphans, uncaptured }, 'settled interrupted checkout payments');
    },
    (err) => log.error({ err }, 'payment reconciliation failed; trying again at the next interval'),
  );
}
