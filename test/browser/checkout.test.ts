// A shopper's purchase in a real browser: product page → Add to cart → cart → checkout →
// a mistyped form → the sandbox's payment page (the provider's stand-in) → a declined card,
// then the order and its confirmation page. No request to the store's own cart, checkout
// or order routes ever carries the card number.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { seedCatalog } from '../../src/db/seed/seed.ts';

async function addToCart(page: Page, slug: string, opts: { option?: RegExp; quantity?: number } = {}) {
  await page.goto(`/products/${slug}`);
  if (opts.option) await page.getByRole('radio', { name: opts.option }).check();
  if (opts.quantity) await page.getByLabel('Quantity').fill(String(opts.quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL('**/cart');
}

async function fillCheckout(page: Page) {
  await page.getByLabel('Email').fill('olivia.bennett@example.com');
  await page.getByLabel('Phone').fill('(304) 555-0187');
  await page.getByLabel('Full name').fill('Olivia Bennett');
  await page.getByLabel('Address line 1').fill('418 Juliana St');
  await page.getByLabel('City').fill('Parkersburg');
  await page.getByLabel('State').selectOption('WV');
  await page.getByLabel('ZIP code').fill('26101');
}

/** Every request body the page sends to the store outside the payment provider's own pages. */
function storeRequests(page: Page, providerPath = '/sandbox/') {
  const bodies: { url: string; body: string }[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith(providerPath)) bodies.push({ url: req.url(), body: req.postData() ?? '' });
  });
  return bodies;
}

const CARD_DIGITS = /4242\s*4242|4000\s*0000\s*0000\s*0002|cardNumber|cvc=/i;

describe('storefront: buying in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await seedCatalog(b.ctx);
  });
  after(() => b?.close());

  it('product page → cart → checkout → payment page → declined card → paid → confirmation', async () => {
    const page = await b.newPage({ width: 1280, height: 900 });
    await addToCart(page, 'linen-table-lamp', { option: /Charcoal/ });
    await addToCart(page, 'speckled-stoneware-mug', { option: /Set of 4/, quantity: 2 });
    assert.match(await page.getByRole('status').innerText(), /Added 2 × Speckled Stoneware Mug/);
    assert.equal(await page.locator('[data-cart-count]').innerText(), '3');
    assert.equal(await page.getByLabel('Quantity of Linen Table Lamp (Shade: Charcoal)').inputValue(), '1');
    await screenshot(page, 'cart');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.waitForURL('**/checkout');
    await screenshot(page, 'checkout-desktop');
    assert.deepEqual(await axeViolations(page), []);

    // Nothing filled in: every field says what it needs, and the summary at the top links to them.
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#error-summary').waitFor();
    assert.match(await page.locator('#error-summary').innerText(), /details need your attention/);
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#postalCode-error').innerText(), /ZIP code/);
    await page.getByLabel('Email').fill('olivia.bennett@');
    await page.getByLabel('ZIP code').fill('2610');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#error-summary').waitFor();
    assert.equal(await page.getByLabel('Email').inputValue(), 'olivia.bennett@', 'what was typed is kept');
    await screenshot(page, 'checkout-errors');
    assert.deepEqual(await axeViolations(page), []);

    // Choosing the state brings in its sales tax before anything is charged.
    const sent = storeRequests(page);
    await fillCheckout(page);
    await page.locator('[data-checkout-totals]', { hasText: 'Sales tax (WV, 6%)' }).waitFor();
    assert.match(await page.locator('[data-checkout-totals]').innerText(), /\$15\.90/, '6% of $265.00');

    // The order is placed on the payment page: the card is typed there, never on the store's form.
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_pay_/);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Pay \$280\.90/);
    await screenshot(page, 'sandbox-payment-page');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await page.getByLabel('Expiry').fill('09/29');
    await page.getByLabel('CVC').fill('314');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor();
    await screenshot(page, 'sandbox-payment-declined');

    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry').fill('09/29');
    await page.getByLabel('CVC').fill('314');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/orders\/CS-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation\?t=/);
    for (const r of sent) assert.doesNotMatch(r.body, CARD_DIGITS, `a card detail went to the store: ${r.url}`);
    assert.ok(sent.some((r) => new URL(r.url).pathname === '/checkout' && r.body.includes('email=')), 'the checkout form itself was inspected');
    const number = /\/orders\/([^/]+)\/confirmation/.exec(page.url())![1]!;
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Your order is confirmed/);
    assert.match(await page.locator('.order-number').innerText(), new RegExp(number));
    const text = await page.locator('main').innerText();
    for (const expected of ['Linen Table Lamp', 'Speckled Stoneware Mug', 'Visa ending in 4242', 'sbx_pay_', '418 Juliana St', 'Handover to the carrier', '$280.90']) {
      assert.ok(text.includes(expected), expected);
    }
    assert.equal(await page.locator('[data-cart-count]').innerText(), '0', 'the cart is empty again');
    await screenshot(page, 'confirmation');
    assert.deepEqual(await axeViolations(page), []);
    assert.match((await page.locator('main').getByRole('link', { name: 'Track your order' }).getAttribute('href'))!, /^\/track\?t=/);
  });

  it('checkout fits a phone', async () => {
    const page = await b.newPage({ width: 390, height: 844 });
    await addToCart(page, 'wool-throw-blanket');
    await screenshot(page, 'cart-phone');
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.waitForURL('**/checkout');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
    await screenshot(page, 'checkout-phone');
  });
});
