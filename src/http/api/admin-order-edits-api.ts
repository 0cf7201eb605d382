// Admin API for changing what an order costs (bearer token): staff edits (preview, then apply)
// and goodwill refunds. Both idempotent by the Idempotency-Key header.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { applyStaffEdit, previewStaffEdit, type EditPreview } from '../../domain/edits/order-edits.ts';
import { issueGoodwillRefund } from '../../domain/payments/goodwill-refund.ts';
import type { Refund } from '../../domain/payments/refund-service.ts';
import { validationFailed } from '../../domain/shared/errors.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors, moneySchema } from './schemas.ts';

const money = (amount: number, currency: string) => ({ amount, currency });
const numberParams = z.object({ number: z.string().min(1).max(40) });

const totalsJson = z.object({ subtotal: moneySchema, shipping: moneySchema, tax: moneySchema, total: moneySchema });
const editJsonSchema = z.object({
  preview: z.boolean(),
  changes: z.array(z.string()),
  before: totalsJson,
  after: totalsJson,
  /** after − before: negative goes back to the customer. */
  difference: moneySchema,
  refund: z.object({ id: z.string(), amount: moneySchema, status: z.string() }).nullable(),
});

function editJson(e: EditPreview, preview: boolean, refund: Refund | null): z.infer<typeof editJsonSchema> {
  const c = e.order.currency;
  const t = (x: { subtotal: number; shipping: number; tax: number; total: number }) => ({ subtotal: money(x.subtotal, c), shipping: money(x.shipping, c), tax: money(x.tax, c), total: money(x.total, c) });
  return {
    preview,
    changes: e.plan.changes,
    before: t(e.before),
    after: t(e.plan.totals),
    difference: money(e.plan.difference, c),
    refund: refund ? { id: refund.id, amount: money(refund.amount, refund.currency), status: refund.status } : null,
  };
}

export function adminOrderEditsApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const security = [{ bearer: [] }];

    app.post(
      '/admin/orders/:number/edits',
      {
        preHandler: requireApiStaff(ctx, 'orders.edit'),
        schema: {
          tags: ['admin: orders'],
          summary: 'Edit an order before it ships: address, quantities, added or removed lines, prices (with a reason). `preview: true` changes nothing.',
          description:
            'Each item gives the final quantity of a SKU (0 removes it; a SKU not on the order is added from the catalog); SKUs not listed stay as they are. ' +
            'A lower total is refunded to the card. Refused (409) once the order is handed to the carrier, and (422) when the total would rise.',
          security,
          params: numberParams,
          headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional().describe('Required to apply an edit: a retry with the same key applies it once') }),
          body: z.object({
            preview: z.boolean().optional(),
            shippingAddress: z.record(z.string(), z.unknown()).optional(),
            items: z
              .array(z.object({ sku: z.string().max(40), quantity: z.number().int(), unitPrice: z.number().int().optional().describe('Cents'), priceReason: z.string().max(200).optional() }))
              .max(50)
              .optional(),
          }),
          response: {
            200: editJsonSchema,
            201: editJsonSchema,
            ...errors(401, 403, 404, 409, 422),
          },
        },
      },
      async (req, reply) => {
        const { preview, ...edit } = req.body;
        if (preview) return editJson(await previewStaffEdit(ctx, req.params.number, edit), true, null);
        const key = req.headers['idempotency-key'];
        if (!key) throw validationFailed({ idempotencyKey: 'Send an Idempotency-Key header to apply an edit (or preview: true to only look).' });
        const done = await applyStaffEdit(ctx, req.params.number, edit, staffActor(req.staff), key);
        return reply.code(done.repeated ? 200 : 201).send(editJson(done, false, done.refund));
      },
    );

    app.post(
      '/admin/orders/:number/refunds',
      {
        preHandler: requireApiStaff(ctx, 'refunds.issue'),
        schema: {
          tags: ['admin: orders'],
          summary: 'Give a goodwill refund: any amount up to what is still refundable, with the reason the customer reads',
          security,
          params: numberParams,
          headers: z.object({ 'idempotency-key': z.string().min(1).max(255).describe('One key per refund, e.g. a UUID: a retry with it refunds once') }),
          body: z.object({ amount: z.number().int().describe('Cents'), reason: z.string().max(300) }),
          response: {
            201: z.object({ id: z.string(), amount: moneySchema, status: z.enum(['pending', 'succeeded', 'failed']), reason: z.string() }),
            ...errors(401, 403, 404, 409, 422),
          },
        },
      },
      async (req, reply) => {
        const r = await issueGoodwillRefund(ctx, req.params.number, { ...req.body, idempotencyKey: req.headers['idempotency-key'] }, staffActor(req.staff));
        return reply.code(201).send({ id: r.id, amount: money(r.amount, r.currency), status: r.status as 'pending' | 'succeeded' | 'failed', reason: r.reason });
      },
    );

  };
}
