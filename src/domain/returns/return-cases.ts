// What every staff verb on an after-sales case (review, receipt, settlement) shares: finding,
// locking, guarding and moving a case, and emailing the customer about it.
//
// Every staff verb is one transaction with the order row and then the case row
// locked, a guard from the state table (409 with the reason), its effects, an order event,
// a line in the support case and, where the customer must be told, an email through the
// outbox. A refund is requested with the key `return:<case id>`, so however often it is
// asked for, one refund exists; it goes to the payment provider after commit.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { orderItems, orders, products, returnCases, returnItems, supportCases, variants } from '../../db/schema.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { RefundInfo, ReturnCasePayload } from '../notifications/email-payloads.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import type { Order } from '../orders/order-service.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { recordCaseMessage } from '../support/support-service.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { STAFF_TEXT_MAX, isReceivedCondition, type ReceivedCondition } from './return-rules.ts';
import { RETURN_STATES, isReturnType, returnTransitionRefusal, type ReturnStatus, type ReturnType } from './return-states.ts';

export type ReturnCase = typeof returnCases.$inferSelect;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "Test Lamp (Oat)": a line as the customer knows it. */
export const itemLabel = (name: string, options: Record<string, string>) => {
  const opts = Object.values(options ?? {}).filter(Boolean);
  return opts.length ? `${name} (${opts.join(', ')})` : name;
};

/** One line of a case, with what it refers to on the order and the replacement chosen. */
export type CaseItem = {
  id: string;
  orderItemId: string;
  sku: string;
  name: string;
  options: Record<string, string>;
  variantId: string | null;
  quantity: number;
  unitPrice: number;
  lineQuantity: number;
  lineTax: number;
  lineDiscount: number;
  refundedQuantity: number;
  condition: ReceivedCondition | null;
  exchange: { variantId: string; sku: string; name: string; options: Record<string, string>; quantity: number; stock: number } | null;
};

export async function caseItems(tx: Conn, caseId: string): Promise<CaseItem[]> {
  const rows = await tx
    .select({ item: returnItems, line: orderItems })
    .from(returnItems)
    .innerJoin(orderItems, eq(orderItems.id, returnItems.orderItemId))
    .where(eq(returnItems.returnCaseId, caseId))
    .orderBy(asc(orderItems.position), asc(returnItems.id));
  const exchangeIds = rows.map((r) => r.item.exchangeVariantId).filter((id): id is string => !!id);
  const swaps = exchangeIds.length
    ? await tx
        .select({ id: variants.id, sku: variants.sku, options: variants.options, stock: variants.stock, name: products.name })
        .from(variants)
        .innerJoin(products, eq(products.id, variants.productId))
        .where(inArray(variants.id, exchangeIds))
    : [];
  return rows.map(({ item, line }) => {
    const swap = swaps.find((s) => s.id === item.exchangeVariantId);
    return {
      id: item.id,
      orderItemId: line.id,
      sku: line.sku,
      name: line.productName,
      options: line.options,
      variantId: line.variantId,
      quantity: item.quantity,
      unitPrice: line.unitPrice,
      lineQuantity: line.quantity,
      lineTax: line.tax,
      lineDiscount: line.discount,
      refundedQuantity: line.refundedQuantity,
      condition: isReceivedCondition(item.condition) ? item.condition : null,
      exchange: swap ? { variantId: swap.id, sku: swap.sku, name: swap.name, options: swap.options, quantity: item.exchangeQuantity ?? item.quantity, stock: swap.stock } : null,
    };
  });
}

/** Finds a case by id or RMA number (as people type it) without locking. */
export async function findReturnCase(tx: Conn, ref: string): Promise<ReturnCase | undefined> {
  const number = UUID.test(ref) ? undefined : canonicalOrderNumber(ref);
  const where = UUID.test(ref) ? eq(returnCases.id, ref) : number ? eq(returnCases.number, number) : undefined;
  if (!where) return undefined;
  const [row] = await tx.select().from(returnCases).where(where);
  return row;
}

/** The order row, then the case row, locked: returns and order verbs queue on the same lock. */
export async function lockCase(tx: Tx, ref: string): Promise<{ order: Order; rc: ReturnCase }> {
  const found = await findReturnCase(tx, ref);
  if (!found) throw notFound('Return case');
  const [order] = await tx.select().from(orders).where(eq(orders.id, found.orderId)).for('update');
  const [rc] = await tx.select().from(returnCases).where(eq(returnCases.id, found.id)).for('update');
  return { order: order!, rc: rc! };
}

export const typeOf = (rc: ReturnCase): ReturnType => (isReturnType(rc.type) ? rc.type : 'return');
const statusOf = (rc: ReturnCase): ReturnStatus => rc.status as ReturnStatus;

/** The guard: the state table decides, per kind of case; a refusal carries the reason (409). */
export function guard(rc: ReturnCase, to: ReturnStatus): ReturnStatus {
  const from = statusOf(rc);
  const refusal = returnTransitionRefusal(typeOf(rc), from, to);
  if (refusal) throw new DomainError('invalid_transition', `${rc.number}: ${refusal}`, { from, to });
  return from;
}

export const staffIdOf = (a: Actor) => (a.kind === 'staff' ? a.staffId : null);
const actorName = (a: Actor) => (a.kind === 'staff' ? a.email : a.kind === 'system' ? 'the system' : 'the customer');

/** Moves the (locked, guarded) case, writes the order event and the support case's history line. */
export async function move(
  ctx: AppContext,
  tx: Tx,
  order: Order,
  rc: ReturnCase,
  to: ReturnStatus,
  actor: Actor,
  change: { set?: Partial<ReturnCase>; details?: Record<string, unknown>; message: string },
): Promise<ReturnCase> {
  const now = ctx.clock.now();
  const [moved] = await tx
    .update(returnCases)
    .set({ ...change.set, status: to, updatedAt: now })
    .where(eq(returnCases.id, rc.id))
    .returning();
  await appendOrderEvent(tx, {
    orderId: order.id,
    type: 'return',
    actor,
    details: { returnCaseId: rc.id, number: rc.number, returnType: rc.type, from: rc.status, status: to, ...change.details, message: `${rc.number}: ${change.message}` },
    at: now,
  });
  if (rc.supportCaseId) {
    await recordCaseMessage(tx, { caseId: rc.supportCaseId, kind: 'system', body: `${rc.number} ${RETURN_STATES[to].toLowerCase()} by ${actorName(actor)}: ${change.message}`, staffId: staffIdOf(actor), at: now });
  }
  return moved!;
}

/** The email about a case at its current stage (the RMA number only once approved). */
export async function emailCustomer(
  ctx: AppContext,
  tx: Tx,
  template: 'return_approved' | 'return_declined' | 'return_refunded' | 'return_exchanged',
  order: Order,
  rc: ReturnCase,
  items: CaseItem[],
  extra: { reason?: string | null; refund?: RefundInfo | null; trackingUrl?: string; returnLabelUrl?: string } = {},
): Promise<void> {
  const [support] = rc.supportCaseId ? await tx.select({ number: supportCases.number }).from(supportCases).where(eq(supportCases.id, rc.supportCaseId)) : [];
  await enqueueEmail(tx, {
    template,
    to: order.email,
    orderId: order.id,
    ...(rc.supportCaseId ? { caseId: rc.supportCaseId } : {}),
    payload: {
      caseNumber: support?.number ?? rc.number,
      orderNumber: order.number,
      type: typeOf(rc),
      items: items.map((i) => ({ name: itemLabel(i.name, i.options), quantity: i.quantity })),
      reason: extra.reason ?? null,
      // The RMA number marks a parcel coming back: none before approval, none when nothing comes back.
      rmaNumber: template === 'return_declined' || typeOf(rc) === 'refund' ? null : rc.number,
      refund: extra.refund ?? null,
      returnLabelUrl: extra.returnLabelUrl ?? null,
      trackingUrl: extra.trackingUrl ?? trackingUrl(ctx, order.number),
    } satisfies ReturnCasePayload,
  });
}

export function optionalText(value: string | undefined, field: string): string | undefined {
  const text = (value ?? '').trim();
  if (text.length > STAFF_TEXT_MAX) throw validationFailed({ [field]: `Keep it under ${STAFF_TEXT_MAX} characters.` });
  return text || undefined;
}

export const itemsText = (items: CaseItem[]) => items.map((i) => `${i.quantity} × ${i.sku}`).join(', ');
