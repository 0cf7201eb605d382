// The catalog forms in both directions: a product or variant → the text people edit (prices
// in dollars, options as "colour=Oat, size=M", specifications as numbered rows), and the
// submitted text → the domain's input. What cannot even be read (a price of "6.9.5") is
// reported here by field; everything else the domain validates.
import type { Specification } from '../../db/schema.ts';
import type { ProductInput, VariantInput } from '../../domain/catalog/catalog-admin.ts';
import type { AdminProduct, AdminVariant } from '../../domain/catalog/catalog-admin-queries.ts';
import { PARCEL_FIELDS, type ParcelInput } from '../../domain/catalog/parcel-fields.ts';
import { text, type FormErrors, type FormValues } from './views/form.tsx';

export const PRODUCT_LABELS: Record<string, string> = {
  name: 'Name',
  slug: 'Web address',
  category: 'Category',
  description: 'Description',
  featured: 'Featured on the home page',
  active: 'On sale (shown in the store)',
  specifications: 'Specifications',
  sku: 'SKU',
  options: 'Options',
  price: 'Price ($)',
  compareAtPrice: 'Compare-at price ($)',
  openingStock: 'Opening stock',
  taxCategory: 'Sales-tax category',
  weightGrams: 'Weight (g)',
  lengthMm: 'Length (mm)',
  widthMm: 'Width (mm)',
  heightMm: 'Height (mm)',
  image: 'Picture',
  alt: 'Alt text',
};

/** Blank specification rows offered below the filled ones. */
const SPARE_SPEC_ROWS = 2;

export const dollars = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));

/**
 * "$1,249.5" → 124950 cents; a message (with `example`, an amount typical of the field) when it
 * is not an amount. Commas are accepted only as thousands separators, so a decimal comma
 * ("48,0") is refused rather than read as 480. The settings form reads its amounts with it too.
 */
export function centsOf(value: string, example = '49.95'): number | string {
  const m = /^\$?\s*(\d{1,7}|\d{1,3}(?:,\d{3}){1,2})(?:\.(\d{1,2}))?$/.exec(value.trim());
  return m ? Number(m[1]!.replace(/,/g, '')) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : `Enter an amount in dollars, like ${example}.`;
}

/** { colour: "Oat", size: "M" } → "colour=Oat, size=M". */
export const optionsText = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** "colour=Oat, size=M" (commas or new lines) → { colour: "Oat", size: "M" }; a message when a pair has no "=". */
export function parseOptions(value: string): Record<string, string> | string {
  const options: Record<string, string> = {};
  for (const pair of value.split(/[,\n;]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 0) return `“${pair}” needs a name and a value: write it as name=value, e.g. colour=Oat.`;
    const name = pair.slice(0, eq).trim();
    if (name in options) return `“${name}” is given twice.`;
    options[name] = pair.slice(eq + 1).trim();
  }
  return options;
}

// ---------------------------------------------------------------- product

export function productToForm(p: AdminProduct): FormValues {
  return {
    name: p.name,
    slug: p.slug,
    category: p.categorySlug,
    description: p.description,
    featured: p.featured ? 'on' : undefined,
    active: p.active ? 'on' : undefined,
    taxCategory: p.taxCategory,
    ...specsToForm(p.specifications),
  };
}

function specsToForm(specs: Specification[], spare = SPARE_SPEC_ROWS): FormValues {
  const values: FormValues = { specRows: String(specs.length + spare) };
  specs.forEach((s, i) => {
    values[`specifications.${i}.name`] = s.name;
    values[`specifications.${i}.value`] = s.value;
  });
  return values;
}

/** The specification rows as typed (blank rows included), in order. */
export function specRows(form: FormValues): Specification[] {
  const count = Math.min(100, Math.max(0, Number(text(form, 'specRows')) || 0));
  return Array.from({ length: count }, (_, i) => ({ name: text(form, `specifications.${i}.name`), value: text(form, `specifications.${i}.value`) }));
}

/**
 * The form's specification rows after an "Add a row" or "Remove" button (which only redraw
 * the form, saving nothing): blank rows dropped and renumbered, so the domain's row numbers
 * and the form's agree, plus the spare rows.
 */
export function withSpecRows(form: FormValues, intent: string | undefined): FormValues {
  const rows = specRows(form);
  const remove = /^remove-spec:(\d+)$/.exec(intent ?? '');
  const kept = rows.filter((r, i) => (r.name.trim() || r.value.trim()) && !(remove && Number(remove[1]) === i));
  const values: FormValues = { ...form };
  for (const key of Object.keys(values)) if (key.startsWith('specifications.')) delete values[key];
  return { ...values, ...specsToForm(kept, intent === 'add-spec' ? SPARE_SPEC_ROWS + 1 : SPARE_SPEC_ROWS) };
}

export function formToProduct(form: FormValues): ProductInput {
  return {
    name: text(form, 'name'),
    slug: text(form, 'slug').trim().toLowerCase(),
    categorySlug: text(form, 'category'),
    description: text(form, 'description').replace(/\r\n/g, '\n'),
    featured: text(form, 'featured') !== '',
    active: text(form, 'active') !== '',
    specifications: specRows(form).filter((r) => r.name.trim() || r.value.trim()),
    taxCategory: text(form, 'taxCategory') || 'general',
  };
}

// ---------------------------------------------------------------- variant

/** Variant fields carry a prefix so several variant forms on one page keep distinct ids. */
export const variantPrefix = (variantId: string | 'new') => (variantId === 'new' ? 'new.' : `v-${variantId}.`);

export function variantToForm(v: AdminVariant, prefix: string): FormValues {
  return {
    [`${prefix}sku`]: v.sku,
    [`${prefix}options`]: optionsText(v.options),
    [`${prefix}price`]: dollars(v.price),
    [`${prefix}compareAtPrice`]: dollars(v.compareAtPrice),
    ...Object.fromEntries(PARCEL_FIELDS.map((f) => [`${prefix}${f}`, v[f] === null ? '' : String(v[f])])),
  };
}

/** Reads a variant's fields (named `${prefix}sku` …); `errors` are keyed by the prefixed names. */
export function formToVariant(form: FormValues, prefix: string): { input: VariantInput; openingStock?: number; errors: FormErrors } {
  const errors: FormErrors = {};
  const field = (name: string) => text(form, `${prefix}${name}`).trim();
  const options = parseOptions(field('options'));
  if (typeof options === 'string') errors[`${prefix}options`] = options;
  const price = centsOf(field('price'));
  if (typeof price === 'string') errors[`${prefix}price`] = field('price') ? price : 'Enter the price.';
  const compareText = field('compareAtPrice');
  const compareAt = compareText ? centsOf(compareText) : null;
  if (typeof compareAt === 'string') errors[`${prefix}compareAtPrice`] = compareAt;
  // Weight and size: whole grams and millimetres; empty clears the value.
  const parcel: ParcelInput = {};
  for (const f of PARCEL_FIELDS) {
    const value = field(f);
    if (!value) parcel[f] = null;
    else if (/^\d{1,6}$/.test(value)) parcel[f] = Number(value);
    else errors[`${prefix}${f}`] = `Enter a whole number of ${f === 'weightGrams' ? 'grams, e.g. 850' : 'millimetres, e.g. 300'}, or leave it empty.`;
  }
  const stockText = field('openingStock');
  let openingStock: number | undefined;
  if (stockText) {
    if (/^\d{1,7}$/.test(stockText)) openingStock = Number(stockText);
    else errors[`${prefix}openingStock`] = 'Enter a whole number of units, e.g. 12.';
  }
  return {
    input: {
      sku: field('sku'),
      options: typeof options === 'string' ? {} : options,
      // Unreadable amounts are reported above; 0 keeps the domain from repeating the complaint.
      price: typeof price === 'string' ? 0 : price,
      compareAtPrice: typeof compareAt === 'string' ? null : compareAt,
      ...parcel,
    },
    openingStock,
    errors,
  };
}

/** Domain field errors (sku, price …) keyed by the prefixed form names, with what could not be read. */
export function prefixed(errors: FormErrors, prefix: string, variantFields: string[] = ['sku', 'options', 'price', 'compareAtPrice', 'openingStock', ...PARCEL_FIELDS]): FormErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [variantFields.includes(k) ? `${prefix}${k}` : k, v]));
}
