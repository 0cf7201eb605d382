// The order work queue: tabs by stage, search by number/email/phone/name or SKU, one row per order.
import type { OrderList, QueueFilter } from '../../../../domain/orders/order-queries.ts';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { age, STATUS_LABELS, StatusBadge, when } from '../display.tsx';
import { Pagination, StatusTabs } from '../list-parts.tsx';

/** The queue's tabs, in the order work flows. */
const QUEUE_TABS: { filter: QueueFilter | 'all'; label: string }[] = [
  { filter: 'open', label: 'Open' },
  ...(['paid', 'on_hold', 'verified', 'preparing', 'packed', 'shipped', 'delivered', 'cancelled'] as const).map((s) => ({ filter: s, label: STATUS_LABELS[s] })),
  { filter: 'all', label: 'All' },
];

/** An order waiting this long in a working state is flagged in the queue. */
const LATE_MS = 24 * 3600_000;

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
        <a class="button secondary small" href="/admin/phone-orders">
          Phone order
        </a>
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
