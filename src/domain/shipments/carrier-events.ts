// What carriers tell us about parcels (by signed webhook) and what staff learn by phone and
// enter by hand. Each event is stored once per shipment (the carrier's event id, or a hash
// of the event when it has none), kept even when it arrives late or out of order, and shown
// by when it happened. The shipment's status follows its latest event in time; a delivered
// event for the order's last open parcel delivers the order through the order service's
// own verb (guard, timeline event and the customer's "check your parcel" email included).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { carrierEvents, orders, shipments } from '../../db/schema.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { lockOrder, markDelivered } from '../orders/order-service.ts';
import type { OrderStatus } from '../orders/order-states.ts';
import { DomainError, notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { sha256 } from '../shared/ids.ts';
import { CARRIERS, normalizeTrackingNumber, type Carrier } from './carriers.ts';
import { unitsLeftToShip } from './shipment-contents.ts';

/** What a carrier can report after the handover. */
export const CARRIER_EVENT_STATUSES = ['in_transit', 'out_for_delivery', 'delivered', 'exception'] as const;
export type CarrierEventStatus = (typeof CARRIER_EVENT_STATUSES)[number];

/** Words for staff and customers. */
export const CARRIER_EVENT_LABELS: Record<CarrierEventStatus | 'shipped', string> = {
  shipped: 'Handed to the carrier',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Delivery problem',
};

export const isCarrierEventStatus = (s: unknown): s is CarrierEventStatus => typeof s === 'string' && (CARRIER_EVENT_STATUSES as readonly string[]).includes(s);

export const LOCATION_MAX = 200;
export const DESCRIPTION_MAX = 500;
export const EVENT_ID_MAX = 200;
/** Carrier clocks drift a little; an event dated further ahead than this is a mistake. */
const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

export type CarrierEventFields = {
  status: string;
  occurredAt: Date;
  location?: string;
  description?: string;
};

export type CarrierEventInput = CarrierEventFields & {
  carrier: string;
  trackingNumber: string;
  /** The carrier's own id for the event; without one, the event's content identifies it. */
  eventId?: string;
  source: 'carrier' | 'staff';
  /** Who entered it by hand; carrier events are recorded by the system. */
  actor?: Actor;
};

export type CarrierEventResult = {
  /** False when this event was already recorded (a retry or a duplicate). */
  recorded: boolean;
  orderNumber: string;
  shipmentId: string;
  shipmentStatus: string;
  orderStatus: OrderStatus;
  /** True when this event delivered the order (its last open parcel arrived). */
  deliveredOrder: boolean;
};

const CARRIER_ACTOR: Actor = { kind: 'system', name: 'carrier' };

/** The carrier as stored, from a URL segment in any case ("ups" → "UPS"). */
export const carrierFromSlug = (slug: string): Carrier | undefined => CARRIERS.find((c) => c.toLowerCase() === slug.toLowerCase());

/**
 * Checks `X-Casanova-Signature: sha256=<hex>`: HMAC-SHA256 of the exact bytes received,
 * keyed with CARRIER_WEBHOOK_SECRET, compared in constant time.
 */
export function verifyCarrierSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected);
}

/** The header value a carrier (or a test) sends for `rawBody`. */
export const signCarrierBody = (secret: string, rawBody: string | Buffer) => `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;

/** An event from the carrier's webhook, found by carrier and tracking number. Unknown parcel → not_found. */
export async function recordCarrierEvent(ctx: AppContext, input: CarrierEventInput): Promise<CarrierEventResult> {
  const fields = checkFields(ctx, input);
  const carrier = carrierFromSlug(input.carrier);
  const trackingNumber = normalizeTrackingNumber(input.trackingNumber ?? '');
  if (input.eventId !== undefined && (input.eventId.length === 0 || input.eventId.length > EVENT_ID_MAX)) {
    throw validationFailed({ eventId: `Send an event id of 1–${EVENT_ID_MAX} characters, or none.` });
  }
  return ctx.db.transaction(async (tx) => {
    const [target] = carrier
      ? await tx
          .select({ id: shipments.id, number: orders.number })
          .from(shipments)
          .innerJoin(orders, eq(orders.id, shipments.orderId))
          .where(and(eq(shipments.carrier, carrier), eq(shipments.trackingNumber, trackingNumber)))
          .orderBy(desc(shipments.shippedAt))
          .limit(1)
      : [];
    if (!target) throw new DomainError('not_found', `No ${carrier ?? input.carrier} shipment has the tracking number ${trackingNumber || '(empty)'}.`);
    const key = input.eventId ? `id:${input.eventId}` : undefined;
    return record(ctx, tx, target, fields, { key, source: input.source, actor: input.actor ?? CARRIER_ACTOR });
  });
}

/** An event staff enter by hand on the order page (e.g. the carrier phoned), for one of the order's shipments. */
export async function recordStaffCarrierEvent(
  ctx: AppContext,
  ref: { orderNumber: string; shipmentId: string },
  input: CarrierEventFields,
  actor: Actor,
): Promise<CarrierEventResult> {
  const fields = checkFields(ctx, input);
  const number = canonicalOrderNumber(ref.orderNumber);
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref.shipmentId);
  return ctx.db.transaction(async (tx) => {
    const [target] =
      number && isUuid
        ? await tx
            .select({ id: shipments.id, number: orders.number })
            .from(shipments)
            .innerJoin(orders, eq(orders.id, shipments.orderId))
            .where(and(eq(shipments.id, ref.shipmentId), eq(orders.number, number)))
        : [];
    if (!target) throw notFound('Shipment');
    return record(ctx, tx, target, fields, { source: 'staff', actor });
  });
}

type CheckedFields = { status: CarrierEventStatus; occurredAt: Date; location: string; description: string };

function checkFields(ctx: AppContext, input: CarrierEventFields): CheckedFields {
  const errors: FieldErrors = {};
  const location = (input.location ?? '').trim();
  const description = (input.description ?? '').trim();
  if (!isCarrierEventStatus(input.status)) errors.status = `Choose what happened: ${CARRIER_EVENT_STATUSES.join(', ')}.`;
  if (!(input.occurredAt instanceof Date) || Number.isNaN(input.occurredAt.getTime())) errors.occurredAt = 'Give the date and time of the event.';
  else if (input.occurredAt.getTime() > ctx.clock.now().getTime() + FUTURE_TOLERANCE_MS) errors.occurredAt = 'The event cannot be in the future.';
  if (location.length > LOCATION_MAX) errors.location = `Keep the place under ${LOCATION_MAX} characters.`;
  if (description.length > DESCRIPTION_MAX) errors.description = `Keep the description under ${DESCRIPTION_MAX} characters.`;
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { status: input.status as CarrierEventStatus, occurredAt: input.occurredAt, location, description };
}

/** Stores the event once, brings the shipment's status up to date, and delivers the order when its last parcel arrived. */
async function record(
  ctx: AppContext,
  tx: Tx,
  target: { id: string; number: string },
  e: CheckedFields,
  opts: { key?: string; source: 'carrier' | 'staff'; actor: Actor },
): Promise<CarrierEventResult> {
  // Locked first, as every order verb does, so an event and a staff action on the same order queue up.
  const order = await lockOrder(tx, target.number);
  const eventKey = opts.key ?? `hash:${sha256(JSON.stringify([e.status, e.occurredAt.toISOString(), e.location, e.description]))}`;
  const inserted = await tx
    .insert(carrierEvents)
    .values({ shipmentId: target.id, eventKey, status: e.status, location: e.location, description: e.description, occurredAt: e.occurredAt, source: opts.source, receivedAt: ctx.clock.now() })
    .onConflictDoNothing()
    .returning({ id: carrierEvents.id });
  const [shipment] = await tx.select().from(shipments).where(eq(shipments.id, target.id));
  if (inserted.length === 0) {
    return { recorded: false, orderNumber: order.number, shipmentId: target.id, shipmentStatus: shipment!.status, orderStatus: order.status as OrderStatus, deliveredOrder: false };
  }

  const [latest] = await tx
    .select({ status: carrierEvents.status, occurredAt: carrierEvents.occurredAt })
    .from(carrierEvents)
    .where(eq(carrierEvents.shipmentId, target.id))
    .orderBy(desc(carrierEvents.occurredAt), desc(carrierEvents.id))
    .limit(1);
  // A parcel staff already marked delivered stays delivered unless the carrier reports something later.
  const keepDelivered = shipment!.status === 'delivered' && shipment!.deliveredAt && shipment!.deliveredAt >= latest!.occurredAt;
  const status = keepDelivered ? 'delivered' : latest!.status;
  const deliveredAt = keepDelivered ? shipment!.deliveredAt : status === 'delivered' ? latest!.occurredAt : null;
  await tx.update(shipments).set({ status, deliveredAt }).where(eq(shipments.id, target.id));

  await appendOrderEvent(tx, {
    orderId: order.id,
    type: 'carrier_event',
    actor: opts.actor,
    details: {
      shipmentId: target.id,
      carrier: shipment!.carrier,
      trackingNumber: shipment!.trackingNumber,
      status: e.status,
      occurredAt: e.occurredAt.toISOString(),
      location: e.location,
      description: e.description,
      source: opts.source,
      // One line for the back-office timeline.
      message: [CARRIER_EVENT_LABELS[e.status], e.location, e.description].filter(Boolean).join(' · '),
    },
    at: ctx.clock.now(),
  });

  let orderStatus = order.status as OrderStatus;
  if (status === 'delivered' && orderStatus === 'shipped') {
    const [open] = await tx
      .select({ id: shipments.id })
      .from(shipments)
      .where(and(eq(shipments.orderId, order.id), ne(shipments.status, 'delivered')))
      .orderBy(asc(shipments.shippedAt))
      .limit(1);
    // Units still waiting for a later parcel keep a partly shipped order from being delivered.
    if (!open && (await unitsLeftToShip(tx, order.id)) === 0) orderStatus = (await markDelivered(ctx, order.number, opts.actor, { tx })).order.status as OrderStatus;
  }
  return { recorded: true, orderNumber: order.number, shipmentId: target.id, shipmentStatus: status, orderStatus, deliveredOrder: orderStatus !== order.status };
}
