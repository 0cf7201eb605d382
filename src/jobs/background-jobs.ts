// Everything that runs beside the web requests: the outbox (emails, text messages), refund
// retries, payment reconciliation, abandoned-checkout reminders and the daily backup. The web process starts
// them unless WORKER=off, and `npm run worker` runs them alone; every job is safe on several
// instances at once.
import type { AppContext } from '../context.ts';
import { createMailer, mailDir } from '../domain/notifications/mailer.ts';
import { startCartReminders } from './cart-reminders.ts';
import { startOutboxWorker } from './outbox-worker.ts';
import { startPaymentReconciler } from './payment-reconciler.ts';
import { startRefundRetrier } from './refund-retrier.ts';
import { startScheduledBackups } from './scheduled-backup.ts';

export type BackgroundJobs = { stop(): Promise<void> };

export function startBackgroundJobs(ctx: AppContext): BackgroundJobs {
  const jobs = [
    startOutboxWorker(ctx, { mailer: createMailer(ctx.config) }),
    // Refunds the payment provider could not process yet.
    startRefundRetrier(ctx),
    // Payments a crash left without an order are voided; orders whose capture never ran are captured.
    startPaymentReconciler(ctx),
    // One reminder to shoppers who left checkout without paying.
    startCartReminders(ctx),
    // The daily backup, taken by one instance (a claim row per day).
    startScheduledBackups(ctx),
  ];
  ctx.log.info({ mail: ctx.config.smtpUrl ? 'smtp' : mailDir(ctx.config), database: ctx.database.kind }, 'background jobs started');
  return {
    // Sends in flight finish and are recorded before the caller closes the database.
    stop: async () => void (await Promise.all(jobs.map((j) => j.stop()))),
  };
}
