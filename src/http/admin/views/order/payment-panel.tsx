// Payment: every payment on the order as the provider reported it (authorized, captured,
// refunded, the card, a chargeback), "Capture" while it is only authorized, its refunds with
// their retries, and a goodwill refund of any amount still refundable.
import { formatMoney } from '../../../../domain/shared/money.ts';
import { StatusBadge } from '../display.tsx';
import type { PanelProps } from './order-page-data.ts';
import { GoodwillRefundForm } from './goodwill-refund-form.tsx';

/** "Visa •••• 4242", or words when the card is unknown. */
export const cardText = (p: { cardBrand: string | null; cardLast4: string | null }) =>
  p.cardLast4 ? `${(p.cardBrand ?? 'card').replace(/^./, (c) => c.toUpperCase())} •••• ${p.cardLast4}` : 'the card that paid';

/** A payment nobody has paid yet (a difference after an edit waits for the customer). */
const UNPAID = ['pending', 'open', 'processing'];

/** Dispute statuses after which the chargeback is settled. */
const DISPUTE_OVER = new Set(['won', 'lost', 'warning_closed', 'charge_refunded']);

/** Cents refunded (or released before capture) from payment `paymentId`. */
const refundedOf = (detail: PanelProps['detail'], paymentId: string) =>
  detail.refunds.filter((r) => r.paymentId === paymentId && r.status === 'succeeded').reduce((n, r) => n + r.amount, 0);

export function Payments({ detail, canRetryRefunds, csrf, at, refused }: PanelProps) {
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
            {p.purpose === 'edit' ? <p class="muted">For the changes made by customer service.</p> : null}
            <dl class="facts compact">
              <dt>{UNPAID.includes(p.status) ? 'To pay' : 'Authorized'}</dt>
              <dd>{formatMoney(p.amount, p.currency)}</dd>
              <dt>Captured</dt>
              <dd>{formatMoney(p.amountCaptured, p.currency)}</dd>
              <dt>Refunded</dt>
              <dd>{formatMoney(refundedOf(detail, p.id), p.currency)}</dd>
            </dl>
            {p.disputeStatus ? (
              <p class={DISPUTE_OVER.has(p.disputeStatus) ? 'muted' : 'field-error'}>
                <strong>Dispute</strong> {p.disputeStatus.replace(/_/g, ' ')}: {formatMoney(p.disputeAmount ?? 0, p.currency)}, reason {(p.disputeReason ?? 'unknown').replace(/_/g, ' ')}
                {DISPUTE_OVER.has(p.disputeStatus) ? '' : ' — answer it in the payment provider\'s dashboard before its deadline.'}
              </p>
            ) : null}
            {p.status === 'authorized' && canRetryRefunds ? (
              <form method="post" action={`/admin/orders/${detail.order.number}/capture`} class="no-print">
                {csrf}
                <button type="submit" class="secondary small">
                  Capture {formatMoney(p.amount - refundedOf(detail, p.id), p.currency)}
                </button>{' '}
                <span class="muted">Reserved on the card; taken automatically at the handover to the carrier.</span>
              </form>
            ) : null}
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
      {canRetryRefunds ? <GoodwillRefundForm detail={detail} csrf={csrf} refused={refused} /> : null}
    </section>
  );
}
