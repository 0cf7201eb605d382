// "Return label" on an approved return or exchange: buy a prepaid label through the shipping
// provider (emailed to the customer), or see and print the one bought.
import type { VNode } from 'preact';

export type ReturnLabelData = {
  label?: { id: string; status: string; carrier: string | null; service: string | null; trackingNumber: string | null; lastError: string | null };
  /** A provider is set up and the case is an approved return or exchange. */
  canAttach: boolean;
};

export function ReturnLabelPanel({ data, base, csrf, refusedMessage }: { data?: ReturnLabelData; base: string; csrf: VNode; refusedMessage?: string }) {
  if (!data || (!data.canAttach && !data.label)) return null;
  const l = data.label;
  return (
    <section class="panel" id="return-label" aria-labelledby="return-label-title">
      <h2 id="return-label-title">Return label</h2>
      {l?.status === 'purchased' ? (
        <p>
          <strong>
            {l.carrier} {l.service}
          </strong>{' '}
          <code>{l.trackingNumber}</code> · emailed to the customer{' '}
          <a class="button secondary small" href={`${base}/return-label.pdf`} target="_blank" rel="noopener">
            Print label<span class="visually-hidden"> (opens the PDF)</span>
          </a>
        </p>
      ) : l ? (
        <p class="muted">Being bought{l.lastError ? `: ${l.lastError}` : ''}.</p>
      ) : (
        <form method="post" action={`${base}/return-label`} class="action-form">
          {csrf}
          <p class="hint">A prepaid label for the customer to send the goods back, bought now and emailed with the return instructions.</p>
          {refusedMessage ? <p class="field-error">{refusedMessage}</p> : null}
          <button type="submit" class="secondary">
            Attach a return label
          </button>
        </form>
      )}
    </section>
  );
}
