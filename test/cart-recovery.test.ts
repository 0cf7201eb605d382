// Scenario tests: abandoned-checkout recovery. The email typed at checkout is kept with the
// cart; one reminder leaves after the delay, saying what changed and linking back to the
// cart; none after a purchase with that email or an unsubscribe; contacts go after 30 days;
// the dashboard counts orders placed after a reminder. Both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { checkoutBody, createTestCart } from './helpers/orders.ts';
import { checkoutContacts, outbox, variants } from '../src/db/schema.ts';
import { CONTACT_RETENTION_MS, recoveredRevenue, sendDueReminders } from '../src/domain/recovery/cart-recovery.ts';

const MINUTE = 60_000;
const form = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });

for (const { kind, skip } of DB_KINDS) {
  describe(`abandoned checkouts on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = fixedClock('2025-03-03T14:00:00Z');
    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
    });
    after(() => t?.close());

    const delay = () => t.ctx.settings().cartRecovery.delayMinutes * MINUTE;
    /** A shopper with a cart who types only their email at checkout and leaves. */
    const leaveCheckout = async (email: string, items = [{ sku: 'MUG-1', quantity: 2 }]) => {
      const cartId = await createTestCart(t, items);
      const res = await t.app.inject({ method: 'POST', url: '/checkout', cookies: { cart: cartId }, ...form({ email, idempotencyKey: randomUUID() }) });
      assert.equal(res.statusCode, 422, 'the rest of the form is missing');
      return cartId;
    };
    const reminderTo = async (email: string) => (await t.ctx.db.select().from(outbox).where(and(eq(outbox.recipient, email), eq(outbox.template, 'cart_reminder'))).orderBy(desc(outbox.id)))[0];
    const outcome = async (cartId: string) => (await t.ctx.db.select().from(checkoutContacts).where(eq(checkoutContacts.cartId, cartId)))[0]?.outcome;

    it('sends one reminder after the delay, naming a price change, and its link restores the cart', async () => {
      const cartId = await leaveCheckout('Sam.Carter@Example.com');
      clock.advance(delay() - MINUTE);
      await sendDueReminders(t.ctx);
      assert.equal(await reminderTo('sam.carter@example.com'), undefined, 'not before the delay');
      await t.ctx.db.update(variants).set({ price: 1700 }).where(eq(variants.sku, 'MUG-1'));
      clock.advance(2 * MINUTE);
      assert.deepEqual(await sendDueReminders(t.ctx), { reminded: 1, skipped: 0 });
      assert.deepEqual(await sendDueReminders(t.ctx), { reminded: 0, skipped: 0 }, 'only one reminder');
      const mail = (await reminderTo('sam.carter@example.com'))!;
      assert.deepEqual(mail.payload.changes, ['Test Mug is now $17.00 (it was $15.00).']);

      const url = new URL(String(mail.payload.restoreUrl));
      const restored = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      assert.equal(restored.statusCode, 303);
      assert.equal(restored.cookies.find((c) => c.name === 'cart')?.value, cartId);
      const cart = await t.app.inject({ method: 'GET', url: '/cart', cookies: { cart: cartId, cart_flash: restored.cookies.find((c) => c.name === 'cart_flash')!.value } });
      assert.match(cart.body, /Your cart is back/);
      assert.match(cart.body, /Test Mug is now \$17\.00/);
      const forged = await t.app.inject({ method: 'GET', url: '/cart/restore?t=abc.def.ghi' });
      assert.equal(forged.statusCode, 303);
      assert.equal(forged.cookies.find((c) => c.name === 'cart'), undefined);
      await t.ctx.db.update(variants).set({ price: 1500 }).where(eq(variants.sku, 'MUG-1'));

      // An order from the restored cart is recovered revenue.
      const paid = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${cartId}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: checkoutBody({ email: 'sam.carter@example.com' }) });
      assert.equal(paid.statusCode, 201, paid.body);
      const recovered = await recoveredRevenue(t.ctx);
      assert.equal(recovered.orders, 1);
      assert.equal(recovered.total, paid.json().order.totals?.total ?? paid.json().order.total);
    });

    it('sends nothing once that email has ordered, or after it unsubscribed', async () => {
      const cartId = await leaveCheckout('buyer@example.com');
      const other = await createTestCart(t, [{ sku: 'LAMP-1', quantity: 1 }]);
      const paid = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${other}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: checkoutBody({ email: 'Buyer@example.com' }) });
      assert.equal(paid.statusCode, 201, paid.body);

      const leaver = await leaveCheckout('leaver@example.com');
      const first = await leaveCheckout('leaver2@example.com');
      clock.advance(delay() + MINUTE);
      await sendDueReminders(t.ctx);
      assert.equal(await outcome(cartId), 'ordered');
      assert.equal(await reminderTo('buyer@example.com'), undefined);
      const mail = (await reminderTo('leaver2@example.com'))!;

      // The reminder's unsubscribe link: a page with a button, then no more reminders.
      const url = new URL(String(mail.payload.unsubscribeUrl));
      const page = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /leaver2@example\.com/);
      const done = await t.app.inject({ method: 'POST', url: `${url.pathname}${url.search}` });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /You are unsubscribed/);
      const again = await leaveCheckout('leaver2@example.com');
      clock.advance(delay() + MINUTE);
      await sendDueReminders(t.ctx);
      assert.equal(await outcome(again), 'unsubscribed');
      assert.equal(await outcome(leaver), 'reminded');
      assert.equal(await outcome(first), 'reminded');
      const bad = await t.app.inject({ method: 'GET', url: '/unsubscribe?t=nope' });
      assert.equal(bad.statusCode, 400);
    });

    it('takes the email from the checkout script, ignores what is not an email, and forgets contacts after 30 days', async () => {
      const cartId = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
      const typed = await t.app.inject({ method: 'POST', url: '/checkout/contact', cookies: { cart: cartId }, ...form({ email: 'typed@example.com' }) });
      assert.equal(typed.statusCode, 204);
      const junk = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
      await t.app.inject({ method: 'POST', url: '/checkout/contact', cookies: { cart: junk }, ...form({ email: 'not-an-email' }) });
      const rows = await t.ctx.db.select().from(checkoutContacts);
      assert.ok(rows.some((r) => r.cartId === cartId && r.email === 'typed@example.com'));
      assert.ok(!rows.some((r) => r.cartId === junk));
      clock.advance(CONTACT_RETENTION_MS + MINUTE);
      await sendDueReminders(t.ctx);
      assert.deepEqual(await t.ctx.db.select().from(checkoutContacts), []);
    });
  });
}
