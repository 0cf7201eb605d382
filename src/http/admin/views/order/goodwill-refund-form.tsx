// "Refund an amount" on the order page: a goodwill refund of up to what is left on the
// payment, with the reason the customer will read. A fresh key per page view makes a
// double-click one refund.
import { randomUUID } from 'node:crypto';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { GOODWILL_REASON_MAX } from '../../../../domain/payments/goodwill-refund.ts';
import { Field, text } from '../form.tsx';
import type { PanelProps } from './order-page-data.ts';

/** Cents still refundable: the charged payments less every refund not failed. */
export function refundableOf(detail: PanelProps['detail']): number {
  const charged = detail.payments.filter((p) => ['captured', 'authorized', 'capturing'].includes(p.status)).reduce((n, p) => n + p.amount, 0);
  return Math.max(0, charged - detail.refunds.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amount, 0));
}

export function GoodwillRefundForm({ detail, csrf, refused }: Pick<PanelProps, 'detail' | 'csrf' | 'refused'>) {
  const left = refundableOf(detail);
  if (left <= 0) return null;
  const mine = refused?.action === 'goodwill-refund' ? refused : undefined;
  return (
    <details class="more-actions no-print" open={Boolean(mine)}>
      <summary>Refund an amount</summary>
      <form method="post" action={`/admin/orders/${detail.order.number}/refunds`} class="stacked-form">
        {csrf}
        <input type="hidden" name="idempotencyKey" value={text(mine?.values ?? {}, 'idempotencyKey') || randomUUID()} />
        <Field
          name="amount"
          label="Amount ($)"
          value={text(mine?.values ?? {}, 'amount')}
          error={mine?.errors.amount}
          inputMode="decimal"
          required
          hint={`Up to ${formatMoney(left, detail.order.currency)}, back to the card that paid.`}
        />
        <Field
          name="reason"
          label="Reason"
          type="textarea"
          rows={2}
          value={text(mine?.values ?? {}, 'reason')}
          error={mine?.errors.reason}
          maxLength={GOODWILL_REASON_MAX}
          required
          hint="The customer reads this in the refund email, e.g. “Sorry for the late delivery”."
        />
        {mine?.message && !Object.keys(mine.errors).length ? <p class="field-error">{mine.message}</p> : null}
        <button type="submit" class="secondary">
          Refund
        </button>
      </form>
    </details>
  );
}
