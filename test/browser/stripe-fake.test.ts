// The Stripe fake in a real browser: its Stripe.js stand-in and Payment Element frame on a
// merchant page of another origin (deferred intent: elements.submit(), then the server
// creates the PaymentIntent, then confirmPayment), and its hosted Checkout page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import Stripe from 'stripe';
import { BROWSER_SKIP, axeViolations, launchChromium } from '../helpers/browser.ts';
import { startStripeFake, type StripeFake } from '../fakes/stripe-fake.ts';

/**
 * A merchant checkout page with the Payment Element: `elementsOptions` as given to stripe.elements(),
 * `onPay` the body of the submit handler (with `stripe`, `elements` and `message` in scope).
 */
function shopPage(fake: StripeFake, elementsOptions: object, onPay: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop checkout</title>
<script src="${fake.url}/v3/"></script></head>
<body><main><h1>Checkout</h1>
<form id="pay"><div id="payment-element"></div><button type="submit">Pay now</button><p id="message" role="alert"></p></form>
<script>
  const stripe = Stripe(${JSON.stringify(fake.publishableKey)});
  const elements = stripe.elements(${JSON.stringify(elementsOptions)});
  elements.create('payment').mount('#payment-element');
  const message = document.getElementById('message');
  document.getElementById('pay').addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    ${onPay}
  });
</script></main></body></html>`;
}

/** Deferred intent: fields checked, then the shop's server creates the intent, then confirm and redirect. */
const deferredPage = (fake: StripeFake) =>
  shopPage(
    fake,
    { mode: 'payment', amount: 2599, currency: 'usd', captureMethod: 'manual' },
    `const submitted = await elements.submit();
    if (submitted.error) { message.textContent = submitted.error.message; return; }
    const { clientSecret } = await (await fetch('/intent', { method: 'POST' })).json();
    const { error } = await stripe.confirmPayment({ elements, clientSecret, confirmParams: { return_url: location.origin + '/done' } });
    if (error) message.textContent = error.message;`,
  );

/** The intent created first, its client secret in the page; no redirect unless a payment method needs one. */
const clientSecretPage = (fake: StripeFake, clientSecret: string) =>
  shopPage(
    fake,
    { clientSecret },
    `const { error, paymentIntent } = await stripe.confirmPayment({ elements, redirect: 'if_required' });
    message.textContent = error ? error.message : 'Paid: ' + paymentIntent.status;`,
  );

describe('Stripe fake in a browser', { skip: BROWSER_SKIP }, () => {
  let fake: StripeFake;
  let stripe: Stripe;
  let browser: Browser;
  let shop: http.Server;
  let shopUrl: string;
  const seenByShop: string[] = [];

  before(async () => {
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, { host: '127.0.0.1', port: fake.port, protocol: 'http' });
    shop = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      seenByShop.push(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
      if (req.url === '/embedded') {
        const pi = await stripe.paymentIntents.create({ amount: 990, currency: 'eur' });
        res.writeHead(200, { 'content-type': 'text/html' }).end(clientSecretPage(fake, pi.client_secret!));
      } else if (req.url === '/intent') {
        const pi = await stripe.paymentIntents.create({ amount: 2599, currency: 'usd', capture_method: 'manual', automatic_payment_methods: { enabled: true } });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ clientSecret: pi.client_secret }));
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end(req.url?.startsWith('/done') ? '<h1>Thank you</h1>' : deferredPage(fake));
      }
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    // localhost, not 127.0.0.1: another origin than the fake's, as Stripe's is.
    shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await fake?.close();
  });

  it('Payment Element: incomplete, declined, then 3-D Secure and back to return_url; the shop never sees the card', async () => {
    const page = await browser.newPage();
    await page.goto(shopUrl);
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    const pay = page.getByRole('button', { name: 'Pay now' });
    const message = page.getByRole('alert');

    await pay.click();
    await assert.doesNotReject(message.filter({ hasText: 'Your card number is incomplete.' }).waitFor());

    await frame.getByLabel('Card number').fill('4000 0000 0000 0002');
    await frame.getByLabel('Expiration').fill('12 / 34');
    await frame.getByLabel('CVC').fill('123');
    await pay.click();
    await message.filter({ hasText: 'Your card was declined.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');

    await frame.getByLabel('Card number').fill('4000 0025 0000 3155');
    await pay.click();
    await frame.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL('**/done?**');
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    const pi = await stripe.paymentIntents.retrieve(back.searchParams.get('payment_intent')!, { expand: ['latest_charge'] });
    assert.equal(pi.status, 'requires_capture');
    assert.equal(back.searchParams.get('payment_intent_client_secret'), pi.client_secret);
    assert.equal((pi.latest_charge as Stripe.Charge).payment_method_details?.card?.last4, '3155');

    for (const line of seenByShop) assert.doesNotMatch(line.replace(/\D/g, ''), /4000002500003155|4000000000000002/);
    assert.ok(fake.requests.every((r) => !JSON.stringify(r.body).includes('4000')), 'the secret-key calls carry no card number');
    await page.close();
  });

  it('Payment Element with the client secret: a failed 3-D Secure is an error on the page, then paid without leaving it', async () => {
    const page = await browser.newPage();
    await page.goto(`${shopUrl}/embedded`);
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    await frame.getByLabel('Card number').fill('4000 0000 0000 3220');
    await frame.getByLabel('Expiration').fill('12 / 34');
    await frame.getByLabel('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await frame.getByRole('button', { name: 'Fail authentication' }).click();
    await page.getByRole('alert').filter({ hasText: 'failed authentication' }).waitFor();
    await frame.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.getByRole('alert').filter({ hasText: 'Paid: succeeded' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/embedded');
    await page.close();
  });

  it('hosted Checkout: labelled form, accessible, decline shown, then paid and redirected', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 1800, product_data: { name: 'Linen table lamp' } } }],
      success_url: `${shopUrl}/done?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${shopUrl}/cart`,
    });
    const page = await browser.newPage();
    await page.goto(session.url!);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Card number').fill('4000000000009995');
    await page.getByLabel('Expiration').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your card has insufficient funds.' }).waitFor();
    await page.getByLabel('Card number').fill('4242424242424242');
    await page.getByLabel('Expiration').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(`**/done?session_id=${session.id}`);
    assert.equal((await stripe.checkout.sessions.retrieve(session.id)).payment_status, 'paid');
    await page.close();
  });
});
