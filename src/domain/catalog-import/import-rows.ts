// Reads a product CSV into one row per variant, in Casanova's own columns (what the export
// writes) or in Shopify's product CSV. csv-parse does the CSV itself (quotes, embedded
// newlines, BOM, CRLF): a well-kept parser, streaming-capable and strict about broken quotes.
// A cell a spreadsheet would run as a formula (= + - @) is refused, not imported.
import { parse } from 'csv-parse/sync';
import { slugify } from '../catalog/catalog-admin.ts';

export type ImportFormat = 'casanova' | 'shopify';

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
};

export type ParsedRow = { line: number; sku: string; row?: ImportRow; refused?: string };
export type ParsedFile = { format: ImportFormat; rows: ParsedRow[] };

/** Casanova's own columns, in export order. */
export const CASANOVA_COLUMNS = ['handle', 'name', 'category', 'description', 'sku', 'options', 'price', 'compare_at_price', 'stock'] as const;
const SHOPIFY_REQUIRED = ['Handle', 'Title', 'Variant SKU', 'Variant Price'];

export class ImportFileError extends Error {}

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^[-+]?\d+(\.\d+)?$/;

/** "12.50" or "$12.50" → 1250; a message for anything else. */
function cents(raw: string, what: string): number | string {
  const s = raw.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return `${what} “${raw}” is not a price in dollars (e.g. 12.50).`;
  return Math.round(Number(s) * 100);
}

/** Shopify's Body (HTML) as the plain text Casanova shows (it escapes descriptions). */
const plainText = (html: string) =>
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

export function parseProductCsv(text: string): ParsedFile {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (err) {
    throw new ImportFileError(`The file is not readable CSV: ${err instanceof Error ? err.message : err}`);
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const body = records.slice(1);
  const col = (name: string) => header.indexOf(name);
  const format: ImportFormat | undefined = header.includes('Handle') ? 'shopify' : header.includes('sku') ? 'casanova' : undefined;
  if (!format) throw new ImportFileError(`Unknown columns: the first line must name Casanova's columns (${CASANOVA_COLUMNS.join(', ')}) or Shopify's (Handle, Title, Variant SKU, Variant Price, …).`);
  const required = format === 'shopify' ? SHOPIFY_REQUIRED : ['handle', 'sku', 'price'];
  const missing = required.filter((c) => col(c) < 0);
  if (missing.length) throw new ImportFileError(`Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);

  // Shopify puts the product's fields on its first row only; later rows of the handle inherit them.
  const firstOfHandle = new Map<string, string[]>();
  const rows = body.map((cells, i): ParsedRow => {
    const line = i + 2;
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const formulaCell = header.find((h, c) => FORMULA.test((cells[c] ?? '').trim()) && !NUMBER.test((cells[c] ?? '').trim()));
    const sku = (format === 'shopify' ? get('Variant SKU') : get('sku')).toUpperCase();
    if (formulaCell) return { line, sku, refused: `The ${formulaCell} cell starts like a spreadsheet formula (= + - @): refused. Remove the sign or quote it as text.` };
    return format === 'shopify' ? shopifyRow(line, get, firstOfHandle, header, cells) : casanovaRow(line, get);
  });
  return { format, rows: rows.filter((r): r is ParsedRow => r !== undefined) };
}

function finish(line: number, r: Omit<ImportRow, 'line' | 'price' | 'compareAtPrice' | 'stock'> & { price: string; compareAt: string; stock: string }): ParsedRow {
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
  if (problems.length) return { line, sku: r.sku, refused: problems.join(' ') };
  return { line, sku: r.sku, row: { line, handle: r.handle, name: r.name, description: r.description, category: r.category, sku: r.sku, options: r.options, price: price as number, compareAtPrice: compareAt as number | null, stock } };
}

function casanovaRow(line: number, get: (name: string) => string): ParsedRow {
  const options: Record<string, string> = {};
  for (const pair of get('options').split(';').filter((p) => p.trim())) {
    const [k, ...v] = pair.split('=');
    options[(k ?? '').trim()] = v.join('=').trim();
  }
  const handle = get('handle').toLowerCase();
  return finish(line, { handle, name: get('name'), description: get('description'), category: get('category'), sku: get('sku').toUpperCase(), options, price: get('price'), compareAt: get('compare_at_price'), stock: get('stock') });
}

function shopifyRow(line: number, get: (name: string) => string, firstOfHandle: Map<string, string[]>, header: string[], cells: string[]): ParsedRow {
  const handle = get('Handle').toLowerCase();
  if (!firstOfHandle.has(handle)) firstOfHandle.set(handle, cells);
  const first = firstOfHandle.get(handle)!;
  const inherited = (name: string) => get(name) || (header.indexOf(name) >= 0 ? (first[header.indexOf(name)] ?? '').trim() : '');
  // Rows with only an Image Src add a picture by URL: Casanova does not fetch outside addresses.
  if (!get('Variant SKU') && !get('Variant Price')) return { line, sku: '', refused: get('Image Src') ? 'An image-only row: pictures by URL are not fetched; add them on the product page.' : 'No Variant SKU and no Variant Price.' };
  const options: Record<string, string> = {};
  for (const n of [1, 2, 3]) {
    const name = inherited(`Option${n} Name`);
    const value = get(`Option${n} Value`);
    // Shopify writes a product without variants as Option1 "Title" = "Default Title".
    if (name && value && !(name === 'Title' && value === 'Default Title')) options[name.toLowerCase()] = value;
  }
  return finish(line, {
    handle,
    name: inherited('Title'),
    description: plainText(inherited('Body (HTML)')),
    category: slugify(inherited('Type') || inherited('Product Category').split('>').pop() || '') || 'imported',
    sku: get('Variant SKU').toUpperCase(),
    options,
    price: get('Variant Price'),
    compareAt: get('Variant Compare At Price'),
    stock: get('Variant Inventory Qty'),
  });
}
