// Scenario tests: staff move paid orders through verification, preparation, packing,
// handover and delivery; cancellations return stock and refund once; refunds survive
// provider outages; two staff acting at once never both succeed. On PGlite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { insertBareOrders, insertPaidOrder } from './helpers/order-fixture.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { staffToken } from './helpers/staff.ts';
import { orderEvents, orders, outbox, payments, refunds, shipments, stockLedger, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { getOrderDetail, listOrders, medianStageDurations } from '../src/domain/orders/order-queries.ts';
import { REFUND_MAX_ATTEMPTS, processRefund, requestRefund, retryDueRefunds, retryRefund } from '../src/domain/payments/refund-service.ts';
import { DomainError } from '../src/domain/shared/errors.ts';
import type { SandboxProvider } from '../src/domain/payments/sandbox-provider.ts';

const alex: Actor = { kind: 'staff', staffId: randomUUID(), email: 'alex@casanova.test' };
const sam: Actor = { kind: 'staff', staffId: randomUUID(), email: 'sam@casanova.test' };

const refusedWith = (code: string, pattern?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
  assert.equal(err.code, code);
  if (pattern) assert.match(err.message, pattern);
  return true;
};

for (const { kind, skip } of DB_KINDS) {
  describe(`order processing on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = fixedClock('2025-03-03T14:00:00Z');
    const stockOf = async (sku: string) => (await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku)))[0]!.stock;
    const outboxOf = async (orderId: string) => t.ctx.db.select().from(outbox).where(eq(outbox.orderId, orderId)).orderBy(outbox.id);
    const statusOf = async (orderId: string) => (await t.ctx.db.select({ s: orders.status }).from(orders).where(eq(orders.id, orderId)))[0]!.s;

    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, [
        ...basicCatalog,
        { slug: 'test-bowl', name: 'Test Bowl', category: 'kitchen', variants: [{ sku: 'BOWL-1', price: 2000, stock: 500 }] },
      ]);
      // Plenty of lamps: every test here sells some.
      await t.ctx.db.update(variants).set({ stock: 1000 }).where(eq(variants.sku, 'LAMP-1'));
    });
    after(() => t?.close());

    it('moves an order from paid to delivered, with an event per step and the customer told at handover and delivery', async () => {
      const o = await insertPaidOrder(t.ctx);
      await orderService.verify(t.ctx, o.number, alex);
      clock.advance(3600_000);
      await orderService.startPreparing(t.ctx, o.number.toLowerCase(), alex);
      clock.advance(1800_000);
      await orderService.markPacked(t.ctx, o.number.replace(/-/g, ''), sam);
      clock.advance(600_000);
      const shipped = await orderService.ship(t.ctx, o.number, sam, { carrier: 'UPS', trackingNumber: '1z999aa1 0123456784' });
      assert.equal(shipped.order.status, 'shipped');
      assert.equal(shipped.shipment?.trackingNumber, '1Z999AA10123456784');
      clock.advance(2 * 86400_000);
      const delivered = await orderService.markDelivered(t.ctx, o.number, alex);
      assert.equal(delivered.from, 'shipped');

      const detail = await getOrderDetail(t.ctx.db, o.number);
      assert.equal(detail.order.status, 'delivered');
      const transitions = detail.events.filter((e) => e.type === 'transition').map((e) => [e.fromStatus, e.toStatus, e.actor]);
      assert.deepEqual(transitions, [
        ['paid', 'verified', alex.email],
        ['verified', 'preparing', alex.email],
        ['preparing', 'packed', sam.email],
        ['packed', 'shipped', sam.email],
        ['shipped', 'delivered', alex.email],
      ]);
      assert.equal(detail.shipments.length, 1);
      assert.equal(detail.shipments[0]!.status, 'delivered');
      assert.equal(detail.shipments[0]!.carrierTrackingUrl, 'https://www.ups.com/track?tracknum=1Z999AA10123456784');

      const mail = await outboxOf(o.id);
      assert.deepEqual(mail.map((m) => m.template), ['order_shipped', 'order_delivered']);
      assert.ok(mail.every((m) => m.recipient === o.email));
      const shippedMail = mail[0]!.payload as Record<string, string>;
      assert.equal(shippedMail.carrierTrackingUrl, 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
      assert.match(shippedMail.trackingUrl!, /^http:\/\/127\.0\.0\.1:3000\/track\?t=/);
      assert.match((mail[1]!.payload as Record<string, string>).reportProblemUrl!, /\/track\?t=.+#report$/);
    });

    it('refuses an illegal jump with the reason, and changes nothing', async () => {
      const o = await insertPaidOrder(t.ctx);
      await assert.rejects(orderService.ship(t.ctx, o.number, alex, { carrier: 'DHL', trackingNumber: '1234567890' }), refusedWith('invalid_transition', /Allowed next/));
      await assert.rejects(orderService.markPacked(t.ctx, o.number, alex), refusedWith('invalid_transition'));
      assert.equal(await statusOf(o.id), 'paid');
      assert.equal((await t.ctx.db.select().from(shipments).where(eq(shipments.orderId, o.id))).length, 0);
      assert.equal((await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, o.id), eq(orderEvents.type, 'transition')))).length, 0);
    });

    it('needs a reason to hold an order, and a tracking number that fits the carrier to ship it', async () => {
      const o = await insertPaidOrder(t.ctx);
      await assert.rejects(orderService.putOnHold(t.ctx, o.number, alex, { reason: '  ' }), refusedWith('validation_failed'));
      await assert.rejects(orderService.transitionOrder(t.ctx, o.number, 'cancelled', alex, {}), refusedWith('validation_failed'));
      await assert.rejects(
        orderService.transitionOrder(t.ctx, o.number, 'shipped', alex, { carrier: 'FedEx', trackingNumber: '12345' }),
        (err: unknown) => err instanceof DomainError && err.code === 'validation_failed' && /12, 15 or 20 digits/.test(JSON.stringify(err.details)),
      );
      const held = await orderService.putOnHold(t.ctx, o.number, alex, { reason: 'Street number missing' });
      assert.equal(held.order.holdReason, 'Street number missing');
      await assert.rejects(orderService.startPreparing(t.ctx, o.number, alex), refusedWith('invalid_transition'));
      const resumed = await orderService.resumeVerification(t.ctx, o.number, sam);
      assert.equal(resumed.order.status, 'verified');
      assert.equal(resumed.order.holdReason, null);
      await assert.rejects(orderService.resumeVerification(t.ctx, o.number, sam), refusedWith('invalid_transition', /Only an order on hold/));
    });

    it('ships an order in several parcels and delivers them all at once', async () => {
      const o = await insertPaidOrder(t.ctx);
      for (const step of ['verified', 'preparing', 'packed'] as const) await orderService.transitionOrder(t.ctx, o.number, step, alex);
      await assert.rejects(orderService.addShipment(t.ctx, (await insertPaidOrder(t.ctx)).number, alex, { carrier: 'USPS', trackingNumber: 'EA123456785US' }), refusedWith('invalid_transition'));
      const first = await orderService.addShipment(t.ctx, o.number, alex, { carrier: 'USPS', trackingNumber: 'EA123456785US' });
      assert.equal(first.order.status, 'shipped');
      const second = await orderService.addShipment(t.ctx, o.number, alex, { carrier: 'other', trackingNumber: 'courier-771' });
      assert.equal(second.order.status, 'shipped');
      await assert.rejects(orderService.addShipment(t.ctx, o.number, alex, { carrier: 'other', trackingNumber: 'COURIER-771' }), refusedWith('conflict'));
      await orderService.markDelivered(t.ctx, o.number, alex);
      const rows = await t.ctx.db.select().from(shipments).where(eq(shipments.orderId, o.id));
      assert.deepEqual(rows.map((r) => r.status), ['delivered', 'delivered']);
      assert.deepEqual((await outboxOf(o.id)).map((m) => m.template), ['order_shipped', 'order_shipped', 'order_delivered']);
    });

    it('cancels before shipping: stock back with ledger rows, exactly one refund even when cancelled twice', async () => {
      const before = { lamp: await stockOf('LAMP-1'), mug: await stockOf('MUG-1') };
      const o = await insertPaidOrder(t.ctx);
      assert.equal(await stockOf('LAMP-1'), before.lamp - 2);
      await orderService.verify(t.ctx, o.number, alex);
      const cancelled = await orderService.cancel(t.ctx, o.number, sam, { reason: 'Customer asked by phone' });
      assert.equal(cancelled.order.status, 'cancelled');
      await assert.rejects(orderService.cancel(t.ctx, o.number, sam, { reason: 'Again' }), refusedWith('invalid_transition'));

      assert.deepEqual({ lamp: await stockOf('LAMP-1'), mug: await stockOf('MUG-1') }, before);
      const ledger = await t.ctx.db.select().from(stockLedger).where(and(eq(stockLedger.orderId, o.id), eq(stockLedger.reason, 'cancel')));
      assert.deepEqual(ledger.map((l) => l.delta).sort(), [1, 2]);

      const rs = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id));
      assert.equal(rs.length, 1);
      assert.equal(rs[0]!.amount, o.total);
      assert.equal(rs[0]!.status, 'succeeded');
      assert.equal(rs[0]!.source, 'cancellation');
      assert.deepEqual((await outboxOf(o.id)).map((m) => m.template), ['order_cancelled', 'refund_issued']);
      const cancelMail = (await outboxOf(o.id))[0]!.payload as { refund: { amount: number; last4: string } };
      assert.deepEqual([cancelMail.refund.amount, cancelMail.refund.last4], [o.total, '4242']);

      // Asking for the same refund again (same key) returns the first one.
      const again = await t.ctx.db.transaction((tx) =>
        requestRefund(tx, { orderId: o.id, amount: o.total, reason: 'Order cancelled', source: 'cancellation', idempotencyKey: `cancel:${o.id}` }),
      );
      assert.equal(again.refund.id, rs[0]!.id);
      assert.equal((await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id))).length, 1);
    });

    it('never refunds more than was captured', async () => {
      const o = await insertPaidOrder(t.ctx);
      const part = await t.ctx.db.transaction((tx) =>
        requestRefund(tx, { orderId: o.id, amount: 1000, reason: 'Removed a mug', source: 'modification', idempotencyKey: `test:${o.id}:1` }),
      );
      await assert.rejects(
        t.ctx.db.transaction((tx) => requestRefund(tx, { orderId: o.id, amount: o.total, reason: 'Too much', source: 'modification', idempotencyKey: `test:${o.id}:2` })),
        refusedWith('conflict', /exceed what is left/),
      );
      await processRefund(t.ctx, part.refund.id);
      const cancelled = await orderService.cancel(t.ctx, o.number, alex, { reason: 'Out of stock after all' });
      assert.equal(cancelled.refund?.refund.amount, o.total - 1000, 'the cancellation refunds what is left');
    });

    it('retries a refund the provider failed, with backoff, until it succeeds', async () => {
      const sandbox = t.ctx.payments.get('sandbox') as SandboxProvider;
      const o = await insertPaidOrder(t.ctx);
      sandbox.failRefunds(2);
      const { refund } = await orderService.cancel(t.ctx, o.number, alex, { reason: 'Duplicate order' });
      let row = (await t.ctx.db.select().from(refunds).where(eq(refunds.id, refund!.refund.id)))[0]!;
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.match(row.lastError!, /outage/);
      assert.ok(row.nextAttemptAt! > clock.now());

      assert.equal(await retryDueRefunds(t.ctx), 0, 'not due yet');
      clock.advance(31_000);
      await retryDueRefunds(t.ctx);
      row = (await t.ctx.db.select().from(refunds).where(eq(refunds.id, row.id)))[0]!;
      assert.deepEqual([row.status, row.attempts], ['pending', 2]);
      clock.advance(121_000);
      await retryDueRefunds(t.ctx);
      row = (await t.ctx.db.select().from(refunds).where(eq(refunds.id, row.id)))[0]!;
      assert.deepEqual([row.status, row.attempts, row.lastError], ['succeeded', 3, null]);
      assert.ok(row.providerRefundId?.startsWith('sbx_re_'));
      assert.equal((await outboxOf(o.id)).filter((m) => m.template === 'refund_issued').length, 1);
    });

    it('gives up after a final refusal or too many outages, and staff can send it again', async () => {
      const sandbox = t.ctx.payments.get('sandbox') as SandboxProvider;
      // A payment the sandbox cannot know is refused for good: no retries.
      const refusedOrder = await insertPaidOrder(t.ctx);
      await t.ctx.db.update(payments).set({ providerTransactionId: 'not-a-sandbox-payment' }).where(eq(payments.orderId, refusedOrder.id));
      const refused = (await orderService.cancel(t.ctx, refusedOrder.number, alex, { reason: 'Customer changed mind' })).refund!.refund;
      const refusedRow = (await t.ctx.db.select().from(refunds).where(eq(refunds.id, refused.id)))[0]!;
      assert.deepEqual([refusedRow.status, refusedRow.attempts], ['failed', 1]);
      assert.ok((await getOrderDetail(t.ctx.db, refusedOrder.number)).events.some((e) => e.type === 'refund_failed' && e.internal));

      // An outage longer than every automatic retry.
      const o = await insertPaidOrder(t.ctx);
      sandbox.failRefunds(REFUND_MAX_ATTEMPTS);
      const { refund } = await orderService.cancel(t.ctx, o.number, alex, { reason: 'Duplicate order' });
      let row = (await t.ctx.db.select().from(refunds).where(eq(refunds.id, refund!.refund.id)))[0]!;
      while (row.status === 'pending') {
        clock.advance(3 * 3600_000);
        await retryDueRefunds(t.ctx);
        row = (await t.ctx.db.select().from(refunds).where(eq(refunds.id, row.id)))[0]!;
      }
      assert.deepEqual([row.status, row.attempts], ['failed', REFUND_MAX_ATTEMPTS]);

      const retried = await retryRefund(t.ctx, row.id, sam);
      assert.equal(retried.status, 'succeeded');
      await assert.rejects(retryRefund(t.ctx, row.id, sam), refusedWith('conflict'));
      assert.equal((await outboxOf(o.id)).filter((m) => m.template === 'refund_issued').length, 1);
    });

    it('keeps internal notes on the timeline', async () => {
      const o = await insertPaidOrder(t.ctx);
      await assert.rejects(orderService.addNote(t.ctx, o.number, alex, ' '), refusedWith('validation_failed'));
      await orderService.addNote(t.ctx, o.number, alex, 'Customer called: leave at the back door.');
      const note = (await getOrderDetail(t.ctx.db, o.number)).events.find((e) => e.type === 'note');
      assert.equal(note?.internal, true);
      assert.equal(note?.details.text, 'Customer called: leave at the back door.');
      await assert.rejects(orderService.addNote(t.ctx, 'CS-ZZZZ-ZZZZ', alex, 'x'), refusedWith('not_found'));
    });

    it('finds orders by number, email, phone or name, by SKU, oldest first, with counts per stage', async () => {
      const older = await insertPaidOrder(t.ctx, { email: 'Maria.Lopez@Example.com', phone: '+13045550199', name: 'María López', items: [{ sku: 'BOWL-1', quantity: 3 }], createdAt: new Date('2025-01-02T10:00:00Z') });
      const newer = await insertPaidOrder(t.ctx, { email: 'maria.lopez@example.com', phone: '+13045550199', name: 'María López', items: [{ sku: 'BOWL-1', quantity: 1 }], createdAt: new Date('2025-01-05T10:00:00Z') });
      const numbers = (r: Awaited<ReturnType<typeof listOrders>>) => r.items.map((i) => i.number);
      const page = { page: 1, limit: 50 };

      for (const q of [older.number, older.number.toLowerCase(), older.number.replace(/-/g, ' '), older.number.replace(/-/g, '')]) {
        assert.deepEqual(numbers(await listOrders(t.ctx.db, { q, ...page })), [older.number], q);
      }
      assert.deepEqual(numbers(await listOrders(t.ctx.db, { q: 'MARIA.LOPEZ@example.com', ...page })), [older.number, newer.number]);
      for (const q of ['(304) 555-0199', '304-555-0199', '+1 304 555 0199']) {
        assert.deepEqual(numbers(await listOrders(t.ctx.db, { q, ...page })), [older.number, newer.number], q);
      }
      assert.deepEqual(numbers(await listOrders(t.ctx.db, { q: 'lópez', ...page })), [older.number, newer.number]);
      assert.deepEqual(numbers(await listOrders(t.ctx.db, { q: '%', ...page })), []);

      const bowls = await listOrders(t.ctx.db, { sku: 'bowl-1', status: 'paid', ...page });
      assert.deepEqual(numbers(bowls), [older.number, newer.number]);
      assert.deepEqual(bowls.items[0]!.items, [{ sku: 'BOWL-1', quantity: 3 }]);
      assert.equal(bowls.items[0]!.customerName, 'María López');
      assert.equal(bowls.items[0]!.itemCount, 3);

      await orderService.verify(t.ctx, newer.number, alex);
      const after = await listOrders(t.ctx.db, { sku: 'BOWL-1', ...page, limit: 1 });
      assert.equal(after.total, 2);
      assert.equal(after.items.length, 1);
      assert.equal(after.counts.paid, 1);
      assert.equal(after.counts.verified, 1);
      assert.equal((await listOrders(t.ctx.db, { sku: 'BOWL-1', status: 'open', ...page })).total, 2);
    });

    it('measures the median time orders spend in each stage', async () => {
      clock.advance(60_000);
      const since = clock.now();
      for (const minutes of [10, 30, 20]) {
        const o = await insertPaidOrder(t.ctx, { items: [{ sku: 'BOWL-1', quantity: 1 }] });
        clock.advance(minutes * 60_000);
        await orderService.verify(t.ctx, o.number, alex);
        clock.advance(60 * 60_000);
        await orderService.startPreparing(t.ctx, o.number, alex);
      }
      const medians = await medianStageDurations(t.ctx.db, since, t.ctx.settings().serviceHours);
      assert.equal(medians.paid?.medianMs, 20 * 60_000);
      assert.equal(medians.paid?.samples, 3);
      assert.equal(medians.verified?.medianMs, 60 * 60_000);
      assert.equal(typeof medians.verified?.medianWorkingMs, 'number');
      assert.equal(medians.preparing, undefined, 'a stage nobody has left yet has no median');
    });

    it('lets exactly one of ten staff verify the same order at once', { skip: kind === 'pglite' && 'PGlite runs one query at a time' }, async () => {
      const o = await insertPaidOrder(t.ctx);
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => orderService.verify(t.ctx, o.number, i % 2 ? alex : sam)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') refusedWith('invalid_transition')(r.reason);
      const events = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, o.id), eq(orderEvents.type, 'transition')));
      assert.equal(events.length, 1);
    });

    it('never lets a cancellation and a handover both win (20 races)', { skip: kind === 'pglite' && 'PGlite runs one query at a time' }, async () => {
      const tally = { cancelled: 0, shipped: 0 };
      for (let i = 0; i < 20; i++) {
        const o = await insertPaidOrder(t.ctx, { items: [{ sku: 'BOWL-1', quantity: 1 }] });
        for (const step of ['verified', 'preparing', 'packed'] as const) await orderService.transitionOrder(t.ctx, o.number, step, alex);
        const [c, s]: PromiseSettledResult<unknown>[] = await Promise.allSettled([
          orderService.cancel(t.ctx, o.number, sam, { reason: 'Customer asked' }),
          orderService.ship(t.ctx, o.number, alex, { carrier: 'DHL', trackingNumber: String(1000000000 + i) }),
        ]);
        assert.equal([c, s].filter((r) => r.status === 'fulfilled').length, 1, `race ${i}: exactly one wins`);
        const status = await statusOf(o.id);
        const parcels = await t.ctx.db.select().from(shipments).where(eq(shipments.orderId, o.id));
        const money = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id));
        if (status === 'cancelled') {
          tally.cancelled++;
          assert.equal(parcels.length, 0);
          assert.equal(money.length, 1);
        } else {
          tally.shipped++;
          assert.equal(status, 'shipped');
          assert.equal(money.length, 0);
          assert.equal(parcels.length, 1);
        }
      }
      assert.equal(tally.cancelled + tally.shipped, 20);
    });
  });
}

for (const { kind, skip } of DB_KINDS) {
  describe(`admin orders API on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tokens: Record<string, string> = {};
    const call = (role: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, payload, headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });

    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
      tokens.warehouse = await staffToken(t, 'warehouse', { name: 'Wren Warehouse', email: 'warehouse@casanova.test' });
      tokens.support = await staffToken(t, 'support', { name: 'Sol Support', email: 'support@casanova.test' });
    });
    after(() => t?.close());

    it('walks an order through the stages, refusing illegal jumps (409) and missing fields (422)', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      const url = `/api/v1/admin/orders/${o.number}/transitions`;

      const jump = await call('warehouse', 'POST', url, { to: 'shipped', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
      assert.equal(jump.statusCode, 409);
      assert.equal(jump.json().error.code, 'invalid_transition');
      assert.match(jump.json().error.message, /cannot move to “shipped”/);

      const hold = await call('warehouse', 'POST', url, { to: 'on_hold' });
      assert.equal(hold.statusCode, 422);
      assert.ok(hold.json().error.details.fields.reason);
      assert.equal((await call('warehouse', 'POST', url, { to: 'teleported' })).statusCode, 422);

      for (const to of ['verified', 'preparing', 'packed']) {
        const res = await call('warehouse', 'POST', url, { to });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().status, to);
      }
      const noTracking = await call('warehouse', 'POST', url, { to: 'shipped', carrier: 'UPS' });
      assert.equal(noTracking.statusCode, 422);
      assert.ok(noTracking.json().error.details.fields.trackingNumber);

      const shipped = await call('warehouse', 'POST', url, { to: 'shipped', carrier: 'USPS', trackingNumber: '9400 1118 9922 3856 9274 99' });
      assert.equal(shipped.statusCode, 200);
      const body = shipped.json();
      assert.equal(body.status, 'shipped');
      assert.deepEqual(body.allowedTransitions, ['delivered']);
      assert.equal(body.shipments[0].trackingNumber, '9400111899223856927499');
      assert.match(body.shipments[0].carrierTrackingUrl, /usps\.com/);
      assert.deepEqual(
        body.events.filter((e: { type: string }) => e.type === 'transition').map((e: { to: string; actor: string }) => [e.to, e.actor]),
        ['verified', 'preparing', 'packed', 'shipped'].map((s) => [s, 'warehouse@casanova.test']),
      );
      assert.equal(body.events.at(-1).staffName, 'Wren Warehouse');
      assert.deepEqual(body.notifications.map((n: { template: string }) => n.template), ['order_confirmation', 'order_shipped']);
      assert.equal(body.events[0].type, 'placed');
    });

    it('lists the queue with items per order, filtered and searched', async () => {
      const o = await insertPaidOrder(t.ctx, { email: 'queue.test@example.com', items: [{ sku: 'MUG-1', quantity: 4 }] });
      const res = await call('warehouse', 'GET', `/api/v1/admin/orders?status=paid&q=${encodeURIComponent('QUEUE.test@example.com')}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().total, 1);
      const [item] = res.json().items;
      assert.equal(item.number, o.number);
      assert.equal(item.status, 'paid');
      assert.deepEqual(item.items, [{ sku: 'MUG-1', quantity: 4 }]);
      assert.deepEqual(item.total, { amount: o.total, currency: 'USD' });
      assert.ok(!Number.isNaN(Date.parse(item.createdAt)));
      assert.equal((await call('warehouse', 'GET', '/api/v1/admin/orders?status=lost')).statusCode, 400);
      assert.equal((await call('', 'GET', '/api/v1/admin/orders')).statusCode, 401);
      assert.equal((await call('warehouse', 'GET', '/api/v1/admin/orders/CS-ZZZZ-ZZZZ')).statusCode, 404);
    });

    it('pages a tab by cursor in the same order as by page number, the newest first for finished orders', async () => {
      // Three orders paid each minute: the number breaks the ties, across page boundaries too.
      const minute = (i: number) => new Date(Date.UTC(2025, 1, 1, 9, Math.floor(i / 3)));
      const numbers = await insertBareOrders(t.ctx, 7, { email: 'paging@example.com', at: minute });
      const delivered = numbers.slice(2);
      await t.ctx.db.update(orders).set({ status: 'delivered' }).where(inArray(orders.number, delivered));
      type Page = { items: { number: string; createdAt: string }[]; total: number; page: number; nextCursor: string | null };
      const get = async (query: string, limit = 2): Promise<Page> => {
        const res = await call('warehouse', 'GET', `/api/v1/admin/orders?limit=${limit}&${query}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json();
      };

      for (const status of ['paid', 'delivered']) {
        const byPage: Page['items'] = [];
        for (let page = 1, total = 1; (page - 1) * 2 < total; page++) {
          const body = await get(`status=${status}&page=${page}`);
          byPage.push(...body.items);
          total = body.total;
        }
        const byCursor: Page['items'] = [];
        const cursors: (string | null)[] = [];
        let body = await get(`status=${status}`);
        for (;;) {
          byCursor.push(...body.items);
          cursors.push(body.nextCursor);
          if (!body.nextCursor) break;
          // page is ignored once there is a cursor.
          body = await get(`status=${status}&page=9&after=${body.nextCursor}`);
        }
        assert.deepEqual(byCursor, byPage, status);
        assert.equal(cursors.length, Math.ceil(body.total / 2), `${status}: no empty page at the end`);
        assert.deepEqual(cursors.slice(0, -1), byCursor.filter((_, i) => i % 2 === 1).map((o) => o.number).slice(0, cursors.length - 1));
        const times = byCursor.map((o) => Date.parse(o.createdAt));
        const newestFirst = status === 'delivered';
        assert.ok(times.every((at, i) => i === 0 || (newestFirst ? at <= times[i - 1]! : at >= times[i - 1]!)), `${status} sorted by payment time`);
      }

      // The delivered tab holds only these: newest first, the higher number first among ties.
      const expected = delivered.map((number, i) => ({ number, at: minute(i + 2).getTime() })).sort((a, b) => b.at - a.at || (a.number < b.number ? 1 : -1));
      const first = await get('status=delivered', 5);
      assert.deepEqual(first.items.map((o) => o.number), expected.map((o) => o.number));
      assert.equal(first.nextCursor, null, 'a full last page has no cursor');
      const pastTheEnd = await get(`status=delivered&after=${expected.at(-1)!.number.toLowerCase()}`);
      assert.deepEqual([pastTheEnd.items, pastTheEnd.nextCursor], [[], null], 'after the last order, typed any way: an empty page');
    });

    it('keeps queue answers until an order changes: a staff write shows at once, any other change once its notification arrives', async () => {
      const o = await insertPaidOrder(t.ctx, { email: 'cached.queue@example.com', items: [{ sku: 'MUG-1', quantity: 1 }] });
      const url = `/api/v1/admin/orders?q=${encodeURIComponent('cached.queue@example.com')}`;
      const statuses = async (headers: Record<string, string> = {}) => {
        const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens.warehouse}`, ...headers } });
        assert.equal(res.statusCode, 200, res.body);
        assert.match(res.headers['content-type'] as string, /^application\/json/);
        return res.json().items.map((i: { status: string }) => i.status);
      };
      assert.deepEqual(await statuses(), ['paid']);
      assert.deepEqual(await statuses(), ['paid'], 'the same answer again');

      // A staff write through this instance forgets the answers before it is answered.
      assert.equal((await call('warehouse', 'POST', `/api/v1/admin/orders/${o.number}/transitions`, { to: 'verified' })).statusCode, 200);
      assert.deepEqual(await statuses(), ['verified']);

      // Another writer (another instance, the worker): the trigger's notification drops the answers.
      await t.ctx.db.update(orders).set({ status: 'preparing' }).where(eq(orders.number, o.number));
      assert.deepEqual(await statuses({ 'cache-control': 'no-cache' }), ['preparing'], 'no-cache reads the database');
      let seen: string[] = [];
      for (let i = 0; i < 50 && seen[0] !== 'preparing'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen = await statuses();
      }
      assert.deepEqual(seen, ['preparing']);
    });

    it('refuses a cursor that is not an order number or names no order (422 on after)', async () => {
      for (const [after, message] of [['x1', /Not an order number/], ['CS-ZZZZ-ZZZZ', /No order CS-ZZZZ-ZZZZ/]] as const) {
        const res = await call('warehouse', 'GET', `/api/v1/admin/orders?status=paid&after=${after}`);
        assert.equal(res.statusCode, 422, after);
        assert.equal(res.json().error.code, 'validation_failed');
        assert.match(res.json().error.details.fields.after, message);
      }
    });

    it('lets support cancel and refund, and keeps the warehouse to processing', async () => {
      const o = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }]);
      const url = `/api/v1/admin/orders/${o.number}/transitions`;
      const refused = await call('warehouse', 'POST', url, { to: 'cancelled', reason: 'Asked by phone' });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'forbidden');
      assert.equal((await call('warehouse', 'POST', `/api/v1/admin/orders/${o.number}/notes`, { text: 'Dented box' })).statusCode, 403);
      assert.equal((await call('warehouse', 'POST', '/api/v1/admin/refunds/00000000-0000-4000-8000-000000000000/retry')).statusCode, 403);

      const cancelled = await call('support', 'POST', url, { to: 'cancelled', reason: 'Asked by phone' });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
      assert.deepEqual(cancelled.json().refunds.map((r: { status: string; amount: { amount: number } }) => [r.status, r.amount.amount]), [['succeeded', o.totals.total]]);

      const note = await call('support', 'POST', `/api/v1/admin/orders/${o.number}/notes`, { text: 'Refund confirmed with the customer.' });
      assert.equal(note.statusCode, 201);
      assert.equal(note.json().events.at(-1).type, 'note');
      assert.equal(note.json().events.at(-1).internal, true);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const paths = (await t.app.inject('/api/openapi.json')).json().paths;
      for (const p of ['/api/v1/admin/orders', '/api/v1/admin/orders/{number}', '/api/v1/admin/orders/{number}/transitions', '/api/v1/admin/orders/{number}/notes']) assert.ok(paths[p], p);
    });
  });
}


for (const { kind, skip } of DB_KINDS) {
  describe(`back-office order pages on ${kind}`, { skip }, () => {
    let t: TestApp;
    type Session = { cookie: string; csrf: string };
    const sessions: Record<string, Session> = {};
    const page = (who: Session, url: string) => t.app.inject({ url, headers: { cookie: who.cookie, accept: 'text/html' } });
    const post = (who: Session, url: string, form: Record<string, string>, opts: { csrf?: boolean } = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', host: 'localhost' },
        payload: new URLSearchParams({ ...form, ...(opts.csrf === false ? {} : { _csrf: who.csrf }) }).toString(),
      });

    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
      const { signIn } = await import('../src/domain/staff/auth-service.ts');
      const { addStaff } = await import('./helpers/staff.ts');
      for (const role of ['warehouse', 'support'] as const) {
        const member = await addStaff(t.ctx, role);
        const s = await signIn(t.ctx, 'session', { email: member.email, password: member.password, clientIp: `10.0.0.${role.length}` });
        sessions[role] = { cookie: `staff_session=${s.token}`, csrf: s.csrfToken };
      }
    });
    after(() => t?.close());

    it('shows the queue with stage tabs and counts, searchable by phone', async () => {
      const o = await insertPaidOrder(t.ctx, { phone: '+13045550111', name: 'Queue Person' });
      const res = await page(sessions.warehouse!, `/admin/orders?q=${encodeURIComponent('(304) 555-0111')}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`href="/admin/orders/${o.number}"`));
      assert.match(res.body, /To verify <span class="count">1<\/span>/);
      assert.match(res.body, /Export CSV/);
      assert.equal((await t.app.inject({ url: '/admin/orders' })).statusCode, 303, 'signed out → sign-in page');
    });

    it('exports the queue as CSV with formulas defused', async () => {
      const o = await insertPaidOrder(t.ctx, { name: '=HYPERLINK("http://evil.example","Click")', email: 'csv@example.com' });
      const res = await page(sessions.support!, '/admin/orders.csv?q=csv%40example.com&status=all');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="orders-all-/);
      const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(lines[0], 'Order,Stage,Paid at (UTC),Customer,Email,Units,Items,Total,Currency,Discount,Discount code');
      assert.equal(lines.length, 2);
      assert.ok(lines[1]!.startsWith(`${o.number},To verify,`));
      assert.match(lines[1]!, /,"'=HYPERLINK\(""http:\/\/evil\.example"",""Click""\)",csv@example\.com,3,2 x LAMP-1; 1 x MUG-1,/);
    });

    it('exports more orders than one batch, each of them once', async () => {
      // 1,100 orders, seven paid in each second: three batches, each boundary inside a tie.
      const numbers = await insertBareOrders(t.ctx, 1100, { email: 'bulk.export@example.com', at: (i) => new Date(Date.UTC(2025, 1, 1, 9, 0, 0, Math.floor(i / 7) * 1000)) });
      const res = await page(sessions.support!, '/admin/orders.csv?q=bulk.export%40example.com&status=all');
      assert.equal(res.statusCode, 200);
      const rows = res.body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
      assert.equal(rows.length, 1100);
      assert.deepEqual(rows.map((r) => r.split(',')[0]).sort(), [...numbers].sort());
    });

    it('offers only the moves allowed now, and refuses forms without the CSRF token', async () => {
      const o = await insertPaidOrder(t.ctx);
      const html = (await page(sessions.warehouse!, `/admin/orders/${o.number}`)).body;
      assert.match(html, />Verify<\/button>/);
      assert.match(html, />Put on hold<\/button>/);
      assert.doesNotMatch(html, />Start preparing<\/button>|>Hand over to carrier<\/button>|>Cancel order<\/button>/);
      assert.match((await page(sessions.support!, `/admin/orders/${o.number}`)).body, />Cancel order<\/button>/);

      const forged = await post(sessions.warehouse!, `/admin/orders/${o.number}/transitions`, { to: 'verified' }, { csrf: false });
      assert.equal(forged.statusCode, 403);
      assert.equal(await statusOfNumber(t, o.number), 'paid');
      const cancel = await post(sessions.warehouse!, `/admin/orders/${o.number}/transitions`, { to: 'cancelled', cancelReason: 'x' });
      assert.equal(cancel.statusCode, 403);
      assert.match(cancel.body, /may not cancel orders/);
    });

    it('shows a refused move’s reason (409) or the missing field (422) on the order page', async () => {
      const o = await insertPaidOrder(t.ctx);
      const url = `/admin/orders/${o.number}/transitions`;
      const jump = await post(sessions.warehouse!, url, { to: 'shipped', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
      assert.equal(jump.statusCode, 409);
      assert.match(jump.body, /Not done:<\/strong> An order that is paid, waiting for verification cannot move to “shipped”/);

      const hold = await post(sessions.warehouse!, url, { to: 'on_hold', holdReason: '' });
      assert.equal(hold.statusCode, 422);
      assert.match(hold.body, /<a href="#f-holdReason">Hold reason<\/a>: Say why the order is on hold\./);

      const ok = await post(sessions.warehouse!, url, { to: 'verified' });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, `/admin/orders/${o.number}`);
      assert.match(String(ok.headers['set-cookie']), /admin_flash=/);
      assert.equal(await statusOfNumber(t, o.number), 'verified');

      const note = await post(sessions.support!, `/admin/orders/${o.number}/notes`, { text: 'Gift wrap requested by phone.' });
      assert.equal(note.statusCode, 303);
      assert.match((await page(sessions.support!, `/admin/orders/${o.number}`)).body, /Gift wrap requested by phone\./);
    });

    it('prints a pick list and a packing slip, and answers an unknown order with a page', async () => {
      const o = await insertPaidOrder(t.ctx, { items: [{ sku: 'LAMP-2', quantity: 1 }] });
      const pick = await page(sessions.warehouse!, `/admin/orders/${o.number}/pick-list`);
      assert.equal(pick.statusCode, 200);
      assert.match(pick.body, /Pick list/);
      assert.match(pick.body, /<code>LAMP-2<\/code>/);
      const slip = await page(sessions.warehouse!, `/admin/orders/${o.number}/packing-slip`);
      assert.match(slip.body, /outer packaging is intact/);
      const missing = await page(sessions.warehouse!, '/admin/orders/CS-ZZZZ-ZZZZ');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /No order CS-ZZZZ-ZZZZ/);
    });
  });
}

async function statusOfNumber(t: TestApp, number: string) {
  return (await t.ctx.db.select({ s: orders.status }).from(orders).where(eq(orders.number, number)))[0]!.s;
}
