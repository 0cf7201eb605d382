// Sales tax and shipping rates a US shop can file: West Virginia taxes shipping and another
// state does not, an exempt category carries no tax, the order keeps its tax per
// jurisdiction (shown on the order page and in the admin JSON), a refund of one of three
// units gives back exact shares, the monthly CSV adds up to the orders' tax to the cent,
// the dashboard meters sales per state against the nexus threshold, and zones, tax rules
// and weights are edited through the back-office forms with clear errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { DB_KINDS } from './helpers/databases.ts';
import { DateTime } from 'luxon';
import { changeSettings, testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { staffSession, staffToken } from './helpers/staff.ts';
import { orderEvents, orders, products, variants } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { settingsToForm } from '../src/http/admin/settings-form.ts';
import type { OrderReceipt } from '../src/domain/checkout/order-receipt.ts';

const staff: Actor = { kind: 'staff', staffId: randomUUID(), email: 'wes@casanova.test' };
const ip = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

for (const { kind, skip } of DB_KINDS) {
  describe(`sales tax and shipping rates on ${kind}`, { skip }, () => {
    let t: TestApp;
    let supportToken: string;
    // Orders are stamped by the database clock, so the report covers the real current month.
    const thisMonth = DateTime.now().setZone('America/New_York').toFormat('yyyy-MM');
    const orderRow = async (number: string) => (await t.ctx.db.select().from(orders).where(eq(orders.number, number)))[0]!;

    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, [
        ...basicCatalog,
        // 3 × 10.05 = 30.15: a line whose tax does not split evenly over its units.
        { slug: 'test-throw', name: 'Test Throw', category: 'textiles', variants: [{ sku: 'THROW-1', price: 1005, stock: 500 }] },
        { slug: 'test-coffee', name: 'Test Coffee Beans', category: 'kitchen', variants: [{ sku: 'COFFEE-1', price: 1800, stock: 100 }] },
      ]);
      await t.ctx.db.update(products).set({ taxCategory: 'groceries' }).where(eq(products.slug, 'test-coffee'));
      await t.ctx.db.update(variants).set({ stock: 1000 }).where(eq(variants.sku, 'MUG-1'));
      supportToken = await staffToken(t, 'support');
    });
    after(() => t?.close());

    it('charges West Virginia tax on the goods and on shipping, and keeps it per jurisdiction on the order', async () => {
      const o = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }]);
      // $30 of goods + $6.95 shipping, 6% of both.
      assert.deepEqual(o.totals, { subtotal: 3000, discount: 0, shipping: 695, tax: 180 + 42, total: 3000 + 695 + 222 });
      const row = await orderRow(o.number);
      assert.equal(row.shippingTax, 42);
      assert.deepEqual(row.taxBreakdown, [{ code: 'US-WV', name: 'West Virginia', rateBp: 600, taxable: 3695, tax: 222 }]);

      const api = await t.app.inject({ url: `/api/v1/admin/orders/${o.number}`, headers: { authorization: `Bearer ${supportToken}` } });
      assert.equal(api.statusCode, 200, api.body);
      assert.deepEqual(api.json().taxBreakdown, {
        shipping: { amount: 42, currency: 'USD' },
        jurisdictions: [{ code: 'US-WV', name: 'West Virginia', rate: '6', taxable: { amount: 3695, currency: 'USD' }, tax: { amount: 222, currency: 'USD' } }],
      });
      const { cookies } = await staffSession(t, 'support');
      const page = await t.app.inject({ url: `/admin/orders/${o.number}`, cookies });
      assert.match(page.body, /West Virginia \(6% of \$36\.95\)<\/span><span>\$2\.22/);
      assert.match(page.body, /of which on shipping<\/span><span>\$0\.42/);
    });

    it('taxes only the goods where the state leaves shipping untaxed, and nothing where the store collects none', async () => {
      await changeSettings(t, (s) => ({ ...s, taxRates: { ...s.taxRates, PA: 600 } }));
      const pa = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }], { body: { shippingAddress: { state: 'PA', city: 'Pittsburgh', postalCode: '15201' } } });
      assert.deepEqual([pa.totals.shipping, pa.totals.tax], [695, 180]);
      assert.equal((await orderRow(pa.number)).shippingTax, 0);
      const oh = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }], { body: { shippingAddress: { state: 'OH', city: 'Marietta', postalCode: '45750' } } });
      assert.equal(oh.totals.tax, 0);
      assert.deepEqual((await orderRow(oh.number)).taxBreakdown, []);
    });

    it('leaves an exempt category untaxed and taxes the rest of the same order; the cart shows the same cents', async () => {
      const cart = await t.app.inject({ method: 'POST', url: '/api/v1/carts', payload: { items: [{ sku: 'COFFEE-1', quantity: 1 }, { sku: 'MUG-1', quantity: 1 }] } });
      assert.equal(cart.statusCode, 201, cart.body);
      const estimate = await t.app.inject({ url: `/api/v1/carts/${cart.json().id}?state=WV` });
      // Coffee is food (exempt in West Virginia); the mug and the shipping are taxed.
      assert.deepEqual(estimate.json().totals, { subtotal: 3300, discount: 0, shipping: 695, tax: 90 + 42, total: 3300 + 695 + 132 });
      const o = await placeTestOrder(t, [{ sku: 'COFFEE-1', quantity: 1 }, { sku: 'MUG-1', quantity: 1 }]);
      assert.deepEqual(o.totals, estimate.json().totals);
      assert.deepEqual(
        o.items.map((i) => [i.sku, i.tax]),
        [
          ['COFFEE-1', 0],
          ['MUG-1', 90],
        ],
      );
    });

    it('refunds one of three units with the exact tax share, and all three give back exactly what was charged', async () => {
      const o = await placeTestOrder(t, [{ sku: 'THROW-1', quantity: 3 }]);
      await orderService.verify(t.ctx, o.number, staff);
      await orderService.startPreparing(t.ctx, o.number, staff);
      await orderService.markPacked(t.ctx, o.number, staff);
      await orderService.ship(t.ctx, o.number, staff, { carrier: 'other', trackingNumber: `PARCEL${randomInt(1e9)}` });
      await orderService.markDelivered(t.ctx, o.number, staff);
      const refundUnits = async (quantity: number) => {
        const applied = await t.app.inject({
          method: 'POST',
          url: '/api/v1/returns',
          remoteAddress: ip(),
          payload: { orderNumber: o.number, contact: o.email, type: 'refund', reason: 'no_longer_needed', condition: 'Unused.', items: [{ sku: 'THROW-1', quantity }] },
        });
        assert.equal(applied.statusCode, 201, applied.body);
        const id = applied.json().id as string;
        for (const action of ['approve', 'refund']) {
          const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/returns/${id}/${action}`, headers: { authorization: `Bearer ${supportToken}` } });
          assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
        }
      };
      await refundUnits(1);
      await refundUnits(2);
      const events = await t.ctx.db
        .select({ details: orderEvents.details })
        .from(orderEvents)
        .innerJoin(orders, eq(orders.id, orderEvents.orderId))
        .where(sql`${orders.number} = ${o.number} and ${orderEvents.type} = 'return' and ${orderEvents.details} ? 'refundId'`)
        .orderBy(orderEvents.id);
      const shares = events.map((e) => e.details.jurisdictions as { code: string; tax: number }[]);
      // 30.15 × 6% = 1.809 → 1.81 on the goods: 0.60 for the first unit, 1.21 for the other two.
      assert.deepEqual(shares, [[{ code: 'US-WV', tax: 60 }], [{ code: 'US-WV', tax: 121 }]]);
      const row = await orderRow(o.number);
      assert.equal(shares.flat().reduce((n, s) => n + s.tax, 0), row.tax - row.shippingTax, 'the goods tax comes back to the cent; shipping was not refunded');
    });

    it('downloads tax collected by state and month, adding up to the orders’ tax to the cent (owner only)', async () => {
      const { cookies } = await staffSession(t, 'owner');
      const csv = await t.app.inject({ url: `/admin/reports/tax.csv?from=${thisMonth}&to=${thisMonth}`, cookies });
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const rows = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
      const cents = (s: string) => Math.round(Number(s) * 100);
      const [charged] = await t.ctx.db.select({ tax: sql<number>`sum(${orders.tax})::int`, n: sql<number>`count(*)::int` }).from(orders).where(sql`${orders.status} <> 'cancelled'`);
      assert.equal(rows.reduce((n, r) => n + cents(r['Tax charged']!), 0), charged!.tax);
      assert.equal(rows.reduce((n, r) => n + Number(r.Orders), 0), charged!.n);
      const wv = rows.find((r) => r.State === 'WV')!;
      assert.equal(cents(wv['Tax refunded']!), 181);
      assert.equal(cents(wv['Net tax']!), cents(wv['Tax charged']!) - 181);
      assert.ok(rows.find((r) => r.State === 'PA'), 'every state with sales has a row');

      const page = await t.app.inject({ url: `/admin/reports/tax?from=${thisMonth}`, cookies });
      assert.match(page.body, /Sales tax by state/);
      const bad = await t.app.inject({ url: '/admin/reports/tax?from=2026-13', cookies });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Choose months as YYYY-MM/);
      const support = await staffSession(t, 'support');
      assert.equal((await t.app.inject({ url: '/admin/reports/tax.csv', cookies: support.cookies })).statusCode, 403);
    });

    it('meters this year’s sales per state against the nexus threshold on the owner’s dashboard', async () => {
      await changeSettings(t, (s) => ({ ...s, nexus: { ...s.nexus, states: { OH: { sales: 10_000, transactions: null } } } }));
      const { cookies } = await staffSession(t, 'owner');
      const page = await t.app.inject({ url: '/admin', cookies });
      assert.match(page.body, /Sales tax: economic nexus this year/);
      // Ohio: one $36.95 order against a $100 threshold.
      assert.match(page.body, /Ohio<\/span><meter[^>]*value="37"[^>]*aria-label="Ohio: 37% of the nexus threshold"/);
      assert.match(page.body, /West Virginia<span class="pill pill-ok">Collecting/);
      const support = await staffSession(t, 'support');
      assert.doesNotMatch((await t.app.inject({ url: '/admin', cookies: support.cookies })).body, /economic nexus/);
    });

    it('saves zones, state tax rules and nexus thresholds from the settings form, and names a bad line', async () => {
      const { cookies, csrf } = await staffSession(t, 'owner');
      const form: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(settingsToForm(t.ctx.settings()))) if (v !== undefined) form[k] = v;
      const post = (over: Record<string, string>) => t.app.inject({ method: 'POST', url: '/admin/settings', cookies, payload: { ...form, _csrf: csrf, ...over } });

      const bad = await post({ 'shipping.zones': 'Nearby: WV OH | up to 1 kg 5.95 / 14.95', taxRules: 'WV: exempt candy', 'nexus.states': 'CA lots' });
      assert.equal(bad.statusCode, 422, bad.body.slice(0, 300));
      assert.match(bad.body, /end with an “over …” bracket/);
      assert.match(bad.body, /candy is not a tax category/);
      assert.match(bad.body, /CA lots/);

      const good = await post({
        'shipping.zones': 'Nearby: WV OH PA | up to 1 kg 4.95 / 12.95 | over 8.95 / 19.95 | free from 50',
        taxRules: 'WV: shipping taxed; exempt groceries\nPA: exempt clothing, groceries',
        'nexus.states': 'CA 500000\nNY 500000 100',
      });
      assert.equal(good.statusCode, 303, good.body.slice(0, 300));
      for (let i = 0; i < 200 && t.ctx.settings().shipping.zones.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const s = t.ctx.settings();
      assert.deepEqual(s.shipping.zones, [
        { name: 'Nearby', states: ['WV', 'OH', 'PA'], brackets: [{ upToGrams: 1000, standard: 495, express: 1295 }, { upToGrams: null, standard: 895, express: 1995 }], freeStandardFrom: 5000 },
      ]);
      assert.deepEqual(s.taxRules.PA, { shippingTaxable: false, exemptCategories: ['clothing', 'groceries'] });
      assert.deepEqual(s.nexus.states.NY, { sales: 50_000_000, transactions: 100 });
    });

    it('prices shipping by the zone and the parcel weight, from the weights staff enter on the variant form', async () => {
      const { cookies, csrf } = await staffSession(t, 'owner');
      const [mug] = await t.ctx.db.select({ id: variants.id, productId: variants.productId }).from(variants).where(eq(variants.sku, 'MUG-1'));
      const save = (weight: string) =>
        t.app.inject({
          method: 'POST',
          url: `/admin/products/${mug!.productId}/variants/${mug!.id}`,
          cookies,
          payload: { _csrf: csrf, [`v-${mug!.id}.sku`]: 'MUG-1', [`v-${mug!.id}.price`]: '15.00', [`v-${mug!.id}.weightGrams`]: weight, [`v-${mug!.id}.lengthMm`]: '120' },
        });
      const refused = await save('heavy');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Enter a whole number of grams/);
      assert.equal((await save('400')).statusCode, 303);
      const [saved] = await t.ctx.db.select({ weightGrams: variants.weightGrams, lengthMm: variants.lengthMm }).from(variants).where(eq(variants.id, mug!.id));
      assert.deepEqual(saved, { weightGrams: 400, lengthMm: 120 });

      // Two mugs = 800 g: the 1 kg bracket of the Nearby zone; three = 1.2 kg: the heavier one.
      const two: OrderReceipt = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }], { body: { shippingAddress: { state: 'OH', city: 'Marietta', postalCode: '45750' } } });
      assert.equal(two.totals.shipping, 495);
      const three = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 3 }], { body: { shippingAddress: { state: 'OH', city: 'Marietta', postalCode: '45750' } } });
      assert.equal(three.totals.shipping, 895);
      const far = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 3 }], { body: { shippingAddress: { state: 'TX', city: 'Austin', postalCode: '73301' } } });
      assert.equal(far.totals.shipping, 695, 'a state in no zone pays the flat rate');
      const free = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 4 }], { body: { shippingAddress: { state: 'OH', city: 'Marietta', postalCode: '45750' } } });
      assert.equal(free.totals.shipping, 0, 'the zone ships free from $50');
    });
  });
}
