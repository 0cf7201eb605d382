// Back-office after-sales screen for one case: its items, the customer's reason, description
// and photos, its history, and only the actions the state table allows now (the list of
// cases is return-list-views.tsx). Pure components: data in, markup out; times in the shop's zone.
import type { VNode } from 'preact';
import type { ReturnDetail } from '../../../domain/returns/return-queries.ts';
import { RECEIVED_CONDITIONS, RETURN_REASONS, lastReturnDay, returnWindowEnd } from '../../../domain/returns/return-rules.ts';
import { RETURN_STATES, RETURN_TYPES, type ReturnStatus } from '../../../domain/returns/return-states.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { FieldError } from '../../pages/views/parts.tsx';
import { when } from './display.tsx';
import { ReturnLabelPanel, type ReturnLabelData } from './return-label-panel.tsx';

/** Short names for the tabs and badges. */
export const RETURN_STATUS_LABELS: Record<ReturnStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  declined: 'Declined',
  received: 'Received',
  refunded: 'Refunded',
  exchanged: 'Replacement sent',
  closed: 'Closed',
};

export const word = <T extends Record<string, string>>(table: T, key: string) => (Object.hasOwn(table, key) ? table[key as keyof T] : key.replace(/_/g, ' '));
const optionsText = (options: Record<string, string>) => Object.values(options).filter(Boolean).join(', ');

export function ReturnBadge({ status }: { status: string }) {
  return <span class={`status status-return-${status}`}>{word(RETURN_STATUS_LABELS, status)}</span>;
}

// ------------------------------------------------------------------ one case

export type CasePageData = {
  detail: ReturnDetail;
  csrf: VNode;
  now: Date;
  timeZone: string;
  windowDays: number;
  returnLabel?: ReturnLabelData;
  /** The action refused last, with its message, field errors and what was typed. */
  refused?: { action: string; message?: string; errors: Record<string, string>; values: Record<string, string> };
};

/** The form field that records an item's condition on receipt. */
export const conditionField = (sku: string) => `condition.${sku}`;

function Actions(d: CasePageData) {
  const { detail } = d;
  const rc = detail.returnCase;
  const base = `/admin/returns/${rc.number}`;
  const money = (n: number) => formatMoney(n, detail.order.currency);
  const refused = (action: string) => (d.refused?.action === action ? d.refused : undefined);
  const can = (s: ReturnStatus) => detail.next.includes(s);
  if (!detail.next.length) return null;
  const skus = [...new Map(detail.items.map((i) => [i.sku, i])).values()];

  return (
    <section class="panel actions" aria-labelledby="next-title">
      <h2 id="next-title">Next step</h2>
      {can('approved') ? (
        <form method="post" action={`${base}/approve`} class="action-form return-action">
          {d.csrf}
          <div class={`field${refused('approve')?.errors.note ? ' invalid' : ''}`}>
            <label for="approve-note">
              Note to the customer <span class="optional">(optional)</span>
            </label>
            <textarea id="approve-note" name="note" rows={2} maxLength={500} aria-describedby="approve-note-hint">
              {refused('approve')?.values.note ?? ''}
            </textarea>
            <p class="hint" id="approve-note-hint">
              {rc.type === 'refund'
                ? 'The customer is told the refund follows; nothing needs to be sent back.'
                : `The customer is emailed the RMA number ${rc.number} and the return address.`}
            </p>
            <FieldError id="approve-note" error={refused('approve')?.errors.note} />
          </div>
          <button type="submit">Approve</button>
        </form>
      ) : null}
      {can('declined') ? (
        <form method="post" action={`${base}/decline`} class="action-form return-action">
          {d.csrf}
          <div class={`field${refused('decline')?.errors.reason ? ' invalid' : ''}`}>
            <label for="decline-reason">Reason for declining</label>
            <textarea
              id="decline-reason"
              name="reason"
              rows={2}
              maxLength={500}
              required
              aria-invalid={refused('decline')?.errors.reason ? 'true' : undefined}
              aria-describedby={['decline-reason-hint', refused('decline')?.errors.reason ? 'decline-reason-error' : ''].filter(Boolean).join(' ')}
            >
              {refused('decline')?.values.reason ?? ''}
            </textarea>
            <p class="hint" id="decline-reason-hint">
              Emailed to the customer, in words for them.
            </p>
            <FieldError id="decline-reason" error={refused('decline')?.errors.reason} />
          </div>
          <button type="submit" class="secondary">
            Decline
          </button>
        </form>
      ) : null}
      {can('received') ? (
        <form method="post" action={`${base}/receive`} class="action-form return-action">
          {d.csrf}
          <p>Record what came back: resellable items go back in stock; damaged ones are written off in the stock ledger.</p>
          {skus.map((i) => {
            const name = conditionField(i.sku);
            const id = `receive-${i.sku.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
            const error = refused('receive')?.errors[name];
            const chosen = refused('receive')?.values[name] ?? '';
            return (
              <div class={`field${error ? ' invalid' : ''}`}>
                <label for={id}>
                  {i.name}
                  {optionsText(i.options) ? ` (${optionsText(i.options)})` : ''} · {detail.items.filter((x) => x.sku === i.sku).reduce((n, x) => n + x.quantity, 0)} ×{' '}
                  <code>{i.sku}</code>
                </label>
                <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
                  <option value="" selected={!chosen}>
                    Choose the condition found
                  </option>
                  {Object.entries(RECEIVED_CONDITIONS).map(([value, label]) => (
                    <option value={value} selected={chosen === value}>
                      {label} — {value === 'resellable' ? 'back in stock' : 'written off'}
                    </option>
                  ))}
                </select>
                <FieldError id={id} error={error} />
              </div>
            );
          })}
          <button type="submit">Mark received</button>
        </form>
      ) : null}
      {can('refunded') && detail.quote ? (
        <form method="post" action={`${base}/refund`} class="action-form return-action">
          {d.csrf}
          <dl class="kv refund-quote">
            <dt>Goods</dt>
            <dd>{money(detail.quote.goods)}</dd>
            <dt>Tax share</dt>
            <dd>{money(detail.quote.tax)}</dd>
            {detail.quote.shipping ? (
              <>
                <dt>Shipping charge</dt>
                <dd>{money(detail.quote.shipping)}</dd>
              </>
            ) : null}
            {detail.quote.fee ? (
              <>
                <dt>Restocking fee</dt>
                <dd>−{money(detail.quote.fee)}</dd>
              </>
            ) : null}
            <dt>
              <strong>Refund</strong>
            </dt>
            <dd>
              <strong>{money(detail.quote.amount)}</strong>
            </dd>
          </dl>
          <p class="hint">Goes back to the card that paid, once; pressing again shows the same refund.</p>
          <button type="submit">Refund</button>
        </form>
      ) : null}
      {can('exchanged') ? (
        <form method="post" action={`${base}/exchange`} class="action-form return-action">
          {d.csrf}
          <p>A new order at no charge, with the stock taken now; it goes through verification, preparation, packing and shipping like any order.</p>
          <ul class="compact-list">
            {detail.items
              .filter((i) => i.exchange)
              .map((i) => (
                <li>
                  {i.exchange!.quantity} × {i.exchange!.name}
                  {optionsText(i.exchange!.options) ? ` (${optionsText(i.exchange!.options)})` : ''} <code>{i.exchange!.sku}</code>{' '}
                  <span class={i.exchange!.stock >= i.exchange!.quantity ? 'sub' : 'late'}>{i.exchange!.stock} in stock</span>
                </li>
              ))}
          </ul>
          <button type="submit">Send replacement</button>
        </form>
      ) : null}
      {can('closed') ? (
        <form method="post" action={`${base}/close`} class="action-form return-action">
          {d.csrf}
          <p>Nothing more to do: closing also resolves the support case.</p>
          <button type="submit" class="secondary">
            Close
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function ReturnCaseView(d: CasePageData) {
  const { detail } = d;
  const rc = detail.returnCase;
  const at = (date: Date) => when(date, d.timeZone, d.now);
  const money = (n: number, currency = detail.order.currency) => formatMoney(n, currency);
  const windowEnd = detail.deliveredAt ? returnWindowEnd(detail.deliveredAt, d.windowDays, d.timeZone) : null;
  const hasExchange = detail.items.some((i) => i.exchange);
  const hasCondition = detail.items.some((i) => i.condition);
  return (
    <>
      <p class="breadcrumb no-print">
        <a href="/admin/returns">← Returns</a>
      </p>
      <div class="page-head">
        <h1>
          {word(RETURN_TYPES, rc.type)} <span class="order-number">{rc.number}</span>
        </h1>
        <ReturnBadge status={rc.status} />
      </div>
      <p class="muted order-meta">
        Order{' '}
        <a class="order-link" href={`/admin/orders/${detail.order.number}`}>
          {detail.order.number}
        </a>{' '}
        · {detail.order.customerName} · {detail.order.email} · applied {at(rc.createdAt)}
        {detail.supportCase ? (
          <>
            {' '}
            · support case <a href={`/admin/support/${detail.supportCase.number}`}>{detail.supportCase.number}</a>
          </>
        ) : null}
      </p>
      {d.refused?.message ? (
        <div class="alert alert-error" role="alert">
          <strong>Not done:</strong> {d.refused.message}
        </div>
      ) : null}

      <div class="order-grid">
        <div class="order-main">
          <Actions {...d} />
          <ReturnLabelPanel data={d.returnLabel} base={`/admin/returns/${rc.number}`} csrf={d.csrf} refusedMessage={d.refused?.action === 'return-label' ? d.refused.message : undefined} />
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
                      Price paid
                    </th>
                    {hasExchange ? <th scope="col">Exchange for</th> : null}
                    {hasCondition ? <th scope="col">Found</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {detail.items.map((i) => (
                    <tr>
                      <td>
                        {i.name}
                        {optionsText(i.options) ? <span class="sub">{optionsText(i.options)}</span> : null}
                      </td>
                      <td>
                        <code>{i.sku}</code>
                      </td>
                      <td class="num qty">{i.quantity}</td>
                      <td class="num">{money(i.unitPrice)}</td>
                      {hasExchange ? (
                        <td>
                          {i.exchange ? (
                            <>
                              {i.exchange.quantity} × <code>{i.exchange.sku}</code>
                              {optionsText(i.exchange.options) ? <span class="sub">{optionsText(i.exchange.options)}</span> : null}
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      ) : null}
                      {hasCondition ? <td>{i.condition ? word(RECEIVED_CONDITIONS, i.condition) : '—'}</td> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section class="panel" aria-labelledby="customer-title">
            <h2 id="customer-title">What the customer says</h2>
            <dl class="kv">
              <dt>Reason</dt>
              <dd>{word(RETURN_REASONS, rc.reason)}</dd>
            </dl>
            <h3>Condition</h3>
            <p class="return-condition">{rc.condition}</p>
            {rc.photos.length ? (
              <>
                <h3>Photos</h3>
                <ul class="plain return-photos">
                  {rc.photos.map((_, i) => (
                    <li>
                      <a href={`/admin/returns/${rc.number}/photos/${i}/large`} target="_blank" rel="noopener">
                        <img src={`/admin/returns/${rc.number}/photos/${i}/thumb`} alt={`Customer photo ${i + 1} of ${rc.photos.length}`} loading="lazy" />
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p class="muted">No photos attached.</p>
            )}
          </section>
        </div>

        <aside>
          <section class="panel" aria-labelledby="facts-title">
            <h2 id="facts-title">Case</h2>
            <dl class="kv">
              <dt>Kind</dt>
              <dd>{word(RETURN_TYPES, rc.type)}</dd>
              <dt>Status</dt>
              <dd>{word(RETURN_STATES, rc.status)}</dd>
              <dt>Delivered</dt>
              <dd>{detail.deliveredAt ? at(detail.deliveredAt) : '—'}</dd>
              {windowEnd ? (
                <>
                  <dt>Window</dt>
                  <dd>until {lastReturnDay(windowEnd, d.timeZone)}</dd>
                </>
              ) : null}
              {rc.declineReason ? (
                <>
                  <dt>Declined</dt>
                  <dd>{rc.declineReason}</dd>
                </>
              ) : null}
              {detail.refund ? (
                <>
                  <dt>Refund</dt>
                  <dd>
                    {money(detail.refund.amount, detail.refund.currency)} <span class={`status status-refund-${detail.refund.status}`}>{detail.refund.status}</span>
                  </dd>
                </>
              ) : null}
              {detail.replacement ? (
                <>
                  <dt>Replacement</dt>
                  <dd>
                    <a class="order-link" href={`/admin/orders/${detail.replacement.number}`}>
                      {detail.replacement.number}
                    </a>{' '}
                    <span class="sub">{detail.replacement.status}</span>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
          <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">History</h2>
            <ol class="plain records">
              {detail.events.map((e) => (
                <li>
                  <p>{e.message}</p>
                  <p class="sub">
                    {e.actor} · {at(e.at)}
                  </p>
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </>
  );
}

export function ReturnNotFoundView({ number }: { number: string }) {
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/returns">← Returns</a>
      </p>
      <h1>No such return case</h1>
      <p>
        There is no return case <code>{number}</code>. Check the RMA number, or find the case in the list.
      </p>
    </>
  );
}
