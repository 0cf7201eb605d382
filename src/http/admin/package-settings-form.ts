// Settings → Packages in both directions: the parcels settings (millimetres, grams) ↔ the text
// staff type (centimetres with one decimal, grams). Kept apart from the main settings form so
// the two can change independently; saving writes only the `parcels` section.
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { isUsState } from '../../domain/checkout/us-states.ts';
import { text, type FormErrors, type FormValues } from './views/form.tsx';

type Parcels = StoreSettings['parcels'];

/** Empty rows offered under the presets, for new ones. */
export const NEW_ROWS = 2;
export const SHIP_FROM_FIELDS = ['name', 'line1', 'line2', 'city', 'state', 'postalCode', 'phone'] as const;
export const DIMENSIONS = [
  ['lengthMm', 'length'],
  ['widthMm', 'width'],
  ['heightMm', 'height'],
] as const;

const cm = (mm: number) => (mm % 10 === 0 ? String(mm / 10) : (mm / 10).toFixed(1));

export function parcelsToForm(p: Parcels): FormValues {
  const values: FormValues = {};
  for (const f of SHIP_FROM_FIELDS) values[`shipFrom.${f}`] = p.shipFrom[f];
  p.packages.forEach((pkg, i) => {
    values[`packages.${i}.name`] = pkg.name;
    for (const [key, field] of DIMENSIONS) values[`packages.${i}.${field}`] = cm(pkg[key]);
    values[`packages.${i}.emptyWeight`] = String(pkg.emptyWeightGrams);
  });
  return values;
}

/** How many preset rows the form shows for these values (the filled ones plus empty rows). */
export function rowCount(values: FormValues): number {
  let n = 0;
  while (`packages.${n}.name` in values) n++;
  return n + NEW_ROWS;
}

/** Reads the form; a row without a name is left out (that is how a preset is removed). */
export function formToParcels(form: FormValues): { parcels: Parcels; errors: FormErrors } {
  const errors: FormErrors = {};
  const str = (name: string) => text(form, name).trim();
  const packages: Parcels['packages'] = [];
  const names = new Set<string>();
  for (let i = 0; i < 100 && `packages.${i}.name` in form; i++) {
    const name = str(`packages.${i}.name`);
    if (!name) continue;
    if (names.has(name.toLowerCase())) errors[`packages.${i}.name`] = 'Another package has this name.';
    names.add(name.toLowerCase());
    const size: Record<string, number> = {};
    for (const [key, field] of DIMENSIONS) {
      const v = str(`packages.${i}.${field}`);
      const m = /^(\d{1,3})(?:[.,](\d))?$/.exec(v);
      if (!m || Number(m[1]) * 10 + Number(m[2] ?? 0) === 0) errors[`packages.${i}.${field}`] = `Enter the inner ${field} in cm, like 30.5.`;
      else size[key] = Number(m[1]) * 10 + Number(m[2] ?? 0);
    }
    const weight = str(`packages.${i}.emptyWeight`);
    if (!/^\d{1,5}$/.test(weight)) errors[`packages.${i}.emptyWeight`] = 'Enter what the empty package weighs, in whole grams.';
    packages.push({ name, lengthMm: size.lengthMm ?? 1, widthMm: size.widthMm ?? 1, heightMm: size.heightMm ?? 1, emptyWeightGrams: Number(weight) || 0 });
  }
  if (packages.length === 0) errors['packages.0.name'] = 'Keep at least one package: labels are bought for a package.';
  const shipFrom = Object.fromEntries(SHIP_FROM_FIELDS.map((f) => [f, str(`shipFrom.${f}`)])) as Parcels['shipFrom'];
  shipFrom.state = shipFrom.state.toUpperCase();
  for (const f of ['name', 'line1', 'city', 'postalCode'] as const) if (!shipFrom[f]) errors[`shipFrom.${f}`] = 'Fill this in: it is printed on every label.';
  if (shipFrom.state && !isUsState(shipFrom.state)) errors['shipFrom.state'] = 'Use the two-letter state code, e.g. WV.';
  if (shipFrom.postalCode && !/^\d{5}(-\d{4})?$/.test(shipFrom.postalCode)) errors['shipFrom.postalCode'] = 'Use a 5-digit ZIP code.';
  return { parcels: { shipFrom, packages }, errors };
}
