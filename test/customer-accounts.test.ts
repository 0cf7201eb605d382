// Scenario tests: "My orders" without passwords. A shopper signs in with an emailed link or
// a texted code and sees every order placed with the contacts they proved; links and codes
// work once and expire; the request answers the same whether or not orders exist and is rate
// limited; "Buy again" refills the cart; personal data is exported, and erased only once
// nothing is in progress. Both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { orders, outbox, variants } from '../src/db/schema.ts';
import { LINK_TTL_MS, MAX_CODE_ATTEMPTS, SIGN_IN_LIMITS } from '../src/domain/customers/sign-in.ts';

const MINUTE = 60_000;
const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const form = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
const cookieOf = (res: { cookies: { name: string; value: string }[] }, name = 'customer') => res.cookies.find((c) => c.name === name)?.value;

for (const { kind, skip } of DB_KINDS) {
  describe(`My orders on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = fixedClock('2025-03-03T14:00:00Z');
    let first: string; // placed with jane's email and the shared phone
    let second: string; // placed with another email and the same phone

    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
      first = (await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 2 }], { body: { email: 'jane.doe@example.com', phone: '(304) 555-0142' } })).number;
      second = (await placeTestOrder(t, [{ sku: 'LAMP-1', quantity: 1 }], { body: { email: 'j.doe@work.example', phone: '304-555-0142', shippingAddress: { line1: '9 River Rd' } } })).number;
    });
    after(() => t?.close());

    const ask = (contact: string, o: { ip?: string; cookie?: string; via?: 'email' | 'phone' } = {}) =>
      t.app.inject({ method: 'POST', url: '/account/sign-in', remoteAddress: o.ip ?? newIp(), cookies: o.cookie ? { customer: o.cookie } : {}, ...form({ via: o.via ?? 'email', contact }) });
    const lastMessage = async (to: string) => (await t.ctx.db.select().from(outbox).where(eq(outbox.recipient, to)).orderBy(desc(outbox.id)).limit(1))[0]!;
    const linkToken = async (email: string) => {
      const url = (await lastMessage(email)).payload.signInUrl as string;
      return url.slice(url.lastIndexOf('/') + 1);
    };
    const spend = (token: string, cookie?: string) => t.app.inject({ method: 'POST', url: `/account/sign-in/${token}`, cookies: cookie ? { customer: cookie } : {} });
    const account = (cookie: string) => t.app.inject({ method: 'GET', url: '/account', cookies: { customer: cookie } });

    it('signs in with the emailed link, lists the email’s orders, then adds the phone’s with a texted code', async () => {
      const asked = await ask('Jane.Doe@Example.com');
      assert.equal(asked.statusCode, 200);
      assert.match(asked.body, /a sign-in link is on its way/);
      const token = await linkToken('jane.doe@example.com');

      // The link opens a page with a button; only the POST spends it.
      const landing = await t.app.inject({ method: 'GET', url: `/account/sign-in/${token}` });
      assert.equal(landing.statusCode, 200);
      assert.match(landing.body, /Continue to my orders/);
      assert.equal(landing.headers['referrer-policy'], 'same-origin', 'the token never leaves in a Referer');
      const signedIn = await spend(token);
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/account');
      const session = cookieOf(signedIn)!;
      assert.ok(session);
      assert.ok(signedIn.cookies.find((c) => c.name === 'customer')!.httpOnly);

      const page = await account(session);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`Order ${first}`));
      assert.doesNotMatch(page.body, new RegExp(second));
      assert.match(page.body, /12 Market St/, 'saved address');
      assert.match(page.body, /\/track\?t=/, 'each order links to its tracking view');

      // The phone joins the same session after its code.
      const codePage = await ask('(304) 555-0142', { cookie: session, via: 'phone' });
      assert.equal(codePage.statusCode, 200);
      assert.match(codePage.body, /Enter the code we texted you/);
      const sms = await lastMessage('+13045550142');
      assert.equal(sms.channel, 'sms');
      const code = /code is (\d{6})/.exec(String(sms.payload.body))![1]!;
      const signInId = /name="signInId" value="([^"]+)"/.exec(codePage.body)![1]!;
      const typed = await t.app.inject({ method: 'POST', url: '/account/code', cookies: { customer: session }, ...form({ signInId, phone: '(304) 555-0142', code: `${code.slice(0, 3)} ${code.slice(3)}` }) });
      assert.equal(typed.statusCode, 303);
      const both = await account(session);
      assert.match(both.body, new RegExp(`Order ${first}`));
      assert.match(both.body, new RegExp(`Order ${second}`));
    });

    it('refuses a link used twice or expired, and signs in whichever device opens it', async () => {
      await ask('jane.doe@example.com');
      const token = await linkToken('jane.doe@example.com');
      // Opened on another device than the one that asked: that device is signed in.
      const elsewhere = await spend(token);
      assert.equal(elsewhere.statusCode, 303);
      const again = await spend(token);
      assert.equal(again.statusCode, 403);
      assert.match(again.body, /already been used/);

      await ask('jane.doe@example.com');
      const late = await linkToken('jane.doe@example.com');
      clock.advance(LINK_TTL_MS + MINUTE);
      const expired = await spend(late);
      assert.equal(expired.statusCode, 403);
      assert.match(expired.body, /has expired/);
      const forged = await spend('x'.repeat(43));
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /not valid/);
    });

    it('answers the same whether or not orders exist, and limits requests per client and per contact', async () => {
      const ip = newIp();
      const strip = (body: string, email: string) => body.replaceAll(email, 'EMAIL');
      const answers: { status: number; body: string }[] = [];
      for (let i = 0; i < 100; i++) {
        const email = `shopper-${i}-${randomInt(1e9)}@example.com`;
        const res = await ask(email, { ip });
        answers.push({ status: res.statusCode, body: strip(res.body, email) });
      }
      const allowed = answers.filter((a) => a.status === 200);
      assert.equal(allowed.length, SIGN_IN_LIMITS.perIp.limit);
      assert.ok(answers.slice(SIGN_IN_LIMITS.perIp.limit).every((a) => a.status === 429));
      assert.equal(new Set(allowed.map((a) => a.body)).size, 1, 'one answer for every address');
      // A known customer gets the very same page (after the earlier tests' requests have aged out).
      clock.advance(SIGN_IN_LIMITS.perContact.windowMs);
      const known = await ask('jane.doe@example.com', { ip: newIp() });
      assert.equal(strip(known.body, 'jane.doe@example.com'), allowed[0]!.body);
      // An address without orders gets an email that says so, with no link.
      const none = await t.ctx.db.select().from(outbox).where(eq(outbox.template, 'customer_sign_in')).orderBy(desc(outbox.id)).limit(2);
      assert.equal(none[1]!.payload.signInUrl, undefined);

      const flooded = 'flood@example.com';
      const statuses = [];
      for (let i = 0; i <= SIGN_IN_LIMITS.perContact.limit; i++) statuses.push((await ask(flooded)).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      clock.advance(SIGN_IN_LIMITS.perContact.windowMs);
    });

    it('ends a texted sign-in after too many wrong codes', async () => {
      const res = await ask('(304) 555-0142', { via: 'phone' });
      const signInId = /name="signInId" value="([^"]+)"/.exec(res.body)![1]!;
      const code = /code is (\d{6})/.exec(String((await lastMessage('+13045550142')).payload.body))![1]!;
      const wrong = code === '000000' ? '111111' : '000000';
      const statuses = [];
      for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) statuses.push((await t.app.inject({ method: 'POST', url: '/account/code', ...form({ signInId, phone: '', code: wrong }) })).statusCode);
      assert.deepEqual(statuses, [422, 422, 422, 422, 403]);
      const right = await t.app.inject({ method: 'POST', url: '/account/code', ...form({ signInId, phone: '', code }) });
      assert.equal(right.statusCode, 403, 'the right code no longer works either');
      const bad = await t.app.inject({ method: 'POST', url: '/account/code', ...form({ signInId, phone: '', code: 'abc' }) });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /six-digit code/);
    });

    const signedInAs = async (email: string) => {
      clock.advance(SIGN_IN_LIMITS.perContact.windowMs);
      await ask(email);
      return cookieOf(await spend(await linkToken(email)))!;
    };

    it('puts an earlier order back in the cart at today’s prices, naming what is sold out', async () => {
      const session = await signedInAs('j.doe@work.example');
      await t.ctx.db.update(variants).set({ stock: 0 }).where(eq(variants.sku, 'LAMP-1'));
      const none = await t.app.inject({ method: 'POST', url: '/account/buy-again', cookies: { customer: session }, ...form({ orderNumber: second }) });
      assert.equal(none.statusCode, 303);
      await t.ctx.db.update(variants).set({ stock: 10 }).where(eq(variants.sku, 'LAMP-1'));
      const res = await t.app.inject({ method: 'POST', url: '/account/buy-again', cookies: { customer: session }, ...form({ orderNumber: second }) });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/cart');
      const cartId = cookieOf(res, 'cart')!;
      const cart = await t.app.inject({ method: 'GET', url: `/api/v1/carts/${cartId}` });
      assert.deepEqual(cart.json().items.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]), [['LAMP-1', 1]]);
      // Somebody else's order cannot be bought again through this session.
      const foreign = await t.app.inject({ method: 'POST', url: '/account/buy-again', cookies: { customer: session }, ...form({ orderNumber: first }) });
      assert.equal(foreign.statusCode, 404);
      const out = await t.app.inject({ method: 'POST', url: '/account/buy-again', ...form({ orderNumber: second }) });
      assert.equal(out.statusCode, 401);
    });

    it('exports the personal data, and erases it only once nothing is in progress', async () => {
      const session = await signedInAs('jane.doe@example.com');
      const data = await t.app.inject({ method: 'GET', url: '/account/data.json', cookies: { customer: session } });
      assert.equal(data.statusCode, 200);
      assert.match(String(data.headers['content-disposition']), /attachment/);
      assert.deepEqual(data.json().orders.map((o: { number: string }) => o.number), [first]);

      const unconfirmed = await t.app.inject({ method: 'POST', url: '/account/erase', cookies: { customer: session }, ...form({}) });
      assert.equal(unconfirmed.statusCode, 422);
      const refused = await t.app.inject({ method: 'POST', url: '/account/erase', cookies: { customer: session }, ...form({ confirm: 'yes' }) });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, new RegExp(`${first}`));

      await t.ctx.db.update(orders).set({ status: 'delivered' }).where(eq(orders.number, first));
      const erased = await t.app.inject({ method: 'POST', url: '/account/erase', cookies: { customer: session }, ...form({ confirm: 'yes' }) });
      assert.equal(erased.statusCode, 200);
      assert.match(erased.body, /erased from 1 order/);
      const [row] = await t.ctx.db.select().from(orders).where(eq(orders.number, first));
      assert.match(row!.email, /^erased-.*@invalid$/);
      assert.equal(row!.shippingAddress.line1, '[erased]');
      assert.ok(row!.total > 0, 'amounts stay for the accounts');
      const sent = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, row!.id), eq(outbox.template, 'order_confirmation')));
      assert.equal(sent[0]!.recipient, 'erased@invalid');
      // The session ended, and the old contact finds nothing any more.
      assert.match((await account(session)).body, /Sign in without a password/);
      const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/tracking', remoteAddress: newIp(), payload: { orderNumber: first, contact: 'jane.doe@example.com' } });
      assert.equal(lookup.statusCode, 404);
    });

    it('explains a contact that cannot be one', async () => {
      const res = await ask('not an address', { via: 'email' });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Enter an email address/);
      assert.match(res.body, /aria-invalid="true"/);
    });
  });
}
