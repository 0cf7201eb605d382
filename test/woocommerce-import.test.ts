// A WooCommerce product CSV (written from WooCommerce's documented export columns) imports
// into a fresh store: variable products with their variations (matched to the parent by
// id:N or by SKU), sale and regular prices to exact cents, weight and size in the units the
// headers name, pictures fetched from a local server; and the products are browsable and
// buyable. Rows that cannot be imported are refused one by one, and nothing is imported then.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, inArray } from 'drizzle-orm';
import { productImages, products, variants } from '../src/db/schema.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { startPictureServer, type PictureServer } from './helpers/picture-server.ts';
import { staffSession } from './helpers/staff.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const WOO_COLUMNS = (weight = 'Weight (kg)', size = 'cm') => [
  'ID', 'Type', 'SKU', 'Name', 'Published', 'Is featured?', 'Visibility in catalog', 'Short description', 'Description',
  'Date sale price starts', 'Date sale price ends', 'Tax status', 'Tax class', 'In stock?', 'Stock', 'Low stock amount',
  'Backorders allowed?', 'Sold individually?', weight, `Length (${size})`, `Width (${size})`, `Height (${size})`,
  'Allow customer reviews?', 'Purchase note', 'Sale price', 'Regular price', 'Categories', 'Tags', 'Shipping class', 'Images',
  'Download limit', 'Download expiry days', 'Parent', 'Grouped products', 'Upsells', 'Cross-sells', 'External URL', 'Button text',
  'Position', 'Attribute 1 name', 'Attribute 1 value(s)', 'Attribute 1 visible', 'Attribute 1 global',
  'Attribute 2 name', 'Attribute 2 value(s)', 'Attribute 2 visible', 'Attribute 2 global',
];

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function wooCsv(rows: Record<string, string>[], columns = WOO_COLUMNS()): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}

const catalog = (pics: string): Record<string, string>[] => [
  {
    ID: '10', Type: 'variable', SKU: 'THROW', Name: 'Wool Throw', Published: '1', 'Short description': 'A warm throw.',
    Description: '<p>Warm <em>merino</em> throw.</p>\\n<p>Hand wash.</p>', 'Tax status': 'taxable', 'In stock?': '1',
    'Weight (kg)': '1.2', 'Length (cm)': '40', 'Width (cm)': '30', 'Height (cm)': '8.5', Categories: 'Home > Textiles, Gifts',
    Images: `${pics}/pic/throw.png, ${pics}/pic/throw-folded.png`, 'Attribute 1 name': 'Colour', 'Attribute 1 value(s)': 'Oat, Moss',
    'Attribute 1 visible': '1', 'Attribute 1 global': '1',
  },
  {
    ID: '11', Type: 'variation', SKU: 'THROW-OAT', Name: 'Wool Throw - Oat', Published: '1', 'In stock?': '1', Stock: '5',
    'Sale price': '79.90', 'Regular price': '89.90', Parent: 'id:10', 'Attribute 1 name': 'Colour', 'Attribute 1 value(s)': 'Oat',
  },
  {
    ID: '12', Type: 'variation', SKU: 'THROW-MOSS', Name: 'Wool Throw - Moss', Published: '1', 'In stock?': '1', Stock: '3',
    'Weight (kg)': '1.35', 'Regular price': '89.90', Parent: 'THROW', Images: `${pics}/pic/throw-moss.png`,
    'Attribute 1 name': 'Colour', 'Attribute 1 value(s)': 'Moss',
  },
  {
    ID: '20', Type: 'simple', SKU: 'CANDLE-1', Name: 'Beeswax Candle', Published: '1', Description: 'Burns for 40 hours.',
    'In stock?': '1', Stock: '30', 'Weight (kg)': '0.25', 'Regular price': '12.10', Categories: 'Home > Candles',
    Images: `${pics}/pic/candle.png`,
  },
];

describe('WooCommerce product import', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof staffSession>>;
  let pics: PictureServer;
  before(async () => {
    pics = await startPictureServer();
    t = await testApp('pglite', { env: { IMPORT_ALLOW_PRIVATE: 'on' } });
    owner = await staffSession(t, 'owner');
  });
  after(async () => {
    await t.close();
    await pics.close();
  });

  const upload = (csv: string, mode: 'dry-run' | 'apply') => {
    const boundary = '----casanova-woo';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\n${mode}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="wc-product-export.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    return t.app.inject({ method: 'POST', url: `/admin/products/import?_csrf=${encodeURIComponent(owner.csrf)}`, cookies: owner.cookies, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };
  const variantsOf = (skus: string[]) =>
    t.ctx.db
      .select({ sku: variants.sku, price: variants.price, compareAt: variants.compareAtPrice, stock: variants.stock, options: variants.options, g: variants.weightGrams, l: variants.lengthMm, w: variants.widthMm, h: variants.heightMm })
      .from(variants)
      .where(inArray(variants.sku, skus))
      .orderBy(variants.sku);

  it('variable products, variations and simple products import with exact prices, parcel sizes and pictures, and can be bought', async () => {
    const csv = wooCsv(catalog(pics.url));
    const dry = await upload(csv, 'dry-run');
    assert.equal(dry.statusCode, 200);
    assert.match(dry.body, /WooCommerce CSV: 2 new products, 1 new variants, 0 changed, 0 unchanged, 0 refused, 1 picture row/);
    assert.match(dry.body, /2 pictures for wool-throw/);
    assert.equal((await t.app.inject({ url: '/products/wool-throw' })).statusCode, 404, 'a dry run changes nothing');

    const imported = await upload(csv, 'apply');
    assert.equal(imported.statusCode, 200);
    assert.match(imported.body, /Imported: 2 new products, 1 new variants, 0 changed/);
    assert.deepEqual(await variantsOf(['THROW-OAT', 'THROW-MOSS', 'CANDLE-1']), [
      { sku: 'CANDLE-1', price: 1210, compareAt: null, stock: 30, options: {}, g: 250, l: null, w: null, h: null },
      // Without a weight of its own a variation has its parent's, as in WooCommerce.
      { sku: 'THROW-MOSS', price: 8990, compareAt: null, stock: 3, options: { colour: 'Moss' }, g: 1350, l: 400, w: 300, h: 85 },
      { sku: 'THROW-OAT', price: 7990, compareAt: 8990, stock: 5, options: { colour: 'Oat' }, g: 1200, l: 400, w: 300, h: 85 },
    ]);
    const [throwProduct] = await t.ctx.db.select().from(products).where(eq(products.slug, 'wool-throw'));
    assert.equal(throwProduct!.description, 'Warm merino throw.\n\nHand wash.', 'the exporter’s literal \\n is a line break');
    const gallery = await t.ctx.db.select().from(productImages).where(eq(productImages.productId, throwProduct!.id)).orderBy(productImages.position);
    assert.equal(gallery.length, 3, "the parent's two pictures and the Moss variation's");

    const page = await t.app.inject({ url: '/products/wool-throw' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Wool Throw/);
    assert.match(page.body, new RegExp(`/images/${gallery[0]!.imageKey}/`));
    assert.equal((await t.app.inject({ url: '/products/beeswax-candle' })).statusCode, 200);
    const order = await placeTestOrder(t, [{ sku: 'THROW-OAT', quantity: 1 }, { sku: 'CANDLE-1', quantity: 2 }]);
    assert.equal(order.totals.subtotal, 7990 + 2 * 1210);

    // The same file again: the variants are there; only the stock the order took would be set back.
    const again = await upload(csv, 'dry-run');
    assert.match(again.body, /0 new products, 0 new variants, 2 changed, 2 unchanged, 0 refused/);
    assert.match(again.body, /stock 4 → 5/);
    assert.match(again.body, /its pictures are kept as they are/);
  });

  it('weights in pounds and sizes in inches are converted; a changed price and weight show in the dry run', async () => {
    const columns = WOO_COLUMNS('Weight (lbs)', 'in');
    const csv = wooCsv([{ ID: '20', Type: 'simple', SKU: 'CANDLE-1', Name: 'Beeswax Candle', Published: '1', 'Weight (lbs)': '2', 'Length (in)': '10', 'Regular price': '13.00', Categories: 'Home > Candles' }], columns);
    const dry = await upload(csv, 'dry-run');
    assert.match(dry.body, /price \$12\.10 → \$13\.00, weight 250 g → 907 g, size – × – × – mm → 254 × – × – mm/);
    assert.equal((await upload(csv, 'apply')).statusCode, 200);
    const [candle] = await variantsOf(['CANDLE-1']);
    assert.deepEqual([candle!.price, candle!.g, candle!.l], [1300, 907, 254]);
  });

  it('an orphan variation, a variable product without variations, a grouped product, a bad price or weight and a broken picture are refused per row', async () => {
    const csv = wooCsv([
      { ID: '40', Type: 'variation', SKU: 'LOST-1', Name: 'Lost - Red', 'Regular price': '5.00', Parent: 'id:39' },
      { ID: '41', Type: 'variable', SKU: 'EMPTY', Name: 'Empty Shelf' },
      { ID: '42', Type: 'grouped', SKU: 'SET', Name: 'Gift Set' },
      { ID: '43', Type: 'simple', SKU: 'BAD-PRICE', Name: 'Bad Price', 'Regular price': 'twelve' },
      { ID: '44', Type: 'simple', SKU: 'BAD-WEIGHT', Name: 'Bad Weight', 'Regular price': '3.00', 'Weight (kg)': 'heavy' },
      { ID: '45', Type: 'simple', SKU: 'NO-PIC', Name: 'No Picture', 'Regular price': '3.00', Images: `${pics.url}/notes.txt` },
      { ID: '46', Type: 'simple', SKU: 'FINE-1', Name: 'Fine Bowl', 'Regular price': '3.00' },
    ]);
    const dry = await upload(csv, 'dry-run');
    assert.match(dry.body, /0 new variants, 0 changed, 0 unchanged, 6 refused/);
    assert.match(dry.body, /The Parent “id:39” of this variation is not a variable product in the file/);
    assert.match(dry.body, /The variable product “Empty Shelf” has no variation rows in the file/);
    assert.match(dry.body, /A grouped product: Casanova imports simple and variable products/);
    assert.match(dry.body, /The price “twelve” is not a price in dollars/);
    assert.match(dry.body, /The Weight \(kg\) “heavy” is not a number/);
    assert.match(dry.body, /notes\.txt: it is not a JPEG, PNG, WebP, GIF or AVIF picture/);
    assert.equal((await upload(csv, 'apply')).statusCode, 409);
    assert.equal((await t.app.inject({ url: '/products/fine-bowl' })).statusCode, 404, 'nothing at all was imported');
  });
});
