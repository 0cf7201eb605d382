// Back-office support inbox: status tabs with counts, assignee filter, search, soonest due
// first, overdue cases marked in words as well as colour. Pure components: data in, markup out.
import { CASE_STATUSES, type AssigneeFilter, type CaseStatus, type Inbox, type InboxItem } from '../../../domain/support/support-service.ts';
import { Pagination, StatusTabs } from './list-parts.tsx';
import { age, when } from './display.tsx';
import { CaseStatusBadge, kindLabel, OverdueTag } from './support-views.tsx';

export type InboxFilter = CaseStatus | 'all';

export type InboxPageData = {
  inbox: Inbox;
  filter: InboxFilter;
  assignee: AssigneeFilter | 'all';
  q: string;
  page: number;
  limit: number;
  now: Date;
  timeZone: string;
};

export const INBOX_TABS: { filter: InboxFilter; label: string }[] = [
  { filter: 'open', label: CASE_STATUSES.open },
  { filter: 'waiting_on_customer', label: CASE_STATUSES.waiting_on_customer },
  { filter: 'resolved', label: CASE_STATUSES.resolved },
  { filter: 'all', label: 'All' },
];

const ASSIGNEE_TABS: { assignee: AssigneeFilter | 'all'; label: string }[] = [
  { assignee: 'all', label: 'Everyone' },
  { assignee: 'mine', label: 'Mine' },
  { assignee: 'unassigned', label: 'Unassigned' },
];

export function inboxHref(d: Pick<InboxPageData, 'filter' | 'assignee' | 'q'> & { page?: number }): string {
  const params = new URLSearchParams();
  if (d.filter !== 'open') params.set('status', d.filter);
  if (d.assignee !== 'all') params.set('assignee', d.assignee);
  if (d.q) params.set('q', d.q);
  if (d.page && d.page > 1) params.set('page', String(d.page));
  const qs = params.toString();
  return qs ? `/admin/support?${qs}` : '/admin/support';
}

function DueCell({ c, now, timeZone }: { c: InboxItem; now: Date; timeZone: string }) {
  if (c.status !== 'open') return <span class="muted">—</span>;
  return (
    <>
      {c.overdue ? <OverdueTag /> : null}{' '}
      <time class="nowrap" datetime={c.dueAt.toISOString()}>
        {when(c.dueAt, timeZone, now)}
      </time>
      <span class="sub">{c.overdue ? `${age(now.getTime() - c.dueAt.getTime())} late` : `in ${age(c.serviceMsLeft)} of service time`}</span>
    </>
  );
}

export function InboxView(d: InboxPageData) {
  const { counts } = d.inbox;
  const countOf = (f: InboxFilter) => (f === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[f]);
  const overdue = d.inbox.items.filter((c) => c.overdue).length;
  return (
    <>
      <div class="page-head">
        <h1>Support inbox</h1>
      </div>

      <form class="filters queue-search" method="get" action="/admin/support" role="search">
        {d.filter !== 'open' ? <input type="hidden" name="status" value={d.filter} /> : null}
        {d.assignee !== 'all' ? <input type="hidden" name="assignee" value={d.assignee} /> : null}
        <div class="field grow">
          <label for="inbox-q">Search</label>
          <input id="inbox-q" name="q" type="search" value={d.q} maxLength={100} aria-describedby="inbox-q-hint" />
          <p class="hint" id="inbox-q-hint">
            Case number, order number or email; any case, dashes optional.
          </p>
        </div>
        <div class="field-buttons">
          <button type="submit">Search</button>
          {d.q ? (
            <a class="button secondary" href={inboxHref({ ...d, q: '' })}>
              Clear
            </a>
          ) : null}
        </div>
      </form>

      <StatusTabs label="Case status" tabs={INBOX_TABS} current={d.filter} href={(filter) => inboxHref({ ...d, filter })} count={countOf} />
      <nav class="assignee-filter" aria-label="Assignee">
        <span class="muted">Assigned to:</span>
        {ASSIGNEE_TABS.map((tab) => (
          <a href={inboxHref({ ...d, assignee: tab.assignee })} aria-current={tab.assignee === d.assignee ? 'page' : undefined}>
            {tab.label}
          </a>
        ))}
      </nav>

      {overdue ? (
        <p class="alert alert-error inbox-overdue" role="status">
          <strong>{overdue === 1 ? '1 case is overdue' : `${overdue} cases are overdue`}</strong> on this page: the customer has waited longer than our reply promise.
        </p>
      ) : null}

      {d.inbox.items.length === 0 ? (
        <p class="empty">{d.q ? 'No cases match this search here.' : 'Nothing waiting here.'}</p>
      ) : (
        <div class="table-wrap">
          <table class="table queue inbox">
            <caption class="visually-hidden">
              {INBOX_TABS.find((t) => t.filter === d.filter)?.label} cases, {d.inbox.total} in all, soonest due first
            </caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Customer</th>
                <th scope="col">About</th>
                <th scope="col">Order</th>
                <th scope="col">Assignee</th>
                <th scope="col">Due</th>
                {d.filter === 'all' ? <th scope="col">Status</th> : null}
              </tr>
            </thead>
            <tbody>
              {d.inbox.items.map((c) => (
                <tr class={c.overdue ? 'overdue' : undefined}>
                  <th scope="row">
                    <a class="order-link" href={`/admin/support/${c.number}`}>
                      {c.number}
                    </a>
                    <span class="sub">{kindLabel(c.kind)}</span>
                  </th>
                  <td>
                    {c.name}
                    <span class="sub">{c.email}</span>
                  </td>
                  <td class="about">
                    {c.subject}
                    <span class="sub">
                      {c.topic} · received {when(c.createdAt, d.timeZone, d.now)}
                    </span>
                  </td>
                  <td class="nowrap">{c.orderNumber ? <a href={`/admin/orders/${c.orderNumber}`}>{c.orderNumber}</a> : <span class="muted">—</span>}</td>
                  <td>{c.assigneeName ?? <span class="muted">Unassigned</span>}</td>
                  <td class="due">
                    <DueCell c={c} now={d.now} timeZone={d.timeZone} />
                  </td>
                  {d.filter === 'all' ? (
                    <td>
                      <CaseStatusBadge status={c.status} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Pagination page={d.page} total={d.inbox.total} perPage={d.limit} href={(page) => inboxHref({ ...d, page })} />
    </>
  );
}
