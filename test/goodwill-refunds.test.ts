// Goodwill refunds: an agent gives back any amount up to what is still refundable, with a
// reason the customer reads; a retried request or a double-clicked button refunds once; the
// timeline records who did it; together with a return's refund it never exceeds what was paid.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { staffSession, staffToken } from './helpers/staff.ts';
import { orderEvents, orders, outbox, refunds } from '../src/db/schema.ts';

for (const { kind, skip } of DB_KINDS) {
  describe(`goodwill refunds on ${kind}`, { skip }, () => {
    let t: TestApp;
    let support: string;
    const refundsOf = async (number: string) =>
      t.ctx.db.select({ amount: refunds.amount, status: refunds.status, reason: refunds.reason, source: refunds.source }).from(refunds).innerJoin(orders, eq(orders.id, refunds.orderId)).where(eq(orders.number, number));
    const give = (number: string, body: Record<string, unknown>, key = randomUUID(), token = support) =>
      t.app.inject({ method: 'POST', url: `/api/v1/admin/orders/${number}/refunds`, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key }, payload: body });

    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
      support = await staffToken(t, 'support');
    });
    after(() => t?.close());

    it('refunds an amount with a reason, once per key, on the timeline and in the refund email', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      const key = randomUUID();
      const first = await give(o.number, { amount: 500, reason: 'Sorry for the late delivery' }, key);
      assert.equal(first.statusCode, 201, first.body);
      assert.deepEqual([first.json().amount, first.json().status], [{ amount: 500, currency: 'USD' }, 'succeeded']);
      const again = await give(o.number, { amount: 500, reason: 'Sorry for the late delivery' }, key);
      assert.equal(again.json().id, first.json().id, 'the retry answers with the same refund');
      assert.deepEqual(await refundsOf(o.number), [{ amount: 500, status: 'succeeded', reason: 'Sorry for the late delivery', source: 'goodwill' }]);

      const [event] = await t.ctx.db
        .select({ actor: orderEvents.actor, details: orderEvents.details })
        .from(orderEvents)
        .innerJoin(orders, eq(orders.id, orderEvents.orderId))
        .where(sql`${orders.number} = ${o.number} and ${orderEvents.type} = 'goodwill_refund'`);
      assert.match(event!.actor, /@/, 'the agent is named');
      assert.match(String(event!.details.message), /Goodwill refund of \$5\.00 requested: Sorry for the late delivery/);
      const mail = await t.ctx.db.select({ payload: outbox.payload }).from(outbox).innerJoin(orders, eq(orders.id, outbox.orderId)).where(sql`${orders.number} = ${o.number} and ${outbox.template} = 'refund_issued'`);
      assert.equal(mail.length, 1);
      assert.deepEqual([(mail[0]!.payload as { amount: number }).amount, (mail[0]!.payload as { reason: string }).reason], [500, 'Sorry for the late delivery']);
    });

    it('refuses more than is left, no reason, a zero amount and a role without refunds (clear messages, nothing refunded)', async () => {
      const o = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 1 }]);
      const over = await give(o.number, { amount: o.totals.total + 1, reason: 'Too much' });
      assert.equal(over.statusCode, 422, over.body);
      assert.match(over.json().error.details.fields.amount, /At most \$\d+\.\d\d is left to refund/);
      const noReason = await give(o.number, { amount: 100, reason: '  ' });
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.json().error.details.fields.reason, /Say why/);
      assert.equal((await give(o.number, { amount: 0, reason: 'x' })).statusCode, 422);
      const warehouse = await staffToken(t, 'warehouse');
      assert.equal((await give(o.number, { amount: 100, reason: 'x' }, randomUUID(), warehouse)).statusCode, 403);
      assert.equal((await give('CS-0000-0000', { amount: 100, reason: 'x' })).statusCode, 404);
      assert.deepEqual(await refundsOf(o.number), []);
    });

    it('a goodwill refund and then a full cancellation never return more than was paid', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      assert.equal((await give(o.number, { amount: 1234, reason: 'Price match' })).statusCode, 201);
      const cancel = await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/orders/${o.number}/transitions`,
        headers: { authorization: `Bearer ${support}` },
        payload: { to: 'cancelled', reason: 'Customer asked by phone' },
      });
      assert.equal(cancel.statusCode, 200, cancel.body);
      const back = await refundsOf(o.number);
      assert.equal(back.reduce((n, r) => n + r.amount, 0), o.totals.total);
      assert.equal((await give(o.number, { amount: 1, reason: 'One more' })).statusCode, 422, 'nothing is left');
    });

    it('works from the order page without JavaScript: errors next to the fields, what was typed kept', async () => {
      const o = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      const { cookies, csrf } = await staffSession(t, 'support');
      const page = await t.app.inject({ url: `/admin/orders/${o.number}`, cookies });
      assert.match(page.body, /<summary>Refund an amount<\/summary>/);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
      const post = (payload: Record<string, string>) => t.app.inject({ method: 'POST', url: `/admin/orders/${o.number}/refunds`, cookies, payload: { _csrf: csrf, idempotencyKey: key, ...payload } });
      const bad = await post({ amount: 'five', reason: 'Scratched lid' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Enter an amount in dollars, like 5\.00/);
      assert.match(bad.body, /Scratched lid/);
      const done = await post({ amount: '2.50', reason: 'Scratched lid' });
      assert.equal(done.statusCode, 303, done.body.slice(0, 300));
      const twice = await post({ amount: '2.50', reason: 'Scratched lid' });
      assert.equal(twice.statusCode, 303, 'a double-click is not an error');
      assert.deepEqual(await refundsOf(o.number), [{ amount: 250, status: 'succeeded', reason: 'Scratched lid', source: 'goodwill' }]);
      const after = await t.app.inject({ url: `/admin/orders/${o.number}`, cookies });
      assert.match(decodeURIComponent(done.cookies.map((c) => c.value).join(' ')), /Refund of \$2\.50 sent; the customer gets the refund email\./);
      assert.match(after.body, /<strong>\$2\.50<\/strong>.*Scratched lid/s, 'listed with the order’s refunds');
    });
  });
}
