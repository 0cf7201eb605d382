// What a customer sees of their order once they proved it is theirs (lookup or signed link):
// where it is on its way, when processing should finish, the carrier's events, money going
// back, open requests and after-sales cases, the items, and personal data partly hidden.
// Read-only; the sections for requests, returns and cases are filled from their tables as
// those features record rows, so later features only add rendering, not plumbing.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import {
  carrierEvents,
  orderEvents,
  orderItems,
  orderRequests,
  orders,
  refunds,
  returnCases,
  shipments,
  shipmentItems,
  supportCases,
  type Address,
} from '../../db/schema.ts';
import { describeChanges, type StoredChanges } from '../requests/modification.ts';
import { isOrderStatus, type OrderStatus } from '../orders/order-states.ts';
import { carrierCustomerName, carrierTrackingUrl } from '../shipments/carriers.ts';
import { notFound } from '../shared/errors.ts';
import { orderChangeCache } from '../shared/order-change-cache.ts';
import { PROCESSING_STAGES } from './estimate.ts';
import { estimateFor } from './order-estimate.ts';
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
  /** What is in this parcel (empty for parcels handed over before contents were recorded). */
  contents: ParcelLine[];
};
export type ParcelLine = { sku: string; name: string; quantity: number };
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
export type ReturnView = {
  id: string;
  /** The RMA number (written on the parcel once the case is approved). */
  number: string;
  /** The support case the customer was given when applying. */
  caseNumber: string | null;
  type: string;
  status: string;
  reason: string;
  declineReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};
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
  totals: { subtotal: number; shipping: number; tax: number; total: number; /** Off the goods; with discountCode, what the order was discounted by. */ discount: number };
  discountCode: string | null;
  shippingMethod: string;
  customer: { email: string; phone: string; address: MaskedAddress };
  /** A delivered order offers the delivery inspection and "Report a problem". */
  canReportProblem: boolean;
  /** An edit made the order cost more and the difference is not paid yet (edit-payments.ts has the amount). */
  awaitingPayment: boolean;
};

/** Everything the customer may see of one order (call only after the lookup or a signed link proved access). */
export async function trackingView(ctx: AppContext, orderId: string): Promise<TrackingView> {
  const found = await loadTrackedOrder(ctx, orderId);
  if (!found || !isOrderStatus(found.order.status)) throw notFound('Order');
  const { order, items, events, shipments: shipmentRows, refunds: refundRows, requests: requestRows, returns: returnRows, cases: caseRows } = found;
  const status = order.status as OrderStatus;

  const stages = stagesOf(status, order.createdAt, events);
  const entered = [...events].reverse().find((e) => e.to === status)?.at ?? order.createdAt;
  const estimate = (PROCESSING_STAGES as readonly string[]).includes(status) ? await estimateFor(ctx, order.id, status, entered) : undefined;
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
      events: s.events,
      contents: s.contents,
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
      caseNumber: caseRows.find((c) => c.id === r.supportCaseId)?.number ?? null,
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
    items,
    currency: order.currency,
    totals: { subtotal: order.subtotal, shipping: order.shipping, tax: order.tax, total: order.total, discount: order.discount },
    discountCode: order.discountCode,
    shippingMethod: order.shippingMethod,
    customer: { email: maskEmail(order.email), phone: maskPhone(order.phone), address: maskAddress(order.shippingAddress as Address) },
    canReportProblem: status === 'delivered',
    awaitingPayment: order.awaitingPaymentId !== null,
  };
}

// ------------------------------------------------------------------ the one query

/** JSON timestamps arrive as ISO strings. */
type Iso = string;
type TrackedRows = {
  items: { sku: string; name: string; options: Record<string, string>; quantity: number; unitPrice: number; lineTotal: number }[];
  events: { type: string; from: string | null; to: string | null; at: Iso }[];
  shipments: {
    id: string;
    carrier: string;
    trackingNumber: string;
    status: string;
    shippedAt: Iso;
    deliveredAt: Iso | null;
    events: { status: string; location: string; description: string; occurredAt: Iso }[];
    contents: ParcelLine[];
  }[];
  refunds: { amount: number; currency: string; status: string; reason: string; createdAt: Iso }[];
  requests: { id: string; caseId: string | null; type: string; status: string; message: string; changes: unknown; declineReason: string | null; createdAt: Iso; decidedAt: Iso | null }[];
  returns: { id: string; number: string; supportCaseId: string | null; type: string; status: string; reason: string; declineReason: string | null; createdAt: Iso; updatedAt: Iso }[];
  cases: { id: string; number: string; kind: string; status: string; subject: string; createdAt: Iso }[];
};

/** `select coalesce(json_agg(<row> order by …), '[]') from …`: a list as one JSON column. */
const list = <T>(row: SQL, from: SQL) => sql<T>`(select coalesce(json_agg(${row}), '[]'::json) ${from})`;
const date = (iso: Iso) => new Date(iso);
const maybeDate = (iso: Iso | null) => (iso ? new Date(iso) : null);

/**
 * The order and everything under it in one statement (correlated JSON subqueries): the
 * tracking page is read far more often than orders change, and one round trip instead of
 * nine keeps it cheap on both databases.
 */
function trackedOrderStatement(db: Db) {
  return db
    .select({
      order: orders,
      items: list<TrackedRows['items']>(
        sql`json_build_object('sku', ${orderItems.sku}, 'name', ${orderItems.productName}, 'options', ${orderItems.options}, 'quantity', ${orderItems.quantity},
              'unitPrice', ${orderItems.unitPrice}, 'lineTotal', ${orderItems.lineTotal}) order by ${orderItems.position}`,
        sql`from ${orderItems} where ${orderItems.orderId} = ${orders.id}`,
      ),
      events: list<TrackedRows['events']>(
        sql`json_build_object('type', ${orderEvents.type}, 'from', ${orderEvents.fromStatus}, 'to', ${orderEvents.toStatus}, 'at', ${orderEvents.createdAt})
              order by ${orderEvents.createdAt}, ${orderEvents.id}`,
        sql`from ${orderEvents} where ${orderEvents.orderId} = ${orders.id} and not ${orderEvents.internal}`,
      ),
      shipments: list<TrackedRows['shipments']>(
        sql`json_build_object('id', ${shipments.id}, 'carrier', ${shipments.carrier}, 'trackingNumber', ${shipments.trackingNumber}, 'status', ${shipments.status},
              'shippedAt', ${shipments.shippedAt}, 'deliveredAt', ${shipments.deliveredAt},
              'events', ${list(
                sql`json_build_object('status', ${carrierEvents.status}, 'location', ${carrierEvents.location}, 'description', ${carrierEvents.description},
                      'occurredAt', ${carrierEvents.occurredAt}) order by ${carrierEvents.occurredAt}, ${carrierEvents.id}`,
                sql`from ${carrierEvents} where ${carrierEvents.shipmentId} = ${shipments.id}`,
              )},
              'contents', ${list(
                sql`json_build_object('sku', ${orderItems.sku}, 'name', ${orderItems.productName}, 'quantity', ${shipmentItems.quantity}) order by ${orderItems.position}`,
                sql`from ${shipmentItems} join ${orderItems} on ${orderItems.id} = ${shipmentItems.orderItemId} where ${shipmentItems.shipmentId} = ${shipments.id}`,
              )}) order by ${shipments.shippedAt}`,
        sql`from ${shipments} where ${shipments.orderId} = ${orders.id}`,
      ),
      refunds: list<TrackedRows['refunds']>(
        sql`json_build_object('amount', ${refunds.amount}, 'currency', ${refunds.currency}, 'status', ${refunds.status}, 'reason', ${refunds.reason},
              'createdAt', ${refunds.createdAt}) order by ${refunds.createdAt}`,
        sql`from ${refunds} where ${refunds.orderId} = ${orders.id}`,
      ),
      requests: list<TrackedRows['requests']>(
        sql`json_build_object('id', ${orderRequests.id}, 'caseId', ${orderRequests.caseId}, 'type', ${orderRequests.type}, 'status', ${orderRequests.status},
              'message', ${orderRequests.message}, 'changes', ${orderRequests.changes}, 'declineReason', ${orderRequests.declineReason},
              'createdAt', ${orderRequests.createdAt}, 'decidedAt', ${orderRequests.decidedAt}) order by ${orderRequests.createdAt}`,
        sql`from ${orderRequests} where ${orderRequests.orderId} = ${orders.id}`,
      ),
      returns: list<TrackedRows['returns']>(
        sql`json_build_object('id', ${returnCases.id}, 'number', ${returnCases.number}, 'supportCaseId', ${returnCases.supportCaseId}, 'type', ${returnCases.type},
              'status', ${returnCases.status}, 'reason', ${returnCases.reason}, 'declineReason', ${returnCases.declineReason},
              'createdAt', ${returnCases.createdAt}, 'updatedAt', ${returnCases.updatedAt}) order by ${returnCases.createdAt}`,
        sql`from ${returnCases} where ${returnCases.orderId} = ${orders.id}`,
      ),
      cases: list<TrackedRows['cases']>(
        sql`json_build_object('id', ${supportCases.id}, 'number', ${supportCases.number}, 'kind', ${supportCases.kind}, 'status', ${supportCases.status},
              'subject', ${supportCases.subject}, 'createdAt', ${supportCases.createdAt}) order by ${supportCases.createdAt}`,
        sql`from ${supportCases} where ${supportCases.orderId} = ${orders.id}`,
      ),
    })
    .from(orders)
    .where(eq(orders.id, sql.placeholder('orderId')))
    .prepare('tracked_order');
}

// Prepared once per database: PostgreSQL then plans the seven subqueries once per
// connection instead of on every lookup (planning was most of the statement's cost).
const trackedOrderStatements = new WeakMap<Db, ReturnType<typeof trackedOrderStatement>>();

/**
 * What the database holds for one tracked order, kept per instance until the order changes:
 * customers refresh tracking far more often than orders move, and a trigger announces
 * every change to the order or anything under it (see change-bus.ts), on every instance.
 */
type TrackedOrder = Awaited<ReturnType<typeof readTrackedOrder>>;
const trackedOrders = orderChangeCache<TrackedOrder | null>(5000, true);

/** Drops this instance's cached view of an order at once (other instances hear the trigger's NOTIFY). */
export function forgetTrackedOrder(ctx: AppContext, orderId: string): void {
  trackedOrders.peek(ctx)?.delete(orderId);
}

/** The order's row from this instance's cached view, without reading the database (undefined when not cached). */
export function cachedTrackedOrder(ctx: AppContext, orderId: string): NonNullable<TrackedOrder>['order'] | undefined {
  return trackedOrders.peek(ctx)?.get(orderId)?.order;
}

async function loadTrackedOrder(ctx: AppContext, orderId: string) {
  const cache = await trackedOrders.ready(ctx);
  return (await cache.getOrCompute(orderId, async () => (await readTrackedOrder(ctx.db, orderId)) ?? null)) ?? undefined;
}

async function readTrackedOrder(db: Db, orderId: string) {
  let statement = trackedOrderStatements.get(db);
  if (!statement) trackedOrderStatements.set(db, (statement = trackedOrderStatement(db)));
  const [row] = await statement.execute({ orderId });
  if (!row) return undefined;
  return {
    order: row.order,
    items: row.items,
    events: row.events.map((e) => ({ ...e, at: date(e.at) })),
    shipments: row.shipments.map((s) => ({
      ...s,
      shippedAt: date(s.shippedAt),
      deliveredAt: maybeDate(s.deliveredAt),
      events: s.events.map((e) => ({ ...e, occurredAt: date(e.occurredAt) })),
    })),
    refunds: row.refunds.map((r) => ({ ...r, createdAt: date(r.createdAt) })),
    requests: row.requests.map((r) => ({ ...r, createdAt: date(r.createdAt), decidedAt: maybeDate(r.decidedAt) })),
    returns: row.returns.map((r) => ({ ...r, createdAt: date(r.createdAt), updatedAt: date(r.updatedAt) })),
    cases: row.cases.map((c) => ({ ...c, createdAt: date(c.createdAt) })),
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
