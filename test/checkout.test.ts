// Scenario tests: cart, checkout, payment and order creation through the API and the
// storefront forms, on PGlite and PostgreSQL. Money and stock must never be wrong.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { changeSettings, testApp, type TestApp } from './helpers/test-app.ts';
import { Browser, checkoutForm } from './helpers/form-browser.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { TOKENS, checkoutBody, createTestCart, placeTestOrder, type CheckoutOverrides } from './helpers/orders.ts';
import { carts, idempotencyKeys, orderEvents, orderItems, orders, outbox, payments, sandboxPayments, sandboxRefunds, stockLedger, variants } from '../src/db/schema.ts';
import type { SandboxProvider } from '../src/domain/payments/sandbox-provider.ts';
import { reconcilePayments } from '../src/domain/payments/payment-reconciliation.ts';
import { startCheckout } from '../src/domain/checkout/checkout-service.ts';
import { parseCheckoutInput } from '../src/domain/checkout/checkout-input.ts';
import { markPacked, ship, startPreparing, verify } from '../src/domain/orders/order-service.ts';
import { signTrackingToken, verifyTrackingToken } from '../src/domain/tracking/tracking-token.ts';

const raceCatalog = [{ slug: 'last-chair', name: 'Last Chair', category: 'furniture', variants: [{ sku: 'CHAIR-1', price: 12000, stock: 5 }] }];

async function stockOf(t: TestApp, sku: string) {
  const [v] = await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku));
  return v!.stock;
}

function checkout(t: TestApp, cartId: string, over: CheckoutOverrides = {}, key: string | null = randomUUID(), extra: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/carts/${cartId}/checkout`,
    headers: key === null ? {} : { 'idempotency-key': key },
    payload: { ...checkoutBody(over), ...extra },
  });
}

const sandboxOf = (t: TestApp) => t.ctx.payments.get('sandbox') as SandboxProvider;

/** Makes the app's sandbox answer no payment session until `n` have been asked for (or 10 s passed). */
function gateSessions(t: TestApp, n: number) {
  const sandbox = sandboxOf(t);
  const open = sandbox.createSession.bind(sandbox);
  const waiting: (() => void)[] = [];
  sandbox.createSession = async (input) => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length >= n) waiting.forEach((go) => go());
      setTimeout(resolve, 10_000).unref();
    });
    return open(input);
  };
}

/** fetch() against the listening app, so requests really overlap (inject runs them one by one). */
async function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`cart and checkout on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
    });
    after(() => t?.close());

    it('builds a cart: adds onto a line, changes and removes lines, with catalog prices, shipping and tax', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/carts' });
      assert.equal(created.statusCode, 201);
      const { id, items, totals } = created.json();
      assert.match(id, /^[A-Za-z0-9_-]{40,}$/, 'an unguessable id');
      assert.deepEqual(items, []);
      assert.deepEqual(totals, { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 });

      const add = (sku: string, quantity: number) => t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/items`, payload: { sku, quantity } });
      await add('MUG-1', 2);
      let cart = (await add('MUG-1', 1)).json();
      assert.equal(cart.items.length, 1, 'adding the same SKU grows its line');
      assert.deepEqual(
        { quantity: cart.items[0].quantity, unitPrice: cart.items[0].unitPrice, lineTotal: cart.items[0].lineTotal, available: cart.items[0].available },
        { quantity: 3, unitPrice: 1500, lineTotal: 4500, available: 100 },
      );
      assert.match(cart.items[0].image, /thumb\.webp$/);
      assert.deepEqual(cart.totals, { subtotal: 4500, discount: 0, shipping: 695, tax: 0, total: 5195 });

      cart = (await add('LAMP-1', 1)).json();
      assert.deepEqual(cart.totals, { subtotal: 9500, discount: 0, shipping: 0, tax: 0, total: 9500 }, 'standard shipping is free from $75');
      assert.equal(cart.itemCount, 4);

      const wv = (await t.app.inject(`/api/v1/carts/${id}?state=WV`)).json();
      assert.deepEqual(wv.totals, { subtotal: 9500, discount: 0, shipping: 0, tax: 570, total: 10070 }, 'West Virginia sales tax is 6%');
      const express = (await t.app.inject(`/api/v1/carts/${id}?state=OH&shippingMethod=express`)).json();
      assert.deepEqual(express.totals, { subtotal: 9500, discount: 0, shipping: 1895, tax: 0, total: 11395 });

      cart = (await t.app.inject({ method: 'PATCH', url: `/api/v1/carts/${id}/items/MUG-1`, payload: { quantity: 1 } })).json();
      assert.deepEqual(cart.totals, { subtotal: 6500, discount: 0, shipping: 695, tax: 0, total: 7195 }, 'below $75 shipping is charged again');

      cart = (await t.app.inject({ method: 'DELETE', url: `/api/v1/carts/${id}/items/LAMP-1` })).json();
      assert.deepEqual(cart.items.map((i: { sku: string }) => i.sku), ['MUG-1']);
      cart = (await t.app.inject({ method: 'PATCH', url: `/api/v1/carts/${id}/items/MUG-1`, payload: { quantity: 0 } })).json();
      assert.deepEqual(cart.items, [], 'quantity 0 removes the line');
    });

    it('checks quantities against stock and the per-line maximum, and names unknown carts and SKUs', async () => {
      const id = await createTestCart(t, []);
      const add = (sku: string, quantity: number) => t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/items`, payload: { sku, quantity } });

      const tooMany = await add('LAMP-2', 3);
      assert.equal(tooMany.statusCode, 409);
      assert.equal(tooMany.json().error.code, 'out_of_stock');
      assert.deepEqual(tooMany.json().error.details.skus, ['LAMP-2']);
      assert.match(tooMany.json().error.message, /Only 2 of Test Lamp left/);
      assert.equal((await add('LAMP-2', 2)).statusCode, 200);
      assert.equal((await add('LAMP-2', 1)).statusCode, 409, 'the line already holds all the stock');
      assert.equal((await add('VASE-1', 1)).json().error.code, 'out_of_stock');

      const overLimit = await add('MUG-1', 21);
      assert.equal(overLimit.statusCode, 422);
      assert.ok(overLimit.json().error.details.fields.quantity);
      await add('MUG-1', 15);
      const overLimitTotal = await add('MUG-1', 6);
      assert.equal(overLimitTotal.statusCode, 422, 'the maximum counts what the line already holds');
      assert.match(overLimitTotal.json().error.message, /up to 20/);

      assert.equal((await add('NOPE-1', 1)).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/v1/carts/${id}/items/LAMP-1`, payload: { quantity: 1 } })).statusCode, 404, 'not in this cart');
      assert.equal((await t.app.inject('/api/v1/carts/not-a-real-cart-id')).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/carts/not-a-real-cart-id/items', payload: { sku: 'MUG-1', quantity: 1 } })).statusCode, 404);
      const zero = await add('MUG-1', 0);
      assert.equal(zero.statusCode, 422);
      assert.equal(zero.json().error.code, 'validation_failed');
    });

    it('creates a cart already holding items in one call, with the same checks as adding them', async () => {
      const create = (items: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/carts', payload: { items } });
      const made = await create([{ sku: 'MUG-1', quantity: 2 }, { sku: 'LAMP-1' }, { sku: 'MUG-1', quantity: 1 }]);
      assert.equal(made.statusCode, 201);
      assert.deepEqual(made.json().items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity]), [['MUG-1', 3], ['LAMP-1', 1]], 'the same SKU twice adds up; quantity defaults to 1');
      const read = (await t.app.inject(`/api/v1/carts/${made.json().id}`)).json();
      assert.equal(read.totals.subtotal, made.json().totals.subtotal);

      const refusals = [
        { items: [{ sku: 'LAMP-2', quantity: 3 }], status: 409, code: 'out_of_stock' },
        { items: [{ sku: 'NOPE-1', quantity: 1 }], status: 404, code: 'not_found' },
        { items: [{ sku: 'MUG-1', quantity: 12 }, { sku: 'MUG-1', quantity: 9 }], status: 422, code: 'validation_failed' },
        { items: [{ sku: 'MUG-1', quantity: 0 }], status: 422, code: 'validation_failed' },
      ];
      const cartCount = await t.ctx.db.$count(carts);
      for (const r of refusals) {
        const res = await create(r.items);
        assert.equal(res.statusCode, r.status, JSON.stringify(r.items));
        assert.equal(res.json().error.code, r.code);
      }
      assert.equal(await t.ctx.db.$count(carts), cartCount, 'a refused cart is not created at all');
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/carts' })).statusCode, 201, 'no body still makes an empty cart');
    });

    it('places an order: snapshot, tax per line, stock and ledger, captured payment, closed cart, event and email', async () => {
      const before = { lamp: await stockOf(t, 'LAMP-1'), mug: await stockOf(t, 'MUG-1') };
      const id = await createTestCart(t, [
        { sku: 'LAMP-1', quantity: 1 },
        { sku: 'MUG-1', quantity: 2 },
      ]);
      const res = await checkout(t, id, { email: '  Jane.Doe@EXAMPLE.com ', phone: '304.555.0142' });
      assert.equal(res.statusCode, 201, res.body);
      const { order } = res.json();
      assert.match(order.number, /^CS-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      assert.equal(order.status, 'paid');
      assert.equal(order.email, 'Jane.Doe@example.com', 'domain lower-cased, spaces trimmed');
      assert.equal(order.phone, '+13045550142', 'E.164');
      assert.deepEqual(order.totals, { subtotal: 8000, discount: 0, shipping: 0, tax: 480, total: 8480 });
      assert.deepEqual(order.total, { amount: 8480, currency: 'USD' });
      assert.deepEqual(
        order.items.map((i: { sku: string; quantity: number; unitPrice: number; lineTotal: number; tax: number }) => [i.sku, i.quantity, i.unitPrice, i.lineTotal, i.tax]),
        [
          ['LAMP-1', 1, 5000, 5000, 300],
          ['MUG-1', 2, 1500, 3000, 180],
        ],
      );
      assert.equal(order.payment.brand, 'visa');
      assert.equal(order.payment.last4, '4242');
      assert.equal(order.payment.amount, 8480);
      assert.match(order.payment.transactionId, /^sbx_pay_/);
      const token = new URL(order.trackingUrl).searchParams.get('t')!;
      assert.equal(verifyTrackingToken(t.ctx.secret, token, new Date()), order.number);

      const db = t.ctx.db;
      const [row] = await db.select().from(orders).where(eq(orders.number, order.number));
      assert.equal(row!.taxRateBp, 600);
      assert.equal(row!.shippingAddress.state, 'WV');
      const items = await db.select().from(orderItems).where(eq(orderItems.orderId, row!.id));
      assert.deepEqual(items.map((i) => [i.productName, i.options]).sort(), [
        ['Test Lamp', { colour: 'Oat' }],
        ['Test Mug', {}],
      ]);
      assert.equal(items.reduce((n, i) => n + i.tax, 0), row!.tax, 'line tax shares add up to the order tax');
      assert.equal(await stockOf(t, 'LAMP-1'), before.lamp - 1);
      assert.equal(await stockOf(t, 'MUG-1'), before.mug - 2);
      const ledger = await db.select().from(stockLedger).where(eq(stockLedger.orderId, row!.id));
      assert.deepEqual(ledger.map((l) => [l.delta, l.reason]).sort((a, b) => Number(b[0]) - Number(a[0])), [
        [-1, 'sale'],
        [-2, 'sale'],
      ]);
      const pays = await db.select().from(payments).where(eq(payments.cartId, id));
      assert.equal(pays.length, 1);
      assert.deepEqual([pays[0]!.status, pays[0]!.orderId, pays[0]!.amount, pays[0]!.cardLast4], ['captured', row!.id, 8480, '4242']);
      const [cart] = await db.select().from(carts).where(eq(carts.id, id));
      assert.equal(cart!.orderId, row!.id);
      const events = await db.select().from(orderEvents).where(eq(orderEvents.orderId, row!.id));
      assert.deepEqual(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actor]), [['placed', null, 'paid', 'customer']]);
      const mail = await db.select().from(outbox).where(eq(outbox.orderId, row!.id));
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.template, 'order_confirmation');
      assert.equal(mail[0]!.recipient, 'Jane.Doe@example.com');
      const payload = mail[0]!.payload as { order: { number: string; total: number }; payment: { transactionId: string }; trackingUrl: string };
      assert.equal(payload.order.number, order.number);
      assert.equal(payload.payment.transactionId, order.payment.transactionId);
      assert.match(payload.trackingUrl, /^http:\/\/127\.0\.0\.1:3000\/track\?t=/);

      const locked = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/items`, payload: { sku: 'MUG-1', quantity: 1 } });
      assert.equal(locked.statusCode, 409, 'a cart that became an order is read-only');
      assert.equal((await t.app.inject(`/api/v1/carts/${id}`)).json().checkedOut, true);
      const again = await checkout(t, id);
      assert.equal(again.statusCode, 409, 'a new key cannot order the same cart twice');
    });

    it('ignores prices and totals sent by the client', async () => {
      const id = await createTestCart(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      const add = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/items`, payload: { sku: 'MUG-1', quantity: 1, price: 1, unitPrice: 1 } });
      assert.equal(add.json().items[1].unitPrice, 1500);
      const res = await checkout(t, id, { shippingAddress: { state: 'OH' } }, randomUUID(), {
        total: 1,
        totals: { subtotal: 1, shipping: 0, tax: 0, total: 1 },
        amount: 1,
        items: [{ sku: 'LAMP-1', unitPrice: 1 }],
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().order.totals, { subtotal: 6500, discount: 0, shipping: 695, tax: 0, total: 7195 });
      const [p] = await t.ctx.db.select().from(payments).where(eq(payments.cartId, id));
      assert.equal(p!.amount, 7195);
    });

    it('names every invalid field, and the missing Idempotency-Key header', async () => {
      const id = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
      const res = await checkout(t, id, {
        email: 'not-an-email',
        phone: '12',
        shippingMethod: 'overnight' as 'express',
        shippingAddress: { name: '', line1: ' ', city: '', state: 'XX', postalCode: '2610', country: 'CA' as 'US' },
        payment: { cardNumber: '4242 4242 4242 4241', expMonth: 13, expYear: 2030, cvc: '12' } as never,
      });
      assert.equal(res.statusCode, 422);
      const { code, details } = res.json().error;
      assert.equal(code, 'validation_failed');
      assert.deepEqual(Object.keys(details.fields).sort(), [
        'email',
        'payment.cardNumber',
        'payment.cvc',
        'payment.expMonth',
        'payment.expYear',
        'phone',
        'shippingAddress.city',
        'shippingAddress.country',
        'shippingAddress.line1',
        'shippingAddress.name',
        'shippingAddress.postalCode',
        'shippingAddress.state',
        'shippingMethod',
      ]);
      assert.match(res.json().error.details.fields['payment.cardNumber'], /Card details are not accepted/, 'a card number is refused by name, never processed');
      const noToken = await checkout(t, id, { payment: { paymentMethod: '' } });
      assert.equal(noToken.statusCode, 422);
      assert.ok(noToken.json().error.details.fields['payment.paymentMethod']);
      const omitted = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: { ...checkoutBody(), payment: { provider: 'sandbox' } } });
      assert.equal(omitted.statusCode, 422, 'one-call checkout needs a token');
      assert.ok(omitted.json().error.details.fields['payment.paymentMethod']);
      const unknown = await checkout(t, id, { payment: { provider: 'paypal' } });
      assert.equal(unknown.statusCode, 422);
      assert.ok(unknown.json().error.details.fields['payment.provider']);
      const empty = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/checkout`, headers: { 'idempotency-key': 'k' }, payload: {} });
      assert.equal(empty.statusCode, 422);
      assert.ok(empty.json().error.details.fields['shippingAddress.postalCode'], 'a missing address names its fields');

      const noKey = await checkout(t, id, {}, null);
      assert.equal(noKey.statusCode, 400);
      assert.match(noKey.json().error.message, /Idempotency-Key/);
      const badJson = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/checkout`, headers: { 'idempotency-key': 'k', 'content-type': 'application/json' }, payload: '{"email":' });
      assert.equal(badJson.statusCode, 400);
      assert.equal((await checkout(t, 'no-such-cart')).statusCode, 404);
      const zip4 = await checkout(t, id, { shippingAddress: { postalCode: '26104 1234', state: 'pr' }, phone: '+44 20 7946 0958' });
      assert.equal(zip4.statusCode, 201, zip4.body);
      assert.equal(zip4.json().order.shippingAddress.postalCode, '26104-1234');
      assert.equal(zip4.json().order.shippingAddress.state, 'PR');
      assert.equal(zip4.json().order.phone, '+442079460958');
    });

    for (const [token, declineCode] of [
      [TOKENS.declined, 'card_declined'],
      [TOKENS.insufficientFunds, 'insufficient_funds'],
      [TOKENS.processingError, 'processing_error'],
      [TOKENS.threeDSecure, 'authentication_required'],
    ] as const) {
      it(`a payment failing with ${declineCode} creates no order, holds no stock and leaves a payment record`, async () => {
        const stock = await stockOf(t, 'MUG-1');
        const id = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
        const key = randomUUID();
        const res = await checkout(t, id, { payment: { paymentMethod: token } }, key);
        assert.equal(res.statusCode, 402);
        const { error } = res.json();
        assert.equal(error.code, 'payment_declined');
        assert.equal(error.details.declineCode, declineCode);
        assert.ok(error.message.length > 10, 'the reason is given');
        assert.equal(await stockOf(t, 'MUG-1'), stock);
        const [cart] = await t.ctx.db.select().from(carts).where(eq(carts.id, id));
        assert.equal(cart!.orderId, null);
        const pays = await t.ctx.db.select().from(payments).where(eq(payments.cartId, id));
        assert.equal(pays.length, 1);
        assert.deepEqual([pays[0]!.status, pays[0]!.declineCode, pays[0]!.orderId], ['declined', declineCode, null]);
        const [atProvider] = await t.ctx.db.select().from(sandboxPayments).where(eq(sandboxPayments.reference, pays[0]!.id));
        assert.equal(atProvider!.status, 'canceled', 'nothing is left reserved at the provider');

        const repeat = await checkout(t, id, { payment: { paymentMethod: token } }, key);
        assert.equal(repeat.statusCode, 402);
        assert.deepEqual(repeat.json(), res.json(), 'a repeat gets the same answer');
        assert.equal((await t.ctx.db.select().from(payments).where(eq(payments.cartId, id))).length, 1, 'and no new charge attempt');

        const retry = await checkout(t, id);
        assert.equal(retry.statusCode, 201, 'another card with a new key goes through');
        await sandboxOf(t).drain();
      });
    }

    it('same key with a different body is refused', async () => {
      const id = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
      const key = randomUUID();
      assert.equal((await checkout(t, id, { payment: { paymentMethod: TOKENS.declined } }, key)).statusCode, 402);
      const other = await checkout(t, id, {}, key);
      assert.equal(other.statusCode, 409);
      assert.equal(other.json().error.code, 'idempotency_conflict');
    });

    it('publishes the cart and checkout routes in the OpenAPI document', async () => {
      const doc = (await t.app.inject('/api/openapi.json')).json();
      for (const path of ['/api/v1/carts', '/api/v1/carts/{id}', '/api/v1/carts/{id}/items', '/api/v1/carts/{id}/items/{sku}', '/api/v1/carts/{id}/checkout']) {
        assert.ok(doc.paths[path], path);
      }
      const op = doc.paths['/api/v1/carts/{id}/checkout'].post;
      assert.ok(op.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key'));
      assert.ok(op.responses['402'] && op.responses['409'] && op.responses['422']);
    });
  });

  describe(`checkout races on ${kind}`, { skip }, () => {
    it('many concurrent checkouts for the last units sell exactly the stock, and every other payment goes back', async () => {
      const t = await testApp(kind);
      try {
        // The processor opens nobody's payment until all twelve are waiting: every checkout has
        // passed the stock check and is paid (with its webhook racing it) when the orders are made.
        gateSessions(t, 12);
        await addProducts(t.ctx, raceCatalog);
        const cartIds = await Promise.all(Array.from({ length: 12 }, () => createTestCart(t, [{ sku: 'CHAIR-1', quantity: 1 }])));
        const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
        const answers = await Promise.all(
          cartIds.map((id) => postJson(base, `/api/v1/carts/${id}/checkout`, checkoutBody(), { 'idempotency-key': randomUUID() })),
        );
        await sandboxOf(t).drain();
        const won = answers.filter((a) => a.status === 201);
        const lost = answers.filter((a) => a.status !== 201);
        assert.equal(won.length, 5, 'exactly the stock is sold');
        for (const a of lost) {
          assert.equal(a.status, 409, a.text);
          const error = JSON.parse(a.text).error;
          assert.equal(error.code, 'out_of_stock');
          assert.deepEqual(error.details.skus, ['CHAIR-1']);
          assert.match(error.message, /Last Chair/);
          assert.match(error.message, /returned in full/);
        }
        assert.equal(await stockOf(t, 'CHAIR-1'), 0);
        const [{ sold }] = await t.ctx.db
          .select({ sold: sql<number>`coalesce(-sum(${stockLedger.delta}), 0)::int` })
          .from(stockLedger)
          .innerJoin(variants, eq(variants.id, stockLedger.variantId))
          .where(eq(variants.sku, 'CHAIR-1'));
        assert.equal(sold, 5);
        assert.equal((await t.ctx.db.select().from(orders)).length, 5);
        const pays = await t.ctx.db.select().from(payments);
        const by = (s: string) => pays.filter((p) => p.status === s).length;
        assert.equal(by('captured'), 5);
        assert.equal(by('refunded'), 7, "every loser's payment was refunded in full");
        assert.equal(pays.length, 12, 'no payment is left hanging');
        assert.ok(pays.filter((p) => p.status === 'refunded').every((p) => p.orderId === null));
        const refunds = await t.ctx.db.select().from(sandboxRefunds);
        assert.equal(refunds.length, 7, 'one refund per loser at the provider, never two');
        const told = await t.ctx.db.select().from(outbox).where(eq(outbox.template, 'payment_released'));
        assert.equal(told.length, 7, 'each loser is emailed');
      } finally {
        await t.close();
      }
    });

    it('concurrent identical requests with one key give one order, one charge and the same answer', async () => {
      const t = await testApp(kind);
      try {
        const sandbox = sandboxOf(t);
        const open = sandbox.createSession.bind(sandbox);
        sandbox.createSession = async (input) => new Promise((resolve) => setTimeout(resolve, 25)).then(() => open(input));
        await addProducts(t.ctx, basicCatalog);
        const id = await createTestCart(t, [{ sku: 'LAMP-1', quantity: 2 }]);
        const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
        const key = randomUUID();
        const answers = await Promise.all(Array.from({ length: 8 }, () => postJson(base, `/api/v1/carts/${id}/checkout`, checkoutBody(), { 'idempotency-key': key })));
        await sandbox.drain();
        assert.deepEqual(
          answers.map((a) => a.status),
          Array(8).fill(201),
          answers.map((a) => a.text).join('\n'),
        );
        assert.equal(new Set(answers.map((a) => a.text)).size, 1, 'identical answers');
        assert.equal((await t.ctx.db.select().from(orders)).length, 1);
        const pays = await t.ctx.db.select().from(payments);
        assert.deepEqual(
          pays.map((p) => p.status),
          ['captured'],
        );
        assert.equal((await t.ctx.db.select().from(sandboxPayments)).length, 1, 'one payment at the provider');
        assert.equal(await stockOf(t, 'LAMP-1'), 8);
        const [k] = await t.ctx.db.select().from(idempotencyKeys);
        assert.deepEqual([k!.state, k!.responseStatus], ['done', 201]);
      } finally {
        await t.close();
      }
    });
  });

  describe(`payment reconciliation on ${kind}`, { skip }, () => {
    /** A hosted-page session for a new cart, as the storefront form opens it. */
    async function openSession(t: TestApp, sku = 'MUG-1') {
      const cartId = await createTestCart(t, [{ sku, quantity: 1 }]);
      const { payment: _token, ...rest } = checkoutBody();
      const started = await startCheckout(t.ctx, { cartId, input: parseCheckoutInput({ ...rest, payment: {} }), idempotencyKey: randomUUID() });
      assert.ok('session' in started);
      return { cartId, session: started.session, sandboxId: started.session.redirectUrl!.split('/').pop()! };
    }

    it('places the order of a session paid whose webhook and return never came, once', async () => {
      const t = await testApp(kind);
      try {
        await addProducts(t.ctx, basicCatalog);
        const sandbox = sandboxOf(t);
        sandbox.webhookMode = 'hold';
        const { session, sandboxId } = await openSession(t);
        assert.equal((await sandbox.pay(sandboxId, { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2034, cvc: '123' })).kind, 'paid');
        await sandbox.deliverHeld({ drop: true }); // the webhook is lost, and the shopper closed the tab
        assert.deepEqual(await reconcilePayments(t.ctx, 60_000), { placed: 0, released: 0, expired: 0, failed: 0, captured: 0 }, 'young payments are left alone');
        assert.equal((await reconcilePayments(t.ctx, 0)).placed, 1);
        assert.equal((await reconcilePayments(t.ctx, 0)).placed, 0, 'and only once');
        const [p] = await t.ctx.db.select().from(payments).where(eq(payments.id, session.paymentId));
        assert.equal(p!.status, 'captured');
        assert.ok(p!.orderId);
        assert.equal((await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, p!.orderId!), eq(outbox.template, 'order_confirmation')))).length, 1);
      } finally {
        await t.close();
      }
    });

    it('closes sessions nobody paid, fails attempts the provider never answered, and frees keys of requests that died', async () => {
      const t = await testApp(kind);
      try {
        await addProducts(t.ctx, basicCatalog);
        const { cartId, session, sandboxId } = await openSession(t);
        await t.ctx.db.insert(payments).values({ provider: 'sandbox', amount: 2290, status: 'pending', cartId, idempotencyKey: `checkout:${cartId}:never-answered` });
        await t.ctx.db.insert(idempotencyKeys).values({ key: `checkout:${cartId}:died-early`, requestHash: 'y', state: 'in_progress' });

        const first = await reconcilePayments(t.ctx, 0, 60_000);
        assert.deepEqual([first.expired, first.failed], [0, 1], 'an open session keeps its lifetime');
        assert.equal((await reconcilePayments(t.ctx, 0, 0)).expired, 1);
        const [p] = await t.ctx.db.select().from(payments).where(eq(payments.id, session.paymentId));
        assert.equal(p!.status, 'expired');
        const [atProvider] = await t.ctx.db.select().from(sandboxPayments).where(eq(sandboxPayments.id, sandboxId));
        assert.equal(atProvider!.status, 'canceled', 'closed at the provider: nobody can pay it any more');
        assert.equal((await sandboxOf(t).pay(sandboxId, { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123' })).kind, 'closed');
        const [k] = await t.ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, p!.idempotencyKey!));
        assert.equal((k!.responseBody as { error: { code: string } }).error.code, 'payment_failed');
        const early = await t.ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, `checkout:${cartId}:died-early`));
        assert.equal(early.length, 0, 'a request that died before any payment frees its key');
        assert.equal((await checkout(t, cartId)).statusCode, 201, 'the shopper can check out again');
        await sandboxOf(t).drain();
      } finally {
        await t.close();
      }
    });

    it('captures at the handover when the store captures late, and the reconciler finishes a capture that failed', async () => {
      const t = await testApp(kind);
      try {
        await addProducts(t.ctx, basicCatalog);
        await changeSettings(t, (s) => ({ ...s, payments: { capture: 'handover' } }));
        const order = await placeTestOrder(t);
        await sandboxOf(t).drain();
        const [p] = await t.ctx.db.select().from(payments).where(inArray(payments.status, ['authorized', 'captured']));
        assert.equal(p!.status, 'authorized', 'only reserved at checkout');
        assert.equal(p!.captureMethod, 'manual');
        const staff = { kind: 'system', name: 'test' } as const;
        await verify(t.ctx, order.number, staff);
        await startPreparing(t.ctx, order.number, staff);
        await markPacked(t.ctx, order.number, staff);
        const sandbox = sandboxOf(t);
        const capture = sandbox.capture.bind(sandbox);
        sandbox.capture = () => Promise.reject(new Error('connection reset'));
        await ship(t.ctx, order.number, staff, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
        const [still] = await t.ctx.db.select().from(payments).where(eq(payments.id, p!.id));
        assert.equal(still!.status, 'authorized', 'a failed capture leaves the authorization');
        sandbox.capture = capture;
        assert.equal((await reconcilePayments(t.ctx, 0)).captured, 1);
        const [after] = await t.ctx.db.select().from(payments).where(eq(payments.id, p!.id));
        assert.deepEqual([after!.status, after!.amountCaptured], ['captured', p!.amount]);
        const [atProvider] = await t.ctx.db.select().from(sandboxPayments).where(eq(sandboxPayments.reference, p!.id));
        assert.deepEqual([atProvider!.status, atProvider!.amountCaptured], ['captured', p!.amount]);
      } finally {
        await t.close();
      }
    });
  });

  describe(`storefront cart and checkout pages on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
    });
    after(() => t?.close());

    it('adds from the product form, updates and removes on the cart page', async () => {
      const b = new Browser(t);
      const added = await b.go('POST', '/cart/items', { sku: 'LAMP-1', quantity: '2' });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, '/cart');
      assert.match(String(added.headers['set-cookie']), /cart=[^;]+;.*HttpOnly.*SameSite=Lax/i);
      assert.equal(b.cookies.get('cart_n'), '2');
      let page = await b.go('GET', '/cart');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Added 2 × Test Lamp \(Colour: Oat\) to your cart/);
      assert.match(page.body, /Quantity<span class="visually-hidden"> of Test Lamp \(Colour: Oat\)<\/span>/);
      assert.match(page.body, />Update</);
      assert.match(page.body, />Remove</);
      assert.match(page.body, /href="\/checkout"[^>]*>Checkout</);
      assert.match(page.body, /\$100\.00/);
      assert.match(page.body, /class="cart-count" data-cart-count="true">2</);

      await b.go('POST', '/cart/items', { sku: 'LAMP-2', quantity: '5' });
      page = await b.go('GET', '/cart');
      assert.match(page.body, /role="alert">Only 2 of Test Lamp left in stock/);

      await b.go('POST', '/cart/update', { sku: 'LAMP-1', quantity: '1' });
      page = await b.go('GET', '/cart');
      assert.match(page.body, /Updated Test Lamp \(Colour: Oat\) to 1/);
      assert.equal(b.cookies.get('cart_n'), '1');
      await b.go('POST', '/cart/remove', { sku: 'LAMP-1' });
      page = await b.go('GET', '/cart');
      assert.match(page.body, /Your cart is empty/);
      assert.equal((await b.go('GET', '/checkout')).headers.location, '/cart', 'no checkout with an empty cart');
    });

    it('refuses cart forms posted from another site', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/cart/items', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'sku=MUG-1&quantity=1' });
      assert.equal(res.statusCode, 403);
    });

    /** Pays on the sandbox's page (the provider's stand-in) and follows its redirect back to the store. */
    async function payOnSandboxPage(b: Browser, payUrl: string, card: string) {
      const path = new URL(payUrl).pathname;
      const pay = await b.go('GET', path);
      assert.equal(pay.statusCode, 200);
      assert.match(pay.body, /<label for="cardNumber">Card number</);
      return b.go('POST', path, { cardNumber: card, expiry: '12/34', cvc: '123' });
    }

    it('checks out through the form: errors next to fields, the payment page, a declined card, then the confirmation page', async () => {
      const b = new Browser(t);
      await b.go('POST', '/cart/items', { sku: 'MUG-1', quantity: '2' });
      let page = await b.go('GET', '/checkout');
      assert.equal(page.statusCode, 200);
      for (const label of ['Email', 'Phone', 'Full name', 'Address line 1', 'Address line 2', 'City', 'State', 'ZIP code']) {
        assert.match(page.body, new RegExp(`<label for="[a-zA-Z0-9]+">${label}(<|$)`), label);
      }
      assert.doesNotMatch(page.body, /name="(cardNumber|cvc|expiry)"/, 'no card field on the store\'s page');
      assert.match(page.body, /<option value="WV">West Virginia<\/option>/);
      assert.match(page.body, /<option value="PR">Puerto Rico<\/option>/);
      assert.match(page.body, /type="radio" name="shippingMethod" value="express"/);
      assert.match(page.body, />Place order</);

      // Invalid fields: named next to the field, typed values kept.
      page = await b.go('POST', '/checkout', checkoutForm(page.body, { email: 'sam@', postalCode: '123', state: 'WV' }));
      assert.equal(page.statusCode, 422);
      assert.match(page.body, /id="error-summary"/);
      assert.match(page.body, /<input id="email" name="email" type="email" value="sam@"[^>]*aria-invalid="true" aria-describedby="email-hint email-error"/);
      assert.match(page.body, /id="email-error">Enter a valid email address/);
      assert.match(page.body, /id="postalCode-error">Enter a 5-digit ZIP code/);
      assert.match(page.body, /value="Sam Rivera"/);
      assert.match(page.body, /<option value="WV" selected>West Virginia/);

      // A total the shopper has not seen is never asked for.
      page = await b.go('POST', '/checkout', checkoutForm(page.body, { state: 'WV', shippingMethod: 'express', shownTotal: '1' }));
      assert.equal(page.statusCode, 409);
      assert.match(page.body, /Check your updated total/);
      assert.match(page.body, /\$51\.89/, '$30 + $18.95 express + $2.94 tax (West Virginia taxes shipping)');

      // Placing the order sends the shopper to the payment page, for the server's total.
      const sent = await b.go('POST', '/checkout', checkoutForm(page.body, { state: 'WV', shippingMethod: 'express' }));
      assert.equal(sent.statusCode, 303, sent.body);
      const payUrl = String(sent.headers.location);
      assert.match(payUrl, /^http:\/\/127\.0\.0\.1:3000\/sandbox\/pay\/sbx_pay_/);
      assert.equal((await t.ctx.db.select().from(orders)).length, 0, 'no order before payment');

      // A declined card stays on the payment page; the shopper tries another.
      const declined = await payOnSandboxPage(b, payUrl, '4000 0000 0000 0002');
      assert.equal(declined.statusCode, 402);
      assert.match(declined.body, /Your card was declined\./);
      const paid = await payOnSandboxPage(b, payUrl, '4242 4242 4242 4242');
      assert.equal(paid.statusCode, 303);
      const back = String(paid.headers.location);
      assert.match(back, /^http:\/\/127\.0\.0\.1:3000\/checkout\/return\?payment=/);

      const placed = await b.go('GET', new URL(back).pathname + new URL(back).search);
      assert.equal(placed.statusCode, 303, placed.body);
      const location = String(placed.headers.location);
      const m = /^\/orders\/(CS-[A-Z0-9]{4}-[A-Z0-9]{4})\/confirmation\?t=(.+)$/.exec(location);
      assert.ok(m, location);
      assert.equal(b.cookies.has('cart'), false, 'the cart is forgotten');
      await sandboxOf(t).drain();

      const confirmation = await b.go('GET', location);
      assert.equal(confirmation.statusCode, 200);
      const body = confirmation.body;
      assert.match(body, new RegExp(`Order number <strong>${m[1]}</strong>`));
      assert.match(body, /Test Mug/);
      assert.match(body, /\$51\.89/);
      assert.match(body, /Visa ending in 4242/);
      assert.match(body, /sbx_pay_/);
      assert.match(body, /3850 Central Ave/);
      for (const step of ['Verification', 'Preparation', 'Packing', 'Handover to the carrier']) assert.match(body, new RegExp(step));
      assert.match(body, /href="\/track\?t=/);
      assert.equal((await t.ctx.db.select().from(orders).where(eq(orders.number, m[1]!))).length, 1);
      assert.equal((await t.ctx.db.select().from(outbox).where(eq(outbox.template, 'order_confirmation'))).length, 1, 'one confirmation, though the webhook came too');

      assert.equal((await b.go('GET', `/orders/${m[1]}/confirmation`)).statusCode, 404, 'no token, no order page');
      assert.equal((await b.go('GET', `/orders/${m[1]}/confirmation?t=${m[2]!.slice(0, -2)}xx`)).statusCode, 404);
      const other = signTrackingToken(t.ctx.secret, 'CS-AAAA-BBBB');
      assert.equal((await b.go('GET', `/orders/${m[1]}/confirmation?t=${encodeURIComponent(other)}`)).statusCode, 404, 'a token for another order');
      const expired = signTrackingToken(t.ctx.secret, m[1]!, new Date(Date.now() - 1000));
      assert.equal((await b.go('GET', `/orders/${m[1]}/confirmation?t=${encodeURIComponent(expired)}`)).statusCode, 404);
      assert.equal((await new Browser(t).go('GET', new URL(back).pathname + new URL(back).search)).statusCode, 404, 'the return link is nothing without the shopper\'s cart');
    });

    it('a cancelled payment page brings the shopper back to a filled form; a 3-D Secure card asks for confirmation first', async () => {
      const b = new Browser(t);
      await b.go('POST', '/cart/items', { sku: 'MUG-1', quantity: '1' });
      const page = await b.go('GET', '/checkout');
      const sent = await b.go('POST', '/checkout', checkoutForm(page.body, { state: 'OH' }));
      const pay = await b.go('GET', new URL(String(sent.headers.location)).pathname);
      const cancel = /<a href="([^"]+)">Cancel and return to the store</.exec(pay.body)![1]!.replace(/&amp;/g, '&');
      const again = await b.go('GET', new URL(cancel).pathname + new URL(cancel).search);
      assert.equal(again.statusCode, 200);
      assert.match(again.body, /Your payment was not completed/);
      assert.match(again.body, /value="sam@example.com"/, 'nothing typed is lost');
      assert.match(again.body, /<option value="OH" selected>/);

      const second = await b.go('POST', '/checkout', checkoutForm(again.body, { state: 'OH' }));
      const payPath = new URL(String(second.headers.location)).pathname;
      const challenged = await b.go('POST', payPath, { cardNumber: '4000 0027 6000 3184', expiry: '12/34', cvc: '123' });
      assert.equal(challenged.statusCode, 303);
      const step = await b.go('GET', payPath);
      assert.match(step.body, /Confirm your payment/);
      const confirmed = await b.go('POST', `${payPath}/authenticate`, { decision: 'approve' });
      const back = new URL(String(confirmed.headers.location));
      const placed = await b.go('GET', back.pathname + back.search);
      assert.match(String(placed.headers.location), /^\/orders\/CS-/);
      await sandboxOf(t).drain();
    });

    it('a double submit of the same form opens one payment session and both go to the same payment page', async () => {
      const b = new Browser(t);
      await b.go('POST', '/cart/items', { sku: 'MUG-1', quantity: '1' });
      const page = await b.go('GET', '/checkout');
      const form = checkoutForm(page.body, { state: 'OH' });
      const cookies = new Map(b.cookies);
      const first = await b.go('POST', '/checkout', form);
      b.cookies = cookies; // the second click left before the first answer arrived
      const second = await b.go('POST', '/checkout', form);
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      assert.equal(first.headers.location, second.headers.location);
    });
  });
}

describe('tracking tokens', () => {
  const secret = 'x'.repeat(32);
  it('verify only unexpired, untampered tokens for the order they were made for', () => {
    const now = new Date('2026-05-01T12:00:00Z');
    const token = signTrackingToken(secret, 'CS-7K3M-9QX2', new Date('2026-06-30T00:00:00Z'));
    assert.equal(verifyTrackingToken(secret, token, now), 'CS-7K3M-9QX2');
    assert.equal(verifyTrackingToken(secret, token, new Date('2026-07-01T00:00:00Z')), undefined, 'expired');
    assert.equal(verifyTrackingToken('y'.repeat(32), token, now), undefined, 'another secret');
    assert.equal(verifyTrackingToken(secret, token.replace('CS-7K3M', 'CS-7K3N'), now), undefined, 'another order');
    const [n, , sig] = token.split('.');
    assert.equal(verifyTrackingToken(secret, `${n}.zzzzzz.${sig}`, now), undefined, 'a later expiry');
    assert.equal(verifyTrackingToken(secret, 'garbage', now), undefined);
    assert.equal(verifyTrackingToken(secret, '', now), undefined);
  });
});

