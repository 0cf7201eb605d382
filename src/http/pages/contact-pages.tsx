// /contact: how to reach us, the service hours with "open now" computed in the shop's time
// zone, and the contact form. The page is rendered per request (cheap): whether we are open
// changes with the clock, so it is never cached. A sent message redirects to
// /contact?sent=<case number>, which shows the confirmation with the reply time.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { formatReplyBy, sendContactMessage } from '../../domain/support/contact-form.ts';
import { describeWeeklyHours, openStatus, zoneAbbreviation } from '../../domain/support/service-hours.ts';
import { findCase } from '../../domain/support/support-service.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { storeStructuredData } from './structured-data.ts';
import { sendPage } from './visitor.ts';
import { ContactPageView, type ContactErrors, type ContactPageProps, type ContactValues } from './views/contact-views.tsx';

/** Holidays shown on the page: those in the coming weeks. */
const HOLIDAY_HORIZON_DAYS = 45;

const formBody = z.object({
  name: z.string().max(300).optional().catch(undefined),
  email: z.string().max(300).optional().catch(undefined),
  orderNumber: z.string().max(100).optional().catch(undefined),
  topic: z.string().max(40).optional().catch(undefined),
  message: z.string().max(20_000).optional().catch(undefined),
});
const pageQuery = z.object({ sent: z.string().max(20).optional().catch(undefined) });

function upcomingHolidays(ctx: AppContext): string[] {
  const hours = ctx.settings().serviceHours;
  const today = DateTime.fromJSDate(ctx.clock.now(), { zone: hours.timeZone }).startOf('day');
  const until = today.plus({ days: HOLIDAY_HORIZON_DAYS });
  return [...hours.holidays]
    .sort()
    .map((d) => DateTime.fromISO(d, { zone: hours.timeZone }))
    .filter((d) => d.isValid && d >= today && d <= until)
    .map((d) => d.setLocale('en-US').toFormat('cccc, LLLL d'));
}

type FormState = Pick<ContactPageProps, 'values' | 'errors' | 'alert' | 'sent'>;

function sendContactPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) {
  const settings = ctx.settings();
  const now = ctx.clock.now();
  const main = render(
    <ContactPageView
      settings={settings}
      hoursLines={describeWeeklyHours(settings.serviceHours)}
      status={openStatus(settings.serviceHours, now)}
      zone={zoneAbbreviation(settings.serviceHours, now)}
      holidays={upcomingHolidays(ctx)}
      {...form}
    />,
  );
  // "Open now" is only true for a while, so caches must ask again; a confirmation is personal.
  reply.header('cache-control', form.sent ? 'no-store' : 'no-cache');
  return sendPage(ctx, req, reply, { title: 'Contact us', description: `Contact ${settings.storeName}: phone, email, address, service hours and a contact form.`, canonicalPath: '/contact', noindex: Boolean(form.sent), structuredData: [storeStructuredData(settings, ctx.config.publicUrl)], main }, status);
}

export async function contactPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get('/contact', { schema: { hide: true } }, async (req, reply) => {
    const { sent } = pageQuery.parse(req.query ?? {});
    // Only a real contact case is confirmed: the query string is the visitor's to edit.
    const found = sent ? await findCase(ctx.db, sent) : undefined;
    const confirmed = found?.kind === 'contact' ? { caseNumber: found.number, expectedReplyBy: formatReplyBy(ctx.settings().serviceHours, found.dueAt) } : undefined;
    return sendContactPage(ctx, req, reply, { values: {}, errors: {}, sent: confirmed });
  });

  app.post('/contact', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const values: ContactValues = formBody.parse(req.body ?? {});
    try {
      const sent = await sendContactMessage(ctx, values, req.ip);
      return reply.header('cache-control', 'no-store').redirect(`/contact?sent=${encodeURIComponent(sent.caseNumber)}#contact-sent`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || STATUS[err.code] >= 500) throw err;
      const details = err.details as { fields?: ContactErrors; retryAfterSeconds?: number } | undefined;
      if (details?.retryAfterSeconds) reply.header('retry-after', String(details.retryAfterSeconds));
      const state: FormState = err.code === 'validation_failed' && details?.fields ? { values, errors: details.fields } : { values, errors: {}, alert: err.message };
      return sendContactPage(ctx, req, reply, state, STATUS[err.code]);
    }
  });
}
