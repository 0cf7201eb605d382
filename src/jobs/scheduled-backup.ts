// The daily backup (settings → backups): every few minutes each instance asks whether today's
// backup hour has come; the first to insert today's claim row takes the backup, the others
// see the slot taken and do nothing.
import type { AppContext } from '../context.ts';
import { dueBackupSlot } from '../domain/backups/backup-schedule.ts';
import { claimBackup, markInterrupted, runBackup } from '../domain/backups/take-backup.ts';
import { runEvery, type PeriodicJob } from './periodic.ts';

export function startScheduledBackups(ctx: AppContext, intervalMs = 5 * 60_000): PeriodicJob {
  const log = ctx.log.child({ component: 'backups' });
  return runEvery(
    intervalMs,
    async () => {
      await markInterrupted(ctx);
      const slot = dueBackupSlot(ctx.settings(), ctx.clock.now());
      if (!slot) return;
      const claim = await claimBackup(ctx, 'schedule', slot);
      if (!claim) return;
      const done = await runBackup(ctx, claim);
      log.info({ file: done.fileName, bytes: done.sizeBytes }, 'scheduled backup written');
    },
    (err) => log.error({ err }, 'scheduled backup failed; it is shown on /admin/backups'),
  );
}
