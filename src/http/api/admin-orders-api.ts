// Admin orders API (bearer token): the queue, one order with its whole history, and the
// moves staff make. Thin: validate, call one verb, answer with the order as it is now.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getOrderDetail, listOrders } from '../../domain/orders/order-queries.ts';
import { addNote, addShipment, transitionOrder } from '../../domain/orders/order-service.ts';
import { TRANSITION_PERMISSION } from '../../domain/orders/order-permissions.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/orders/order-states.ts';
import { retryRefund } from '../../domain/payments/refund-service.ts';
import { CARRIERS } from '../../domain/shipments/carriers.ts';
import { DomainError, validationFailed } from '../../domain/shared/errors.ts';
import { PERMISSIONS, ROLES, can, type Permission } from '../../domain/staff/roles.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { detailJson, lineSchema, money, orderDetailSchema } from './admin-order-json.ts';
import { cachedQueueAnswer } from './queue-cache.ts';
import { errors, moneySchema } from './schemas.ts';

const TARGETS = ORDER_STATUSES.filter((s): s is Exclude<OrderStatus, 'paid'> => s !== 'paid');

const orderSummary = z.object({
  number: z.string(),
  status: z.enum(ORDER_STATUSES),
  createdAt: z.string().describe('When the order was paid (ISO 8601)'),
  total: moneySchema,
  customerName: z.string(),
  items: z.array(lineSchema),
});

const queueAnswer = z.object({
  items: z.array(orderSummary),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  counts: z.record(z.string(), z.number().int()).describe('Orders per state matching q and sku'),
  nextCursor: z.string().nullable().describe('Pass as after to get the next page; null on the last page'),
});

/** 403 in the one error shape when the member's role lacks `permission`. */
function demand(req: FastifyRequest, permission: Permission) {
  if (!can(req.staff.role, permission)) {
    throw new DomainError('forbidden', `The ${ROLES[req.staff.role].label} role may not ${PERMISSIONS[permission].label}.`);
  }
}

const numberParams = z.object({ number: z.string().min(1).max(40) });
const shipmentBody = z.object({
  carrier: z.enum(CARRIERS),
  trackingNumber: z.string().max(60),
  items: z
    .array(z.object({ sku: z.string().min(1).max(60), quantity: z.number().int().min(1).max(100_000) }))
    .max(200)
    .optional()
    .describe('What this parcel carries; without it, everything not shipped yet (or the contents of the bought label with this tracking number)'),
});

export function adminOrdersApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const view = requireApiStaff(ctx, 'orders.view');
    const security = [{ bearer: [] }];

    app.get(
      '/admin/orders',
      {
        preHandler: view,
        schema: {
          tags: ['admin: orders'],
          summary: 'The order queue: filter by state, search by number, email, phone or name, or by SKU; oldest payment first',
          description:
            'Answers are kept by each instance until any order changes, so polling costs little. ' +
            'Send `Cache-Control: no-cache` to have the answer read from the database now.',
          security,
          querystring: z.object({
            status: z.enum([...ORDER_STATUSES, 'open'] as const).optional().describe('A state, or "open" for every order not yet shipped'),
            q: z.string().max(100).optional().describe('Order number (any case, dashes optional), email, phone (any US format) or name'),
            sku: z.string().max(60).optional(),
            page: z.coerce.number().int().min(1).max(10_000).default(1).describe('Ignored when after is given'),
            limit: z.coerce.number().int().min(1).max(100).default(50),
            after: z.string().max(40).optional().describe('Cursor: the nextCursor of the previous page; faster than page for deep pages'),
          }),
          response: {
            200: queueAnswer,
            ...errors(400, 401, 403, 422),
          },
        },
      },
      async (req, reply) => {
        const read = async () => {
          const list = await listOrders(ctx.db, req.query);
          return JSON.stringify({
            items: list.items.map((o) => ({
              number: o.number,
              status: o.status,
              createdAt: o.createdAt.toISOString(),
              total: money(o.total, o.currency),
              customerName: o.customerName,
              items: o.items,
            })),
            total: list.total,
            page: req.query.page,
            limit: req.query.limit,
            counts: list.counts,
            nextCursor: list.nextCursor,
          } satisfies z.infer<typeof queueAnswer>);
        };
        // Already JSON (the typed object above, serialised once): Fastify sends a string with a JSON content type as it is.
        return reply.type('application/json; charset=utf-8').send((await cachedQueueAnswer(ctx, req, read)) as never);
      },
    );

    app.get(
      '/admin/orders/:number',
      {
        preHandler: view,
        schema: {
          tags: ['admin: orders'],
          summary: 'One order with items, payments, refunds, shipments, timeline and notifications',
          security,
          params: numberParams,
          response: { 200: orderDetailSchema, ...errors(401, 403, 404) },
        },
      },
      async (req) => detailJson(await getOrderDetail(ctx.db, req.params.number)),
    );

    app.post(
      '/admin/orders/:number/transitions',
      {
        preHandler: view,
        schema: {
          tags: ['admin: orders'],
          summary: 'Move the order on: verify, hold, prepare, pack, hand over to a carrier, mark delivered or cancel',
          description:
            '409 when the move is not allowed from the current state (the message says why); 422 when a field it needs is missing: ' +
            '`reason` for on_hold and cancelled, `carrier` and `trackingNumber` for shipped.',
          security,
          params: numberParams,
          body: z.object({
            to: z.enum(TARGETS),
            carrier: z.enum(CARRIERS).optional(),
            trackingNumber: z.string().max(60).optional(),
            reason: z.string().max(500).optional(),
          }),
          response: { 200: orderDetailSchema, ...errors(401, 403, 404, 409, 422) },
        },
      },
      async (req) => {
        const { to, ...fields } = req.body;
        demand(req, TRANSITION_PERMISSION[to]);
        const changed = await transitionOrder(ctx, req.params.number, to, staffActor(req.staff), fields);
        return detailJson(await getOrderDetail(ctx.db, changed.order.number));
      },
    );

    app.post(
      '/admin/orders/:number/shipments',
      {
        preHandler: view,
        schema: {
          tags: ['admin: orders'],
          summary: 'Add a parcel: the handover itself while packed, or one more shipment once shipped',
          security,
          params: numberParams,
          body: shipmentBody,
          response: { 201: orderDetailSchema, ...errors(401, 403, 404, 409, 422) },
        },
      },
      async (req, reply) => {
        demand(req, 'orders.process');
        const { items, ...parcel } = req.body;
        const lines = items ? (await getOrderDetail(ctx.db, req.params.number)).items : [];
        const unknown = items?.find((i) => !lines.some((l) => l.sku === i.sku));
        if (unknown) throw validationFailed({ items: `${unknown.sku} is not part of this order.` });
        const contents = items?.map((i) => ({ orderItemId: lines.find((l) => l.sku === i.sku)!.id, quantity: i.quantity }));
        const changed = await addShipment(ctx, req.params.number, staffActor(req.staff), { ...parcel, items: contents });
        return reply.code(201).send(detailJson(await getOrderDetail(ctx.db, changed.order.number)));
      },
    );

    app.post(
      '/admin/orders/:number/notes',
      {
        preHandler: view,
        schema: {
          tags: ['admin: orders'],
          summary: 'Add an internal note to the order’s timeline (never shown to the customer)',
          security,
          params: numberParams,
          body: z.object({ text: z.string().max(2000) }),
          response: { 201: orderDetailSchema, ...errors(401, 403, 404, 422) },
        },
      },
      async (req, reply) => {
        demand(req, 'notes.write');
        await addNote(ctx, req.params.number, staffActor(req.staff), req.body.text);
        return reply.code(201).send(detailJson(await getOrderDetail(ctx.db, req.params.number)));
      },
    );

    app.post(
      '/admin/refunds/:id/retry',
      {
        preHandler: requireApiStaff(ctx, 'refunds.issue'),
        schema: {
          tags: ['admin: orders'],
          summary: 'Send a failed refund to the payment provider again',
          security,
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({ id: z.string(), status: z.enum(['pending', 'succeeded', 'failed']), attempts: z.number().int(), lastError: z.string().nullable() }),
            ...errors(401, 403, 404, 409),
          },
        },
      },
      async (req) => {
        const r = await retryRefund(ctx, req.params.id, staffActor(req.staff));
        return { id: r.id, status: r.status as 'pending' | 'succeeded' | 'failed', attempts: r.attempts, lastError: r.lastError };
      },
    );
  };
}
