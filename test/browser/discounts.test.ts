// Discounts in a real browser: the owner creates a code in the back office (a percentage
// over 100 is refused next to the field), a shopper mistypes it, then applies it in the cart
// without any script, checks out and pays, and the confirmation page and the order page show
// the same discount and total to the cent.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { signIn } from '../helpers/staff.ts';
import { seedCatalog } from '../../src/db/seed/seed.ts';

describe('discounts in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await seedCatalog(b.ctx);
  });
  after(() => b?.close());

  it('the owner creates a code; a shopper applies it in the cart and pays the discounted total; the order shows it', async () => {
    const admin = await b.newPage({ width: 1280, height: 900 });
    await signIn(admin, b, 'owner');
    await admin.goto('/admin');
    await admin.getByRole('link', { name: 'Discounts' }).first().click();
    await admin.getByRole('link', { name: 'New discount' }).click();
    await admin.getByLabel('Code').fill('Welcome10');
    await admin.getByLabel('Kind').selectOption('percent');
    await admin.getByLabel('Amount', { exact: true }).fill('150');
    await admin.getByRole('button', { name: 'Create discount' }).click();
    assert.match(await admin.locator('.field.invalid').innerText(), /Enter a percentage from 1 to 100/);
    await screenshot(admin, 'discounts-admin-form-error');
    assert.deepEqual(await axeViolations(admin), []);
    await admin.getByLabel('Amount', { exact: true }).fill('10');
    await admin.getByRole('button', { name: 'Create discount' }).click();
    await admin.waitForURL('**/admin/discounts');
    assert.match(await admin.getByRole('row', { name: /WELCOME10/ }).innerText(), /10% off[\s\S]*Always[\s\S]*0[\s\S]*Active/);
    await screenshot(admin, 'discounts-admin-list');

    const page = await b.newPage({ width: 1280, height: 900 });
    await page.goto('/products/speckled-stoneware-mug');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.getByLabel('Discount code').fill('WELCOM10');
    await page.getByRole('button', { name: 'Apply' }).click();
    assert.match(await page.getByRole('alert').first().innerText(), /There is no discount code WELCOM10/);
    await page.getByLabel('Discount code').fill('welcome10');
    await page.getByRole('button', { name: 'Apply' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /Discount code WELCOME10 applied: you save \$2\.40\./);
    const summary = await page.locator('.summary .totals').innerText();
    assert.match(summary, /Discount \(WELCOME10 \(10% off\)\)\s*−\$2\.40/);
    assert.match(summary, /\$28\.55/, '$24.00 − $2.40 + $6.95 shipping, before tax');
    await screenshot(page, 'discounts-cart');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.waitForURL('**/checkout');
    await page.getByLabel('Email').fill('mina.hart@example.com');
    await page.getByLabel('Phone').fill('(304) 555-0177');
    await page.getByLabel('Full name').fill('Mina Hart');
    await page.getByLabel('Address line 1').fill('4 Juliana St');
    await page.getByLabel('City').fill('Parkersburg');
    await page.getByLabel('State').selectOption('WV');
    await page.getByLabel('ZIP code').fill('26101');
    // 6 % of the discounted $21.60 ($1.30) and of the $6.95 shipping ($0.42).
    await page.locator('[data-checkout-totals]', { hasText: '$30.27' }).waitFor();
    assert.match(await page.locator('[data-checkout-totals]').innerText(), /Discount \(WELCOME10 \(10% off\)\)\s*−\$2\.40[\s\S]*\$1\.72/);
    await screenshot(page, 'discounts-checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_pay_/);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Pay \$30\.27/);
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry').fill('09/29');
    await page.getByLabel('CVC').fill('314');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/orders\/CS-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation\?t=/);
    const confirmation = await page.locator('main').innerText();
    assert.match(confirmation, /Discount \(WELCOME10\)\s*−\$2\.40/);
    assert.match(confirmation, /Total paid\s*\$30\.27/);
    await screenshot(page, 'discounts-confirmation');
    const number = /\/orders\/([^/]+)\/confirmation/.exec(page.url())![1]!;

    await admin.goto(`/admin/orders/${number}`);
    const items = await admin.locator('main').innerText();
    assert.match(items, /Discount \(WELCOME10\)\s*−\$2\.40/);
    assert.match(items, /Total\s*\$30\.27/);
    await screenshot(admin, 'discounts-order-page');
    await admin.goto('/admin/discounts');
    assert.match(await admin.getByRole('row', { name: /WELCOME10/ }).innerText(), /\t1\t/);
  });
});
