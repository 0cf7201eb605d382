// Change and cancellation requests in the JSON API: customers ask with the order number and
// the email or phone used for it (answered like tracking); staff approve or decline with a
// bearer token. Thin: validate, call one verb, map the result.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { createOrderRequest } from '../../domain/requests/order-requests.ts';
import { approveRequest, declineRequest } from '../../domain/requests/request-decisions.ts';
import { DECLINE_REASON_MAX, REQUEST_MESSAGE_MAX, type RequestOutcome } from '../../domain/requests/request-rules.ts';
import { ORDER_STATUSES } from '../../domain/orders/order-states.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors, moneySchema } from './schemas.ts';

const REQUEST_TYPES = ['cancel', 'modify'] as const;
const REQUEST_STATUSES = ['pending', 'approved', 'declined'] as const;

const addressSchema = z
  .object({
    name: z.string().max(300),
    line1: z.string().max(300),
    line2: z.string().max(300).optional(),
    city: z.string().max(300),
    state: z.string().max(300).describe('USPS code, e.g. WV'),
    postalCode: z.string().max(300).describe('5 digits or ZIP+4'),
    country: z.literal('US').optional(),
  })
  .describe('A new shipping address, checked like checkout (US only)');

const requestBody = z.object({
  contact: z.string().max(254).describe('The email address or phone number given at checkout'),
  type: z.enum(REQUEST_TYPES),
  message: z.string().max(REQUEST_MESSAGE_MAX).optional().describe('A note for our team'),
  changes: z
    .object({
      shippingAddress: addressSchema.optional(),
      items: z
        .array(z.object({ sku: z.string().max(60), quantity: z.number().int().min(0).describe('The new, lower quantity; 0 removes the item') }))
        .max(100)
        .optional(),
    })
    .optional()
    .describe('For "modify": a new address and/or lower quantities. Raising a quantity or adding an item is refused (422).'),
});

const decisionSchema = z.object({
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  type: z.enum(REQUEST_TYPES),
  orderNumber: z.string(),
  orderStatus: z.enum(ORDER_STATUSES),
  caseNumber: z.string().nullable(),
  declineReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  refund: z
    .object({ id: z.string(), amount: moneySchema, status: z.enum(['pending', 'succeeded', 'failed']) })
    .nullable()
    .describe('The refund the approval caused: processed at once, retried by the store when the payment provider fails'),
});

function decisionJson(o: RequestOutcome): z.infer<typeof decisionSchema> {
  const r = o.request;
  return {
    id: r.id,
    status: r.status as (typeof REQUEST_STATUSES)[number],
    type: r.type as (typeof REQUEST_TYPES)[number],
    orderNumber: o.order.number,
    orderStatus: o.order.status as (typeof ORDER_STATUSES)[number],
    caseNumber: o.caseNumber,
    declineReason: r.declineReason,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    refund: o.refund ? { id: o.refund.id, amount: { amount: o.refund.amount, currency: o.refund.currency }, status: o.refund.status as 'pending' | 'succeeded' | 'failed' } : null,
  };
}

const idParams = z.object({ id: z.string().max(60) });

export function orderRequestsApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/orders/:number/requests',
      {
        schema: {
          tags: ['requests'],
          summary: 'Ask to cancel or change an order before it ships',
          description:
            'The order number with the email or phone used for it, as for tracking: an unknown order and a wrong contact give the same 404, and failed attempts are limited (429). ' +
            'Only before the order is handed to the carrier (409 with the reason afterwards). Cancellations of orders not yet being prepared are approved at once (status "approved").',
          params: z.object({ number: z.string().max(40).describe('e.g. CS-7K3M-9QX2, cs7k3m9qx2') }),
          body: requestBody,
          response: { 201: z.object({ id: z.string(), status: z.enum(REQUEST_STATUSES) }), ...errors(404, 409, 422, 429) },
        },
      },
      async (req, reply) => {
        const { contact, type, message, changes } = req.body;
        const outcome = await createOrderRequest(ctx, { orderNumber: req.params.number, contact, type, message, changes, clientIp: req.ip });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ id: outcome.request.id, status: outcome.request.status as (typeof REQUEST_STATUSES)[number] });
      },
    );

    const decide = requireApiStaff(ctx, 'requests.decide');
    const security = [{ bearer: [] }];

    app.post(
      '/admin/requests/:id/approve',
      {
        preHandler: decide,
        schema: {
          tags: ['admin: requests'],
          summary: 'Approve a change or cancellation request: the order is cancelled or changed now and the difference refunded',
          description: '409 when the request was already decided or the order has been handed to the carrier meanwhile.',
          security,
          params: idParams,
          response: { 200: decisionSchema, ...errors(401, 403, 404, 409) },
        },
      },
      async (req) => decisionJson(await approveRequest(ctx, req.params.id, staffActor(req.staff))),
    );

    app.post(
      '/admin/requests/:id/decline',
      {
        preHandler: decide,
        schema: {
          tags: ['admin: requests'],
          summary: 'Decline a change or cancellation request; the reason is emailed to the customer',
          security,
          params: idParams,
          body: z.object({ reason: z.string().max(DECLINE_REASON_MAX).describe('Shown to the customer') }),
          response: { 200: decisionSchema, ...errors(401, 403, 404, 409, 422) },
        },
      },
      async (req) => decisionJson(await declineRequest(ctx, req.params.id, staffActor(req.staff), req.body.reason)),
    );
  };
}
