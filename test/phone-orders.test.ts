// Phone orders: an agent builds an order for a caller and the customer pays by the emailed
// link. Nothing is taken from stock until it is paid; pressing "Pay" twice is one payment;
// paying places a normal order and the link then says so; an expired link charges nothing;
// bad input is named by field; the link is the only key (anything else is not found).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { fixedClock, testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { Browser } from './helpers/form-browser.ts';
import { staffSession } from './helpers/staff.ts';
import { orderEvents, orders, outbox, payments, phoneOrders, variants } from '../src/db/schema.ts';

for (const { kind, skip } of DB_KINDS) {
  describe(`phone orders on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = fixedClock(new Date().toISOString());
    const stockOf = async (sku: string) => (await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku)))[0]!.stock;
    let agent: Awaited<ReturnType<typeof staffSession>>;
    const form = (over: Record<string, string> = {}) => ({
      _csrf: agent.csrf,
      'items.0.sku': 'lamp-1',
      'items.0.quantity': '2',
      email: 'caller@example.com',
      phone: '(304) 555-0177',
      'shippingAddress.name': 'Pat Caller',
      'shippingAddress.line1': '5 River Rd',
      'shippingAddress.city': 'Marietta',
      'shippingAddress.state': 'OH',
      'shippingAddress.postalCode': '45750',
      shippingMethod: 'standard',
      ...over,
    });
    const create = (over: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/admin/phone-orders', cookies: agent.cookies, payload: form(over) });
    const linkOf = async (email: string) => {
      const [mail] = await t.ctx.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.template, 'payment_link'), eq(outbox.recipient, email)));
      return new URL((mail!.payload as { payUrl: string }).payUrl).pathname;
    };

    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
      agent = await staffSession(t, 'support');
    });
    after(() => t?.close());

    it('an agent builds the order, the customer pays by the link, and it becomes a normal order', async () => {
      const lamps = await stockOf('LAMP-1');
      const created = await create();
      assert.equal(created.statusCode, 303, created.body.slice(0, 400));
      assert.match(String(created.headers.location), /^\/admin\/phone-orders\/[0-9a-f-]{36}$/);
      assert.equal(await stockOf('LAMP-1'), lamps, 'nothing is taken before payment');
      const [mail] = await t.ctx.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.template, 'payment_link'), eq(outbox.recipient, 'caller@example.com')));
      const p = mail!.payload as { total: number; items: { name: string; quantity: number }[]; address: string[] };
      // 2 × $50 = $100: free shipping; Ohio collects no tax here.
      assert.deepEqual([p.total, p.items, p.address.at(-1)], [10000, [{ name: 'Test Lamp (Oat)', quantity: 2, unitPrice: 5000 }], 'Marietta, OH 45750']);

      const customer = new Browser(t);
      const path = await linkOf('caller@example.com');
      const page = await customer.go('GET', path);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Your order, ready to pay/);
      assert.match(page.body, /Pay \$100\.00/);
      assert.match(page.body, /noindex/);

      const first = await customer.go('POST', path);
      const second = await customer.go('POST', path);
      assert.equal(first.statusCode, 303);
      assert.equal(second.headers.location, first.headers.location, 'pressing Pay twice opens one payment');
      const payUrl = new URL(String(first.headers.location));
      assert.match(payUrl.pathname, /^\/sandbox\/pay\/sbx_pay_/);
      const paid = await customer.go('POST', payUrl.pathname, { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' });
      assert.equal(paid.statusCode, 303, paid.body.slice(0, 300));
      const back = new URL(String(paid.headers.location));
      assert.equal(back.pathname, `${path}/return`);
      const placed = await customer.go('GET', back.pathname + back.search);
      assert.equal(placed.statusCode, 303, placed.body.slice(0, 300));
      const number = /^\/orders\/(CS-[A-Z0-9]{4}-[A-Z0-9]{4})\/confirmation\?t=/.exec(String(placed.headers.location))![1]!;
      const confirmation = await customer.go('GET', String(placed.headers.location));
      assert.match(confirmation.body, /Your order is confirmed/);

      const [order] = await t.ctx.db.select().from(orders).where(eq(orders.number, number));
      assert.deepEqual([order!.status, order!.email, order!.total, order!.shippingAddress.city], ['paid', 'caller@example.com', 10000, 'Marietta']);
      assert.equal(await stockOf('LAMP-1'), lamps - 2, 'stock taken when paid');
      const placedEvents = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, order!.id), eq(orderEvents.type, 'placed')));
      assert.equal(placedEvents.length, 1);
      const cartPayments = await t.ctx.db.select().from(payments).where(eq(payments.orderId, order!.id));
      assert.equal(cartPayments.length, 1, 'one charge');

      const after = await customer.go('GET', path);
      assert.match(after.body, new RegExp(`This order is paid.*${number}`, 's'));
      assert.doesNotMatch(after.body, /Pay \$100\.00/);
      assert.equal((await customer.go('POST', path)).statusCode, 303, 'paying again only shows the paid order');
      assert.equal((await t.ctx.db.select().from(payments).where(eq(payments.orderId, order!.id))).length, 1);

      const admin = await t.app.inject({ url: String(created.headers.location), cookies: agent.cookies });
      assert.match(admin.body, new RegExp(`Paid: order ${number}`));
      const list = await t.app.inject({ url: '/admin/phone-orders', cookies: agent.cookies });
      assert.match(list.body, new RegExp(`Paid: ${number}`));
    });

    it('names bad input by field and creates nothing', async () => {
      const bad = await create({ email: 'not-an-email', 'shippingAddress.postalCode': '12', 'items.0.sku': '', 'items.1.sku': '' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /id="f-email-error"/);
      assert.match(bad.body, /id="f-shippingAddress-postalCode-error"/);
      assert.match(bad.body, /Add at least one product by its SKU/);
      const unknown = await create({ email: 'nobody@example.com', 'items.0.sku': 'NOPE-1' });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /There is no product with SKU NOPE-1/);
      const tooMany = await create({ email: 'nobody@example.com', 'items.0.sku': 'LAMP-2', 'items.0.quantity': '99' });
      assert.ok([409, 422].includes(tooMany.statusCode), tooMany.body.slice(0, 200));
      assert.equal((await t.ctx.db.select().from(phoneOrders).where(eq(phoneOrders.email, 'nobody@example.com'))).length, 0);
      const warehouse = await staffSession(t, 'warehouse');
      assert.equal((await t.app.inject({ url: '/admin/phone-orders', cookies: warehouse.cookies })).statusCode, 403);
    });

    it('an expired link charges nothing and says what to do; an unknown link is not found', async () => {
      assert.equal((await create({ email: 'late@example.com' })).statusCode, 303);
      const path = await linkOf('late@example.com');
      const customer = new Browser(t);
      clock.set(new Date(Date.now() + 8 * 86_400_000).toISOString());
      try {
        const page = await customer.go('GET', path);
        assert.match(page.body, /This payment link has expired/);
        assert.doesNotMatch(page.body, /<button[^>]*>\s*Pay/);
        const refused = await customer.go('POST', path);
        assert.equal(refused.statusCode, 409);
        assert.match(refused.body, /nothing was charged/);
      } finally {
        clock.set(new Date().toISOString());
      }
      assert.equal((await customer.go('GET', '/pay/not-a-real-token-at-all-xyz')).statusCode, 404);
      assert.equal((await customer.go('GET', `${path}x`)).statusCode, 404);
    });
  });
}
