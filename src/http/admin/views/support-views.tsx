// Back-office support screens: the inbox (status tabs with counts, assignee filter, search,
// soonest due first, overdue cases marked in words as well as colour) and one case (the
// whole conversation, the linked order, the request to decide, reply, note, assignee and
// status). Pure components: data in, markup out.
import type { VNode } from 'preact';
import { describeChanges, type StoredChanges } from '../../../domain/requests/modification.ts';
import { REQUEST_STATUSES, REQUEST_TYPES, type ChangePreview, type OrderRequestType, type RequestStatus } from '../../../domain/requests/order-requests.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { CASE_KINDS, CASE_STATUSES, NOTE_MAX, REPLY_MAX, type AssigneeFilter, type CaseDetail, type CaseStatus, type Inbox, type InboxItem } from '../../../domain/support/support-service.ts';
import type { SupportCaseKind } from '../../../domain/support/support-cases.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './form.tsx';
import { Pagination, StatusTabs } from './list-parts.tsx';
import { age, StatusBadge, STATUS_LABELS, when } from './display.tsx';
import type { OrderStatus } from '../../../domain/orders/order-states.ts';

const kindLabel = (kind: string) => CASE_KINDS[kind as SupportCaseKind] ?? kind.replace(/_/g, ' ');

export function CaseStatusBadge({ status }: { status: string }) {
  return <StatusBadge kind="case-" status={status} label={CASE_STATUSES[status as CaseStatus] ?? status} />;
}

/** "Overdue" in words (not colour alone), for the queue and the case page. */
const OverdueTag = () => <span class="pill pill-bad overdue-tag">Overdue</span>;

// ------------------------------------------------------------------ the inbox

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

// ------------------------------------------------------------------ one case

export type CasePageData = {
  detail: CaseDetail;
  viewer: { id: string };
  /** May reply, note, assign and change the status (support.reply). */
  canAct: boolean;
  /** May approve or decline requests (requests.decide). */
  canDecide: boolean;
  /** What approving the pending change would do now. */
  preview?: ChangePreview;
  csrf: VNode;
  now: Date;
  timeZone: string;
  /** A refused action: which form, the reason (409) or field errors (422), and what was typed. */
  refused?: { action: string; message?: string; errors: FormErrors; values: FormValues };
};

const FIELD_LABELS: Record<string, string> = { body: 'Message to the customer', note: 'Internal note', reason: 'Reason', assignee: 'Assignee', status: 'Status' };

const HISTORY_LABELS: Record<string, string> = { customer: 'Customer', reply: 'Reply emailed', note: 'Internal note', system: 'Update' };

function History({ detail, at }: { detail: CaseDetail; at: (d: Date) => string }) {
  return (
    <ol class="case-history">
      {detail.history.map((m) => (
        <li class={`msg msg-${m.kind}`}>
          <p class="msg-head">
            <span class="tag">{HISTORY_LABELS[m.kind] ?? m.kind}</span>
            <span class="actor">{m.kind === 'customer' ? detail.case.name : (m.staffName ?? 'System')}</span> ·{' '}
            <time datetime={m.createdAt.toISOString()}>{at(m.createdAt)}</time>
          </p>
          <div class="msg-body">{m.body}</div>
          {m.attachments.length ? (
            <p class="muted msg-attachments">
              {m.attachments.length} {m.attachments.length === 1 ? 'photo' : 'photos'} attached
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function RequestPanel(d: CasePageData & { at: (d: Date) => string }) {
  const r = d.detail.request;
  if (!r) return null;
  const type = REQUEST_TYPES[r.type as OrderRequestType] ?? r.type;
  const changes = describeChanges(r.changes as StoredChanges | null);
  const previous = (r.changes as StoredChanges | null)?.previousAddress;
  const refused = d.refused?.action === 'approve' || d.refused?.action === 'decline' ? d.refused : undefined;
  return (
    <section class="panel actions request-panel" aria-labelledby="request-title">
      <h2 id="request-title">
        {type} request <StatusBadge kind="request-" status={r.status} label={REQUEST_STATUSES[r.status as RequestStatus] ?? r.status} />
      </h2>
      {r.type === 'cancel' ? (
        <p>
          {r.status === 'pending'
            ? 'The customer asks to cancel the whole order. Approving cancels it, puts the stock back and refunds what was paid.'
            : 'The customer asked to cancel the whole order.'}
        </p>
      ) : (
        <>
          <p>{r.status === 'pending' ? 'The customer asks for these changes:' : 'The customer asked for these changes:'}</p>
          <ul class="request-changes">
            {changes.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
          {previous ? (
            <p class="muted">
              Current address: {previous.name}, {previous.line1}
              {previous.line2 ? `, ${previous.line2}` : ''}, {previous.city}, {previous.state} {previous.postalCode}
            </p>
          ) : null}
          {d.preview && 'problem' in d.preview ? (
            <div class="alert alert-error" role="status">
              <strong>Cannot be approved as it stands:</strong> {d.preview.problem}
            </div>
          ) : d.preview ? (
            <p class="change-preview">
              If approved: new total <strong>{formatMoney(d.preview.total, d.preview.currency)}</strong> (shipping {formatMoney(d.preview.shipping, d.preview.currency)}, tax{' '}
              {formatMoney(d.preview.tax, d.preview.currency)}), and <strong>{formatMoney(d.preview.refund, d.preview.currency)}</strong> goes back to the customer’s card.
            </p>
          ) : null}
          {r.status === 'pending' ? (
            <p class="hint">Approving updates the order and its totals (tax recomputed), puts removed units back in stock and refunds the difference.</p>
          ) : null}
        </>
      )}
      {refused?.message ? (
        <div class="alert alert-error" role="alert">
          <strong>Not done:</strong> {refused.message}
        </div>
      ) : null}
      {r.status === 'pending' ? (
        d.canDecide ? (
          <>
            <div class="action-row">
              <form method="post" action={`/admin/support/${d.detail.case.number}/approve`} class="action-form">
                {d.csrf}
                <button type="submit">Approve</button>
              </form>
              <form method="post" action={`/admin/support/${d.detail.case.number}/decline`} class="action-form decline-form">
                {d.csrf}
                <Field
                  name="reason"
                  label="Reason for declining"
                  value={d.refused?.action === 'decline' ? text(d.refused.values, 'reason') : ''}
                  error={d.refused?.action === 'decline' ? d.refused.errors.reason : undefined}
                  hint="Emailed to the customer."
                  maxLength={500}
                />
                <button type="submit" class="secondary">
                  Decline
                </button>
              </form>
            </div>
          </>
        ) : (
          <p class="muted">Your role cannot approve or decline requests.</p>
        )
      ) : (
        <p class="muted">
          {REQUEST_STATUSES[r.status as RequestStatus] ?? r.status}
          {r.decidedBy ? ` by ${r.decidedBy}` : ''}
          {r.decidedAt ? `, ${d.at(r.decidedAt)}` : ''}.{r.declineReason ? ` Reason: ${r.declineReason}` : ''}
        </p>
      )}
    </section>
  );
}

export function CaseView(d: CasePageData) {
  const c = d.detail.case;
  const at = (date: Date) => when(date, d.timeZone, d.now);
  const refusedHere = (action: string) => (d.refused?.action === action ? d.refused : undefined);
  const given = typeof c.details.orderNumber === 'string' ? c.details.orderNumber : undefined;
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/support">← Support inbox</a>
      </p>
      <div class="page-head">
        <h1>
          Case <span class="order-number">{c.number}</span>
        </h1>
        <CaseStatusBadge status={c.status} />
        {d.detail.overdue ? <OverdueTag /> : null}
      </div>
      <p class="muted order-meta">
        {kindLabel(c.kind)}
        {c.topic !== kindLabel(c.kind) ? ` · ${c.topic}` : ''} · received {at(c.createdAt)}
        {c.status === 'open' ? (
          <>
            {' '}
            · {d.detail.overdue ? <strong class="late">reply was due {at(c.dueAt)}</strong> : <>reply due {at(c.dueAt)} (in {age(d.detail.serviceMsLeft)} of service time)</>}
          </>
        ) : null}
        {c.firstRepliedAt ? ` · first reply ${at(c.firstRepliedAt)}` : ''}
      </p>
      {d.refused?.message && !['approve', 'decline'].includes(d.refused.action) ? (
        <div class="alert alert-error" role="alert">
          <strong>Not done:</strong> {d.refused.message}
        </div>
      ) : null}

      <div class="order-grid">
        <div class="order-main">
          <RequestPanel {...d} at={at} />
          <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{c.subject}</h2>
            <History detail={d.detail} at={at} />
          </section>

          {d.canAct ? (
            <>
              <section class="panel" aria-labelledby="reply-title">
                <h2 id="reply-title">Reply to {c.name}</h2>
                <ErrorSummary errors={refusedHere('reply')?.errors ?? {}} labels={FIELD_LABELS} />
                <form method="post" action={`/admin/support/${c.number}/reply`} class="reply-form">
                  {d.csrf}
                  <Field
                    name="body"
                    label="Message to the customer"
                    type="textarea"
                    rows={6}
                    maxLength={REPLY_MAX}
                    value={text(refusedHere('reply')?.values ?? {}, 'body')}
                    error={refusedHere('reply')?.errors.body}
                    hint={`Emailed to ${c.email} with the case number, and kept in the history above.`}
                  />
                  <div class="row reply-row">
                    <SelectField
                      name="status"
                      label="Then the case is"
                      value={text(refusedHere('reply')?.values ?? {}, 'status') || 'waiting_on_customer'}
                      options={[
                        { value: 'waiting_on_customer', label: CASE_STATUSES.waiting_on_customer },
                        { value: 'open', label: `${CASE_STATUSES.open} (we owe another answer)` },
                        { value: 'resolved', label: CASE_STATUSES.resolved },
                      ]}
                      error={refusedHere('reply')?.errors.status}
                    />
                  </div>
                  <button type="submit">Reply</button>
                </form>
              </section>
              <section class="panel" aria-labelledby="note-title">
                <h2 id="note-title">Internal note</h2>
                <form method="post" action={`/admin/support/${c.number}/notes`} class="note-form">
                  {d.csrf}
                  <Field
                    name="note"
                    label="Note for the team"
                    type="textarea"
                    rows={2}
                    maxLength={NOTE_MAX}
                    value={text(refusedHere('note')?.values ?? {}, 'note')}
                    error={refusedHere('note')?.errors.note}
                    hint="Seen by staff only, never by the customer."
                  />
                  <button type="submit" class="secondary">
                    Add note
                  </button>
                </form>
              </section>
            </>
          ) : null}
        </div>

        <aside class="order-side">
          <section class="panel" aria-labelledby="customer-title">
            <h2 id="customer-title">Customer</h2>
            <dl class="kv">
              <dt>Name</dt>
              <dd>{c.name}</dd>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${c.email}`}>{c.email}</a>
              </dd>
              <dt>Order</dt>
              <dd>
                {d.detail.order ? (
                  <>
                    <a href={`/admin/orders/${d.detail.order.number}`}>{d.detail.order.number}</a>{' '}
                    <StatusBadge status={d.detail.order.status} label={STATUS_LABELS[d.detail.order.status as OrderStatus]} />
                  </>
                ) : given ? (
                  <>
                    {given} <span class="sub">Not linked: the email does not match this order’s, or no such order.</span>
                  </>
                ) : (
                  <span class="muted">None given</span>
                )}
              </dd>
              {d.detail.returnCase ? (
                <>
                  <dt>After-sales</dt>
                  <dd>
                    <a href={`/admin/returns/${d.detail.returnCase.number}`}>{d.detail.returnCase.number}</a> <span class="sub">{d.detail.returnCase.status}</span>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>

          <section class="panel" aria-labelledby="handling-title">
            <h2 id="handling-title">Handling</h2>
            {d.canAct ? (
              <>
                <form method="post" action={`/admin/support/${c.number}/assign`} class="side-form">
                  {d.csrf}
                  <SelectField
                    name="assignee"
                    label="Assignee"
                    value={c.assigneeId ?? ''}
                    error={refusedHere('assign')?.errors.assignee}
                    options={[
                      { value: '', label: 'Unassigned' },
                      ...d.detail.staff.map((s) => ({ value: s.id, label: s.id === d.viewer.id ? `${s.name} (me)` : s.name })),
                    ]}
                  />
                  <button type="submit" class="secondary small">
                    Assign
                  </button>
                </form>
                <form method="post" action={`/admin/support/${c.number}/status`} class="side-form">
                  {d.csrf}
                  <SelectField
                    name="status"
                    label="Status"
                    value={c.status}
                    error={refusedHere('status')?.errors.status}
                    options={Object.entries(CASE_STATUSES).map(([value, label]) => ({ value, label }))}
                  />
                  <button type="submit" class="secondary small">
                    Change status
                  </button>
                </form>
              </>
            ) : (
              <dl class="kv">
                <dt>Assignee</dt>
                <dd>{d.detail.assigneeName ?? 'Unassigned'}</dd>
              </dl>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}
