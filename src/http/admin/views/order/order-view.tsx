// One order in the back office: header, progress, alerts, then the panels (main column and side column).
// Each panel is its own module taking PanelProps; a new panel is one import and one line below.
import type { ComponentChildren } from 'preact';
import type { OrderStatus } from '../../../../domain/orders/order-states.ts';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { age, StatusBadge, when } from '../display.tsx';
import { Actions } from './actions-panel.tsx';
import { Customer } from './customer-panel.tsx';
import { Items } from './items-panel.tsx';
import { LabelPanel } from './label-panel.tsx';
import { Notifications } from './notifications-panel.tsx';
import type { OrderPageData } from './order-page-data.ts';
import { cardText, Payments } from './payment-panel.tsx';
import { Progress } from './progress.tsx';
import { Shipments } from './shipments-panel.tsx';
import { Timeline } from './timeline-panel.tsx';

function Alert({ kind, children }: { kind: 'error' | 'ok' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function OrderView(d: OrderPageData) {
  const { order, items } = d.detail;
  const status = order.status as OrderStatus;
  const at = (date: Date) => when(date, d.timeZone, d.now);
  const captured = d.detail.payments.find((p) => p.status === 'captured');
  const refunded = d.detail.refunds.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amount, 0);
  const showPickList = ['verified', 'preparing', 'packed'].includes(status);
  const showPackingSlip = ['preparing', 'packed', 'shipped'].includes(status);
  const printLinks =
    showPickList || showPackingSlip ? (
      <p class="print-links no-print">
        {showPickList ? (
          <a class="button secondary small" href={`/admin/orders/${order.number}/pick-list`}>
            Print pick list
          </a>
        ) : null}
        {showPackingSlip ? (
          <a class="button secondary small" href={`/admin/orders/${order.number}/packing-slip`}>
            Print packing slip
          </a>
        ) : null}
      </p>
    ) : null;
  return (
    <>
      <p class="breadcrumb no-print">
        <a href="/admin/orders">← Orders</a>
      </p>
      <div class="page-head">
        <h1>
          Order <span class="order-number">{order.number}</span>
        </h1>
        <StatusBadge status={status} />
      </div>
      <p class="muted order-meta">
        Paid {at(order.createdAt)} · {items.reduce((n, i) => n + i.quantity, 0)} units · {formatMoney(order.total, order.currency)}
        {['shipped', 'delivered', 'cancelled'].includes(status) ? null : (
          <>
            {' '}
            · <strong>waiting {age(d.now.getTime() - order.createdAt.getTime())}</strong>
          </>
        )}
      </p>

      <Progress status={status} events={d.detail.events} at={at} />

      {status === 'on_hold' && order.holdReason ? (
        <Alert kind="info">
          <strong>On hold:</strong> {order.holdReason}
        </Alert>
      ) : null}
      {d.refused?.message ? (
        <Alert kind="error">
          <strong>Not done:</strong> {d.refused.message}
        </Alert>
      ) : null}

      <div class="order-grid">
        <div class="order-main">
          <Actions {...d} status={status} printLinks={printLinks} refundNote={captured ? `${formatMoney(captured.amount - refunded, captured.currency)} goes back to ${cardText(captured)}.` : undefined} />
          <LabelPanel {...d} at={at} />
          <Items {...d} at={at} />
          <Shipments {...d} at={at} />
          <Timeline {...d} at={at} />
        </div>

        <aside class="order-side">
          <Customer {...d} at={at} />
          <Payments {...d} at={at} />
          <Notifications {...d} at={at} />
        </aside>
      </div>
    </>
  );
}

export function OrderNotFoundView({ number }: { number: string }) {
  return (
    <section class="panel narrow">
      <h1>No order {number}</h1>
      <p>Check the number, or search the queue by email, phone or name.</p>
      <form method="get" action="/admin/orders" role="search" class="inline-search">
        <label for="nf-q">Search orders</label>
        <input id="nf-q" name="q" type="search" value={number} maxLength={100} />
        <input type="hidden" name="status" value="all" />
        <button type="submit">Search</button>
      </form>
    </section>
  );
}
