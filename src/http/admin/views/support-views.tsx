// Back-office support screens: one case (the whole conversation, the linked order, the
// request to decide, reply, note, assignee and status), and the case badges the inbox
// (support-inbox-views.tsx) shares. Pure components: data in, markup out.
import type { VNode } from 'preact';
import { describeChanges, type StoredChanges } from '../../../domain/requests/modification.ts';
import { REQUEST_STATUSES, REQUEST_TYPES, type OrderRequestType, type RequestStatus } from '../../../domain/requests/request-rules.ts';
import type { ChangePreview } from '../../../domain/requests/request-decisions.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { CASE_KINDS, CASE_STATUSES, NOTE_MAX, REPLY_MAX, type CaseDetail, type CaseStatus } from '../../../domain/support/support-service.ts';
import type { SupportCaseKind } from '../../../domain/support/support-cases.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './form.tsx';
import { age, StatusBadge, STATUS_LABELS, when } from './display.tsx';
import type { OrderStatus } from '../../../domain/orders/order-states.ts';

export const kindLabel = (kind: string) => CASE_KINDS[kind as SupportCaseKind] ?? kind.replace(/_/g, ' ');

export function CaseStatusBadge({ status }: { status: string }) {
  return <StatusBadge kind="case-" status={status} label={CASE_STATUSES[status as CaseStatus] ?? status} />;
}

/** "Overdue" in words (not colour alone), for the queue and the case page. */
export const OverdueTag = () => <span class="pill pill-bad overdue-tag">Overdue</span>;

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
