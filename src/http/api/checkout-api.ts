// Checkout JSON API: turn a cart into a paid order. Idempotent by the Idempotency-Key header.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { checkoutInputSchema } from '../../domain/checkout/checkout-input.ts';
import { placeOrder } from '../../domain/checkout/checkout-service.ts';
import { errors, moneySchema } from './schemas.ts';
import { totalsSchema } from './cart-api.ts';

const cents = z.number().int();

export const orderReceiptSchema = z.object({
  number: z.string().describe('Order number, e.g. CS-7K3M-9QX2'),
  status: z.string(),
  createdAt: z.string(),
  email: z.string(),
  phone: z.string().describe('E.164'),
  shippingMethod: z.string(),
  shippingAddress: z.object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    city: z.string(),
    state: z.string(),
    postalCode: z.string(),
    country: z.literal('US'),
  }),
  currency: z.string(),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      slug: z.string(),
      options: z.record(z.string(), z.string()),
      quantity: z.number().int(),
      unitPrice: cents,
      lineTotal: cents,
      tax: cents.describe("This line's share of the tax"),
    }),
  ),
  totals: totalsSchema,
  total: moneySchema,
  payment: z.object({ brand: z.string(), last4: z.string(), amount: cents, transactionId: z.string() }),
  trackingUrl: z.string().describe('Signed link to the tracking page'),
});

const IDEMPOTENCY_HEADER = 'idempotency-key';

export function checkoutApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/carts/:id/checkout',
      {
        schema: {
          tags: ['checkout'],
          summary: 'Pay for a cart and create the order',
          description:
            'Prices, shipping, tax and total come from the catalog and store settings; any amount in the request is ignored. ' +
            'Send a fresh Idempotency-Key per checkout attempt: repeating a request with the same key returns the first answer ' +
            '(one order, one charge), even when the requests arrive at the same time. Sandbox test cards: 4242 4242 4242 4242 succeeds, ' +
            '4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has insufficient funds, 4000 0000 0000 0119 fails with a processing error.',
          params: z.object({ id: z.string().min(1).max(100) }),
          headers: z.object({ [IDEMPOTENCY_HEADER]: z.string().min(1).max(255).describe('A unique key per checkout attempt, e.g. a UUID') }),
          body: checkoutInputSchema(ctx.clock),
          response: { 201: z.object({ order: orderReceiptSchema }), ...errors(400, 402, 404, 409, 422) },
        },
        // Before body validation, so a missing key is reported as such whatever the body holds.
        preValidation: async (req) => {
          const key = req.headers[IDEMPOTENCY_HEADER];
          if (typeof key !== 'string' || key.trim() === '') {
            throw new DomainError('bad_request', 'The Idempotency-Key header is required: send a unique key (e.g. a UUID) with each checkout attempt.');
          }
        },
      },
      async (req, reply) => {
        const order = await placeOrder(ctx, { cartId: req.params.id, input: req.body, idempotencyKey: req.headers[IDEMPOTENCY_HEADER], payments: ctx.payments });
        return reply.code(201).send({ order });
      },
    );
  };
}
