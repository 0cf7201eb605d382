// Payment provider webhooks: POST /api/v1/payments/{provider}/webhook. The provider signs
// the exact bytes it sends, so this plugin keeps the raw body (its own JSON parser, scoped
// to this plugin) and hands it to the provider's adapter, which checks the signature.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { receivePaymentWebhook } from '../../domain/payments/payment-webhooks.ts';
import { errors } from './schemas.ts';
import { keepRawBodies } from './raw-body.ts';

const BODY_LIMIT = 256 * 1024;

export function paymentWebhooksApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Whatever the content type, the signature is over the bytes: keep them, parse nothing here.
    const rawBody = keepRawBodies(app, BODY_LIMIT);

    app.post(
      '/payments/:provider/webhook',
      {
        schema: {
          tags: ['payments'],
          summary: "Receive an event from the payment provider (signed)",
          description:
            "Stripe: point a webhook endpoint at /api/v1/payments/stripe/webhook with the events payment_intent.*, checkout.session.*, charge.refund.updated, refund.*, charge.dispute.*; " +
            'the Stripe-Signature header is checked with STRIPE_WEBHOOK_SECRET (5-minute tolerance). Each event id is handled once; events may come late, twice or out of order.',
          params: z.object({ provider: z.string().min(1).max(40) }),
          response: {
            200: z.object({ received: z.literal(true), duplicate: z.boolean().describe('true when this event id was handled before'), type: z.string().nullable() }),
            ...errors(400, 404),
          },
        },
      },
      async (req) => receivePaymentWebhook(ctx, req.params.provider, { rawBody: rawBody(req), headers: req.headers }),
    );
  };
}
