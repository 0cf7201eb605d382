// Admin orders API (bearer token): the queue, one order with its whole history, and the
// moves staff make. Thin: validate, call one verb, answer with the order as it is now.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getOrderDetail, listOrders, type OrderDetail } from '../../domain/orders/order-queries.ts';
import { addNote, addShipment, transitionOrder } from '../../domain/orders/order-service.ts';
import { TRANSITION_PERMISSION } from '../../domain/orders/order-permissions.ts';
import { ORDER_STATUSES, TRANSITIONS, isOrderStatus, type OrderStatus } from '../../domain/orders/order-states.ts';
import { retryRefund } from '../../domain/payments/refund-service.ts';
import { CARRIERS } from '../../domain/shipments/carriers.ts';
import { DomainError, validationFailed } from '../../domain/shared/errors.ts';
import { PERMISSIONS, ROLES, can, type Permission } from '../../domain/staff/roles.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors, moneySchema } from './schemas.ts';

const TARGETS = ORDER_STATUSES.filter((s): s is Exclude<OrderStatus, 'paid'> => s !== 'paid');

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const money = (amount: number, currency: string) => ({ amount, currency });

const lineSchema = z.object({ sku: z.string(), quantity: z.number().int() });

const orderSummary = z.object({
  number: z.string(),
  status: z.enum(ORDER_STATUSES),
  createdAt: z.string().describe('When the order was paid (ISO 8601)'),
  total: moneySchema,
  customerName: z.string(),
  items: z.array(lineSchema),
});

const orderDetailSchema = z.object({
  number: z.string(),
  status: z.enum(ORDER_STATUSES),
  holdReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  email: z.string(),
  phone: z.string(),
  shippingAddress: z.object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    city: z.string(),
    state: z.string(),
    postalCode: z.string(),
    country: z.string(),
  }),
  shippingMethod: z.string(),
  subtotal: moneySchema,
  discount: moneySchema.describe('Taken off the goods by the discount'),
  discountCode: z.string().nullable().describe("The discount code used, or the automatic promotion's name"),
  shipping: moneySchema,
  tax: moneySchema,
  /** How `tax` was made up: the part on shipping, and each taxing authority's share. */
  taxBreakdown: z.object({
    shipping: moneySchema,
    jurisdictions: z.array(z.object({ code: z.string(), name: z.string(), rate: z.string().describe('percent, e.g. "6"'), taxable: moneySchema, tax: moneySchema })),
  }),
  total: moneySchema,
  items: z.array(lineSchema.extend({ name: z.string(), options: z.record(z.string(), z.string()), unitPrice: moneySchema, lineTotal: moneySchema })),
  /** The moves this order allows now (whatever the caller's role). */
  allowedTransitions: z.array(z.enum(ORDER_STATUSES)),
  payments: z.array(
    z.object({
      id: z.string(),
      provider: z.string(),
      status: z.string(),
      amount: moneySchema,
      card: z.object({ brand: z.string().nullable(), last4: z.string().nullable() }),
      transactionId: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  refunds: z.array(
    z.object({
      id: z.string(),
      amount: moneySchema,
      status: z.enum(['pending', 'succeeded', 'failed']),
      reason: z.string(),
      source: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  shipments: z.array(
    z.object({
      id: z.string(),
      carrier: z.string(),
      trackingNumber: z.string(),
      carrierTrackingUrl: z.string().nullable(),
      status: z.string(),
      kind: z.string(),
      shippedAt: z.string(),
      deliveredAt: z.string().nullable(),
      events: z.array(z.object({ status: z.string(), location: z.string(), description: z.string(), occurredAt: z.string(), source: z.string() })),
      contents: z.array(z.object({ sku: z.string(), name: z.string(), quantity: z.number().int() })).describe('The order lines and units in this parcel'),
    }),
  ),
  events: z.array(
    z.object({
      type: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      actor: z.string(),
      staffName: z.string().nullable(),
      internal: z.boolean(),
      details: z.record(z.string(), z.unknown()),
      at: z.string(),
    }),
  ),
  notifications: z.array(
    z.object({
      template: z.string(),
      recipient: z.string(),
      subject: z.string().nullable(),
      status: z.string(),
      attempts: z.number().int(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  ),
});

function detailJson(d: OrderDetail): z.infer<typeof orderDetailSchema> {
  const { order } = d;
  const c = order.currency;
  return {
    number: order.number,
    status: order.status as OrderStatus,
    holdReason: order.holdReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    email: order.email,
    phone: order.phone,
    shippingAddress: { ...order.shippingAddress, line2: order.shippingAddress.line2 || undefined },
    shippingMethod: order.shippingMethod,
    subtotal: money(order.subtotal, c),
    discount: money(order.discount, c),
    discountCode: order.discountCode,
    shipping: money(order.shipping, c),
    tax: money(order.tax, c),
    taxBreakdown: {
      shipping: money(order.shippingTax, c),
      jurisdictions: order.taxBreakdown.map((j) => ({ code: j.code, name: j.name, rate: String(j.rateBp / 100), taxable: money(j.taxable, c), tax: money(j.tax, c) })),
    },
    total: money(order.total, c),
    items: d.items.map((i) => ({
      sku: i.sku,
      name: i.productName,
      options: i.options,
      quantity: i.quantity,
      unitPrice: money(i.unitPrice, c),
      lineTotal: money(i.lineTotal, c),
    })),
    allowedTransitions: isOrderStatus(order.status) ? [...TRANSITIONS[order.status]] : [],
    payments: d.payments.map((p) => ({
      id: p.id,
      provider: p.provider,
      status: p.status,
      amount: money(p.amount, p.currency),
      card: { brand: p.cardBrand, last4: p.cardLast4 },
      transactionId: p.providerTransactionId,
      createdAt: p.createdAt.toISOString(),
    })),
    refunds: d.refunds.map((r) => ({
      id: r.id,
      amount: money(r.amount, r.currency),
      status: r.status as 'pending' | 'succeeded' | 'failed',
      reason: r.reason,
      source: r.source,
      attempts: r.attempts,
      lastError: r.lastError,
      nextAttemptAt: r.status === 'pending' ? iso(r.nextAttemptAt) : null,
      createdAt: r.createdAt.toISOString(),
    })),
    shipments: d.shipments.map((s) => ({
      id: s.id,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      carrierTrackingUrl: s.carrierTrackingUrl,
      status: s.status,
      kind: s.kind,
      shippedAt: s.shippedAt.toISOString(),
      deliveredAt: iso(s.deliveredAt),
      events: s.events.map((e) => ({ status: e.status, location: e.location, description: e.description, occurredAt: e.occurredAt.toISOString(), source: e.source })),
      contents: s.contents.map((c) => ({ sku: c.sku, name: c.productName, quantity: c.quantity })),
    })),
    events: d.events.map((e) => ({
      type: e.type,
      from: e.fromStatus,
      to: e.toStatus,
      actor: e.actor,
      staffName: e.staffName,
      internal: e.internal,
      details: e.details,
      at: e.createdAt.toISOString(),
    })),
    notifications: d.notifications.map((n) => ({
      template: n.template,
      recipient: n.recipient,
      subject: n.subject,
      status: n.status,
      attempts: n.attempts,
      createdAt: n.createdAt.toISOString(),
      sentAt: iso(n.sentAt),
      lastError: n.lastError,
    })),
  };
}

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
          security,
          querystring: z.object({
            status: z.enum([...ORDER_STATUSES, 'open'] as const).optional().describe('A state, or "open" for every order not yet shipped'),
            q: z.string().max(100).optional().describe('Order number (any case, dashes optional), email, phone (any US format) or name'),
            sku: z.string().max(60).optional(),
            page: z.coerce.number().int().min(1).max(10_000).default(1),
            limit: z.coerce.number().int().min(1).max(100).default(50),
          }),
          response: {
            200: z.object({
              items: z.array(orderSummary),
              total: z.number().int(),
              page: z.number().int(),
              limit: z.number().int(),
              counts: z.record(z.string(), z.number().int()).describe('Orders per state matching q and sku'),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (req) => {
        const list = await listOrders(ctx.db, req.query);
        return {
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
        };
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
