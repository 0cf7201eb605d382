// /returns: step 1 finds the order (the tracking lookup: same matching, masking and limits)
// and redirects to /returns?t=<signed token>, so the address bar never holds the email or
// phone; step 2 is the request form, posted (multipart, for photos) with the token; a
// request sent redirects to the confirmation (/returns?t=…&sent=<RMA number>).
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { returnConfirmation, returnOptions } from '../../domain/returns/return-queries.ts';
import { MAX_RETURN_PHOTOS, RETURN_PHOTO_MAX_BYTES } from '../../domain/returns/return-rules.ts';
import { applyForReturnFor, type NewReturn } from '../../domain/returns/return-service.ts';
import { DomainError, validationFailed } from '../../domain/shared/errors.ts';
import { lookupLinkToken, lookupOrder, orderFromTrackingToken, type OrderRef } from '../../domain/tracking/lookup.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
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
      if (!(err instanceof DomainError)) throw err;
      const details = err.details as { fields?: Record<string, string>; retryAfterSeconds?: number } | undefined;
      if (details?.retryAfterSeconds) reply.header('retry-after', String(details.retryAfterSeconds));
      if (err.code === 'validation_failed') return sendFind(ctx, req, reply, { values, errors: details?.fields ?? {} }, 422);
      if (err.code === 'not_found' || err.code === 'rate_limited') return sendFind(ctx, req, reply, { values, errors: {}, alert: err.message }, STATUS[err.code]);
      throw err;
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
      photos = await readForm(req, values);
      const request = requestFrom(values, photos);
      skus = request.skus;
      const opened = await applyForReturnFor(ctx, order, request.input);
      return reply.header('cache-control', 'no-store').redirect(`${returnsPath(token)}&sent=${encodeURIComponent(opened.number)}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || STATUS[err.code] >= 500) throw err;
      const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields;
      const mapped = fields ? formErrors(fields, skus) : { errors: {}, message: err.message };
      // A 409 that names a field (units taken meanwhile) is shown there, with its message on top too.
      const message = err.code === 'validation_failed' ? mapped.message : (mapped.message ?? err.message);
      return sendApply(ctx, req, reply, order, token, { values, errors: mapped.errors, message, hadPhotos: photos.length > 0 }, STATUS[err.code]);
    }
  });
}

/**
 * Reads the request form: text fields into `fields`, photos as buffers. Too many or too
 * large photos are refused (422 naming the field); a form without photos may come urlencoded.
 */
async function readForm(req: FastifyRequest, fields: Record<string, string>): Promise<Buffer[]> {
  if (!req.isMultipart()) {
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && k.length <= 100 && v.length <= 10_000) fields[k] = v;
    return [];
  }
  const photos: Buffer[] = [];
  try {
    for await (const part of req.parts({ limits: { fileSize: RETURN_PHOTO_MAX_BYTES, files: MAX_RETURN_PHOTOS } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && part.fieldname.length <= 100 && part.value.length <= 10_000) fields[part.fieldname] = part.value;
        continue;
      }
      // A file input left empty still sends one nameless, empty part.
      if (part.fieldname !== 'photos' || !part.filename) {
        part.file.resume();
        continue;
      }
      const bytes = await part.toBuffer();
      if (bytes.length > 0) photos.push(bytes);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw validationFailed({ photos: `Each photo can be at most ${RETURN_PHOTO_MAX_BYTES / 1024 / 1024} MB.` });
    if (code === 'FST_FILES_LIMIT') throw validationFailed({ photos: `Attach at most ${MAX_RETURN_PHOTOS} photos.` });
    throw err;
  }
  return photos;
}
