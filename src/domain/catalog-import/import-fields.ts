// The fields every product CSV reader fills (Casanova's, Shopify's, WooCommerce's) and the
// checks they share: money to cents exactly, weights and sizes to grams and millimetres.

/** One variant to create or change. Money in cents; `stock` null leaves stock as it is. */
export type ImportRow = {
  line: number;
  handle: string;
  name: string;
  description: string;
  category: string;
  sku: string;
  options: Record<string, string>;
  price: number;
  compareAtPrice: number | null;
  stock: number | null;
  /** Parcel weight and size of one unit; null leaves what the store has. */
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  /** Whether a product this row creates is for sale (Shopify's Status, WooCommerce's Published). */
  active: boolean;
  /** Picture URLs this row names for its product (fetched only for products the import creates). */
  images: string[];
  /** What the row's first picture shows (Shopify's Image Alt Text); the product's name otherwise. */
  imageAlt?: string;
  /** A row that only adds pictures to its handle's product (Shopify's image rows, WooCommerce's variable parents). */
  imageOnly?: boolean;
};

export type ParsedRow = { line: number; sku: string; row?: ImportRow; refused?: string };

/** A reader of one vendor's rows: the header and the data rows (after the formula check), to parsed rows. */
export type Cells = { line: number; get(name: string): string };

/** "12.50" or "$12.50" → 1250; a message for anything else. */
function cents(raw: string, what: string): number | string {
  const s = raw.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return `${what} “${raw}” is not a price in dollars (e.g. 12.50).`;
  // Digits, not floating point: 0.29 * 100 is 28.999…
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** A decimal amount in `unit` as whole units of `per` (grams, millimetres); null when empty or zero. */
export function measure(raw: string, factor: number, what: string): number | null | string {
  const s = raw.trim();
  if (!s) return null;
  if (!/^\d+(\.\d+)?$/.test(s)) return `${what} “${raw}” is not a number.`;
  const n = Math.round(Number(s) * factor);
  return n > 0 ? n : null;
}

/** HTML descriptions (Shopify's Body (HTML), WooCommerce's Description) as the plain text Casanova shows (it escapes descriptions). */
export const plainText = (html: string) =>
  html
    .replace(/<br\s*\/?>|<\/p>|<\/li>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();

type RawRow = Omit<ImportRow, 'line' | 'price' | 'compareAtPrice' | 'stock' | 'weightGrams' | 'lengthMm' | 'widthMm' | 'heightMm'> & {
  price: string;
  compareAt: string;
  stock: string;
  /** Already converted by the vendor's reader, or its message. */
  weightGrams?: number | null | string;
  dimensions?: (number | null | string)[];
};

/** Checks the common fields of one variant row and converts its money to cents. */
export function finish(line: number, r: RawRow): ParsedRow {
  const problems: string[] = [];
  if (!r.sku) problems.push('The SKU is empty.');
  if (!r.handle) problems.push('The handle is empty.');
  const price = cents(r.price, 'The price');
  if (typeof price === 'string') problems.push(price);
  const compareAt = r.compareAt ? cents(r.compareAt, 'The compare-at price') : null;
  if (typeof compareAt === 'string') problems.push(compareAt);
  let stock: number | null = null;
  if (r.stock) {
    if (!/^\d+$/.test(r.stock)) problems.push(`The stock “${r.stock}” is not a whole number of units.`);
    else stock = Number(r.stock);
  }
  const [lengthMm = null, widthMm = null, heightMm = null] = r.dimensions ?? [];
  for (const m of [r.weightGrams ?? null, lengthMm, widthMm, heightMm]) if (typeof m === 'string') problems.push(m);
  if (problems.length) return { line, sku: r.sku, refused: problems.join(' ') };
  const { compareAt: _c, dimensions: _d, ...rest } = r;
  return {
    line,
    sku: r.sku,
    row: { ...rest, line, price: price as number, compareAtPrice: compareAt as number | null, stock, weightGrams: (r.weightGrams ?? null) as number | null, lengthMm: lengthMm as number | null, widthMm: widthMm as number | null, heightMm: heightMm as number | null },
  };
}

/** A row that only names pictures for the product of `handle`. */
export const picturesRow = (line: number, handle: string, images: string[], imageAlt?: string): ParsedRow => ({
  line,
  sku: '',
  row: { line, handle, name: '', description: '', category: '', sku: '', options: {}, price: 0, compareAtPrice: null, stock: null, weightGrams: null, lengthMm: null, widthMm: null, heightMm: null, active: true, images, imageAlt, imageOnly: true },
});
