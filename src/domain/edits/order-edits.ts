// Staff editing an order before it ships: preview (old vs new totals, what is refunded),
// then confirm. Confirming runs under the order's row lock, the same lock cancel and the
// handover take, so an edit and a shipment never both happen; stock moves atomically with
// ledger rows; the edit is one order event with the before and after; a smaller total
// refunds the difference once (keyed by the edit). A larger total is refused for now: the
// payment for a difference needs refunds that span several payments (see the note in README).
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { orderEvents, orderItems, orders, payments, products, variants, type Address } from '../../db/schema.ts';
import { changesPaymentUrl, openChangesPayment, withdrawChangesPayment } from './edit-payments.ts';
import { adjustStock } from '../inventory/inventory-service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { OrderRequestPayload } from '../notifications/email-payloads.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { lockOrder, type Order } from '../orders/order-service.ts';
import { processRefundsAfterCommit, refundableAmount, requestRefund, type Refund } from '../payments/refund-service.ts';
import { tooLateFor } from '../requests/request-rules.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { planStaffEdit, type CatalogVariant, type EditLine, type EditPlan, type EditRequest } from './edit-plan.ts';

/** The money before the edit, as the customer paid it. */
export type EditTotals = { subtotal: number; shipping: number; tax: number; total: number };
export type EditPreview = { order: Order; plan: EditPlan; before: EditTotals };
export type EditResult = EditPreview & { refund: Refund | null; repeated: boolean };

async function orderLines(conn: Conn, orderId: string): Promise<(EditLine & { id: string })[]> {
  const rows = await conn
    .select({ item: orderItems, weightGrams: variants.weightGrams })
    .from(orderItems)
    .leftJoin(variants, eq(variants.id, orderItems.variantId))
    .where(eq(orderItems.orderId, orderId))
    .orderBy(orderItems.position);
  return rows.map(({ item: i, weightGrams }) => ({
    id: i.id,
    variantId: i.variantId,
    sku: i.sku,
    productName: i.productName,
    productSlug: i.productSlug,
    options: i.options,
    unitPrice: i.unitPrice,
    quantity: i.quantity,
    taxCategory: i.taxCategory,
    weightGrams,
    discount: i.discount,
  }));
}

/** The variants on sale that the edit names or the order holds, with their current stock. */
async function catalogFor(conn: Conn, skus: string[]): Promise<Map<string, CatalogVariant>> {
  if (skus.length === 0) return new Map();
  const rows = await conn
    .select({
      variantId: variants.id,
      sku: variants.sku,
      productName: products.name,
      productSlug: products.slug,
      options: variants.options,
      unitPrice: variants.price,
      taxCategory: products.taxCategory,
      weightGrams: variants.weightGrams,
      stock: variants.stock,
    })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(inArray(variants.sku, skus), eq(products.active, true)));
  return new Map(rows.map(({ stock, ...v }) => [v.sku, { ...v, available: Math.max(0, stock) }]));
}

async function plan(conn: Conn, ctx: AppContext, order: Order, req: EditRequest): Promise<EditPlan> {
  const late = tooLateFor(order);
  if (late) throw late;
  const lines = await orderLines(conn, order.id);
  const named = (req.items ?? []).map((i) => String(i.sku ?? '').trim().toUpperCase());
  const catalog = await catalogFor(conn, [...new Set([...named, ...lines.map((l) => l.sku)])]);
  // Measured against what was really paid: a difference still awaited from an earlier edit is not money in hand.
  const planned = planStaffEdit(ctx.settings(), { ...order, total: await paidTotal(conn, order) }, lines, catalog, req);
  if (planned.difference > 0 && !COLLECT_IN.includes(order.status)) {
    throw validationFailed(
      {
        items: `With this edit the order would cost ${formatMoney(planned.difference, order.currency)} more than was paid, and it is already being prepared: an edit that costs more can be made until preparation starts. Lower the price with a reason, or place a separate order for the extra items.`,
      },
      'The edit would cost more than was paid.',
    );
  }
  return planned;
}

/** States in which an edit may cost more: the customer pays the difference before the order is prepared. */
const COLLECT_IN: string[] = ['paid', 'verified', 'on_hold'];

/** The order's total less a difference still awaited from an earlier edit. */
async function paidTotal(conn: Conn, order: Order): Promise<number> {
  if (!order.awaitingPaymentId) return order.total;
  const [awaited] = await conn.select({ amount: payments.amount, status: payments.status }).from(payments).where(eq(payments.id, order.awaitingPaymentId));
  return awaited && ['pending', 'open', 'processing'].includes(awaited.status) ? order.total - awaited.amount : order.total;
}

/** What the edit would do, read without locking (the confirmation plans again under the lock). */
export async function previewStaffEdit(ctx: AppContext, number: string, req: EditRequest): Promise<EditPreview> {
  const canonical = canonicalOrderNumber(number);
  const [order] = canonical ? await ctx.db.select().from(orders).where(eq(orders.number, canonical)) : [];
  if (!order) throw notFound('Order');
  return { order, plan: await plan(ctx.db, ctx, order, req), before: totalsOf(order) };
}

const totalsOf = (o: EditTotals): EditTotals => ({ subtotal: o.subtotal, shipping: o.shipping, tax: o.tax, total: o.total });

const validKey = (key: string) => /^[\x21-\x7e]{1,255}$/.test(key);

export async function applyStaffEdit(ctx: AppContext, number: string, req: EditRequest, actor: Actor, idempotencyKey: string): Promise<EditResult> {
  if (!validKey(idempotencyKey)) throw validationFailed({ idempotencyKey: 'Send a key of 1 to 255 visible characters, e.g. a UUID.' });
  const done = await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, number);
    const [earlier] = await tx
      .select({ details: orderEvents.details })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, 'edit'), sql`${orderEvents.details}->>'key' = ${idempotencyKey}`));
    if (earlier) {
      const d = earlier.details;
      return { order, plan: d.plan as EditPlan, before: d.before as EditTotals, refundId: (d.refundId as string | null) ?? null, repeated: true };
    }

    const planned = await plan(tx, ctx, order, req);
    await moveStock(tx, order, planned, actor);
    const updated = await writeLines(tx, ctx, order, planned);

    // A difference awaited from an earlier edit is replaced by this edit's own.
    await withdrawChangesPayment(tx, order);
    const amount = Math.min(-planned.difference, await refundableAmount(tx, order.id));
    const refund =
      amount > 0 ? await requestRefund(tx, { orderId: order.id, amount, reason: 'Order changed by customer service', source: 'modification', idempotencyKey: `edit:${order.id}:${idempotencyKey}` }) : undefined;
    const collect = planned.difference > 0 ? await openChangesPayment(ctx, tx, order, planned.difference, idempotencyKey) : undefined;
    const payUrl = collect ? changesPaymentUrl(ctx, order.number) : undefined;
    const before = { ...totalsOf(order), address: order.shippingAddress };
    const after = { ...totalsOf(planned.totals), address: planned.address };
    const money = (n: number) => formatMoney(n, order.currency);
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'edit',
      actor,
      details: {
        key: idempotencyKey,
        before,
        after,
        changes: planned.changes,
        overrides: planned.overrides,
        refundId: refund?.refund.id ?? null,
        plan: planned,
        collectPaymentId: collect?.id ?? null,
        message: `Edited: ${planned.changes.join('; ')}. Total ${money(order.total)} → ${money(planned.totals.total)}${refund ? `, ${money(refund.refund.amount)} refunded` : ''}${collect ? `; waiting for the customer to pay ${money(collect.amount)} for the changes` : ''}.`,
      },
      at: ctx.clock.now(),
    });
    await enqueueEmail(tx, {
      template: 'order_request_approved',
      to: order.email,
      orderId: order.id,
      payload: {
        orderNumber: order.number,
        requestType: 'modify',
        caseNumber: null,
        reason: [...planned.changes, `New order total: ${money(planned.totals.total)}`].join('\n'),
        trackingUrl: trackingUrl(ctx, order.number),
        refund: refund?.info ?? null,
        payment: collect && payUrl ? { amount: collect.amount, currency: collect.currency, url: payUrl } : null,
      } satisfies OrderRequestPayload,
    });
    return { order: updated, plan: planned, before, refundId: refund?.refund.id ?? null, repeated: false };
  });
  if (done.refundId && !done.repeated) await processRefundsAfterCommit(ctx, [done.refundId]);
  const refund = done.refundId ? ((await ctx.db.query.refunds.findFirst({ where: (r, { eq: is }) => is(r.id, done.refundId!) })) ?? null) : null;
  return { order: done.order, plan: done.plan, before: totalsOf(done.before), refund, repeated: done.repeated };
}

/** Takes or gives back stock for each changed line; a shortfall found now refuses the whole edit. */
async function moveStock(tx: Tx, order: Order, planned: EditPlan, actor: Actor) {
  for (const s of planned.stock) {
    try {
      await adjustStock(tx, { variantId: s.variantId, delta: -s.delta, reason: 'modify', orderId: order.id, staffId: actor.kind === 'staff' ? actor.staffId : undefined, note: `Order ${order.number} edited by customer service` });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'validation_failed') {
        throw new DomainError('conflict', `Not enough ${s.sku} in stock for this edit any more: nothing was changed.`, { sku: s.sku });
      }
      throw err;
    }
  }
}

async function writeLines(tx: Tx, ctx: AppContext, order: Order, planned: EditPlan): Promise<Order> {
  if (planned.removedIds.length) await tx.delete(orderItems).where(inArray(orderItems.id, planned.removedIds));
  for (const [position, l] of planned.lines.entries()) {
    const values = { unitPrice: l.unitPrice, quantity: l.quantity, lineTotal: l.lineTotal, tax: l.tax, discount: l.discount, position };
    if (l.id) await tx.update(orderItems).set(values).where(eq(orderItems.id, l.id));
    else {
      await tx.insert(orderItems).values({
        ...values,
        orderId: order.id,
        variantId: l.variantId,
        sku: l.sku,
        productName: l.productName,
        productSlug: l.productSlug,
        options: l.options,
        taxCategory: l.taxCategory,
      });
    }
  }
  const [updated] = await tx
    .update(orders)
    .set({
      shippingAddress: planned.address as Address,
      subtotal: planned.totals.subtotal,
      discount: planned.totals.discount,
      shipping: planned.totals.shipping,
      tax: planned.totals.tax,
      total: planned.totals.total,
      taxRateBp: planned.totals.taxRateBp,
      shippingTax: planned.totals.shippingTax,
      taxBreakdown: planned.totals.jurisdictions,
      updatedAt: ctx.clock.now(),
    })
    .where(eq(orders.id, order.id))
    .returning();
  return updated!;
}
