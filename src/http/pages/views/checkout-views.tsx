// Checkout page (contact, address, shipping, payment, review); the confirmation is in confirmation-views.tsx.
// Pure components: data in, markup out. Field names are the form's; errors are keyed by them.
import type { CartView } from '../../../domain/cart/cart-service.ts';
import { freeStandardFrom, shippingOptions } from '../../../domain/checkout/shipping-rates.ts';
import type { Totals } from '../../../domain/checkout/totals.ts';
import { US_STATES, isUsState } from '../../../domain/checkout/us-states.ts';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { optionsText } from './cart-views.tsx';
import { discountRows, FieldError, TotalsList } from './parts.tsx';

/** The checkout form's fields, as typed. There is no card field: the card is entered on the payment provider's page or field. */
export const CHECKOUT_FIELDS = ['email', 'phone', 'name', 'line1', 'line2', 'city', 'state', 'postalCode', 'shippingMethod'] as const;
export type CheckoutField = (typeof CHECKOUT_FIELDS)[number];
export type CheckoutValues = Partial<Record<CheckoutField, string>>;
export type CheckoutErrors = Partial<Record<CheckoutField, string>>;

export type CheckoutPageProps = {
  view: CartView;
  settings: StoreSettings;
  values: CheckoutValues;
  errors: CheckoutErrors;
  /** A problem with the whole attempt (declined card, stock ran out, total changed). */
  alert?: { title: string; text: string };
  /** Idempotency key of this rendering of the form: a double submit places one order. */
  formKey: string;
  /** How the shopper will pay: the sandbox (say so), and Stripe's embedded Payment Element when configured. */
  payWith: { testMode: boolean; embedded?: { publishableKey: string; scriptUrl: string } };
};

const percent = (bp: number) => `${bp / 100}%`;

type InputProps = {
  name: CheckoutField;
  label: string;
  values: CheckoutValues;
  errors: CheckoutErrors;
  hint?: string;
  type?: string;
  autocomplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  maxLength?: number;
  placeholder?: string;
  optional?: boolean;
  class?: string;
};

function Field(p: InputProps) {
  const error = p.errors[p.name];
  const describedBy = [p.hint ? `${p.name}-hint` : '', error ? `${p.name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}${p.class ? ` ${p.class}` : ''}`}>
      <label for={p.name}>
        {p.label}
        {p.optional ? <span class="optional"> (optional)</span> : null}
      </label>
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.values[p.name] ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
        placeholder={p.placeholder}
        required={!p.optional}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {p.hint ? (
        <p class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError id={p.name} error={error} />
    </div>
  );
}

function StateSelect({ values, errors }: { values: CheckoutValues; errors: CheckoutErrors }) {
  const error = errors.state;
  const chosen = (values.state ?? '').toUpperCase();
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for="state">State</label>
      <select id="state" name="state" autocomplete="address-level1" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'state-error' : undefined} data-checkout-refresh>
        <option value="">Choose…</option>
        {Object.entries(US_STATES).map(([code, name]) => (
          <option value={code} selected={code === chosen}>
            {name}
          </option>
        ))}
      </select>
      <FieldError id="state" error={error} />
    </div>
  );
}

function ShippingMethods({ settings, totals, values, errors, currency }: { settings: StoreSettings; totals: Totals; values: CheckoutValues; errors: CheckoutErrors; currency: string }) {
  const chosen = values.shippingMethod ?? 'standard';
  const typed = values.state?.toUpperCase();
  const state = typed && isUsState(typed) ? typed : undefined;
  const threshold = freeStandardFrom(settings, state);
  const options = shippingOptions(settings, { subtotal: totals.subtotal, grams: totals.grams, state });
  return (
    <fieldset class={errors.shippingMethod ? 'invalid' : undefined} aria-describedby={errors.shippingMethod ? 'shippingMethod-error' : undefined}>
      <legend>Shipping method</legend>
      <FieldError id="shippingMethod" error={errors.shippingMethod} />
      <div class="choices">
        {options.map((o) => (
          <label class="choice">
            <input type="radio" name="shippingMethod" value={o.method} checked={o.method === chosen} required data-checkout-refresh />
            <span class="choice-name">{o.label}</span>
            <span class="choice-price">
              {o.free ? (
                <>
                  <s class="price-was">
                    <span class="visually-hidden">Usually </span>
                    {formatMoney(o.regular, currency)}
                  </s>{' '}
                  <strong>Free</strong>
                </>
              ) : (
                formatMoney(o.rate, currency)
              )}
            </span>
            <span class="choice-detail">{o.days}</span>
          </label>
        ))}
      </div>
      {threshold !== null ? <p class="hint">Standard shipping is free on orders of {formatMoney(threshold, currency)} or more.</p> : null}
    </fieldset>
  );
}

/** The totals list; also served alone (GET /checkout/summary) when the shopper changes state or method. */
export function CheckoutTotals({
  totals: t,
  settings,
  currency,
  shippingMethod,
  state,
  discountLabel,
}: {
  totals: Totals;
  settings: StoreSettings;
  currency: string;
  shippingMethod: 'standard' | 'express';
  state?: string;
  discountLabel?: string;
}) {
  const known = state && isUsState(state);
  return (
    <TotalsList
      data-checkout-totals
      data-total={String(t.total)}
      aria-live="polite"
      rows={[
        ['Subtotal', formatMoney(t.subtotal, currency)],
        ...discountRows(t.discount, discountLabel, (c) => formatMoney(c, currency)),
        [`Shipping (${settings.shipping.methods[shippingMethod].label})`, t.shipping === 0 ? 'Free' : formatMoney(t.shipping, currency)],
        [
          known && t.taxRateBp > 0 ? `Sales tax (${state}, ${percent(t.taxRateBp)})${t.shippingTax > 0 ? ' on goods and shipping' : ''}` : 'Sales tax',
          known ? formatMoney(t.tax, currency) : <span class="muted">Depends on state</span>,
        ],
      ]}
      total={['Total', formatMoney(t.total, currency)]}
    />
  );
}

const errorOrder: CheckoutField[] = [...CHECKOUT_FIELDS];

export function CheckoutPageView(p: CheckoutPageProps) {
  const { view, settings, values, errors } = p;
  const currency = view.currency;
  const problems = errorOrder.filter((f) => errors[f]);
  const common = { values, errors };
  const method = values.shippingMethod === 'express' ? 'express' : 'standard';
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/cart">Cart</a> / <span aria-current="page">Checkout</span>
      </nav>
      <h1>Checkout</h1>
      {problems.length ? (
        <div class="alert alert-error error-summary" role="alert" id="error-summary" tabindex={-1}>
          <h2>{problems.length === 1 ? 'One detail needs your attention' : `${problems.length} details need your attention`}</h2>
          <ul>
            {problems.map((f) => (
              <li>
                <a href={`#${f}`}>{errors[f]}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : p.alert ? (
        <div class="alert alert-error" role="alert" id="error-summary" tabindex={-1}>
          <h2>{p.alert.title}</h2>
          <p>{p.alert.text}</p>
        </div>
      ) : null}
      <form method="post" action="/checkout" class="checkout two-col" novalidate>
        <input type="hidden" name="idempotencyKey" value={p.formKey} />
        <div class="checkout-form">
          <fieldset>
            <legend>Contact</legend>
            <div class="row contact-row">
              <Field {...common} name="email" label="Email" type="email" autocomplete="email" inputMode="email" maxLength={254} hint="Your confirmation and tracking updates go here. If you leave before paying, we may email you one reminder about this cart, with a link to unsubscribe." />
              <Field {...common} name="phone" label="Phone" type="tel" autocomplete="tel" inputMode="tel" maxLength={40} hint="For delivery questions only." />
            </div>
          </fieldset>
          <fieldset>
            <legend>Shipping address</legend>
            <Field {...common} name="name" label="Full name" autocomplete="name" maxLength={100} />
            <Field {...common} name="line1" label="Address line 1" autocomplete="address-line1" maxLength={200} hint="Street address or P.O. box" />
            <Field {...common} name="line2" label="Address line 2" autocomplete="address-line2" maxLength={200} optional hint="Apartment, suite, unit, building" />
            <div class="row address-row">
              <Field {...common} name="city" label="City" autocomplete="address-level2" maxLength={100} />
              <StateSelect {...common} />
              <Field {...common} name="postalCode" label="ZIP code" autocomplete="postal-code" inputMode="numeric" maxLength={10} />
            </div>
            <p class="hint">We ship within the United States, including its territories.</p>
          </fieldset>
          <ShippingMethods settings={settings} totals={view.totals} currency={currency} {...common} />
          <fieldset>
            <legend>Payment</legend>
            {p.payWith.embedded ? (
              // Stripe's Payment Element mounts here when its script loads; without JavaScript the button leads to Stripe's own page.
              <div
                class="payment-element"
                data-payment-element
                data-publishable-key={p.payWith.embedded.publishableKey}
                data-script={p.payWith.embedded.scriptUrl}
                data-amount={String(view.totals.total)}
                data-currency={currency.toLowerCase()}
                data-capture={settings.payments.capture === 'handover' ? 'manual' : 'automatic'}
              />
            ) : null}
            <p class="hint" data-payment-hint>
              When you place the order you pay on our payment provider's secure page; you come back here to your order confirmation. Your card details go to the payment
              provider only: this shop never sees or stores them.
            </p>
            {p.payWith.testMode ? (
              <p class="alert alert-info test-cards">Test mode: the sandbox payment page takes the test card 4242 4242 4242 4242 with any future expiry and any CVC.</p>
            ) : null}
          </fieldset>
        </div>
        <aside class="panel summary checkout-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Order summary</h2>
          <ul class="plain summary-lines">
            {view.lines.map((l) => (
              <li class="summary-line">
                <span class="summary-thumb">
                  {l.image ? <img src={l.image.url} alt="" width={56} height={56} loading="lazy" /> : null}
                  <span class="summary-qty" aria-hidden="true">
                    {l.quantity}
                  </span>
                </span>
                <span class="summary-name">
                  {l.productName}
                  {Object.keys(l.options).length ? <span class="muted">{optionsText(l.options)}</span> : null}
                  <span class="visually-hidden">Quantity {l.quantity}</span>
                  <span class="muted" aria-hidden="true">
                    Qty {l.quantity} × {formatMoney(l.unitPrice, currency)}
                  </span>
                  {l.quantity > l.available ? <span class="field-error">{l.available <= 0 ? 'Sold out' : `Only ${l.available} left`}</span> : null}
                </span>
                <span class="summary-price">{formatMoney(l.lineTotal, currency)}</span>
              </li>
            ))}
          </ul>
          <p class="edit-cart">
            <a href="/cart">Edit cart</a>
          </p>
          <CheckoutTotals totals={view.totals} settings={settings} currency={currency} shippingMethod={method} state={values.state?.toUpperCase()} discountLabel={view.discount?.label} />
          <input type="hidden" name="shownTotal" value={String(view.totals.total)} data-shown-total />
          <button type="submit" class="place-order">
            Place order
          </button>
          <p class="hint center">After payment you get an order number and an email with your receipt.</p>
        </aside>
      </form>
    </>
  );
}
