// Cart JSON API: create a cart, read it with current prices and totals, change its lines.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { addItem, applyDiscountCode, createCart, getCartView, MAX_PER_LINE, removeDiscountCode, removeItem, setQuantity, type CartView } from '../../domain/cart/cart-service.ts';
import { SHIPPING_METHODS } from '../../domain/checkout/shipping-rates.ts';
import { US_STATE_CODES } from '../../domain/checkout/us-states.ts';
import { errors } from './schemas.ts';

const cents = z.number().int().describe('Minor units (cents)');

export const totalsSchema = z.object({ subtotal: cents, discount: cents.describe('Taken off the goods by the discount (free shipping shows as shipping 0)'), shipping: cents, tax: cents, total: cents });

export const appliedDiscountSchema = z
  .object({
    code: z.string().nullable().describe('The code, or null for an automatic promotion'),
    label: z.string().describe('e.g. "SPRING10 (10% off)"'),
    kind: z.enum(['percent', 'fixed', 'free_shipping']),
    amount: cents.describe('What it saves: off the goods plus any shipping waived'),
  })
  .describe('The one discount in the totals');

const cartSchema = z.object({
  id: z.string().describe('Unguessable cart id: keep it private, it is the only key to the cart'),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      slug: z.string(),
      options: z.record(z.string(), z.string()),
      image: z.string().nullable().describe('Thumbnail URL'),
      unitPrice: cents.describe('Current catalog price, cents'),
      quantity: z.number().int(),
      lineTotal: cents,
      available: z.number().int().describe('Units in stock now'),
    }),
  ),
  itemCount: z.number().int(),
  currency: z.string(),
  totals: totalsSchema.describe('Estimated for the standard method and no tax unless ?shippingMethod= and ?state= are given'),
  checkedOut: z.boolean().describe('True once the cart became an order; it is read-only then'),
  discountCode: z.string().nullable().describe('The code put on the cart, whether or not it applies now'),
  discount: appliedDiscountSchema.nullable(),
  discountProblem: z.string().nullable().describe('Why the cart\'s code does not apply now (e.g. "Add $5.00 more to use this code.")'),
});

const cartParams = z.object({ id: z.string().min(1).max(100) });
const lineParams = cartParams.extend({ sku: z.string().min(1).max(64) });
const limit = `You can buy up to ${MAX_PER_LINE} of one item per order`;
const quantity = z.number('Enter a whole number').int('Enter a whole number').min(1, 'Enter at least 1').max(MAX_PER_LINE, limit);

export function cartJson(view: CartView): z.infer<typeof cartSchema> {
  return {
    id: view.id,
    items: view.lines.map((l) => ({
      sku: l.sku,
      name: l.productName,
      slug: l.productSlug,
      options: l.options,
      image: l.image?.url ?? null,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      lineTotal: l.lineTotal,
      available: l.available,
    })),
    itemCount: view.itemCount,
    currency: view.currency,
    totals: { subtotal: view.totals.subtotal, discount: view.totals.discount, shipping: view.totals.shipping, tax: view.totals.tax, total: view.totals.total },
    checkedOut: view.orderId !== null,
    discountCode: view.discountCode,
    discount: view.discount ? { code: view.discount.code, label: view.discount.label, kind: view.discount.kind, amount: view.discount.amount } : null,
    discountProblem: view.discountProblem ?? null,
  };
}

export function cartApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/carts',
      {
        schema: {
          tags: ['cart'],
          summary: 'Create a cart, empty or already holding items',
          body: z
            .object({
              items: z
                .array(z.object({ sku: z.string().min(1).max(64), quantity: quantity.default(1) }))
                .max(50, 'A cart holds at most 50 lines')
                .default([])
                .describe('Lines to start with: one call instead of create + add per item'),
            })
            // No body at all makes an empty cart, as before items could be given.
            .nullish(),
          response: { 201: cartSchema, ...errors(400, 404, 409, 422) },
        },
      },
      async (req, reply) => {
        const id = await createCart(ctx, req.body?.items);
        return reply.code(201).send(cartJson(await getCartView(ctx.db, ctx.settings(), id, {}, { now: ctx.clock.now() })));
      },
    );

    app.get(
      '/carts/:id',
      {
        schema: {
          tags: ['cart'],
          summary: 'A cart with current prices and totals',
          params: cartParams,
          querystring: z.object({
            shippingMethod: z.enum(SHIPPING_METHODS).optional().describe('Estimate shipping for this method (default standard)'),
            state: z.enum(US_STATE_CODES).optional().describe('Estimate sales tax for this destination state'),
          }),
          response: { 200: cartSchema, ...errors(400, 404) },
        },
      },
      async (req) => cartJson(await getCartView(ctx.db, ctx.settings(), req.params.id, req.query, { now: ctx.clock.now() })),
    );

    app.post(
      '/carts/:id/items',
      {
        schema: {
          tags: ['cart'],
          summary: 'Add units of a SKU (on top of what the cart holds)',
          params: cartParams,
          body: z.object({ sku: z.string().min(1).max(64), quantity: quantity.default(1) }),
          response: { 200: cartSchema, ...errors(400, 404, 409, 422) },
        },
      },
      async (req) => cartJson(await addItem(ctx, req.params.id, req.body.sku, req.body.quantity)),
    );

    app.patch(
      '/carts/:id/items/:sku',
      {
        schema: {
          tags: ['cart'],
          summary: "Set a line's quantity (0 removes it)",
          params: lineParams,
          body: z.object({ quantity: z.number('Enter a whole number').int('Enter a whole number').min(0, 'Enter 0 or more').max(MAX_PER_LINE, limit) }),
          response: { 200: cartSchema, ...errors(400, 404, 409, 422) },
        },
      },
      async (req) => cartJson(await setQuantity(ctx, req.params.id, req.params.sku, req.body.quantity)),
    );

    app.delete(
      '/carts/:id/items/:sku',
      {
        schema: { tags: ['cart'], summary: 'Remove a line', params: lineParams, response: { 200: cartSchema, ...errors(400, 404, 409) } },
      },
      async (req) => cartJson(await removeItem(ctx, req.params.id, req.params.sku)),
    );

    app.post(
      '/carts/:id/discount',
      {
        schema: {
          tags: ['cart'],
          summary: 'Put a discount code on the cart',
          description:
            'Refused with 422 and the reason in the message (and in details.fields.code) when the code is unknown, not started, expired, used up, ' +
            'or the cart is below its minimum ("Add $X more to use this code."). A per-customer cap is checked at checkout, when the email is known. ' +
            'One discount applies per order: an automatic promotion that saves more is applied instead of the code.',
          params: cartParams,
          body: z.object({ code: z.string().max(64) }),
          response: { 200: cartSchema, ...errors(400, 404, 409, 422) },
        },
      },
      async (req) => cartJson(await applyDiscountCode(ctx, req.params.id, req.body.code)),
    );

    app.delete(
      '/carts/:id/discount',
      { schema: { tags: ['cart'], summary: "Take the discount code off the cart", params: cartParams, response: { 200: cartSchema, ...errors(400, 404, 409) } } },
      async (req) => cartJson(await removeDiscountCode(ctx, req.params.id)),
    );
  };
}
