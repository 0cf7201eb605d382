// What shipping and tax need from the catalog: a variant's weight and size (for rates,
// labels and package choice) and a product's sales-tax category. Optional on input so
// callers that do not know them (older API clients, imports without the columns) leave
// the stored values alone.
import type { FieldErrors } from '../shared/errors.ts';
import { isTaxCategory, TAX_CATEGORIES } from '../tax/tax-table.ts';

/** Grams and millimetres; null clears a value, undefined keeps it. */
export type ParcelInput = { weightGrams?: number | null; lengthMm?: number | null; widthMm?: number | null; heightMm?: number | null };

export const PARCEL_FIELDS = ['weightGrams', 'lengthMm', 'widthMm', 'heightMm'] as const;

const MAX_GRAMS = 70_000; // 70 kg: the most a parcel carrier takes
const MAX_MM = 3_000;

export function parcelProblems(p: ParcelInput): FieldErrors {
  const fields: FieldErrors = {};
  if (p.weightGrams !== undefined && p.weightGrams !== null && (!Number.isInteger(p.weightGrams) || p.weightGrams < 1 || p.weightGrams > MAX_GRAMS)) {
    fields.weightGrams = 'Enter the weight in grams, from 1 to 70,000 (70 kg), or leave it empty.';
  }
  for (const f of ['lengthMm', 'widthMm', 'heightMm'] as const) {
    const v = p[f];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 1 || v > MAX_MM)) fields[f] = 'Enter millimetres, from 1 to 3,000, or leave it empty.';
  }
  return fields;
}

/** The parcel columns to write: only those the input names. */
export const parcelValues = (p: ParcelInput) => Object.fromEntries(PARCEL_FIELDS.filter((f) => p[f] !== undefined).map((f) => [f, p[f]])) as ParcelInput;

export function taxCategoryProblems(taxCategory: string | undefined): FieldErrors {
  return taxCategory === undefined || isTaxCategory(taxCategory) ? {} : { taxCategory: `Choose one of: ${Object.values(TAX_CATEGORIES).join(', ')}.` };
}
