// The Stripe fake, driven by the real `stripe` SDK: what the SDK sends is understood and what
// the fake answers parses into the SDK's types and errors. Webhooks go to a small receiver
// that verifies every signature with stripe.webhooks.constructEvent.
import { test, describe, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from '../fakes/stripe-fake.ts';
import { decodeForm } from '../fakes/stripe-params.ts';

type Receiver = { url: string; events: Stripe.Event[]; rejected: string[]; types(): string[] };

/** A webhook endpoint that accepts only correctly signed events (400 otherwise). */
async function receiver(t: TestContext, secret: string): Promise<Receiver> {
  const verifier = new Stripe('sk_test_unused');
  const events: Stripe.Event[] = [];
  const rejected: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        events.push(verifier.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature']), secret));
        res.writeHead(200).end('{"received":true}');
      } catch (err) {
        rejected.push((err as Error).message);
        res.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, events, rejected, types: () => events.map((e) => e.type) };
}

async function world(t: TestContext, opts: { retries?: number } = {}) {
  const fake = await startStripeFake();
  t.after(() => fake.close());
  const hook = await receiver(t, fake.webhookSecret);
  fake.setWebhookUrl(hook.url);
  const stripe = new Stripe(fake.secretKey, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: opts.retries ?? 0 });
  return { fake, hook, stripe };
}

/** Asserts `expected` appear in `actual` in this order (other events may sit between them). */
function assertInOrder(actual: string[], expected: string[]) {
  let i = 0;
  for (const type of actual) if (type === expected[i]) i++;
  assert.equal(i, expected.length, `expected ${expected.join(', ')} in order within ${actual.join(', ')}`);
}

const noRedirects = { enabled: true, allow_redirects: 'never' } as const;
const form = (fields: Record<string, string>) => ({ method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }) as const;

describe('Stripe fake: request encoding', () => {
  test('bracket notation decodes into nested objects and arrays; metadata keys stay keys', () => {
    const body = 'amount=500&metadata[order]=A%2B1&metadata[0]=zero&line_items[0][price_data][unit_amount]=500&line_items[0][quantity]=2&line_items[1][quantity]=1&expand[0]=latest_charge&expand[1]=payment_method&note=a+b';
    assert.deepEqual(decodeForm(body), {
      amount: '500',
      metadata: { order: 'A+1', '0': 'zero' },
      line_items: [{ price_data: { unit_amount: '500' }, quantity: '2' }, { quantity: '1' }],
      expand: ['latest_charge', 'payment_method'],
      note: 'a b',
    });
    assert.deepEqual(decodeForm('expand[]=a&expand[]=b'), { expand: ['a', 'b'] });
    assert.throws(() => decodeForm('note=%E0%A4%A'), { status: 400 });
  });
});

describe('Stripe fake: PaymentIntents', () => {
  test('without confirm: requires_payment_method with a client secret, Stripe-shaped', async (t) => {
    const { stripe } = await world(t);
    const pi = await stripe.paymentIntents.create({ amount: 1999, currency: 'USD', description: 'Order 1', metadata: { order: '1' } });
    assert.match(pi.id, /^pi_\w{24}$/);
    assert.equal(pi.object, 'payment_intent');
    assert.equal(pi.status, 'requires_payment_method');
    assert.equal(pi.currency, 'usd');
    assert.equal(pi.livemode, false);
    assert.ok(Number.isInteger(pi.created) && pi.created > 1.7e9);
    assert.match(pi.client_secret!, new RegExp(`^${pi.id}_secret_\\w+$`));
    assert.deepEqual(pi.metadata, { order: '1' });
    assert.equal(pi.capture_method, 'automatic_async');
    assert.deepEqual(pi.automatic_payment_methods, { enabled: true, allow_redirects: 'always' });
    assert.equal(pi.latest_charge, null);
  });

  test('test cards that succeed: succeeded, card details on the expanded charge and payment method', async (t) => {
    const { stripe } = await world(t);
    for (const [pm, brand, last4] of [['pm_card_visa', 'visa', '4242'], ['pm_card_mastercard', 'mastercard', '4444'], ['pm_card_amex', 'amex', '0005']]) {
      const pi = await stripe.paymentIntents.create({ amount: 1234, currency: 'usd', payment_method: pm, confirm: true, automatic_payment_methods: noRedirects });
      assert.equal(pi.status, 'succeeded', pm);
      assert.equal(pi.amount_received, 1234);
      assert.match(String(pi.latest_charge), /^ch_/);
      assert.match(String(pi.payment_method), /^pm_/);
      assert.notEqual(pi.payment_method, pm, 'a test PaymentMethod id becomes a new PaymentMethod, as at Stripe');
      const full = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'payment_method'] });
      const charge = full.latest_charge as Stripe.Charge;
      assert.equal(charge.object, 'charge');
      assert.equal(charge.payment_method_details?.card?.brand, brand);
      assert.equal(charge.payment_method_details?.card?.last4, last4);
      assert.ok(Number.isInteger(charge.payment_method_details?.card?.exp_year));
      assert.equal(charge.amount_captured, 1234);
      assert.equal(charge.amount_refunded, 0);
      assert.equal(charge.refunded, false);
      assert.equal(charge.disputed, false);
      assert.equal((full.payment_method as Stripe.PaymentMethod).card?.last4, last4);
    }
  });

  test('declining test cards: 402 card_error carrying the intent, back to requires_payment_method', async (t) => {
    const { stripe, fake } = await world(t);
    const cases = [
      ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
      ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ];
    for (const [pm, code, declineCode] of cases) {
      const err = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: pm, confirm: true, automatic_payment_methods: noRedirects }).then(
        () => assert.fail(`${pm} should be declined`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof Stripe.errors.StripeCardError, pm);
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, code);
      assert.equal(err.decline_code, declineCode);
      const pi = (err.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent;
      assert.equal(pi.status, 'requires_payment_method');
      assert.equal(pi.last_payment_error?.decline_code, declineCode);
      assert.equal((fake.paymentIntent(pi.id) as Stripe.PaymentIntent).status, 'requires_payment_method');
    }
  });

  test('an unknown payment method is a 400 resource_missing on payment_method', async (t) => {
    const { stripe } = await world(t);
    await assert.rejects(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_nope', confirm: true, automatic_payment_methods: noRedirects }), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(err.code, 'resource_missing');
      assert.equal(err.param, 'payment_method');
      return true;
    });
  });

  test('bad parameters are refused as Stripe refuses them', async (t) => {
    const { stripe } = await world(t);
    const refused = async (params: object, param: string, code: string) =>
      assert.rejects(stripe.paymentIntents.create(params as Stripe.PaymentIntentCreateParams), (err: Stripe.errors.StripeError) => {
        assert.equal(err.statusCode, 400);
        assert.equal(err.param, param);
        assert.equal(err.code, code);
        return true;
      });
    await refused({ currency: 'usd' }, 'amount', 'parameter_missing');
    await refused({ amount: 10, currency: 'usd' }, 'amount', 'amount_too_small');
    await refused({ amount: 1000, currency: 'usd', colour: 'blue' }, 'colour', 'parameter_unknown');
    // Redirect-capable payment methods need a return_url to confirm on the server.
    await assert.rejects(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }), /return_url/);
  });

  test('3-D Secure: requires_action with a redirect; completing it returns to return_url and succeeds', async (t) => {
    const { stripe } = await world(t);
    const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'eur', payment_method: 'pm_card_threeDSecure2Required', confirm: true, return_url: 'http://shop.test/return?order=7' });
    assert.equal(pi.status, 'requires_action');
    assert.equal(pi.next_action?.type, 'redirect_to_url');
    assert.equal(pi.next_action?.redirect_to_url?.return_url, 'http://shop.test/return?order=7');
    const page = await fetch(pi.next_action!.redirect_to_url!.url!);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, new RegExp(`action="/3ds/${pi.id}"`));
    assert.match(html, /Complete authentication/);
    assert.match(html, /Fail authentication/);
    const done = await fetch(new URL(`/3ds/${pi.id}`, page.url), form({ client_secret: pi.client_secret!, outcome: 'complete' }));
    assert.equal(done.status, 303);
    const back = new URL(done.headers.get('location')!);
    assert.equal(back.origin + back.pathname, 'http://shop.test/return');
    assert.equal(back.searchParams.get('order'), '7');
    assert.equal(back.searchParams.get('payment_intent'), pi.id);
    assert.equal(back.searchParams.get('payment_intent_client_secret'), pi.client_secret);
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    const after = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    assert.equal(after.status, 'succeeded');
    assert.equal((after.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result, 'authenticated');
  });

  test('3-D Secure failed: redirect_status=failed and the intent waits for another payment method', async (t) => {
    const { stripe } = await world(t);
    const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'eur', payment_method: 'pm_card_authenticationRequired', confirm: true, return_url: 'http://shop.test/return' });
    const done = await fetch(`${pi.next_action!.redirect_to_url!.url!.split('?')[0]}`, form({ client_secret: pi.client_secret!, outcome: 'fail' }));
    assert.equal(new URL(done.headers.get('location')!).searchParams.get('redirect_status'), 'failed');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.last_payment_error?.code, 'payment_intent_authentication_failure');
    const retried = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa', return_url: 'http://shop.test/return' });
    assert.equal(retried.status, 'succeeded');
  });

  test('3-D Secure without a return_url: use_stripe_sdk; with error_on_requires_action: declined authentication_required', async (t) => {
    const { stripe } = await world(t);
    const params = { amount: 1500, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, automatic_payment_methods: noRedirects };
    const pending = await stripe.paymentIntents.create(params);
    assert.equal(pending.status, 'requires_action');
    assert.equal(pending.next_action?.type, 'use_stripe_sdk');
    await assert.rejects(stripe.paymentIntents.create({ ...params, error_on_requires_action: true }), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeCardError);
      assert.equal(err.code, 'authentication_required');
      assert.equal((err.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent.status, 'requires_payment_method');
      return true;
    });
  });

  test('manual capture, then a partial capture: the rest is released', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    assert.equal(pi.status, 'requires_capture');
    assert.equal(pi.amount_capturable, 5000);
    await assert.rejects(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000 }), { code: 'amount_too_large' });
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 }, { idempotencyKey: 'cap-1' });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 3000);
    assert.equal(captured.amount_capturable, 0);
    const charge = await stripe.charges.retrieve(String(captured.latest_charge));
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 3000);
    await assert.rejects(stripe.paymentIntents.capture(pi.id), { code: 'payment_intent_unexpected_state' });
    // The same key replays the first answer instead of failing on the new state.
    assert.equal((await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 }, { idempotencyKey: 'cap-1' })).amount_received, 3000);
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    assert.equal(refund.amount, 3000, 'only what was captured can be refunded');
    await fake.flushWebhooks();
    assertInOrder(hook.types(), ['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded', 'refund.created']);
  });

  test('cancel: from waiting or authorized states; refused once succeeded', async (t) => {
    const { stripe } = await world(t);
    const open = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const canceled = await stripe.paymentIntents.cancel(open.id, { cancellation_reason: 'requested_by_customer' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'requested_by_customer');
    assert.ok(canceled.canceled_at);
    await assert.rejects(stripe.paymentIntents.cancel(open.id), { code: 'payment_intent_unexpected_state', statusCode: 400 });

    const held = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    const released = await stripe.paymentIntents.cancel(held.id);
    assert.equal(released.status, 'canceled');
    assert.equal((await stripe.charges.retrieve(String(released.latest_charge))).refunded, true);

    const paid = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    await assert.rejects(stripe.paymentIntents.cancel(paid.id), { code: 'payment_intent_unexpected_state' });
    await assert.rejects(stripe.paymentIntents.retrieve('pi_missing'), (err: Stripe.errors.StripeError) => err.statusCode === 404 && err.code === 'resource_missing');
  });
});

describe('Stripe fake: refunds', () => {
  const paid = (stripe: Stripe, amount = 1000) =>
    stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });

  test('full, partial, too much, already refunded, not yet captured', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const a = await paid(stripe);
    const full = await stripe.refunds.create({ payment_intent: a.id, reason: 'requested_by_customer', metadata: { casanova_refund: 'r1' } });
    assert.match(full.id, /^re_/);
    assert.equal(full.status, 'succeeded');
    assert.equal(full.amount, 1000);
    assert.equal(full.payment_intent, a.id);
    assert.deepEqual(full.metadata, { casanova_refund: 'r1' });
    assert.equal((await stripe.refunds.retrieve(full.id)).status, 'succeeded');
    await assert.rejects(stripe.refunds.create({ payment_intent: a.id }), { code: 'charge_already_refunded' });

    const b = await paid(stripe);
    await stripe.refunds.create({ payment_intent: b.id, amount: 400 });
    await assert.rejects(stripe.refunds.create({ payment_intent: b.id, amount: 700 }), (err: Stripe.errors.StripeError) => {
      assert.equal(err.code, 'amount_too_large');
      // The SDK prefixes err.message with the request id; raw.message is Stripe's own wording.
      assert.equal((err.raw as { message: string }).message, 'Refund amount ($7.00) is greater than unrefunded amount on charge ($6.00)');
      return true;
    });
    await stripe.refunds.create({ payment_intent: b.id, amount: 600 });
    const charge = await stripe.charges.retrieve(String((await stripe.paymentIntents.retrieve(b.id)).latest_charge));
    assert.equal(charge.amount_refunded, 1000);
    assert.equal(charge.refunded, true);

    const held = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    await assert.rejects(stripe.refunds.create({ payment_intent: held.id }), { code: 'charge_not_refundable' });
    await fake.flushWebhooks();
    assertInOrder(hook.types(), ['refund.created', 'charge.refunded']);
  });

  test('idempotent replay: same key and body → the same refund, once; different body → idempotency_error', async (t) => {
    const { stripe, fake } = await world(t);
    const pi = await paid(stripe);
    const first = await stripe.refunds.create({ payment_intent: pi.id, amount: 300 }, { idempotencyKey: 'refund-key' });
    const again = await stripe.refunds.create({ payment_intent: pi.id, amount: 300 }, { idempotencyKey: 'refund-key' });
    assert.equal(again.id, first.id);
    assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(fake.events.filter((e) => e.type === 'refund.created').length, 1);
    const charge = await stripe.charges.retrieve(String(pi.latest_charge));
    assert.equal(charge.amount_refunded, 300);
    await assert.rejects(stripe.refunds.create({ payment_intent: pi.id, amount: 200 }, { idempotencyKey: 'refund-key' }), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeIdempotencyError);
      assert.equal(err.statusCode, 400);
      return true;
    });
    assert.deepEqual(
      fake.requests.filter((r) => r.path === '/v1/refunds').map((r) => r.idempotencyKey),
      ['refund-key', 'refund-key', 'refund-key'],
    );
  });

  test('pending_then_failed: created pending, then refund.failed and status failed', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const pi = await paid(stripe);
    fake.refundOutcome = 'pending_then_failed';
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 500 });
    assert.equal(refund.status, 'pending');
    const later = await stripe.refunds.retrieve(refund.id);
    assert.equal(later.status, 'failed');
    assert.ok(later.failure_reason);
    assert.equal((await stripe.charges.retrieve(String(pi.latest_charge))).amount_refunded, 0, 'a failed refund gives the amount back');
    await fake.flushWebhooks();
    assertInOrder(hook.types(), ['refund.created', 'refund.failed']);
    const failed = hook.events.find((e) => e.type === 'refund.failed')!;
    assert.equal((failed.data.object as Stripe.Refund).status, 'failed');
  });
});

describe('Stripe fake: hosted Checkout', () => {
  const sessionParams = (capture: 'automatic' | 'manual' = 'automatic'): Stripe.Checkout.SessionCreateParams => ({
    mode: 'payment',
    line_items: [
      { quantity: 2, price_data: { currency: 'usd', unit_amount: 1500, product_data: { name: 'Blue mug' } } },
      { quantity: 1, price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Shipping' } } },
    ],
    success_url: 'http://shop.test/done?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://shop.test/cart',
    customer_email: 'ann@example.com',
    client_reference_id: 'pay_1',
    metadata: { casanova_payment: 'pay_1' },
    payment_intent_data: { capture_method: capture, description: 'Order 1', metadata: { casanova_payment: 'pay_1' } },
  });
  const payOn = (url: string, number: string) => fetch(url, form({ number, expiry: '12 / 34', cvc: '123' }));

  test('create, show the page, a decline shown on the page, then pay: complete and signed events', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const session = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'session-1' });
    assert.match(session.id, /^cs_test_/);
    assert.equal(session.url, `${fake.url}/c/pay/${session.id}`);
    assert.equal(session.status, 'open');
    assert.equal(session.payment_status, 'unpaid');
    assert.equal(session.amount_total, 3500);
    assert.equal(session.payment_intent, null);

    const page = await fetch(session.url!);
    const html = await page.text();
    assert.equal(page.status, 200);
    for (const label of ['<label for="number">Card number</label>', '<label for="expiry">Expiration</label>', '<label for="cvc">CVC</label>', '<button type="submit">Pay</button>', '<a href="http://shop.test/cart">Back</a>', '$35.00', 'Blue mug']) {
      assert.ok(html.includes(label), label);
    }

    const declined = await payOn(session.url!, '4000 0000 0000 0002');
    assert.equal(declined.status, 402);
    assert.match(await declined.text(), /Your card was declined\./);
    const mistyped = await payOn(session.url!, '4242424242424241');
    assert.equal(mistyped.status, 400);
    assert.match(await mistyped.text(), /Your card number is incorrect\./);

    const paid = await payOn(session.url!, '4242 4242 4242 4242');
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `http://shop.test/done?session_id=${session.id}`);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge', 'line_items'] });
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'paid');
    assert.equal(done.customer_details?.email, 'ann@example.com');
    assert.deepEqual(done.line_items?.data.map((l) => [l.description, l.quantity, l.amount_total]), [['Blue mug', 2, 3000], ['Shipping', 1, 500]]);
    const pi = done.payment_intent as Stripe.PaymentIntent;
    assert.equal(pi.status, 'succeeded');
    assert.equal(pi.amount, 3500);
    assert.equal(pi.description, 'Order 1');
    assert.deepEqual(pi.metadata, { casanova_payment: 'pay_1' });
    assert.equal((pi.latest_charge as Stripe.Charge).payment_method_details?.card?.last4, '4242');
    assert.match(await (await fetch(session.url!)).text(), /Payment complete/);

    await fake.flushWebhooks();
    assert.deepEqual(hook.rejected, []);
    assertInOrder(hook.types(), ['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']);
    const completed = hook.events.find((e) => e.type === 'checkout.session.completed')!;
    assert.equal(completed.object, 'event');
    assert.equal(completed.api_version, Stripe.API_VERSION);
    assert.equal(completed.livemode, false);
    assert.equal((completed.data.object as Stripe.Checkout.Session).client_reference_id, 'pay_1');
    assert.equal((completed.data.object as Stripe.Checkout.Session).payment_intent, pi.id);
  });

  test('manual capture: the session is complete but unpaid, the intent waits for capture', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const session = await stripe.checkout.sessions.create(sessionParams('manual'));
    await payOn(session.url!, '5555555555554444');
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'unpaid');
    assert.equal((done.payment_intent as Stripe.PaymentIntent).status, 'requires_capture');
    await fake.flushWebhooks();
    assertInOrder(hook.types(), ['charge.succeeded', 'payment_intent.amount_capturable_updated', 'checkout.session.completed']);
  });

  test('3-D Secure on the hosted page: fail, back on the page with the reason, then complete', async (t) => {
    const { stripe } = await world(t);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const challenge = await payOn(session.url!, '4000002500003155');
    assert.equal(challenge.status, 303);
    const authUrl = challenge.headers.get('location')!;
    assert.match(await (await fetch(authUrl)).text(), /Complete authentication/);
    const secret = new URL(authUrl).searchParams.get('client_secret')!;
    const failed = await fetch(authUrl.split('?')[0], form({ client_secret: secret, outcome: 'fail' }));
    assert.equal(failed.headers.get('location'), session.url);
    assert.match(await (await fetch(session.url!)).text(), /failed authentication/);

    const again = await payOn(session.url!, '4000000000003220');
    const secret2 = new URL(again.headers.get('location')!).searchParams.get('client_secret')!;
    const ok = await fetch(again.headers.get('location')!.split('?')[0], form({ client_secret: secret2, outcome: 'complete' }));
    assert.equal(ok.headers.get('location'), `http://shop.test/done?session_id=${session.id}`);
    assert.equal((await stripe.checkout.sessions.retrieve(session.id)).payment_status, 'paid');
  });

  test('expire: the session and its page close, once', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.url, null);
    const page = await fetch(session.url!);
    assert.equal(page.status, 410);
    assert.match(await page.text(), /expired/);
    await assert.rejects(stripe.checkout.sessions.expire(session.id), Stripe.errors.StripeInvalidRequestError);
    await fake.flushWebhooks();
    assert.deepEqual(hook.types(), ['checkout.session.expired']);
  });
});

describe('Stripe fake: webhooks', () => {
  test('hold, then deliver reversed and duplicated; each delivery signed', async (t) => {
    const { stripe, hook, fake } = await world(t);
    fake.webhookMode = 'hold';
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects }, { idempotencyKey: 'pay-1' });
    const held = fake.heldEvents();
    assert.deepEqual(held.map((e) => e.type), ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    assert.deepEqual(held[0].request, { id: held[0].request.id, idempotency_key: 'pay-1' });
    assert.match(String(held[0].request.id), /^req_/);
    assert.equal(hook.events.length, 0);

    assert.deepEqual(await fake.deliver({ ids: [held[1].id] }), [200]);
    assert.deepEqual(await fake.deliver({ reverse: true, duplicate: true }), [200, 200, 200, 200]);
    assert.deepEqual(hook.types(), ['charge.succeeded', 'payment_intent.succeeded', 'payment_intent.succeeded', 'payment_intent.created', 'payment_intent.created']);
    assert.equal((hook.events[1].data.object as Stripe.PaymentIntent).id, pi.id);
    assert.deepEqual(fake.heldEvents(), []);
  });

  test('sendSigned: a wrong secret or a stale timestamp is refused by the receiver', async (t) => {
    const { hook, fake } = await world(t);
    const payload = JSON.stringify({ id: 'evt_manual', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });
    assert.equal((await fake.sendSigned(payload, { secret: 'whsec_wrong' })).status, 400);
    assert.equal((await fake.sendSigned(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status, 400);
    assert.equal((await fake.sendSigned(payload)).status, 200);
    assert.equal(hook.rejected.length, 2);
  });

  test('disputes: opened then closed, the charge marked disputed and no longer refundable', async (t) => {
    const { stripe, hook, fake } = await world(t);
    const pi = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    const disputeId = await fake.openDispute(pi.id, { reason: 'product_not_received' });
    assert.match(disputeId, /^dp_/);
    const created = hook.events.find((e) => e.type === 'charge.dispute.created')!;
    const dispute = created.data.object as Stripe.Dispute;
    assert.deepEqual([dispute.id, dispute.amount, dispute.reason, dispute.status, dispute.payment_intent], [disputeId, 4200, 'product_not_received', 'needs_response', pi.id]);
    assert.equal((await stripe.charges.retrieve(String(pi.latest_charge))).disputed, true);
    await assert.rejects(stripe.refunds.create({ payment_intent: pi.id }), { code: 'charge_disputed' });
    await fake.closeDispute(disputeId, 'won');
    const closed = hook.events.find((e) => e.type === 'charge.dispute.closed')!;
    assert.equal((closed.data.object as Stripe.Dispute).status, 'won');
  });
});

describe('Stripe fake: outages and keys', () => {
  test('http500 is not saved under the idempotency key: a retry with the key runs for real', async (t) => {
    const { stripe, fake } = await world(t);
    fake.failNext('create', 1);
    const params = { amount: 1000, currency: 'usd' };
    await assert.rejects(stripe.paymentIntents.create(params, { idempotencyKey: 'k1' }), (err: unknown) => err instanceof Stripe.errors.StripeAPIError && err.statusCode === 500);
    const pi = await stripe.paymentIntents.create(params, { idempotencyKey: 'k1' });
    assert.equal(pi.status, 'requires_payment_method');
    fake.failNext('retrieve', 1);
    await assert.rejects(stripe.paymentIntents.retrieve(pi.id), Stripe.errors.StripeAPIError);
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).id, pi.id);
  });

  test('the SDK retries a 500 by itself with the same key', async (t) => {
    const { stripe, fake } = await world(t, { retries: 1 });
    fake.failNext('create', 1);
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const creates = fake.requests.filter((r) => r.path === '/v1/payment_intents');
    assert.equal(creates.length, 2);
    assert.equal(creates[0].idempotencyKey, creates[1].idempotencyKey);
  });

  test('hangup: the refund happens, the answer is lost; the retry replays it, so one refund', async (t) => {
    const { stripe, fake } = await world(t);
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    fake.failNext('refunds', 1, 'hangup');
    // The SDK retries a dropped connection once even with retries off, with the same key.
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 250 });
    assert.equal(fake.requests.filter((r) => r.path === '/v1/refunds').length, 2);
    assert.equal(fake.events.filter((e) => e.type === 'refund.created').length, 1);
    assert.equal((await stripe.refunds.retrieve(refund.id)).amount, 250);
    fake.failNext('capture', 2, 'hangup');
    const held = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    await assert.rejects(stripe.paymentIntents.capture(held.id, {}, { idempotencyKey: 'cap' }), Stripe.errors.StripeConnectionError);
    assert.equal((await stripe.paymentIntents.retrieve(held.id)).status, 'succeeded', 'the capture took effect although its answer was lost');
  });

  test('a wrong secret key is a 401; the publishable key cannot create payments', async (t) => {
    const { fake } = await world(t);
    const wrong = new Stripe('sk_test_wrong', { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
    await assert.rejects(wrong.paymentIntents.create({ amount: 1000, currency: 'usd' }), Stripe.errors.StripeAuthenticationError);
    const browserKey = new Stripe(fake.publishableKey, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
    await assert.rejects(browserKey.paymentIntents.create({ amount: 1000, currency: 'usd' }), (err: Stripe.errors.StripeError) => err.statusCode === 401);
    assert.deepEqual(fake.requests, [], 'only secret-key calls are listed');
  });
});
