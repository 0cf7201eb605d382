// "Change or cancel this order" on the tracking view: until the parcel is handed to the
// carrier, a form to ask for a cancellation and one to ask for a new address or fewer items.
// After a request is sent the section says what happened to it. Pure: data in, markup out;
// both forms post with the tracking link's token, so nothing needs typing again.
import { US_STATES } from '../../../domain/checkout/us-states.ts';
import { BEFORE_SHIPPING } from '../../../domain/orders/order-states.ts';
import { REQUEST_MESSAGE_MAX } from '../../../domain/requests/request-rules.ts';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import type { TrackingView } from '../../../domain/tracking/tracking-view.ts';
import { FieldError } from './parts.tsx';

/** The address fields of the change form, as named in the form. */
export const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'state', 'postalCode'] as const;
/** The quantity field of an order line in the change form. */
export const qtyField = (sku: string) => `qty.${sku}`;

export type RequestFormState = {
  /** The form that was sent and refused: what was typed, errors by field, or one message. */
  form?: 'cancel' | 'modify';
  values?: Record<string, string>;
  errors?: Record<string, string>;
  message?: string;
  /** The id of a request just sent (after the redirect), to confirm it. */
  sentId?: string;
};

type Props = { view: TrackingView; settings: StoreSettings; token: string; state?: RequestFormState };

function Input(p: { id: string; name: string; label: string; value?: string; error?: string; autocomplete?: string; optional?: boolean; maxLength?: number; inputMode?: 'numeric' }) {
  const describedBy = p.error ? `${p.id}-error` : undefined;
  return (
    <div class={`field${p.error ? ' invalid' : ''}`}>
      <label for={p.id}>
        {p.label}
        {p.optional ? <span class="optional"> (optional)</span> : null}
      </label>
      <input id={p.id} name={p.name} type="text" value={p.value ?? ''} autocomplete={p.autocomplete} maxLength={p.maxLength} inputMode={p.inputMode} aria-invalid={p.error ? 'true' : undefined} aria-describedby={describedBy} />
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

function Message({ id, value, error }: { id: string; value?: string; error?: string }) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>
        Message <span class="optional">(optional)</span>
      </label>
      <textarea id={id} name="message" rows={3} maxLength={REQUEST_MESSAGE_MAX} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {value ?? ''}
      </textarea>
      <FieldError id={id} error={error} />
    </div>
  );
}

/** What the customer sees right after sending a request, by how it turned out. */
function SentNotice({ view, id }: { view: TrackingView; id: string }) {
  const r = view.requests.find((x) => x.id === id);
  if (!r) return null;
  const caseText = r.caseNumber ? (
    <>
      {' '}
      Your case number is <strong>{r.caseNumber}</strong>.
    </>
  ) : null;
  if (r.type === 'cancel' && r.status === 'approved') {
    const refund = view.refunds.find((x) => x.reason === 'Order cancelled');
    return (
      <div class="alert alert-ok" role="status" id="request-sent">
        <strong>Your order is cancelled.</strong>
        {refund ? ` ${formatMoney(refund.amount, refund.currency)} ${refund.status === 'succeeded' ? 'has been refunded' : 'is being refunded'} to your card.` : ''}
        {caseText} We have emailed you the details.
      </div>
    );
  }
  return (
    <div class="alert alert-ok" role="status" id="request-sent">
      <strong>We received your request.</strong>
      {caseText} Our team will review it during our service hours and email you; reply to that email to add anything.
    </div>
  );
}

export function ChangeOrCancel({ view, settings, token, state }: Props) {
  const open = (BEFORE_SHIPPING as readonly string[]).includes(view.status);
  const notice = state?.sentId ? <SentNotice view={view} id={state.sentId} /> : null;
  if (!open) return notice;

  const pending = (type: string) => view.requests.find((r) => r.type === type && r.status === 'pending');
  const refused = (form: 'cancel' | 'modify') => (state?.form === form ? state : undefined);
  // The fragment brings a refused form back into view.
  const action = (fragment: string) => `/track/request?t=${encodeURIComponent(token)}#${fragment}`;
  const instant = settings.requests.autoApproveCancelIn.includes(view.status);
  const cancelState = refused('cancel');
  const modifyState = refused('modify');
  const v = (name: string) => modifyState?.values?.[name];
  const e = (name: string) => modifyState?.errors?.[name];
  const formError = (s?: RequestFormState) =>
    s?.message ? (
      <div class="alert alert-error" role="alert">
        {s.message}
      </div>
    ) : null;

  return (
    <>
      {notice}
      <section class="panel order-requests" id="change" aria-labelledby="change-title">
        <h2 id="change-title">Change or cancel this order</h2>
        <p>
          Until your parcel is handed to the carrier you can ask us to cancel the order, or to send it to another address or with fewer items.{' '}
          {instant
            ? 'At this stage a cancellation goes through at once, and your refund starts right away.'
            : 'It is already being prepared, so our team checks whether it can still be stopped and emails you the answer.'}
        </p>

        <div class="request-form">
          <h3>Cancel the order</h3>
          {pending('cancel') ? (
            <p class="muted">Your cancellation request is with our team; we will email you the answer.</p>
          ) : (
            <form method="post" action={action('change')} novalidate>
              <input type="hidden" name="type" value="cancel" />
              {formError(cancelState)}
              <Message id="cancel-message" value={cancelState?.values?.message} error={cancelState?.errors?.message} />
              <button type="submit" class="danger">
                Ask to cancel
              </button>
            </form>
          )}
        </div>

        <div class="request-form" id="change-form">
          <h3>Change the order</h3>
          {pending('modify') ? (
            <p class="muted">Your change request is with our team; we will email you the answer.</p>
          ) : (
            <details open={Boolean(modifyState)}>
              <summary>Send it elsewhere, or with fewer items</summary>
              <form method="post" action={action('change-form')} novalidate>
                <input type="hidden" name="type" value="modify" />
                {formError(modifyState)}
                <fieldset class={e('address') ? 'invalid' : undefined}>
                  <legend>
                    New shipping address <span class="optional">(leave empty to keep the current one)</span>
                  </legend>
                  {e('address') ? <p class="field-error">{e('address')}</p> : null}
                  <Input id="change-name" name="name" label="Full name" value={v('name')} error={e('name')} autocomplete="shipping name" maxLength={100} />
                  <Input id="change-line1" name="line1" label="Address line 1" value={v('line1')} error={e('line1')} autocomplete="shipping address-line1" maxLength={200} />
                  <Input id="change-line2" name="line2" label="Address line 2" value={v('line2')} error={e('line2')} autocomplete="shipping address-line2" maxLength={200} optional />
                  <div class="row address-row">
                    <Input id="change-city" name="city" label="City" value={v('city')} error={e('city')} autocomplete="shipping address-level2" maxLength={100} />
                    <div class={`field${e('state') ? ' invalid' : ''}`}>
                      <label for="change-state">State</label>
                      <select id="change-state" name="state" autocomplete="shipping address-level1" aria-invalid={e('state') ? 'true' : undefined} aria-describedby={e('state') ? 'change-state-error' : undefined}>
                        <option value="">Choose…</option>
                        {Object.entries(US_STATES).map(([code, name]) => (
                          <option value={code} selected={code === (v('state') ?? '').toUpperCase()}>
                            {name}
                          </option>
                        ))}
                      </select>
                      <FieldError id="change-state" error={e('state')} />
                    </div>
                    <Input id="change-postalCode" name="postalCode" label="ZIP code" value={v('postalCode')} error={e('postalCode')} autocomplete="shipping postal-code" maxLength={10} inputMode="numeric" />
                  </div>
                </fieldset>
                <fieldset class={e('items') ? 'invalid' : undefined}>
                  <legend>Quantities</legend>
                  <p class="hint">Lower a quantity, or set it to 0 to remove the item. Items cannot be added: for more, place a new order.</p>
                  {e('items') ? <p class="field-error">{e('items')}</p> : null}
                  <ul class="plain request-items">
                    {view.items.map((item, i) => {
                      const name = qtyField(item.sku);
                      const error = e(name);
                      return (
                        <li class={`field${error ? ' invalid' : ''}`}>
                          <label for={`change-qty-${i}`}>
                            {item.name}
                            {Object.keys(item.options).length ? <span class="optional"> · {Object.values(item.options).join(', ')}</span> : null}
                            <span class="hint"> (ordered: {item.quantity})</span>
                          </label>
                          <input
                            id={`change-qty-${i}`}
                            name={name}
                            type="number"
                            min={0}
                            max={item.quantity}
                            step={1}
                            inputMode="numeric"
                            value={v(name) ?? String(item.quantity)}
                            aria-invalid={error ? 'true' : undefined}
                            aria-describedby={error ? `change-qty-${i}-error` : undefined}
                          />
                          <FieldError id={`change-qty-${i}`} error={error} />
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
                <Message id="change-message" value={v('message')} error={e('message')} />
                <button type="submit">Ask for changes</button>
              </form>
            </details>
          )}
        </div>
      </section>
    </>
  );
}
