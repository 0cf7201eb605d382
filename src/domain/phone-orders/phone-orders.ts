// Phone orders: an agent builds an order for a caller (products, address, contact) and the
// customer pays it by an emailed link. Underneath it is a cart and a checkout like any
// other, so prices, tax, stock and payment go through the same code: the order is placed
// when the provider says it was paid, stock is taken then, and an unpaid link simply
// expires, releasing nothing because nothing was taken.
import { and, count, desc, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { carts, orders, payments, phoneOrders } from '../../db/schema.ts';
import { createCart, loadCartLines, type CartItemInput, type CartLine } from '../cart/cart-service.ts';
import { parseCheckoutInput, type CheckoutInput } from '../checkout/checkout-input.ts';
import { startCheckout, type CheckoutStart } from '../checkout/checkout-service.ts';
import { lineName } from '../checkout/checkout-snapshot.ts';
import { computeTotals, type Totals } from '../checkout/totals.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { PaymentLinkPayload } from '../notifications/email-payloads.ts';
import { actorLabel, type Actor } from '../orders/order-events.ts';
import type { ShippingMethod } from '../settings/store-settings.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { randomToken } from '../shared/ids.ts';

/** How long the payment link stays open: long enough for a customer who pays at the weekend. */
export const PHONE_ORDER_DAYS = 7;

export type PhoneOrder = typeof phoneOrders.$inferSelect;
export type PhoneOrderStatus = 'awaiting_payment' | 'paid' | 'expired';
export type PhoneOrderView = { phoneOrder: PhoneOrder; lines: CartLine[]; totals: Totals; status: PhoneOrderStatus; orderNumber: string | null; payUrl: string };

export type PhoneOrderInput = { email: unknown; phone: unknown; shippingAddress: unknown; shippingMethod: unknown; items: CartItemInput[] };

const payUrl = (ctx: AppContext, token: string) => `${ctx.config.publicUrl}/pay/${token}`;
const PAYMENT_FAILED = ['declined', 'failed', 'expired', 'voided'];

function checkoutInputOf(p: PhoneOrder): CheckoutInput {
  return { email: p.email, phone: p.phone, shippingAddress: { ...p.shippingAddress, line2: p.shippingAddress.line2 } as CheckoutInput['shippingAddress'], shippingMethod: p.shippingMethod as ShippingMethod, payment: { provider: undefined, paymentMethod: undefined } };
}

/** Creates the phone order and emails the customer the payment link; 422 names each bad field. */
export async function createPhoneOrder(ctx: AppContext, raw: PhoneOrderInput, actor: Actor): Promise<PhoneOrderView> {
  let input: CheckoutInput | undefined;
  const errors: Record<string, string> = {};
  try {
    input = parseCheckoutInput({ email: raw.email, phone: raw.phone, shippingAddress: raw.shippingAddress, shippingMethod: raw.shippingMethod, payment: {} });
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'validation_failed')) throw err;
    Object.assign(errors, (err.details as { fields: Record<string, string> }).fields);
  }
  const items = raw.items.filter((i) => i.sku.trim());
  if (items.length === 0) errors.items = 'Add at least one product by its SKU.';
  if (Object.keys(errors).length || !input) throw validationFailed(errors, 'The phone order was not created.');

  // The cart checks each SKU and quantity against the catalog and the shelf, as for a shopper.
  const cartId = await createCart(ctx, items.map((i) => ({ sku: i.sku.trim().toUpperCase(), quantity: i.quantity })));
  const token = randomToken(24);
  const expiresAt = DateTime.fromJSDate(ctx.clock.now()).plus({ days: PHONE_ORDER_DAYS }).toJSDate();
  const settings = ctx.settings();
  const lines = await loadCartLines(ctx.db, cartId, { images: false });
  const totals = computeTotals(settings, lines, { shippingMethod: input.shippingMethod, state: input.shippingAddress.state });
  const a = input.shippingAddress;
  const created = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(phoneOrders)
      .values({ token, cartId, email: input.email, phone: input.phone, shippingAddress: a, shippingMethod: input.shippingMethod, staffId: actor.kind === 'staff' ? actor.staffId : null, staffEmail: actorLabel(actor), expiresAt, createdAt: ctx.clock.now() })
      .returning();
    await enqueueEmail(tx, {
      template: 'payment_link',
      to: input.email,
      payload: {
        items: lines.map((l) => ({ name: lineName(l), quantity: l.quantity, unitPrice: l.unitPrice })),
        subtotal: totals.subtotal,
        shipping: totals.shipping,
        tax: totals.tax,
        total: totals.total,
        currency: settings.currency,
        address: [a.name, a.line1, ...(a.line2 ? [a.line2] : []), `${a.city}, ${a.state} ${a.postalCode}`],
        payUrl: payUrl(ctx, token),
        expiresOn: DateTime.fromJSDate(expiresAt, { zone: settings.serviceHours.timeZone }).setLocale('en-US').toFormat('cccc, LLLL d'),
      } satisfies PaymentLinkPayload,
    });
    return row!;
  });
  return view(ctx, ctx.db, created);
}

async function view(ctx: AppContext, conn: Conn, p: PhoneOrder): Promise<PhoneOrderView> {
  const [cart] = await conn.select({ orderId: carts.orderId, number: orders.number }).from(carts).leftJoin(orders, eq(orders.id, carts.orderId)).where(eq(carts.id, p.cartId));
  const lines = await loadCartLines(conn, p.cartId, { images: false });
  const totals = computeTotals(ctx.settings(), lines, { shippingMethod: p.shippingMethod as ShippingMethod, state: p.shippingAddress.state });
  const status: PhoneOrderStatus = cart?.orderId ? 'paid' : p.expiresAt <= ctx.clock.now() ? 'expired' : 'awaiting_payment';
  return { phoneOrder: p, lines, totals, status, orderNumber: cart?.number ?? null, payUrl: payUrl(ctx, p.token) };
}

export async function phoneOrderByToken(ctx: AppContext, token: string): Promise<PhoneOrderView> {
  const [p] = /^[A-Za-z0-9_-]{20,64}$/.test(token) ? await ctx.db.select().from(phoneOrders).where(eq(phoneOrders.token, token)) : [];
  if (!p) throw notFound('Payment link');
  return view(ctx, ctx.db, p);
}

export async function phoneOrderById(ctx: AppContext, id: string): Promise<PhoneOrderView> {
  const [p] = /^[0-9a-f-]{36}$/i.test(id) ? await ctx.db.select().from(phoneOrders).where(eq(phoneOrders.id, id)) : [];
  if (!p) throw notFound('Phone order');
  return view(ctx, ctx.db, p);
}

/** The latest phone orders, newest first, for the agents' list. */
export async function recentPhoneOrders(ctx: AppContext, limit = 20): Promise<PhoneOrderView[]> {
  const rows = await ctx.db.select().from(phoneOrders).orderBy(desc(phoneOrders.createdAt)).limit(limit);
  return Promise.all(rows.map((p) => view(ctx, ctx.db, p)));
}

/**
 * Opens the payment for the link (or finds the session already open: pressing "Pay" twice,
 * or on two devices, is one payment). After a declined or expired attempt a new one opens.
 */
export async function payPhoneOrder(ctx: AppContext, token: string): Promise<CheckoutStart> {
  const v = await phoneOrderByToken(ctx, token);
  if (v.status === 'expired') throw new DomainError('conflict', 'This payment link has expired, so the order was not placed and nothing was charged. Call or email us and we will send a new one.');
  const [failed] = await ctx.db.select({ n: count() }).from(payments).where(and(eq(payments.cartId, v.phoneOrder.cartId), inArray(payments.status, PAYMENT_FAILED)));
  return startCheckout(ctx, {
    cartId: v.phoneOrder.cartId,
    input: checkoutInputOf(v.phoneOrder),
    idempotencyKey: `phone:${v.phoneOrder.id}:${Number(failed?.n ?? 0)}`,
    returnPath: { success: `/pay/${token}/return?payment={payment}`, cancel: `/pay/${token}` },
  });
}
