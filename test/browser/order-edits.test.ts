// An agent edits an order in a real browser while the customer is on the phone: a new
// address, one item fewer and a second product at a matched price; the preview shows the
// old and new totals and the refund, and confirming updates the order page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { signIn } from '../helpers/staff.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';

describe('order edits in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, basicCatalog);
  });
  after(() => b?.close());

  it('an agent changes the address and the items, previews, confirms; the order page shows the result', async () => {
    const o = await placeTestOrder(b, [{ sku: 'LAMP-1', quantity: 2 }]);
    const page = await b.newPage({ width: 1280, height: 900 });
    await signIn(page, b, 'support');
    await page.goto(`/admin/orders/${o.number}`);
    await page.getByRole('link', { name: 'Edit order' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}/edit`);
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel('Address line 1').fill('77 Juliana St');
    await page.getByLabel('Quantity of LAMP-1', { exact: true }).fill('1');
    await page.getByLabel('SKU to add (1)').fill('LAMP-2');
    await page.getByLabel('Quantity to add (1)').fill('1');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    // A new product at its catalog price would cost more than was paid: the preview says so.
    await page.getByRole('alert').first().waitFor();
    assert.match(await page.locator('main').innerText(), /more than was paid/);
    await screenshot(page, 'order-edit-refused');

    await page.getByLabel('Quantity to add (1)').fill('');
    await page.getByLabel('SKU to add (1)').fill('');
    await page.getByLabel('Price of LAMP-1', { exact: true }).fill('45.00');
    await page.getByLabel('Reason for the price of LAMP-1').fill('Scratched base, customer keeps it');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.waitFor();
    const text = await preview.innerText();
    assert.match(text, /Ship to Jane Doe, 77 Juliana St/);
    assert.match(text, /Price of LAMP-1: \$50\.00 → \$45\.00 \(Scratched base, customer keeps it\)/);
    // Now $100 + 6% = $106.00; after: $45 + $6.95 shipping (no longer free) + 6% of both ($3.12) = $55.07.
    assert.match(text, /\$50\.93 will be refunded/);
    await screenshot(page, 'order-edit-preview');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: 'Confirm changes' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}`);
    assert.match(await page.getByRole('status').first().innerText(), /Order edited; \$50\.93 refunded/);
    const main = await page.locator('main').innerText();
    assert.match(main, /77 Juliana St/);
    assert.match(main, /Edited: /);
    await screenshot(page, 'order-edit-done');
  });
});
