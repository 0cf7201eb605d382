// Back-office order screens: the work queue, one order (with only the moves allowed now),
// and the printable pick list and packing slip. Pure components: data in, markup out.
import type { ComponentChildren, VNode } from 'preact';
import { DateTime } from 'luxon';
import type { OrderDetail, OrderEvent, OrderList, QueueFilter } from '../../../domain/orders/order-queries.ts';
import { ORDER_STATES, TRANSITIONS, VERBS, type OrderStatus } from '../../../domain/orders/order-states.ts';
import { CARRIERS, carrierLabel } from '../../../domain/shipments/carriers.ts';
import { CarrierEventForm } from './carrier-event-views.tsx';
import { formatMoney } from '../../../domain/shared/money.ts';
import { formatPhone } from '../../../domain/shared/phone.ts';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './form.tsx';
import { Pagination, StatusTabs } from './list-parts.tsx';
import { TotalsList } from '../../pages/views/parts.tsx';

// ------------------------------------------------------------------ shared bits

/** Short names for badges and tabs. */
export const STATUS_LABELS: Record<OrderStatus, string> = {
  paid: 'To verify',
  on_hold: 'On hold',
  verified: 'Verified',
  preparing: 'Preparing',
  packed: 'Packed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/** The queue's tabs, in the order work flows. */
const QUEUE_TABS: { filter: QueueFilter | 'all'; label: string }[] = [
  { filter: 'open', label: 'Open' },
  ...(['paid', 'on_hold', 'verified', 'preparing', 'packed', 'shipped', 'delivered', 'cancelled'] as const).map((s) => ({ filter: s, label: STATUS_LABELS[s] })),
  { filter: 'all', label: 'All' },
];

/** The stages on the progress bar (on_hold and cancelled are shown as the state itself). */
const STAGES: OrderStatus[] = ['paid', 'verified', 'preparing', 'packed', 'shipped', 'delivered'];

/** "order_confirmation" → "Order confirmation": a stored name, in words. */
export const humanize = (s: string) => s.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** A coloured tag for an order, shipment, payment, refund or email state; `kind` keeps equal names apart (a failed refund vs a failed email). */
export function StatusBadge({ status, kind = '', label }: { status: string; kind?: string; label?: string }) {
  const name = `${kind}${status}`.replace(/_/g, '-');
  return <span class={`status status-${name}`}>{label ?? (kind ? humanize(status) : (STATUS_LABELS[status as OrderStatus] ?? humanize(status)))}</span>;
}

const zoned = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone });

/** "Mar 3, 2:05 PM" (the year only when it is not this year), in the shop's time zone. */
export function when(at: Date, zone: string, now: Date): string {
  const t = zoned(at, zone);
  return t.toFormat(t.year === zoned(now, zone).year ? 'LLL d, h:mm a' : 'LLL d yyyy, h:mm a');
}

/** How long something has waited: "12 min", "3 h 5 min", "2 days 4 h". */
export function age(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'}${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** An order waiting this long in a working state is flagged in the queue. */
const LATE_MS = 24 * 3600_000;

/** { colour: "Oat", size: "M" } → "colour: Oat, size: M". */
export const optionsText = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

function Alert({ kind, children }: { kind: 'error' | 'ok' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

// ------------------------------------------------------------------ the queue

export type QueuePageData = {
  list: OrderList;
  filter: QueueFilter | 'all';
  q: string;
  sku: string;
  page: number;
  limit: number;
  now: Date;
  timeZone: string;
};

/** Query string for the queue with some parameters changed. */
function queueHref(path: string, d: Pick<QueuePageData, 'filter' | 'q' | 'sku'> & { page?: number }): string {
  const params = new URLSearchParams();
  if (d.filter !== 'open') params.set('status', d.filter);
  if (d.q) params.set('q', d.q);
  if (d.sku) params.set('sku', d.sku);
  if (d.page && d.page > 1) params.set('page', String(d.page));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function QueueView(d: QueuePageData) {
  const { counts } = d.list;
  const countOf = (f: QueueFilter | 'all') =>
    f === 'all'
      ? Object.values(counts).reduce((a, b) => a + b, 0)
      : f === 'open'
        ? (['paid', 'on_hold', 'verified', 'preparing', 'packed'] as const).reduce((n, s) => n + counts[s], 0)
        : counts[f];
  const searching = Boolean(d.q || d.sku);
  return (
    <>
      <div class="page-head">
        <h1>Orders</h1>
        <a class="button secondary small" href={queueHref('/admin/orders.csv', d)} download>
          Export CSV
        </a>
      </div>

      <form class="filters queue-search" method="get" action="/admin/orders" role="search">
        {d.filter !== 'open' ? <input type="hidden" name="status" value={d.filter} /> : null}
        <div class="field grow">
          <label for="queue-q">Search</label>
          <input id="queue-q" name="q" type="search" value={d.q} maxLength={100} placeholder="Order number, email, phone or name" aria-describedby="queue-q-hint" />
          <p class="hint" id="queue-q-hint">
            Any case, with or without dashes; phone in any format.
          </p>
        </div>
        <div class="field">
          <label for="queue-sku">SKU</label>
          <input id="queue-sku" name="sku" type="search" value={d.sku} maxLength={60} />
        </div>
        <div class="field-buttons">
          <button type="submit">Search</button>
          {searching ? (
            <a class="button secondary" href={queueHref('/admin/orders', { filter: d.filter, q: '', sku: '' })}>
              Clear
            </a>
          ) : null}
        </div>
      </form>

      <StatusTabs label="Order stages" tabs={QUEUE_TABS} current={d.filter} href={(filter) => queueHref('/admin/orders', { filter, q: d.q, sku: d.sku })} count={countOf} />

      {d.list.items.length === 0 ? (
        <p class="empty">{searching ? 'No orders match this search in this tab.' : 'Nothing waiting here.'}</p>
      ) : (
        <div class="table-wrap">
          <table class="table queue">
            <caption class="visually-hidden">
              {QUEUE_TABS.find((t) => t.filter === d.filter)?.label} orders, {d.list.total} in all
            </caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Items</th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col">Stage</th>
                <th scope="col">Paid</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {d.list.items.map((o) => {
                const waiting = d.now.getTime() - o.createdAt.getTime();
                const working = !['shipped', 'delivered', 'cancelled'].includes(o.status);
                return (
                  <tr>
                    <th scope="row">
                      <a class="order-link" href={`/admin/orders/${o.number}`}>
                        {o.number}
                      </a>
                    </th>
                    <td>
                      {o.customerName}
                      <span class="sub">{o.email}</span>
                    </td>
                    <td>
                      <span class="sku-list">{o.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}</span>
                    </td>
                    <td class="num">{formatMoney(o.total, o.currency)}</td>
                    <td>
                      <StatusBadge status={o.status} />
                      {o.holdReason && o.status === 'on_hold' ? <span class="sub">{o.holdReason}</span> : null}
                    </td>
                    <td class="nowrap">{when(o.createdAt, d.timeZone, d.now)}</td>
                    <td class={working && waiting > LATE_MS ? 'nowrap late' : 'nowrap'}>{working ? age(waiting) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Pagination page={d.page} total={d.list.total} perPage={d.limit} href={(page) => queueHref('/admin/orders', { ...d, page })} />
    </>
  );
}

// ------------------------------------------------------------------ one order

export type OrderPageData = {
  detail: OrderDetail;
  /** Moves the member may make now (the state table filtered by role). */
  actions: Exclude<OrderStatus, 'paid'>[];
  canNote: boolean;
  canRetryRefunds: boolean;
  csrf: VNode;
  now: Date;
  timeZone: string;
  /** A refused action: its target, the reason (409) or the field errors (422), and what was typed. */
  refused?: { action: string; message?: string; errors: FormErrors; values: FormValues };
};

const ACTION_LABELS: Record<string, string> = {
  reason: 'Reason',
  holdReason: 'Hold reason',
  cancelReason: 'Cancellation reason',
  carrier: 'Carrier',
  trackingNumber: 'Tracking number',
  text: 'Note',
};

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
          <section class="panel" aria-labelledby="items-title">
            <h2 id="items-title">Items</h2>
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">SKU</th>
                    <th scope="col" class="num">
                      Qty
                    </th>
                    <th scope="col" class="num">
                      Price
                    </th>
                    <th scope="col" class="num">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr>
                      <td>
                        {i.productName}
                        {Object.keys(i.options).length ? <span class="sub">{optionsText(i.options)}</span> : null}
                      </td>
                      <td>
                        <code>{i.sku}</code>
                      </td>
                      <td class="num qty">{i.quantity}</td>
                      <td class="num">{formatMoney(i.unitPrice, order.currency)}</td>
                      <td class="num">{formatMoney(i.lineTotal, order.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <TotalsList
              rows={[
                ['Subtotal', formatMoney(order.subtotal, order.currency)],
                [`Shipping (${humanize(order.shippingMethod)})`, formatMoney(order.shipping, order.currency)],
                ['Tax', formatMoney(order.tax, order.currency)],
              ]}
              total={['Total', formatMoney(order.total, order.currency)]}
            />
          </section>

          <Shipments {...d} at={at} />
          <Timeline {...d} at={at} />
        </div>

        <aside class="order-side">
          <section class="panel" aria-labelledby="customer-title">
            <h2 id="customer-title">Customer</h2>
            <dl class="kv">
              <dt>Name</dt>
              <dd>{order.shippingAddress.name}</dd>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${order.email}`}>{order.email}</a>
              </dd>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${order.phone}`}>{formatPhone(order.phone)}</a>
              </dd>
            </dl>
            <h3>Ship to</h3>
            <address class="address">
              {order.shippingAddress.name}
              <br />
              {order.shippingAddress.line1}
              {order.shippingAddress.line2 ? (
                <>
                  <br />
                  {order.shippingAddress.line2}
                </>
              ) : null}
              <br />
              {order.shippingAddress.city}, {order.shippingAddress.state} {order.shippingAddress.postalCode}
              <br />
              {order.shippingAddress.country}
            </address>
            <p class="muted">Shipping method: {humanize(order.shippingMethod)}</p>
          </section>

          <Payments {...d} at={at} />
          <Notifications {...d} at={at} />
        </aside>
      </div>
    </>
  );
}

const cardText = (p: { cardBrand: string | null; cardLast4: string | null }) =>
  p.cardLast4 ? `${(p.cardBrand ?? 'card').replace(/^./, (c) => c.toUpperCase())} •••• ${p.cardLast4}` : 'the card that paid';

function Progress({ status, events, at }: { status: OrderStatus; events: OrderEvent[]; at: (d: Date) => string }) {
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

function Actions(d: OrderPageData & { status: OrderStatus; refundNote?: string; printLinks: VNode | null }) {
  const { order } = d.detail;
  const action = `/admin/orders/${order.number}/transitions`;
  const refusedHere = (to: string) => (d.refused?.action === to ? d.refused : undefined);
  const errorsFor = (to: string) => refusedHere(to)?.errors ?? {};
  const valueOf = (to: string, name: string) => text(refusedHere(to)?.values ?? {}, name);
  const forward = d.actions.filter((a) => a !== 'on_hold' && a !== 'cancelled');
  const allShipmentErrors = d.refused?.action === 'shipped' || d.refused?.action === 'add-shipment' ? d.refused.errors : {};

  if (d.actions.length === 0 && d.status !== 'shipped') {
    return (
      <section class="panel actions" aria-labelledby="actions-title">
        <h2 id="actions-title">Next step</h2>
        <p class="muted">
          {TRANSITIONS[d.status].length === 0 ? `Nothing more to do: the order is ${ORDER_STATES[d.status].toLowerCase()}.` : 'Your role cannot move this order on from here.'}
        </p>
        {d.printLinks}
      </section>
    );
  }

  return (
    <section class="panel actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Next step</h2>
      <ErrorSummary errors={d.refused?.errors ?? {}} labels={ACTION_LABELS} />
      <div class="action-row">
        {forward.map((to) =>
          to === 'shipped' ? (
            <form method="post" action={action} class="action-form handover">
              {d.csrf}
              <input type="hidden" name="to" value="shipped" />
              <div class="row">
                <SelectField
                  name="carrier"
                  label="Carrier"
                  value={valueOf('shipped', 'carrier')}
                  error={errorsFor('shipped').carrier}
                  options={[{ value: '', label: 'Choose…' }, ...CARRIERS.map((c) => ({ value: c, label: carrierLabel(c) }))]}
                />
                <Field name="trackingNumber" label="Tracking number" value={valueOf('shipped', 'trackingNumber')} error={errorsFor('shipped').trackingNumber} maxLength={60} autocomplete="off" hint="From the label; spaces are fine." />
              </div>
              <button type="submit">{VERBS.shipped}</button>
            </form>
          ) : (
            <form method="post" action={action} class="action-form">
              {d.csrf}
              <input type="hidden" name="to" value={to} />
              <button type="submit">{VERBS[to]}</button>
            </form>
          ),
        )}
      </div>

      {d.printLinks}

      {d.status === 'shipped' && d.actions.length > 0 ? (
        <details class="more-actions" open={Object.keys(allShipmentErrors).length > 0}>
          <summary>Another parcel for this order</summary>
          <form method="post" action={`/admin/orders/${order.number}/shipments`} class="action-form handover">
            {d.csrf}
            <div class="row">
              <SelectField
                name="carrier"
                label="Carrier"
                value={valueOf('add-shipment', 'carrier')}
                error={errorsFor('add-shipment').carrier}
                options={[{ value: '', label: 'Choose…' }, ...CARRIERS.map((c) => ({ value: c, label: carrierLabel(c) }))]}
              />
              <Field name="trackingNumber" label="Tracking number" value={valueOf('add-shipment', 'trackingNumber')} error={errorsFor('add-shipment').trackingNumber} maxLength={60} autocomplete="off" />
            </div>
            <button type="submit" class="secondary">
              Add shipment
            </button>
          </form>
        </details>
      ) : null}

      {d.actions.includes('on_hold') ? (
        <details class="more-actions" open={Boolean(refusedHere('on_hold'))}>
          <summary>Something wrong? Put the order on hold</summary>
          <form method="post" action={action} class="action-form">
            {d.csrf}
            <input type="hidden" name="to" value="on_hold" />
            <Field
              name="holdReason"
              label="Hold reason"
              value={valueOf('on_hold', 'holdReason')}
              error={errorsFor('on_hold').holdReason}
              hint="E.g. the address looks wrong. Shown to staff only."
              maxLength={500}
            />
            <button type="submit" class="secondary">
              {VERBS.on_hold}
            </button>
          </form>
        </details>
      ) : null}

      {d.actions.includes('cancelled') ? (
        <details class="more-actions danger-zone" open={Boolean(refusedHere('cancelled'))}>
          <summary>Cancel the order</summary>
          <form method="post" action={action} class="action-form">
            {d.csrf}
            <input type="hidden" name="to" value="cancelled" />
            <Field
              name="cancelReason"
              label="Cancellation reason"
              value={valueOf('cancelled', 'cancelReason')}
              error={errorsFor('cancelled').cancelReason}
              hint={`The stock goes back on the shelf${d.refundNote ? ` and ${d.refundNote}` : '.'} The customer is emailed.`}
              maxLength={500}
            />
            <button type="submit" class="danger">
              {VERBS.cancelled}
            </button>
          </form>
        </details>
      ) : null}
    </section>
  );
}

function Shipments({ detail, at, csrf, timeZone, now }: OrderPageData & { at: (d: Date) => string }) {
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

/** One line per event, in words staff use. Unknown event types (added by other features) still read sensibly. */
function describe(e: OrderEvent, currency: string): string {
  const d = e.details as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const amount = typeof d.amount === 'number' ? formatMoney(d.amount, typeof d.currency === 'string' ? d.currency : currency) : '';
  switch (e.type) {
    case 'placed':
      return 'Order placed and paid';
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
    case 'refund':
      return `Refund of ${amount} issued (${str('reason')})`;
    case 'refund_failed':
      return `Refund of ${amount} failed: ${str('error')}`;
    case 'refund_retry':
      return `Refund of ${amount} sent again`;
    default: {
      const what = e.type.replace(/_/g, ' ');
      const summary = str('message') || str('description') || str('reason') || str('status');
      return `${what[0]!.toUpperCase()}${what.slice(1)}${e.toStatus ? ` → ${STATUS_LABELS[e.toStatus as OrderStatus] ?? e.toStatus}` : ''}${summary ? `: ${summary}` : ''}`;
    }
  }
}

const actorText = (e: OrderEvent) =>
  e.staffName ?? (e.actor === 'customer' ? 'Customer' : e.actor.startsWith('system') ? `System${e.actor.includes(':') ? ` (${e.actor.split(':')[1]})` : ''}` : e.actor);

function Timeline({ detail, canNote, csrf, refused, at }: OrderPageData & { at: (d: Date) => string }) {
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

function Payments({ detail, canRetryRefunds, csrf, at }: OrderPageData & { at: (d: Date) => string }) {
  return (
    <section class="panel" aria-labelledby="payment-title">
      <h2 id="payment-title">Payment</h2>
      {detail.payments.length === 0 ? <p class="muted">No payment recorded.</p> : null}
      <ul class="plain records">
        {detail.payments.map((p) => (
          <li>
            <p>
              <strong>{formatMoney(p.amount, p.currency)}</strong> <StatusBadge kind="payment-" status={p.status} />
            </p>
            <p class="muted">
              {cardText(p)}
              {p.cardExpMonth && p.cardExpYear ? `, exp ${String(p.cardExpMonth).padStart(2, '0')}/${String(p.cardExpYear).slice(-2)}` : ''} · {at(p.createdAt)}
            </p>
            <p class="muted small-print">
              {p.provider} <code>{p.providerTransactionId ?? '—'}</code>
            </p>
            {p.message ? <p class="muted">{p.message}</p> : null}
          </li>
        ))}
      </ul>
      {detail.refunds.length ? (
        <>
          <h3>Refunds</h3>
          <ul class="plain records">
            {detail.refunds.map((r) => (
              <li>
                <p>
                  <strong>{formatMoney(r.amount, r.currency)}</strong> <StatusBadge kind="refund-" status={r.status} /> <span class="muted">{r.reason}</span>
                </p>
                <p class="muted">
                  {at(r.createdAt)} · {r.attempts} {r.attempts === 1 ? 'attempt' : 'attempts'}
                  {r.status === 'pending' && r.nextAttemptAt ? ` · next try ${at(r.nextAttemptAt)}` : ''}
                </p>
                {r.lastError && r.status !== 'succeeded' ? <p class="field-error">{r.lastError}</p> : null}
                {r.status === 'failed' && canRetryRefunds ? (
                  <form method="post" action={`/admin/orders/${detail.order.number}/refunds/${r.id}/retry`} class="no-print">
                    {csrf}
                    <button type="submit" class="secondary small">
                      Retry refund
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Notifications({ detail, at }: OrderPageData & { at: (d: Date) => string }) {
  return (
    <section class="panel" aria-labelledby="mail-title">
      <h2 id="mail-title">Emails to the customer</h2>
      {detail.notifications.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ul class="plain records">
          {detail.notifications.map((n) => (
            <li>
              <p>
                {n.subject ?? humanize(n.template)} <StatusBadge kind="mail-" status={n.status} label={n.status === 'pending' ? 'Queued' : undefined} />
              </p>
              <p class="muted">
                {n.recipient} · {n.sentAt ? `sent ${at(n.sentAt)}` : `queued ${at(n.createdAt)}`}
                {n.attempts > 1 ? ` · ${n.attempts} attempts` : ''}
              </p>
              {n.lastError && n.status !== 'sent' ? <p class="field-error">{n.lastError}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
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

// ------------------------------------------------------------------ printables

type PrintData = { detail: OrderDetail; settings: StoreSettings; now: Date; timeZone: string };

function PrintHead({ title, detail, now, timeZone }: PrintData & { title: string }) {
  return (
    <>
      <p class="no-print print-actions">
        <a href={`/admin/orders/${detail.order.number}`}>← Back to the order</a>
        <span class="muted">Print with your browser (Ctrl+P or ⌘P); the menus are left off the paper.</span>
      </p>
      <header class="sheet-head">
        <h1>
          {title} <span class="order-number">{detail.order.number}</span>
        </h1>
        <p>
          Paid {when(detail.order.createdAt, timeZone, now)} · {humanize(detail.order.shippingMethod)} shipping · {detail.items.reduce((n, i) => n + i.quantity, 0)} units
        </p>
      </header>
    </>
  );
}

/** For picking: every line with a box to tick, the quantity large. */
export function PickListView(d: PrintData) {
  return (
    <article class="sheet">
      <PrintHead {...d} title="Pick list" />
      <table class="table sheet-table">
        <thead>
          <tr>
            <th scope="col" class="tick">
              <span class="visually-hidden">Picked</span>
            </th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col">SKU</th>
            <th scope="col">Product</th>
            <th scope="col">Options</th>
          </tr>
        </thead>
        <tbody>
          {d.detail.items.map((i) => (
            <tr>
              <td class="tick">
                <span class="box" aria-hidden="true" />
              </td>
              <td class="num qty">{i.quantity}</td>
              <td>
                <code>{i.sku}</code>
              </td>
              <td>{i.productName}</td>
              <td>{optionsText(i.options)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="sign-line">Picked by ____________________ &nbsp; Checked by ____________________</p>
    </article>
  );
}

/** Goes in the parcel: who it is for, what is in it, and how to check it on arrival. */
export function PackingSlipView(d: PrintData) {
  const { order, items } = d.detail;
  const a = order.shippingAddress;
  const c = d.settings.contact;
  return (
    <article class="sheet">
      <PrintHead {...d} title="Packing slip" />
      <div class="sheet-cols">
        <section>
          <h2>From</h2>
          <p>
            {d.settings.storeName}
            <br />
            {c.address}
          </p>
        </section>
        <section>
          <h2>Ship to</h2>
          <address>
            {a.name}
            <br />
            {a.line1}
            {a.line2 ? (
              <>
                <br />
                {a.line2}
              </>
            ) : null}
            <br />
            {a.city}, {a.state} {a.postalCode}
            <br />
            {a.country}
          </address>
        </section>
      </div>
      <table class="table sheet-table">
        <thead>
          <tr>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col">Product</th>
            <th scope="col">SKU</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <td class="num qty">{i.quantity}</td>
              <td>
                {i.productName}
                {Object.keys(i.options).length ? <span class="sub">{optionsText(i.options)}</span> : null}
              </td>
              <td>
                <code>{i.sku}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="slip-note">
        <h2>When your parcel arrives</h2>
        <p>
          Please check that the outer packaging is intact and that the number of items matches this slip. If anything is wrong, keep the packaging and contact us with
          your order number {order.number}: {c.phone}, {c.email}.
        </p>
      </section>
    </article>
  );
}
