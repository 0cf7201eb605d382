// /returns: find the order (order number + email or phone), then choose the items, what
// you would like (return, exchange, refund only), the reason, the product's condition and
// up to 5 photos; then the confirmation with the case number. Pure components: data in,
// markup out. Every form works without JavaScript; errors sit next to their fields and
// what was typed is kept.
import { DateTime } from 'luxon';
import type { ReturnConfirmation, ReturnOptions, ReturnableLine } from '../../../domain/returns/return-queries.ts';
import { CONDITION_MAX, MAX_RETURN_PHOTOS, RETURN_PHOTO_MAX_BYTES, RETURN_REASONS, lastReturnDay } from '../../../domain/returns/return-rules.ts';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { telHref } from '../../../domain/shared/phone.ts';
import { FieldError, PhotosField } from './parts.tsx';

/** The form fields of one order line: how many to send back, and the variant wanted instead (exchanges). */
export const qtyField = (sku: string) => `qty.${sku}`;
export const exchangeField = (sku: string) => `exchange.${sku}`;

/** What the customer can ask for, in the words of the form ("Refund only": nothing to send back). */
const KINDS = [
  { value: 'return', label: 'Return', detail: 'Send the items back and get your money back.' },
  { value: 'exchange', label: 'Exchange', detail: 'Send the items back and get another size or colour of the same product.' },
  { value: 'refund', label: 'Refund only', detail: 'Nothing to send back: an item was missing, or arrived damaged beyond use.' },
] as const;

type Errors = Record<string, string | undefined>;

function StepBar({ at }: { at: 1 | 2 | 3 }) {
  const names = ['Find your order', 'Choose items', 'Done'];
  return (
    <ol class="steps returns-steps" aria-label="Steps">
      {names.map((name, i) => (
        <li class={i + 1 < at ? 'done' : i + 1 === at ? 'current' : 'upcoming'} aria-current={i + 1 === at ? 'step' : undefined}>
          <span class="step-label">{name}</span>
        </li>
      ))}
    </ol>
  );
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

function Help({ settings }: { settings: StoreSettings }) {
  return (
    <aside class="panel returns-help" aria-labelledby="returns-help-title">
      <h2 id="returns-help-title">How it works</h2>
      <ol>
        <li>Tell us what is wrong; you get a case number by email.</li>
        <li>We review your request and email you. For a return or an exchange you get an RMA number and the address to send the items to.</li>
        <li>When the items arrive we check them, then refund your card or send the replacement.</li>
      </ol>
      <p class="muted">
        You can apply within {settings.returns.windowDays} days of delivery. Read our <a href="/policies/returns">returns and refunds policy</a>, or contact us at{' '}
        <a href={`mailto:${settings.contact.email}`}>{settings.contact.email}</a> or{' '}
        <a class="nowrap" href={telHref(settings.contact.phone)}>
          {settings.contact.phone}
        </a>
        .
      </p>
    </aside>
  );
}

// ------------------------------------------------------------------ step 1: find the order

export type FindFormProps = {
  values: { orderNumber?: string; contact?: string };
  errors: Errors;
  alert?: string;
  settings: StoreSettings;
};

export function FindOrderView({ values, errors, alert, settings }: FindFormProps) {
  const field = (name: 'orderNumber' | 'contact', label: string, hint: string, autocomplete: string) => (
    <div class={`field${errors[name] ? ' invalid' : ''}`}>
      <label for={name}>{label}</label>
      <input
        id={name}
        name={name}
        type="text"
        value={values[name] ?? ''}
        autocomplete={autocomplete}
        inputMode={name === 'contact' ? 'email' : undefined}
        autocapitalize={name === 'orderNumber' ? 'characters' : 'off'}
        spellcheck={false}
        maxLength={name === 'orderNumber' ? 40 : 254}
        required
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(`${name}-hint`, errors[name] && `${name}-error`)}
      />
      <p class="hint" id={`${name}-hint`}>
        {hint}
      </p>
      <FieldError id={name} error={errors[name]} />
    </div>
  );
  return (
    <div class="returns">
      <h1>Return, exchange or refund</h1>
      <p class="lead">Something not right with your order? Find it first: we need the order number and the email address or phone number you gave at checkout.</p>
      <StepBar at={1} />
      <div class="two-col">
        <div>
          {alert ? (
            <div class="alert alert-error" role="alert">
              {alert}
            </div>
          ) : null}
          <form class="panel returns-find" method="post" action="/returns" novalidate>
            {field('orderNumber', 'Order number', `In your order confirmation email, e.g. ${settings.orderNumberPrefix}7K3M-9QX2.`, 'off')}
            {field('contact', 'Email or phone', 'The email address or phone number you gave when ordering.', 'email')}
            <button type="submit">Find my order</button>
          </form>
        </div>
        <Help settings={settings} />
      </div>
    </div>
  );
}

// ------------------------------------------------------------------ step 2: the request

export type ApplyFormState = {
  values: Record<string, string>;
  errors: Errors;
  /** A refusal for the whole request (e.g. the return window closed meanwhile). */
  message?: string;
  /** Photos were attached to a refused form: the browser cannot keep them. */
  hadPhotos?: boolean;
};

export type ApplyProps = {
  options: ReturnOptions;
  token: string;
  settings: StoreSettings;
  state?: ApplyFormState;
};

const optionsText = (options: Record<string, string>) => Object.values(options).filter(Boolean).join(', ');

function ItemRow({ line, state, currency }: { line: ReturnableLine; state?: ApplyFormState; currency: string }) {
  const qty = qtyField(line.sku);
  const swap = exchangeField(line.sku);
  const id = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
  const qtyError = state?.errors[qty];
  const swapError = state?.errors[swap];
  const chosen = state?.values[qty] ?? '0';
  const wanted = state?.values[swap] ?? line.sku;
  const extra = optionsText(line.options);
  return (
    <li class={`returns-item${qtyError || swapError ? ' invalid' : ''}`}>
      <div class="returns-item-name">
        <strong>{line.name}</strong>
        {extra ? <span class="muted"> · {extra}</span> : null}
        <span class="hint">
          {line.quantity} bought at {formatMoney(line.unitPrice, currency)} ·{' '}
          <span class="nowrap">
            SKU <span class="mono">{line.sku}</span>
          </span>
        </span>
      </div>
      {line.returnable > 0 ? (
        <>
          <div class={`field returns-qty${qtyError ? ' invalid' : ''}`}>
            <label for={id(qty)}>
              Quantity<span class="visually-hidden"> of {line.name}</span>
            </label>
            <select id={id(qty)} name={qty} aria-invalid={qtyError ? 'true' : undefined} aria-describedby={describedBy(qtyError && `${id(qty)}-error`)}>
              {Array.from({ length: line.returnable + 1 }, (_, n) => (
                <option value={String(n)} selected={String(n) === chosen}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          {line.exchangeOptions.length > 1 ? (
            <div class={`field returns-swap${swapError ? ' invalid' : ''}`}>
              <label for={id(swap)}>
                Exchange for <span class="optional">(exchanges only)</span>
              </label>
              <select id={id(swap)} name={swap} aria-invalid={swapError ? 'true' : undefined} aria-describedby={describedBy(swapError && `${id(swap)}-error`)}>
                {line.exchangeOptions.map((o) => (
                  <option value={o.sku} selected={o.sku === wanted} disabled={!o.inStock && o.sku !== wanted}>
                    {o.label}
                    {o.sku === line.sku ? ' (the same)' : ''}
                    {o.inStock ? '' : ' — out of stock'}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <FieldError id={id(qty)} error={qtyError} />
          <FieldError id={id(swap)} error={swapError} />
        </>
      ) : (
        <p class="muted returns-item-note">Already in a return, exchange or refund request.</p>
      )}
    </li>
  );
}

export function ApplyView({ options, token, settings, state }: ApplyProps) {
  const { order, eligibility, lines } = options;
  const zone = settings.serviceHours.timeZone;
  const trackHref = `/track?t=${encodeURIComponent(token)}`;
  const e = (name: string) => state?.errors[name];
  const v = (name: string) => state?.values[name];
  const open = lines.filter((l) => l.returnable > 0);
  const header = (
    <>
      <p class="track-eyebrow">
        Order <strong>{order.number}</strong>
        {eligibility.ok ? (
          <>
            {' '}
            · delivered {DateTime.fromJSDate(eligibility.deliveredAt, { zone }).setLocale('en-US').toFormat('LLLL d')} · you can apply until{' '}
            {lastReturnDay(eligibility.windowEnd, zone)}
          </>
        ) : null}
      </p>
      <h1>Return, exchange or refund</h1>
      <StepBar at={2} />
    </>
  );

  if (!eligibility.ok || !open.length) {
    return (
      <div class="returns">
        {header}
        <div class="two-col">
          <div class="panel">
            <p class="alert alert-info" role="status">
              {eligibility.ok ? 'Every item of this order is already in a return, exchange or refund request. You can follow them on your order page.' : eligibility.error.message}
            </p>
            <a class="button secondary" href={trackHref}>
              See your order
            </a>
          </div>
          <Help settings={settings} />
        </div>
      </div>
    );
  }

  const chosenKind = v('type');
  return (
    <div class="returns">
      {header}
      <div class="two-col">
        <div>
          {state?.message ? (
            <div class="alert alert-error" role="alert">
              {state.message}
            </div>
          ) : state && Object.keys(state.errors).length ? (
            <div class="alert alert-error" role="alert">
              Some answers need attention: see the notes next to them.
            </div>
          ) : null}
          <form class="returns-form" method="post" action={`/returns/apply?t=${encodeURIComponent(token)}`} enctype="multipart/form-data" novalidate>
            <fieldset class={e('items') ? 'invalid' : undefined} aria-describedby={describedBy(e('items') && 'items-error')}>
              <legend>Which items?</legend>
              <p class="hint">Choose how many of each item you want to send back or be refunded for.</p>
              <FieldError id="items" error={e('items')} />
              <ul class="plain returns-items">
                {lines.map((line) => (
                  <ItemRow line={line} state={state} currency={order.currency} />
                ))}
              </ul>
            </fieldset>

            <fieldset class={e('type') ? 'invalid' : undefined} aria-describedby={describedBy(e('type') && 'type-error')}>
              <legend>What would you like?</legend>
              <FieldError id="type" error={e('type')} />
              <div class="choices">
                {KINDS.map((k) => (
                  <label class="choice">
                    {/* Named by the kind alone ("Return"); the explanation is its description. */}
                    <input type="radio" name="type" value={k.value} checked={chosenKind === k.value} required aria-labelledby={`kind-${k.value}`} aria-describedby={`kind-${k.value}-detail`} />
                    <span class="choice-name" id={`kind-${k.value}`}>
                      {k.label}
                    </span>
                    <span class="choice-detail" id={`kind-${k.value}-detail`}>
                      {k.detail}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>

            <fieldset>
              <legend>Tell us more</legend>
              <div class={`field${e('reason') ? ' invalid' : ''}`}>
                <label for="reason">Reason</label>
                <select id="reason" name="reason" required aria-invalid={e('reason') ? 'true' : undefined} aria-describedby={describedBy(e('reason') && 'reason-error')}>
                  <option value="" selected={!v('reason')}>
                    Choose a reason
                  </option>
                  {Object.entries(RETURN_REASONS).map(([value, label]) => (
                    <option value={value} selected={v('reason') === value}>
                      {label}
                    </option>
                  ))}
                </select>
                <FieldError id="reason" error={e('reason')} />
              </div>

              <div class={`field${e('condition') ? ' invalid' : ''}`}>
                <label for="condition">Condition</label>
                <textarea
                  id="condition"
                  name="condition"
                  rows={5}
                  required
                  maxLength={CONDITION_MAX}
                  aria-invalid={e('condition') ? 'true' : undefined}
                  aria-describedby={describedBy('condition-hint', e('condition') && 'condition-error')}
                >
                  {v('condition') ?? ''}
                </textarea>
                <p class="hint" id="condition-hint">
                  Describe the product as it is now: what is wrong, and whether it has been unpacked or used.
                </p>
                <FieldError id="condition" error={e('condition')} />
              </div>

              <PhotosField error={e('photos')}>
                Up to {MAX_RETURN_PHOTOS} photos of the product and its packaging, {RETURN_PHOTO_MAX_BYTES / 1024 / 1024} MB each. Only our team sees them.
                {state?.hadPhotos ? ' Please attach your photos again.' : ''}
              </PhotosField>
            </fieldset>

            <button type="submit">Submit request</button>
          </form>
        </div>
        <Help settings={settings} />
      </div>
    </div>
  );
}

// ------------------------------------------------------------------ step 3: the confirmation

export type SentProps = { orderNumber: string; sent: ReturnConfirmation; token: string };

export function SentView({ orderNumber, sent, token }: SentProps) {
  const { caseNumber, type, maskedEmail, moreToReturn } = sent;
  const word = type === 'exchange' ? 'exchange' : type === 'refund' ? 'refund' : 'return';
  return (
    <div class="returns">
      <p class="track-eyebrow">
        Order <strong>{orderNumber}</strong>
      </p>
      <h1>We have your request</h1>
      <StepBar at={3} />
      <div class="panel returns-sent">
        <div class="alert alert-ok" role="status" id="return-sent">
          Thank you. Your case number is <strong class="mono">{caseNumber}</strong>. We have emailed a copy to {maskedEmail}.
        </div>
        <h2>What happens next</h2>
        <ol>
          <li>Our team reviews your {word} request during our service hours and emails you the answer.</li>
          {type === 'refund' ? (
            <li>If we approve it, we refund the card you paid with; there is nothing to send back.</li>
          ) : (
            <li>If we approve it, you get an RMA number and the address to send the items to. Please keep the items and their packaging until then.</li>
          )}
          <li>You can follow your request on your order page at any time.</li>
        </ol>
        <p class="returns-actions">
          <a class="button" href={`/track?t=${encodeURIComponent(token)}#returns`}>
            See your order
          </a>
          {moreToReturn ? (
            <a class="button secondary" href={`/returns?t=${encodeURIComponent(token)}`}>
              Return other items
            </a>
          ) : null}
        </p>
      </div>
    </div>
  );
}
