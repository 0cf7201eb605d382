// The JSON body of every webhook: one stable shape, documented in README.md (Webhooks).
// Fields are only ever added, never renamed or removed; money is integer cents with its currency.
import type { orderItems, orders, shipments } from '../../db/schema.ts';

export type WebhookEvent = {
  /** evt_…: the same for every endpoint and every resend of this event (use it to drop duplicates). */
  id: string;
  type: string;
  /** ISO 8601, when the change happened. */
  createdAt: string;
  data: Record<string, unknown>;
};

type OrderRow = typeof orders.$inferSelect;
type ItemRow = typeof orderItems.$inferSelect;
type ShipmentRow = typeof shipments.$inferSelect;

export type WebhookOrder = {
  number: string;
  status: string;
  email: string;
  phone: string;
  currency: string;
  subtotal: number;
  /** Off the goods; discountCode is the code or promotion (null without one). */
  discount: number;
  discountCode: string | null;
  shipping: number;
  tax: number;
  total: number;
  shippingMethod: string;
  shippingAddress: OrderRow['shippingAddress'];
  placedAt: string;
  updatedAt: string;
  items: { sku: string; name: string; options: Record<string, string>; quantity: number; unitPrice: number; lineTotal: number; discount: number; tax: number }[];
  shipments: { carrier: string; trackingNumber: string; status: string; shippedAt: string; deliveredAt: string | null }[];
};

export function webhookOrder(order: OrderRow, items: ItemRow[], parcels: ShipmentRow[]): WebhookOrder {
  return {
    number: order.number,
    status: order.status,
    email: order.email,
    phone: order.phone,
    currency: order.currency,
    subtotal: order.subtotal,
    discount: order.discount,
    discountCode: order.discountCode,
    shipping: order.shipping,
    tax: order.tax,
    total: order.total,
    shippingMethod: order.shippingMethod,
    shippingAddress: order.shippingAddress,
    placedAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    items: items.map((i) => ({ sku: i.sku, name: i.productName, options: i.options, quantity: i.quantity, unitPrice: i.unitPrice, lineTotal: i.lineTotal, discount: i.discount, tax: i.tax })),
    shipments: parcels.map((s) => ({
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      status: s.status,
      shippedAt: s.shippedAt.toISOString(),
      deliveredAt: s.deliveredAt ? s.deliveredAt.toISOString() : null,
    })),
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/**
 * `data` of an order event: the order as it is now, plus what changed. Only named fields of
 * the timeline event's details go out (never internal ids or payment references).
 */
export function orderEventData(
  order: OrderRow,
  items: ItemRow[],
  parcels: ShipmentRow[],
  e: { type: string; from?: string | null; to?: string | null; details?: Record<string, unknown> },
): Record<string, unknown> {
  const d = e.details ?? {};
  const data: Record<string, unknown> = { order: webhookOrder(order, items, parcels) };
  if (e.type === 'transition') data.change = { from: e.from ?? null, to: e.to ?? null, reason: str(d.reason) };
  if (e.type === 'exchange') data.replacementFor = { orderNumber: str(d.originalOrder), returnNumber: str(d.exchangeFor) };
  if (e.type === 'refund') data.refund = { amount: int(d.amount), currency: str(d.currency), reason: str(d.reason) };
  if (e.type === 'return') data.return = { number: str(d.number), type: str(d.returnType), status: str(d.status) };
  return data;
}
