// The tracking lookup form: order number and the email or phone it was placed with.
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { telHref } from '../../../domain/shared/phone.ts';
import { FieldError } from './parts.tsx';

export type TrackFormValues = { orderNumber?: string; contact?: string };
export type TrackFormProps = {
  values: TrackFormValues;
  errors: Partial<Record<keyof TrackFormValues, string>>;
  /** A problem with the whole attempt (not found, too many tries, an expired link). */
  alert?: { kind: 'error' | 'info'; text: string };
  settings: StoreSettings;
};

function TextField(p: { name: keyof TrackFormValues; label: string; hint: string; value?: string; error?: string; autocomplete: string; inputMode?: 'text' | 'email'; autocapitalize?: 'characters' | 'off' }) {
  const describedBy = [`${p.name}-hint`, p.error ? `${p.name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${p.error ? ' invalid' : ''}`}>
      <label for={p.name}>{p.label}</label>
      <input
        id={p.name}
        name={p.name}
        type="text"
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        autocapitalize={p.autocapitalize}
        spellcheck={false}
        maxLength={p.name === 'orderNumber' ? 40 : 254}
        required
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      <p class="hint" id={`${p.name}-hint`}>
        {p.hint}
      </p>
      <FieldError id={p.name} error={p.error} />
    </div>
  );
}

export function TrackFormView({ values, errors, alert, settings }: TrackFormProps) {
  const example = `${settings.orderNumberPrefix}7K3M-9QX2`;
  return (
    <div class="track">
      <h1>Track your order</h1>
      <p class="lead">Enter your order number with the email address or phone number you gave at checkout to see where your order is.</p>
      <div class="two-col">
        <div>
          {alert ? (
            <div class={`alert alert-${alert.kind}`} role={alert.kind === 'error' ? 'alert' : 'status'}>
              {alert.text}
            </div>
          ) : null}
          <form class="panel track-form" method="post" action="/track" novalidate>
            <TextField
              name="orderNumber"
              label="Order number"
              hint={`In your order confirmation email, e.g. ${example}. Dashes and capitals are optional.`}
              value={values.orderNumber}
              error={errors.orderNumber}
              autocomplete="off"
              autocapitalize="characters"
            />
            <TextField
              name="contact"
              label="Email or phone"
              hint="The email address or phone number you gave when ordering, e.g. name@example.com or (304) 555-0142."
              value={values.contact}
              error={errors.contact}
              autocomplete="email"
              inputMode="email"
              autocapitalize="off"
            />
            <button type="submit">Track order</button>
          </form>
        </div>
        <aside class="panel track-help" aria-labelledby="track-help-title">
          <h2 id="track-help-title">What you will see</h2>
          <ul>
            <li>Each step of your order, from verification and packing to delivery, with its time.</li>
            <li>When we expect to hand your parcel to the carrier.</li>
            <li>The carrier, the tracking number and every scan on the way.</li>
          </ul>
          <p>
            Lost the number? <a href="/account">My orders</a> lists every order placed with your email or phone, without a password.
          </p>
          <p class="muted">
            Can’t find your order number? Contact us at <a href={`mailto:${settings.contact.email}`}>{settings.contact.email}</a> or{' '}
            <a class="nowrap" href={telHref(settings.contact.phone)}>{settings.contact.phone}</a>.
          </p>
        </aside>
      </div>
    </div>
  );
}
