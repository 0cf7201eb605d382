// The progress bar across the top of an order: each stage reached, and when.
import type { OrderEvent } from '../../../../domain/orders/order-queries.ts';
import type { OrderStatus } from '../../../../domain/orders/order-states.ts';
import { STATUS_LABELS } from '../display.tsx';

/** The stages on the progress bar (on_hold and cancelled are shown as the state itself). */
const STAGES: OrderStatus[] = ['paid', 'verified', 'preparing', 'packed', 'shipped', 'delivered'];

export function Progress({ status, events, at }: { status: OrderStatus; events: OrderEvent[]; at: (d: Date) => string }) {
  const reachedAt = (s: OrderStatus) => [...events].reverse().find((e) => e.toStatus === s)?.createdAt;
  const index = STAGES.indexOf(status === 'on_hold' ? 'paid' : status);
  // A cancelled order shows how far it got before it stopped.
  const stopped = status === 'cancelled' ? STAGES.reduce((last, s, i) => (reachedAt(s) ? i : last), -1) : -1;
  return (
    <ol class="steps order-steps" aria-label="Progress">
      {STAGES.map((s, i) => {
        const cls = status === 'cancelled' ? (i <= stopped ? 'done' : '') : i < index ? 'done' : i === index ? 'current' : '';
        const reached = reachedAt(s);
        return (
          <li class={cls} aria-current={i === index ? 'step' : undefined}>
            {s === 'paid' ? 'Paid' : STATUS_LABELS[s]}
            {reached && (cls === 'done' || cls === 'current') ? <span class="sub">{at(reached)}</span> : null}
          </li>
        );
      })}
      {status === 'cancelled' ? <li class="cancelled current">Cancelled</li> : null}
    </ol>
  );
}
