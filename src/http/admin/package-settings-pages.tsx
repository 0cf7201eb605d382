// /admin/settings/packages (owner only): package presets and the ship-from address for labels.
// Saves only the `parcels` section of the settings document, read fresh from the database.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { loadSettings, updateSettings } from '../../domain/settings/settings-service.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { formToParcels, parcelsToForm } from './package-settings-form.ts';
import type { FormErrors, FormValues } from './views/form.tsx';
import { PackageSettingsView } from './views/package-settings-views.tsx';

export async function adminPackageSettingsPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'settings.edit') };
  const show = (req: Parameters<typeof csrfField>[0], reply: Parameters<typeof sendAdminPage>[2], values: FormValues, errors: FormErrors = {}, status = 200) =>
    sendAdminPage(ctx, req, reply, { title: 'Packages', active: 'settings', main: render(<PackageSettingsView values={values} errors={errors} csrf={csrfField(req)} />), status });

  app.get('/admin/settings/packages', guard, async (req, reply) => show(req, reply, parcelsToForm((await loadSettings(ctx.db)).parcels)));

  app.post('/admin/settings/packages', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const { parcels, errors } = formToParcels(form);
    if (Object.keys(errors).length) return show(req, reply, form, errors, 422);
    try {
      await updateSettings(ctx.db, { ...(await loadSettings(ctx.db)), parcels });
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      const fields = Object.fromEntries(Object.entries(refused.fields).map(([k, v]) => [k.replace(/^parcels\./, '').replace(/\.(\d+)\.(\w+)Mm$/, '.$1.$2').replace(/emptyWeightGrams$/, 'emptyWeight'), v]));
      return show(req, reply, form, fields, 422);
    }
    ctx.log.info({ by: req.staff.email }, 'package presets changed');
    flash(reply, 'Packages saved. New labels use them from now on.');
    return reply.redirect('/admin/settings/packages', 303);
  });
}
