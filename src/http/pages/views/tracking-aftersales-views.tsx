// The after-sales panels of the tracking page: money going back, cancel and change
// requests, returns and exchanges, and support cases, each with its status in plain words.
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import type { TrackingView } from '../../../domain/tracking/tracking-view.ts';
import { Time } from './shop-time.tsx';

const REQUEST_TYPES: Record<string, string> = { cancel: 'Cancellation request', modify: 'Change request' };
const REQUEST_STATUSES: Record<string, string> = { pending: 'Waiting for our team', approved: 'Approved', declined: 'Declined' };
const RETURN_TYPES: Record<string, string> = { return: 'Return', exchange: 'Exchange', refund: 'Refund' };
const RETURN_STATUSES: Record<string, string> = {
  requested: 'Received, waiting for review',
  approved: 'Approved — see the instructions in your email',
  declined: 'Declined',
  received: 'Items received',
  refunded: 'Refunded',
  exchanged: 'Replacement sent',
  closed: 'Closed',
};
const CASE_STATUSES: Record<string, string> = { open: 'Open — we will reply soon', waiting_on_customer: 'Waiting for your reply', resolved: 'Resolved' };
// A failed refund is retried by us; to the customer it is still on its way.
const REFUND_STATUSES: Record<string, string> = { pending: 'Being processed', failed: 'Being processed', succeeded: 'Refunded' };

const word = (table: Record<string, string>, key: string) => table[key] ?? key.replace(/_/g, ' ');

export function Refunds({ view, settings }: { view: TrackingView; settings: StoreSettings }) {
  if (!view.refunds.length) return null;
  return (
    <section class="panel" aria-labelledby="refunds-title">
      <h2 id="refunds-title">Refunds</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {view.refunds.map((r) => (
            <tr>
              <td>
                <Time at={r.createdAt} s={settings} short />
              </td>
              <td>{r.reason}</td>
              <td>{word(REFUND_STATUSES, r.status)}</td>
              <td class="num">{formatMoney(r.amount, r.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">Refunds go back to the card you paid with; your bank may take a few business days to show them.</p>
    </section>
  );
}

/** Cancellation and change requests (filled by the customer-service feature). */
export function Requests({ view, settings }: { view: TrackingView; settings: StoreSettings }) {
  if (!view.requests.length) return null;
  return (
    <section class="panel" id="requests" aria-labelledby="requests-title">
      <h2 id="requests-title">Your requests</h2>
      <ul class="plain track-list">
        {view.requests.map((r) => (
          <li>
            <strong>{word(REQUEST_TYPES, r.type)}</strong> · {word(REQUEST_STATUSES, r.status)}
            <span class="muted">
              {' '}
              · sent <Time at={r.createdAt} s={settings} short />
              {r.caseNumber ? (
                <>
                  {' '}
                  · case <span class="nowrap">{r.caseNumber}</span>
                </>
              ) : null}
            </span>
            {r.summary.length ? (
              <ul class="request-summary">
                {r.summary.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            ) : null}
            {r.declineReason ? <p class="hint">{r.declineReason}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Return, exchange and refund cases (filled by the after-sales feature). */
export function Returns({ view, settings, token }: { view: TrackingView; settings: StoreSettings; token: string }) {
  const canApply = view.status === 'delivered';
  if (!view.returns.length && !canApply) return null;
  return (
    <section class="panel" id="returns" aria-labelledby="returns-title">
      <h2 id="returns-title">Returns and exchanges</h2>
      {view.returns.length ? (
        <ul class="plain track-list">
          {view.returns.map((r) => (
            <li>
              <strong>{word(RETURN_TYPES, r.type)}</strong> · {word(RETURN_STATUSES, r.status)}
              <span class="muted">
                {' '}
                {r.caseNumber ? `· case ${r.caseNumber} ` : ''}· updated <Time at={r.updatedAt} s={settings} short />
              </span>
              {/* The RMA number matters once the parcel may come back: after approval, and never for a refund only. */}
              {r.type !== 'refund' && !['requested', 'declined'].includes(r.status) ? (
                <p class="hint">
                  RMA number <strong class="mono">{r.number}</strong>
                </p>
              ) : null}
              {r.declineReason ? <p class="hint">{r.declineReason}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canApply ? (
        <p>
          Something not right? You can ask for a return, an exchange or a refund within {settings.returns.windowDays} days of delivery.{' '}
          <a href={`/returns?t=${encodeURIComponent(token)}`}>Return or exchange items</a>
        </p>
      ) : null}
    </section>
  );
}

export function Cases({ view, settings }: { view: TrackingView; settings: StoreSettings }) {
  if (!view.cases.length) return null;
  return (
    <section class="panel" id="cases" aria-labelledby="cases-title">
      <h2 id="cases-title">Your reports and messages</h2>
      <ul class="plain track-list">
        {view.cases.map((c) => (
          <li>
            <strong>Case {c.number}</strong> · {word(CASE_STATUSES, c.status)}
            <br />
            <span class="muted">
              {c.subject} · <Time at={c.createdAt} s={settings} short />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
