// Checkout JSON API: turn a cart into a paid order. Idempotent by the Idempotency-Key header.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { DomainError, validationFailed } from '../../domain/shared/errors.ts';
import { checkoutInputSchema } from '../../domain/checkout/checkout-input.ts';
import { startCheckout } from '../../domain/checkout/checkout-service.ts';
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
      discount: cents.describe("This line's share of the discount"),
      tax: cents.describe("This line's share of the tax"),
    }),
  ),
  totals: totalsSchema,
  discountCode: z.string().nullable().describe('The discount code used (or the automatic promotion\'s name); null without one'),
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
            '(one order, one charge), even when the requests arrive at the same time. Pay with a payment-method token issued by the provider ' +
            '(`payment.paymentMethod`): a Stripe PaymentMethod id (pm_…), or a sandbox test token — sandbox_visa, sandbox_mastercard and sandbox_amex succeed, ' +
            'sandbox_declined is declined, sandbox_insufficient_funds has insufficient funds, sandbox_expired is expired, sandbox_processing_error fails, ' +
            'sandbox_3ds needs the cardholder (declined with authentication_required). Card numbers are never accepted: a body carrying card fields is refused with 422.',
          params: z.object({ id: z.string().min(1).max(100) }),
          headers: z.object({ [IDEMPOTENCY_HEADER]: z.string().min(1).max(255).describe('A unique key per checkout attempt, e.g. a UUID') }),
          body: checkoutInputSchema(),
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
        if (!req.body.payment.paymentMethod) {
          throw validationFailed(
            { 'payment.paymentMethod': "Enter the provider's payment-method token, e.g. sandbox_visa or a Stripe PaymentMethod id" },
            'A one-call checkout needs a payment-method token from the payment provider.',
          );
        }
        const started = await startCheckout(ctx, { cartId: req.params.id, input: req.body, idempotencyKey: req.headers[IDEMPOTENCY_HEADER] });
        if (!('order' in started)) throw new Error('A token checkout answered with a session');
        return reply.code(201).send({ order: started.order });
      },
    );
  };
}
