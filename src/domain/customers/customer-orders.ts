// What a signed-in customer can see and do: every order placed with a proven email or phone,
// the addresses they shipped to, "Buy again", and their personal data exported or erased.
// Erasure keeps each order for the shop's accounts (amounts, products, dates) and replaces
// the personal fields; it waits until no order is still on its way or in an open return.
import { and, asc, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Address } from '../../db/schema.ts';
import { caseMessages, customerSignIns, orderItems, orders, outbox, returnCases, supportCases, type CustomerContact } from '../../db/schema.ts';
import { addItem, createCart } from '../cart/cart-service.ts';
import { appendOrderEvent } from '../orders/order-events.ts';
import { FINAL_STATES, type OrderStatus } from '../orders/order-states.ts';
import { DomainError } from '../shared/errors.ts';
import { TRACKING_STAGES } from '../tracking/tracking-view.ts';

export type CustomerOrder = {
  id: string;
  number: string;
  status: OrderStatus;
  statusLabel: string;
  placedAt: Date;
  total: number;
  currency: string;
  email: string;
  phone: string;
  shippingAddress: Address;
  items: { sku: string; name: string; quantity: number }[];
};

const LIST_LIMIT = 100;
/** Return cases still in progress: erasing now would cut the customer off from them. */
const OPEN_RETURNS = ['requested', 'approved', 'received'];

export const customerStatusLabel = (status: OrderStatus): string =>
  status === 'on_hold' ? 'On hold' : status === 'cancelled' ? 'Cancelled' : (TRACKING_STAGES.find((s) => s.status === status)?.label ?? status);

/** Orders placed with any of the contacts (both are indexed: lower(email), phone). */
function ownedBy(contacts: CustomerContact[]): SQL {
  const emails = contacts.filter((c) => c.kind === 'email').map((c) => c.value);
  const phones = contacts.filter((c) => c.kind === 'phone').map((c) => c.value);
  const parts = [
    ...(emails.length ? [inArray(sql`lower(${orders.email})`, emails)] : []),
    ...(phones.length ? [inArray(orders.phone, phones)] : []),
  ];
  return parts.length ? or(...parts)! : sql`false`;
}

/** Newest first, with their lines. */
export async function customerOrders(ctx: AppContext, contacts: CustomerContact[]): Promise<CustomerOrder[]> {
  const rows = await ctx.db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      placedAt: orders.createdAt,
      total: orders.total,
      currency: orders.currency,
      email: orders.email,
      phone: orders.phone,
      shippingAddress: orders.shippingAddress,
    })
    .from(orders)
    .where(ownedBy(contacts))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(LIST_LIMIT);
  if (rows.length === 0) return [];
  const lines = await ctx.db
    .select({ orderId: orderItems.orderId, sku: orderItems.sku, name: orderItems.productName, quantity: orderItems.quantity })
    .from(orderItems)
    .where(inArray(orderItems.orderId, rows.map((r) => r.id)))
    .orderBy(asc(orderItems.position));
  return rows.map((r) => ({
    ...r,
    status: r.status as OrderStatus,
    statusLabel: customerStatusLabel(r.status as OrderStatus),
    items: lines.filter((l) => l.orderId === r.id).map(({ sku, name, quantity }) => ({ sku, name, quantity })),
  }));
}

/** The different addresses shipped to, most recent first (the shopper's saved addresses). */
export function savedAddresses(list: CustomerOrder[]): Address[] {
  const seen = new Map<string, Address>();
  for (const o of list) {
    const a = o.shippingAddress;
    const key = [a.name, a.line1, a.line2 ?? '', a.city, a.state, a.postalCode].map((p) => p.trim().toLowerCase()).join('|');
    if (!seen.has(key) && a.line1 !== ERASED) seen.set(key, a);
  }
  return [...seen.values()].slice(0, 5);
}

export type BuyAgainResult = { cartId: string; itemCount: number; added: string[]; skipped: { name: string; reason: string }[] };

/**
 * Puts the order's products back in the cart at today's prices, one line at a time: what is
 * sold out or no longer sold is named and skipped, the rest is added.
 */
export async function buyAgain(ctx: AppContext, contacts: CustomerContact[], orderNumber: string, cartId: string | undefined): Promise<BuyAgainResult> {
  const [order] = await ctx.db.select({ id: orders.id }).from(orders).where(and(eq(orders.number, orderNumber), ownedBy(contacts)));
  if (!order) throw new DomainError('not_found', 'That order is not among your orders.');
  const lines = await ctx.db
    .select({ sku: orderItems.sku, name: orderItems.productName, quantity: orderItems.quantity })
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(orderItems.position));
  let cart = cartId ?? (await createCart(ctx));
  const result: BuyAgainResult = { cartId: cart, itemCount: 0, added: [], skipped: [] };
  for (const line of lines) {
    try {
      result.itemCount = (await addItem(ctx, cart, line.sku, line.quantity)).itemCount;
      result.added.push(line.name);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // The visitor's cart became an order meanwhile: start a fresh one.
      if (err.code === 'conflict' && result.added.length === 0 && cart === cartId) {
        result.cartId = cart = await createCart(ctx);
        try {
          result.itemCount = (await addItem(ctx, cart, line.sku, line.quantity)).itemCount;
          result.added.push(line.name);
          continue;
        } catch (again) {
          if (!(again instanceof DomainError)) throw again;
          result.skipped.push({ name: line.name, reason: again.message });
          continue;
        }
      }
      result.skipped.push({ name: line.name, reason: err.message });
    }
  }
  return result;
}

/** Everything the shop holds about these contacts, as one JSON document. */
export async function exportPersonalData(ctx: AppContext, contacts: CustomerContact[]) {
  const list = await customerOrders(ctx, contacts);
  const ids = list.map((o) => o.id);
  const emails = [...new Set([...contacts.filter((c) => c.kind === 'email').map((c) => c.value), ...list.map((o) => o.email.toLowerCase())])];
  const cases = await ctx.db
    .select({ id: supportCases.id, number: supportCases.number, subject: supportCases.subject, name: supportCases.name, email: supportCases.email, createdAt: supportCases.createdAt })
    .from(supportCases)
    .where(or(ids.length ? inArray(supportCases.orderId, ids) : sql`false`, emails.length ? inArray(sql`lower(${supportCases.email})`, emails) : sql`false`));
  const messages = cases.length
    ? await ctx.db.select({ caseId: caseMessages.caseId, body: caseMessages.body, createdAt: caseMessages.createdAt }).from(caseMessages).where(and(inArray(caseMessages.caseId, cases.map((c) => c.id)), eq(caseMessages.kind, 'customer')))
    : [];
  const returns = ids.length
    ? await ctx.db.select({ orderId: returnCases.orderId, number: returnCases.number, type: returnCases.type, status: returnCases.status, reason: returnCases.reason, condition: returnCases.condition, createdAt: returnCases.createdAt }).from(returnCases).where(inArray(returnCases.orderId, ids))
    : [];
  return {
    exportedAt: ctx.clock.now().toISOString(),
    shop: ctx.settings().storeName,
    contacts,
    orders: list.map(({ id, ...o }) => ({ ...o, returns: returns.filter((r) => r.orderId === id).map(({ orderId: _, ...r }) => r) })),
    messages: cases.map(({ id, ...c }) => ({ ...c, messages: messages.filter((m) => m.caseId === id).map(({ caseId: _, ...m }) => m) })),
  };
}

const ERASED = '[erased]';

/**
 * Replaces the personal fields of every order, support case and message of these contacts.
 * Refused (`conflict`, naming the orders) while an order is not final or a return is open.
 */
export async function erasePersonalData(ctx: AppContext, contacts: CustomerContact[]): Promise<{ orders: number }> {
  return ctx.db.transaction(async (tx) => {
    const mine = await tx.select({ id: orders.id, number: orders.number, status: orders.status, email: orders.email }).from(orders).where(ownedBy(contacts)).for('update');
    const ids = mine.map((o) => o.id);
    const open = mine.filter((o) => !FINAL_STATES.includes(o.status as OrderStatus));
    const openReturns = ids.length
      ? await tx.select({ number: returnCases.number }).from(returnCases).where(and(inArray(returnCases.orderId, ids), inArray(returnCases.status, OPEN_RETURNS)))
      : [];
    if (open.length || openReturns.length) {
      const names = [...open.map((o) => o.number), ...openReturns.map((r) => r.number)].join(', ');
      throw new DomainError('conflict', `We can erase your details once everything is finished: ${names} ${open.length + openReturns.length === 1 ? 'is' : 'are'} still in progress. Until then we need your address and contact to deliver and to reach you.`);
    }
    const emails = [...new Set([...contacts.filter((c) => c.kind === 'email').map((c) => c.value), ...mine.map((o) => o.email.toLowerCase())])];
    const redactedAddress: Address = { name: ERASED, line1: ERASED, city: ERASED, state: 'WV', postalCode: '00000', country: 'US' };
    for (const o of mine) {
      // Keep each erased email distinct and undeliverable, so nothing can reach the old address.
      await tx.update(orders).set({ email: `erased-${o.id}@invalid`, phone: '+10000000000', shippingAddress: { ...redactedAddress }, updatedAt: ctx.clock.now() }).where(eq(orders.id, o.id));
      await appendOrderEvent(tx, { orderId: o.id, type: 'personal_data_erased', actor: { kind: 'customer' }, at: ctx.clock.now() });
    }
    const cases = await tx
      .update(supportCases)
      .set({ name: ERASED, email: 'erased@invalid' })
      .where(or(ids.length ? inArray(supportCases.orderId, ids) : sql`false`, emails.length ? inArray(sql`lower(${supportCases.email})`, emails) : sql`false`))
      .returning({ id: supportCases.id });
    if (cases.length) await tx.update(caseMessages).set({ body: ERASED, attachments: [] }).where(and(inArray(caseMessages.caseId, cases.map((c) => c.id)), eq(caseMessages.kind, 'customer')));
    if (ids.length) await tx.update(returnCases).set({ reason: ERASED, condition: ERASED, photos: [] }).where(inArray(returnCases.orderId, ids));
    // Messages keep their date and template for the notification log, not who or what; one
    // still waiting is no longer sent. One being sent right now is left to finish.
    if (ids.length || emails.length) {
      const theirs = or(ids.length ? inArray(outbox.orderId, ids) : sql`false`, emails.length ? inArray(sql`lower(${outbox.recipient})`, emails) : sql`false`)!;
      await tx
        .update(outbox)
        .set({
          recipient: 'erased@invalid',
          payload: {},
          status: sql`case when ${outbox.status} = 'pending' then 'failed' else ${outbox.status} end`,
          lastError: sql`case when ${outbox.status} = 'pending' then 'not sent: the customer''s personal data was erased' else ${outbox.lastError} end`,
        })
        .where(and(theirs, ne(outbox.status, 'sending')));
    }
    await tx.delete(customerSignIns).where(inArray(customerSignIns.contact, contacts.map((c) => c.value)));
    return { orders: mine.length };
  });
}

/** The contact and address of the newest order, to fill in checkout for a signed-in customer. */
export async function latestOrderDetails(ctx: AppContext, contacts: CustomerContact[]) {
  const [row] = await ctx.db
    .select({ email: orders.email, phone: orders.phone, shippingAddress: orders.shippingAddress })
    .from(orders)
    .where(and(ownedBy(contacts), sql`${orders.email} not like 'erased-%'`))
    .orderBy(desc(orders.createdAt))
    .limit(1);
  return row;
}
