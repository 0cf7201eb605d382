// /admin/mail: the notification log, failed deliveries with a retry button (outbox.retry),
// and, without SMTP, the emails written to DATA_DIR/mail. An email's HTML is served on its
// own route with a CSP `sandbox` (no scripts, an opaque origin) and shown in a sandboxed
// frame, so nothing in an email can ever run inside the back office.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { listMailFiles, mailDir, mailFileName, readMailFile, type MailFile } from '../../domain/notifications/mailer.ts';
import { deliveryCounts, failedDeliveries, listDeliveries, retryDelivery } from '../../domain/notifications/notification-log.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { can } from '../../domain/staff/roles.ts';
import { outboxMessageId } from '../../jobs/outbox-worker.ts';
import { escapeHtml, render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { when } from './views/display.tsx';
import { MailFileNotFoundView, MailFileView, MailView } from './views/mail-views.tsx';

const LOG_PAGE_SIZE = 25;
/** The mail folder keeps every email; the screen lists the newest. */
const FILES_SHOWN = 20;

type FileParams = { Params: { name: string } };

export async function adminMailPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const view = { preHandler: requireStaff(ctx, 'orders.view') };
  const retry = { preHandler: requireStaff(ctx, 'outbox.retry') };
  const at = (d: Date) => when(d, ctx.settings().serviceHours.timeZone, ctx.clock.now());
  const usesFiles = () => !ctx.config.smtpUrl;
  const dir = () => mailDir(ctx.config);

  app.get<{ Querystring: { page?: string } }>('/admin/mail', view, async (req, reply) => {
    const page = Math.min(10_000, Math.max(1, Math.floor(Number(req.query.page)) || 1));
    const counts = await deliveryCounts(ctx.db);
    const failed = await failedDeliveries(ctx.db, { page: 1, pageSize: 50 });
    const recent = await listDeliveries(ctx.db, { page, pageSize: LOG_PAGE_SIZE });
    const files = usesFiles() ? await listMailFiles(dir(), FILES_SHOWN) : undefined;
    const main = render(
      <MailView
        counts={counts}
        failed={failed}
        recent={recent}
        files={files}
        mailFileOf={(id) => (usesFiles() ? mailFileName(outboxMessageId(id, ctx.config.publicUrl)) : undefined)}
        canRetry={can(req.staff.role, 'outbox.retry')}
        csrf={csrfField(req)}
        at={at}
      />,
    );
    return sendAdminPage(ctx, req, reply, { title: 'Mail', active: 'mail', main });
  });

  app.post<{ Params: { id: string } }>('/admin/mail/:id/retry', retry, async (req, reply) => {
    const id = Number(req.params.id);
    try {
      if (!Number.isSafeInteger(id) || id < 1) throw new DomainError('not_found', 'Email delivery was not found.');
      const entry = await retryDelivery(ctx.db, id);
      ctx.log.info({ by: req.staff.email, outboxId: id }, 'failed email put back in the queue');
      flash(reply, `The email to ${entry.recipient} is queued again and will be sent in a moment.`);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      flash(reply, refused.message ?? 'This email cannot be retried.', 'error');
    }
    return reply.redirect('/admin/mail', 303);
  });

  /** The mail file, or the not-found page already sent. */
  async function mailFile(req: FastifyRequest, reply: FastifyReply, name: string): Promise<MailFile | undefined> {
    const file = usesFiles()
      ? await readMailFile(dir(), name).catch((err: unknown) => {
          if (err instanceof DomainError && err.code === 'not_found') return undefined;
          throw err;
        })
      : undefined;
    if (!file) await sendAdminPage(ctx, req, reply, { title: 'Email not found', active: 'mail', main: render(<MailFileNotFoundView smtp={!usesFiles()} />), status: 404 });
    return file;
  }

  app.get<FileParams>('/admin/mail/files/:name', view, async (req, reply) => {
    const file = await mailFile(req, reply, req.params.name);
    if (!file) return reply;
    return sendAdminPage(ctx, req, reply, { title: file.subject || 'Email', active: 'mail', main: render(<MailFileView file={file} at={at} />) });
  });

  app.get<FileParams>('/admin/mail/files/:name/html', view, async (req, reply) => {
    const file = await mailFile(req, reply, req.params.name);
    if (!file) return reply;
    return sendEmailHtml(ctx, reply, file.html ?? `<pre>${escapeHtml(file.text ?? '')}</pre>`);
  });
}

/**
 * An email's HTML for a sandboxed frame in the back office: it may show pictures from the
 * store itself; nothing else loads, and no script runs (CSP sandbox, an opaque origin).
 */
export function sendEmailHtml(ctx: AppContext, reply: FastifyReply, html: string) {
  const publicOrigin = URL.canParse(ctx.config.publicUrl) ? new URL(ctx.config.publicUrl).origin : '';
  const csp = [
    'sandbox',
    "default-src 'none'",
    `img-src 'self' data: ${publicOrigin}`.trim(),
    "style-src 'unsafe-inline'",
    "font-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
  return reply
    .header('content-security-policy', csp)
    .header('x-frame-options', 'SAMEORIGIN')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}
