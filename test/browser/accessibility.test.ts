// axe-core on every page a shopper or staff member uses (no serious or critical
// violations), and a purchase made with the keyboard alone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { BROWSER_SKIP, axeViolations, browserApp, screenshot, type BrowserApp } from '../helpers/browser.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { signIn } from '../helpers/staff.ts';

async function check(page: Page, name: string, impacts?: readonly string[]) {
  await screenshot(page, `a11y-${name}`);
  assert.deepEqual(await axeViolations(page, impacts), [], `${name}: no ${impacts ? impacts.join(', ') : 'serious or critical'} accessibility violations`);
}

// The storefront is held to every impact: Lighthouse's accessibility score (npm run audit) counts
// moderate findings such as heading order too, and shoppers' pages should score 100.
const EVERY_IMPACT = ['minor', 'moderate', 'serious', 'critical'];

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('accessibility', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  let number: string;
  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, basicCatalog);
    ({ number } = await placeTestOrder(b, [{ sku: 'LAMP-1', quantity: 1 }]));
  });
  after(() => b?.close());

  it('storefront pages have no accessibility violations of any impact', async () => {
    const page = await b.newPage();
    for (const [name, url] of [['home', '/'], ['listing', '/products'], ['product', '/products/test-lamp'], ['contact', '/contact'], ['returns', '/returns'], ['tracking-form', '/track']]) {
      await page.goto(url);
      await check(page, name, EVERY_IMPACT);
    }
    await page.goto('/products/test-mug');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await check(page, 'cart', EVERY_IMPACT);
    await page.goto('/checkout');
    await check(page, 'checkout', EVERY_IMPACT);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#error-summary').waitFor();
    await check(page, 'checkout-errors', EVERY_IMPACT);

    await page.goto('/track');
    await page.getByLabel(/Order number/).fill(number);
    await page.getByLabel(/Email/).fill('jane.doe@example.com');
    await page.getByRole('button', { name: /Track|Find/ }).click();
    await page.waitForURL(/\/track\?t=/);
    await check(page, 'tracking-view', EVERY_IMPACT);
  });

  it('a shopper can buy with the keyboard alone: Tab through the checkout, type, Enter to place the order', async () => {
    const page = await b.newPage();
    await page.goto('/products/test-mug');
    await tabTo(page, 'button[type=submit], input[type=submit]');
    await Promise.all([page.waitForURL('**/cart'), page.keyboard.press('Enter')]);
    await page.goto('/checkout');
    const typed: Record<string, string> = {
      email: 'keys.only@example.com',
      phone: '304-555-0199',
      name: 'Kay Board',
      line1: '5 Ann St',
      city: 'Parkersburg',
      postalCode: '26101',
    };
    const filled = new Set<string>();
    for (let i = 0; i < 80 && filled.size < Object.keys(typed).length + 1; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return { name: el?.name ?? '', tag: el?.tagName ?? '' };
      });
      if (focused.name === 'state' && !filled.has('state')) {
        // A select takes typed letters: "West V" picks West Virginia. Its type-ahead forgets after about a
        // second, so on a loaded machine the letters can arrive apart: type again after a pause until it took.
        for (let attempt = 0; attempt < 4; attempt++) {
          await page.keyboard.type('West V');
          if ((await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)) === 'WV') break;
          await page.waitForTimeout(1500);
        }
        filled.add('state');
      } else if (typed[focused.name] !== undefined && !filled.has(focused.name)) {
        await page.keyboard.type(typed[focused.name]!);
        filled.add(focused.name);
      }
      if (filled.size === Object.keys(typed).length + 1) break;
    }
    assert.ok(filled.has('postalCode') && filled.has('state'), `every field was reached with Tab: ${[...filled].join(', ')}`);
    await Promise.all([page.waitForURL(/\/sandbox\/pay\//), page.keyboard.press('Enter')]);
    // The payment page, by keyboard too.
    const card: Record<string, string> = { cardNumber: '4242424242424242', expiry: '10/30', cvc: '321' };
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
      if (card[name] !== undefined) await page.keyboard.type(card[name]!);
      if (name === 'cvc') break;
    }
    await Promise.all([page.waitForURL(/\/orders\/.+\/confirmation/), page.keyboard.press('Enter')]);
    await check(page, 'confirmation', EVERY_IMPACT);
    assert.match(await page.locator('main').innerText(), /Thank you|confirmed|Order/i);
  });

  it('back-office pages have no serious or critical violations', async () => {
    const page = await b.newPage();
    await signIn(page, b, 'owner');
    await check(page, 'admin-dashboard');
    for (const [name, url] of [['admin-queue', '/admin/orders'], ['admin-order', `/admin/orders/${number}`], ['admin-support', '/admin/support'], ['admin-returns', '/admin/returns'], ['admin-products', '/admin/products'], ['admin-stock', '/admin/stock']]) {
      const res = await page.goto(url);
      assert.equal(res?.status(), 200, url);
      await check(page, name);
    }
  });
});
