// Sends refunds that are due again: those the payment provider failed to process (after
// their backoff) and any whose first attempt never ran (the process stopped right after
// the change committed). Safe on several instances at once: each refund is claimed with
// FOR UPDATE SKIP LOCKED, and the provider call is idempotent by refund id.
import type { AppContext } from '../context.ts';
import { retryDueRefunds } from '../domain/payments/refund-service.ts';

export type RefundRetrier = { stop(): Promise<void> };

export function startRefundRetrier(ctx: AppContext, { intervalMs = 30_000 }: { intervalMs?: number } = {}): RefundRetrier {
  const log = ctx.log.child({ component: 'refund-retrier' });
  let running: Promise<unknown> | undefined;
  const tick = () => {
    // A slow provider must not stack runs on top of each other.
    if (running) return;
    running = retryDueRefunds(ctx)
      .catch((err) => log.error({ err }, 'refund retry run failed; trying again at the next interval'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
