// /returns: step 1 finds the order (the tracking lookup: same matching, masking and limits)
// and redirects to /returns?t=<signed token>, so the address bar never holds the email or
// phone; step 2 is the request form, posted (multipart, for photos) with the token; a
// request sent redirects to the confirmation (/returns?t=…&sent=<RMA number>).
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { returnConfirmation, returnOptions } from '../../domain/returns/return-queries.ts';
import { MAX_RETURN_PHOTOS, RETURN_PHOTO_MAX_BYTES } from '../../domain/returns/return-rules.ts';
import { applyForReturnFor, type NewReturn } from '../../domain/returns/return-application.ts';
import { validationFailed } from '../../domain/shared/errors.ts';
import { lookupLinkToken, lookupOrder, orderFromTrackingToken, type OrderRef } from '../../domain/tracking/lookup.ts';
import { isFormRefusal, STATUS } from '../errors.ts';
import { readPhotoForm } from '../photo-form.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { lookupRefusal } from './tracking-pages.tsx';
import { sendPage } from './visitor.ts';
import { ApplyView, FindOrderView, SentView, exchangeField, qtyField, type ApplyFormState, type FindFormProps } from './views/returns-views.tsx';

const TITLE = 'Return, exchange or refund';
const EXPIRED_LINK = 'This link has expired or is not valid. Enter your order number and email or phone again.';

const findBody = z.object({
  orderNumber: z.string().max(100).optional().catch(undefined),
  contact: z.string().max(300).optional().catch(undefined),
});
const returnsQuery = z.object({
  t: z.string().max(200).optional().catch(undefined),
  /** The RMA number of a request just sent, to confirm it. */
  sent: z.string().max(40).optional().catch(undefined),
});

const returnsPath = (token: string) => `/returns?t=${encodeURIComponent(token)}`;

function sendFind(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, props: Omit<FindFormProps, 'settings'>, status = 200) {
  return sendPage(ctx, req, reply, { title: TITLE, main: render(<FindOrderView {...props} settings={ctx.settings()} />), noindex: true }, status);
}

async function sendApply(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, order: OrderRef, token: string, state?: ApplyFormState, status = 200) {
  const options = await returnOptions(ctx, order);
  const main = render(<ApplyView options={options} token={token} settings={ctx.settings()} state={state} />);
  return sendPage(ctx, req, reply, { title: TITLE, main, noindex: true }, status);
}

/** The request as the domain takes it, from the form's fields; `skus` keeps the order of the chosen lines, to put errors back next to them. */
function requestFrom(values: Record<string, string>, photos: Buffer[]): { input: NewReturn; skus: string[] } {
  const errors: Record<string, string> = {};
  const items = Object.entries(values)
    .filter(([k, v]) => k.startsWith('qty.') && v.trim() !== '' && v.trim() !== '0')
    .map(([k, v]) => {
      const quantity = /^\s*\d{1,5}\s*$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isInteger(quantity)) errors[k] = 'Choose how many.';
      return { sku: k.slice(4), quantity };
    });
  if (Object.keys(errors).length) throw validationFailed(errors);
  const type = values.type ?? '';
  return {
    input: {
      type,
      reason: values.reason ?? '',
      condition: values.condition ?? '',
      items,
      photos,
      ...(type === 'exchange' ? { exchangeFor: items.map((i) => ({ sku: values[exchangeField(i.sku)] || i.sku, quantity: i.quantity })) } : {}),
    },
    skus: items.map((i) => i.sku),
  };
}

/** Domain field names (items.0.quantity, exchangeFor.0.sku) → the form's (qty.SKU, exchange.SKU). */
function formErrors(fields: Record<string, string>, skus: string[]): { errors: Record<string, string>; message?: string } {
  const errors: Record<string, string> = {};
  const general: string[] = [];
  for (const [key, message] of Object.entries(fields)) {
    const item = /^items\.(\d+)\.\w+$/.exec(key);
    const swap = /^exchangeFor\.(\d+)\.\w+$/.exec(key);
    if (item && skus[Number(item[1])] !== undefined) errors[qtyField(skus[Number(item[1])]!)] ??= message;
    else if (swap && skus[Number(swap[1])] !== undefined) errors[exchangeField(skus[Number(swap[1])]!)] ??= message;
    else if (key === 'exchangeFor') errors.items ??= message;
    else if (['items', 'type', 'reason', 'condition', 'photos'].includes(key) || key.startsWith('qty.')) errors[key] ??= message;
    else general.push(message);
  }
  return { errors, ...(general.length ? { message: general.join(' ') } : {}) };
}

export async function returnsPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get('/returns', async (req, reply) => {
    const q = returnsQuery.parse(req.query ?? {});
    if (q.t === undefined) return sendFind(ctx, req, reply, { values: {}, errors: {} });
    const order = await orderFromTrackingToken(ctx, q.t);
    if (!order) return sendFind(ctx, req, reply, { values: {}, errors: {}, alert: EXPIRED_LINK }, 403);
    const sent = q.sent ? await returnConfirmation(ctx, order, q.sent) : undefined;
    if (sent) {
      const main = render(<SentView orderNumber={order.number} sent={sent} token={q.t} />);
      return sendPage(ctx, req, reply, { title: 'Request received', main, noindex: true });
    }
    return sendApply(ctx, req, reply, order, q.t);
  });

  app.post('/returns', { preHandler: sameOriginOnly }, async (req, reply) => {
    const values = findBody.parse(req.body ?? {});
    try {
      const order = await lookupOrder(ctx, { orderNumber: values.orderNumber ?? '', contact: values.contact ?? '', clientIp: req.ip });
      return reply.header('cache-control', 'no-store').redirect(returnsPath(lookupLinkToken(ctx, order.number)), 303);
    } catch (err) {
      const refused = lookupRefusal(err, reply);
      if (!refused) throw err;
      return sendFind(ctx, req, reply, { values, errors: refused.errors, alert: refused.message }, refused.status);
    }
  });

  // Multipart (photos), so the token travels in the action's query string.
  app.post('/returns/apply', { preHandler: sameOriginOnly }, async (req, reply) => {
    const token = returnsQuery.parse(req.query ?? {}).t;
    const order = token ? await orderFromTrackingToken(ctx, token) : undefined;
    if (!order || !token) return sendFind(ctx, req, reply, { values: {}, errors: {}, alert: EXPIRED_LINK }, 403);
    const values: Record<string, string> = {};
    let photos: Buffer[] = [];
    let skus: string[] = [];
    try {
      photos = await readPhotoForm(req, values, { maxPhotos: MAX_RETURN_PHOTOS, maxBytes: RETURN_PHOTO_MAX_BYTES });
      const request = requestFrom(values, photos);
      skus = request.skus;
      const opened = await applyForReturnFor(ctx, order, request.input);
      return reply.header('cache-control', 'no-store').redirect(`${returnsPath(token)}&sent=${encodeURIComponent(opened.number)}`, 303);
    } catch (err) {
      if (!isFormRefusal(err)) throw err;
      const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields;
      const mapped = fields ? formErrors(fields, skus) : { errors: {}, message: err.message };
      // A 409 that names a field (units taken meanwhile) is shown there, with its message on top too.
      const message = err.code === 'validation_failed' ? mapped.message : (mapped.message ?? err.message);
      return sendApply(ctx, req, reply, order, token, { values, errors: mapped.errors, message, hadPhotos: photos.length > 0 }, STATUS[err.code]);
    }
  });
}
