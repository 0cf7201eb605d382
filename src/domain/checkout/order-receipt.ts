// The record of a placed order as the shopper sees it: the checkout's answer, the
// confirmation page and the API all show this one shape.
import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { orderItems, orders, payments, type Address } from '../../db/schema.ts';
import type { Money } from '../shared/money.ts';
import type { OrderConfirmationPayload } from '../notifications/email-payloads.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';

export type ReceiptItem = {
  sku: string;
  name: string;
  slug: string;
  options: Record<string, string>;
  quantity: number;
  /** Cents, as paid. */
  unitPrice: number;
  lineTotal: number;
  /** This line's share of the order's discount. */
  discount: number;
  /** This line's share of the order's tax. */
  tax: number;
};

export type OrderReceipt = {
  number: string;
  status: string;
  createdAt: string;
  email: string;
  phone: string;
  shippingMethod: string;
  shippingAddress: Address;
  currency: string;
  items: ReceiptItem[];
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  /** The code used (or the automatic promotion's name); null without a discount. */
  discountCode: string | null;
  total: Money;
  payment: { brand: string; last4: string; amount: number; transactionId: string };
  /** Signed link to the order's tracking page. */
  trackingUrl: string;
};

type OrderRow = typeof orders.$inferSelect;
type ItemRow = typeof orderItems.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

export function receiptOf(ctx: Pick<AppContext, 'config' | 'secret' | 'clock'>, order: OrderRow, items: ItemRow[], payment: PaymentRow): OrderReceipt {
  return {
    number: order.number,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    email: order.email,
    phone: order.phone,
    shippingMethod: order.shippingMethod,
    shippingAddress: order.shippingAddress,
    currency: order.currency,
    items: [...items]
      .sort((a, b) => a.position - b.position)
      .map((i) => ({
        sku: i.sku,
        name: i.productName,
        slug: i.productSlug,
        options: i.options,
        quantity: i.quantity,
        unitPrice: i.unitPrice,
        lineTotal: i.lineTotal,
        discount: i.discount,
        tax: i.tax,
      })),
    totals: { subtotal: order.subtotal, discount: order.discount, shipping: order.shipping, tax: order.tax, total: order.total },
    discountCode: order.discountCode,
    total: { amount: order.total, currency: order.currency },
    payment: {
      brand: payment.cardBrand ?? 'card',
      last4: payment.cardLast4 ?? '',
      amount: payment.amount,
      transactionId: payment.providerTransactionId ?? '',
    },
    trackingUrl: trackingUrl(ctx, order.number),
  };
}

/** The receipt of order `number` (its checkout payment included), or undefined. */
export async function loadOrderReceipt(ctx: Pick<AppContext, 'config' | 'secret' | 'clock'>, conn: Conn, number: string): Promise<OrderReceipt | undefined> {
  const [order] = await conn.select().from(orders).where(eq(orders.number, number));
  if (!order) return undefined;
  const [items, [payment]] = await Promise.all([
    conn.select().from(orderItems).where(eq(orderItems.orderId, order.id)),
    // The checkout's payment is the order's first; later ones (if any) come from staff.
    conn.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(asc(payments.createdAt)).limit(1),
  ]);
  return payment ? receiptOf(ctx, order, items, payment) : undefined;
}

/** The confirmation email's payload: the receipt as it was when the order was placed. */
export function confirmationPayload(r: OrderReceipt, shippingMethodLabel: string, paidAt: Date, captured: boolean): OrderConfirmationPayload {
  return {
    order: {
      number: r.number,
      createdAt: r.createdAt,
      currency: r.currency,
      items: r.items.map((i) => ({ name: i.name, sku: i.sku, options: i.options, quantity: i.quantity, unitPrice: i.unitPrice, lineTotal: i.lineTotal })),
      ...r.totals,
      discountCode: r.discountCode,
      shippingMethodLabel,
      shippingAddress: r.shippingAddress,
      email: r.email,
      phone: r.phone,
    },
    payment: { ...r.payment, createdAt: paidAt.toISOString(), captured },
    trackingUrl: r.trackingUrl,
  };
}
