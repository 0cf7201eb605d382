// Carrier webhook: POST /api/v1/carriers/{carrier}/events, signed with HMAC-SHA256 over the
// raw body (X-Casanova-Signature: sha256=<hex>, key CARRIER_WEBHOOK_SECRET). The signature
// must be checked on the exact bytes received, so this plugin keeps them: its own JSON
// parser (scoped to this plugin only) stores the body before parsing it.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { CARRIER_EVENT_STATUSES, DESCRIPTION_MAX, EVENT_ID_MAX, LOCATION_MAX, recordCarrierEvent, verifyCarrierSignature } from '../../domain/shipments/carrier-events.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { ORDER_STATUSES } from '../../domain/orders/order-states.ts';
import { errors } from './schemas.ts';

export const SIGNATURE_HEADER = 'x-casanova-signature';
const BODY_LIMIT = 64 * 1024;

const eventBody = z.object({
  trackingNumber: z.string().min(1).max(60),
  status: z.enum(CARRIER_EVENT_STATUSES),
  occurredAt: z.iso.datetime({ offset: true }).describe('When it happened (ISO 8601 with offset or Z)'),
  location: z.string().max(LOCATION_MAX).default(''),
  description: z.string().max(DESCRIPTION_MAX).default(''),
  eventId: z.string().min(1).max(EVENT_ID_MAX).optional().describe('Your id for the event: a retry with the same id is recorded once'),
});

export function carrierEventsApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const rawBodies = new WeakMap<FastifyRequest, Buffer>();
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (req, body, done) => {
      rawBodies.set(req, body as Buffer);
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch {
        done(new DomainError('bad_request', 'The request body is not valid JSON.'), undefined);
      }
    });

    app.post(
      '/carriers/:carrier/events',
      {
        schema: {
          tags: ['carriers'],
          summary: 'Receive a tracking event from a carrier',
          description:
            'Body signed with HMAC-SHA256 using CARRIER_WEBHOOK_SECRET; send `X-Casanova-Signature: sha256=<hex of the signature over the raw body>`. ' +
            'The same event twice is recorded once; events may arrive in any order. A delivered event for the last open parcel delivers the order.',
          params: z.object({ carrier: z.string().max(20).describe('ups, usps, fedex, dhl or other') }),
          headers: z.object({ [SIGNATURE_HEADER]: z.string().optional().describe('sha256=<hex>') }),
          body: eventBody,
          response: {
            200: z.object({
              recorded: z.boolean().describe('false when this event had already been received'),
              shipmentStatus: z.string(),
              orderStatus: z.enum(ORDER_STATUSES),
            }),
            ...errors(400, 401, 404, 422, 503),
          },
        },
        // Before validation: an unsigned request learns nothing, not even what a valid body looks like.
        preValidation: async (req) => {
          const secret = ctx.config.carrierWebhookSecret;
          if (!secret) throw new DomainError('unavailable', 'Carrier events are not accepted yet: the store has no CARRIER_WEBHOOK_SECRET configured.');
          const header = req.headers[SIGNATURE_HEADER];
          const raw = rawBodies.get(req);
          if (!raw || !verifyCarrierSignature(secret, raw, Array.isArray(header) ? header[0] : header)) {
            throw new DomainError('unauthorized', 'The X-Casanova-Signature header is missing or does not match the body.');
          }
        },
      },
      async (req) => {
        const r = await recordCarrierEvent(ctx, { ...req.body, carrier: req.params.carrier, occurredAt: new Date(req.body.occurredAt), source: 'carrier' });
        return { recorded: r.recorded, shipmentStatus: r.shipmentStatus, orderStatus: r.orderStatus };
      },
    );
  };
}
