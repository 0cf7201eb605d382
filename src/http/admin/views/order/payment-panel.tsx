// Payment: every payment attempt on the order, and its refunds with their retries.
import { formatMoney } from '../../../../domain/shared/money.ts';
import { StatusBadge } from '../display.tsx';
import type { PanelProps } from './order-page-data.ts';

/** "Visa •••• 4242", or words when the card is unknown. */
export const cardText = (p: { cardBrand: string | null; cardLast4: string | null }) =>
  p.cardLast4 ? `${(p.cardBrand ?? 'card').replace(/^./, (c) => c.toUpperCase())} •••• ${p.cardLast4}` : 'the card that paid';

export function Payments({ detail, canRetryRefunds, csrf, at }: PanelProps) {
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
