// Property: whatever mix of staff edits, goodwill refunds and a return (or a cancellation)
// an order goes through, the money given back never exceeds what was captured, and a
// cancellation gives back exactly what is left. Random sequences on a real database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { eq, ne, and, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { staffToken } from './helpers/staff.ts';
import { orders, payments, refunds, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';

const staff: Actor = { kind: 'staff', staffId: randomUUID(), email: 'wes@casanova.test' };
const ip = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** Edits only lower quantities here (a raise waits for a payment, tested in order-edits.test.ts). */
type Step = { kind: 'edit'; fewer: number } | { kind: 'goodwill'; cents: number };

for (const { kind, skip } of DB_KINDS) {
  describe(`refunds stay within what was paid on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
      await t.ctx.db.update(variants).set({ stock: 100_000 }).where(eq(variants.sku, 'LAMP-1'));
      token = await staffToken(t, 'support');
    });
    after(() => t?.close());

    const money = async (number: string) => {
      const [o] = await t.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, number));
      const [paid] = await t.ctx.db.select({ n: sql<number>`coalesce(sum(${payments.amountCaptured}), 0)::int` }).from(payments).where(eq(payments.orderId, o!.id));
      const [back] = await t.ctx.db.select({ n: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` }).from(refunds).where(and(eq(refunds.orderId, o!.id), ne(refunds.status, 'failed')));
      return { captured: paid!.n, refunded: back!.n };
    };
    const api = (method: 'POST', url: string, payload: Record<string, unknown>) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() }, payload, remoteAddress: ip() });

    async function run(steps: Step[], end: 'cancel' | 'return') {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 4 }]);
      let quantity = 4;
      for (const s of steps) {
        if (s.kind === 'edit') quantity = Math.max(1, quantity - s.fewer);
        const res =
          s.kind === 'edit'
            ? await api('POST', `/api/v1/admin/orders/${o.number}/edits`, { items: [{ sku: 'LAMP-1', quantity }] })
            : await api('POST', `/api/v1/admin/orders/${o.number}/refunds`, { amount: s.cents, reason: 'Goodwill' });
        assert.ok([200, 201, 422].includes(res.statusCode), `${s.kind}: ${res.statusCode} ${res.body}`);
        const m = await money(o.number);
        assert.ok(m.refunded <= m.captured, `after ${s.kind}: ${m.refunded} back of ${m.captured}`);
      }
      if (end === 'cancel') {
        await orderService.cancel(t.ctx, o.number, staff, { reason: 'Called to cancel' });
        const m = await money(o.number);
        assert.equal(m.refunded, m.captured, 'a cancellation gives back exactly what is left');
        return;
      }
      await orderService.verify(t.ctx, o.number, staff);
      await orderService.startPreparing(t.ctx, o.number, staff);
      await orderService.markPacked(t.ctx, o.number, staff);
      await orderService.ship(t.ctx, o.number, staff, { carrier: 'other', trackingNumber: `P${randomInt(1e9)}` });
      await orderService.markDelivered(t.ctx, o.number, staff);
      const [left] = await t.ctx.db.select({ quantity: sql<number>`sum(quantity)::int` }).from(sql`order_items`).where(sql`order_id = (select id from orders where number = ${o.number})`);
      const applied = await t.app.inject({
        method: 'POST',
        url: '/api/v1/returns',
        remoteAddress: ip(),
        payload: { orderNumber: o.number, contact: o.email, type: 'refund', reason: 'damaged', condition: 'Broken in transit.', items: [{ sku: 'LAMP-1', quantity: left!.quantity }] },
      });
      assert.equal(applied.statusCode, 201, applied.body);
      for (const action of ['approve', 'refund']) {
        const res = await api('POST', `/api/v1/admin/returns/${applied.json().id}/${action}`, {});
        assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
      }
      const m = await money(o.number);
      assert.ok(m.refunded <= m.captured, `after the return: ${m.refunded} back of ${m.captured}`);
    }

    const steps = fc.array(
      fc.oneof(fc.record({ kind: fc.constant('edit' as const), fewer: fc.integer({ min: 0, max: 2 }) }), fc.record({ kind: fc.constant('goodwill' as const), cents: fc.integer({ min: 1, max: 25_000 }) })),
      { maxLength: 4 },
    );

    it('edits, goodwill refunds and a cancellation (property)', async () => {
      await fc.assert(fc.asyncProperty(steps, (s) => run(s, 'cancel')), { numRuns: 8 });
    });

    it('edits, goodwill refunds and a return of what was delivered (property)', async () => {
      await fc.assert(fc.asyncProperty(steps, (s) => run(s, 'return')), { numRuns: 8 });
    });
  });
}
