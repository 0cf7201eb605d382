// Staff order edits: preview changes nothing; confirming changes the lines, stock (with
// ledger rows), totals and tax, appends one event with the before and after, emails the
// customer and refunds the difference once, however often it is sent; bad input is refused
// by field with nothing changed; an edit and a handover racing never both happen; and an
// edit's refund plus a later cancellation never give back more than was paid.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Response as InjectResponse } from 'light-my-request';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { staffSession, staffToken } from './helpers/staff.ts';
import { orderEvents, orderItems, orders, outbox, payments, refunds, stockLedger, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';

const warehouse: Actor = { kind: 'staff', staffId: randomUUID(), email: 'wes@casanova.test' };

for (const { kind, skip } of DB_KINDS) {
  describe(`staff order edits on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    const stockOf = async (sku: string) => (await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku)))[0]!.stock;
    const orderRow = async (number: string) => (await t.ctx.db.select().from(orders).where(eq(orders.number, number)))[0]!;
    const linesOf = async (number: string) =>
      t.ctx.db
        .select({ sku: orderItems.sku, quantity: orderItems.quantity, unitPrice: orderItems.unitPrice, tax: orderItems.tax })
        .from(orderItems)
        .innerJoin(orders, eq(orders.id, orderItems.orderId))
        .where(eq(orders.number, number))
        .orderBy(orderItems.position);
    const refundsOf = async (number: string) => t.ctx.db.select({ amount: refunds.amount, source: refunds.source }).from(refunds).innerJoin(orders, eq(orders.id, refunds.orderId)).where(eq(orders.number, number));
    const edit = (number: string, body: Record<string, unknown>, key: string | null = randomUUID()): Promise<InjectResponse> =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/orders/${number}/edits`,
        headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
        payload: body,
      });

    before(async () => {
      t = await testApp(kind, { poolSize: 12 });
      await addProducts(t.ctx, basicCatalog);
      await t.ctx.db.update(variants).set({ stock: 500 }).where(eq(variants.sku, 'LAMP-1'));
      token = await staffToken(t, 'support');
    });
    after(() => t?.close());

    it('previews without changing anything, then applies once: lines, stock, tax, event, email and the refund', async () => {
      // 2 lamps ($100) + 1 mug ($15), free shipping, WV tax 6% = $6.90: $121.90.
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }]);
      const [lamps, mugs, lamp2] = [await stockOf('LAMP-1'), await stockOf('MUG-1'), await stockOf('LAMP-2')];
      const change = {
        items: [
          { sku: 'LAMP-1', quantity: 1 },
          { sku: 'MUG-1', quantity: 0 },
          { sku: 'LAMP-2', quantity: 1, unitPrice: 4500, priceReason: 'Price match with the store in town' },
        ],
        shippingAddress: { name: 'Jane Doe', line1: '40 Ann St', city: 'Parkersburg', state: 'WV', postalCode: '26101' },
      };
      const preview = await edit(o.number, { ...change, preview: true }, null);
      assert.equal(preview.statusCode, 200, preview.body);
      const p = preview.json();
      // $50 + $45 = $95 (still free shipping) + 6% = $5.70: $100.70, $21.20 back.
      assert.deepEqual([p.before.total.amount, p.after.total.amount, p.difference.amount], [12190, 10070, -2120]);
      assert.deepEqual(p.changes, [
        'Ship to Jane Doe, 40 Ann St, Parkersburg, WV 26101',
        'Test Lamp (Oat): 2 → 1',
        'Remove Test Mug (1)',
        'Add 1 × Test Lamp (Rust)',
        'Price of LAMP-2: $55.00 → $45.00 (Price match with the store in town)',
      ]);
      assert.equal((await orderRow(o.number)).total, 12190, 'a preview changes nothing');
      assert.equal(await stockOf('LAMP-1'), lamps);

      const key = randomUUID();
      const applied = await edit(o.number, change, key);
      assert.equal(applied.statusCode, 201, applied.body);
      assert.deepEqual([applied.json().refund.amount.amount, applied.json().refund.status], [2120, 'succeeded']);
      const again = await edit(o.number, change, key);
      assert.equal(again.statusCode, 200, 'a retry answers with the edit already made');
      assert.deepEqual(await refundsOf(o.number), [{ amount: 2120, source: 'modification' }]);

      assert.deepEqual(await linesOf(o.number), [
        { sku: 'LAMP-1', quantity: 1, unitPrice: 5000, tax: 300 },
        { sku: 'LAMP-2', quantity: 1, unitPrice: 4500, tax: 270 },
      ]);
      assert.deepEqual([await stockOf('LAMP-1'), await stockOf('MUG-1'), await stockOf('LAMP-2')], [lamps + 1, mugs + 1, lamp2 - 1]);
      const row = await orderRow(o.number);
      assert.deepEqual([row.subtotal, row.tax, row.total, row.shippingAddress.line1], [9500, 570, 10070, '40 Ann St']);
      const ledger = await t.ctx.db.select({ delta: stockLedger.delta }).from(stockLedger).where(and(eq(stockLedger.orderId, row.id), eq(stockLedger.reason, 'modify')));
      assert.deepEqual(ledger.map((l) => l.delta).sort(), [-1, 1, 1]);
      const events = await t.ctx.db.select({ details: orderEvents.details }).from(orderEvents).where(and(eq(orderEvents.orderId, row.id), eq(orderEvents.type, 'edit')));
      assert.equal(events.length, 1, 'one event for the edit');
      assert.deepEqual([(events[0]!.details.before as { total: number }).total, (events[0]!.details.after as { total: number }).total], [12190, 10070]);
      const mail = await t.ctx.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.orderId, row.id), eq(outbox.template, 'order_request_approved')));
      assert.equal(mail.length, 1);
      assert.match(String((mail[0]!.payload as { reason: string }).reason), /New order total: \$100\.70/);
    });

    it('refuses by field, changing nothing: a price without a reason, more than the shelf holds, unknown SKU, a higher total, nothing, no key', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      const fieldsOf = async (body: Record<string, unknown>) => {
        const res = await edit(o.number, body);
        assert.equal(res.statusCode, 422, res.body);
        return res.json().error.details.fields as Record<string, string>;
      };
      assert.match((await fieldsOf({ items: [{ sku: 'LAMP-1', quantity: 1, unitPrice: 100 }] }))['items.0.priceReason']!, /Say why the price changes/);
      await t.ctx.db.update(variants).set({ stock: 2 }).where(eq(variants.sku, 'LAMP-2'));
      assert.match((await fieldsOf({ items: [{ sku: 'LAMP-2', quantity: 3, unitPrice: 100, priceReason: 'Sample' }] }))['items.0.quantity']!, /Only 2 more of LAMP-2 in stock/);
      assert.match((await fieldsOf({ items: [{ sku: 'NOPE-1', quantity: 1 }] }))['items.0.sku']!, /no product with SKU NOPE-1/);
      assert.match((await fieldsOf({ items: [{ sku: 'LAMP-1', quantity: 1 }] })).items!, /Nothing to change/);
      assert.match((await fieldsOf({ items: [{ sku: 'LAMP-1', quantity: 0 }] })).items!, /cancel the order instead/);
      assert.match((await fieldsOf({ shippingAddress: { name: '', line1: 'x', city: 'y', state: 'XX', postalCode: '1' } }))['shippingAddress.state']!, /state/i);
      const noKey = await edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 0 }, { sku: 'MUG-1', quantity: 1 }] }, null);
      assert.equal(noKey.statusCode, 422);
      assert.deepEqual(await linesOf(o.number), [{ sku: 'LAMP-1', quantity: 1, unitPrice: 5000, tax: 300 }]);
      assert.equal(await stockOf('LAMP-2'), 2);
      const warehouseToken = await staffToken(t, 'warehouse');
      const forbidden = await t.app.inject({ method: 'POST', url: `/api/v1/admin/orders/${o.number}/edits`, headers: { authorization: `Bearer ${warehouseToken}` }, payload: { preview: true } });
      assert.equal(forbidden.statusCode, 403);
    });

    it('an edit that costs more: the order waits for the difference, paid once by the link; then it goes on; a cancellation refunds both payments', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      await orderService.verify(t.ctx, o.number, warehouse);
      // $50 + $6.95 shipping + 6% = $60.37 paid; one more lamp: $100, free shipping, + 6% = $106.00.
      const res = await edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 2 }], shippingAddress: { name: 'Jane Doe', line1: '9 Oak Ave', city: 'Parkersburg', state: 'WV', postalCode: '26101' } });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual([res.json().difference.amount, res.json().refund], [10600 - 6037, null]);
      const row = await orderRow(o.number);
      assert.ok(row.awaitingPaymentId, 'the order waits for the difference');
      await assert.rejects(orderService.startPreparing(t.ctx, o.number, warehouse), /awaiting the customer's payment for its changes/);

      const [mail] = await t.ctx.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.orderId, row.id), eq(outbox.template, 'order_request_approved')));
      const pay = (mail!.payload as { payment: { amount: number; url: string } }).payment;
      assert.equal(pay.amount, 4563);
      const link = new URL(pay.url);
      const page = await t.app.inject({ url: link.pathname + link.search });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Pay \$45\.63/);
      const first = await t.app.inject({ method: 'POST', url: link.pathname + link.search });
      const second = await t.app.inject({ method: 'POST', url: link.pathname + link.search });
      assert.equal(first.statusCode, 303);
      assert.equal(second.headers.location, first.headers.location, 'pressing Pay twice is one payment');
      const provider = new URL(String(first.headers.location)).pathname;
      const paid = await t.app.inject({ method: 'POST', url: provider, payload: { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' } });
      assert.equal(paid.statusCode, 303, paid.body.slice(0, 300));
      const back = new URL(String(paid.headers.location));
      const settled = await t.app.inject({ url: back.pathname + back.search });
      assert.equal(settled.statusCode, 303);
      assert.match(String(settled.headers.location), /^\/track\?t=/);
      assert.equal((await orderRow(o.number)).awaitingPaymentId, null);
      const again = await t.app.inject({ url: back.pathname + back.search });
      assert.equal(again.statusCode, 303, 'returning twice settles once');
      const charged = await t.ctx.db.select({ amount: payments.amount, status: payments.status }).from(payments).where(eq(payments.orderId, row.id)).orderBy(payments.createdAt);
      assert.deepEqual(charged, [
        { amount: 6037, status: 'captured' },
        { amount: 4563, status: 'captured' },
      ]);
      await orderService.startPreparing(t.ctx, o.number, warehouse);

      await orderService.cancel(t.ctx, o.number, warehouse, { reason: 'Customer changed their mind' });
      const back2 = await t.ctx.db.select({ amount: refunds.amount, status: refunds.status, paymentId: refunds.paymentId }).from(refunds).where(eq(refunds.orderId, row.id));
      assert.equal(back2.reduce((n, r) => n + r.amount, 0), 10600, 'everything paid comes back');
      assert.deepEqual(back2.map((r) => r.status), ['succeeded', 'succeeded']);
      assert.equal(new Set(back2.map((r) => r.paymentId)).size, 2, 'from both payments');
    });

    it('an edit undone before it is paid withdraws the difference; an order being prepared cannot cost more', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      assert.equal((await edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 2 }] })).statusCode, 201);
      const waiting = await orderRow(o.number);
      assert.ok(waiting.awaitingPaymentId);
      const undo = await edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 1 }] });
      assert.equal(undo.statusCode, 201, undo.body);
      assert.deepEqual([undo.json().difference.amount, undo.json().refund], [0, null], 'nothing was paid, nothing to refund');
      const row = await orderRow(o.number);
      assert.equal(row.awaitingPaymentId, null);
      const [withdrawn] = await t.ctx.db.select({ status: payments.status }).from(payments).where(eq(payments.id, waiting.awaitingPaymentId!));
      assert.equal(withdrawn!.status, 'expired');
      await orderService.verify(t.ctx, o.number, warehouse);
      await orderService.startPreparing(t.ctx, o.number, warehouse);
      const refused = await edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 2 }] });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.json().error.details.fields.items, /already being prepared/);
    });

    it('a discounted order keeps its discount through an edit: an address change costs nothing, fewer units keep their share', async () => {
      const made = await t.app.inject({ method: 'POST', url: '/api/v1/admin/discounts', headers: { authorization: `Bearer ${token}` }, payload: { code: 'EDIT10', kind: 'fixed', value: 1000 } });
      assert.equal(made.statusCode, 201, made.body);
      const cart = await t.app.inject({ method: 'POST', url: '/api/v1/carts', payload: { items: [{ sku: 'LAMP-1', quantity: 2 }] } });
      const cartId = cart.json().id as string;
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/carts/${cartId}/discount`, payload: { code: 'EDIT10' } })).statusCode, 200);
      const { checkoutBody } = await import('./helpers/orders.ts');
      const placed = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${cartId}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: checkoutBody() });
      assert.equal(placed.statusCode, 201, placed.body);
      const number = placed.json().order.number as string;
      // $100 − $10 = $90, free shipping, 6% = $5.40: $95.40.
      assert.equal((await orderRow(number)).total, 9540);
      const moved = await edit(number, { shippingAddress: { name: 'Jane Doe', line1: '1 New St', city: 'Parkersburg', state: 'WV', postalCode: '26101' } });
      assert.equal(moved.statusCode, 201, moved.body);
      assert.deepEqual([moved.json().difference.amount, moved.json().refund], [0, null], 'the discount stays: nothing to pay or refund');
      const fewer = await edit(number, { items: [{ sku: 'LAMP-1', quantity: 1 }] });
      // One lamp keeps half the discount: $50 − $5 = $45 + $6.95 shipping + 6% of both ($3.12) = $55.07.
      assert.equal(fewer.json().after.total.amount, 5507);
      assert.equal(fewer.json().refund.amount.amount, 9540 - 5507);
      const row = await orderRow(number);
      assert.deepEqual([row.discount, row.total], [500, 5507]);
    });

    it('an edit racing the handover: never both (20 races)', async () => {
      for (let round = 0; round < 20; round++) {
        const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 2 }]);
        await orderService.verify(t.ctx, o.number, warehouse);
        await orderService.startPreparing(t.ctx, o.number, warehouse);
        await orderService.markPacked(t.ctx, o.number, warehouse);
        const [edited, shipped]: [PromiseSettledResult<InjectResponse>, PromiseSettledResult<unknown>] = await Promise.allSettled([
          edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 1 }] }),
          orderService.ship(t.ctx, o.number, warehouse, { carrier: 'other', trackingNumber: `RACE${randomInt(1e9)}` }),
        ]);
        assert.equal(shipped.status, 'fulfilled', 'the handover is never blocked by an edit');
        const res: InjectResponse | undefined = edited.status === 'fulfilled' ? edited.value : undefined;
        const row = await orderRow(o.number);
        const kinds = await t.ctx.db
          .select({ type: orderEvents.type, to: orderEvents.toStatus })
          .from(orderEvents)
          .where(and(eq(orderEvents.orderId, row.id), sql`${orderEvents.type} in ('edit', 'transition')`))
          .orderBy(orderEvents.id);
        const editAt = kinds.findIndex((k) => k.type === 'edit');
        const shipAt = kinds.findIndex((k) => k.to === 'shipped');
        if (res?.statusCode === 201) assert.ok(editAt >= 0 && editAt < shipAt, `round ${round}: the edit came before the handover`);
        else {
          assert.equal(res?.statusCode, 409, `round ${round}: ${res?.body}`);
          assert.match(res!.json().error.message, /handed to the carrier/);
          assert.equal(editAt, -1, `round ${round}: no edit after the handover`);
          assert.deepEqual(await linesOf(o.number), [{ sku: 'LAMP-1', quantity: 2, unitPrice: 5000, tax: 600 }]);
        }
      }
    });

    it('an edit’s refund and a later cancellation give back exactly what was paid, never more', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 3 }]);
      assert.equal((await edit(o.number, { items: [{ sku: 'LAMP-1', quantity: 1 }] })).statusCode, 201);
      await orderService.cancel(t.ctx, o.number, warehouse, { reason: 'Customer called to cancel' });
      const back = await refundsOf(o.number);
      assert.equal(back.reduce((n, r) => n + r.amount, 0), o.totals.total);
    });

    it('the edit screen works without JavaScript: preview, errors kept next to fields, confirm', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 2 }]);
      const { cookies, csrf } = await staffSession(t, 'support');
      const orderPage = await t.app.inject({ url: `/admin/orders/${o.number}`, cookies });
      assert.match(orderPage.body, new RegExp(`href="/admin/orders/${o.number}/edit">Edit order`));
      const form = await t.app.inject({ url: `/admin/orders/${o.number}/edit`, cookies });
      assert.equal(form.statusCode, 200);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1]!;
      const fields = {
        _csrf: csrf,
        idempotencyKey: key,
        'items.0.sku': 'LAMP-1',
        'items.0.unitPrice': '50.00',
        'shippingAddress.name': 'Jane Doe',
        'shippingAddress.line1': '12 Market St',
        'shippingAddress.city': 'Parkersburg',
        'shippingAddress.state': 'WV',
        'shippingAddress.postalCode': '26101',
      };
      const post = (payload: Record<string, string>) => t.app.inject({ method: 'POST', url: `/admin/orders/${o.number}/edit`, cookies, payload: { ...fields, ...payload } });
      const bad = await post({ 'items.0.quantity': 'two', intent: 'preview' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Enter a whole number of units/);
      const noReason = await post({ 'items.0.quantity': '2', 'items.0.unitPrice': '40.00', intent: 'preview' });
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.body, /Say why the price changes/);
      assert.match(noReason.body, /value="40\.00"/, 'what was typed is kept');
      const preview = await post({ 'items.0.quantity': '1', intent: 'preview' });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /will be refunded to the customer’s card/);
      assert.match(preview.body, /Confirm changes/);
      const confirmed = await post({ 'items.0.quantity': '1', intent: 'confirm' });
      assert.equal(confirmed.statusCode, 303, confirmed.body.slice(0, 400));
      assert.deepEqual((await linesOf(o.number)).map((l) => l.quantity), [1]);
      assert.equal((await post({ 'items.0.quantity': '1', intent: 'confirm' })).statusCode, 303, 'a second click changes nothing more');
      assert.equal((await refundsOf(o.number)).length, 1);
    });
  });
}
