// The order's parcels: carrier, tracking link, state, carrier events, and a form to record one by hand.
import { carrierLabel } from '../../../../domain/shipments/carriers.ts';
import { CarrierEventForm } from '../carrier-event-views.tsx';
import { StatusBadge } from '../display.tsx';
import type { PanelProps } from './order-page-data.ts';

export function Shipments({ detail, at, csrf, timeZone, now }: PanelProps) {
  if (detail.shipments.length === 0) return null;
  return (
    <section class="panel" id="shipments" aria-labelledby="shipments-title">
      <h2 id="shipments-title">{detail.shipments.length === 1 ? 'Shipment' : `Shipments (${detail.shipments.length})`}</h2>
      {detail.shipments.map((s) => (
        <div class="shipment">
          <p>
            <strong>{carrierLabel(s.carrier)}</strong>{' '}
            {s.carrierTrackingUrl ? (
              <a href={s.carrierTrackingUrl} rel="noopener noreferrer" target="_blank">
                <code>{s.trackingNumber}</code>
                <span class="visually-hidden"> (opens the {carrierLabel(s.carrier)} tracking page)</span>
              </a>
            ) : (
              <code>{s.trackingNumber}</code>
            )}{' '}
            <StatusBadge kind="parcel-" status={s.status} />
          </p>
          {s.contents.length ? (
            <p class="shipment-contents">
              In this parcel: {s.contents.map((c) => `${c.quantity} × ${c.productName} (${c.sku})`).join(', ')}
            </p>
          ) : null}
          <p class="muted">
            Handed over {at(s.shippedAt)}
            {s.staffName ? ` by ${s.staffName}` : ''}
            {s.deliveredAt ? ` · delivered ${at(s.deliveredAt)}` : ''}
          </p>
          {s.events.length ? (
            <ul class="plain carrier-events">
              {s.events.map((e) => (
                <li>
                  <time>{at(e.occurredAt)}</time> {e.status.replace(/_/g, ' ')}
                  {e.location ? ` · ${e.location}` : ''}
                  {e.description ? ` — ${e.description}` : ''}
                </li>
              ))}
            </ul>
          ) : null}
          <CarrierEventForm orderNumber={detail.order.number} shipment={s} csrf={csrf} timeZone={timeZone} now={now} />
        </div>
      ))}
    </section>
  );
}
