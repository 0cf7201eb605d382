// /admin/notifications: the shop's own subject, intro and closing for each customer email.
// Owners edit, preview against a real order, send themselves a test (through the outbox) and
// revert; support may look. The preview HTML is served on its own sandboxed route, as on Mail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { emailOverrides } from '../../db/schema.ts';
import {
  changeEmailTexts,
  emailTextHistory,
  emailTextsFor,
  isDefault,
  previewSource,
  sendTestEmail,
  templateOf,
  type PreviewSource,
} from '../../domain/notifications/email-overrides.ts';
import { EMAIL_VARIABLES, TEXT_FIELDS, type EmailTexts } from '../../emails/email-texts.ts';
import { defaultTexts, renderEmail, templateNames, type TemplateName } from '../../emails/index.ts';
import { can } from '../../domain/staff/roles.ts';
import { emailRenderContext } from '../../jobs/outbox-worker.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { sendEmailHtml } from './mail-pages.tsx';
import { humanize, when } from './views/display.tsx';
import { text, type FormErrors, type FormValues } from './views/form.tsx';
import { NotificationEditView, NotificationsListView } from './views/notification-views.tsx';

type EmailRoute = { Params: { template: string }; Querystring: { order?: string } };

/** An order number as typed: trimmed, upper case, at most 40 characters (longer is no order number). */
const orderParam = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase().slice(0, 40) : '');

const textsToForm = (t: EmailTexts): FormValues => Object.fromEntries(TEXT_FIELDS.map((f) => [f, t[f] ?? '']));

export async function adminNotificationPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const view = { preHandler: requireStaff(ctx, 'notifications.view') };
  const edit = { preHandler: requireStaff(ctx, 'notifications.edit') };
  const at = (d: Date) => when(d, ctx.settings().serviceHours.timeZone, ctx.clock.now());

  app.get('/admin/notifications', view, async (req, reply) => {
    const saved = new Map((await ctx.db.select().from(emailOverrides)).map((r) => [r.template, r]));
    const rows = templateNames.map((template) => {
      const row = saved.get(template);
      return { template, customized: row ? !isDefault(row) : false, updatedAt: row?.updatedAt };
    });
    return sendAdminPage(ctx, req, reply, { title: 'Notifications', active: 'notifications', main: render(<NotificationsListView rows={rows} at={at} />) });
  });

  /** The email to preview with, and a sentence when the wanted order has none (the latest one is used then). */
  async function sourceFor(template: TemplateName, wanted: string): Promise<{ source?: PreviewSource; problem?: string }> {
    const exact = wanted ? await previewSource(ctx.db, template, wanted) : undefined;
    if (exact) return { source: exact };
    const latest = await previewSource(ctx.db, template);
    const problem = wanted
      ? `Order ${wanted} has no “${humanize(template)}” email.${latest ? ' The preview shows the latest one instead.' : ''}`
      : undefined;
    return { source: latest, problem };
  }

  async function page(req: FastifyRequest<EmailRoute>, reply: FastifyReply, template: TemplateName, form?: { values: FormValues; errors: FormErrors }, status = 200) {
    const saved = await emailTextsFor(ctx.db, template);
    const wanted = orderParam(req.query.order ?? (req.body as FormValues | undefined)?.order);
    const { source, problem } = await sourceFor(template, wanted);
    const renderContext = emailRenderContext(ctx);
    const email = source ? renderEmail(template, source.payload, renderContext, saved) : undefined;
    const query = source?.orderNumber ? `?order=${encodeURIComponent(source.orderNumber)}` : '';
    const main = render(
      <NotificationEditView
        template={template}
        variables={EMAIL_VARIABLES[template]}
        values={form?.values ?? textsToForm(saved)}
        errors={form?.errors}
        defaults={source ? defaultTexts(template, source.payload, renderContext) : undefined}
        customized={!isDefault(saved)}
        canEdit={can(req.staff.role, 'notifications.edit')}
        orderWanted={wanted}
        orderProblem={problem}
        preview={email && source ? { orderNumber: source.orderNumber, subject: email.subject, text: email.text, htmlUrl: `/admin/notifications/${template}/preview${query}` } : undefined}
        history={await emailTextHistory(ctx.db, template)}
        at={at}
        csrf={csrfField(req)}
      />,
    );
    return sendAdminPage(ctx, req, reply, { title: humanize(template), active: 'notifications', main, status });
  }

  app.get<EmailRoute>('/admin/notifications/:template', view, async (req, reply) => page(req, reply, templateOf(req.params.template)));

  // The previewed email's HTML, with the saved texts, for the sandboxed frame on the editor.
  app.get<EmailRoute>('/admin/notifications/:template/preview', view, async (req, reply) => {
    const template = templateOf(req.params.template);
    const { source } = await sourceFor(template, orderParam(req.query.order));
    if (!source) return reply.code(404).type('text/plain; charset=utf-8').send('No email of this kind has been sent yet.');
    return sendEmailHtml(ctx, reply, renderEmail(template, source.payload, emailRenderContext(ctx), await emailTextsFor(ctx.db, template)).html);
  });

  app.post<EmailRoute>('/admin/notifications/:template', edit, async (req, reply) => {
    const template = templateOf(req.params.template);
    const form = (req.body ?? {}) as FormValues;
    try {
      await changeEmailTexts(ctx, req.staff, template, Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(form, f)])));
      ctx.log.info({ by: req.staff.email, template }, 'email texts changed');
      flash(reply, `Saved. “${humanize(template)}” emails use these texts from now on.`);
      return reply.redirect(`/admin/notifications/${template}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return page(req, reply, template, { values: form, errors: refused.fields }, refused.status);
    }
  });

  app.post<EmailRoute>('/admin/notifications/:template/revert', edit, async (req, reply) => {
    const template = templateOf(req.params.template);
    await changeEmailTexts(ctx, req.staff, template, null);
    ctx.log.info({ by: req.staff.email, template }, 'email texts reverted to the defaults');
    flash(reply, `“${humanize(template)}” is back to its default texts.`);
    return reply.redirect(`/admin/notifications/${template}`, 303);
  });

  app.post<EmailRoute>('/admin/notifications/:template/test', edit, async (req, reply) => {
    const template = templateOf(req.params.template);
    const wanted = orderParam((req.body as FormValues | undefined)?.order);
    try {
      const source = await sendTestEmail(ctx, req.staff, template, wanted || undefined);
      flash(reply, `A test of “${humanize(template)}”${source.orderNumber ? ` (order ${source.orderNumber})` : ''} is on its way to ${req.staff.email}.`);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      flash(reply, refused.message ?? 'The test could not be sent.', 'error');
    }
    return reply.redirect(`/admin/notifications/${template}${wanted ? `?order=${encodeURIComponent(wanted)}` : ''}`, 303);
  });
}
