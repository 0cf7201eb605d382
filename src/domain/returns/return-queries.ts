// Reading after-sales cases: the back-office list by status with counts, one case with
// everything its page shows (items, photos, refund, replacement, what may happen next and
// what a refund would pay), what a customer may still send back from an order, and the
// customer's photos for signed-in staff only.
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { orderEvents, orderItems, orders, products, refunds, returnCases, returnItems, supportCases, variants } from '../../db/schema.ts';
import type { Blob } from '../storage/blob-store.ts';
import type { ImageSize } from '../storage/images.ts';
import { notFound } from '../shared/errors.ts';
import type { Refund } from '../payments/refund-service.ts';
import type { OrderRef } from '../tracking/lookup.ts';
import { maskEmail } from '../tracking/masking.ts';
import type { Order } from '../orders/order-service.ts';
import { caseItems, findReturnCase, type CaseItem, type ReturnCase } from './return-cases.ts';
import { deliveredAt, eligibility, type Eligibility } from './return-eligibility.ts';
import { quoteForCase } from './return-settlement.ts';
import type { RefundQuote } from './return-rules.ts';
import { RETURN_STATUSES, isReturnStatus, isReturnType, nextReturnStates, type ReturnStatus } from './return-states.ts';

/** The list's filters: one state, every case not closed yet ("open"), or all. */
export type ReturnFilter = ReturnStatus | 'open' | 'all';
export const isReturnFilter = (s: unknown): s is ReturnFilter => s === 'open' || s === 'all' || isReturnStatus(s);

export type ReturnSummary = {
  id: string;
  number: string;
  type: string;
  status: ReturnStatus;
  reason: string;
  orderNumber: string;
  customerName: string;
  email: string;
  items: { sku: string; quantity: number }[];
  createdAt: Date;
  updatedAt: Date;
};

export type ReturnList = { items: ReturnSummary[]; total: number; counts: Record<ReturnStatus, number> & { open: number; all: number } };

/** Cases in `status`, oldest first while work is waiting (newest first once closed), with counts per state for the tabs. */
export async function listReturns(conn: Conn, query: { status: ReturnFilter; page: number; limit: number }): Promise<ReturnList> {
  const where: SQL | undefined =
    query.status === 'all' ? undefined : query.status === 'open' ? sql`${returnCases.status} <> 'closed'` : eq(returnCases.status, query.status);
  const page = await conn
    .select({
      id: returnCases.id,
      number: returnCases.number,
      type: returnCases.type,
      status: returnCases.status,
      reason: returnCases.reason,
      orderNumber: orders.number,
      address: orders.shippingAddress,
      email: orders.email,
      createdAt: returnCases.createdAt,
      updatedAt: returnCases.updatedAt,
    })
    .from(returnCases)
    .innerJoin(orders, eq(orders.id, returnCases.orderId))
    .where(where)
    .orderBy(...(query.status === 'closed' ? [desc(returnCases.updatedAt)] : [asc(returnCases.createdAt)]), asc(returnCases.number))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const lines = page.length
    ? await conn
        .select({ caseId: returnItems.returnCaseId, sku: orderItems.sku, quantity: returnItems.quantity })
        .from(returnItems)
        .innerJoin(orderItems, eq(orderItems.id, returnItems.orderItemId))
        .where(inArray(returnItems.returnCaseId, page.map((p) => p.id)))
        .orderBy(asc(orderItems.position))
    : [];
  const perStatus = await conn.select({ status: returnCases.status, n: count() }).from(returnCases).groupBy(returnCases.status);

  const counts = Object.fromEntries(RETURN_STATUSES.map((s) => [s, 0])) as ReturnList['counts'];
  for (const row of perStatus) if (isReturnStatus(row.status)) counts[row.status] = Number(row.n);
  counts.all = RETURN_STATUSES.reduce((n, s) => n + counts[s], 0);
  counts.open = counts.all - counts.closed;
  return {
    items: page.map((p) => {
      const merged = new Map<string, number>();
      for (const l of lines.filter((l) => l.caseId === p.id)) merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.quantity);
      return {
        id: p.id,
        number: p.number,
        type: p.type,
        status: p.status as ReturnStatus,
        reason: p.reason,
        orderNumber: p.orderNumber,
        customerName: p.address.name,
        email: p.email,
        items: [...merged].map(([sku, quantity]) => ({ sku, quantity })),
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
      };
    }),
    total: counts[query.status],
    counts,
  };
}

export type ReturnEvent = { at: Date; actor: string; status: string | null; message: string };

export type ReturnDetail = {
  returnCase: ReturnCase;
  order: Pick<Order, 'id' | 'number' | 'status' | 'email' | 'phone' | 'currency' | 'shipping'> & { customerName: string };
  deliveredAt: Date | null;
  supportCase: { number: string; status: string } | null;
  items: CaseItem[];
  refund: Refund | null;
  replacement: { number: string; status: string } | null;
  /** The moves the case allows now, in table order. */
  next: ReturnStatus[];
  /** What "Refund" would pay now (only while a refund is possible). */
  quote: RefundQuote | null;
  /** This case's lines on the order's timeline, oldest first. */
  events: ReturnEvent[];
};

/** One case, by id or RMA number, with everything the case page and the API show. */
export async function getReturn(ctx: AppContext, ref: string): Promise<ReturnDetail> {
  const rc = await findReturnCase(ctx.db, ref);
  if (!rc) throw notFound('Return case');
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, rc.orderId));
  const [support] = rc.supportCaseId
    ? await ctx.db.select({ number: supportCases.number, status: supportCases.status }).from(supportCases).where(eq(supportCases.id, rc.supportCaseId))
    : [];
  const [refund] = rc.refundId ? await ctx.db.select().from(refunds).where(eq(refunds.id, rc.refundId)) : [];
  const [replacement] = rc.replacementOrderId ? await ctx.db.select({ number: orders.number, status: orders.status }).from(orders).where(eq(orders.id, rc.replacementOrderId)) : [];
  const items = await caseItems(ctx.db, rc.id);
  const next = isReturnType(rc.type) && isReturnStatus(rc.status) ? nextReturnStates(rc.type, rc.status) : [];
  const events = await ctx.db
    .select({ at: orderEvents.createdAt, actor: orderEvents.actor, details: orderEvents.details })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, rc.orderId), eq(orderEvents.type, 'return'), sql`${orderEvents.details}->>'returnCaseId' = ${rc.id}`))
    .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id));
  return {
    returnCase: rc,
    order: {
      id: order!.id,
      number: order!.number,
      status: order!.status,
      email: order!.email,
      phone: order!.phone,
      currency: order!.currency,
      shipping: order!.shipping,
      customerName: order!.shippingAddress.name,
    },
    deliveredAt: (await deliveredAt(ctx.db, rc.orderId)) ?? null,
    supportCase: support ?? null,
    items,
    refund: refund ?? null,
    replacement: replacement ?? null,
    next,
    quote: next.includes('refunded') ? await quoteForCase(ctx, ctx.db, order!, rc, items) : null,
    events: events.map((e) => ({
      at: e.at,
      actor: e.actor,
      status: typeof e.details.status === 'string' ? e.details.status : null,
      message: typeof e.details.message === 'string' ? e.details.message : '',
    })),
  };
}

export type ReturnableLine = {
  sku: string;
  name: string;
  options: Record<string, string>;
  quantity: number;
  unitPrice: number;
  /** Units that can still be asked for: delivered minus those already in a case. */
  returnable: number;
  /** Variants of the same product that could be sent instead (for exchanges). */
  exchangeOptions: { sku: string; label: string; inStock: boolean }[];
};

export type ReturnOptions = { order: { number: string; status: string; currency: string }; eligibility: Eligibility; lines: ReturnableLine[] };

/** What the customer may send back from an order they proved is theirs, and whether they can apply now. */
export async function returnOptions(ctx: AppContext, ref: OrderRef): Promise<ReturnOptions> {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, ref.id));
  if (!order) throw notFound('Order');
  const lines = await ctx.db.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.position));
  const siblings = lines.length
    ? await ctx.db
        .select({ sku: variants.sku, options: variants.options, stock: variants.stock, slug: products.slug, active: products.active })
        .from(variants)
        .innerJoin(products, eq(products.id, variants.productId))
        .where(inArray(products.slug, lines.map((l) => l.productSlug)))
        .orderBy(asc(variants.position))
    : [];
  return {
    order: { number: order.number, status: order.status, currency: order.currency },
    eligibility: eligibility(ctx, order, await deliveredAt(ctx.db, order.id)),
    lines: lines.map((l) => ({
      sku: l.sku,
      name: l.productName,
      options: l.options,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      returnable: Math.max(0, l.quantity - l.returnRequestedQuantity),
      exchangeOptions: siblings
        .filter((v) => v.slug === l.productSlug && (v.active || v.sku === l.sku))
        .map((v) => ({ sku: v.sku, label: Object.values(v.options).join(', ') || l.productName, inStock: v.stock > 0 })),
    })),
  };
}

/** A customer's photo of a case (index into its photos), in `size`; undefined when there is none. */
export async function returnPhoto(ctx: AppContext, ref: string, index: number, size: ImageSize): Promise<Blob | undefined> {
  const rc = await findReturnCase(ctx.db, ref);
  const key = rc?.photos[index];
  if (!key) return undefined;
  return ctx.blobs.get(key.replace(/\/large\.webp$/, `/${size}.webp`));
}

export type ReturnConfirmation = {
  number: string;
  /** The support case number the customer quotes. */
  caseNumber: string;
  type: string;
  /** Where the acknowledgement went, partly hidden like on the tracking page. */
  maskedEmail: string;
  /** Whether other units of the order can still be asked for. */
  moreToReturn: boolean;
};

/** What the confirmation page says about a case just opened; undefined unless it belongs to `order`. */
export async function returnConfirmation(ctx: AppContext, order: OrderRef, ref: string): Promise<ReturnConfirmation | undefined> {
  const rc = await findReturnCase(ctx.db, ref);
  if (!rc || rc.orderId !== order.id) return undefined;
  const [sc] = rc.supportCaseId ? await ctx.db.select({ number: supportCases.number, email: supportCases.email }).from(supportCases).where(eq(supportCases.id, rc.supportCaseId)) : [];
  const options = await returnOptions(ctx, order);
  return {
    number: rc.number,
    caseNumber: sc?.number ?? rc.number,
    type: rc.type,
    maskedEmail: sc ? maskEmail(sc.email) : '',
    moreToReturn: options.eligibility.ok && options.lines.some((l) => l.returnable > 0),
  };
}
