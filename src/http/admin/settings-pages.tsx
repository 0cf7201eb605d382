// /admin/settings (owner only): the store settings form. Saving reaches every instance at once
// through the change announcement made in the same transaction.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { loadSettings, updateSettings } from '../../domain/settings/settings-service.ts';
import { settingsSchema } from '../../domain/settings/store-settings.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { fieldOfPath, formToSettings, settingsToForm } from './settings-form.ts';
import type { FormErrors, FormValues } from './views/form.tsx';
import { SettingsView } from './views/settings-views.tsx';

export async function adminSettingsPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'settings.edit') };

  // Read from the database, not the in-memory copy: right after a save, the copy may not have reloaded yet.
  app.get('/admin/settings', guard, async (req, reply) => {
    const values = settingsToForm(await loadSettings(ctx.db));
    return sendAdminPage(ctx, req, reply, { title: 'Settings', active: 'settings', main: render(<SettingsView values={values} csrf={csrfField(req)} />) });
  });

  app.post('/admin/settings', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const { input, errors: unreadable } = formToSettings(await loadSettings(ctx.db), form);
    const errors: FormErrors = {};
    try {
      if (Object.keys(unreadable).length === 0) {
        await updateSettings(ctx.db, input);
        ctx.log.info({ by: req.staff.email }, 'store settings changed');
        flash(reply, 'Settings saved. The store uses them from now on.');
        return reply.redirect('/admin/settings', 303);
      }
      // Also check the rest, so the owner sees every problem at once rather than one round at a time.
      for (const issue of settingsSchema.safeParse(input).error?.issues ?? []) errors[fieldOfPath(issue.path.join('.'))] ??= issue.message;
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      for (const [path, message] of Object.entries(refused.fields)) errors[fieldOfPath(path)] ??= message;
    }
    const main = render(<SettingsView values={form} errors={{ ...errors, ...unreadable }} csrf={csrfField(req)} />);
    return sendAdminPage(ctx, req, reply, { title: 'Settings', active: 'settings', main, status: 422 });
  });
}
