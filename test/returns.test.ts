// Scenario tests for after-sales: customers apply for returns, exchanges and refunds only
// through the API; staff move the cases on through the admin API. Refused before delivery
// and after the window; never more units than delivered, also across cases and at the same
// moment; refunds with the exact tax share, issued once however often the button is pressed;
// an exchange's replacement goes through processing; only resellable items are restocked.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { changeSettings, testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder, type Line } from './helpers/orders.ts';
import { staffToken } from './helpers/staff.ts';
import { caseMessages, orderEvents, orderItems, orders, outbox, refunds, returnCases, stockLedger, supportCases, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import type { OrderReceipt } from '../src/domain/checkout/order-receipt.ts';
import { signTrackingToken } from '../src/domain/tracking/tracking-token.ts';

const DAY = 86_400_000;
const warehouse: Actor = { kind: 'staff', staffId: randomUUID(), email: 'wes@casanova.test' };
const ip = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

for (const { kind, skip } of DB_KINDS) {
  describe(`returns on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    const clock = fixedClock('2025-03-03T15:00:00Z');
    const stockOf = async (sku: string) => (await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku)))[0]!.stock;
    const linesOf = async (number: string) => {
      const [o] = await t.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, number));
      return t.ctx.db.select().from(orderItems).where(eq(orderItems.orderId, o!.id));
    };
    const mailOf = async (template: string, orderNumber: string) =>
      t.ctx.db
        .select({ payload: outbox.payload, to: outbox.recipient })
        .from(outbox)
        .innerJoin(orders, eq(orders.id, outbox.orderId))
        .where(and(eq(outbox.template, template), eq(orders.number, orderNumber)));

    /** An order placed through checkout, then processed and delivered now (clock time). */
    async function deliveredOrder(items: Line[], stopAt: 'shipped' | 'delivered' = 'delivered'): Promise<OrderReceipt> {
      const o = await placeTestOrder(t, items);
      await orderService.verify(t.ctx, o.number, warehouse);
      await orderService.startPreparing(t.ctx, o.number, warehouse);
      await orderService.markPacked(t.ctx, o.number, warehouse);
      await orderService.ship(t.ctx, o.number, warehouse, { carrier: 'other', trackingNumber: `PARCEL${randomInt(1e9)}` });
      if (stopAt === 'delivered') await orderService.markDelivered(t.ctx, o.number, warehouse);
      return o;
    }

    const apply = (o: OrderReceipt, body: Record<string, unknown>, contact = o.email) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/returns',
        remoteAddress: ip(),
        payload: { orderNumber: o.number, contact, type: 'return', reason: 'no_longer_needed', condition: 'Unopened, still in its box.', ...body },
      });
    const act = (id: string, action: string, body?: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/admin/returns/${id}/${action}`, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body } : {}) });
    async function applied(o: OrderReceipt, body: Record<string, unknown>): Promise<string> {
      const res = await apply(o, body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    }
    async function step(id: string, action: string, body?: Record<string, unknown>) {
      const res = await act(id, action, body);
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
      return res.json();
    }
    async function setReturnsPolicy(returns: Record<string, unknown>) {
      await changeSettings(t, (s) => ({ ...s, returns: { ...s.returns, ...returns } }));
    }

    before(async () => {
      t = await testApp(kind, { overrides: { clock }, poolSize: 12 });
      await addProducts(t.ctx, [
        ...basicCatalog,
        // 3 × 10.05 = 30.15, tax 6% = 1.809 → 1.81: a line tax that does not split evenly over 3 units.
        { slug: 'test-throw', name: 'Test Throw', category: 'textiles', variants: [{ sku: 'THROW-1', price: 1005, stock: 500 }] },
      ]);
      await t.ctx.db.update(variants).set({ stock: 1000 }).where(eq(variants.sku, 'LAMP-1'));
      await t.ctx.db.update(variants).set({ stock: 50 }).where(eq(variants.sku, 'LAMP-2'));
      token = await staffToken(t, 'support');
    });
    after(() => t?.close());

    it('is refused before delivery (409) and after the return window (409), accepted within it', async () => {
      const shipped = await deliveredOrder([{ sku: 'MUG-1', quantity: 1 }], 'shipped');
      const early = await apply(shipped, { items: [{ sku: 'MUG-1', quantity: 1 }] });
      assert.equal(early.statusCode, 409, early.body);
      assert.match(early.json().error.message, /has not been delivered yet/);

      const late = await deliveredOrder([{ sku: 'MUG-1', quantity: 1 }]);
      const inTime = await deliveredOrder([{ sku: 'MUG-1', quantity: 1 }]);
      // Delivered Monday 3 March, 10:00 in New York: 30 days run to the end of Wednesday 2 April there.
      clock.set('2025-04-03T03:59:00Z');
      const lastMinute = await apply(inTime, { items: [{ sku: 'MUG-1', quantity: 1 }] });
      assert.equal(lastMinute.statusCode, 201, lastMinute.body);
      clock.set('2025-04-03T04:00:00Z');
      const closed = await apply(late, { items: [{ sku: 'MUG-1', quantity: 1 }] });
      assert.equal(closed.statusCode, 409, closed.body);
      assert.match(closed.json().error.message, /return window for order .* closed on Wednesday, April 2 \(30 days after delivery\)/);
      clock.set('2025-03-03T15:00:00Z');
    });

    it('checks the contact like tracking, and needs a condition, a reason and known items (422 naming the field)', async () => {
      const o = await deliveredOrder([{ sku: 'MUG-1', quantity: 2 }]);
      const wrong = await apply(o, { items: [{ sku: 'MUG-1', quantity: 1 }] }, 'someone.else@example.com');
      assert.equal(wrong.statusCode, 404);
      const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/returns', remoteAddress: ip(), payload: { orderNumber: 'CS-ZZZZ-ZZZZ', contact: o.email, type: 'return', items: [{ sku: 'MUG-1', quantity: 1 }], reason: 'other', condition: 'x' } });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.message, wrong.json().error.message);

      const noCondition = await apply(o, { items: [{ sku: 'MUG-1', quantity: 1 }], condition: '   ' });
      assert.equal(noCondition.statusCode, 422);
      assert.ok(noCondition.json().error.details.fields.condition);
      const badReason = await apply(o, { items: [{ sku: 'MUG-1', quantity: 1 }], reason: 'bored' });
      assert.equal(badReason.statusCode, 422);
      const notInOrder = await apply(o, { items: [{ sku: 'LAMP-1', quantity: 1 }] });
      assert.equal(notInOrder.statusCode, 422);
      assert.match(notInOrder.json().error.details.fields['items.0.sku'], /has no item LAMP-1/);
      // By phone, in another format, works as on the tracking page.
      const byPhone = await apply(o, { items: [{ sku: 'MUG-1', quantity: 1 }] }, '304.555.0142');
      assert.equal(byPhone.statusCode, 201, byPhone.body);
      assert.match(byPhone.json().number, /^RMA-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.match(byPhone.json().caseNumber, /^SC-/);
      assert.equal(byPhone.json().status, 'requested');

      // A support case (after-sales), an event on the order and the acknowledgement email.
      const [rc] = await t.ctx.db.select().from(returnCases).where(eq(returnCases.id, byPhone.json().id));
      const [sc] = await t.ctx.db.select().from(supportCases).where(eq(supportCases.id, rc!.supportCaseId!));
      assert.equal(sc!.kind, 'after_sales');
      assert.equal(sc!.number, byPhone.json().caseNumber);
      const [first] = await t.ctx.db.select().from(caseMessages).where(eq(caseMessages.caseId, sc!.id));
      assert.match(first!.body, /Unopened, still in its box/);
      const events = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, rc!.orderId), eq(orderEvents.type, 'return')));
      assert.equal(events.length, 1);
      const [mail] = await mailOf('return_received', o.number);
      assert.equal(mail!.to, o.email);
      assert.equal((mail!.payload as { caseNumber: string }).caseNumber, sc!.number);
    });

    it('never returns more units than delivered, across cases; a decline gives the units back', async () => {
      const o = await deliveredOrder([{ sku: 'LAMP-1', quantity: 3 }]);
      const a = await applied(o, { items: [{ sku: 'LAMP-1', quantity: 2 }] });
      const tooMany = await apply(o, { type: 'exchange', items: [{ sku: 'LAMP-1', quantity: 2 }] });
      assert.equal(tooMany.statusCode, 409, tooMany.body);
      assert.match(tooMany.json().error.message, /at most 1 more of LAMP-1/);
      assert.equal(tooMany.json().error.details.sku, 'LAMP-1');
      await applied(o, { type: 'refund', reason: 'missing_item', items: [{ sku: 'LAMP-1', quantity: 1 }] });
      const none = await apply(o, { items: [{ sku: 'LAMP-1', quantity: 1 }] });
      assert.equal(none.statusCode, 409);
      assert.match(none.json().error.message, /All 3 of LAMP-1/);
      assert.equal((await linesOf(o.number))[0]!.returnRequestedQuantity, 3);

      const declined = await step(a, 'decline', { reason: 'The photos show the lamps in use for months.' });
      assert.equal(declined.status, 'declined');
      assert.equal((await linesOf(o.number))[0]!.returnRequestedQuantity, 1);
      const [mail] = await mailOf('return_declined', o.number);
      assert.match(String((mail!.payload as { reason: string }).reason), /in use for months/);
      await applied(o, { items: [{ sku: 'LAMP-1', quantity: 2 }] });
    });

    it('lets only one of two simultaneous applications take the last units', async () => {
      const o = await deliveredOrder([{ sku: 'LAMP-1', quantity: 3 }]);
      const results = await Promise.all([apply(o, { items: [{ sku: 'LAMP-1', quantity: 2 }] }), apply(o, { items: [{ sku: 'LAMP-1', quantity: 2 }] })]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409], results.map((r) => r.body).join('\n'));
      assert.equal((await linesOf(o.number))[0]!.returnRequestedQuantity, 2);
    });

    it('refunds the unit prices with their exact tax share, in parts adding up to the line', async () => {
      const o = await deliveredOrder([{ sku: 'THROW-1', quantity: 3 }]);
      assert.equal(o.items[0]!.tax, 181);
      assert.equal(o.totals.shipping > 0, true);

      const first = await applied(o, { items: [{ sku: 'THROW-1', quantity: 2 }] });
      await step(first, 'approve', { note: 'Thanks for the photos.' });
      await step(first, 'receive', { condition: 'resellable' });
      const quoted = (await t.app.inject({ method: 'GET', url: `/api/v1/admin/returns/${first}`, headers: { authorization: `Bearer ${token}` } })).json();
      assert.deepEqual(quoted.refundQuote.amount, { amount: 2131, currency: 'USD' });
      const refunded = await step(first, 'refund');
      // 2 × 10.05 + round(1.81 × 2/3) = 20.10 + 1.21; no shipping and no fee when the customer changed their mind.
      assert.deepEqual(refunded.refund.amount, { amount: 2131, currency: 'USD' });
      assert.equal(refunded.refund.status, 'succeeded');
      assert.equal(refunded.status, 'refunded');

      const second = await applied(o, { items: [{ sku: 'THROW-1', quantity: 1 }] });
      await step(second, 'approve');
      await step(second, 'receive', { items: [{ sku: 'THROW-1', condition: 'resellable' }] });
      const rest = await step(second, 'refund');
      // The last unit takes what is left of the line's tax: 1.81 − 1.21 = 0.60.
      assert.deepEqual(rest.refund.amount, { amount: 1005 + 60, currency: 'USD' });
      const [line] = await linesOf(o.number);
      assert.equal(line!.refundedQuantity, 3);
      assert.equal(line!.returnReceivedQuantity, 3);
      const [mail] = await mailOf('return_refunded', o.number);
      assert.equal((mail!.payload as { refund: { amount: number } }).refund.amount, 2131);
      assert.equal((mail!.payload as { rmaNumber: string }).rmaNumber, refunded.number);
      const approvedMail = await mailOf('return_approved', o.number);
      assert.equal((approvedMail[0]!.payload as { rmaNumber: string }).rmaNumber, refunded.number);
    });

    it('refunds shipping once when the mistake was ours, and takes a restocking fee only when the customer changed their mind', async () => {
      await setReturnsPolicy({ restockingFeeBp: 1000 });
      try {
        const o = await deliveredOrder([{ sku: 'THROW-1', quantity: 3 }]);
        const damaged = await applied(o, { type: 'refund', reason: 'damaged', items: [{ sku: 'THROW-1', quantity: 1 }] });
        await step(damaged, 'approve');
        const ours = await step(damaged, 'refund');
        // 10.05 + round(1.81 / 3) = 0.60, + the shipping charge and the tax West Virginia charged on it, no fee.
        const shippingTax = Math.round(o.totals.shipping * 0.06);
        assert.ok(shippingTax > 0);
        assert.equal(ours.refund.amount.amount, 1005 + 60 + o.totals.shipping + shippingTax);

        const changedMind = await applied(o, { reason: 'no_longer_needed', items: [{ sku: 'THROW-1', quantity: 2 }] });
        await step(changedMind, 'approve');
        await step(changedMind, 'receive', { condition: 'resellable' });
        const theirs = await step(changedMind, 'refund');
        // 20.10 + tax 1.21 (181 − 60), less 10% of 20.10; shipping already went back.
        assert.equal(theirs.refund.amount.amount, 2010 + 121 - 201);
        const [payment] = await t.ctx.db.select({ total: orders.total }).from(orders).where(eq(orders.number, o.number));
        assert.equal(ours.refund.amount.amount + theirs.refund.amount.amount + 201, payment!.total);
      } finally {
        await setReturnsPolicy({ restockingFeeBp: 0 });
      }
    });

    it('issues one refund however many times "Refund" is pressed at once', async () => {
      const o = await deliveredOrder([{ sku: 'LAMP-1', quantity: 2 }]);
      const id = await applied(o, { items: [{ sku: 'LAMP-1', quantity: 2 }] });
      await step(id, 'approve');
      await step(id, 'receive', { condition: 'resellable' });
      const sandbox = t.ctx.payments.get('sandbox');
      const original = sandbox.refund.bind(sandbox);
      let providerCalls = 0;
      sandbox.refund = async (input) => {
        providerCalls++;
        return original(input);
      };
      try {
        const answers = await Promise.all(Array.from({ length: 10 }, () => act(id, 'refund')));
        assert.deepEqual(new Set(answers.map((a) => a.statusCode)), new Set([200]), answers.map((a) => a.body).join('\n'));
        const ids = new Set(answers.map((a) => a.json().refund.id));
        assert.equal(ids.size, 1);
        const rows = await t.ctx.db.select().from(refunds).where(eq(refunds.idempotencyKey, `return:${id}`));
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.id, [...ids][0]);
        assert.equal(rows[0]!.status, 'succeeded');
        assert.equal(providerCalls, 1);
        assert.equal((await linesOf(o.number))[0]!.refundedQuantity, 2);
        // And once more later: the same refund, no new money.
        const again = await step(id, 'refund');
        assert.equal(again.refund.id, rows[0]!.id);
        assert.equal(providerCalls, 1);
        assert.equal((await mailOf('return_refunded', o.number)).length, 1);
      } finally {
        sandbox.refund = original;
      }
    });

    it('sends an exchange replacement as a no-charge order that goes through processing', async () => {
      const o = await deliveredOrder([{ sku: 'LAMP-1', quantity: 1 }]);
      const notSibling = await apply(o, { type: 'exchange', items: [{ sku: 'LAMP-1', quantity: 1 }], exchangeFor: [{ sku: 'MUG-1', quantity: 1 }] });
      assert.equal(notSibling.statusCode, 422);
      assert.match(notSibling.json().error.details.fields['exchangeFor.0.sku'], /not a variant of an item you are sending back/);

      const id = await applied(o, { type: 'exchange', reason: 'not_as_described', items: [{ sku: 'LAMP-1', quantity: 1 }], exchangeFor: [{ sku: 'LAMP-2', quantity: 1 }] });
      const refundRefused = await act(id, 'refund');
      assert.equal(refundRefused.statusCode, 409);
      await step(id, 'approve');
      const exchangeTooEarly = await act(id, 'exchange');
      assert.equal(exchangeTooEarly.statusCode, 409);
      const lampsBefore = await stockOf('LAMP-1');
      await step(id, 'receive', { condition: 'resellable' });
      assert.equal(await stockOf('LAMP-1'), lampsBefore + 1);

      // Short of stock: refused with the SKU, nothing changes.
      await t.ctx.db.update(variants).set({ stock: 0 }).where(eq(variants.sku, 'LAMP-2'));
      const short = await act(id, 'exchange');
      assert.equal(short.statusCode, 409);
      assert.match(short.json().error.message, /LAMP-2/);
      await t.ctx.db.update(variants).set({ stock: 5 }).where(eq(variants.sku, 'LAMP-2'));

      const exchanged = await step(id, 'exchange');
      assert.equal(exchanged.status, 'exchanged');
      assert.equal(exchanged.replacementOrder.status, 'paid');
      assert.equal(await stockOf('LAMP-2'), 4);
      const replacement = exchanged.replacementOrder.number as string;
      const [row] = await t.ctx.db.select().from(orders).where(eq(orders.number, replacement));
      assert.equal(row!.total, 0);
      assert.equal(row!.email, o.email);
      const items = await linesOf(replacement);
      assert.deepEqual(items.map((i) => [i.sku, i.quantity, i.unitPrice]), [['LAMP-2', 1, 0]]);
      const ledger = await t.ctx.db.select().from(stockLedger).where(and(eq(stockLedger.orderId, row!.id), eq(stockLedger.reason, 'exchange')));
      assert.equal(ledger.length, 1);
      assert.equal(ledger[0]!.delta, -1);
      const [placed] = await t.ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, row!.id));
      assert.match(String(placed!.details.message), new RegExp(`Exchange for ${exchanged.number}`));
      const [mail] = await mailOf('return_exchanged', o.number);
      assert.match(String((mail!.payload as { trackingUrl: string }).trackingUrl), /\/track\?t=/);

      // The same stages as any order, up to the carrier.
      await orderService.verify(t.ctx, replacement, warehouse);
      await orderService.startPreparing(t.ctx, replacement, warehouse);
      await orderService.markPacked(t.ctx, replacement, warehouse);
      const shipped = await orderService.ship(t.ctx, replacement, warehouse, { carrier: 'other', trackingNumber: 'SWAP123456' });
      assert.equal(shipped.order.status, 'shipped');
      const closed = await step(id, 'close');
      assert.equal(closed.status, 'closed');
      assert.deepEqual(closed.allowedActions, []);
    });

    it('restocks only resellable items: damaged ones are written off in the ledger, stock unchanged', async () => {
      const o = await deliveredOrder([
        { sku: 'LAMP-1', quantity: 2 },
        { sku: 'MUG-1', quantity: 1 },
      ]);
      const id = await applied(o, {
        reason: 'damaged',
        items: [
          { sku: 'LAMP-1', quantity: 2 },
          { sku: 'MUG-1', quantity: 1 },
        ],
      });
      await step(id, 'approve');
      const missing = await act(id, 'receive', { items: [{ sku: 'LAMP-1', condition: 'resellable' }] });
      assert.equal(missing.statusCode, 422);
      assert.ok(missing.json().error.details.fields['condition.MUG-1']);

      const [lamps, mugs] = [await stockOf('LAMP-1'), await stockOf('MUG-1')];
      const received = await step(id, 'receive', { condition: 'damaged', items: [{ sku: 'LAMP-1', condition: 'resellable' }] });
      assert.equal(received.receivedCondition, 'mixed');
      assert.deepEqual(received.items.map((i: { sku: string; condition: string }) => [i.sku, i.condition]), [['LAMP-1', 'resellable'], ['MUG-1', 'damaged']]);
      assert.equal(await stockOf('LAMP-1'), lamps + 2);
      assert.equal(await stockOf('MUG-1'), mugs);
      const [orderRow] = await t.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, o.number));
      const ledger = await t.ctx.db.select().from(stockLedger).where(eq(stockLedger.orderId, orderRow!.id));
      const restock = ledger.filter((l) => l.reason === 'restock');
      const writeOff = ledger.filter((l) => l.reason === 'write_off');
      assert.equal(restock.length, 1);
      assert.equal(restock[0]!.delta, 2);
      assert.equal(writeOff.length, 1);
      assert.equal(writeOff[0]!.delta, 0);
      assert.equal(writeOff[0]!.stockAfter, mugs);
      assert.match(writeOff[0]!.note ?? '', /1 unit written off/);
      const lines = await linesOf(o.number);
      assert.deepEqual(lines.map((l) => l.returnReceivedQuantity).sort(), [1, 2]);
      // Received twice: refused, nothing moves again.
      const twice = await act(id, 'receive', { condition: 'resellable' });
      assert.equal(twice.statusCode, 409);
      assert.equal(await stockOf('LAMP-1'), lamps + 2);
    });

    it('lets "Refund only" skip receiving, and guards every other move with a reason', async () => {
      const o = await deliveredOrder([{ sku: 'MUG-1', quantity: 2 }]);
      const id = await applied(o, { type: 'refund', reason: 'missing_item', items: [{ sku: 'MUG-1', quantity: 1 }] });
      const closeEarly = await act(id, 'close');
      assert.equal(closeEarly.statusCode, 409);
      assert.match(closeEarly.json().error.message, /Possible now: Approve, Decline/);
      const approved = await step(id, 'approve');
      assert.deepEqual(approved.allowedActions, ['refund']);
      const receive = await act(id, 'receive', { condition: 'resellable' });
      assert.equal(receive.statusCode, 409);
      assert.match(receive.json().error.message, /no items to receive/);
      const decline = await act(id, 'decline', { reason: 'Too late' });
      assert.equal(decline.statusCode, 409);
      const refunded = await step(id, 'refund');
      assert.equal(refunded.status, 'refunded');
      assert.equal(refunded.refund.status, 'succeeded');
      const [line] = await linesOf(o.number);
      assert.equal(line!.returnReceivedQuantity, 0);
      assert.equal(line!.refundedQuantity, 1);
      await step(id, 'close');
    });

    it('takes an exchange through the /returns form without JavaScript, keeping what was typed when refused', async () => {
      const o = await deliveredOrder([{ sku: 'LAMP-1', quantity: 2 }]);
      const token = encodeURIComponent(signTrackingToken(t.ctx.secret, o.number));
      const form = await t.app.inject({ method: 'GET', url: `/returns?t=${token}` });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="qty\.LAMP-1"/);
      assert.match(form.body, /<option value="LAMP-2"[^>]*>Rust/);

      const post = (fields: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: `/returns/apply?t=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
      const refused = await post({ 'qty.LAMP-1': '1', 'exchange.LAMP-1': 'LAMP-2', type: 'exchange', reason: 'not_as_described', condition: '' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Describe the condition/);
      assert.match(refused.body, /<option value="1" selected>/);
      assert.match(refused.body, /<input type="radio" name="type" value="exchange" checked/);

      const sent = await post({ 'qty.LAMP-1': '1', 'exchange.LAMP-1': 'LAMP-2', type: 'exchange', reason: 'not_as_described', condition: 'The colour is much darker than in the photos.' });
      assert.equal(sent.statusCode, 303, sent.body);
      assert.match(sent.headers.location as string, /&sent=RMA-/);
      const confirmation = await t.app.inject({ method: 'GET', url: sent.headers.location as string });
      assert.match(confirmation.body, /We have your request/);
      assert.match(confirmation.body, /Your case number is <strong class="mono">SC-/);
      const [rc] = await t.ctx.db.select().from(returnCases).where(eq(returnCases.number, /sent=(RMA-[^&]+)/.exec(sent.headers.location as string)![1]!));
      const detail = await t.app.inject({ method: 'GET', url: `/api/v1/admin/returns/${rc!.id}`, headers: { authorization: `Bearer ${await staffToken(t, 'owner')}` } });
      assert.deepEqual(detail.json().items.map((i: { sku: string; exchangeFor: unknown }) => [i.sku, i.exchangeFor]), [['LAMP-1', { sku: 'LAMP-2', quantity: 1 }]]);

      // Someone else's case number in the query string confirms nothing.
      const other = await t.app.inject({ method: 'GET', url: `/returns?t=${token}&sent=RMA-2222-2222` });
      assert.doesNotMatch(other.body, /We have your request/);
      const forged = await t.app.inject({ method: 'GET', url: '/returns?t=CS-AAAA-AAAA.zzzz.bad' });
      assert.equal(forged.statusCode, 403);
    });

    it('lists cases by status with counts, for staff who handle returns only', async () => {
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/admin/returns?status=all', headers: { authorization: `Bearer ${token}` } });
      assert.equal(list.statusCode, 200, list.body);
      const body = list.json();
      assert.ok(body.items.length > 5);
      assert.equal(body.total, body.counts.all);
      assert.equal(body.counts.open + body.counts.closed, body.counts.all);
      const closed = await t.app.inject({ method: 'GET', url: '/api/v1/admin/returns?status=closed', headers: { authorization: `Bearer ${token}` } });
      assert.ok(closed.json().items.every((i: { status: string }) => i.status === 'closed'));
      assert.equal(closed.json().items.length, body.counts.closed);
      const bad = await t.app.inject({ method: 'GET', url: '/api/v1/admin/returns?status=lost', headers: { authorization: `Bearer ${token}` } });
      assert.equal(bad.statusCode, 400);

      const warehouseToken = await staffToken(t, 'warehouse');
      const forbidden = await t.app.inject({ method: 'GET', url: '/api/v1/admin/returns', headers: { authorization: `Bearer ${warehouseToken}` } });
      assert.equal(forbidden.statusCode, 403);
      const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/admin/returns/${body.items[0].id}/approve` });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
