// Sends refunds that are due again: those the payment provider failed to process (after
// their backoff) and any whose first attempt never ran (the process stopped right after
// the change committed). Safe on several instances at once: each refund is claimed with
// FOR UPDATE SKIP LOCKED, and the provider call is idempotent by refund id.
import type { AppContext } from '../context.ts';
import { retryDueRefunds } from '../domain/payments/refund-service.ts';
import { runEvery, type PeriodicJob } from './periodic.ts';

export function startRefundRetrier(ctx: AppContext, { intervalMs = 30_000 }: { intervalMs?: number } = {}): PeriodicJob {
  const log = ctx.log.child({ component: 'refund-retrier' });
  return runEvery(
    intervalMs,
    () => retryDueRefunds(ctx),
    (err) => log.error({ err }, 'refund retry run failed; trying again at the next interval'),
  );
}
