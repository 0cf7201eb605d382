// Settings → Packages (owner): where labels say parcels come from, and the boxes the warehouse
// packs in (inner size and empty weight, added to the goods' weight when a label is bought).
import type { VNode } from 'preact';
import { DIMENSIONS, rowCount, SHIP_FROM_FIELDS } from '../package-settings-form.ts';
import { ErrorSummary, Field, text, type FormErrors, type FormValues } from './form.tsx';

const SHIP_FROM_LABELS: Record<(typeof SHIP_FROM_FIELDS)[number], string> = {
  name: 'Sender name',
  line1: 'Street address',
  line2: 'Apartment, suite (optional)',
  city: 'City',
  state: 'State',
  postalCode: 'ZIP code',
  phone: 'Phone (for the carrier)',
};

export function PackageSettingsView({ values, errors = {}, csrf }: { values: FormValues; errors?: FormErrors; csrf: VNode }) {
  const rows = Array.from({ length: rowCount(values) }, (_, i) => i);
  const labels: Record<string, string> = {
    ...Object.fromEntries(SHIP_FROM_FIELDS.map((f) => [`shipFrom.${f}`, SHIP_FROM_LABELS[f]])),
    ...Object.fromEntries(rows.flatMap((i) => [[`packages.${i}.name`, `Package ${i + 1}: name`], ...DIMENSIONS.map(([, d]) => [`packages.${i}.${d}`, `Package ${i + 1}: ${d}`]), [`packages.${i}.emptyWeight`, `Package ${i + 1}: empty weight`]])),
  };
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => <Field name={name} label={labels[name] ?? name} value={text(values, name)} error={errors[name]} {...extra} />;
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/settings">← Settings</a>
      </p>
      <h1>Packages and ship-from address</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/settings/packages" class="settings-form">
        {csrf}
        <fieldset>
          <legend>Ship from</legend>
          <p class="hint">Printed as the sender on every label, and where return labels send parcels back.</p>
          <div class="row">
            {f('shipFrom.name')}
            {f('shipFrom.phone', { type: 'tel' })}
          </div>
          <div class="row">
            {f('shipFrom.line1')}
            {f('shipFrom.line2')}
          </div>
          <div class="row">
            {f('shipFrom.city')}
            {f('shipFrom.state', { maxLength: 2, class: 'short' })}
            {f('shipFrom.postalCode', { inputMode: 'numeric', maxLength: 10, class: 'short' })}
          </div>
        </fieldset>
        <fieldset>
          <legend>Package presets</legend>
          <p class="hint">Inner size in centimetres, empty weight in grams. Clear a name to remove that package; fill in an empty row to add one.</p>
          {rows.map((i) => (
            <div class="row package-row">
              {f(`packages.${i}.name`, { maxLength: 60 })}
              {DIMENSIONS.map(([, d]) => f(`packages.${i}.${d}`, { inputMode: 'decimal', class: 'short' }))}
              {f(`packages.${i}.emptyWeight`, { inputMode: 'numeric', class: 'short' })}
            </div>
          ))}
        </fieldset>
        <div class="form-actions">
          <button type="submit">Save packages</button>
        </div>
      </form>
    </>
  );
}
