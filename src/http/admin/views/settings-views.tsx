// Store settings form (owner only). Every field shows its error next to it; money is typed
// in dollars, rates in percent, opening times as "09:00-12:00, 14:00-18:00".
import type { VNode } from 'preact';
import { BEFORE_SHIPPING, ORDER_STATES } from '../../../domain/orders/order-states.ts';
import { WEEKDAYS } from '../settings-form.ts';
import { CheckboxField, ErrorSummary, Field, SelectField, fieldId, list, text, type FormErrors, type FormValues } from './form.tsx';

export const SETTINGS_LABELS: Record<string, string> = {
  storeName: 'Store name',
  'contact.address': 'Address',
  'contact.phone': 'Customer service phone',
  'contact.email': 'Customer service email',
  'email.from': 'Emails are sent from',
  'email.replyTo': 'Replies to emails go to',
  'serviceHours.timeZone': 'Time zone',
  ...Object.fromEntries(WEEKDAYS.map(([day, name]) => [`hours.${day}`, name])),
  'serviceHours.holidays': 'Holidays (closed all day)',
  'serviceHours.firstReplyHours': 'First reply to a customer due within (service hours)',
  orderNumberPrefix: 'Order number prefix',
  'shipping.methods.standard.label': 'Standard: name',
  'shipping.methods.standard.rate': 'Standard: price ($)',
  'shipping.methods.standard.days': 'Standard: delivery time',
  'shipping.methods.express.label': 'Express: name',
  'shipping.methods.express.rate': 'Express: price ($)',
  'shipping.methods.express.days': 'Express: delivery time',
  'shipping.freeStandardFrom': 'Free standard shipping from ($)',
  'shipping.zones': 'Shipping zones (rates by weight)',
  'shipping.defaultItemGrams': 'Weight of an item without one (grams)',
  taxRates: 'Sales tax by state',
  taxRules: 'What each state leaves untaxed',
  'nexus.sales': 'Economic nexus: sales per year ($)',
  'nexus.transactions': 'Economic nexus: transactions per year',
  'nexus.states': 'States with other nexus thresholds',
  'returns.windowDays': 'Return window (days)',
  'returns.refundShipping': 'Refund the original shipping cost when goods are returned',
  'returns.restockingFeeBp': 'Restocking fee (%)',
  'requests.autoApproveCancelIn': 'Approve cancellation requests automatically while the order is',
  lowStockThreshold: 'Low-stock warning at (units)',
  'payments.capture': 'Take card payments',
  'cartRecovery.enabled': 'Send one reminder to shoppers who leave checkout without paying',
  'cartRecovery.delayMinutes': 'Reminder after (minutes)',
};

const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];

function zoneOptions(current: string) {
  const all = Intl.supportedValuesOf('timeZone');
  const zones = [...US_ZONES, ...all.filter((z) => !US_ZONES.includes(z))];
  if (current && !zones.includes(current)) zones.unshift(current);
  return zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
}

export function SettingsView({ values, errors = {}, csrf }: { values: FormValues; errors?: FormErrors; csrf: VNode }) {
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={SETTINGS_LABELS[name] ?? name} value={text(values, name)} error={errors[name]} {...extra} />
  );
  const autoApprove = list(values, 'requests.autoApproveCancelIn');
  return (
    <>
      <h1>Settings</h1>
      <ErrorSummary errors={errors} labels={SETTINGS_LABELS} />
      <form method="post" action="/admin/settings" class="settings-form">
        {csrf}
        <fieldset>
          <legend>Store and contact</legend>
          <div class="row">
            {f('storeName', { required: true, maxLength: 80 })}
            {f('orderNumberPrefix', { hint: '1–4 capital letters and a dash, e.g. CS-. New orders only.', maxLength: 5 })}
          </div>
          {f('contact.address', { required: true })}
          <div class="row">
            {f('contact.phone', { type: 'tel', required: true })}
            {f('contact.email', { type: 'email', required: true })}
          </div>
          <div class="row">
            {f('email.from', { hint: 'Name and address, e.g. CasanovaSpace <orders@example.com>' })}
            {f('email.replyTo', { type: 'email' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>Service hours</legend>
          <p class="hint">
            Customer service and warehouse hours, as 09:00-12:00, 14:00-18:00 (24-hour clock). Leave a day empty when closed.
          </p>
          <SelectField
            name="serviceHours.timeZone"
            label={SETTINGS_LABELS['serviceHours.timeZone']!}
            value={text(values, 'serviceHours.timeZone')}
            options={zoneOptions(text(values, 'serviceHours.timeZone'))}
            error={errors['serviceHours.timeZone']}
          />
          <div class="weekdays">{WEEKDAYS.map(([day]) => f(`hours.${day}`, { class: 'weekday' }))}</div>
          <div class="row">
            {f('serviceHours.holidays', { type: 'textarea', rows: 4, hint: 'One date per line, as YYYY-MM-DD.' })}
            {f('serviceHours.firstReplyHours', { inputMode: 'numeric', hint: 'Counted in open hours only.' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>Shipping</legend>
          {(['standard', 'express'] as const).map((m) => (
            <div class="row">
              {f(`shipping.methods.${m}.label`)}
              {f(`shipping.methods.${m}.rate`, { inputMode: 'decimal' })}
              {f(`shipping.methods.${m}.days`)}
            </div>
          ))}
          {f('shipping.freeStandardFrom', { inputMode: 'decimal', hint: 'Order subtotal from which standard shipping is free. Leave empty for never.', class: 'short' })}
          {f('shipping.zones', {
            type: 'textarea',
            rows: 4,
            hint: 'One zone per line: a name, its states, then weight brackets with the standard / express price, ending with “over”; optionally “free from 50” or “never free”. For example: Nearby: WV OH PA | up to 1 kg 5.95 / 14.95 | over 9.95 / 24.95 | free from 50. States in no zone pay the prices above.',
          })}
          {f('shipping.defaultItemGrams', { inputMode: 'numeric', hint: 'Used for the parcel weight when a variant has no weight recorded.', class: 'short' })}
        </fieldset>

        <fieldset>
          <legend>Sales tax</legend>
          {f('taxRates', {
            type: 'textarea',
            rows: 4,
            hint: 'One state per line: the two-letter code and the rate in percent, e.g. WV 6. States not listed pay no sales tax.',
            class: 'short',
          })}
          {f('taxRules', {
            type: 'textarea',
            rows: 3,
            hint: 'One state per line: whether shipping is taxed and which product categories are exempt (general, clothing, groceries), e.g. WV: shipping taxed; exempt groceries. A state not listed taxes goods only.',
          })}
          <div class="row">
            {f('nexus.sales', { inputMode: 'decimal' })}
            {f('nexus.transactions', { inputMode: 'numeric', hint: 'Leave empty when only sales count.' })}
          </div>
          {f('nexus.states', {
            type: 'textarea',
            rows: 3,
            hint: 'States whose thresholds differ: the code, sales in dollars and optionally transactions, e.g. CA 500000 or NY 500000 100. The dashboard compares this year’s sales per state with them.',
            class: 'short',
          })}
        </fieldset>

        <fieldset>
          <legend>Payments</legend>
          <SelectField
            name="payments.capture"
            label={SETTINGS_LABELS['payments.capture']!}
            value={text(values, 'payments.capture')}
            error={errors['payments.capture']}
            options={[
              { value: 'checkout', label: 'At checkout' },
              { value: 'handover', label: 'At the handover to the carrier (reserved at checkout)' },
            ]}
            hint="Reserving only charges the card when the parcel leaves, so a cancelled order never costs the customer anything. Card networks release a reservation after about 7 days: capture older ones from the order page."
          />
        </fieldset>

        <fieldset>
          <legend>Abandoned checkouts</legend>
          <CheckboxField name="cartRecovery.enabled" label={SETTINGS_LABELS['cartRecovery.enabled']!} checked={text(values, 'cartRecovery.enabled') !== ''} />
          <div class="row">
            {f('cartRecovery.delayMinutes', { inputMode: 'numeric', hint: 'From 15 minutes to 7 days. Never sent once that email has placed an order, or after it unsubscribed.' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>Returns and cancellations</legend>
          <div class="row">
            {f('returns.windowDays', { inputMode: 'numeric' })}
            {f('returns.restockingFeeBp', { inputMode: 'decimal', hint: 'Of the returned goods; 0 for none.' })}
            {f('lowStockThreshold', { inputMode: 'numeric' })}
          </div>
          <CheckboxField name="returns.refundShipping" label={SETTINGS_LABELS['returns.refundShipping']!} checked={text(values, 'returns.refundShipping') !== ''} />
          <fieldset
            class={errors['requests.autoApproveCancelIn'] ? 'checks invalid' : 'checks'}
            id={fieldId('requests.autoApproveCancelIn')}
          >
            <legend>{SETTINGS_LABELS['requests.autoApproveCancelIn']}</legend>
            <p class="hint">Other cancellation requests wait for a person to decide.</p>
            {BEFORE_SHIPPING.map((state) => (
              <CheckboxField name="requests.autoApproveCancelIn" value={state} label={ORDER_STATES[state]} checked={autoApprove.includes(state)} />
            ))}
            {errors['requests.autoApproveCancelIn'] ? <p class="field-error">{errors['requests.autoApproveCancelIn']}</p> : null}
          </fieldset>
        </fieldset>

        <div class="form-actions">
          <button type="submit">Save settings</button>
        </div>
      </form>
    </>
  );
}
