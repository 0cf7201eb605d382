// Scenario tests: labels bought through EasyPost (the local fake of its API, driven by the real
// @easypost/api SDK) from the back-office order page, and EasyPost's signed tracker webhooks
// feeding the parcel's carrier events. Both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, changeSettings, fixedClock, type TestApp } from './helpers/test-app.ts';
import { defaultSettings } from '../src/domain/settings/store-settings.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { insertPaidOrder } from './helpers/order-fixture.ts';
import { staffSession, staffToken } from './helpers/staff.ts';
import { startEasyPostFake, type EasyPostFake } from './fakes/easypost-fake.ts';
import { carrierEvents, orderItems, orders, outbox, shipmentItems, shipments, shippingLabels, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { signTrackingToken } from '../src/domain/tracking/tracking-token.ts';
import { startOutboxWorker } from '../src/jobs/outbox-worker.ts';

const alex: Actor = { kind: 'staff', staffId: randomUUID(), email: 'alex@casanova.test' };
const HOUR = 3_600_000;

for (const { kind, skip } of DB_KINDS) {
  describe(`shipping labels and automatic tracking on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ep: EasyPostFake;
    let staff: Awaited<ReturnType<typeof staffSession>>;
    const clock = fixedClock('2025-03-03T14:00:00Z');

    before(async () => {
      ep = await startEasyPostFake();
      t = await testApp(kind, {
        // A short timeout so the held purchase answer counts as "not answered" quickly; no test measures time.
        env: { EASYPOST_API_KEY: ep.apiKey, EASYPOST_API_URL: ep.apiUrl, EASYPOST_WEBHOOK_SECRET: ep.webhookSecret, EASYPOST_TIMEOUT_MS: '300' },
        overrides: { clock },
      });
      await addProducts(t.ctx, basicCatalog);
      await t.ctx.db.update(variants).set({ stock: 1000 }).where(inArray(variants.sku, ['LAMP-1', 'LAMP-2', 'MUG-1']));
      await t.ctx.db.update(variants).set({ weightGrams: 1200, lengthMm: 300, widthMm: 200, heightMm: 200 }).where(eq(variants.sku, 'LAMP-1'));
      await t.ctx.db.update(variants).set({ weightGrams: 1300 }).where(eq(variants.sku, 'LAMP-2'));
      await t.ctx.db.update(variants).set({ weightGrams: 350 }).where(eq(variants.sku, 'MUG-1'));
      staff = await staffSession(t, 'warehouse');
    });
    after(async () => {
      await t?.close();
      await ep?.close();
    });

    const post = (url: string, form: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url,
        cookies: staff.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', host: 'localhost' },
        payload: new URLSearchParams({ ...form, _csrf: staff.csrf }).toString(),
      });
    const page = (url: string) => t.app.inject({ url, cookies: staff.cookies, headers: { accept: 'text/html' } });
    const orderRow = async (number: string) => (await t.ctx.db.select().from(orders).where(eq(orders.number, number)))[0]!;
    const labelsOf = async (number: string) => t.ctx.db.select().from(shippingLabels).where(eq(shippingLabels.orderId, (await orderRow(number)).id));
    const linesOf = async (number: string) => {
      const rows = await t.ctx.db.select().from(orderItems).where(eq(orderItems.orderId, (await orderRow(number)).id));
      return Object.fromEntries(rows.map((r) => [r.sku, r.id]));
    };

    /** A paid order of three lines (2 × LAMP-1, 1 × MUG-1, 1 × LAMP-2), moved on to packed. */
    async function packedOrder(items = [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }, { sku: 'LAMP-2', quantity: 1 }]) {
      const o = await insertPaidOrder(t.ctx, { items });
      await orderService.verify(t.ctx, o.number, alex);
      await orderService.startPreparing(t.ctx, o.number, alex);
      await orderService.markPacked(t.ctx, o.number, alex);
      return o;
    }

    /** Quotes a parcel and buys its cheapest rate through the order page's forms; returns the bought label. */
    async function buyThroughPage(number: string, form: Record<string, string> = { package: 'Medium box' }) {
      const quoted = await post(`/admin/orders/${number}/labels`, form);
      assert.equal(quoted.statusCode, 303, quoted.body.slice(0, 2000));
      const label = (await labelsOf(number)).find((l) => l.status === 'quoted')!;
      const bought = await post(`/admin/orders/${number}/labels/${label.id}/buy`, { rateId: label.rates[0]!.id });
      assert.equal(bought.statusCode, 303, bought.body.slice(0, 2000));
      return (await t.ctx.db.select().from(shippingLabels).where(eq(shippingLabels.id, label.id)))[0]!;
    }

    /** The handover form as the page fills it in from the label. */
    const handOver = (number: string, label: { trackingNumber: string | null }, to: 'shipped' | 'add' = 'shipped') =>
      to === 'shipped'
        ? post(`/admin/orders/${number}/transitions`, { to: 'shipped', carrier: 'USPS', trackingNumber: label.trackingNumber! })
        : post(`/admin/orders/${number}/shipments`, { carrier: 'USPS', trackingNumber: label.trackingNumber! });

    it('buys a label for a packed order: rates from the parcel weight, a printable PDF, and a handover without typing', async () => {
      const o = await packedOrder();
      const quoted = await post(`/admin/orders/${o.number}/labels`, { package: 'Medium box' });
      assert.equal(quoted.statusCode, 303);
      const [label] = await labelsOf(o.number);
      // 2 × 1200 g + 350 g + 1300 g + the 300 g box.
      assert.equal(label!.parcel.weightGrams, 4350);
      const sent = ep.shipment(label!.providerShipmentId)!;
      assert.equal(sent.parcel.weight, 153.4, 'grams are sent as ounces');
      assert.equal(sent.to_address.zip, '26101');
      const withRates = (await page(`/admin/orders/${o.number}`)).body;
      assert.match(withRates, /USPS GroundAdvantage — \$/);
      assert.match(withRates, />Buy label</);

      const priority = label!.rates.find((r) => r.service === 'Priority')!;
      const bought = await post(`/admin/orders/${o.number}/labels/${label!.id}/buy`, { rateId: priority.id });
      assert.equal(bought.statusCode, 303);
      const [after] = await labelsOf(o.number);
      assert.equal(after!.status, 'purchased');
      assert.equal(after!.service, 'Priority');
      assert.match(after!.trackingNumber!, /^9400\d{18}$/);

      const pdf = await page(`/admin/orders/${o.number}/labels/${label!.id}/label.pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const orderPage = (await page(`/admin/orders/${o.number}`)).body;
      assert.match(orderPage, /Print label/);
      assert.match(orderPage, new RegExp(`name="trackingNumber"[^>]*value="${after!.trackingNumber}"`), 'the handover form carries the label');

      const shipped = await handOver(o.number, after!);
      assert.equal(shipped.statusCode, 303, shipped.body.slice(0, 500));
      assert.equal((await orderRow(o.number)).status, 'shipped');
      const [linked] = await labelsOf(o.number);
      assert.ok(linked!.shipmentId);
      const carried = await t.ctx.db.select().from(shipmentItems).where(eq(shipmentItems.shipmentId, linked!.shipmentId!));
      assert.equal(carried.reduce((n, c) => n + c.quantity, 0), 4);
    });

    it('refuses Buy label with a clear message when a variant has no weight, and asks EasyPost nothing', async () => {
      await t.ctx.db.update(variants).set({ weightGrams: null }).where(eq(variants.sku, 'LAMP-2'));
      try {
        const o = await packedOrder();
        const before = ep.requests.length;
        const res = await post(`/admin/orders/${o.number}/labels`, { package: 'Small box' });
        assert.equal(res.statusCode, 422);
        assert.match(res.body, /No weight is recorded for Test Lamp \(LAMP-2\): enter it in the catalog first/);
        assert.equal(ep.requests.length, before);
        assert.equal((await labelsOf(o.number)).length, 0);
      } finally {
        await t.ctx.db.update(variants).set({ weightGrams: 1300 }).where(eq(variants.sku, 'LAMP-2'));
      }
    });

    it('puts the order on hold with the reason when EasyPost cannot verify the address', async () => {
      const o = await packedOrder();
      const row = await orderRow(o.number);
      await t.ctx.db.update(orders).set({ shippingAddress: { ...row.shippingAddress, postalCode: '99999' } }).where(eq(orders.id, row.id));
      const res = await post(`/admin/orders/${o.number}/labels`, { package: 'Small box' });
      assert.equal(res.statusCode, 303);
      const held = await orderRow(o.number);
      assert.equal(held.status, 'on_hold');
      assert.match(held.holdReason!, /The carrier cannot deliver to this address: Address not found/);
      assert.equal((await labelsOf(o.number)).length, 0, 'no shipment is quoted for an address that fails');
      assert.match((await page(`/admin/orders/${o.number}`)).body, /On hold:<\/strong> The carrier cannot deliver/);
    });

    it('never buys twice when the purchase is retried after a timeout', async () => {
      const o = await packedOrder([{ sku: 'MUG-1', quantity: 1 }]);
      await post(`/admin/orders/${o.number}/labels`, { package: 'Padded mailer' });
      const [label] = await labelsOf(o.number);
      const purchasesBefore = ep.purchases.length;
      ep.holdNextBuyAnswer();
      const timedOut = await post(`/admin/orders/${o.number}/labels/${label!.id}/buy`, { rateId: label!.rates[0]!.id });
      assert.equal(timedOut.statusCode, 503);
      assert.match(timedOut.body, /did not answer in time/);
      assert.equal((await labelsOf(o.number))[0]!.status, 'buying', 'the key and the chosen rate were kept before calling');
      assert.match((await page(`/admin/orders/${o.number}`)).body, /The last purchase was not confirmed/);

      // Pressed again, even with another rate chosen: the first purchase is found and kept.
      const retried = await post(`/admin/orders/${o.number}/labels/${label!.id}/buy`, { rateId: label!.rates[2]!.id });
      assert.equal(retried.statusCode, 303, retried.body.slice(0, 500));
      const again = await post(`/admin/orders/${o.number}/labels/${label!.id}/buy`, { rateId: label!.rates[0]!.id });
      assert.equal(again.statusCode, 303);
      assert.equal(ep.purchases.length - purchasesBefore, 1, 'one label bought');
      const [bought] = await labelsOf(o.number);
      assert.equal(bought!.status, 'purchased');
      assert.equal(bought!.trackingNumber, ep.purchases.at(-1)!.trackingCode);
      assert.equal(bought!.rateId, label!.rates[0]!.id);
    });

    it('buys one label when Buy label is pressed twice at once', async () => {
      const o = await packedOrder([{ sku: 'MUG-1', quantity: 1 }]);
      await post(`/admin/orders/${o.number}/labels`, { package: 'Small box' });
      const [label] = await labelsOf(o.number);
      const before = ep.purchases.length;
      const answers = await Promise.all([1, 2].map(() => post(`/admin/orders/${o.number}/labels/${label!.id}/buy`, { rateId: label!.rates[0]!.id })));
      assert.deepEqual(answers.map((a) => a.statusCode), [303, 303]);
      assert.equal(ep.purchases.length - before, 1);
      assert.equal((await labelsOf(o.number))[0]!.status, 'purchased');
    });

    it('records tracker webhooks once and in time order, delivers the order with its email, and refuses bad signatures', async () => {
      const o = await packedOrder([{ sku: 'MUG-1', quantity: 2 }]);
      const label = await buyThroughPage(o.number);
      await handOver(o.number, label);
      const code = label.trackingNumber!;
      const at = (h: number) => new Date(clock.now().getTime() + h * HOUR);
      const outForDelivery = ep.trackerEvent(code, { status: 'out_for_delivery', message: 'Out for delivery', city: 'Parkersburg', state: 'WV', zip: '26101', datetime: at(20) });
      const delivered = ep.trackerEvent(code, { status: 'delivered', message: 'Delivered, front door', city: 'Parkersburg', state: 'WV', zip: '26101', datetime: at(22) });
      // A scan the carrier reports late, dated before the others.
      const lateScan = ep.trackerEvent(code, { status: 'in_transit', message: 'Departed facility', city: 'Columbus', state: 'OH', datetime: at(4) });

      const inject = (body: string, signature?: string) =>
        t.app.inject({ method: 'POST', url: '/api/v1/shipping/easypost/webhook', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hmac-signature': signature } : {}) }, payload: body });
      const { easyPostSignature } = await import('./fakes/easypost-objects.ts');
      const body = JSON.stringify(delivered);
      assert.equal((await inject(body)).statusCode, 401, 'unsigned');
      assert.equal((await inject(body, easyPostSignature('another-secret', body))).statusCode, 401, 'wrong secret');
      assert.equal((await inject(body.replace('Delivered, front door', 'Delivered, back door'), easyPostSignature(ep.webhookSecret, body))).statusCode, 401, 'body changed after signing');
      const shipmentId = (await labelsOf(o.number))[0]!.shipmentId!;
      assert.equal((await t.ctx.db.select().from(carrierEvents).where(eq(carrierEvents.shipmentId, shipmentId))).length, 0, 'nothing recorded from refused calls');

      const first = await inject(body, easyPostSignature(ep.webhookSecret, body));
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { received: true, known: true, recorded: 2, orderStatus: 'delivered' });
      const twice = await inject(body, easyPostSignature(ep.webhookSecret, body));
      assert.equal(twice.json().recorded, 0, 'the same delivery again records nothing');
      const older = JSON.stringify(outForDelivery);
      assert.equal((await inject(older, easyPostSignature(ep.webhookSecret, older))).json().recorded, 0, 'an older update arriving last records nothing new');
      const late = JSON.stringify(lateScan);
      const lateAnswer = await inject(late, easyPostSignature(ep.webhookSecret, late));
      assert.equal(lateAnswer.json().recorded, 1, 'only the late scan is new');

      const [parcel] = await t.ctx.db.select().from(shipments).where(eq(shipments.id, shipmentId));
      assert.equal(parcel!.status, 'delivered', 'an older scan never moves the parcel back');
      assert.equal((await orderRow(o.number)).status, 'delivered');
      const emails = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, o.id), eq(outbox.template, 'order_delivered')));
      assert.equal(emails.length, 1, 'one delivered email');

      const token = signTrackingToken(t.ctx.secret, o.number);
      const tracking = (await t.app.inject({ url: `/track?t=${encodeURIComponent(token)}` })).body;
      assert.ok(tracking.indexOf('Delivered, front door') < tracking.indexOf('Out for delivery'), 'newest first');
      assert.ok(tracking.indexOf('Out for delivery') < tracking.indexOf('Departed facility'));
      assert.match(tracking, /2 × Test Mug/);
    });

    it('ships a 3-line order in two parcels that each say what they carry, and delivers it only when all has arrived', async () => {
      const o = await packedOrder();
      const ids = await linesOf(o.number);
      const tooMany = await post(`/admin/orders/${o.number}/labels`, { package: 'Large box', [`items.${ids['LAMP-1']}`]: '3', [`items.${ids['MUG-1']}`]: '1', [`items.${ids['LAMP-2']}`]: '0' });
      assert.equal(tooMany.statusCode, 422);
      assert.match(tooMany.body, /Only 2 of LAMP-1 are left to ship/);

      const first = await buyThroughPage(o.number, { package: 'Large box', [`items.${ids['LAMP-1']}`]: '2', [`items.${ids['MUG-1']}`]: '1', [`items.${ids['LAMP-2']}`]: '0' });
      assert.equal(first.parcel.weightGrams, 2 * 1200 + 350 + 600);
      assert.equal((await handOver(o.number, first)).statusCode, 303);
      assert.equal((await orderRow(o.number)).status, 'shipped');

      // What is left is offered for the next parcel.
      const next = (await page(`/admin/orders/${o.number}`)).body;
      assert.match(next, /Test Lamp \(LAMP-2\), 1 left to ship/);
      assert.doesNotMatch(next, /\(MUG-1\), \d+ left to ship/);

      // The first parcel arrives while the lamp is still in the warehouse: the order is not delivered.
      const { easyPostSignature } = await import('./fakes/easypost-objects.ts');
      const deliver = async (code: string, h: number) => {
        const body = JSON.stringify(ep.trackerEvent(code, { status: 'delivered', message: 'Delivered', datetime: new Date(clock.now().getTime() + h * HOUR) }));
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/shipping/easypost/webhook', headers: { 'content-type': 'application/json', 'x-hmac-signature': easyPostSignature(ep.webhookSecret, body) }, payload: body });
        assert.equal(res.statusCode, 200, res.body);
        return res.json();
      };
      assert.equal((await deliver(first.trackingNumber!, 10)).orderStatus, 'shipped');

      const second = await buyThroughPage(o.number, { package: 'Medium box' });
      assert.deepEqual(second.items, [{ orderItemId: ids['LAMP-2'], quantity: 1 }], 'without lines given, the parcel carries what is left');
      assert.equal((await handOver(o.number, second, 'add')).statusCode, 303);

      const contents = await t.ctx.db
        .select({ shipmentId: shipmentItems.shipmentId, sku: orderItems.sku, quantity: shipmentItems.quantity })
        .from(shipmentItems)
        .innerJoin(orderItems, eq(orderItems.id, shipmentItems.orderItemId))
        .where(eq(orderItems.orderId, o.id));
      const [firstLabel, secondLabel] = [(await labelsOf(o.number)).find((l) => l.id === first.id)!, (await labelsOf(o.number)).find((l) => l.id === second.id)!];
      const skus = (shipmentId: string | null) => contents.filter((c) => c.shipmentId === shipmentId).map((c) => `${c.quantity}×${c.sku}`).sort();
      assert.deepEqual(skus(firstLabel.shipmentId), ['1×MUG-1', '2×LAMP-1']);
      assert.deepEqual(skus(secondLabel.shipmentId), ['1×LAMP-2']);

      const token = signTrackingToken(t.ctx.secret, o.number);
      const tracking = (await t.app.inject({ url: `/track?t=${encodeURIComponent(token)}` })).body;
      assert.match(tracking, /2 × Test Lamp/);
      assert.match(tracking, /1 × Test Lamp/);

      assert.equal((await deliver(second.trackingNumber!, 20)).orderStatus, 'delivered');
    });

    it('takes partial shipments through the admin API and shows each parcel\'s contents in the order JSON', async () => {
      const o = await packedOrder();
      const token = await staffToken(t, 'warehouse');
      const add = (payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/admin/orders/${o.number}/shipments`, headers: { authorization: `Bearer ${token}` }, payload });
      assert.equal((await add({ carrier: 'UPS', trackingNumber: '1Z999AA10123456701', items: [{ sku: 'VASE-1', quantity: 1 }] })).statusCode, 422);
      const first = await add({ carrier: 'UPS', trackingNumber: '1Z999AA10123456702', items: [{ sku: 'LAMP-1', quantity: 1 }] });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().status, 'shipped');
      assert.deepEqual(first.json().shipments[0].contents,  [{ sku: 'LAMP-1', name: 'Test Lamp', quantity: 1 }]);
      const rest = await add({ carrier: 'UPS', trackingNumber: '1Z999AA10123456703' });
      assert.deepEqual(
        rest.json().shipments.find((x: { trackingNumber: string }) => x.trackingNumber === '1Z999AA10123456703').contents.map((c: { sku: string; quantity: number }) => `${c.quantity}×${c.sku}`),
        ['1×LAMP-1', '1×MUG-1', '1×LAMP-2'],
      );
    });

    it('voids the label of a cancelled order through the outbox', async () => {
      const o = await packedOrder([{ sku: 'MUG-1', quantity: 1 }]);
      const label = await buyThroughPage(o.number, { package: 'Small box' });
      const owner = await staffSession(t, 'owner');
      const cancelled = await t.app.inject({
        method: 'POST',
        url: `/admin/orders/${o.number}/transitions`,
        cookies: owner.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', host: 'localhost' },
        payload: new URLSearchParams({ to: 'cancelled', cancelReason: 'Customer moved away', _csrf: owner.csrf }).toString(),
      });
      assert.equal(cancelled.statusCode, 303, cancelled.body.slice(0, 500));
      assert.equal((await labelsOf(o.number))[0]!.status, 'void_requested');
      assert.equal(ep.refunds.includes(label.providerShipmentId), false, 'nothing is asked before the cancellation commits and the worker runs');

      const worker = startOutboxWorker(t.ctx, { mailer: { send: async () => {} }, manual: true });
      try {
        while ((await worker.runOnce()) > 0);
      } finally {
        await worker.stop();
      }
      assert.ok(ep.refunds.includes(label.providerShipmentId));
      assert.equal(ep.shipment(label.providerShipmentId)!.refund_status, 'submitted');
      const [voided] = await labelsOf(o.number);
      assert.equal(voided!.status, 'voided');
      assert.match((await page(`/admin/orders/${o.number}`)).body, /voided, postage refunded/);
    });

    it('attaches a prepaid return label to an approved return and links it in the email', async () => {
      const o = await packedOrder([{ sku: 'MUG-1', quantity: 2 }]);
      await handOver(o.number, { trackingNumber: '9400111899223197428490' });
      await orderService.markDelivered(t.ctx, o.number, alex);
      const { applyForReturnFor } = await import('../src/domain/returns/return-application.ts');
      const { approveReturn } = await import('../src/domain/returns/return-review.ts');
      const opened = await applyForReturnFor(t.ctx, { id: o.id, number: o.number }, { type: 'return', items: [{ sku: 'MUG-1', quantity: 1 }], reason: 'damaged', condition: 'Chipped rim' });
      const rma = opened.number;
      await approveReturn(t.ctx, rma, alex);
      const support = await staffSession(t, 'support');
      const attach = () =>
        t.app.inject({
          method: 'POST',
          url: `/admin/returns/${rma}/return-label`,
          cookies: support.cookies,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', host: 'localhost' },
          payload: new URLSearchParams({ _csrf: support.csrf }).toString(),
        });
      const before = ep.purchases.length;
      const res = await attach();
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      assert.equal((await attach()).statusCode, 303, 'pressed twice');
      assert.equal(ep.purchases.length - before, 1, 'one return label');
      const [label] = (await labelsOf(o.number)).filter((l) => l.kind === 'return');
      assert.equal(label!.status, 'purchased');
      assert.equal(ep.shipment(label!.providerShipmentId)!.is_return, true);

      const [email] = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, o.id), eq(outbox.template, 'return_approved'))).orderBy(outbox.id).offset(1);
      const link = (email!.payload as { returnLabelUrl: string }).returnLabelUrl;
      assert.match(link, /^http:\/\/127\.0\.0\.1:3000\/returns\/label\?t=/);
      const pdf = await t.app.inject({ url: link.replace('http://127.0.0.1:3000', '') });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      assert.equal((await t.app.inject({ url: '/returns/label?t=forged.token.x' })).statusCode, 404);
      const { renderEmail } = await import('../src/emails/index.ts');
      const { emailRenderContext } = await import('../src/jobs/outbox-worker.ts');
      const rendered = renderEmail('return_approved', email!.payload as never, emailRenderContext(t.ctx));
      assert.match(rendered.html, /Print your prepaid return label/);
      assert.ok(rendered.text.includes(link), 'the plain-text email carries the link too');
    });

    it('lets the owner edit package presets and the ship-from address, with clear errors', async () => {
      const owner = await staffSession(t, 'owner');
      const send = (form: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/admin/settings/packages',
          cookies: owner.cookies,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', host: 'localhost' },
          payload: new URLSearchParams({ ...form, _csrf: owner.csrf }).toString(),
        });
      const shown = await t.app.inject({ url: '/admin/settings/packages', cookies: owner.cookies });
      assert.equal(shown.statusCode, 200);
      assert.match(shown.body, /value="Medium box"/);
      assert.match(shown.body, /value="30.5"/);
      const shipFrom = { 'shipFrom.name': 'CasanovaSpace', 'shipFrom.line1': '3850 Central Ave', 'shipFrom.line2': '', 'shipFrom.city': 'Parkersburg', 'shipFrom.state': 'wv', 'shipFrom.postalCode': '26104', 'shipFrom.phone': '' };
      const bad = await send({ ...shipFrom, 'packages.0.name': 'Tube', 'packages.0.length': '60', 'packages.0.width': 'ten', 'packages.0.height': '10', 'packages.0.emptyWeight': '80' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Enter the inner width in cm, like 30.5/);
      const saved = await send({ ...shipFrom, 'packages.0.name': 'Tube', 'packages.0.length': '60', 'packages.0.width': '10', 'packages.0.height': '10.5', 'packages.0.emptyWeight': '80', 'packages.1.name': '', 'packages.1.length': '', 'packages.1.width': '', 'packages.1.height': '', 'packages.1.emptyWeight': '' });
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
      const { loadSettings } = await import('../src/domain/settings/settings-service.ts');
      const parcels = (await loadSettings(t.ctx.db)).parcels;
      assert.deepEqual(parcels.packages, [{ name: 'Tube', lengthMm: 600, widthMm: 100, heightMm: 105, emptyWeightGrams: 80 }]);
      assert.equal(parcels.shipFrom.state, 'WV');
      assert.equal((await t.app.inject({ url: '/admin/settings/packages', cookies: staff.cookies })).statusCode, 403, 'warehouse staff cannot change presets');
      // Back to the default presets for the tests that follow.
      await changeSettings(t, (s) => ({ ...s, parcels: defaultSettings().parcels }));
    });

    it('keeps the typed handover working and answers 404 for the tracker webhook of an unknown provider', async () => {
      const o = await packedOrder([{ sku: 'MUG-1', quantity: 1 }]);
      const res = await post(`/admin/orders/${o.number}/transitions`, { to: 'shipped', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
      assert.equal(res.statusCode, 303);
      const [s] = await t.ctx.db.select().from(shipments).where(eq(shipments.orderId, o.id));
      assert.equal((await t.ctx.db.select().from(shipmentItems).where(eq(shipmentItems.shipmentId, s!.id)))[0]!.quantity, 1, 'a typed handover carries what is left');
      const other = await t.app.inject({ method: 'POST', url: '/api/v1/shipping/shippo/webhook', headers: { 'content-type': 'application/json' }, payload: '{}' });
      assert.equal(other.statusCode, 404);
    });
  });
}
