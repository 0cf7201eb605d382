// The order verbs: what staff (and the system) do to an order. Each verb is one
// transaction: lock the order row, ask the state table whether the move is allowed now
// (a refusal is a 409 with the reason), run the effects, append an order event and queue
// the customer's email in the same transaction. Two staff acting at once cannot both
// succeed: the second waits for the lock, then sees the new state and is refused.
//
// Every verb takes an optional `{ tx }` so another domain (a customer's cancellation
// request, a carrier's delivered event) can make the change inside its own transaction.
// Then the caller processes the returned refund after its commit; without `tx` the verb
// does that itself.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { orderItems, orders, shipments, stockLedger, variants } from '../../db/schema.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { announceChange } from '../shared/change-bus.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { OrderCancelledPayload, OrderDeliveredPayload, OrderShippedPayload } from '../notifications/email-payloads.ts';
import { withdrawChangesPayment } from '../edits/edit-payments.ts';
import { processRefundsAfterCommit, refundableAmount, requestRefund, type RequestedRefund } from '../payments/refund-service.ts';
import { captureOrderPayments } from '../payments/capture-service.ts';
import {
  carrierCustomerName,
  carrierTrackingUrl,
  isCarrier,
  normalizeTrackingNumber,
  trackingNumberProblem,
  type Carrier,
} from '../shipments/carriers.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { recordShipmentContents } from '../shipments/shipment-contents.ts';
import { requestLabelVoids, takeLabelForShipment } from '../shipments/label-records.ts';
import type { LabelItem } from '../../db/schema.ts';
import { appendOrderEvent, type Actor } from './order-events.ts';
import { canonicalOrderNumber } from './order-number.ts';
import { isOrderStatus, ORDER_STATES, transitionRefusal, type OrderStatus } from './order-states.ts';

export type Order = typeof orders.$inferSelect;
export type Shipment = typeof shipments.$inferSelect;

/** What a verb did: the order as it is now, where it came from, and what it created. */
export type OrderChange = {
  order: Order;
  from: OrderStatus;
  shipment?: Shipment;
  /** A refund requested by the change (cancellation); processed after commit. */
  refund?: RequestedRefund;
};

export type VerbOptions = { tx?: Tx };
/** `items`: the order lines and units in this parcel; without them it carries a bought label's contents, or everything not shipped yet. */
export type ShipmentInput = { carrier: string; trackingNumber: string; items?: LabelItem[] };
type Parcel = { carrier: Carrier; trackingNumber: string; items?: LabelItem[] };
export type ReasonInput = { reason: string };

/** Fields the API and the order page may send with a transition. */
export type TransitionFields = { carrier?: string; trackingNumber?: string; reason?: string };

const REASON_MAX = 500;

// ------------------------------------------------------------------ plumbing

/** Runs `step` on the locked order, in the caller's transaction or a new one; processes refunds after a commit of our own. */
async function change(
  ctx: AppContext,
  number: string,
  opts: VerbOptions,
  step: (tx: Tx, order: Order) => Promise<OrderChange>,
): Promise<OrderChange> {
  const run = async (tx: Tx) => step(tx, await lockOrder(tx, number));
  if (opts.tx) return run(opts.tx);
  const result = await ctx.db.transaction(run);
  if (result.refund) await processRefundsAfterCommit(ctx, [result.refund.refund.id]);
  // Handed to the carrier: a payment only authorized at checkout is captured now (the reconciler retries a failure).
  if (result.order.status === 'shipped' && result.from !== 'shipped') await captureOrderPayments(ctx, result.order.id, { kind: 'system', name: 'payments' });
  return result;
}

/** The order row, locked until the transaction ends. Accepts the number as people type it. */
export async function lockOrder(tx: Tx, number: string): Promise<Order> {
  const canonical = canonicalOrderNumber(number);
  const [order] = canonical ? await tx.select().from(orders).where(eq(orders.number, canonical)).for('update') : [];
  if (!order) throw notFound('Order');
  return order;
}

function statusOf(order: Order): OrderStatus {
  if (!isOrderStatus(order.status)) throw new Error(`Order ${order.number} has an unknown status "${order.status}"`);
  return order.status;
}

/** The guard: the state table decides; a refusal carries the reason for the person who asked. */
function guard(order: Order, to: OrderStatus): OrderStatus {
  const from = statusOf(order);
  const refusal = transitionRefusal(from, to);
  if (refusal) throw new DomainError('invalid_transition', refusal, { from, to });
  // An edit made it cost more: nothing is prepared for goods the customer has not paid for.
  if (order.awaitingPaymentId && (to === 'preparing' || to === 'packed' || to === 'shipped')) {
    throw new DomainError('conflict', `Order ${order.number} is awaiting the customer's payment for its changes: it can be prepared once that is paid (or the edit is undone).`, { from, to });
  }
  return from;
}

/** Moves the (locked, guarded) order to `to` and writes the timeline event. */
async function moveTo(
  ctx: AppContext,
  tx: Tx,
  order: Order,
  from: OrderStatus,
  to: OrderStatus,
  actor: Actor,
  details: Record<string, unknown> = {},
  set: Partial<Pick<Order, 'holdReason'>> = {},
): Promise<Order> {
  const now = ctx.clock.now();
  const [updated] = await tx
    .update(orders)
    .set({ status: to, updatedAt: now, ...set })
    .where(eq(orders.id, order.id))
    .returning();
  await appendOrderEvent(tx, { orderId: order.id, type: 'transition', actor, from, to, details, at: now });
  return updated!;
}

function requiredReason(input: Partial<ReasonInput> | undefined, what: string): string {
  const reason = (input?.reason ?? '').trim();
  if (!reason) throw validationFailed({ reason: `Say why ${what}.` });
  if (reason.length > REASON_MAX) throw validationFailed({ reason: `Keep the reason under ${REASON_MAX} characters.` });
  return reason;
}

/** Validates carrier and tracking number (422 naming the field); returns them normalised. */
function parseShipmentInput(input: Partial<ShipmentInput> | undefined): Parcel {
  const errors: Record<string, string> = {};
  const carrier = input?.carrier;
  const trackingNumber = normalizeTrackingNumber(input?.trackingNumber ?? '');
  if (!isCarrier(carrier)) errors.carrier = 'Choose the carrier: UPS, USPS, FedEx, DHL or other.';
  const problem = isCarrier(carrier) ? trackingNumberProblem(carrier, trackingNumber) : trackingNumber ? undefined : 'Enter the tracking number from the label.';
  if (problem) errors.trackingNumber = problem;
  if (Object.keys(errors).length) throw validationFailed(errors, 'The carrier and tracking number are needed to hand the order over.');
  return { carrier: carrier as Carrier, trackingNumber, items: input?.items };
}

// ------------------------------------------------------------------ verbs

/** paid (or on_hold) → verified: staff checked address, contact and payment. */
export async function verify(ctx: AppContext, number: string, actor: Actor, opts: VerbOptions = {}): Promise<OrderChange> {
  return change(ctx, number, opts, async (tx, order) => {
    const from = guard(order, 'verified');
    const details = from === 'on_hold' ? { resumedFromHold: order.holdReason } : {};
    return { from, order: await moveTo(ctx, tx, order, from, 'verified', actor, details, { holdReason: null }) };
  });
}

/** on_hold → verified, and only from on_hold: the problem that held the order is solved. */
export async function resumeVerification(ctx: AppContext, number: string, actor: Actor, opts: VerbOptions = {}): Promise<OrderChange> {
  return change(ctx, number, opts, async (tx, order) => {
    if (order.status !== 'on_hold') {
      throw new DomainError('invalid_transition', `Only an order on hold can be resumed; this one is ${ORDER_STATES[statusOf(order)].toLowerCase()}.`, {
        from: order.status,
        to: 'verified',
      });
    }
    const from = guard(order, 'verified');
    return { from, order: await moveTo(ctx, tx, order, from, 'verified', actor, { resumedFromHold: order.holdReason }, { holdReason: null }) };
  });
}

/** paid | verified | packed → on_hold, with the reason staff must fix before verifying. */
export async function putOnHold(ctx: AppContext, number: string, actor: Actor, input: ReasonInput, opts: VerbOptions = {}): Promise<OrderChange> {
  const reason = requiredReason(input, 'the order is on hold');
  return change(ctx, number, opts, async (tx, order) => {
    const from = guard(order, 'on_hold');
    return { from, order: await moveTo(ctx, tx, order, from, 'on_hold', actor, { reason }, { holdReason: reason }) };
  });
}

/** verified → preparing: picking starts (the pick list is printed). */
export async function startPreparing(ctx: AppContext, number: string, actor: Actor, opts: VerbOptions = {}): Promise<OrderChange> {
  return change(ctx, number, opts, async (tx, order) => {
    const from = guard(order, 'preparing');
    return { from, order: await moveTo(ctx, tx, order, from, 'preparing', actor) };
  });
}

/** preparing → packed: the parcel is packed and labelled (the packing slip goes in). */
export async function markPacked(ctx: AppContext, number: string, actor: Actor, opts: VerbOptions = {}): Promise<OrderChange> {
  return change(ctx, number, opts, async (tx, order) => {
    const from = guard(order, 'packed');
    return { from, order: await moveTo(ctx, tx, order, from, 'packed', actor) };
  });
}

/** packed → shipped: the parcel is handed to a carrier; records the shipment and tells the customer. */
export async function ship(ctx: AppContext, number: string, actor: Actor, input: ShipmentInput, opts: VerbOptions = {}): Promise<OrderChange> {
  const parcel = parseShipmentInput(input);
  return change(ctx, number, opts, (tx, order) => handOver(ctx, tx, order, actor, parcel));
}

async function handOver(ctx: AppContext, tx: Tx, order: Order, actor: Actor, parcel: Parcel): Promise<OrderChange> {
  const from = guard(order, 'shipped');
  const shipment = await recordShipment(ctx, tx, order, actor, parcel);
  const moved = await moveTo(ctx, tx, order, from, 'shipped', actor, { shipmentId: shipment.id, carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
  return { from, order: moved, shipment };
}

/**
 * One more parcel for an order that ships in several. While the order is packed this is the
 * handover itself (packed → shipped); once shipped it adds a shipment without a state change.
 */
export async function addShipment(ctx: AppContext, number: string, actor: Actor, input: ShipmentInput, opts: VerbOptions = {}): Promise<OrderChange> {
  const parcel = parseShipmentInput(input);
  return change(ctx, number, opts, async (tx, order) => {
    const from = statusOf(order);
    if (from === 'packed') return handOver(ctx, tx, order, actor, parcel);
    if (from !== 'shipped') {
      throw new DomainError('invalid_transition', `A shipment can be added once the order is packed or shipped; this one is ${ORDER_STATES[from].toLowerCase()}.`, {
        from,
        to: 'shipped',
      });
    }
    const shipment = await recordShipment(ctx, tx, order, actor, parcel);
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'shipment',
      actor,
      details: { shipmentId: shipment.id, carrier: parcel.carrier, trackingNumber: parcel.trackingNumber },
      at: ctx.clock.now(),
    });
    return { from, order, shipment };
  });
}

async function recordShipment(ctx: AppContext, tx: Tx, order: Order, actor: Actor, parcel: Parcel): Promise<Shipment> {
  const [same] = await tx
    .select({ id: shipments.id })
    .from(shipments)
    .where(and(eq(shipments.orderId, order.id), eq(shipments.carrier, parcel.carrier), eq(shipments.trackingNumber, parcel.trackingNumber)));
  // A form sent twice must not create two parcels with one label.
  if (same) throw new DomainError('conflict', `${parcel.carrier} ${parcel.trackingNumber} is already recorded for this order.`);
  const [shipment] = await tx
    .insert(shipments)
    .values({
      orderId: order.id,
      carrier: parcel.carrier,
      trackingNumber: parcel.trackingNumber,
      status: 'shipped',
      staffId: actor.kind === 'staff' ? actor.staffId : null,
      shippedAt: ctx.clock.now(),
    })
    .returning();
  // A label bought for this parcel says what is in it, unless staff listed the contents themselves.
  const labelItems = await takeLabelForShipment(tx, order.id, parcel.trackingNumber, shipment!.id);
  await recordShipmentContents(tx, order.id, shipment!.id, parcel.items ?? labelItems);
  await enqueueEmail(tx, {
    template: 'order_shipped',
    to: order.email,
    orderId: order.id,
    payload: {
      orderNumber: order.number,
      carrier: carrierCustomerName(parcel.carrier),
      trackingNumber: parcel.trackingNumber,
      carrierTrackingUrl: carrierTrackingUrl(parcel.carrier, parcel.trackingNumber),
      trackingUrl: trackingUrl(ctx, order.number),
    } satisfies OrderShippedPayload,
  });
  return shipment!;
}

/**
 * shipped → delivered, for carriers that send no tracking events (or when staff know
 * better): every open shipment is marked delivered and the customer is asked to check the parcel.
 */
export async function markDelivered(ctx: AppContext, number: string, actor: Actor, opts: VerbOptions = {}): Promise<OrderChange> {
  return change(ctx, number, opts, async (tx, order) => {
    const from = guard(order, 'delivered');
    const now = ctx.clock.now();
    const delivered = await tx
      .update(shipments)
      .set({ status: 'delivered', deliveredAt: now })
      .where(and(eq(shipments.orderId, order.id), ne(shipments.status, 'delivered')))
      .returning({ id: shipments.id });
    const moved = await moveTo(ctx, tx, order, from, 'delivered', actor, { shipmentIds: delivered.map((s) => s.id) });
    await enqueueEmail(tx, {
      template: 'order_delivered',
      to: order.email,
      orderId: order.id,
      payload: { orderNumber: order.number, trackingUrl: trackingUrl(ctx, order.number), reportProblemUrl: `${trackingUrl(ctx, order.number)}#report` } satisfies OrderDeliveredPayload,
    });
    return { from, order: moved };
  });
}

/**
 * Any state before shipped → cancelled: the stock goes back on the shelf (stock ledger,
 * reason "cancel"), whatever is left of the payment is refunded, and the customer is told.
 */
export async function cancel(ctx: AppContext, number: string, actor: Actor, input: ReasonInput, opts: VerbOptions = {}): Promise<OrderChange> {
  const reason = requiredReason(input, 'the order is cancelled');
  return change(ctx, number, opts, async (tx, order) => {
    const from = guard(order, 'cancelled');
    await returnStock(tx, order, actor, ctx.clock.now());
    await withdrawChangesPayment(tx, order);
    // Postage bought for a parcel that will never leave is asked back after commit (outbox).
    await requestLabelVoids(tx, order.id);
    const left = await refundableAmount(tx, order.id);
    const refund =
      left > 0
        ? await requestRefund(tx, { orderId: order.id, amount: left, reason: 'Order cancelled', source: 'cancellation', sourceId: order.id, idempotencyKey: `cancel:${order.id}` })
        : undefined;
    const moved = await moveTo(ctx, tx, order, from, 'cancelled', actor, { reason, refundId: refund?.refund.id ?? null }, { holdReason: null });
    await enqueueEmail(tx, {
      template: 'order_cancelled',
      to: order.email,
      orderId: order.id,
      payload: { orderNumber: order.number, trackingUrl: trackingUrl(ctx, order.number), refund: refund?.info ?? null } satisfies OrderCancelledPayload,
    });
    return { from, order: moved, refund };
  });
}

/** Puts every unit of the order back into stock in one statement per line, with a ledger row each. */
async function returnStock(tx: Tx, order: Order, actor: Actor, now: Date): Promise<void> {
  const items = await tx.select().from(orderItems).where(eq(orderItems.orderId, order.id));
  for (const item of items) {
    // A variant deleted since the sale has no shelf to return to.
    if (!item.variantId || item.quantity <= 0) continue;
    const [v] = await tx
      .update(variants)
      .set({ stock: sql`${variants.stock} + ${item.quantity}` })
      .where(eq(variants.id, item.variantId))
      .returning({ stock: variants.stock });
    if (!v) continue;
    await tx.insert(stockLedger).values({
      variantId: item.variantId,
      delta: item.quantity,
      stockAfter: v.stock,
      reason: 'cancel',
      note: `Order ${order.number} cancelled`,
      staffId: actor.kind === 'staff' ? actor.staffId : null,
      orderId: order.id,
      createdAt: now,
    });
  }
  await announceChange(tx, 'catalog');
}

/** The API's one entry point: the target state names the verb; missing fields are a 422. */
export async function transitionOrder(
  ctx: AppContext,
  number: string,
  to: Exclude<OrderStatus, 'paid'>,
  actor: Actor,
  fields: TransitionFields = {},
  opts: VerbOptions = {},
): Promise<OrderChange> {
  switch (to) {
    case 'verified':
      return verify(ctx, number, actor, opts);
    case 'on_hold':
      return putOnHold(ctx, number, actor, { reason: fields.reason ?? '' }, opts);
    case 'preparing':
      return startPreparing(ctx, number, actor, opts);
    case 'packed':
      return markPacked(ctx, number, actor, opts);
    case 'shipped':
      return ship(ctx, number, actor, { carrier: fields.carrier ?? '', trackingNumber: fields.trackingNumber ?? '' }, opts);
    case 'delivered':
      return markDelivered(ctx, number, actor, opts);
    case 'cancelled':
      return cancel(ctx, number, actor, { reason: fields.reason ?? '' }, opts);
  }
}

const NOTE_MAX = 2000;

/** An internal note on the order's timeline: staff only, never shown to the customer. */
export async function addNote(ctx: AppContext, number: string, actor: Actor, text: string): Promise<void> {
  const body = text.trim();
  if (!body) throw validationFailed({ text: 'Write the note first.' });
  if (body.length > NOTE_MAX) throw validationFailed({ text: `Keep notes under ${NOTE_MAX} characters.` });
  await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, number);
    await appendOrderEvent(tx, { orderId: order.id, type: 'note', actor, internal: true, details: { text: body }, at: ctx.clock.now() });
  });
}
