// What a customer sees of their order once they proved it is theirs (lookup or signed link):
// where it is on its way, when processing should finish, the carrier's events, money going
// back, open requests and after-sales cases, the items, and personal data partly hidden.
// Read-only; the sections for requests, returns and cases are filled from their tables as
// those features record rows, so later features only add rendering, not plumbing.
import { and, asc, count, eq, gte, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import {
  carrierEvents,
  orderEvents,
  orderItems,
  orderRequests,
  orders,
  refunds,
  returnCases,
  shipments,
  supportCases,
  type Address,
} from '../../db/schema.ts';
import { medianStageDurations } from '../orders/order-queries.ts';
import { describeChanges, type StoredChanges } from '../requests/modification.ts';
import { BEFORE_SHIPPING, isOrderStatus, type OrderStatus } from '../orders/order-states.ts';
import { carrierCustomerName, carrierTrackingUrl } from '../shipments/carriers.ts';
import { notFound } from '../shared/errors.ts';
import { estimateProcessingEnd, PROCESSING_STAGES, type ProcessingStage } from './estimate.ts';
import { maskAddress, maskEmail, maskPhone, type MaskedAddress } from './masking.ts';

/** The progress bar, in order; each stage is reached when the order enters `status`. */
export const TRACKING_STAGES = [
  { name: 'placed', label: 'Order placed', status: 'paid' },
  { name: 'verified', label: 'Verified', status: 'verified' },
  { name: 'preparing', label: 'Preparing', status: 'preparing' },
  { name: 'packed', label: 'Packed', status: 'packed' },
  { name: 'shipped', label: 'Shipped', status: 'shipped' },
  { name: 'delivered', label: 'Delivered', status: 'delivered' },
] as const satisfies readonly { name: string; label: string; status: OrderStatus }[];

export type StageName = (typeof TRACKING_STAGES)[number]['name'] | 'cancelled';
export type StageState = 'done' | 'current' | 'upcoming' | 'cancelled';
export type Stage = { name: StageName; label: string; at?: Date; state: StageState };

/** Where each status sits on the bar; an order on hold is back before verification. */
const STAGE_INDEX: Record<Exclude<OrderStatus, 'cancelled'>, number> = {
  paid: 0,
  on_hold: 0,
  verified: 1,
  preparing: 2,
  packed: 3,
  shipped: 4,
  delivered: 5,
};

export type CarrierEventView = { status: string; location: string; description: string; occurredAt: Date };
export type ShipmentView = {
  id: string;
  /** Stored carrier code (UPS, USPS, FedEx, DHL, other). */
  carrier: string;
  /** How the carrier is named to customers. */
  carrierName: string;
  trackingNumber: string;
  /** The carrier's own tracking page; null for carriers without one. */
  trackingUrl: string | null;
  /** shipped, in_transit, out_for_delivery, delivered, exception */
  status: string;
  shippedAt: Date;
  deliveredAt: Date | null;
  /** Oldest first, by when they happened (not when they reached us). */
  events: CarrierEventView[];
};
export type RefundView = { amount: number; currency: string; status: string; reason: string; createdAt: Date };
export type RequestView = {
  id: string;
  type: string;
  status: string;
  message: string;
  /** What a change request asks for, in words, without the street or name. */
  summary: string[];
  /** The support case of the request: the number the customer quotes. */
  caseNumber: string | null;
  declineReason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
};
export type ReturnView = { id: string; number: string; type: string; status: string; reason: string; declineReason: string | null; createdAt: Date; updatedAt: Date };
export type CaseView = { number: string; kind: string; status: string; subject: string; createdAt: Date };
export type ItemView = { sku: string; name: string; options: Record<string, string>; quantity: number; unitPrice: number; lineTotal: number };

export type TrackingView = {
  id: string;
  number: string;
  status: OrderStatus;
  placedAt: Date;
  stages: Stage[];
  /** When processing should be finished and the parcel handed over; only while in processing. */
  estimate?: { processingEndsAt: Date };
  shipments: ShipmentView[];
  refunds: RefundView[];
  /** Cancellation and change requests. */
  requests: RequestView[];
  /** Return, exchange and refund-only cases. */
  returns: ReturnView[];
  /** Support cases about this order not already shown as a request or return (e.g. delivery problems). */
  cases: CaseView[];
  items: ItemView[];
  currency: string;
  totals: { subtotal: number; shipping: number; tax: number; total: number };
  shippingMethod: string;
  customer: { email: string; phone: string; address: MaskedAddress };
  /** A delivered order offers the delivery inspection and "Report a problem". */
  canReportProblem: boolean;
};

/** Everything the customer may see of one order (call only after the lookup or a signed link proved access). */
export async function trackingView(ctx: AppContext, orderId: string): Promise<TrackingView> {
  const db = ctx.db;
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order || !isOrderStatus(order.status)) throw notFound('Order');
  const status = order.status;

  const [items, events, shipmentRows, refundRows, requestRows, returnRows, caseRows] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.position)),
    db
      .select({ type: orderEvents.type, from: orderEvents.fromStatus, to: orderEvents.toStatus, at: orderEvents.createdAt })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.internal, false)))
      .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id)),
    db.select().from(shipments).where(eq(shipments.orderId, orderId)).orderBy(asc(shipments.shippedAt)),
    db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.createdAt)),
    db.select().from(orderRequests).where(eq(orderRequests.orderId, orderId)).orderBy(asc(orderRequests.createdAt)),
    db.select().from(returnCases).where(eq(returnCases.orderId, orderId)).orderBy(asc(returnCases.createdAt)),
    db.select().from(supportCases).where(eq(supportCases.orderId, orderId)).orderBy(asc(supportCases.createdAt)),
  ]);

  const trackingEvents = shipmentRows.length
    ? await db
        .select()
        .from(carrierEvents)
        .where(inArray(carrierEvents.shipmentId, shipmentRows.map((s) => s.id)))
        .orderBy(asc(carrierEvents.occurredAt), asc(carrierEvents.id))
    : [];

  const stages = stagesOf(status, order.createdAt, events);
  const entered = [...events].reverse().find((e) => e.to === status)?.at ?? order.createdAt;
  const estimate = (PROCESSING_STAGES as readonly string[]).includes(status) ? await estimateFor(ctx, status, entered) : undefined;
  const linkedCases = new Set([...requestRows.map((r) => r.caseId), ...returnRows.map((r) => r.supportCaseId)].filter(Boolean));

  return {
    id: order.id,
    number: order.number,
    status,
    placedAt: order.createdAt,
    stages,
    ...(estimate ? { estimate: { processingEndsAt: estimate } } : {}),
    shipments: shipmentRows.map((s) => ({
      id: s.id,
      carrier: s.carrier,
      carrierName: carrierCustomerName(s.carrier),
      trackingNumber: s.trackingNumber,
      trackingUrl: carrierTrackingUrl(s.carrier, s.trackingNumber),
      status: s.status,
      shippedAt: s.shippedAt,
      deliveredAt: s.deliveredAt,
      events: trackingEvents
        .filter((e) => e.shipmentId === s.id)
        .map((e) => ({ status: e.status, location: e.location, description: e.description, occurredAt: e.occurredAt })),
    })),
    refunds: refundRows.map((r) => ({ amount: r.amount, currency: r.currency, status: r.status, reason: r.reason, createdAt: r.createdAt })),
    requests: requestRows.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      message: r.message,
      summary: describeChanges(r.changes as StoredChanges | null, true),
      caseNumber: caseRows.find((c) => c.id === r.caseId)?.number ?? null,
      declineReason: r.declineReason,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
    })),
    returns: returnRows.map((r) => ({
      id: r.id,
      number: r.number,
      type: r.type,
      status: r.status,
      reason: r.reason,
      declineReason: r.declineReason,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
    cases: caseRows
      .filter((c) => !linkedCases.has(c.id))
      .map((c) => ({ number: c.number, kind: c.kind, status: c.status, subject: c.subject, createdAt: c.createdAt })),
    items: items.map((i) => ({ sku: i.sku, name: i.productName, options: i.options, quantity: i.quantity, unitPrice: i.unitPrice, lineTotal: i.lineTotal })),
    currency: order.currency,
    totals: { subtotal: order.subtotal, shipping: order.shipping, tax: order.tax, total: order.total },
    shippingMethod: order.shippingMethod,
    customer: { email: maskEmail(order.email), phone: maskPhone(order.phone), address: maskAddress(order.shippingAddress as Address) },
    canReportProblem: status === 'delivered',
  };
}

type TimelineEvent = { type: string; from: string | null; to: string | null; at: Date };

/**
 * The progress bar for an order in `status`: stages before the current one are done, the
 * current one is marked (a delivered order is simply done), later ones are upcoming. Each
 * reached stage carries the last time the order entered it. A cancelled order shows the
 * stages it had reached, then "Cancelled".
 */
export function stagesOf(status: OrderStatus, placedAt: Date, events: TimelineEvent[]): Stage[] {
  const enteredAt = (to: string) => [...events].reverse().find((e) => e.to === to)?.at;
  const at = (i: number) => (i === 0 ? (enteredAt('paid') ?? placedAt) : enteredAt(TRACKING_STAGES[i]!.status));
  const stage = (i: number, state: StageState): Stage => {
    const { name, label } = TRACKING_STAGES[i]!;
    const when = state === 'upcoming' ? undefined : at(i);
    return when ? { name, label, at: when, state } : { name, label, state };
  };

  if (status === 'cancelled') {
    const cancelledEvent = [...events].reverse().find((e) => e.to === 'cancelled');
    const from = cancelledEvent?.from;
    const reached = from && isOrderStatus(from) && from !== 'cancelled' ? STAGE_INDEX[from] : 0;
    const done = TRACKING_STAGES.slice(0, reached + 1).map((_, i) => stage(i, 'done'));
    const cancelled: Stage = { name: 'cancelled', label: 'Cancelled', state: 'cancelled', ...(cancelledEvent ? { at: cancelledEvent.at } : {}) };
    return [...done, cancelled];
  }

  const current = STAGE_INDEX[status];
  return TRACKING_STAGES.map((_, i) =>
    stage(i, i < current || (i === current && status === 'delivered') ? 'done' : i === current ? 'current' : 'upcoming'),
  );
}

// ------------------------------------------------------------------ estimate

const DAY_MS = 86_400_000;
/** How far back "recent orders" reach. */
const HISTORY_DAYS = 30;
/** A stage needs this many finished orders before its median is trusted over the default. */
const MIN_SAMPLES = 3;
/** A busy warehouse slows things down, but an estimate more than 3× the usual is no help. */
const MAX_QUEUE_FACTOR = 3;
/** Medians and the queue move slowly: recomputed at most this often per process. */
const STATS_TTL_MS = 5 * 60_000;

type ProcessingStats = { medians: Partial<Record<ProcessingStage, number>>; queueFactor: number };
const statsCache = new WeakMap<AppContext, { until: number; stats: Promise<ProcessingStats> }>();

async function estimateFor(ctx: AppContext, status: OrderStatus, enteredStatusAt: Date): Promise<Date | undefined> {
  const { medians, queueFactor } = await processingStats(ctx);
  return estimateProcessingEnd({ hours: ctx.settings().serviceHours, now: ctx.clock.now(), status, enteredStatusAt, medianStageMillis: medians, queueFactor });
}

/** Medians and queue factor, shared by every tracking view for a few minutes (a failed computation is not kept). */
function processingStats(ctx: AppContext): Promise<ProcessingStats> {
  const now = ctx.clock.now().getTime();
  const cached = statsCache.get(ctx);
  if (cached && cached.until > now) return cached.stats;
  const stats = computeProcessingStats(ctx);
  statsCache.set(ctx, { until: now + STATS_TTL_MS, stats });
  stats.catch(() => statsCache.delete(ctx));
  return stats;
}

/**
 * Working-time medians of each processing stage over the last 30 days, and how much fuller
 * the warehouse is now than usual: the orders waiting now against the average number
 * waiting over those days (Little's law: orders per day × usual time in processing).
 */
export async function computeProcessingStats(ctx: AppContext): Promise<ProcessingStats> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const durations = await medianStageDurations(ctx.db, since, ctx.settings().serviceHours);
  const waitingStates = BEFORE_SHIPPING.filter((s) => s !== 'on_hold');
  const [[waiting], [placed]] = [
    await ctx.db.select({ n: count() }).from(orders).where(inArray(orders.status, [...waitingStates])),
    await ctx.db.select({ n: count() }).from(orders).where(gte(orders.createdAt, since)),
  ];

  const medians: Partial<Record<ProcessingStage, number>> = {};
  let usualWallMs = 0;
  for (const stage of PROCESSING_STAGES) {
    const d = durations[stage];
    if (!d || d.samples < MIN_SAMPLES || d.medianWorkingMs === undefined) continue;
    medians[stage] = d.medianWorkingMs;
    usualWallMs += d.medianMs;
  }
  const usualWaiting = (Number(placed?.n ?? 0) * usualWallMs) / (HISTORY_DAYS * DAY_MS);
  const factor = Number(waiting?.n ?? 0) / Math.max(1, usualWaiting);
  return { medians, queueFactor: Math.min(MAX_QUEUE_FACTOR, Math.max(1, factor)) };
}
