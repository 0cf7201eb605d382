// The aggregator's tracking updates → the store's carrier events. An update carries the
// parcel's whole history; each event goes through recordCarrierEvent, which records it once
// (repeats are recognised by content), keeps the shipment at its latest event in time (so a
// late, older update never moves it backwards) and delivers the order with its usual email.
import { desc, eq, or } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { shipments, shippingLabels } from '../../db/schema.ts';
import type { OrderStatus } from '../orders/order-states.ts';
import { recordCarrierEvent } from './carrier-events.ts';
import { normalizeTrackingNumber } from './carriers.ts';
import type { TrackerUpdate } from './shipping-provider.ts';

export type TrackerResult = { known: boolean; recorded: number; orderStatus?: OrderStatus; shipmentStatus?: string };

export async function recordTrackerUpdate(ctx: AppContext, update: TrackerUpdate): Promise<TrackerResult> {
  const trackingNumber = normalizeTrackingNumber(update.trackingNumber);
  // The label names the parcel; a shipment typed by hand with the same number is found too.
  const [parcel] = await ctx.db
    .select({ carrier: shipments.carrier, trackingNumber: shipments.trackingNumber })
    .from(shippingLabels)
    .innerJoin(shipments, eq(shipments.id, shippingLabels.shipmentId))
    .where(or(eq(shippingLabels.trackerId, update.trackerId), eq(shippingLabels.trackingNumber, trackingNumber)))
    .limit(1);
  const [target] = parcel
    ? [parcel]
    : await ctx.db
        .select({ carrier: shipments.carrier, trackingNumber: shipments.trackingNumber })
        .from(shipments)
        .where(eq(shipments.trackingNumber, trackingNumber))
        .orderBy(desc(shipments.shippedAt))
        .limit(1);
  // Unknown to us (a label not handed over yet, or bought elsewhere): nothing to record, and no retries wanted.
  if (!target) return { known: false, recorded: 0 };
  let recorded = 0;
  let last: Awaited<ReturnType<typeof recordCarrierEvent>> | undefined;
  for (const e of [...update.events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    last = await recordCarrierEvent(ctx, { carrier: target.carrier, trackingNumber: target.trackingNumber, ...e, source: 'carrier' });
    if (last.recorded) recorded++;
  }
  return { known: true, recorded, orderStatus: last?.orderStatus, shipmentStatus: last?.shipmentStatus };
}
