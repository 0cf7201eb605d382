// The admin API's order as JSON: the schema (it also feeds the OpenAPI document) and the
// mapping from the domain's order detail, for the orders API's routes that answer with one order.
import { z } from 'zod';
import type { OrderDetail } from '../../domain/orders/order-queries.ts';
import { ORDER_STATUSES, TRANSITIONS, isOrderStatus, type OrderStatus } from '../../domain/orders/order-states.ts';
import { moneySchema } from './schemas.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const money = (amount: number, currency: string) => ({ amount, currency });

export const lineSchema = z.object({ sku: z.string(), quantity: z.number().int() });

export const orderDetailSchema = z.object({
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

export function detailJson(d: OrderDetail): z.infer<typeof orderDetailSchema> {
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
