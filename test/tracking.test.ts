// Scenario tests: customers find their order by number plus email or phone (typed any way),
// without learning which orders exist; failed lookups are rate limited; signed links open the
// view; carriers post signed events (deduplicated, shown in time order, delivering the order);
// staff add events by hand; a delivered order's problem report opens a case. Both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { and, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder, type CheckoutOverrides } from './helpers/orders.ts';
import { addStaff } from './helpers/staff.ts';
import { insertPaidOrder } from './helpers/order-fixture.ts';
import { caseMessages, carrierEvents, orderEvents, orders, outbox, shipments, supportCases, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { readableNumber } from '../src/domain/shared/ids.ts';
import { signCarrierBody } from '../src/domain/shipments/carrier-events.ts';
import { signTrackingToken } from '../src/domain/tracking/tracking-token.ts';
import { LOOKUP_LIMITS, LOOKUP_NOT_FOUND } from '../src/domain/tracking/lookup.ts';
import { estimateProcessingEnd } from '../src/domain/tracking/estimate.ts';

const SECRET = 'carrier-webhook-secret-for-tests-0123456789';
const alex: Actor = { kind: 'staff', staffId: randomUUID(), email: 'alex@casanova.test' };
const MINUTE = 60_000;

const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const upsNumber = () => `1Z${randomBytes(8).toString('hex').toUpperCase()}`;
const encode = (form: Record<string, string>) => new URLSearchParams(form).toString();

/** A multipart/form-data body as a browser sends it. */
function multipart(fields: Record<string, string>, files: { name: string; filename: string; type: string; data: Buffer }[] = []) {
  const boundary = `----casanova${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`order tracking on ${kind}`, { skip }, () => {
    let t: TestApp;
    // Monday 9:00 in New York: the warehouse is open.
    const clock = fixedClock('2025-03-03T14:00:00Z');

    before(async () => {
      t = await testApp(kind, { env: { CARRIER_WEBHOOK_SECRET: SECRET }, overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
      await t.ctx.db.update(variants).set({ stock: 10_000 }).where(eq(variants.sku, 'MUG-1'));
    });
    after(() => t?.close());

    const orderId = async (number: string) => (await t.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, number)))[0]!.id;
    const statusOf = async (number: string) => (await t.ctx.db.select({ s: orders.status }).from(orders).where(eq(orders.number, number)))[0]!.s;
    const track = (orderNumber: string, contact: string, ip = '192.0.2.10') =>
      t.app.inject({ method: 'POST', url: '/api/v1/tracking', remoteAddress: ip, payload: { orderNumber, contact } });
    /** Posts a carrier event, signed right unless `signature` says otherwise (null: no header). */
    const postEvent = (carrier: string, body: unknown, signature: string | null = signCarrierBody(SECRET, JSON.stringify(body))) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/carriers/${carrier}/events`,
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-casanova-signature': signature } : {}) },
        payload: JSON.stringify(body),
      });

    /** A real order (checkout API) moved by staff to `shipped` with a UPS parcel. */
    async function shippedOrder(body: CheckoutOverrides = {}) {
      const receipt = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }], { body });
      await orderService.verify(t.ctx, receipt.number, alex);
      await orderService.startPreparing(t.ctx, receipt.number, alex);
      await orderService.markPacked(t.ctx, receipt.number, alex);
      const trackingNumber = upsNumber();
      const { shipment } = await orderService.ship(t.ctx, receipt.number, alex, { carrier: 'UPS', trackingNumber });
      return { number: receipt.number, trackingNumber, shipmentId: shipment!.id };
    }

    /** Carrier events below happen on March 4–5: the clock must be past them. */
    const afterCarrierEvents = () => {
      if (clock.now() < new Date('2025-03-06T15:00:00Z')) clock.set('2025-03-06T15:00:00Z');
    };

    async function deliveredOrder() {
      const o = await shippedOrder();
      await orderService.markDelivered(t.ctx, o.number, alex);
      return o;
    }

    it('finds an order from its number in any case, with or without dashes or spaces or prefix, and the email or phone in any common format', async () => {
      const receipt = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 1 }], { body: { email: 'Casey.Jones@Example.com', phone: '(304) 555-0142' } });
      const n = receipt.number; // CS-XXXX-XXXX
      const numbers = [n, n.toLowerCase(), n.replace(/-/g, ''), n.replace(/-/g, ' '), ` ${n.toLowerCase().replace(/-/g, '  ')} `, n.slice(3)];
      const contacts = ['casey.jones@example.com', 'CASEY.JONES@EXAMPLE.COM', ' Casey.Jones@Example.com ', '304-555-0142', '(304) 555 0142', '+1 304 555 0142', '3045550142'];
      for (const number of numbers) {
        for (const contact of contacts) {
          const res = await track(number, contact);
          assert.equal(res.statusCode, 200, `${number} + ${contact}: ${res.body}`);
          assert.equal(res.json().number, n);
        }
      }
      const view = (await track(n, '304-555-0142')).json();
      assert.equal(view.status, 'paid');
      assert.deepEqual(
        view.stages.map((s: { name: string; state: string }) => [s.name, s.state]),
        [
          ['placed', 'current'],
          ['verified', 'upcoming'],
          ['preparing', 'upcoming'],
          ['packed', 'upcoming'],
          ['shipped', 'upcoming'],
          ['delivered', 'upcoming'],
        ],
      );
      const [row] = await t.ctx.db.select({ createdAt: orders.createdAt }).from(orders).where(eq(orders.number, n));
      assert.equal(view.stages[0].at, row!.createdAt.toISOString());
      assert.equal(view.stages[1].at, null);
      assert.ok(view.estimate, 'an order in processing has an estimate');
      assert.ok(new Date(view.estimate.processingEndsAt) > clock.now());
      // Personal data partly hidden.
      assert.deepEqual(view.customer, {
        email: 'C•••@e•••.com',
        phone: '•••-•••-0142',
        address: { name: 'J. D.', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' },
      });
      assert.doesNotMatch(JSON.stringify(view), /12 Market St|Jane|casey\.jones/i);
    });

    it('shows every change at once although views are cached: each change to the order drops its cached view', async () => {
      const receipt = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 1 }]);
      const view = async () => (await track(receipt.number, 'jane.doe@example.com')).json();
      assert.equal((await view()).status, 'paid');
      await orderService.verify(t.ctx, receipt.number, alex);
      // The trigger's notification arrives right after the commit.
      let status = '';
      for (let i = 0; i < 50 && status !== 'verified'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await view()).status;
      }
      assert.equal(status, 'verified');
    });

    it('answers an unknown order and a wrong email or phone with the same 404', async () => {
      const { number } = await shippedOrder();
      const unknown = readableNumber('CS-');
      const answers = [
        await track(unknown, 'jane.doe@example.com', newIp()),
        await track(number, 'someone.else@example.com', newIp()),
        await track(number, '304-555-0199', newIp()),
        await track(unknown, '304-555-0142', newIp()),
      ];
      for (const res of answers) {
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { error: { code: 'not_found', message: LOOKUP_NOT_FOUND } });
        assert.equal(res.headers['retry-after'], undefined);
      }
      // The page says the same thing both ways.
      const page = async (orderNumber: string, contact: string) =>
        t.app.inject({ method: 'POST', url: '/track', remoteAddress: newIp(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encode({ orderNumber, contact }) });
      const [a, b] = [await page(unknown, 'jane.doe@example.com'), await page(number, 'someone.else@example.com')];
      assert.equal(a.statusCode, 404);
      assert.equal(b.statusCode, 404);
      for (const res of [a, b]) assert.ok(res.body.includes(LOOKUP_NOT_FOUND.replace(/'/g, '&#39;')) || res.body.includes(LOOKUP_NOT_FOUND));
      // Input that cannot be an order number or a contact names the field instead (reveals nothing).
      const bad = await track('hello', 'not a contact', newIp());
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(Object.keys(bad.json().error.details.fields).sort(), ['contact', 'orderNumber']);
    });

    it('refuses lookups after repeated failures per order number and per address (429 with Retry-After), while other lookups still work', async () => {
      const target = await shippedOrder();
      const other = await shippedOrder();
      const ip = newIp();
      for (let i = 0; i < LOOKUP_LIMITS.perOrder.limit; i++) assert.equal((await track(target.number, `guess${i}@example.com`, ip)).statusCode, 404);
      // The order number is now locked from everywhere, even with the right email.
      for (const from of [ip, newIp()]) {
        const refused = await track(target.number, 'jane.doe@example.com', from);
        assert.equal(refused.statusCode, 429);
        assert.equal(refused.json().error.code, 'rate_limited');
        const wait = Number(refused.headers['retry-after']);
        assert.ok(wait > 0 && wait <= 15 * 60, `Retry-After ${refused.headers['retry-after']}`);
      }
      // Another order from the same address: fine (5 failures < 10 per address).
      assert.equal((await track(other.number, 'jane.doe@example.com', ip)).statusCode, 200);

      // Sweeping order numbers from one address.
      const sweeper = newIp();
      for (let i = 0; i < LOOKUP_LIMITS.perIp.limit; i++) assert.equal((await track(readableNumber('CS-'), 'jane.doe@example.com', sweeper)).statusCode, 404);
      const blocked = await track(other.number, 'jane.doe@example.com', sweeper);
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
      // The form says so too.
      const form = await t.app.inject({
        method: 'POST',
        url: '/track',
        remoteAddress: sweeper,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ orderNumber: other.number, contact: 'jane.doe@example.com' }),
      });
      assert.equal(form.statusCode, 429);
      assert.ok(form.headers['retry-after']);
      assert.match(form.body, /Too many unsuccessful attempts/);
      // Everyone else is unaffected; successful lookups are never counted.
      for (let i = 0; i < 15; i++) assert.equal((await track(other.number, '304-555-0142', newIp())).statusCode, 200);
      for (let i = 0; i < 15; i++) assert.equal((await track(other.number, '304-555-0142', ip)).statusCode, 200);
      // The window ends.
      clock.advance(LOOKUP_LIMITS.perIp.windowMs + MINUTE);
      assert.equal((await track(other.number, 'jane.doe@example.com', sweeper)).statusCode, 200);
      assert.equal((await track(target.number, 'jane.doe@example.com', ip)).statusCode, 200);
    });

    it('looks up by form and redirects to a signed link without personal data; signed links open the view, tampered or expired ones are refused', async () => {
      const { number } = await shippedOrder();
      const form = await t.app.inject({
        method: 'POST',
        url: '/track',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ orderNumber: number.toLowerCase(), contact: '+1 304 555 0142' }),
      });
      assert.equal(form.statusCode, 303);
      const location = form.headers.location as string;
      assert.match(location, /^\/track\?t=/);
      assert.doesNotMatch(decodeURIComponent(location), /304|555|0142|jane|example/i);
      const view = await t.app.inject({ url: location });
      assert.equal(view.statusCode, 200);
      assert.match(view.body, new RegExp(`Order <strong>${number}</strong>`));
      assert.match(view.body, /On its way/);
      assert.match(view.headers['cache-control'] as string, /no-store/);
      assert.match(view.body, /J\. D\./);
      assert.doesNotMatch(view.body, /12 Market St|jane\.doe/);

      const token = signTrackingToken(t.ctx.secret, number, new Date(clock.now().getTime() + 3600_000));
      const ok = await t.app.inject({ url: `/track?t=${encodeURIComponent(token)}` });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /Order placed/);

      const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      const forged = signTrackingToken('another-secret-another-secret-another', number);
      const expired = signTrackingToken(t.ctx.secret, number, new Date(clock.now().getTime() - 1000));
      for (const bad of [tampered, forged, expired, 'nonsense']) {
        const res = await t.app.inject({ url: `/track?t=${encodeURIComponent(bad)}` });
        assert.equal(res.statusCode, 403);
        assert.match(res.body, /This tracking link has expired or is not valid/);
        assert.match(res.body, /Track order/);
        assert.doesNotMatch(res.body, new RegExp(number));
      }
    });

    it('accepts carrier events only with a valid signature, and says so when no secret is configured', async () => {
      afterCarrierEvents();
      const { trackingNumber } = await shippedOrder();
      const event = { trackingNumber, status: 'in_transit', occurredAt: '2025-03-04T10:00:00-05:00', location: 'Columbus, OH', description: 'Arrived at facility', eventId: 'evt-1' };
      const missing = await postEvent('ups', event, null);
      assert.equal(missing.statusCode, 401);
      assert.equal(missing.json().error.code, 'unauthorized');
      const wrong = await postEvent('ups', event, signCarrierBody('not-the-secret-at-all-1234', JSON.stringify(event)));
      assert.equal(wrong.statusCode, 401);
      const garbled = await postEvent('ups', event, 'sha256=zz');
      assert.equal(garbled.statusCode, 401);
      // Signed over other bytes (the same JSON re-serialised with spaces) does not count.
      const spaced = await postEvent('ups', event, signCarrierBody(SECRET, JSON.stringify(event, null, 2)));
      assert.equal(spaced.statusCode, 401);
      assert.equal((await t.ctx.db.select().from(carrierEvents).where(eq(carrierEvents.eventKey, 'id:evt-1'))).length, 0);

      const right = await postEvent('ups', event);
      assert.equal(right.statusCode, 200, right.body);
      assert.deepEqual(right.json(), { recorded: true, shipmentStatus: 'in_transit', orderStatus: 'shipped' });

      const unknown = await postEvent('ups', { ...event, trackingNumber: upsNumber() });
      assert.equal(unknown.statusCode, 404);
      const badBody = await postEvent('ups', { ...event, status: 'teleported' });
      assert.equal(badBody.statusCode, 422);

      const bare = await testApp(kind);
      try {
        const res = await bare.app.inject({ method: 'POST', url: '/api/v1/carriers/ups/events', headers: { 'content-type': 'application/json', 'x-casanova-signature': signCarrierBody(SECRET, JSON.stringify(event)) }, payload: JSON.stringify(event) });
        assert.equal(res.statusCode, 503);
        assert.match(res.json().error.message, /CARRIER_WEBHOOK_SECRET/);
      } finally {
        await bare.close();
      }
    });

    it('records the same event once and shows events that arrive out of order in time order', async () => {
      afterCarrierEvents();
      const o = await shippedOrder();
      const later = { trackingNumber: o.trackingNumber.toLowerCase(), status: 'out_for_delivery', occurredAt: '2025-03-05T08:10:00-05:00', location: 'Parkersburg, WV', description: 'Out for delivery' };
      const earlier = { trackingNumber: o.trackingNumber, status: 'in_transit', occurredAt: '2025-03-04T21:30:00-05:00', location: 'Columbus, OH', description: 'Departed facility', eventId: 'ups-77' };
      assert.equal((await postEvent('ups', later)).json().recorded, true);
      assert.equal((await postEvent('ups', earlier)).json().recorded, true);
      // Retries: by event id, and by content for an event without one.
      const again = await postEvent('ups', { ...earlier, description: 'Departed facility (resent)' });
      assert.deepEqual(again.json(), { recorded: false, shipmentStatus: 'out_for_delivery', orderStatus: 'shipped' });
      assert.equal((await postEvent('UPS', later)).json().recorded, false);
      const stored = await t.ctx.db.select().from(carrierEvents).where(eq(carrierEvents.shipmentId, o.shipmentId));
      assert.equal(stored.length, 2);

      // The shipment follows the latest event in time, not the last to arrive.
      const [s] = await t.ctx.db.select().from(shipments).where(eq(shipments.id, o.shipmentId));
      assert.equal(s!.status, 'out_for_delivery');

      const view = (await track(o.number, 'jane.doe@example.com')).json();
      assert.deepEqual(
        view.shipments[0].events.map((e: { status: string; occurredAt: string }) => [e.status, e.occurredAt]),
        [
          ['in_transit', '2025-03-05T02:30:00.000Z'],
          ['out_for_delivery', '2025-03-05T13:10:00.000Z'],
        ],
      );
      assert.equal(view.shipments[0].trackingUrl, `https://www.ups.com/track?tracknum=${o.trackingNumber}`);
      assert.equal(view.estimate, undefined, 'no processing estimate once shipped');
      // The page shows the newest first, with times in the shop's zone.
      const token = signTrackingToken(t.ctx.secret, o.number);
      const page = (await t.app.inject({ url: `/track?t=${encodeURIComponent(token)}` })).body;
      assert.ok(page.indexOf('Out for delivery') < page.indexOf('Departed facility'));
      assert.match(page, /Wed, Mar 5, 8:10 AM ET/);
      assert.match(page, /Tue, Mar 4, 9:30 PM ET/);
      assert.match(page, /Track on the UPS website/);
    });

    it('delivers the order when the last open parcel is delivered, and emails the customer once', async () => {
      afterCarrierEvents();
      const o = await shippedOrder();
      const second = upsNumber();
      await orderService.addShipment(t.ctx, o.number, alex, { carrier: 'UPS', trackingNumber: second });
      const delivered = (trackingNumber: string, eventId: string) => ({ trackingNumber, status: 'delivered', occurredAt: '2025-03-05T11:00:00-05:00', location: 'Parkersburg, WV', description: 'Left at front door', eventId });

      const first = await postEvent('ups', delivered(o.trackingNumber, 'd-1'));
      assert.deepEqual(first.json(), { recorded: true, shipmentStatus: 'delivered', orderStatus: 'shipped' });
      assert.equal(await statusOf(o.number), 'shipped', 'one parcel is still on its way');

      const last = await postEvent('ups', delivered(second, 'd-2'));
      assert.deepEqual(last.json(), { recorded: true, shipmentStatus: 'delivered', orderStatus: 'delivered' });
      assert.equal(await statusOf(o.number), 'delivered');
      assert.equal((await postEvent('ups', delivered(second, 'd-2'))).json().recorded, false);

      const id = await orderId(o.number);
      const mail = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, id), eq(outbox.template, 'order_delivered')));
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.recipient, 'jane.doe@example.com');
      const transition = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, id), eq(orderEvents.toStatus, 'delivered')));
      assert.equal(transition[0]!.actor, 'system:carrier');
      const [parcel] = await t.ctx.db.select().from(shipments).where(eq(shipments.id, o.shipmentId));
      assert.equal(parcel!.deliveredAt?.toISOString(), '2025-03-05T16:00:00.000Z', 'delivered when the carrier says, not when we heard');

      const view = (await track(o.number, 'jane.doe@example.com')).json();
      assert.equal(view.status, 'delivered');
      assert.ok(view.stages.every((s: { state: string; at: string | null }) => s.state === 'done' && s.at));
    });

    it('lets staff add a carrier event by hand from the order page', async () => {
      afterCarrierEvents();
      const o = await shippedOrder();
      const member = await addStaff(t.ctx, 'warehouse');
      const login = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password, next: '/admin' }),
      });
      const session = login.cookies.find((c) => c.name === 'staff_session')!.value;
      const orderPage = await t.app.inject({ url: `/admin/orders/${o.number}`, cookies: { staff_session: session }, headers: { accept: 'text/html' } });
      assert.equal(orderPage.statusCode, 200);
      assert.match(orderPage.body, /Add a carrier event by hand/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(orderPage.body)![1]!;
      const url = `/admin/orders/${o.number}/shipments/${o.shipmentId}/events`;
      const form = { status: 'delivered', occurredAt: '2025-03-05T14:20', location: 'Parkersburg, WV', description: 'Customer phoned: received' };

      const noCsrf = await t.app.inject({ method: 'POST', url, cookies: { staff_session: session }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encode(form) });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(await statusOf(o.number), 'shipped');

      const res = await t.app.inject({ method: 'POST', url, cookies: { staff_session: session }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encode({ ...form, _csrf: csrf }) });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/admin/orders/${o.number}#shipments`);
      assert.equal(await statusOf(o.number), 'delivered');
      const [e] = await t.ctx.db.select().from(carrierEvents).where(eq(carrierEvents.shipmentId, o.shipmentId));
      assert.equal(e!.source, 'staff');
      assert.equal(e!.occurredAt.toISOString(), '2025-03-05T19:20:00.000Z', 'read in the shop time zone');
      const events = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, await orderId(o.number)), eq(orderEvents.type, 'carrier_event')));
      assert.equal(events[0]!.actor, member.email);
    });

    it('turns a problem report on a delivered order into a support case with photos and an acknowledgement email', async () => {
      const o = await deliveredOrder();
      const token = signTrackingToken(t.ctx.secret, o.number);
      const page = await t.app.inject({ url: `/track?t=${encodeURIComponent(token)}` });
      assert.match(page.body, /Please check your parcel/);
      assert.match(page.body, /id="report"/);
      const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a33' } }).jpeg().toBuffer();
      const url = `/track/report?t=${encodeURIComponent(token)}`;

      const missing = multipart({ problem: 'packaging_damaged', description: '  ' });
      const refused = await t.app.inject({ method: 'POST', url, ...missing });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Describe what you found/);
      const notAPicture = multipart({ problem: 'packaging_damaged', description: 'Box crushed' }, [{ name: 'photos', filename: 'x.jpg', type: 'image/jpeg', data: Buffer.from('not an image') }]);
      assert.equal((await t.app.inject({ method: 'POST', url, ...notAPicture })).statusCode, 422);
      const tooMany = multipart(
        { problem: 'packaging_damaged', description: 'Box crushed' },
        Array.from({ length: 4 }, (_, i) => ({ name: 'photos', filename: `p${i}.jpg`, type: 'image/jpeg', data: photo })),
      );
      const four = await t.app.inject({ method: 'POST', url, ...tooMany });
      assert.equal(four.statusCode, 422);
      assert.match(four.body, /at most 3 photos/);
      assert.match(four.body, /<textarea[^>]*>Box crushed<\/textarea>/, 'what was typed is kept');
      assert.match(four.body, /value="packaging_damaged" checked/);
      assert.equal((await t.ctx.db.select().from(supportCases).where(eq(supportCases.orderId, await orderId(o.number)))).length, 0);

      const ok = multipart({ problem: 'packaging_damaged', description: 'The box was crushed on one corner.' }, [{ name: 'photos', filename: 'box.jpg', type: 'image/jpeg', data: photo }]);
      const res = await t.app.inject({ method: 'POST', url, ...ok });
      assert.equal(res.statusCode, 303, res.body);
      const caseNumber = /case=(SC-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(res.headers.location as string)?.[1];
      assert.ok(caseNumber, res.headers.location as string);

      const id = await orderId(o.number);
      const [c] = await t.ctx.db.select().from(supportCases).where(eq(supportCases.number, caseNumber));
      assert.equal(c!.kind, 'delivery_problem');
      assert.equal(c!.orderId, id);
      assert.equal(c!.email, 'jane.doe@example.com');
      // Monday 9:00 ET + 4 service hours → 13:00 ET would fall in lunch: 9–12, then 14–15.
      assert.ok(c!.dueAt > clock.now());
      const [m] = await t.ctx.db.select().from(caseMessages).where(eq(caseMessages.caseId, c!.id));
      assert.equal(m!.body, 'The box was crushed on one corner.');
      assert.equal(m!.attachments.length, 1);
      assert.match(m!.attachments[0]!, /^photo\//);
      // Customer photos are not public.
      assert.equal((await t.app.inject({ url: `/images/${m!.attachments[0]}` })).statusCode, 404);

      const mail = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, id), eq(outbox.template, 'delivery_problem_received')));
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.caseId, c!.id);
      assert.equal((mail[0]!.payload as { caseNumber: string }).caseNumber, caseNumber);
      const events = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, id), eq(orderEvents.type, 'support_case')));
      assert.equal(events.length, 1);

      const confirmation = await t.app.inject({ url: res.headers.location as string });
      assert.match(confirmation.body, new RegExp(`Your case number is <strong>${caseNumber}</strong>`));
      assert.match(confirmation.body, /Your reports and messages/);

      // Before delivery there is nothing to report yet.
      const shipped = await shippedOrder();
      const early = await t.app.inject({ method: 'POST', url: `/track/report?t=${encodeURIComponent(signTrackingToken(t.ctx.secret, shipped.number))}`, ...multipart({ problem: 'other', description: 'Where is it?' }) });
      assert.equal(early.statusCode, 409);
    });
  });

  describe(`processing estimate on ${kind}`, { skip }, () => {
    let t: TestApp;
    // Monday 9:00 in New York.
    const clock = fixedClock('2025-03-03T14:00:00Z');
    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
      await t.ctx.db.update(variants).set({ stock: 10_000 }).where(eq(variants.sku, 'MUG-1'));
    });
    after(() => t?.close());

    const estimateOf = async (number: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/tracking', payload: { orderNumber: number, contact: 'jane.doe@example.com' } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().estimate?.processingEndsAt as string | undefined;
    };

    it('estimates when processing will finish from recent stage times, working hours and how busy the warehouse is', async () => {
      // Three recent orders: 30 min to verify, 60 to start preparing, 30 to pack, 15 to hand over.
      const recent: { number: string }[] = [];
      for (let i = 0; i < 3; i++) recent.push(await insertPaidOrder(t.ctx, { items: [{ sku: 'MUG-1', quantity: 1 }] }));
      const step = async (minutes: number, verb: (n: string) => Promise<unknown>) => {
        clock.advance(minutes * MINUTE);
        for (const o of recent) await verb(o.number);
      };
      await step(30, (n) => orderService.verify(t.ctx, n, alex));
      await step(60, (n) => orderService.startPreparing(t.ctx, n, alex));
      await step(30, (n) => orderService.markPacked(t.ctx, n, alex));
      await step(15, (n) => orderService.ship(t.ctx, n, alex, { carrier: 'UPS', trackingNumber: upsNumber() }));

      // 11:15 ET: a new order needs 30 + 60 + 30 + 15 = 135 working minutes: 45 before lunch, 90 after → 15:30 ET.
      const fresh = await insertPaidOrder(t.ctx, { items: [{ sku: 'MUG-1', quantity: 1 }] });
      assert.equal(await estimateOf(fresh.number), '2025-03-03T20:30:00.000Z');

      // Five more orders arrive: six waiting where usually almost none are → at most three times as long.
      for (let i = 0; i < 5; i++) await insertPaidOrder(t.ctx, { items: [{ sku: 'MUG-1', quantity: 1 }] });
      clock.advance(6 * MINUTE); // past the few minutes the figures are kept
      const medians = { paid: 30 * MINUTE, verified: 60 * MINUTE, preparing: 30 * MINUTE, packed: 15 * MINUTE };
      const expected = estimateProcessingEnd({
        hours: t.ctx.settings().serviceHours,
        now: clock.now(),
        status: 'paid',
        enteredStatusAt: new Date('2025-03-03T16:15:00Z'),
        medianStageMillis: medians,
        queueFactor: 3,
      });
      assert.equal(await estimateOf(fresh.number), expected!.toISOString());

      // Handed over: no estimate any more.
      await orderService.verify(t.ctx, fresh.number, alex);
      await orderService.startPreparing(t.ctx, fresh.number, alex);
      await orderService.markPacked(t.ctx, fresh.number, alex);
      await orderService.ship(t.ctx, fresh.number, alex, { carrier: 'UPS', trackingNumber: upsNumber() });
      assert.equal(await estimateOf(fresh.number), undefined);
    });
  });
}
