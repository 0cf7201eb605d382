// Buying with Stripe in a real browser, against the local fake of Stripe (its Stripe.js
// stand-in, Payment Element frame and hosted Checkout page): with JavaScript the card goes
// into Stripe's frame on the checkout page; without it, to Stripe's hosted page. Either way
// no request to the store carries the card number, and the order is made once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, type BrowserApp } from '../helpers/browser.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { startStripeFake, type StripeFake } from '../fakes/stripe-fake.ts';
import { orders, outbox } from '../../src/db/schema.ts';

const CARD = /4242\s*4242|cardNumber|"number"|number=4242/;

async function fillAddress(page: Page) {
  await page.getByLabel('Email').fill('riley.stone@example.com');
  await page.getByLabel('Phone').fill('(304) 555-0133');
  await page.getByLabel('Full name').fill('Riley Stone');
  await page.getByLabel('Address line 1').fill('22 Market St');
  await page.getByLabel('City').fill('Parkersburg');
  await page.getByLabel('State').selectOption('WV');
  await page.getByLabel('ZIP code').fill('26101');
}

/** Request bodies the page sent to the store (not to Stripe). */
function storeRequests(page: Page, storeOrigin: string) {
  const sent: { url: string; body: string }[] = [];
  page.on('request', (req) => {
    if (req.url().startsWith(storeOrigin)) sent.push({ url: req.url(), body: req.postData() ?? '' });
  });
  return sent;
}

describe('storefront: buying with Stripe in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  let stripe: StripeFake;

  before(async () => {
    stripe = await startStripeFake();
    b = await browserApp('pglite', {
      env: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_PUBLISHABLE_KEY: stripe.publishableKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_URL: stripe.url,
        STRIPE_JS_URL: `${stripe.url}/v3/`,
      },
    });
    stripe.setWebhookUrl(`${b.baseUrl}/api/v1/payments/stripe/webhook`);
    await addProducts(b.ctx, basicCatalog);
  });
  after(async () => {
    await b?.close();
    await stripe?.close();
  });

  it('with JavaScript: the Payment Element takes the card (3-D Secure included) and the order is confirmed', async () => {
    const page = await b.newPage();
    const sent = storeRequests(page, b.baseUrl);
    await page.goto('/products/test-mug');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.goto('/checkout');
    await fillAddress(page);
    await page.locator('[data-checkout-totals]', { hasText: 'Sales tax (WV, 6%)' }).waitFor();
    const frame = page.frameLocator('[data-payment-element] iframe');
    await frame.getByLabel('Card number').fill('4000 0027 6000 3184');
    await frame.getByLabel('Expiration').fill('12 / 34');
    await frame.getByLabel('CVC').fill('123');
    await screenshot(page, 'stripe-payment-element');
    await page.getByRole('button', { name: 'Place order' }).click();
    await frame.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(/\/orders\/CS-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation\?t=/, { timeout: 15_000 });
    assert.match(await page.locator('main').innerText(), /Visa ending in 3184/);
    await screenshot(page, 'stripe-confirmation');
    for (const r of sent) assert.doesNotMatch(r.body, CARD, `a card detail went to the store: ${r.url}`);
    await stripe.flushWebhooks();
    const number = /\/orders\/([^/]+)\/confirmation/.exec(page.url())![1]!;
    const [order] = await b.ctx.db.select().from(orders).where(eq(orders.number, number));
    assert.equal((await b.ctx.db.select().from(outbox).where(eq(outbox.orderId, order!.id))).filter((m) => m.template === 'order_confirmation').length, 1);
  });

  it('without JavaScript: Stripe’s hosted page takes the card, and the shopper comes back to the confirmation', async () => {
    const context = await b.browser.newContext({ javaScriptEnabled: false, baseURL: b.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const sent = storeRequests(page, b.baseUrl);
    await page.goto('/products/test-mug');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.goto('/checkout');
    await fillAddress(page);
    await page.getByRole('button', { name: 'Place order' }).click();
    // Without the script the total was shown before the state was chosen: the store asks once more.
    if (await page.getByRole('heading', { name: 'Check your updated total' }).isVisible()) await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stripe.url}/c/pay/`));
    await screenshot(page, 'stripe-hosted-checkout');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiration').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/orders\/CS-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation\?t=/, { timeout: 15_000 });
    assert.match(await page.locator('main').innerText(), /Visa ending in 4242/);
    for (const r of sent) assert.doesNotMatch(r.body, CARD, `a card detail went to the store: ${r.url}`);
    await context.close();
  });
});
