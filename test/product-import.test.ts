// Product import and export: a Shopify product CSV (written from Shopify's documented column
// set) imports into a fresh store with its variants, weights and pictures (fetched from a
// local server), and the products are browsable and buyable; a file with a bad price, a duplicate SKU or a formula cell is refused row by row
// and imports nothing; an export imports back unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { staffSession } from './helpers/staff.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { startPictureServer, type PictureServer } from './helpers/picture-server.ts';
import { eq, inArray } from 'drizzle-orm';
import { productImages, products, variants } from '../src/db/schema.ts';

const SHOPIFY_COLUMNS = [
  'Handle', 'Title', 'Body (HTML)', 'Vendor', 'Product Category', 'Type', 'Tags', 'Published',
  'Option1 Name', 'Option1 Value', 'Option2 Name', 'Option2 Value', 'Option3 Name', 'Option3 Value',
  'Variant SKU', 'Variant Grams', 'Variant Inventory Tracker', 'Variant Inventory Qty', 'Variant Inventory Policy',
  'Variant Fulfillment Service', 'Variant Price', 'Variant Compare At Price', 'Variant Requires Shipping', 'Variant Taxable',
  'Variant Barcode', 'Image Src', 'Image Position', 'Image Alt Text', 'Gift Card', 'SEO Title', 'SEO Description',
  'Variant Image', 'Variant Weight Unit', 'Variant Tax Code', 'Cost per item', 'Status',
];

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function shopifyCsv(rows: Record<string, string>[]): string {
  return [SHOPIFY_COLUMNS.join(','), ...rows.map((r) => SHOPIFY_COLUMNS.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}

const linenTee = (pics: string): Record<string, string>[] => [
  { Handle: 'linen-tee', Title: 'Linen Tee', 'Body (HTML)': '<p>Soft <strong>linen</strong>, pre-washed.</p>', Vendor: 'Casa', Type: 'Apparel', Published: 'TRUE', 'Option1 Name': 'Size', 'Option1 Value': 'S', 'Option2 Name': 'Color', 'Option2 Value': 'Oat', 'Variant SKU': 'TEE-S-OAT', 'Variant Grams': '180', 'Variant Inventory Tracker': 'shopify', 'Variant Inventory Qty': '12', 'Variant Inventory Policy': 'deny', 'Variant Fulfillment Service': 'manual', 'Variant Price': '29.00', 'Variant Compare At Price': '35.00', 'Variant Requires Shipping': 'TRUE', 'Variant Taxable': 'TRUE', 'Image Src': `${pics}/pic/tee.png`, 'Image Position': '1', 'Image Alt Text': 'Linen tee in oat, folded', 'Gift Card': 'FALSE', Status: 'active' },
  { Handle: 'linen-tee', 'Option1 Value': 'M', 'Option2 Value': 'Oat', 'Variant SKU': 'TEE-M-OAT', 'Variant Grams': '190', 'Variant Inventory Qty': '8', 'Variant Price': '29.00', 'Variant Compare At Price': '35.00' },
  { Handle: 'linen-tee', 'Image Src': `${pics}/pic/tee-back.png`, 'Image Position': '2' },
  { Handle: 'stoneware-bowl', Title: 'Stoneware Bowl', 'Body (HTML)': 'Glazed by hand.', Vendor: 'Casa', Type: 'Kitchen', 'Option1 Name': 'Title', 'Option1 Value': 'Default Title', 'Variant SKU': 'BOWL-1', 'Variant Inventory Qty': '40', 'Variant Price': '18.50', Status: 'active' },
];

describe('product import and export', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof staffSession>>;
  let pics: PictureServer;
  before(async () => {
    pics = await startPictureServer();
    // The pictures are served on 127.0.0.1, which imports refuse unless allowed.
    t = await testApp('pglite', { env: { IMPORT_ALLOW_PRIVATE: 'on' } });
    owner = await staffSession(t, 'owner');
  });
  after(async () => {
    await t.close();
    await pics.close();
  });

  const upload = (csv: string, mode: 'dry-run' | 'apply') => {
    const boundary = '----casanova-test';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\n${mode}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    return t.app.inject({ method: 'POST', url: `/admin/products/import?_csrf=${encodeURIComponent(owner.csrf)}`, cookies: owner.cookies, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };

  it('a Shopify product CSV: the dry run lists each row, the import makes browsable, buyable products with their pictures and weights', async () => {
    const rows = linenTee(pics.url);
    const broken = rows.map((r) => (r['Image Position'] === '2' ? { ...r, 'Image Src': `${pics.url}/gone.png` } : r));
    const dry = await upload(shopifyCsv(broken), 'dry-run');
    assert.equal(dry.statusCode, 200);
    assert.match(dry.body, /Shopify CSV: 2 new products, 1 new variants, 0 changed, 0 unchanged, 1 refused/);
    assert.match(dry.body, new RegExp(`Picture ${pics.url}/gone.png: the server answered 404.`), 'a picture that cannot be fetched is a per-row error');
    assert.equal((await t.app.inject({ url: '/products/linen-tee' })).statusCode, 404, 'a dry run changes nothing');

    // The row with the broken picture is refused, so the whole file is refused: nothing half imported.
    assert.equal((await upload(shopifyCsv(broken), 'apply')).statusCode, 409);
    const imported = await upload(shopifyCsv(rows), 'apply');
    assert.equal(imported.statusCode, 200);
    assert.match(imported.body, /Imported: 2 new products, 1 new variants, 0 changed/);
    const [tee] = await t.ctx.db.select({ id: products.id }).from(products).where(eq(products.slug, 'linen-tee'));
    const gallery = await t.ctx.db.select().from(productImages).where(eq(productImages.productId, tee!.id)).orderBy(productImages.position);
    assert.equal(gallery.length, 2, 'both pictures, each once');
    assert.deepEqual(gallery.map((g) => g.alt), ['Linen tee in oat, folded', 'Linen Tee'], 'Image Alt Text, else the product name');
    assert.equal((await t.app.inject({ url: `/images/${gallery[1]!.imageKey}/large.webp` })).statusCode, 200);
    const weights = await t.ctx.db.select({ sku: variants.sku, g: variants.weightGrams }).from(variants).where(inArray(variants.sku, ['TEE-S-OAT', 'TEE-M-OAT', 'BOWL-1'])).orderBy(variants.sku);
    assert.deepEqual(weights, [{ sku: 'BOWL-1', g: null }, { sku: 'TEE-M-OAT', g: 190 }, { sku: 'TEE-S-OAT', g: 180 }], 'Variant Grams is kept as the parcel weight');
    const fetched = pics.hits.get('/pic/tee.png');
    const twice = await upload(shopifyCsv(rows), 'apply');
    assert.match(twice.body, /Imported: 0 new products, 0 new variants, 0 changed/);
    assert.equal((await t.ctx.db.select().from(productImages).where(eq(productImages.productId, tee!.id))).length, 2, 'importing the file again adds no picture twice');
    assert.equal(pics.hits.get('/pic/tee.png'), fetched, 'nor fetches them again');
    const page = await t.app.inject({ url: '/products/linen-tee' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Linen Tee/);
    assert.match(page.body, new RegExp(`/images/${gallery[0]!.imageKey}/`));
    assert.match(page.body, /Soft linen, pre-washed\./);
    const order = await placeTestOrder(t, [{ sku: 'TEE-M-OAT', quantity: 2 }, { sku: 'BOWL-1', quantity: 1 }]);
    assert.equal(order.totals.subtotal, 2 * 2900 + 1850);
  });

  it('a bad price, a duplicate SKU and a formula cell are refused per row, and the import changes nothing', async () => {
    const csv = [
      'handle,name,category,description,sku,options,price,compare_at_price,stock',
      'oak-board,Oak Board,kitchen,Oiled oak.,OAK-1,,twelve,,5',
      'oak-board,Oak Board,kitchen,Oiled oak.,OAK-2,size=L,24.00,,5',
      'oak-board,Oak Board,kitchen,Oiled oak.,OAK-2,size=XL,26.00,,5',
      'evil,"=HYPERLINK(""http://x"")",kitchen,,EVIL-1,,1.00,,1',
      'linen-tee,Bowl,kitchen,,BOWL-1,,19.00,,',
    ].join('\n');
    const dry = await upload(csv, 'dry-run');
    assert.match(dry.body, /“twelve” is not a price in dollars/);
    assert.match(dry.body, /SKU OAK-2 is already on line 3/);
    assert.match(dry.body, /starts like a spreadsheet formula/);
    assert.match(dry.body, /SKU BOWL-1 belongs to the product stoneware-bowl, not linen-tee/);
    const apply = await upload(csv, 'apply');
    assert.equal(apply.statusCode, 409);
    assert.match(apply.body, /nothing was imported/);
    assert.equal((await t.app.inject({ url: '/products/oak-board' })).statusCode, 404);
  });

  it('a file without a needed column is refused with its name; more than 8 MB is refused as too large', async () => {
    const res = await upload('handle,sku\nx,X-1\n', 'dry-run');
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Missing column: price/);
    const big = 'handle,name,category,description,sku,options,price,compare_at_price,stock\n' + 'big,Big,kitchen,,BIG-1,,1.00,,1\n'.repeat(330_000);
    assert.equal((await upload(big, 'dry-run')).statusCode, 413);
  });

  it('the product export imports back unchanged, and the customer export has each buyer once with formula cells neutralised', async () => {
    const exported = await t.app.inject({ url: '/admin/products.csv', cookies: owner.cookies });
    assert.equal(exported.statusCode, 200);
    assert.match(exported.body, /TEE-S-OAT/);
    const again = await upload(exported.body, 'dry-run');
    assert.match(again.body, /0 new products, 0 new variants, 0 changed, 3 unchanged, 0 refused/);
    await placeTestOrder(t, [{ sku: 'BOWL-1', quantity: 1 }], { body: { email: 'sly@example.com', shippingAddress: { name: '=cmd|calc' } } });
    const customers = await t.app.inject({ url: '/admin/customers.csv', cookies: owner.cookies });
    assert.equal(customers.statusCode, 200);
    assert.match(customers.body, /sly@example\.com,'=cmd\|calc/);
    assert.equal(customers.body.split('jane.doe@example.com').length - 1, 1, 'one row per email');
  });

  it('a new handle on all of a product’s rows gives it a new address, and the old one answers 301; rows that disagree are refused', async () => {
    const header = 'handle,name,category,description,sku,options,price,compare_at_price,stock';
    const split = await upload([header, 'linen-shirt,Linen Tee,apparel,,TEE-S-OAT,size=S;color=Oat,29.00,35.00,', 'linen-tee,Linen Tee,apparel,,TEE-M-OAT,size=M;color=Oat,29.00,35.00,'].join('\n'), 'dry-run');
    assert.match(split.body, /SKU TEE-S-OAT belongs to the product linen-tee, not linen-shirt\. To give that product a new address/);

    const csv = [
      header,
      'linen-shirt,Linen Tee,apparel,,TEE-S-OAT,size=S;color=Oat,29.00,35.00,',
      'linen-shirt,Linen Tee,apparel,,TEE-M-OAT,size=M;color=Oat,29.00,35.00,',
      'linen-shirt,Linen Tee,apparel,,TEE-L-OAT,size=L;color=Oat,31.00,,3',
    ].join('\n');
    const dry = await upload(csv, 'dry-run');
    assert.match(dry.body, /address linen-tee → linen-shirt/);
    assert.match(dry.body, /0 new products, 1 new variants, 2 changed, 0 unchanged, 0 refused/);
    assert.equal((await upload(csv, 'apply')).statusCode, 200);
    const moved = await t.app.inject({ url: '/products/linen-tee?utm_source=feed' });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/products/linen-shirt?utm_source=feed');
    const page = await t.app.inject({ url: '/products/linen-shirt' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /TEE-L-OAT/);
  });
});
