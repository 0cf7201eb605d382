// The order's audit timeline, newest first, with the form for internal notes.
import type { OrderEvent } from '../../../../domain/orders/order-queries.ts';
import type { OrderStatus } from '../../../../domain/orders/order-states.ts';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { carrierLabel } from '../../../../domain/shipments/carriers.ts';
import { STATUS_LABELS } from '../display.tsx';
import { Field, text } from '../form.tsx';
import type { PanelProps } from './order-page-data.ts';

/** One line per event, in words staff use. Unknown event types (added by other features) still read sensibly. */
function describe(e: OrderEvent, currency: string): string {
  const d = e.details as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const amount = typeof d.amount === 'number' ? formatMoney(d.amount, typeof d.currency === 'string' ? d.currency : currency) : '';
  switch (e.type) {
    case 'placed':
      return d.captured === false ? 'Order placed; payment authorized, to be captured at the handover' : 'Order placed and paid';
    case 'transition':
      switch (e.toStatus) {
        case 'verified':
          return e.fromStatus === 'on_hold' ? 'Verified (hold lifted)' : 'Verified';
        case 'on_hold':
          return `Put on hold: ${str('reason')}`;
        case 'preparing':
          return 'Started preparing';
        case 'packed':
          return 'Packed';
        case 'shipped':
          return `Handed over to ${carrierLabel(str('carrier'))}, tracking ${str('trackingNumber')}`;
        case 'delivered':
          return 'Marked delivered';
        case 'cancelled':
          return `Cancelled: ${str('reason')}`;
        default:
          return `${e.fromStatus ?? '?'} → ${e.toStatus ?? '?'}`;
      }
    case 'shipment':
      return `Another parcel: ${carrierLabel(str('carrier'))}, tracking ${str('trackingNumber')}`;
    case 'note':
      return str('text');
    case 'label':
      return str('message');
    case 'refund':
      return `Refund of ${amount} issued (${str('reason')})`;
    case 'refund_failed':
      return `Refund of ${amount} failed: ${str('error')}`;
    case 'refund_retry':
      return `Refund of ${amount} sent again`;
    case 'payment_captured':
      return `Payment of ${amount} captured`;
    case 'dispute_opened':
      return `Chargeback opened by the cardholder's bank: ${amount}, reason ${str('reason').replace(/_/g, ' ')} (${str('status').replace(/_/g, ' ')})`;
    case 'dispute_closed':
      return `Chargeback closed: ${str('status').replace(/_/g, ' ')}`;
    default: {
      const what = e.type.replace(/_/g, ' ');
      const summary = str('message') || str('description') || str('reason') || str('status');
      return `${what[0]!.toUpperCase()}${what.slice(1)}${e.toStatus ? ` → ${STATUS_LABELS[e.toStatus as OrderStatus] ?? e.toStatus}` : ''}${summary ? `: ${summary}` : ''}`;
    }
  }
}

const actorText = (e: OrderEvent) =>
  e.staffName ?? (e.actor === 'customer' ? 'Customer' : e.actor.startsWith('system') ? `System${e.actor.includes(':') ? ` (${e.actor.split(':')[1]})` : ''}` : e.actor);

export function Timeline({ detail, canNote, csrf, refused, at }: PanelProps) {
  const events = [...detail.events].reverse();
  const noteError = refused?.action === 'note' ? refused.errors.text : undefined;
  return (
    <section class="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline and notes</h2>
      {canNote ? (
        <form method="post" action={`/admin/orders/${detail.order.number}/notes`} class="note-form no-print">
          {csrf}
          <Field
            name="text"
            label="Internal note"
            type="textarea"
            rows={2}
            maxLength={2000}
            value={refused?.action === 'note' ? text(refused.values, 'text') : ''}
            error={noteError}
            hint="Seen by staff only, never by the customer."
          />
          <button type="submit" class="secondary small">
            Add note
          </button>
        </form>
      ) : null}
      <ol class="timeline order-timeline" reversed>
        {events.map((e) => (
          <li class={e.type === 'note' ? 'note' : e.internal ? 'internal' : undefined}>
            <p class="event-what">
              {e.type === 'note' ? <span class="tag">Note</span> : null}
              {describe(e, detail.order.currency)}
            </p>
            <p class="event-who">
              <time datetime={e.createdAt.toISOString()}>{at(e.createdAt)}</time> · <span class="actor">{actorText(e)}</span>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
