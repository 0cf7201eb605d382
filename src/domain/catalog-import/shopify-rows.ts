// Shopify's product CSV (help.shopify.com, "Using CSV files to import and export products"):
// one row per variant, the product's own fields on the first row of its Handle only, and rows
// with only an Image Src that add pictures to the product.
import { slugify } from '../catalog/catalog-admin.ts';
import { finish, measure, picturesRow, plainText, type Cells, type ParsedRow } from './import-fields.ts';

export const SHOPIFY_REQUIRED = ['Handle', 'Title', 'Variant SKU', 'Variant Price'];

export function shopifyRows(rows: Cells[], header: string[]): ParsedRow[] {
  // Later rows of a handle inherit the product's fields from its first row.
  const firstOfHandle = new Map<string, Cells>();
  return rows.map((cells) => {
    const { line, get } = cells;
    const handle = get('Handle').toLowerCase();
    if (!firstOfHandle.has(handle)) firstOfHandle.set(handle, cells);
    const first = firstOfHandle.get(handle)!;
    const inherited = (name: string) => get(name) || (header.includes(name) ? first.get(name) : '');
    const images = [...new Set([get('Image Src'), get('Variant Image')].filter(Boolean))];
    if (!get('Variant SKU') && !get('Variant Price')) {
      return images.length ? picturesRow(line, handle, images, get('Image Alt Text') || undefined) : { line, sku: '', refused: 'No Variant SKU and no Variant Price.' };
    }
    const options: Record<string, string> = {};
    for (const n of [1, 2, 3]) {
      const name = inherited(`Option${n} Name`);
      const value = get(`Option${n} Value`);
      // Shopify writes a product without variants as Option1 "Title" = "Default Title".
      if (name && value && !(name === 'Title' && value === 'Default Title')) options[name.toLowerCase()] = value;
    }
    const status = inherited('Status').toLowerCase();
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
      // Variant Grams is always grams (Shopify's docs: "for 5.125 kg, enter 5125"); Variant
      // Weight Unit only says which unit the Shopify admin shows it in.
      weightGrams: measure(get('Variant Grams'), 1, 'The weight (Variant Grams)'),
      active: status !== 'draft' && status !== 'archived',
      images,
      imageAlt: get('Image Alt Text') || undefined,
    });
  });
}
