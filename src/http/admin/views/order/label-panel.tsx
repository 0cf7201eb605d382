// "Shipping label": bought labels with their print links, the rates of a quoted parcel to buy
// one, and the form that quotes a parcel (package preset + units per line). Only shown when a
// shipping provider is set up; without one, staff hand over with the typed carrier and number.
import type { ShippingLabel } from '../../../../domain/shipments/labels.ts';
import type { LineLeft } from '../../../../domain/shipments/shipment-contents.ts';
import type { PackagePreset } from '../../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { ErrorSummary, Field, fieldId, SelectField, text } from '../form.tsx';
import type { PanelProps } from './order-page-data.ts';

export type LabelPanelData = {
  labels: ShippingLabel[];
  packages: PackagePreset[];
  lines: LineLeft[];
  /** Role may buy, provider buys labels, and the order is packed or shipped with units left. */
  canQuote: boolean;
  /** Owners get a link to the package presets. */
  canEditPackages: boolean;
};

const STATUS_WORDS: Record<string, string> = {
  purchased: 'bought',
  void_requested: 'being voided',
  voided: 'voided, postage refunded',
  void_failed: 'could not be voided',
};

const cm = (mm: number) => (mm / 10).toFixed(mm % 10 ? 1 : 0);
const presetLabel = (p: PackagePreset) => `${p.name} — ${cm(p.lengthMm)} × ${cm(p.widthMm)} × ${cm(p.heightMm)} cm, ${p.emptyWeightGrams} g empty`;
const days = (n: number | null) => (n === null ? '' : n === 1 ? ', 1 day' : `, ${n} days`);

export function LabelPanel(d: PanelProps) {
  const data = d.labelPanel;
  if (!data || (!data.canQuote && data.labels.length === 0)) return null;
  const { order } = d.detail;
  const base = `/admin/orders/${order.number}/labels`;
  const bought = data.labels.filter((l) => l.status !== 'quoted' && l.status !== 'buying');
  const open = data.labels.find((l) => l.status === 'quoted' || l.status === 'buying');
  const refused = d.refused?.action === 'label' || d.refused?.action === 'buy-label' ? d.refused : undefined;
  const errors = refused?.errors ?? {};
  const value = (name: string, fallback: string) => (refused?.action === 'label' ? text(refused.values, name) : '') || fallback;
  return (
    <section class="panel" id="label" aria-labelledby="label-title">
      <h2 id="label-title">Shipping label</h2>
      {bought.length ? (
        <ul class="plain labels">
          {bought.map((l) => (
            <li>
              <strong>
                {l.carrier} {l.service}
              </strong>{' '}
              <code>{l.trackingNumber}</code> · {l.amount !== null ? formatMoney(l.amount, 'USD') : ''} · {l.parcel.preset}, {l.parcel.weightGrams} g ·{' '}
              <span class={l.status === 'void_failed' ? 'field-error' : 'muted'}>{STATUS_WORDS[l.status] ?? l.status}</span>
              {l.shipmentId ? <span class="muted"> · handed over</span> : null}{' '}
              {l.labelKey && l.status === 'purchased' ? (
                <a class="button secondary small" href={`${base}/${l.id}/label.pdf`} target="_blank" rel="noopener">
                  Print label<span class="visually-hidden"> {l.trackingNumber} (opens the PDF)</span>
                </a>
              ) : null}
              {l.status === 'void_failed' && l.lastError ? <p class="hint">{l.lastError}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}

      {open ? (
        <form method="post" action={`${base}/${open.id}/buy`} class="action-form">
          {d.csrf}
          <fieldset class={errors.rateId ? 'checks invalid' : 'checks'} id={fieldId('rateId')}>
            <legend>
              Rates for the {open.parcel.preset.toLowerCase()} ({open.parcel.weightGrams} g)
            </legend>
            {open.status === 'buying' ? (
              <p class="alert alert-info" role="status">
                The last purchase was not confirmed{open.lastError ? ` (${open.lastError})` : ''}. Press Buy label again: the same label is looked up, never bought twice.
              </p>
            ) : null}
            {open.rates.map((r, i) => (
              <div class="check">
                <input
                  type="radio"
                  id={fieldId(`rate-${r.id}`)}
                  name="rateId"
                  value={r.id}
                  checked={open.rateId ? open.rateId === r.id : i === 0}
                  disabled={open.status === 'buying' && open.rateId !== r.id}
                />
                <label for={fieldId(`rate-${r.id}`)}>
                  {r.carrier} {r.service} — {formatMoney(r.amount, 'USD')}
                  {days(r.deliveryDays)}
                </label>
              </div>
            ))}
            {errors.rateId ? <p class="field-error">{errors.rateId}</p> : null}
          </fieldset>
          <button type="submit">Buy label</button>
        </form>
      ) : null}

      {data.canQuote ? (
        <details class="more-actions" open={!open || Boolean(refused)}>
          <summary>{open ? 'Different package or contents? Get new rates' : 'Buy a label: choose the package'}</summary>
          <ErrorSummary errors={refused?.action === 'label' ? errors : {}} labels={{ package: 'Package', items: 'Contents' }} />
          <form method="post" action={base} class="action-form">
            {d.csrf}
            <SelectField
              name="package"
              label="Package"
              value={value('package', data.packages[0]?.name ?? '')}
              error={errors.package}
              options={data.packages.map((p) => ({ value: p.name, label: presetLabel(p) }))}
              hint="The goods' weight from the catalog is added to the empty package."
            />
            {data.canEditPackages ? (
              <p class="hint">
                <a href="/admin/settings/packages">Edit the package presets</a>
              </p>
            ) : null}
            <fieldset class="checks" id={fieldId('items')}>
              <legend>In this parcel (units)</legend>
              {data.lines
                .filter((l) => l.left > 0)
                .map((l) => (
                  <Field
                    name={`items.${l.orderItemId}`}
                    label={`${l.productName} (${l.sku}), ${l.left} left to ship`}
                    value={value(`items.${l.orderItemId}`, String(l.left))}
                    error={errors[`items.${l.orderItemId}`]}
                    inputMode="numeric"
                    class="short"
                  />
                ))}
              {errors.items ? <p class="field-error">{errors.items}</p> : null}
            </fieldset>
            <button type="submit" class="secondary">
              Get rates
            </button>
          </form>
        </details>
      ) : null}
    </section>
  );
}
