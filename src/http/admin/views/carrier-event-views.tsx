// A small form for the order page: staff add a carrier event by hand (the carrier phoned,
// or sends no events), for one shipment. Include it under each shipment of the order page:
//   <CarrierEventForm orderNumber={order.number} shipment={s} csrf={csrfField(req)} timeZone={tz} now={ctx.clock.now()} />
// It posts to POST /admin/orders/{number}/shipments/{id}/events (carrier-event-pages.tsx).
import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { CARRIER_EVENT_LABELS, CARRIER_EVENT_STATUSES, DESCRIPTION_MAX, LOCATION_MAX } from '../../../domain/shipments/carrier-events.ts';

export type CarrierEventFormProps = {
  orderNumber: string;
  shipment: { id: string; carrier: string; trackingNumber: string };
  /** csrfField(req) */
  csrf: VNode;
  /** The shop's time zone: the date and time typed are read in it. */
  timeZone: string;
  now: Date;
};

/** The action the form posts to. */
export const carrierEventAction = (orderNumber: string, shipmentId: string) =>
  `/admin/orders/${encodeURIComponent(orderNumber)}/shipments/${encodeURIComponent(shipmentId)}/events`;

export function CarrierEventForm({ orderNumber, shipment, csrf, timeZone, now }: CarrierEventFormProps) {
  // Several shipments share the page: ids are per shipment, field names are plain.
  const id = (name: string) => `event-${shipment.id}-${name}`;
  const localNow = DateTime.fromJSDate(now, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
  return (
    <details class="carrier-event-form">
      <summary>Add a carrier event by hand</summary>
      <form method="post" action={carrierEventAction(orderNumber, shipment.id)}>
        {csrf}
        <p class="hint">
          For {shipment.carrier} {shipment.trackingNumber}. A delivered event for the last parcel on its way delivers the order and emails the customer.
        </p>
        <div class="field">
          <label for={id('status')}>What happened</label>
          <select id={id('status')} name="status" required>
            {CARRIER_EVENT_STATUSES.map((s) => (
              <option value={s}>{CARRIER_EVENT_LABELS[s]}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id('occurredAt')}>When</label>
          <input id={id('occurredAt')} name="occurredAt" type="datetime-local" value={localNow} required aria-describedby={id('occurredAt-hint')} />
          <p class="hint" id={id('occurredAt-hint')}>
            In the shop’s time zone ({timeZone.replace(/_/g, ' ')}).
          </p>
        </div>
        <div class="field">
          <label for={id('location')}>Place (optional)</label>
          <input id={id('location')} name="location" type="text" maxLength={LOCATION_MAX} placeholder="e.g. Columbus, OH" />
        </div>
        <div class="field">
          <label for={id('description')}>Description (optional)</label>
          <input id={id('description')} name="description" type="text" maxLength={DESCRIPTION_MAX} />
        </div>
        <button type="submit" class="secondary">
          Add carrier event
        </button>
      </form>
    </details>
  );
}
