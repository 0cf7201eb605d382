// Sends the abandoned-checkout reminders that are due and deletes contacts past 30 days
// (domain/recovery/cart-recovery.ts). Once a minute is precise enough for a two-hour delay.
import type { AppContext } from '../context.ts';
import { sendDueReminders } from '../domain/recovery/cart-recovery.ts';
import { runEvery, type PeriodicJob } from './periodic.ts';

export function startCartReminders(ctx: AppContext, intervalMs = 60_000): PeriodicJob {
  const log = ctx.log.child({ component: 'cart-reminders' });
  return runEvery(
    intervalMs,
    async () => {
      const report = await sendDueReminders(ctx);
      if (report.reminded + report.skipped > 0) log.info(report, 'abandoned checkouts handled');
    },
    (err) => log.error({ err }, 'cart reminders failed; trying again at the next interval'),
  );
}
