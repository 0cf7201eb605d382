// /admin/backups (owner only, like the other store settings): the latest backups and their
// sizes, "Back up now" and the daily schedule. A backup runs after the redirect, not in the
// request, because a large store takes longer to dump than a browser waits; the list shows it running.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { claimBackup, lastGoodBackup, recentBackups, runBackup } from '../../domain/backups/take-backup.ts';
import { loadSettings, updateSettings } from '../../domain/settings/settings-service.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { text, type FormErrors, type FormValues } from './views/form.tsx';
import { when } from './views/display.tsx';
import { BackupsView } from './views/backup-views.tsx';

export async function adminBackupPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'settings.edit') };
  const log = ctx.log.child({ component: 'backups' });

  async function page(req: FastifyRequest, reply: FastifyReply, values?: FormValues, errors?: FormErrors) {
    const settings = await loadSettings(ctx.db);
    const zone = settings.serviceHours.timeZone;
    const now = ctx.clock.now();
    const main = render(
      <BackupsView
        runs={await recentBackups(ctx)}
        lastGood={await lastGoodBackup(ctx)}
        now={now}
        at={(d) => when(d, zone, now)}
        backupDir={ctx.config.backupDir}
        timeZone={zone}
        values={values ?? { 'backups.enabled': settings.backups.enabled ? 'on' : '', 'backups.hour': String(settings.backups.hour), 'backups.keep': String(settings.backups.keep) }}
        errors={errors}
        csrf={csrfField(req)}
      />,
    );
    return sendAdminPage(ctx, req, reply, { title: 'Backups', active: 'backups', main, status: errors ? 422 : 200 });
  }

  app.get('/admin/backups', guard, async (req, reply) => page(req, reply));

  app.post('/admin/backups', guard, async (req, reply) => {
    const claim = (await claimBackup(ctx, req.staff.email))!;
    runBackup(ctx, claim).then(
      (done) => log.info({ file: done.fileName, bytes: done.sizeBytes, by: req.staff.email }, 'backup written'),
      (err) => log.error({ err }, 'backup failed; shown on /admin/backups'),
    );
    flash(reply, 'Backup started. It appears below as done when the file is written.');
    return reply.redirect('/admin/backups', 303);
  });

  app.post('/admin/backups/schedule', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const errors: FormErrors = {};
    const whole = (name: string) => {
      const raw = text(form, name).trim();
      if (!/^\d+$/.test(raw)) errors[name] = 'Enter a whole number';
      return Number(raw);
    };
    const backups = { enabled: text(form, 'backups.enabled') === 'on', hour: whole('backups.hour'), keep: whole('backups.keep') };
    if (Object.keys(errors).length) return page(req, reply, form, errors);
    try {
      await updateSettings(ctx.db, { ...(await loadSettings(ctx.db)), backups });
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return page(req, reply, form, refused.fields);
    }
    flash(reply, backups.enabled ? `Daily backup at ${backups.hour}:00, keeping ${backups.keep}.` : 'Daily backup turned off.');
    return reply.redirect('/admin/backups', 303);
  });
}
