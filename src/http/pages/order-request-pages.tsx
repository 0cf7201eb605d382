// POST /track/request?t=…: the "Ask to cancel" and "Ask for changes" forms of the tracking
// view. The signed link proves the order is the visitor's; the request is the domain's
// createOrderRequestFor. Success redirects back to the tracking view with the request
// confirmed; a refusal shows the view again with the reason or the field errors.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createOrderRequestFor } from '../../domain/requests/order-requests.ts';
import type { NewOrderRequest } from '../../domain/requests/request-rules.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { orderFromLink, sendTrackingPage, trackingPath } from './tracking-pages.tsx';
import { ADDRESS_FIELDS, type RequestFormState } from './views/order-request-views.tsx';

const trackQuery = z.object({ t: z.string().max(200).optional().catch(undefined) });

/** The form's fields as text (anything else is dropped). */
function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && k.length <= 100 && v.length <= 5000) values[k] = v;
  return values;
}

/** The request as the domain takes it; `skus` keeps the order of the quantity fields, to put errors back next to them. */
function requestFrom(values: Record<string, string>): { input: NewOrderRequest; skus: string[] } {
  if (values.type !== 'modify') return { input: { type: values.type ?? '', message: values.message }, skus: [] };
  const typed = ADDRESS_FIELDS.some((f) => (values[f] ?? '').trim() !== '');
  const items = Object.entries(values)
    .filter(([k, v]) => k.startsWith('qty.') && v.trim() !== '')
    .map(([k, v]) => ({ sku: k.slice(4), quantity: /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN }));
  const shippingAddress = typed ? { ...Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, values[f] ?? ''])), country: 'US' } : undefined;
  return {
    input: { type: 'modify', message: values.message, changes: { ...(shippingAddress ? { shippingAddress } : {}), items } },
    skus: items.map((i) => i.sku),
  };
}

/** Domain field names (changes.shippingAddress.city, changes.items.0.quantity) → the form's (city, qty.SKU). */
function formErrors(fields: Record<string, string>, skus: string[]): { errors: Record<string, string>; message?: string } {
  const errors: Record<string, string> = {};
  const general: string[] = [];
  for (const [key, message] of Object.entries(fields)) {
    const address = /^changes\.shippingAddress\.?(\w*)$/.exec(key);
    const item = /^changes\.items\.(\d+)\.\w+$/.exec(key);
    if (address) errors[address[1] || 'address'] ??= message;
    else if (item && skus[Number(item[1])] !== undefined) errors[`qty.${skus[Number(item[1])]}`] ??= message;
    else if (key === 'changes.items') errors.items ??= message;
    else if (key === 'message') errors.message ??= message;
    else general.push(message);
  }
  return { errors, ...(general.length ? { message: general.join(' ') } : {}) };
}

export async function orderRequestPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.post('/track/request', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const token = trackQuery.parse(req.query ?? {}).t;
    const order = await orderFromLink(ctx, req, reply, token);
    if (!order) return reply;
    const values = formValues(req.body);
    const { input, skus } = requestFrom(values);
    try {
      const outcome = await createOrderRequestFor(ctx, order, input);
      return reply.header('cache-control', 'no-store').redirect(`${trackingPath(token!)}&request=${outcome.request.id}#request-sent`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || STATUS[err.code] >= 500) throw err;
      const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields;
      const form = values.type === 'modify' ? 'modify' : 'cancel';
      const state: RequestFormState =
        err.code === 'validation_failed' && fields ? { form, values, ...formErrors(fields, skus) } : { form, values, errors: {}, message: err.message };
      return sendTrackingPage(ctx, req, reply, { order, token: token!, request: state, status: STATUS[err.code] });
    }
  });
}
