// Product import and export: a Shopify product CSV (written from Shopify's documented column
// set) imports into a fresh store with its variants, and the products are browsable and
// buyable; a file with a bad price, a duplicate SKU or a formula cell is refused row by row
// and imports nothing; an export imports back unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { staffSession } from './helpers/staff.ts';
import { placeTestOrder } from './helpers/orders.ts';

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

const linenTee: Record<string, string>[] = [
  { Handle: 'linen-tee', Title: 'Linen Tee', 'Body (HTML)': '<p>Soft <strong>linen</strong>, pre-washed.</p>', Vendor: 'Casa', Type: 'Apparel', Published: 'TRUE', 'Option1 Name': 'Size', 'Option1 Value': 'S', 'Option2 Name': 'Color', 'Option2 Value': 'Oat', 'Variant SKU': 'TEE-S-OAT', 'Variant Grams': '180', 'Variant Inventory Tracker': 'shopify', 'Variant Inventory Qty': '12', 'Variant Inventory Policy': 'deny', 'Variant Fulfillment Service': 'manual', 'Variant Price': '29.00', 'Variant Compare At Price': '35.00', 'Variant Requires Shipping': 'TRUE', 'Variant Taxable': 'TRUE', 'Image Src': 'https://cdn.example.com/tee.jpg', 'Image Position': '1', 'Gift Card': 'FALSE', Status: 'active' },
  { Handle: 'linen-tee', 'Option1 Value': 'M', 'Option2 Value': 'Oat', 'Variant SKU': 'TEE-M-OAT', 'Variant Grams': '190', 'Variant Inventory Qty': '8', 'Variant Price': '29.00', 'Variant Compare At Price': '35.00' },
  { Handle: 'linen-tee', 'Image Src': 'https://cdn.example.com/tee-back.jpg', 'Image Position': '2' },
  { Handle: 'stoneware-bowl', Title: 'Stoneware Bowl', 'Body (HTML)': 'Glazed by hand.', Vendor: 'Casa', Type: 'Kitchen', 'Option1 Name': 'Title', 'Option1 Value': 'Default Title', 'Variant SKU': 'BOWL-1', 'Variant Inventory Qty': '40', 'Variant Price': '18.50', Status: 'active' },
];

describe('product import and export', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof staffSession>>;
  before(async () => {
    t = await testApp('pglite');
    owner = await staffSession(t, 'owner');
  });
  after(() => t.close());

  const upload = (csv: string, mode: 'dry-run' | 'apply') => {
    const boundary = '----casanova-test';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\n${mode}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    return t.app.inject({ method: 'POST', url: `/admin/products/import?_csrf=${encodeURIComponent(owner.csrf)}`, cookies: owner.cookies, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };

  it('a Shopify product CSV: the dry run lists each row, the import makes browsable, buyable products', async () => {
    const csv = shopifyCsv(linenTee);
    const dry = await upload(csv, 'dry-run');
    assert.equal(dry.statusCode, 200);
    assert.match(dry.body, /Shopify CSV: 2 new products, 1 new variants, 0 changed, 0 unchanged, 1 refused/);
    assert.match(dry.body, /image-only row/);
    assert.equal((await t.app.inject({ url: '/products/linen-tee' })).statusCode, 404, 'a dry run changes nothing');

    // The image-only row is refused, so the whole file is refused: nothing half imported.
    assert.equal((await upload(csv, 'apply')).statusCode, 409);
    const imported = await upload(shopifyCsv(linenTee.filter((r) => r['Variant SKU'])), 'apply');
    assert.equal(imported.statusCode, 200);
    assert.match(imported.body, /Imported: 2 new products, 1 new variants, 0 changed/);
    const page = await t.app.inject({ url: '/products/linen-tee' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Linen Tee/);
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
