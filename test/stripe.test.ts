// Scenario tests: the Stripe adapter, driven through the real `stripe` SDK against the local
// fake of Stripe's API (test/fakes/), with webhooks signed as Stripe signs them. Hosted
// Checkout through the storefront form, one-call API checkout with PaymentMethod ids,
// webhooks late, repeated, reordered and forged, stock gone after payment, a provider
// outage during a refund, capture at handover, refunds failing later, chargebacks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { changeSettings, fixedClock, testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { Browser, checkoutForm } from './helpers/form-browser.ts';
import { checkoutBody, createTestCart } from './helpers/orders.ts';
import { startStripeFake, type StripeFake } from './fakes/stripe-fake.ts';
import { orderEvents, orders, outbox, payments, refunds, variants } from '../src/db/schema.ts';
import { reconcilePayments } from '../src/domain/payments/payment-reconciliation.ts';
import { retryDueRefunds } from '../src/domain/payments/refund-service.ts';
import { cancel, markPacked, ship, startPreparing, verify } from '../src/domain/orders/order-service.ts';

const STAFF = { kind: 'system', name: 'test' } as const;
const path = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

for (const { kind, skip } of DB_KINDS) {
  describe(`Stripe payments on ${kind}`, { skip }, () => {
    let t: TestApp;
    let stripe: StripeFake;
    let base: string;
    const clock = fixedClock(new Date());

    before(async () => {
      stripe = await startStripeFake();
      t = await testApp(kind, {
        overrides: { clock },
        env: {
          STRIPE_SECRET_KEY: stripe.secretKey,
          STRIPE_PUBLISHABLE_KEY: stripe.publishableKey,
          STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
          STRIPE_API_URL: stripe.url,
          STRIPE_JS_URL: `${stripe.url}/v3/`,
        },
      });
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      stripe.setWebhookUrl(`${base}/api/v1/payments/stripe/webhook`);
      await addProducts(t.ctx, [...basicCatalog, { slug: 'last-bowl', name: 'Last Bowl', variants: [{ sku: 'BOWL-1', price: 4000, stock: 0 }] }]);
    });
    after(async () => {
      await t?.close();
      await stripe?.close();
    });

    const apiCheckout = async (paymentMethod: string, sku = 'MUG-1') => {
      const cart = await createTestCart(t, [{ sku, quantity: 1 }]);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/carts/${cart}/checkout`,
        headers: { 'idempotency-key': randomUUID() },
        payload: checkoutBody({ payment: { provider: 'stripe', paymentMethod } }),
      });
    };
    const paymentById = async (id: string) => (await t.ctx.db.select().from(payments).where(eq(payments.id, id)))[0]!;
    const confirmations = async (orderId: string) =>
      (await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, orderId), eq(outbox.template, 'order_confirmation')))).length;

    /** The storefront form → Stripe's hosted Checkout page (the fake's) → a card there → back to the store. */
    async function hostedCheckout(b: Browser, sku = 'MUG-1', card = '4242424242424242') {
      await b.go('POST', '/cart/items', { sku, quantity: '1' });
      const page = await b.go('GET', '/checkout');
      const priced = await b.go('POST', '/checkout', checkoutForm(page.body, { state: 'OH' }));
      const sent = await b.go('POST', '/checkout', checkoutForm(priced.statusCode === 409 ? priced.body : page.body, { state: 'OH' }));
      assert.equal(sent.statusCode, 303);
      const hosted = String(sent.headers.location);
      assert.ok(hosted.startsWith(`${stripe.url}/c/pay/cs_`), hosted);
      const paid = await fetch(hosted, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ number: card, cardNumber: card, expiry: '12/34', cvc: '123' }) });
      assert.equal(paid.status, 303, await paid.text());
      const back = String(paid.headers.get('location'));
      assert.ok(back.includes('/checkout/return?payment='), back);
      return { back, paymentId: new URL(back).searchParams.get('payment')! };
    }

    it('one-call API checkout with a PaymentMethod: captured at Stripe, card as Stripe reports it', async () => {
      const res = await apiCheckout('pm_card_visa');
      assert.equal(res.statusCode, 201, res.body);
      const { order } = res.json();
      assert.match(order.payment.transactionId, /^pi_/);
      assert.deepEqual([order.payment.brand, order.payment.last4], ['visa', '4242']);
      const pi = stripe.paymentIntent(order.payment.transactionId) as { status: string; amount: number; metadata: Record<string, string> };
      assert.equal(pi.status, 'succeeded');
      assert.equal(pi.amount, order.totals.total, 'the server computed the amount');
      const created = stripe.requests.find((r) => r.path === '/v1/payment_intents' && r.method === 'POST');
      assert.ok(created?.idempotencyKey, 'our idempotency key travels with the call');
      await stripe.flushWebhooks();
      const [row] = await t.ctx.db.select().from(orders).where(eq(orders.number, order.number));
      assert.equal(await confirmations(row!.id), 1, 'the webhook found the order already made');
    });

    for (const [pm, declineCode] of [
      ['pm_card_chargeDeclined', 'card_declined'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
      ['pm_card_authenticationRequired', 'authentication_required'],
    ] as const) {
      it(`${pm} is refused with 402 ${declineCode} and nothing stays open at Stripe`, async () => {
        const res = await apiCheckout(pm);
        assert.equal(res.statusCode, 402, res.body);
        assert.equal(res.json().error.details.declineCode, declineCode);
        const [p] = await t.ctx.db.select().from(payments).where(eq(payments.declineCode, declineCode));
        assert.equal(p!.orderId, null);
        if (p!.providerTransactionId) assert.equal((stripe.paymentIntent(p!.providerTransactionId) as { status: string }).status, 'canceled');
      });
    }

    it('hosted Checkout: return before the webhook, then duplicated and reordered webhooks, make one order and one email', async () => {
      stripe.webhookMode = 'hold';
      const b = new Browser(t);
      const { back, paymentId } = await hostedCheckout(b);
      const returned = await b.go('GET', path(back));
      assert.match(String(returned.headers.location), /^\/orders\/CS-.+\/confirmation\?t=/);
      const statuses = await stripe.deliver({ reverse: true, duplicate: true });
      assert.ok(statuses.every((s) => s === 200), String(statuses));
      const p = await paymentById(paymentId);
      assert.deepEqual([p.status, p.cardLast4], ['captured', '4242']);
      assert.match(p.providerSessionId!, /^cs_/);
      assert.match(p.providerTransactionId!, /^pi_/);
      assert.equal((await t.ctx.db.select().from(orders).where(eq(orders.cartId, p.cartId!))).length, 1);
      assert.equal(await confirmations(p.orderId!), 1);
    });

    it('hosted Checkout: the shopper closes the tab after paying; the webhook alone makes exactly one order', async () => {
      stripe.webhookMode = 'immediate';
      const { paymentId } = await hostedCheckout(new Browser(t));
      await stripe.flushWebhooks();
      const p = await paymentById(paymentId);
      assert.ok(p.orderId, 'placed from the webhook');
      assert.equal(await confirmations(p.orderId!), 1);
    });

    it('webhooks with a wrong secret or a stale timestamp are refused with 400 and change nothing', async () => {
      stripe.webhookMode = 'hold';
      const { paymentId } = await hostedCheckout(new Browser(t));
      const genuine = stripe.heldEvents().find((e) => e.type === 'checkout.session.completed')!;
      const wrong = await stripe.sendSigned(JSON.stringify(genuine), { secret: 'whsec_not_the_right_one' });
      assert.equal(wrong.status, 400);
      const stale = await stripe.sendSigned(JSON.stringify(genuine), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      assert.equal(stale.status, 400);
      assert.equal((await paymentById(paymentId)).orderId, null);
      await stripe.deliver();
      assert.ok((await paymentById(paymentId)).orderId, 'the genuine delivery still places it');
    });

    it('the reconciler asks Stripe and places a paid session whose webhook and return never came', async () => {
      stripe.webhookMode = 'hold';
      const { paymentId } = await hostedCheckout(new Browser(t));
      stripe.heldEvents(); // lost: never delivered
      assert.equal((await reconcilePayments(t.ctx, 0)).placed >= 1, true);
      assert.ok((await paymentById(paymentId)).orderId);
      await stripe.deliver(); // arriving after all: acknowledged, nothing new
      assert.equal(await confirmations((await paymentById(paymentId)).orderId!), 1);
    });

    it('stock gone while the shopper paid: refunded at Stripe once and the shopper told', async () => {
      stripe.webhookMode = 'hold';
      await t.ctx.db.update(variants).set({ stock: 1 }).where(eq(variants.sku, 'BOWL-1'));
      const b = new Browser(t);
      await b.go('POST', '/cart/items', { sku: 'BOWL-1', quantity: '1' });
      const page = await b.go('GET', '/checkout');
      const priced = await b.go('POST', '/checkout', checkoutForm(page.body, { state: 'OH' }));
      const sent = await b.go('POST', '/checkout', checkoutForm(priced.statusCode === 409 ? priced.body : page.body, { state: 'OH' }));
      assert.equal((await apiCheckout('pm_card_visa', 'BOWL-1')).statusCode, 201, 'someone else takes the last one');
      const paid = await fetch(String(sent.headers.location), { method: 'POST', redirect: 'manual', body: new URLSearchParams({ number: '4242424242424242', cardNumber: '4242424242424242', expiry: '12/34', cvc: '123' }) });
      const back = String(paid.headers.get('location'));
      const returned = await b.go('GET', path(back));
      assert.equal(returned.headers.location, '/cart');
      await stripe.deliver({ duplicate: true });
      const p = await paymentById(new URL(back).searchParams.get('payment')!);
      assert.equal(p.status, 'refunded');
      const stripeRefunds = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.body.payment_intent === p.providerTransactionId);
      assert.equal(new Set(stripeRefunds.map((r) => r.idempotencyKey)).size, 1, 'one refund, whatever the retries');
      assert.ok((await t.ctx.db.select().from(outbox).where(eq(outbox.template, 'payment_released'))).length >= 1);
    });

    it('a refund whose answer is lost is retried with the same key and paid once', async () => {
      stripe.webhookMode = 'immediate';
      const res = await apiCheckout('pm_card_visa');
      const { order } = res.json();
      // The SDK retries a lost answer twice by itself (same key); all three are lost here.
      stripe.failNext('refunds', 3, 'hangup');
      await cancel(t.ctx, order.number, STAFF, { reason: 'Customer changed their mind' });
      const [pending] = await t.ctx.db.select().from(refunds).where(eq(refunds.idempotencyKey, `cancel:${(await t.ctx.db.select().from(orders).where(eq(orders.number, order.number)))[0]!.id}`));
      assert.equal(pending!.status, 'pending', 'the answer never came');
      clock.advance(10 * 60_000);
      await retryDueRefunds(t.ctx);
      const [done] = await t.ctx.db.select().from(refunds).where(eq(refunds.id, pending!.id));
      assert.equal(done!.status, 'succeeded');
      const calls = stripe.requests.filter((r) => r.path === '/v1/refunds' && r.body.payment_intent === order.payment.transactionId);
      assert.equal(new Set(calls.map((c) => c.idempotencyKey)).size, 1, 'same key every time');
      const pi = stripe.paymentIntent(order.payment.transactionId) as { latest_charge: string | { amount_refunded: number } };
      const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : undefined;
      if (charge) assert.equal(charge.amount_refunded, order.totals.total, 'refunded once');
    });

    it('a refund Stripe fails later goes back to failed for staff to retry', async () => {
      stripe.webhookMode = 'immediate';
      stripe.refundOutcome = 'pending_then_failed';
      try {
        const { order } = (await apiCheckout('pm_card_visa')).json();
        await cancel(t.ctx, order.number, STAFF, { reason: 'Out of stock in the warehouse' });
        await stripe.flushWebhooks();
        const [o] = await t.ctx.db.select().from(orders).where(eq(orders.number, order.number));
        const [r] = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o!.id));
        assert.equal(r!.status, 'failed');
        const events = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, o!.id), eq(orderEvents.type, 'refund_failed')));
        assert.equal(events.length, 1);
      } finally {
        stripe.refundOutcome = 'succeeded';
      }
    });

    it('capture at handover: authorized at checkout, captured at Stripe when the parcel is handed over', async () => {
      await changeSettings(t, (s) => ({ ...s, payments: { capture: 'handover' } }));
      try {
        const res = await apiCheckout('pm_card_visa');
        assert.equal(res.statusCode, 201, res.body);
        const { order } = res.json();
        assert.equal((stripe.paymentIntent(order.payment.transactionId) as { status: string }).status, 'requires_capture');
        for (const step of [verify, startPreparing, markPacked]) await step(t.ctx, order.number, STAFF);
        await ship(t.ctx, order.number, STAFF, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
        const pi = stripe.paymentIntent(order.payment.transactionId) as { status: string; amount_received: number };
        assert.deepEqual([pi.status, pi.amount_received], ['succeeded', order.totals.total]);
      } finally {
        await changeSettings(t, (s) => ({ ...s, payments: { capture: 'checkout' } }));
      }
    });

    it('a chargeback opened and won at Stripe shows on the payment and the timeline', async () => {
      stripe.webhookMode = 'immediate';
      const { order } = (await apiCheckout('pm_card_visa')).json();
      const dispute = await stripe.openDispute(order.payment.transactionId, { reason: 'fraudulent' });
      await stripe.flushWebhooks();
      const [p] = await t.ctx.db.select().from(payments).where(eq(payments.providerTransactionId, order.payment.transactionId));
      assert.deepEqual([p!.disputeId, p!.disputeStatus, p!.disputeReason], [dispute, 'needs_response', 'fraudulent']);
      await stripe.closeDispute(dispute, 'won');
      await stripe.flushWebhooks();
      const [after] = await t.ctx.db.select().from(payments).where(eq(payments.id, p!.id));
      assert.equal(after!.disputeStatus, 'won');
      const timeline = await t.ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, p!.orderId!));
      assert.deepEqual(timeline.filter((e) => e.type.startsWith('dispute')).map((e) => e.type), ['dispute_opened', 'dispute_closed']);
    });
  });
}
