// The shipping aggregator's tracking webhooks: POST /api/v1/shipping/easypost/webhook. EasyPost
// signs the exact bytes (X-Hmac-Signature), so the raw body is kept and the adapter checks it
// before anything is read; a bad signature is a 401 and nothing is recorded.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { ORDER_STATUSES } from '../../domain/orders/order-states.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { recordTrackerUpdate } from '../../domain/shipments/tracker-updates.ts';
import { keepRawBodies } from './raw-body.ts';
import { errors } from './schemas.ts';

const BODY_LIMIT = 512 * 1024;

export function shippingWebhooksApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const rawBody = keepRawBodies(app, BODY_LIMIT);
    app.post(
      '/shipping/:provider/webhook',
      {
        schema: {
          tags: ['carriers'],
          summary: "Receive a tracking update from the shipping aggregator (signed)",
          description:
            'EasyPost: add a webhook at https://<your shop>/api/v1/shipping/easypost/webhook with a secret, and start the store with EASYPOST_WEBHOOK_SECRET set to it. ' +
            'X-Hmac-Signature is checked on the raw body. Tracker events feed the parcel\'s carrier events: repeats are recorded once, late ones never move a parcel back, and delivery of the last parcel delivers the order.',
          params: z.object({ provider: z.string().min(1).max(40) }),
          response: {
            200: z.object({
              received: z.literal(true),
              known: z.boolean().describe('false when no shipment has this tracking number (nothing to record)'),
              recorded: z.number().int().describe('new carrier events recorded from this update'),
              orderStatus: z.enum(ORDER_STATUSES).optional(),
            }),
            ...errors(401, 404, 503),
          },
        },
      },
      async (req) => {
        if (req.params.provider !== ctx.shipping.name || !ctx.shipping.buysLabels) throw new DomainError('not_found', `No shipping provider "${req.params.provider}" is set up here.`);
        const update = ctx.shipping.parseTrackerWebhook(rawBody(req), req.headers);
        if (!update) return { received: true as const, known: false, recorded: 0 };
        const r = await recordTrackerUpdate(ctx, update);
        return { received: true as const, known: r.known, recorded: r.recorded, orderStatus: r.orderStatus };
      },
    );
  };
}
