// /track: the lookup form, the tracking view opened by a signed link, and "Report a problem".
// A successful lookup redirects to /track?t=<fresh signed token>, so the address bar never
// holds personal data and a refresh or a follow-up form works without retyping. Every
// follow-up form posts with the token (?t=…) and checks it again.
import { z } from 'zod';
import type { ComponentChildren } from 'preact';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { awaitedAmount } from '../../domain/edits/edit-payments.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { MAX_PROBLEM_PHOTOS, PROBLEM_PHOTO_MAX_BYTES, reportDeliveryProblem } from '../../domain/support/delivery-problem.ts';
import { lookupLinkToken, lookupOrder, orderFromTrackingToken, type OrderRef } from '../../domain/tracking/lookup.ts';
import { trackingView } from '../../domain/tracking/tracking-view.ts';
import { isFormRefusal, STATUS } from '../errors.ts';
import { readPhotoForm } from '../photo-form.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { TrackFormView, type TrackFormProps } from './views/track-form-view.tsx';
import { TrackingPageView, type ReportFormState } from './views/tracking-views.tsx';
import { ChangeOrCancel, type RequestFormState } from './views/order-request-views.tsx';

const EXPIRED_LINK = 'This tracking link has expired or is not valid. Enter your order number and email or phone below to see your order.';

const formBody = z.object({
  orderNumber: z.string().max(100).optional().catch(undefined),
  contact: z.string().max(300).optional().catch(undefined),
});
const trackQuery = z.object({
  t: z.string().max(200).optional().catch(undefined),
  case: z.string().max(20).optional().catch(undefined),
  /** A change or cancellation request just sent, to confirm it. */
  request: z.string().max(40).optional().catch(undefined),
});

/** The URL of the tracking view for a signed token. */
export const trackingPath = (token: string) => `/track?t=${encodeURIComponent(token)}`;

function sendForm(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, props: Omit<TrackFormProps, 'settings'>, status = 200) {
  const main = render(<TrackFormView {...props} settings={ctx.settings()} />);
  return sendPage(ctx, req, reply, { title: 'Track your order', main, noindex: true }, status);
}

export type TrackingPageOptions = {
  order: OrderRef;
  token: string;
  reportedCase?: string;
  report?: ReportFormState;
  /** "Change or cancel this order": the forms as last refused, or the request just sent. */
  request?: RequestFormState;
  /** Sections from other features (e.g. "Ask to cancel or change"), shown after the parcels. */
  children?: ComponentChildren;
  status?: number;
};

/** Renders the tracking view of an order the visitor proved access to (the token stays in the follow-up forms). */
export async function sendTrackingPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, o: TrackingPageOptions) {
  const view = await trackingView(ctx, o.order.id);
  const awaited = view.awaitingPayment ? await awaitedAmount(ctx.db, o.order.id) : undefined;
  // Only a case of this order is confirmed: the query string is the visitor's to edit.
  const reportedCase = o.reportedCase && view.cases.some((c) => c.number === o.reportedCase) ? o.reportedCase : undefined;
  const main = render(
    <TrackingPageView view={view} settings={ctx.settings()} token={o.token} reportedCase={reportedCase} report={o.report}>
      {awaited ? (
        <div class="alert alert-info" role="status">
          <strong>Waiting for your payment of {formatMoney(awaited.amount, awaited.currency)} for the changes.</strong> We prepare the order once it is paid.{' '}
          <a class="button" href={`/orders/${encodeURIComponent(view.number)}/pay-changes?t=${encodeURIComponent(o.token)}`}>
            Pay {formatMoney(awaited.amount, awaited.currency)}
          </a>
        </div>
      ) : null}
      <ChangeOrCancel view={view} settings={ctx.settings()} token={o.token} state={o.request} />
      {o.children}
    </TrackingPageView>,
  );
  return sendPage(ctx, req, reply, { title: `Order ${view.number}`, main, noindex: true }, o.status ?? 200);
}

/**
 * What a refused lookup (here or on /returns) shows: the field errors (422), or why no order
 * was found or how long to wait (with Retry-After); undefined for anything else (rethrow it).
 */
export function lookupRefusal(err: unknown, reply: FastifyReply): { status: number; errors: Record<string, string>; message?: string } | undefined {
  if (!(err instanceof DomainError)) return undefined;
  const details = err.details as { fields?: Record<string, string>; retryAfterSeconds?: number } | undefined;
  if (details?.retryAfterSeconds) reply.header('retry-after', String(details.retryAfterSeconds));
  if (err.code === 'validation_failed') return { status: 422, errors: details?.fields ?? {} };
  if (err.code === 'not_found' || err.code === 'rate_limited') return { status: STATUS[err.code], errors: {}, message: err.message };
  return undefined;
}

/** The order behind `?t=`, or the lookup form with the expired-link message (and undefined). */
export async function orderFromLink(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, token: string | undefined): Promise<OrderRef | undefined> {
  const order = token ? await orderFromTrackingToken(ctx, token) : undefined;
  if (!order) await sendForm(ctx, req, reply, { values: {}, errors: {}, alert: { kind: 'error', text: EXPIRED_LINK } }, 403);
  return order;
}

export async function trackingPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get('/track', async (req, reply) => {
    const q = trackQuery.parse(req.query ?? {});
    if (q.t === undefined) return sendForm(ctx, req, reply, { values: {}, errors: {} });
    const order = await orderFromLink(ctx, req, reply, q.t);
    if (!order) return reply;
    return sendTrackingPage(ctx, req, reply, { order, token: q.t, reportedCase: q.case, request: q.request ? { sentId: q.request } : undefined });
  });

  app.post('/track', { preHandler: sameOriginOnly }, async (req, reply) => {
    const values = formBody.parse(req.body ?? {});
    try {
      const order = await lookupOrder(ctx, { orderNumber: values.orderNumber ?? '', contact: values.contact ?? '', clientIp: req.ip });
      return reply.header('cache-control', 'no-store').redirect(trackingPath(lookupLinkToken(ctx, order.number)), 303);
    } catch (err) {
      const refused = lookupRefusal(err, reply);
      if (!refused) throw err;
      return sendForm(ctx, req, reply, { values, errors: refused.errors, alert: refused.message ? { kind: 'error', text: refused.message } : undefined }, refused.status);
    }
  });

  // Multipart (photos), so the token travels in the action's query string.
  app.post('/track/report', { preHandler: sameOriginOnly }, async (req, reply) => {
    const token = trackQuery.parse(req.query ?? {}).t;
    const order = await orderFromLink(ctx, req, reply, token);
    if (!order) return reply;
    const fields: Record<string, string> = {};
    try {
      const photos = await readPhotoForm(req, fields, { maxPhotos: MAX_PROBLEM_PHOTOS, maxBytes: PROBLEM_PHOTO_MAX_BYTES });
      const report = await reportDeliveryProblem(ctx, order.id, { problem: fields.problem ?? '', description: fields.description ?? '', photos });
      return reply.header('cache-control', 'no-store').redirect(`${trackingPath(token!)}&case=${encodeURIComponent(report.caseNumber)}`, 303);
    } catch (err) {
      if (!isFormRefusal(err)) throw err;
      const values = { problem: fields.problem, description: fields.description };
      const details = err.details as { fields?: Record<string, string> } | undefined;
      const report: ReportFormState =
        err.code === 'validation_failed' && details?.fields ? { values, errors: details.fields } : { values, errors: {}, message: err.message };
      return sendTrackingPage(ctx, req, reply, { order, token: token!, report, status: STATUS[err.code] });
    }
  });
}
