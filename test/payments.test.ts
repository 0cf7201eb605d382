// Scenario tests: payment sessions end to end with the sandbox provider — the shopper's
// return and the provider's webhook in either order, duplicated and reordered webhooks,
// forged signatures, a shopper who never comes back, stock gone after payment, a provider
// down during a release, chargebacks, capture at handover and by staff. PGlite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { changeSettings, testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { Browser, checkoutForm } from './helpers/form-browser.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { staffSession } from './helpers/staff.ts';
import { orderEvents, orders, outbox, paymentWebhookEvents, payments, sandboxPayments, sandboxRefunds, variants } from '../src/db/schema.ts';
import { SANDBOX_SIGNATURE_HEADER, type SandboxProvider } from '../src/domain/payments/sandbox-provider.ts';
import { reconcilePayments } from '../src/domain/payments/payment-reconciliation.ts';
import { cancel } from '../src/domain/orders/order-service.ts';

const sandboxOf = (t: TestApp) => t.ctx.payments.get('sandbox') as SandboxProvider;
const CARD = { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' };
const path = (url: string) => {
  const u = new URL(url, 'http://x');
  return u.pathname + u.search;
};

/** A shopper fills the checkout form and is sent to the sandbox page; returns the page's path. */
async function goToPayment(b: Browser, sku = 'MUG-1', quantity = '1') {
  await b.go('POST', '/cart/items', { sku, quantity });
  const page = await b.go('GET', '/checkout');
  // The page's total had no state yet: the store shows the total with West Virginia's tax first.
  const priced = await b.go('POST', '/checkout', checkoutForm(page.body, { state: 'WV' }));
  assert.equal(priced.statusCode, 409, 'the new total is shown before paying');
  const sent = await b.go('POST', '/checkout', checkoutForm(priced.body, { state: 'WV' }));
  assert.equal(sent.statusCode, 303, 'sent to the payment page');
  return path(String(sent.headers.location));
}

/** Pays on the sandbox page; returns the store's return URL the sandbox redirects to. */
async function pay(b: Browser, payPath: string, card = CARD) {
  const paid = await b.go('POST', payPath, card);
  assert.equal(paid.statusCode, 303, 'paid and sent back to the store');
  return path(String(paid.headers.location));
}

for (const { kind, skip } of DB_KINDS) {
  describe(`payment sessions on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, [...basicCatalog, { slug: 'last-bowl', name: 'Last Bowl', variants: [{ sku: 'BOWL-1', price: 4000, stock: 1 }] }]);
    });
    after(() => t?.close());

    const ordersOfEmail = async () => (await t.ctx.db.select().from(orders)).length;
    const confirmations = async (orderId: string) =>
      (await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, orderId), eq(outbox.template, 'order_confirmation')))).length;
    const paymentOf = async (returnPath: string) => {
      const id = new URL(returnPath, 'http://x').searchParams.get('payment')!;
      return (await t.ctx.db.select().from(payments).where(eq(payments.id, id)))[0]!;
    };

    it('webhook before the return: the webhook places the order, the return finds it', async () => {
      sandboxOf(t).webhookMode = 'hold';
      const b = new Browser(t);
      const back = await pay(b, await goToPayment(b));
      const before = await ordersOfEmail();
      await sandboxOf(t).deliverHeld();
      const p = await paymentOf(back);
      assert.ok(p.orderId, 'placed by the webhook alone');
      assert.equal(await ordersOfEmail(), before + 1);
      const returned = await b.go('GET', back);
      assert.match(String(returned.headers.location), /^\/orders\/CS-.+\/confirmation\?t=/);
      assert.equal(await ordersOfEmail(), before + 1, 'the return made no second order');
      assert.equal(await confirmations(p.orderId!), 1);
    });

    it('return before the webhook: the return places the order, the late webhook changes nothing', async () => {
      sandboxOf(t).webhookMode = 'hold';
      const b = new Browser(t);
      const back = await pay(b, await goToPayment(b));
      const returned = await b.go('GET', back);
      assert.match(String(returned.headers.location), /^\/orders\/CS-/);
      const before = await ordersOfEmail();
      await sandboxOf(t).deliverHeld();
      const p = await paymentOf(back);
      assert.equal(await ordersOfEmail(), before);
      assert.equal(await confirmations(p.orderId!), 1);
    });

    it('duplicated and reordered webhooks make one order; a redelivery is acknowledged as a duplicate', async () => {
      sandboxOf(t).webhookMode = 'hold';
      const b = new Browser(t);
      const payPath = await goToPayment(b);
      assert.equal((await b.go('POST', payPath, { ...CARD, cardNumber: '4000 0000 0000 0002' })).statusCode, 402, 'a declined attempt first');
      const back = await pay(b, payPath);
      const before = await ordersOfEmail();
      await sandboxOf(t).deliverHeld({ reverse: true, duplicate: true });
      const p = await paymentOf(back);
      assert.ok(p.orderId);
      assert.equal(p.status, 'captured');
      assert.equal(await ordersOfEmail(), before + 1);
      assert.equal(await confirmations(p.orderId!), 1);
      const seen = await t.ctx.db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.provider, 'sandbox'));
      assert.equal(new Set(seen.map((e) => e.eventId)).size, seen.length, 'each event id recorded once');
    });

    it('a webhook with a bad or stale signature is refused with 400 and changes nothing; an unknown provider is 404', async () => {
      sandboxOf(t).webhookMode = 'hold';
      const b = new Browser(t);
      const back = await pay(b, await goToPayment(b));
      const p = await paymentOf(back);
      const body = JSON.stringify({ id: 'sbx_evt_forged', type: 'payment.succeeded', created: Math.floor(Date.now() / 1000), data: { paymentId: p.providerSessionId, reference: p.id } });
      const post = (headers: Record<string, string>, payload = body) =>
        t.app.inject({ method: 'POST', url: '/api/v1/payments/sandbox/webhook', headers: { 'content-type': 'application/json', ...headers }, payload });
      const forged = await post({ [SANDBOX_SIGNATURE_HEADER]: `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` });
      assert.equal(forged.statusCode, 400);
      assert.match(forged.json().error.message, /signature/);
      assert.equal((await post({})).statusCode, 400, 'no signature');
      assert.equal((await post({ [SANDBOX_SIGNATURE_HEADER]: 'garbage' })).statusCode, 400);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/payments/paypal/webhook', payload: body, headers: { 'content-type': 'application/json' } })).statusCode, 404);
      const [still] = await t.ctx.db.select().from(payments).where(eq(payments.id, p.id));
      assert.equal(still!.orderId, null, 'nothing was placed by the forged event');
      assert.equal((await t.ctx.db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.eventId, 'sbx_evt_forged'))).length, 0);
      await sandboxOf(t).deliverHeld();
      assert.ok((await paymentOf(back)).orderId, 'the genuine webhook still works');
    });

    it('a shopper who pays and closes the tab still gets exactly one order and one confirmation email', async () => {
      sandboxOf(t).webhookMode = 'immediate';
      const b = new Browser(t);
      const back = await pay(b, await goToPayment(b));
      await sandboxOf(t).drain();
      const p = await paymentOf(back);
      assert.ok(p.orderId, 'the webhook made the order');
      assert.equal(await confirmations(p.orderId!), 1);
      const [event] = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, p.orderId!), eq(orderEvents.type, 'placed')));
      assert.equal((event!.details as { provider: string }).provider, 'sandbox');
    });

    it('stock gone while the shopper paid: the payment is refunded once, the shopper is told on return and by email', async () => {
      sandboxOf(t).webhookMode = 'hold';
      const b = new Browser(t);
      const payPath = await goToPayment(b, 'BOWL-1');
      await placeTestOrder(t, [{ sku: 'BOWL-1', quantity: 1 }]); // someone else takes the last one meanwhile
      await sandboxOf(t).drain();
      const back = await pay(b, payPath);
      const returned = await b.go('GET', back);
      assert.equal(returned.statusCode, 303);
      assert.equal(returned.headers.location, '/cart');
      const cart = await b.go('GET', '/cart');
      assert.match(cart.body, /Last Bowl: sold out/);
      assert.match(cart.body, /returned in full/);
      await sandboxOf(t).deliverHeld({ duplicate: true });
      const p = await paymentOf(back);
      assert.deepEqual([p.status, p.orderId], ['refunded', null]);
      const refunds = await t.ctx.db.select().from(sandboxRefunds).where(eq(sandboxRefunds.paymentId, p.providerTransactionId!));
      assert.deepEqual(refunds.map((r) => r.amount), [p.amount], 'refunded in full, once');
      const told = await t.ctx.db.select().from(outbox).where(eq(outbox.template, 'payment_released'));
      assert.ok(told.some((m) => m.recipient === 'sam@example.com'));
      const [bowl] = await t.ctx.db.select().from(variants).where(eq(variants.sku, 'BOWL-1'));
      assert.equal(bowl!.stock, 0, 'never oversold');
    });

    it('a provider down during a release leaves it to the reconciler, which refunds exactly once', async () => {
      await t.ctx.db.update(variants).set({ stock: 1 }).where(eq(variants.sku, 'BOWL-1'));
      sandboxOf(t).webhookMode = 'hold';
      const b = new Browser(t);
      const payPath = await goToPayment(b, 'BOWL-1');
      await placeTestOrder(t, [{ sku: 'BOWL-1', quantity: 1 }]);
      await sandboxOf(t).drain();
      const back = await pay(b, payPath);
      const p0 = await paymentOf(back);
      // retrieve answers, the refund call does not
      const sandbox = sandboxOf(t);
      const refund = sandbox.refund.bind(sandbox);
      sandbox.refund = () => Promise.reject(new Error('connection reset'));
      await b.go('GET', back);
      assert.equal((await paymentOf(back)).status, 'releasing');
      sandbox.refund = refund;
      await sandbox.deliverHeld({ drop: true });
      const report = await reconcilePayments(t.ctx, 0);
      assert.equal(report.released, 1);
      assert.equal((await reconcilePayments(t.ctx, 0)).released, 0);
      assert.equal((await paymentOf(back)).status, 'refunded');
      const refunds = await t.ctx.db.select().from(sandboxRefunds).where(eq(sandboxRefunds.paymentId, p0.providerTransactionId!));
      assert.equal(refunds.length, 1, 'never doubled');
    });

    it('a chargeback shows on the order and its timeline; a late "opened" never reopens a closed dispute', async () => {
      sandboxOf(t).webhookMode = 'hold';
      const order = await placeTestOrder(t);
      await sandboxOf(t).deliverHeld();
      const [p] = await t.ctx.db.select().from(payments).where(eq(payments.providerTransactionId, order.payment.transactionId));
      const disputeId = await sandboxOf(t).openDispute(p!.providerTransactionId!, 'product_not_received');
      await sandboxOf(t).deliverHeld();
      const [opened] = await t.ctx.db.select().from(payments).where(eq(payments.id, p!.id));
      assert.deepEqual([opened!.disputeId, opened!.disputeStatus, opened!.disputeReason, opened!.disputeAmount], [disputeId, 'needs_response', 'product_not_received', p!.amount]);
      // Closed and a stale "opened" redelivered after it, in that order.
      await sandboxOf(t).closeDispute(p!.providerTransactionId!, disputeId, 'won');
      await sandboxOf(t).openDispute(p!.providerTransactionId!, 'product_not_received');
      await sandboxOf(t).deliverHeld();
      const [closed] = await t.ctx.db.select().from(payments).where(eq(payments.id, p!.id));
      assert.equal(closed!.disputeStatus, 'won');
      const timeline = await t.ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, p!.orderId!));
      assert.deepEqual(
        timeline.filter((e) => e.type.startsWith('dispute')).map((e) => e.type),
        ['dispute_opened', 'dispute_closed'],
      );
      const { cookies } = await staffSession(t, 'owner');
      const page = await t.app.inject({ url: `/admin/orders/${order.number}`, cookies });
      assert.match(page.body, /<strong>Dispute<\/strong> won/);
      assert.match(page.body, /Chargeback opened by the cardholder/);
      // Another, still open, is on the dashboard.
      const other = await placeTestOrder(t);
      await sandboxOf(t).deliverHeld();
      await sandboxOf(t).openDispute(other.payment.transactionId, 'fraudulent');
      await sandboxOf(t).deliverHeld();
      const dashboard = await t.app.inject({ url: '/admin', cookies });
      assert.match(dashboard.body, /Open chargebacks · 1/);
      assert.match(dashboard.body, new RegExp(other.number));
    });

    it('with capture at handover: cancelling before capture releases the authorization and refunds nothing; staff can capture early', async () => {
      await changeSettings(t, (s) => ({ ...s, payments: { capture: 'handover' } }));
      try {
        sandboxOf(t).webhookMode = 'immediate';
        const cancelled = await placeTestOrder(t);
        await sandboxOf(t).drain();
        await cancel(t.ctx, cancelled.number, { kind: 'system', name: 'test' }, { reason: 'Customer asked' });
        const [p] = await t.ctx.db.select().from(payments).where(eq(payments.providerTransactionId, cancelled.payment.transactionId));
        assert.equal(p!.status, 'voided');
        const [atProvider] = await t.ctx.db.select().from(sandboxPayments).where(eq(sandboxPayments.id, cancelled.payment.transactionId));
        assert.deepEqual([atProvider!.status, atProvider!.amountCaptured, atProvider!.amountRefunded], ['canceled', 0, 0], 'never charged');

        const early = await placeTestOrder(t);
        await sandboxOf(t).drain();
        const { cookies, csrf } = await staffSession(t, 'owner');
        const page = await t.app.inject({ url: `/admin/orders/${early.number}`, cookies });
        assert.match(page.body, />Capture \$/);
        const done = await t.app.inject({ method: 'POST', url: `/admin/orders/${early.number}/capture`, cookies, payload: { _csrf: csrf } });
        assert.equal(done.statusCode, 303, done.body.slice(0, 300));
        const [captured] = await t.ctx.db.select().from(sandboxPayments).where(eq(sandboxPayments.id, early.payment.transactionId));
        assert.deepEqual([captured!.status, captured!.amountCaptured], ['captured', early.totals.total]);
        const again = await t.app.inject({ method: 'POST', url: `/admin/orders/${early.number}/capture`, cookies, payload: { _csrf: csrf } });
        assert.equal(again.statusCode, 409, 'nothing left to capture');
        assert.match(again.body, /no authorized payment/);
      } finally {
        await changeSettings(t, (s) => ({ ...s, payments: { capture: 'checkout' } }));
      }
    });
  });
}
