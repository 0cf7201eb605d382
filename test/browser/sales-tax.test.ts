// Sales tax in a real browser: a shopper in West Virginia sees tax on the goods and on the
// shipping before paying, pays on the sandbox page, and the owner finds the same cents on
// the order page (per jurisdiction), in the dashboard's nexus meter and in the tax report.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { signIn } from '../helpers/staff.ts';
import { seedCatalog } from '../../src/db/seed/seed.ts';

describe('sales tax in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await seedCatalog(b.ctx);
  });
  after(() => b?.close());

  it('a West Virginia shopper pays tax on shipping; the owner sees it per jurisdiction, on the dashboard and in the report', async () => {
    const page = await b.newPage({ width: 1280, height: 900 });
    await page.goto('/products/speckled-stoneware-mug');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.waitForURL('**/checkout');
    await page.getByLabel('Email').fill('dana.price@example.com');
    await page.getByLabel('Phone').fill('(304) 555-0133');
    await page.getByLabel('Full name').fill('Dana Price');
    await page.getByLabel('Address line 1').fill('9 Ann St');
    await page.getByLabel('City').fill('Parkersburg');
    await page.getByLabel('State').selectOption('WV');
    await page.getByLabel('ZIP code').fill('26101');
    // $24.00 mug + $6.95 shipping; 6% of both is $1.44 + $0.42.
    await page.locator('[data-checkout-totals]', { hasText: 'Sales tax (WV, 6%) on goods and shipping' }).waitFor();
    const totals = await page.locator('[data-checkout-totals]').innerText();
    assert.match(totals, /\$1\.86/);
    assert.match(totals, /\$32\.81/);
    await screenshot(page, 'sales-tax-checkout');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_pay_/);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Pay \$32\.81/);
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry').fill('09/29');
    await page.getByLabel('CVC').fill('314');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/orders\/CS-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation\?t=/);
    const number = /\/orders\/([^/]+)\/confirmation/.exec(page.url())![1]!;

    const admin = await b.newPage({ width: 1280, height: 900 });
    await signIn(admin, b, 'owner');
    const nexus = admin.getByRole('region', { name: 'Sales tax: economic nexus this year' });
    assert.match(await nexus.innerText(), /West Virginia\s*Collecting/);
    assert.match(await nexus.innerText(), /\$30\.95 of \$100,000\.00/);
    await screenshot(admin, 'sales-tax-dashboard');
    assert.deepEqual(await axeViolations(admin), []);

    await admin.goto(`/admin/orders/${number}`);
    const items = await admin.locator('main').innerText();
    assert.match(items, /West Virginia \(6% of \$30\.95\)\s*\$1\.86/);
    assert.match(items, /of which on shipping\s*\$0\.42/);
    await screenshot(admin, 'sales-tax-order-page');

    await admin.goto('/admin');
    await nexus.getByRole('link', { name: 'Tax collected by state' }).click();
    await admin.waitForURL('**/admin/reports/tax');
    const row = admin.getByRole('row', { name: /WV/ });
    assert.match(await row.innerText(), /\$1\.86\s+\$0\.42\s+\$0\.00\s+\$1\.86/);
    await screenshot(admin, 'sales-tax-report');
    assert.deepEqual(await axeViolations(admin), []);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Download CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^sales-tax-\d{4}-\d{2}\.csv$/);
  });
});
