// Tracking JSON API: the order number plus the email or phone used for the order → where
// the order is. Thin: the lookup (no enumeration, rate limits) and the view are domain verbs.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { ORDER_STATUSES } from '../../domain/orders/order-states.ts';
import { lookupOrder } from '../../domain/tracking/lookup.ts';
import { trackingView, type TrackingView } from '../../domain/tracking/tracking-view.ts';
import { errors, moneySchema, serializeTyped } from './schemas.ts';

const iso = z.string().describe('ISO 8601 date-time');

const trackingSchema = z.object({
  number: z.string(),
  status: z.enum(ORDER_STATUSES),
  stages: z.array(
    z.object({
      name: z.string().describe('placed, verified, preparing, packed, shipped, delivered or cancelled'),
      label: z.string(),
      state: z.enum(['done', 'current', 'upcoming', 'cancelled']),
      at: iso.nullable().describe('When the order reached the stage; null for stages not reached'),
    }),
  ),
  estimate: z
    .object({ processingEndsAt: iso.describe('When processing should be finished and the parcel handed to the carrier') })
    .optional()
    .describe('Only while the order is being processed'),
  shipments: z.array(
    z.object({
      carrier: z.string(),
      trackingNumber: z.string(),
      trackingUrl: z.string().nullable().describe("The carrier's own tracking page"),
      status: z.string().describe('shipped, in_transit, out_for_delivery, delivered or exception'),
      events: z.array(z.object({ status: z.string(), location: z.string(), description: z.string(), occurredAt: iso })).describe('Oldest first, by when they happened'),
    }),
  ),
  refunds: z.array(z.object({ amount: moneySchema, status: z.string().describe('pending, succeeded or failed'), reason: z.string(), createdAt: iso })),
  requests: z.array(
    z.object({ id: z.string(), type: z.string().describe('cancel or modify'), status: z.string(), declineReason: z.string().nullable(), createdAt: iso, decidedAt: iso.nullable() }),
  ),
  returns: z.array(z.object({ number: z.string(), type: z.string(), status: z.string(), createdAt: iso })),
  items: z.array(z.object({ sku: z.string(), name: z.string(), quantity: z.number().int() })),
  customer: z
    .object({
      email: z.string(),
      phone: z.string(),
      address: z.object({ name: z.string(), city: z.string(), state: z.string(), postalCode: z.string(), country: z.string() }),
    })
    .describe('Partly hidden: initials, no street, the email and phone shortened'),
});

/** The view as JSON (dates as ISO strings). */
export function trackingJson(v: TrackingView): z.infer<typeof trackingSchema> {
  return {
    number: v.number,
    status: v.status,
    stages: v.stages.map((s) => ({ name: s.name, label: s.label, state: s.state, at: s.at?.toISOString() ?? null })),
    ...(v.estimate ? { estimate: { processingEndsAt: v.estimate.processingEndsAt.toISOString() } } : {}),
    shipments: v.shipments.map((s) => ({
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      trackingUrl: s.trackingUrl,
      status: s.status,
      events: s.events.map((e) => ({ status: e.status, location: e.location, description: e.description, occurredAt: e.occurredAt.toISOString() })),
    })),
    refunds: v.refunds.map((r) => ({ amount: { amount: r.amount, currency: r.currency }, status: r.status, reason: r.reason, createdAt: r.createdAt.toISOString() })),
    requests: v.requests.map((r) => ({ id: r.id, type: r.type, status: r.status, declineReason: r.declineReason, createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null })),
    returns: v.returns.map((r) => ({ number: r.number, type: r.type, status: r.status, createdAt: r.createdAt.toISOString() })),
    items: v.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity })),
    customer: v.customer,
  };
}

export function trackingApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/tracking',
      {
        ...serializeTyped,
        schema: {
          tags: ['tracking'],
          summary: 'Track an order by its number and the email or phone used for it',
          description:
            'The order number in any case, with or without dashes or spaces; the email in any case, or a US phone number in any common format. ' +
            'An unknown order and a wrong email or phone give the same 404. Failed lookups are limited per client address and per order number (429 with Retry-After).',
          body: z.object({
            orderNumber: z.string().max(40).describe('e.g. CS-7K3M-9QX2, cs7k3m9qx2'),
            contact: z.string().max(254).describe('The email address or phone number given at checkout'),
          }),
          response: { 200: trackingSchema, ...errors(404, 422, 429) },
        },
      },
      async (req, reply) => {
        const found = await lookupOrder(ctx, { ...req.body, clientIp: req.ip });
        reply.header('cache-control', 'no-store');
        return trackingJson(await trackingView(ctx, found.id));
      },
    );
  };
}
