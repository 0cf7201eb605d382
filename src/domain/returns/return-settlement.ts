// Settling a case: the refund (with what it would pay, for the case page too), the replacement
// order of an exchange, and closing the case once nothing more is to be done.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { orderEvents, orderItems, orders, products, refunds, variants } from '../../db/schema.ts';
import { adjustStock } from '../inventory/inventory-service.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import type { Order } from '../orders/order-service.ts';
import { processRefundsAfterCommit, refundableAmount, requestRefund, type Refund } from '../payments/refund-service.ts';
import { DomainError } from '../shared/errors.ts';
import { readableNumber } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import { resolveCase } from '../support/support-service.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { caseItems, emailCustomer, guard, itemLabel, lockCase, move, staffIdOf, typeOf, type CaseItem, type ReturnCase } from './return-cases.ts';
import { quoteRefund, refundPolicy, type RefundQuote } from './return-rules.ts';
import { RETURN_TYPES } from './return-states.ts';

/** What refunding the case would pay now, and how it is made up; call with the order row locked (or to preview). */
export async function quoteForCase(ctx: AppContext, tx: Conn, order: Order, rc: ReturnCase, items: CaseItem[]): Promise<RefundQuote> {
  // What earlier refunded cases gave back: whether shipping went already, and how much tax.
  const [earlier] = await tx
    .select({
      shippingBack: sql<boolean>`coalesce(bool_or(coalesce((${orderEvents.details}->>'shipping')::int, 0) > 0), false)`,
      taxBack: sql<number>`coalesce(sum((${orderEvents.details}->>'tax')::int), 0)::int`,
    })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, 'return'), sql`${orderEvents.details} ? 'refundId'`));
  const policy = refundPolicy(ctx.settings(), rc.reason, order, earlier?.shippingBack ?? false);
  return quoteRefund(
    items.map((i) => ({ sku: i.sku, unitPrice: i.unitPrice, quantity: i.quantity, lineQuantity: i.lineQuantity, lineTax: i.lineTax, lineDiscount: i.lineDiscount, refundedBefore: i.refundedQuantity })),
    policy,
    { jurisdictions: order.taxBreakdown, refundedBefore: earlier?.taxBack ?? 0 },
  );
}

export type ReturnRefund = { returnCase: ReturnCase; refund: Refund | null; quote: RefundQuote | null; repeated: boolean };

/**
 * received → refunded (return), or approved → refunded (refund only): the units' prices and
 * tax share, shipping by policy, less a restocking fee. One refund per case, keyed
 * `return:<case id>`: a repeated call answers with the refund already made.
 */
export async function refundReturn(ctx: AppContext, ref: string, actor: Actor): Promise<ReturnRefund> {
  const done = await ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    if (rc.refundId) return { rc, refundId: rc.refundId, quote: null, repeated: true };
    guard(rc, 'refunded');
    const items = await caseItems(tx, rc.id);
    const quote = await quoteForCase(ctx, tx, order, rc, items);
    // Whatever is left on the payment bounds the refund (earlier refunds may have taken part of it).
    const amount = Math.min(quote.amount, await refundableAmount(tx, order.id));
    const requested =
      amount > 0
        ? await requestRefund(tx, { orderId: order.id, amount, reason: `${RETURN_TYPES[typeOf(rc)]} ${rc.number}`, source: 'return', sourceId: rc.id, idempotencyKey: `return:${rc.id}` })
        : undefined;
    for (const item of items) {
      const [counted] = await tx
        .update(orderItems)
        .set({ refundedQuantity: sql`${orderItems.refundedQuantity} + ${item.quantity}` })
        .where(and(eq(orderItems.id, item.orderItemId), sql`${orderItems.refundedQuantity} + ${item.quantity} <= ${orderItems.quantity}`))
        .returning({ id: orderItems.id });
      if (!counted) throw new DomainError('conflict', `Every unit of ${item.sku} has already been refunded.`, { sku: item.sku });
    }
    const money = (n: number) => formatMoney(n, order.currency);
    const made = [`${money(quote.goods)} goods`, `${money(quote.tax)} tax`, quote.shipping ? `${money(quote.shipping)} shipping` : '', quote.fee ? `less ${money(quote.fee)} restocking fee` : '']
      .filter(Boolean)
      .join(', ');
    const moved = await move(ctx, tx, order, rc, 'refunded', actor, {
      set: { refundId: requested?.refund.id ?? null },
      details: { refundId: requested?.refund.id ?? null, amount, goods: quote.goods, tax: quote.tax, shipping: quote.shipping, fee: quote.fee, jurisdictions: quote.jurisdictions },
      message: `refund of ${money(amount)} requested (${made})`,
    });
    await emailCustomer(ctx, tx, 'return_refunded', order, moved, items, { refund: requested?.info ?? null });
    return { rc: moved, refundId: requested?.refund.id ?? null, quote, repeated: false };
  });
  // Sent after commit; a provider problem leaves the refund pending for the retrier, never undoes the case.
  if (done.refundId) await processRefundsAfterCommit(ctx, [done.refundId]);
  const [refund] = done.refundId ? await ctx.db.select().from(refunds).where(eq(refunds.id, done.refundId)) : [];
  return { returnCase: done.rc, refund: refund ?? null, quote: done.quote, repeated: done.repeated };
}

export type ReturnExchange = { returnCase: ReturnCase; replacement: { id: string; number: string } };

/**
 * received → exchanged: a replacement order at no charge (status paid) for the chosen
 * variants, with their stock taken now, so it goes through verification, preparation,
 * packing and shipping like any order. 409 naming the SKU when the stock is short.
 */
export async function exchangeReturn(ctx: AppContext, ref: string, actor: Actor): Promise<ReturnExchange> {
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'exchanged');
    const items = await caseItems(tx, rc.id);
    const wanted = new Map<string, NonNullable<CaseItem['exchange']>>();
    for (const i of items) {
      if (!i.exchange) continue;
      const seen = wanted.get(i.exchange.variantId);
      wanted.set(i.exchange.variantId, seen ? { ...seen, quantity: seen.quantity + i.exchange.quantity } : { ...i.exchange });
    }
    if (!wanted.size) throw new DomainError('conflict', `${rc.number} names no replacement to send.`);

    const now = ctx.clock.now();
    const [replacement] = await tx
      .insert(orders)
      .values({
        number: readableNumber(ctx.settings().orderNumberPrefix),
        status: 'paid',
        email: order.email,
        phone: order.phone,
        shippingAddress: order.shippingAddress,
        shippingMethod: order.shippingMethod,
        currency: order.currency,
        subtotal: 0,
        shipping: 0,
        tax: 0,
        total: 0,
        taxRateBp: 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const swaps = [...wanted.values()];
    const slugs = await tx
      .select({ id: variants.id, slug: products.slug })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(inArray(variants.id, swaps.map((s) => s.variantId)));
    await tx.insert(orderItems).values(
      swaps.map((s, position) => ({
        orderId: replacement!.id,
        variantId: s.variantId,
        sku: s.sku,
        productName: s.name,
        productSlug: slugs.find((x) => x.id === s.variantId)?.slug ?? '',
        options: s.options,
        unitPrice: 0,
        quantity: s.quantity,
        lineTotal: 0,
        tax: 0,
        position,
      })),
    );
    for (const s of swaps) {
      try {
        await adjustStock(tx, { variantId: s.variantId, delta: -s.quantity, reason: 'exchange', orderId: replacement!.id, staffId: staffIdOf(actor), note: `Replacement for ${rc.number}` });
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'validation_failed')) throw err;
        const [v] = await tx.select({ stock: variants.stock }).from(variants).where(eq(variants.id, s.variantId));
        throw new DomainError(
          'out_of_stock',
          `Only ${v?.stock ?? 0} of ${s.sku} (${itemLabel(s.name, s.options)}) in stock, ${s.quantity} needed: restock it before sending the replacement, or settle the case another way.`,
          { sku: s.sku, available: v?.stock ?? 0 },
        );
      }
    }
    await appendOrderEvent(tx, {
      orderId: replacement!.id,
      // Not "placed": staff must see at once that this order is a replacement, not a sale.
      type: 'exchange',
      actor,
      to: 'paid',
      details: { exchangeFor: rc.number, returnCaseId: rc.id, originalOrder: order.number, message: `Exchange for ${rc.number} (order ${order.number}): replacement at no charge` },
      at: now,
    });
    const moved = await move(ctx, tx, order, rc, 'exchanged', actor, {
      set: { replacementOrderId: replacement!.id },
      details: { replacementOrder: replacement!.number },
      message: `replacement order ${replacement!.number} created (${swaps.map((s) => `${s.quantity} × ${s.sku}`).join(', ')})`,
    });
    await emailCustomer(ctx, tx, 'return_exchanged', order, moved, items, { trackingUrl: trackingUrl(ctx, replacement!.number) });
    return { returnCase: moved, replacement: { id: replacement!.id, number: replacement!.number } };
  });
}

/** refunded | exchanged | declined → closed: nothing more to do; the support case is resolved. */
export async function closeReturn(ctx: AppContext, ref: string, actor: Actor): Promise<ReturnCase> {
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'closed');
    const moved = await move(ctx, tx, order, rc, 'closed', actor, { message: 'closed' });
    if (rc.supportCaseId) await resolveCase(ctx, tx, rc.supportCaseId);
    return moved;
  });
}
