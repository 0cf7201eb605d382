// Back-office after-sales list: cases by status tab, oldest first, with their badges.
// Pure components: data in, markup out; times in the shop's zone.
import type { ReturnFilter, ReturnList } from '../../../domain/returns/return-queries.ts';
import { RETURN_REASONS } from '../../../domain/returns/return-rules.ts';
import { RETURN_TYPES } from '../../../domain/returns/return-states.ts';
import { Pagination, StatusTabs } from './list-parts.tsx';
import { when } from './display.tsx';
import { ReturnBadge, word } from './return-views.tsx';

const TABS: { filter: ReturnFilter; label: string }[] = [
  { filter: 'open', label: 'Open' },
  { filter: 'requested', label: 'Requested' },
  { filter: 'approved', label: 'Approved' },
  { filter: 'received', label: 'Received' },
  { filter: 'refunded', label: 'Refunded' },
  { filter: 'exchanged', label: 'Replacement sent' },
  { filter: 'declined', label: 'Declined' },
  { filter: 'closed', label: 'Closed' },
  { filter: 'all', label: 'All' },
];

export type ReturnListData = { list: ReturnList; filter: ReturnFilter; page: number; limit: number; now: Date; timeZone: string };

export function ReturnListView(d: ReturnListData) {
  const href = (filter: ReturnFilter, page = 1) => `/admin/returns?status=${filter}${page > 1 ? `&page=${page}` : ''}`;
  return (
    <>
      <div class="page-head">
        <h1>Returns</h1>
      </div>
      <StatusTabs label="Return statuses" tabs={TABS} current={d.filter} href={href} count={(filter) => d.list.counts[filter]} />
      {d.list.items.length === 0 ? (
        <p class="empty-note">Nothing here.</p>
      ) : (
        <div class="table-wrap">
          <table class="table queue">
            <caption class="visually-hidden">
              {TABS.find((t) => t.filter === d.filter)?.label} return cases, {d.list.total} in all
            </caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Kind</th>
                <th scope="col">Items</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {d.list.items.map((r) => (
                <tr>
                  <th scope="row">
                    <a class="order-link" href={`/admin/returns/${r.number}`}>
                      {r.number}
                    </a>
                  </th>
                  <td>
                    <a class="order-link" href={`/admin/orders/${r.orderNumber}`}>
                      {r.orderNumber}
                    </a>
                  </td>
                  <td>
                    {r.customerName}
                    <span class="sub">{r.email}</span>
                  </td>
                  <td>{word(RETURN_TYPES, r.type)}</td>
                  <td class="sku-list">{r.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}</td>
                  <td>{word(RETURN_REASONS, r.reason)}</td>
                  <td>
                    <ReturnBadge status={r.status} />
                  </td>
                  <td class="nowrap">
                    {when(r.createdAt, d.timeZone, d.now)}
                    {r.updatedAt.getTime() !== r.createdAt.getTime() ? <span class="sub">updated {when(r.updatedAt, d.timeZone, d.now)}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={d.page} total={d.list.total} perPage={d.limit} href={(page) => href(d.filter, page)} />
    </>
  );
}
