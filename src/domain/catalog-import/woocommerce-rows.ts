// WooCommerce's product CSV (its "Product CSV Import Schema"): one row per simple product,
// a "variable" row for a product with variations, then one "variation" row per variant whose
// Parent names the variable row ("id:123" or its SKU). Units are in the headers, as the
// shop set them: "Weight (kg)", "Length (cm)", …; Sale price is what a customer pays, with
// Regular price then shown struck through (Casanova's compare-at price).
import { slugify } from '../catalog/catalog-admin.ts';
import { finish, measure, picturesRow, plainText, type Cells, type ParsedRow } from './import-fields.ts';

export const WOOCOMMERCE_REQUIRED = ['Type', 'SKU', 'Name', 'Regular price'];

const GRAMS: Record<string, number> = { kg: 1000, g: 1, lbs: 453.59237, lb: 453.59237, oz: 28.349523125 };
const MILLIMETRES: Record<string, number> = { m: 1000, cm: 10, mm: 1, in: 25.4, yd: 914.4 };

/** The column for `what` ("Weight", "Length", …) with the factor of the unit in its header. */
function unitColumn(header: string[], what: string, factors: Record<string, number>): { name: string; factor: number } | undefined {
  for (const name of header) {
    const unit = new RegExp(`^${what} \\((\\w+)\\)$`).exec(name)?.[1]?.toLowerCase();
    if (unit && factors[unit]) return { name, factor: factors[unit] };
  }
  return undefined;
}

const kinds = (type: string) => new Set(type.toLowerCase().split(',').map((t) => t.trim()));
const list = (cell: string) => cell.split(',').map((s) => s.trim()).filter(Boolean);

export function woocommerceRows(rows: Cells[], header: string[]): ParsedRow[] {
  const weight = unitColumn(header, 'Weight', GRAMS);
  const sizes = ['Length', 'Width', 'Height'].map((w) => unitColumn(header, w, MILLIMETRES));
  const attributeNumbers = header.map((h) => /^Attribute (\d+) name$/.exec(h)?.[1]).filter((n): n is string => Boolean(n));

  // Variable products by the two ways a variation may name its parent.
  const parents = new Map<string, Cells>();
  for (const r of rows) {
    if (!kinds(r.get('Type')).has('variable')) continue;
    if (r.get('ID')) parents.set(`id:${r.get('ID')}`, r);
    if (r.get('SKU')) parents.set(r.get('SKU').toUpperCase(), r);
  }
  const withVariations = new Set<Cells>();
  const parentOf = (r: Cells) => parents.get(r.get('Parent').toUpperCase().replace(/^ID:/, 'id:'));
  for (const r of rows) if (kinds(r.get('Type')).has('variation') && parentOf(r)) withVariations.add(parentOf(r)!);

  return rows.map((r): ParsedRow => {
    const { line, get } = r;
    const type = kinds(get('Type'));
    const refuse = (refused: string): ParsedRow => ({ line, sku: get('SKU').toUpperCase(), refused });
    if (type.has('variable')) {
      // The product itself: its variations are the variants; its pictures are added to it.
      if (!withVariations.has(r)) return refuse(`The variable product “${get('Name')}” has no variation rows in the file (their Parent must be id:${get('ID') || '…'} or its SKU).`);
      return picturesRow(line, slugify(get('Name')), list(get('Images')));
    }
    if (type.has('grouped') || type.has('external')) return refuse(`A ${[...type].join(', ')} product: Casanova imports simple and variable products with their variations.`);
    const parent = type.has('variation') ? parentOf(r) : r;
    if (!parent) return refuse(`The Parent “${get('Parent')}” of this variation is not a variable product in the file.`);
    if (!type.has('variation') && !type.has('simple')) return refuse(`Unknown Type “${get('Type')}”: use simple, variable or variation.`);
    const options: Record<string, string> = {};
    for (const n of attributeNumbers) {
      const name = get(`Attribute ${n} name`);
      // A variation names one value; a simple product may list several, and then none is its own.
      const values = list(get(`Attribute ${n} value(s)`));
      if (type.has('variation') && name && values.length === 1) options[name.toLowerCase()] = values[0]!;
    }
    const sale = get('Sale price');
    const regular = get('Regular price');
    const stock = get('Stock') || (get('In stock?') === '0' ? '0' : '');
    // Size and weight: a variation without its own takes the parent's, as WooCommerce does.
    const own = (name: string) => get(name) || parent.get(name);
    return finish(line, {
      handle: slugify(parent.get('Name')),
      name: parent.get('Name'),
      // WooCommerce's exporter writes line breaks in descriptions as a literal \n.
      description: plainText((parent.get('Description') || parent.get('Short description')).replace(/\\n/g, '\n')),
      category: slugify(list(parent.get('Categories'))[0]?.split('>').pop() ?? '') || 'imported',
      sku: get('SKU').toUpperCase(),
      options,
      price: sale || regular,
      compareAt: sale ? regular : '',
      stock,
      weightGrams: weight ? measure(own(weight.name), weight.factor, `The ${weight.name}`) : null,
      dimensions: sizes.map((s) => (s ? measure(own(s.name), s.factor, `The ${s.name}`) : null)),
      // 1 published; 0 draft; -1 private.
      active: (parent.get('Published') || '1') === '1',
      images: list(get('Images')),
    });
  });
}
