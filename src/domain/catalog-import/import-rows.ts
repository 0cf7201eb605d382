// Reads a product CSV into one row per variant, in Casanova's own columns (what the export
// writes), in Shopify's product CSV (shopify-rows.ts) or in WooCommerce's (woocommerce-rows.ts).
// csv-parse does the CSV itself (quotes, embedded newlines, BOM, CRLF): a well-kept parser,
// streaming-capable and strict about broken quotes.
// A cell a spreadsheet would run as a formula (= + - @) is refused, not imported.
import { parse } from 'csv-parse/sync';
import { shopifyRows, SHOPIFY_REQUIRED } from './shopify-rows.ts';
import { woocommerceRows, WOOCOMMERCE_REQUIRED } from './woocommerce-rows.ts';
import { finish, measure, type Cells, type ParsedRow } from './import-fields.ts';

export type { ImportRow, ParsedRow } from './import-fields.ts';

export type ImportFormat = 'casanova' | 'shopify' | 'woocommerce';
export type ParsedFile = { format: ImportFormat; rows: ParsedRow[] };

/** Casanova's own columns, in export order; the parcel columns (grams, millimetres) may be left out of a file. */
export const CASANOVA_COLUMNS = ['handle', 'name', 'category', 'description', 'sku', 'options', 'price', 'compare_at_price', 'stock', 'weight_grams', 'length_mm', 'width_mm', 'height_mm'] as const;

export class ImportFileError extends Error {}

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^[-+]?\d+(\.\d+)?$/;

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
  const format: ImportFormat | undefined = header.includes('Handle') ? 'shopify' : header.includes('Regular price') ? 'woocommerce' : header.includes('sku') ? 'casanova' : undefined;
  if (!format) {
    throw new ImportFileError(
      `Unknown columns: the first line must name Casanova's columns (${CASANOVA_COLUMNS.join(', ')}), Shopify's (Handle, Title, Variant SKU, Variant Price, …) or WooCommerce's (Type, SKU, Name, Regular price, …).`,
    );
  }
  const required = format === 'shopify' ? SHOPIFY_REQUIRED : format === 'woocommerce' ? WOOCOMMERCE_REQUIRED : ['handle', 'sku', 'price'];
  const missing = required.filter((c) => col(c) < 0);
  if (missing.length) throw new ImportFileError(`Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);

  const refusedFormulas: ParsedRow[] = [];
  const clean: Cells[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const formulaCell = header.find((h, c) => FORMULA.test((cells[c] ?? '').trim()) && !NUMBER.test((cells[c] ?? '').trim()));
    if (!formulaCell) return clean.push({ line, get });
    const sku = (format === 'casanova' ? get('sku') : get(format === 'shopify' ? 'Variant SKU' : 'SKU')).toUpperCase();
    refusedFormulas.push({ line, sku, refused: `The ${formulaCell} cell starts like a spreadsheet formula (= + - @): refused. Remove the sign or quote it as text.` });
  });
  const parsed = format === 'shopify' ? shopifyRows(clean, header) : format === 'woocommerce' ? woocommerceRows(clean, header) : clean.map(casanovaRow);
  return { format, rows: [...refusedFormulas, ...parsed].sort((a, b) => a.line - b.line) };
}

function casanovaRow({ line, get }: Cells): ParsedRow {
  const options: Record<string, string> = {};
  for (const pair of get('options').split(';').filter((p) => p.trim())) {
    const [k, ...v] = pair.split('=');
    options[(k ?? '').trim()] = v.join('=').trim();
  }
  const handle = get('handle').toLowerCase();
  return finish(line, {
    handle,
    name: get('name'),
    description: get('description'),
    category: get('category'),
    sku: get('sku').toUpperCase(),
    options,
    price: get('price'),
    compareAt: get('compare_at_price'),
    stock: get('stock'),
    weightGrams: measure(get('weight_grams'), 1, 'The weight'),
    dimensions: (['length_mm', 'width_mm', 'height_mm'] as const).map((c) => measure(get(c), 1, `The ${c.replace('_mm', '')}`)),
    active: true,
    images: [],
  });
}
