// Scenario tests for customer service: cancellation and change requests before shipping
// (approved by policy or by staff, with stock, totals, tax and refunds exact), refusal after
// shipping, a refund the provider fails and the retrier finishes, cancel-vs-ship races, the
// contact form with its due time in service hours, and replies from the support inbox.
// On PGlite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { insertPaidOrder } from './helpers/order-fixture.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { addStaff, staffToken } from './helpers/staff.ts';
import { caseMessages, orderItems, orderRequests, orders, outbox, refunds, shipments, stockLedger, supportCases, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import type { SandboxProvider } from '../src/domain/payments/sandbox-provider.ts';
import { retryDueRefunds } from '../src/domain/payments/refund-service.ts';
import { createOrderRequestFor } from '../src/domain/requests/order-requests.ts';
import { approveRequest } from '../src/domain/requests/request-decisions.ts';
import { addServiceHours } from '../src/domain/support/service-hours.ts';
import { assignCase, getCase, replyToCase } from '../src/domain/support/support-service.ts';
import { LOOKUP_NOT_FOUND } from '../src/domain/tracking/lookup.ts';
import { signTrackingToken } from '../src/domain/tracking/tracking-token.ts';
import { trackingView } from '../src/domain/tracking/tracking-view.ts';

const alex: Actor = { kind: 'staff', staffId: randomUUID(), email: 'alex@casanova.test' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const upsNumber = () => `1Z${randomBytes(8).toString('hex').toUpperCase()}`;

for (const { kind, skip } of DB_KINDS) {
  describe(`customer service on ${kind}`, { skip }, () => {
    let t: TestApp;
    // Tuesday 2026-03-03, 10:00 in New York: the shop is open.
    const clock = fixedClock('2026-03-03T15:00:00Z');
    const sandbox = () => t.ctx.payments.get('sandbox') as SandboxProvider;
    let supportToken: string;

    const stockOf = async (sku: string) => (await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku)))[0]!.stock;
    const orderRow = async (number: string) => (await t.ctx.db.select().from(orders).where(eq(orders.number, number)))[0]!;
    const templatesOf = async (orderId: string) => (await t.ctx.db.select().from(outbox).where(eq(outbox.orderId, orderId)).orderBy(asc(outbox.id))).map((m) => m.template);
    const ask = (number: string, body: Record<string, unknown>, remoteAddress = newIp()) =>
      t.app.inject({ method: 'POST', url: `/api/v1/orders/${number}/requests`, payload: body, remoteAddress });
    const adminPost = (url: string, payload: Record<string, unknown> = {}) =>
      t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${supportToken}` } });

    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
      // Every test here sells lamps and mugs.
      await t.ctx.db.update(variants).set({ stock: 1000 }).where(eq(variants.sku, 'LAMP-1'));
      await t.ctx.db.update(variants).set({ stock: 100 }).where(eq(variants.sku, 'LAMP-2'));
      supportToken = await staffToken(t, 'support');
    });
    after(() => t?.close());

    it('approves a cancellation of a paid order at once: cancelled, stock back, refunded, customer emailed at each step', async () => {
      const receipt = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }], { body: { email: 'ana.silva@example.com' } });
      const [lamps, mugs] = [await stockOf('LAMP-1'), await stockOf('MUG-1')];

      // The same answer as tracking for a wrong contact: nobody learns which orders exist.
      const wrong = await ask(receipt.number, { contact: 'someone.else@example.com', type: 'cancel' });
      assert.equal(wrong.statusCode, 404);
      assert.equal(wrong.json().error.message, LOOKUP_NOT_FOUND);

      const res = await ask(receipt.number.toLowerCase(), { contact: 'ANA.SILVA@example.com', type: 'cancel', message: 'Ordered twice by mistake.' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['id', 'status']);
      assert.equal(res.json().status, 'approved');

      const order = await orderRow(receipt.number);
      assert.equal(order.status, 'cancelled');
      assert.equal(await stockOf('LAMP-1'), lamps + 2);
      assert.equal(await stockOf('MUG-1'), mugs + 1);
      const [refund] = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, order.id));
      assert.deepEqual([refund!.status, refund!.amount, refund!.source], ['succeeded', receipt.totals.total, 'cancellation']);
      assert.deepEqual(await templatesOf(order.id), ['order_confirmation', 'order_request_received', 'order_cancelled', 'refund_issued']);

      const [request] = await t.ctx.db.select().from(orderRequests).where(eq(orderRequests.orderId, order.id));
      assert.deepEqual([request!.status, request!.decidedBy], ['approved', 'system:auto-approve']);
      const detail = await getCase(t.ctx, (await t.ctx.db.select().from(supportCases).where(eq(supportCases.id, request!.caseId!)))[0]!.number);
      assert.equal(detail.case.kind, 'order_request');
      assert.equal(detail.case.status, 'resolved', 'nothing left for staff to do');
      assert.deepEqual(detail.history.map((m) => m.kind), ['customer', 'system']);
      assert.equal(detail.history[0]!.body, 'Ordered twice by mistake.');

      const view = await trackingView(t.ctx, order.id);
      assert.deepEqual([view.requests[0]!.type, view.requests[0]!.status], ['cancel', 'approved']);
      assert.deepEqual([view.refunds[0]!.amount, view.refunds[0]!.status], [receipt.totals.total, 'succeeded']);

      // Asking again changes nothing.
      const again = await ask(receipt.number, { contact: 'ana.silva@example.com', type: 'cancel' });
      assert.equal(again.statusCode, 409);
      assert.match(again.json().error.message, /cancelled/);
    });

    it('applies a staff-approved change: new address, fewer items, totals and tax per line recomputed, stock back, the difference refunded once', async () => {
      // 2 × $50.00 + 3 × $15.00 + 1 × $55.00 = $200.00, free standard shipping, 6 % WV tax = $12.00: $212.00.
      const receipt = await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 3 }, { sku: 'LAMP-2', quantity: 1 }], { body: { email: 'ben.okafor@example.com' } });
      assert.equal(receipt.totals.total, 21200);
      await orderService.verify(t.ctx, receipt.number, alex);
      await orderService.startPreparing(t.ctx, receipt.number, alex);
      const [lamps, mugs] = [await stockOf('LAMP-1'), await stockOf('MUG-1')];
      const contact = 'ben.okafor@example.com';

      // What cannot be asked: more units, a new item, nothing left (cancel instead).
      const more = await ask(receipt.number, { contact, type: 'modify', changes: { items: [{ sku: 'LAMP-1', quantity: 3 }] } });
      assert.equal(more.statusCode, 422);
      assert.match(more.json().error.details.fields['changes.items.0.quantity'], /only lower/);
      const added = await ask(receipt.number, { contact, type: 'modify', changes: { items: [{ sku: 'VASE-1', quantity: 1 }] } });
      assert.equal(added.statusCode, 422);
      assert.match(added.json().error.details.fields['changes.items.0.sku'], /not in this order/);
      const none = await ask(receipt.number, { contact, type: 'modify', changes: { items: ['LAMP-1', 'MUG-1', 'LAMP-2'].map((sku) => ({ sku, quantity: 0 })) } });
      assert.equal(none.statusCode, 422);
      assert.match(none.json().error.details.fields['changes.items'], /ask to cancel it instead/);
      const badZip = await ask(receipt.number, { contact, type: 'modify', changes: { shippingAddress: { name: 'Ben Okafor', line1: '9 River Rd', city: 'Charleston', state: 'WV', postalCode: '2530' } } });
      assert.equal(badZip.statusCode, 422);
      assert.match(badZip.json().error.details.fields['changes.shippingAddress.postalCode'], /5-digit ZIP/);
      assert.equal((await t.ctx.db.select().from(orderRequests).where(eq(orderRequests.orderId, (await orderRow(receipt.number)).id))).length, 0, 'refused requests leave nothing behind');

      const newAddress = { name: 'Ben Okafor', line1: '9 River Rd', line2: 'Apt 4', city: 'Charleston', state: 'wv', postalCode: '25301' };
      const res = await ask(receipt.number, {
        contact,
        type: 'modify',
        message: 'Moving next week; one lamp is enough and no mugs.',
        changes: { shippingAddress: newAddress, items: [{ sku: 'LAMP-1', quantity: 1 }, { sku: 'MUG-1', quantity: 0 }] },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().status, 'pending', 'changes wait for staff');
      const id = res.json().id as string;
      assert.equal((await orderRow(receipt.number)).total, 21200, 'nothing changes before approval');

      const approved = await adminPost(`/api/v1/admin/requests/${id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      const decision = approved.json();
      assert.equal(decision.status, 'approved');
      assert.equal(decision.orderStatus, 'preparing');
      // $50.00 + $55.00 = $105.00, still free shipping, tax $6.30 → $111.30; back: $212.00 − $111.30.
      assert.deepEqual(decision.refund.amount, { amount: 10070, currency: 'USD' });
      assert.equal(decision.refund.status, 'succeeded');

      const order = await orderRow(receipt.number);
      assert.deepEqual([order.subtotal, order.shipping, order.tax, order.total, order.taxRateBp], [10500, 0, 630, 11130, 600]);
      assert.deepEqual(order.shippingAddress, { name: 'Ben Okafor', line1: '9 River Rd', line2: 'Apt 4', city: 'Charleston', state: 'WV', postalCode: '25301', country: 'US' });
      const lines = await t.ctx.db.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.position));
      assert.deepEqual(
        lines.map((l) => [l.sku, l.quantity, l.lineTotal, l.tax]),
        [
          ['LAMP-1', 1, 5000, 300],
          ['LAMP-2', 1, 5500, 330],
        ],
      );
      assert.equal(await stockOf('LAMP-1'), lamps + 1);
      assert.equal(await stockOf('MUG-1'), mugs + 3);
      const ledger = await t.ctx.db.select().from(stockLedger).where(and(eq(stockLedger.orderId, order.id), eq(stockLedger.reason, 'modify')));
      assert.deepEqual(ledger.map((l) => l.delta).sort(), [1, 3]);

      const orderRefunds = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, order.id));
      assert.deepEqual(orderRefunds.map((r) => [r.amount, r.status, r.idempotencyKey]), [[10070, 'succeeded', `request:${id}`]]);
      const mail = await t.ctx.db.select().from(outbox).where(eq(outbox.orderId, order.id)).orderBy(asc(outbox.id));
      assert.deepEqual(mail.map((m) => m.template), ['order_confirmation', 'order_request_received', 'order_request_approved', 'refund_issued']);
      const approvedMail = mail.find((m) => m.template === 'order_request_approved')!.payload as { refund: { amount: number }; reason: string };
      assert.equal(approvedMail.refund.amount, 10070);
      assert.match(approvedMail.reason, /Remove Test Mug/);

      // Approving twice neither changes the order again nor refunds twice.
      const twice = await adminPost(`/api/v1/admin/requests/${id}/approve`);
      assert.equal(twice.statusCode, 409);
      assert.match(twice.json().error.message, /already been approved/);
      assert.equal((await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, order.id))).length, 1);

      // The customer sees the change (without the street) and the refund.
      const view = await trackingView(t.ctx, order.id);
      assert.deepEqual(view.requests[0]!.summary, ['New delivery address in Charleston, WV 25301', 'Test Lamp: 2 → 1', 'Remove Test Mug (3 ordered)']);
      assert.deepEqual(view.refunds.map((r) => [r.amount, r.status]), [[10070, 'succeeded']]);
    });

    it('refuses a request once the order has been handed to the carrier, and an approval that comes too late', async () => {
      const o = await insertPaidOrder(t.ctx, { email: 'cleo@example.com', items: [{ sku: 'MUG-1', quantity: 2 }] });
      for (const verb of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await verb(t.ctx, o.number, alex);
      // A cancellation of a packed order waits for staff…
      const pending = await createOrderRequestFor(t.ctx, o, { type: 'cancel' });
      assert.equal(pending.request.status, 'pending');
      // …who are too late: the parcel left.
      await orderService.ship(t.ctx, o.number, alex, { carrier: 'UPS', trackingNumber: upsNumber() });

      const late = await adminPost(`/api/v1/admin/requests/${pending.request.id}/approve`);
      assert.equal(late.statusCode, 409);
      assert.match(late.json().error.message, /already been handed to the carrier/);

      const res = await ask(o.number, { contact: '(304) 555-0142', type: 'modify', changes: { items: [{ sku: 'MUG-1', quantity: 1 }] } });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.message, `Order ${o.number} has already been handed to the carrier, so it can no longer be changed or cancelled. Once it arrives, you can ask for a return or an exchange.`);
      assert.equal((await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id))).length, 0);

      // Staff close the waiting request with a reason the customer is emailed.
      const declined = await adminPost(`/api/v1/admin/requests/${pending.request.id}/decline`, { reason: 'Your parcel had already left our warehouse.' });
      assert.equal(declined.statusCode, 200, declined.body);
      assert.deepEqual([declined.json().status, declined.json().declineReason], ['declined', 'Your parcel had already left our warehouse.']);
      const mail = await templatesOf(o.id);
      assert.equal(mail.at(-1), 'order_request_declined');
      const unauthorized = await t.app.inject({ method: 'POST', url: `/api/v1/admin/requests/${pending.request.id}/decline`, payload: { reason: 'x' } });
      assert.equal(unauthorized.statusCode, 401);
    });

    it('keeps a refund the provider failed pending, and the retrier sends it once the provider is back', async () => {
      const o = await insertPaidOrder(t.ctx, { email: 'dev@example.com', items: [{ sku: 'LAMP-1', quantity: 1 }] });
      sandbox().failRefunds(1);
      const res = await ask(o.number, { contact: 'dev@example.com', type: 'cancel' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().status, 'approved', 'the cancellation stands although the refund did not go through yet');
      let [refund] = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id));
      assert.deepEqual([refund!.status, refund!.attempts], ['pending', 1]);
      assert.match(refund!.lastError!, /outage/);
      assert.equal((await trackingView(t.ctx, o.id)).refunds[0]!.status, 'pending');

      clock.advance(31_000);
      await retryDueRefunds(t.ctx);
      [refund] = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id));
      assert.deepEqual([refund!.status, refund!.attempts, refund!.amount], ['succeeded', 2, o.total]);
      assert.equal((await templatesOf(o.id)).filter((m) => m === 'refund_issued').length, 1);
      await retryDueRefunds(t.ctx);
      assert.equal((await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id))).length, 1, 'never issued twice');
    });

    it('never lets a cancellation and a handover both win, and never refunds a shipped order (20 races over HTTP)', { skip: kind === 'pglite' && 'PGlite runs one query at a time' }, async () => {
      const outcomes = { cancelled: 0, shipped: 0 };
      for (let round = 0; round < 20; round++) {
        const o = await insertPaidOrder(t.ctx, { items: [{ sku: 'MUG-1', quantity: 1 }] });
        for (const verb of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await verb(t.ctx, o.number, alex);
        const { request } = await createOrderRequestFor(t.ctx, o, { type: 'cancel' });
        const approve = () => adminPost(`/api/v1/admin/requests/${request.id}/approve`);
        const ship = () => adminPost(`/api/v1/admin/orders/${o.number}/transitions`, { to: 'shipped', carrier: 'UPS', trackingNumber: upsNumber() });
        const results = round % 2 ? await Promise.all([approve(), ship()]) : (await Promise.all([ship(), approve()])).reverse();
        const codes = results.map((r) => r.statusCode).sort();
        assert.deepEqual(codes, [200, 409], `round ${round}: exactly one wins, the other gets a 409 (${results.map((r) => r.body.slice(0, 200)).join(' | ')})`);

        const order = await orderRow(o.number);
        const parcels = await t.ctx.db.select().from(shipments).where(eq(shipments.orderId, o.id));
        const money = await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id));
        if (order.status === 'shipped') {
          outcomes.shipped++;
          assert.deepEqual([parcels.length, money.length], [1, 0], `round ${round}: a shipped order is never refunded`);
        } else {
          outcomes.cancelled++;
          assert.equal(order.status, 'cancelled');
          assert.deepEqual([parcels.length, money.length, money[0]!.amount], [0, 1, o.total], `round ${round}: a cancelled order never ships`);
        }
      }
      assert.equal(outcomes.cancelled + outcomes.shipped, 20);
    });

    it('turns a contact message into a case due after 4 service hours, and acknowledges it with that time', async () => {
      // Friday 2026-03-06, 17:00 in New York: one service hour left today, three more on Monday
      // (after the weekend and the switch to daylight saving time) → Monday 12:00 EDT.
      clock.set('2026-03-06T22:00:00Z');
      const page = await t.app.inject({ url: '/contact' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Open now — until 18:00 ET/);
      assert.match(page.body, /href="tel:\+16815101126"/);
      assert.match(page.body, /href="mailto:globalhelpwzq@casanovaspace.com"/);
      assert.match(page.body, /Monday–Friday: 9:00–12:00 and 14:00–18:00/);
      assert.equal(page.headers['cache-control'], 'no-cache');

      const ip = newIp();
      const refused = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: ip, headers: FORM, payload: form({ name: 'Fay', email: 'fay@', topic: 'nope', message: '' }) });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Enter a valid email address/);
      assert.match(refused.body, /Choose what your message is about/);
      assert.match(refused.body, /value="Fay"/, 'what was typed is kept');

      const receipt = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 1 }], { body: { email: 'fay.lind@example.com' } });
      const sent = await t.app.inject({
        method: 'POST',
        url: '/contact',
        remoteAddress: ip,
        headers: FORM,
        payload: form({ name: 'Fay Lind', email: 'Fay.Lind@Example.com', orderNumber: receipt.number.replace(/-/g, ' '), topic: 'order_status', message: 'When will my mug ship?' }),
      });
      assert.equal(sent.statusCode, 303, sent.body);
      const caseNumber = /sent=(SC-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(String(sent.headers.location))![1]!;
      const detail = await getCase(t.ctx, caseNumber);
      const due = new Date('2026-03-09T16:00:00Z');
      assert.equal(detail.case.dueAt.toISOString(), due.toISOString());
      assert.equal(detail.case.dueAt.getTime(), addServiceHours(t.ctx.settings().serviceHours, clock.now(), 4).getTime());
      assert.deepEqual([detail.case.kind, detail.case.topic, detail.case.status], ['contact', 'Order status', 'open']);
      assert.equal(detail.order?.number, receipt.number, 'linked: the email matches the order');
      const [ack] = await t.ctx.db.select().from(outbox).where(and(eq(outbox.caseId, detail.case.id), eq(outbox.template, 'contact_acknowledgement')));
      assert.equal(ack!.recipient, 'Fay.Lind@example.com');
      assert.equal((ack!.payload as { expectedReplyBy: string }).expectedReplyBy, 'Monday, March 9 at 12:00 ET');

      const confirmation = await t.app.inject({ url: String(sent.headers.location) });
      assert.match(confirmation.body, new RegExp(`Your case number is <strong>${caseNumber}</strong>`));
      assert.match(confirmation.body, /expect our reply by <strong>Monday, March 9 at 12:00 ET<\/strong>/);
      assert.doesNotMatch((await t.app.inject({ url: '/contact?sent=SC-2222-2222' })).body, /Your case number/);

      // Someone else's order number is kept as typed, not linked.
      const stranger = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: ip, headers: FORM, payload: form({ name: 'Gus', email: 'gus@example.com', orderNumber: receipt.number, topic: 'other', message: 'Is this mine?' }) });
      const strangerCase = await getCase(t.ctx, /sent=([^#&]+)/.exec(String(stranger.headers.location))![1]!);
      assert.equal(strangerCase.case.orderId, null);
      assert.equal(strangerCase.case.details.orderNumber, receipt.number);

      // Outside the form's limits: from another site, or too many from one address.
      const forged = await t.app.inject({ method: 'POST', url: '/contact', headers: { ...FORM, origin: 'https://evil.example' }, payload: form({ name: 'X', email: 'x@example.com', topic: 'other', message: 'hi' }) });
      assert.equal(forged.statusCode, 403);
      const codes = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: ip, headers: FORM, payload: form({ name: 'Fay', email: 'fay@example.com', topic: 'other', message: `Again ${i}` }) })).statusCode);
      }
      assert.deepEqual(codes, [303, 303, 303, 429]);
      clock.set('2026-03-03T15:00:00Z');
    });

    it('emails a reply from the inbox and keeps it with the customer’s messages and internal notes', async () => {
      const member = await addStaff(t.ctx, 'support', { name: 'Rita Support' });
      const login = await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: newIp(), headers: FORM, payload: form({ email: member.email, password: member.password, next: '/admin' }) });
      const session = login.cookies.find((c) => c.name === 'staff_session')!.value;
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await t.app.inject({ url: '/admin/support', cookies: { staff_session: session } })).body)![1]!;
      const post = (url: string, fields: Record<string, string>) =>
        t.app.inject({ method: 'POST', url, cookies: { staff_session: session }, headers: FORM, payload: form({ _csrf: csrf, ...fields }) });

      const sent = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: newIp(), headers: FORM, payload: form({ name: 'Hana Ito', email: 'hana@example.com', topic: 'product_question', message: 'Is the lamp dimmable?' }) });
      const number = /sent=([^#&]+)/.exec(String(sent.headers.location))![1]!;

      const inbox = await t.app.inject({ url: `/admin/support?q=${encodeURIComponent('HANA@example')}`, cookies: { staff_session: session } });
      assert.equal(inbox.statusCode, 200);
      assert.match(inbox.body, new RegExp(`href="/admin/support/${number}"`));

      assert.equal((await post(`/admin/support/${number}/notes`, { note: 'Check with the supplier.' })).statusCode, 303);
      const empty = await post(`/admin/support/${number}/reply`, { body: ' ', status: 'waiting_on_customer' });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Write the reply first/);
      const replied = await post(`/admin/support/${number}/reply`, { body: 'Yes, it works with any dimmer switch.\n\nRita', status: '' });
      assert.equal(replied.statusCode, 303, replied.body.slice(0, 500));

      const detail = await getCase(t.ctx, number);
      assert.equal(detail.case.status, 'waiting_on_customer');
      assert.ok(detail.case.firstRepliedAt);
      assert.deepEqual(detail.history.map((m) => [m.kind, m.body]), [
        ['customer', 'Is the lamp dimmable?'],
        ['note', 'Check with the supplier.'],
        ['reply', 'Yes, it works with any dimmer switch.\n\nRita'],
      ]);
      assert.equal(detail.history[2]!.staffName, 'Rita Support');
      const mail = await t.ctx.db.select().from(outbox).where(and(eq(outbox.caseId, detail.case.id), eq(outbox.template, 'support_reply')));
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.recipient, 'hana@example.com');
      assert.deepEqual(mail[0]!.payload, { caseNumber: number, name: 'Hana Ito', body: 'Yes, it works with any dimmer switch.\n\nRita', orderNumber: null });

      // A second reply keeps the first reply time; choosing "open" sets a new due time.
      const first = detail.case.firstRepliedAt!;
      clock.advance(3600_000);
      const again = await replyToCase(t.ctx, number, { id: member.id, email: member.email, name: member.name, role: 'support' }, { body: 'One more thing…', status: 'open' });
      assert.equal(again.firstRepliedAt!.getTime(), first.getTime());
      assert.equal(again.dueAt.getTime(), addServiceHours(t.ctx.settings().serviceHours, clock.now(), 4).getTime());
      const page = await t.app.inject({ url: `/admin/support/${number}`, cookies: { staff_session: session } });
      assert.match(page.body, /Internal note/);
      assert.equal((await t.ctx.db.select().from(caseMessages).where(eq(caseMessages.caseId, detail.case.id))).length, 4);
    });

    it('lists the inbox soonest due first, marks overdue cases in words, and filters by status, assignee and search', async () => {
      clock.set('2026-03-10T14:00:00Z'); // Tuesday 10:00 EDT
      const member = await addStaff(t.ctx, 'support', { name: 'Omar Inbox' });
      const me = { id: member.id, email: member.email, name: member.name, role: 'support' as const };
      const send = async (message: string) => {
        const res = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: newIp(), headers: FORM, payload: form({ name: 'Ivy', email: 'ivy.inbox@example.com', topic: 'other', message }) });
        return /sent=([^#&]+)/.exec(String(res.headers.location))![1]!;
      };
      const older = await send('First question');
      clock.advance(3600_000);
      const newer = await send('Second question');
      // Six service hours later the first is overdue (due 14:00 + lunch → 16:00 EDT), the second due 17:00.
      clock.set('2026-03-10T20:30:00Z');
      await assignCase(t.ctx, newer, me, member.id);

      const login = await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: newIp(), headers: FORM, payload: form({ email: member.email, password: member.password, next: '/admin' }) });
      const session = login.cookies.find((c) => c.name === 'staff_session')!.value;
      const get = (url: string) => t.app.inject({ url, cookies: { staff_session: session } });
      const page = await get('/admin/support?q=ivy.inbox');
      const rows = [...page.body.matchAll(/<tr( class="overdue")?><th scope="row"><a class="order-link" href="\/admin\/support\/([^"]+)"/g)].map((m) => [m[2], Boolean(m[1])]);
      assert.deepEqual(rows, [
        [older, true],
        [newer, false],
      ]);
      assert.match(page.body, /<span class="pill pill-bad overdue-tag">Overdue<\/span>/);
      assert.match(page.body, /Open <span class="count">2<\/span>/);
      const mine = await get('/admin/support?assignee=mine&q=ivy.inbox');
      assert.ok(mine.body.includes(newer) && !mine.body.includes(older));
      const unassigned = await get('/admin/support?assignee=unassigned&q=ivy.inbox');
      assert.ok(unassigned.body.includes(older) && !unassigned.body.includes(newer));
      const byNumber = await get(`/admin/support?q=${older.toLowerCase().replace(/-/g, '')}`);
      assert.ok(byNumber.body.includes(older) && !byNumber.body.includes(newer));
      // Warehouse staff may read the inbox but not answer.
      const warehouse = await addStaff(t.ctx, 'warehouse');
      const wLogin = await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: newIp(), headers: FORM, payload: form({ email: warehouse.email, password: warehouse.password, next: '/admin' }) });
      const wSession = wLogin.cookies.find((c) => c.name === 'staff_session')!.value;
      const readOnly = await t.app.inject({ url: `/admin/support/${older}`, cookies: { staff_session: wSession } });
      assert.equal(readOnly.statusCode, 200);
      assert.doesNotMatch(readOnly.body, />Reply<\/button>/);
      clock.set('2026-03-03T15:00:00Z');
    });

    it('lets staff decide a request from its case page, and a cancellation settles a change still waiting', async () => {
      const member = await addStaff(t.ctx, 'support', { name: 'Kim Decides' });
      const login = await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: newIp(), headers: FORM, payload: form({ email: member.email, password: member.password, next: '/admin' }) });
      const session = login.cookies.find((c) => c.name === 'staff_session')!.value;
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await t.app.inject({ url: '/admin/support', cookies: { staff_session: session } })).body)![1]!;
      const post = (url: string, fields: Record<string, string>) =>
        t.app.inject({ method: 'POST', url, cookies: { staff_session: session }, headers: FORM, payload: form({ _csrf: csrf, ...fields }) });

      const o = await insertPaidOrder(t.ctx, { email: 'lou@example.com', items: [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }] });
      await orderService.verify(t.ctx, o.number, alex);
      await orderService.startPreparing(t.ctx, o.number, alex);
      const change = await createOrderRequestFor(t.ctx, o, { type: 'modify', changes: { items: [{ sku: 'MUG-1', quantity: 0 }] } });
      const page = await t.app.inject({ url: `/admin/support/${change.caseNumber}`, cookies: { staff_session: session } });
      assert.match(page.body, /Remove Test Mug \(1 ordered\)/);
      assert.match(page.body, /goes back to the customer’s card/);

      const noReason = await post(`/admin/support/${change.caseNumber}/decline`, { reason: '' });
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.body, /the reason is emailed to them/);

      // The order is being prepared, so the customer's cancellation waits for staff; approving it settles the change too.
      const cancel = await createOrderRequestFor(t.ctx, o, { type: 'cancel', message: 'Never mind, cancel it all.' });
      assert.equal(cancel.request.status, 'pending');
      const approved = await post(`/admin/support/${cancel.caseNumber}/approve`, {});
      assert.equal(approved.statusCode, 303, approved.body.slice(0, 500));
      assert.match(decodeURIComponent(approved.cookies.find((c) => c.name === 'admin_flash')!.value), /Request approved\. Order .* cancelled/);
      const requests = await t.ctx.db.select().from(orderRequests).where(eq(orderRequests.orderId, o.id)).orderBy(asc(orderRequests.createdAt));
      assert.deepEqual(
        requests.map((r) => [r.type, r.status, r.declineReason]),
        [
          ['modify', 'declined', 'The order was cancelled, so this request no longer applies.'],
          ['cancel', 'approved', null],
        ],
      );
      assert.equal((await getCase(t.ctx, change.caseNumber!)).case.status, 'resolved');
      const late = await post(`/admin/support/${change.caseNumber}/approve`, {});
      assert.equal(late.statusCode, 409);
      assert.match(late.body, /already been declined/);
      assert.equal((await t.ctx.db.select().from(refunds).where(eq(refunds.orderId, o.id))).length, 1);
    });

    it('shows the change-or-cancel forms on the tracking view and keeps what was typed when a change is refused', async () => {
      const o = await insertPaidOrder(t.ctx, { email: 'jo@example.com', items: [{ sku: 'LAMP-1', quantity: 2 }] });
      const token = signTrackingToken(t.ctx.secret, o.number, new Date(clock.now().getTime() + 86400_000));
      const view = await t.app.inject({ url: `/track?t=${encodeURIComponent(token)}` });
      assert.match(view.body, /Change or cancel this order/);
      assert.match(view.body, />Ask to cancel</);
      assert.match(view.body, />Ask for changes</);
      assert.match(view.body, /name="qty.LAMP-1" type="number" min="0" max="2"/);

      const refused = await t.app.inject({ method: 'POST', url: `/track/request?t=${encodeURIComponent(token)}`, headers: FORM, payload: form({ type: 'modify', city: 'Elkins', 'qty.LAMP-1': '3', message: 'Please' }) });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /a change can only lower the quantity/);
      assert.match(refused.body, /Enter the street address/);
      assert.match(refused.body, /value="Elkins"/);

      const sent = await t.app.inject({ method: 'POST', url: `/track/request?t=${encodeURIComponent(token)}`, headers: FORM, payload: form({ type: 'modify', 'qty.LAMP-1': '1', message: '' }) });
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
      const after = await t.app.inject({ url: String(sent.headers.location).replace(/#.*/, '') });
      assert.match(after.body, /We received your request/);
      assert.match(after.body, /Your change request is with our team/);
      assert.match(after.body, /Test Lamp: 2 → 1/);
      // Another site cannot post for the customer.
      const forged = await t.app.inject({ method: 'POST', url: `/track/request?t=${encodeURIComponent(token)}`, headers: { ...FORM, 'sec-fetch-site': 'cross-site' }, payload: form({ type: 'cancel' }) });
      assert.equal(forged.statusCode, 403);
      assert.equal((await approveRequest(t.ctx, (await t.ctx.db.select().from(orderRequests).where(eq(orderRequests.orderId, o.id)))[0]!.id, alex)).order.total < o.total, true);
    });
  });
}
