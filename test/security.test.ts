// Hostile input and access, on both databases: script in names, addresses and messages is
// shown as text in pages and emails; SQL in search and lookup fields is only ever a value;
// forms from other sites and admin routes without the right person are refused; guessing is
// rate limited; the headers and cookies a browser needs are set; and the logs never hold a
// card number, a password or a token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { eq, sql } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { TOKENS, checkoutBody, createTestCart, placeTestOrder } from './helpers/orders.ts';
import { addStaff, staffToken } from './helpers/staff.ts';
import { rows } from '../src/db/client.ts';
import { outbox, products } from '../src/db/schema.ts';
import { renderEmail } from '../src/emails/index.ts';
import { describeWeeklyHours } from '../src/domain/support/service-hours.ts';
import type { Role } from '../src/domain/staff/roles.ts';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const INJECTIONS = ["' OR 1=1 --", "'; DROP TABLE orders; --"];
const EVIL = 'https://evil.example';

/** Fails when markup from the payloads reached the HTML as markup (not as escaped text). */
function assertEscaped(html: string, where: string) {
  assert.ok(!html.includes(SCRIPT), `${where}: <script> came through unescaped`);
  assert.ok(!/<img[^>]*onerror/i.test(html), `${where}: <img onerror> came through unescaped`);
}

/** Every registered route as [method, path], read from the router's printed tree. */
function registeredRoutes(t: TestApp): [string, string][] {
  const stack: string[] = [];
  const found: [string, string][] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)[└├]── (\S+) \(([^)]+)\)/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!;
    stack.push(path === '/' ? '' : path);
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') found.push([method, path.replace(/^(?!\/)/, '/')]);
  }
  return found;
}

describe('routes are read from the router', () => {
  test('the printed tree gives full paths', async () => {
    const t = await testApp('pglite');
    try {
      const routes = registeredRoutes(t);
      for (const r of [['GET', '/admin/orders'], ['POST', '/admin/orders/:number/transitions'], ['GET', '/admin/orders.csv'], ['POST', '/api/v1/admin/orders/:number/notes'], ['GET', '/products/:slug']]) {
        assert.ok(routes.some(([m, p]) => m === r[0] && p === r[1]), `${r.join(' ')} listed`);
      }
    } finally {
      await t.close();
    }
  });
});

for (const { kind, skip } of DB_KINDS) {
  describe(`security on ${kind}`, { skip }, () => {
    let t: TestApp;
    let logs = '';
    let order: { number: string };
    let productId: string;
    const cookies: Partial<Record<Role, { cookie: string; csrf: string }>> = {};
    const tokens: Partial<Record<Role, string>> = {};
    const secrets: string[] = [];

    /** Signs a new staff member of `role` in through the form; returns the cookie and the session's CSRF token. */
    async function session(role: Role) {
      const member = await addStaff(t.ctx, role);
      secrets.push(member.password);
      const res = await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.1`, payload: { email: member.email, password: member.password, next: '/admin' } });
      assert.equal(res.statusCode, 303, res.body);
      const c = res.cookies.find((x) => x.name === 'staff_session')!;
      secrets.push(c.value);
      const cookie = `staff_session=${c.value}`;
      const page = await t.app.inject({ method: 'GET', url: '/admin/account', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(csrf, 'the account page carries the CSRF token');
      return { cookie, csrf };
    }

    before(async () => {
      const sink = new Writable({
        write(chunk, _enc, done) {
          logs += chunk.toString();
          done();
        },
      });
      t = await testApp(kind, { overrides: { log: pino({ level: 'info' }, sink) } });
      await addProducts(t.ctx, [
        ...basicCatalog,
        { slug: 'xss-lamp', name: `Lamp ${SCRIPT} ${IMG}`, description: `Bright ${SCRIPT}\n\n${IMG}`, variants: [{ sku: 'XSS-1', price: 2500, stock: 50, options: { colour: `Red ${IMG}` } }], specs: [['Material', `Oak ${SCRIPT}`]] },
      ]);
      [{ id: productId }] = await t.ctx.db.select({ id: products.id }).from(products).where(eq(products.slug, 'xss-lamp'));
      for (const role of ['owner', 'support', 'warehouse'] as const) {
        cookies[role] = await session(role);
        tokens[role] = await staffToken(t, role);
        secrets.push(tokens[role]!);
      }
      order = await placeTestOrder(t, [{ sku: 'XSS-1', quantity: 1 }], {
        body: { email: 'mallory@example.com', shippingAddress: { name: `Mallory ${SCRIPT}`, line1: `1 ${IMG} Street`, line2: `Apt ${SCRIPT}`, city: `Parkersburg ${IMG}` } },
      });
      const note = await t.app.inject({ method: 'POST', url: `/api/v1/admin/orders/${order.number}/notes`, headers: { authorization: `Bearer ${tokens.owner}` }, payload: { text: `Customer says ${SCRIPT} ${IMG}` } });
      assert.ok(note.statusCode < 300, note.body);
    });

    after(() => t?.close());

    test('script in product names, addresses and messages is shown escaped in storefront pages', async () => {
      const cart = await createTestCart(t, [{ sku: 'XSS-1', quantity: 1 }]);
      const cartCookie = `cart=${cart}`;
      for (const url of ['/', '/products', '/products/xss-lamp', '/products?q=Lamp', '/cart', '/checkout']) {
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie: cartCookie } });
        assert.ok(res.statusCode < 400, `${url}: ${res.statusCode}`);
        assertEscaped(res.body, url);
      }
      // The tracking view of the order whose address carries the payloads.
      const found = await t.app.inject({ method: 'POST', url: '/track', payload: { orderNumber: order.number, contact: 'mallory@example.com' } });
      assert.equal(found.statusCode, 303, found.body);
      const view = await t.app.inject({ method: 'GET', url: found.headers.location as string });
      assert.equal(view.statusCode, 200);
      assertEscaped(view.body, 'tracking view');
      // A checkout form sent back with errors shows what was typed, escaped.
      const bad = await t.app.inject({ method: 'POST', url: '/checkout', headers: { cookie: cartCookie }, payload: { email: 'nope', name: `X ${SCRIPT}`, line1: IMG, city: SCRIPT, state: 'WV', postalCode: '2', phone: IMG } });
      assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, `checkout with errors answered ${bad.statusCode}`);
      assertEscaped(bad.body, 'checkout with errors');
    });

    test('script in product names, addresses and messages is shown escaped in admin pages', async () => {
      const { cookie } = cookies.owner!;
      const urls = ['/admin', '/admin/orders', `/admin/orders?q=Mallory`, `/admin/orders/${order.number}`, `/admin/orders/${order.number}/pick-list`, `/admin/orders/${order.number}/packing-slip`, '/admin/products', `/admin/products/${productId}`, '/admin/stock', '/admin/stock/XSS-1', '/admin/mail'];
      const contact = await t.app.inject({ method: 'POST', url: '/contact', payload: { name: `Eve ${SCRIPT}`, email: 'eve@example.com', topic: 'other', message: `Hello ${SCRIPT} ${IMG} this is long enough to be a real message.` } });
      if (contact.statusCode === 303) urls.push('/admin/support');
      for (const url of urls) {
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
        assert.ok(res.statusCode < 400, `${url}: ${res.statusCode}`);
        assertEscaped(res.body, url);
      }
      if (contact.statusCode === 303) {
        const [c] = await rows<{ number: string }>(t.ctx.db, sql`select number from support_cases where email = 'eve@example.com'`);
        const res = await t.app.inject({ method: 'GET', url: `/admin/support/${c!.number}`, headers: { cookie } });
        assert.equal(res.statusCode, 200);
        assertEscaped(res.body, 'support case');
      }
    });

    test('script in names and addresses is escaped in emails', async () => {
      const rowsOut = await t.ctx.db.select().from(outbox);
      assert.ok(rowsOut.length > 0);
      const settings = t.ctx.settings();
      for (const row of rowsOut) {
        const email = renderEmail(row.template as never, row.payload as never, { settings, publicUrl: t.ctx.config.publicUrl, serviceHoursLines: describeWeeklyHours(settings.serviceHours) });
        assertEscaped(email.html, `email ${row.template}`);
      }
    });

    test('SQL in every search and lookup field is only a value: 4xx or nothing found, tables intact', async () => {
      const before = await rows<{ orders: number; products: number }>(t.ctx.db, sql`select (select count(*) from orders)::int as orders, (select count(*) from products)::int as products`);
      const bearer = { authorization: `Bearer ${tokens.owner}` };
      for (const bad of INJECTIONS) {
        const q = encodeURIComponent(bad);
        const listing = await t.app.inject({ method: 'GET', url: `/products?q=${q}` });
        assert.equal(listing.statusCode, 200);
        assert.ok(!listing.body.includes('Test Mug'), 'the storefront search finds nothing');
        const api = await t.app.inject({ method: 'GET', url: `/api/v1/products?q=${q}` });
        assert.equal(api.statusCode, 200);
        assert.equal(api.json().items.length, 0);
        const admin = await t.app.inject({ method: 'GET', url: `/api/v1/admin/orders?q=${q}`, headers: bearer });
        assert.equal(admin.statusCode, 200);
        assert.equal(admin.json().total, 0);
        const adminSku = await t.app.inject({ method: 'GET', url: `/api/v1/admin/orders?sku=${q}`, headers: bearer });
        assert.equal(adminSku.json().total, 0);
        const page = await t.app.inject({ method: 'GET', url: `/admin/orders?q=${q}`, headers: { cookie: cookies.owner!.cookie } });
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(order.number), 'the admin search finds nothing');
        for (const body of [{ orderNumber: bad, contact: bad }, { orderNumber: order.number, contact: bad }, { orderNumber: bad, contact: 'mallory@example.com' }]) {
          const ip = `10.77.0.${INJECTIONS.indexOf(bad) + 1}`;
          for (const [method, url] of [['POST', '/api/v1/tracking'], ['POST', '/track'], ['POST', '/returns']] as const) {
            const res = await t.app.inject({ method, url, payload: body, remoteAddress: ip });
            assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url} ${JSON.stringify(body)} answered ${res.statusCode}`);
          }
          const ret = await t.app.inject({ method: 'POST', url: '/api/v1/returns', remoteAddress: ip, payload: { ...body, type: 'return', items: [{ sku: bad, quantity: 1 }], reason: 'damaged', condition: bad } });
          assert.ok(ret.statusCode >= 400 && ret.statusCode < 500, `returns API answered ${ret.statusCode}`);
        }
        const contact = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: '10.78.0.1', payload: { name: bad, email: 'sql@example.com', orderNumber: bad, topic: bad, message: `${bad} ${bad} ${bad}` } });
        assert.ok(contact.statusCode < 500, `contact answered ${contact.statusCode}`);
      }
      const afterCounts = await rows<{ orders: number; products: number }>(t.ctx.db, sql`select (select count(*) from orders)::int as orders, (select count(*) from products)::int as products`);
      assert.deepEqual(afterCounts, before, 'tables intact');
    });

    test('forms posted from another site are refused: admin forms (also without the CSRF token) and storefront forms', async () => {
      const { cookie, csrf } = cookies.owner!;
      const adminPosts = registeredRoutes(t).filter(([m, p]) => m === 'POST' && p.startsWith('/admin/') && p !== '/admin/login');
      assert.ok(adminPosts.length > 20, 'the admin forms are found');
      for (const [, path] of adminPosts) {
        const url = fill(path, order.number, productId);
        const noToken = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { note: 'x' } });
        assert.equal(noToken.statusCode, 403, `${path} without the CSRF token answered ${noToken.statusCode}`);
        const crossSite = await t.app.inject({ method: 'POST', url, headers: { cookie, origin: EVIL }, payload: { _csrf: csrf } });
        assert.equal(crossSite.statusCode, 403, `${path} from another site answered ${crossSite.statusCode}`);
      }
      const storefront = registeredRoutes(t).filter(([m, p]) => m === 'POST' && !p.startsWith('/admin/') && !p.startsWith('/api/'));
      assert.ok(storefront.some(([, p]) => p === '/checkout'));
      for (const [, path] of [...storefront, ['POST', '/admin/login']]) {
        for (const headers of [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }]) {
          const res = await t.app.inject({ method: 'POST', url: path, headers, payload: { orderNumber: order.number, contact: 'mallory@example.com', sku: 'MUG-1', quantity: '1' } });
          assert.equal(res.statusCode, 403, `${path} with ${JSON.stringify(headers)} answered ${res.statusCode}`);
        }
      }
    });

    test('every admin page and admin API route is refused without a session or token', async () => {
      const admin = registeredRoutes(t).filter(([, p]) => (p === '/admin' || p.startsWith('/admin/') || p.startsWith('/api/v1/admin/')) && p !== '/admin/login');
      assert.ok(admin.length > 40, `admin routes found: ${admin.length}`);
      for (const [method, path] of admin) {
        const url = fill(path, order.number, productId);
        const res = await t.app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : {} });
        if (path.startsWith('/api/')) assert.equal(res.statusCode, 401, `${method} ${path} answered ${res.statusCode}`);
        else {
          assert.equal(res.statusCode, 303, `${method} ${path} answered ${res.statusCode}`);
          assert.match(String(res.headers.location), /^\/admin\/login/);
        }
        // A browser session is not an API token, and a token is not a session.
        if (path.startsWith('/api/')) {
          const withCookie = await t.app.inject({ method: method as 'GET', url, headers: { cookie: cookies.owner!.cookie }, payload: method === 'GET' ? undefined : {} });
          assert.equal(withCookie.statusCode, 401, `${method} ${path} with a session cookie answered ${withCookie.statusCode}`);
        } else {
          const withToken = await t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${tokens.owner}` }, payload: method === 'GET' ? undefined : {} });
          assert.equal(withToken.statusCode, 303, `${method} ${path} with a bearer token answered ${withToken.statusCode}`);
        }
      }
    });

    test('admin routes are refused to roles without the permission', async () => {
      // Route → the roles that must be refused, from the permission table (roles.ts).
      const refused: [RegExp, Role[]][] = [
        [/^(GET|POST) \/admin\/(staff|settings|products)(\/|$)/, ['support', 'warehouse']], // staff.manage, settings.edit, catalog.edit
        [/^(GET|POST) \/admin\/stock(\/|$)/, ['support'] as Role[]], // stock.adjust
        [/^(GET|PUT) \/api\/v1\/admin\/variants\//, ['support']], // stock.adjust
        [/^(GET|POST) \/(api\/v1\/)?admin\/returns(\/|$)/, ['warehouse']], // returns.manage
        [/^POST \/(api\/v1\/)?admin\/(orders\/:number\/)?refunds\/:id\/retry$/, ['warehouse']], // refunds.issue
        [/^POST \/api\/v1\/admin\/requests\//, ['warehouse']], // requests.decide
        [/^POST \/admin\/support\/:number\/(reply|notes|assign|status|approve|decline)$/, ['warehouse']], // support.reply, requests.decide
        [/^POST \/admin\/mail\/:id\/retry$/, ['warehouse']], // outbox.retry
      ];
      let checked = 0;
      for (const [method, path] of registeredRoutes(t)) {
        const roles = refused.find(([re]) => re.test(`${method} ${path}`))?.[1];
        if (!roles) continue;
        const url = fill(path, order.number, productId);
        for (const role of roles) {
          const headers = path.startsWith('/api/') ? { authorization: `Bearer ${tokens[role]}` } : { cookie: cookies[role]!.cookie };
          const res = await t.app.inject({ method: method as 'GET', url, headers, payload: method === 'GET' ? undefined : { _csrf: cookies[role]!.csrf } });
          assert.equal(res.statusCode, 403, `${method} ${path} as ${role} answered ${res.statusCode}`);
          checked++;
        }
      }
      assert.ok(checked > 30, `role checks run: ${checked}`);
    });

    test('sign-in and tracking lookups are rate limited', async () => {
      const member = await addStaff(t.ctx, 'support');
      const tries = [];
      for (let i = 0; i < 11; i++) tries.push(await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', remoteAddress: `10.55.${i}.1`, payload: { email: member.email, password: 'wrong password ' + i } }));
      assert.equal(tries[0]!.statusCode, 401);
      assert.equal(tries.at(-1)!.statusCode, 429, 'the account is locked after repeated failures');
      const right = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', remoteAddress: '10.56.0.1', payload: { email: member.email, password: member.password } });
      assert.equal(right.statusCode, 429, 'even the right password waits out the lock');

      const lookups = [];
      for (let i = 0; i < 11; i++) lookups.push(await t.app.inject({ method: 'POST', url: '/api/v1/tracking', remoteAddress: '10.57.0.1', payload: { orderNumber: `CS-${String(i).padStart(4, 'A')}-ZZZZ`, contact: 'nobody@example.com' } }));
      assert.equal(lookups[0]!.statusCode, 404);
      assert.equal(lookups.at(-1)!.statusCode, 429, 'sweeping order numbers from one address is stopped');
      assert.ok(Number(lookups.at(-1)!.headers['retry-after']) > 0);
    });

    test('security headers on pages and API; HSTS and Secure cookies only behind HTTPS', async () => {
      for (const url of ['/', '/products/xss-lamp', '/api/v1/products', '/admin/login']) {
        const res = await t.app.inject({ method: 'GET', url });
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /frame-ancestors 'none'/, url);
        assert.match(csp, /script-src 'self'/, url);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
        assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
        assert.equal(res.headers['strict-transport-security'], undefined, `${url}: no HSTS over plain HTTP`);
      }
      const plainCart = await t.app.inject({ method: 'POST', url: '/cart/items', payload: { sku: 'MUG-1', quantity: '1' } });
      const cartCookie = plainCart.cookies.find((c) => c.name === 'cart')!;
      assert.equal(cartCookie.httpOnly, true);
      assert.equal(cartCookie.sameSite, 'Lax');
      assert.ok(!cartCookie.secure, 'not Secure over plain HTTP (it would never come back)');

      const proxied = await testApp(kind, { env: { TRUST_PROXY: 'true' } });
      try {
        const https = { 'x-forwarded-proto': 'https', 'x-forwarded-host': '127.0.0.1:3000' };
        const page = await proxied.app.inject({ method: 'GET', url: '/', headers: https });
        assert.match(String(page.headers['strict-transport-security']), /max-age=\d{7,}/);
        const spoofed = await t.app.inject({ method: 'GET', url: '/', headers: https });
        assert.equal(spoofed.headers['strict-transport-security'], undefined, 'x-forwarded-proto is ignored unless TRUST_PROXY is set');
        await addProducts(proxied.ctx, basicCatalog);
        const cart = await proxied.app.inject({ method: 'POST', url: '/cart/items', headers: https, payload: { sku: 'MUG-1', quantity: '1' } });
        const c = cart.cookies.find((x) => x.name === 'cart')!;
        assert.equal(c.secure, true);
        assert.equal(c.httpOnly, true);
        const member = await addStaff(proxied.ctx, 'owner');
        const signIn = await proxied.app.inject({ method: 'POST', url: '/admin/login', headers: https, payload: { email: member.email, password: member.password, next: '/admin' } });
        assert.equal(signIn.statusCode, 303);
        const s = signIn.cookies.find((x) => x.name === 'staff_session')!;
        assert.equal(s.secure, true);
        assert.equal(s.httpOnly, true);
        assert.equal(s.sameSite, 'Strict');
      } finally {
        await proxied.close();
      }
    });

    test('no card number, CVC, password or token reaches the logs', async () => {
      // A client that still sends a distinctive card and CVC is refused, and neither is logged; then a checkout with a token.
      const cart = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
      const card = { cardNumber: '5555555555554444', cvc: '918' };
      const bad = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${cart}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: checkoutBody({ payment: { ...card, expMonth: 13 } as never }) });
      assert.equal(bad.statusCode, 422);
      assert.ok(!bad.body.includes(card.cardNumber), 'the refusal does not echo the card');
      const ok = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${cart}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: checkoutBody() });
      assert.equal(ok.statusCode, 201, ok.body);
      const declined = await placeTestOrderOrRefusal(t, TOKENS.declined);
      assert.equal(declined, 402);
      // A sign-in through the form and a token request, then the token in use.
      const member = await addStaff(t.ctx, 'owner', { password: 'correct-horse-battery-9' });
      await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: '10.60.0.1', payload: { email: member.email, password: 'correct-horse-battery-9' } });
      await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: '10.60.0.1', payload: { email: member.email, password: 'wrong-horse-battery-9' } });
      const token = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', remoteAddress: '10.60.0.2', payload: { email: member.email, password: 'correct-horse-battery-9' } });
      const bearer = token.json().token as string;
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/orders', headers: { authorization: `Bearer ${bearer}` } });
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/orders', headers: { authorization: `Bearer ${bearer}x` } });
      // Secrets that travel in URLs: a signed tracking link, and the cart id (the only key to a cart).
      const found = await t.app.inject({ method: 'POST', url: '/track', remoteAddress: '10.60.0.3', payload: { orderNumber: order.number, contact: 'mallory@example.com' } });
      const link = String(found.headers.location);
      const trackingToken = new URL(link, 'http://x').searchParams.get('t')!;
      await t.app.inject({ method: 'GET', url: link });

      assert.ok(logs.includes('"reqId"'), 'request logs were captured');
      for (const secret of [card.cardNumber, '4242424242424242', 'correct-horse-battery-9', 'wrong-horse-battery-9', ...secrets]) {
        assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 4)}…`);
      }
      assert.ok(!logs.includes(bearer.slice(8)), 'the API token reached the logs');
      assert.ok(trackingToken && !logs.includes(trackingToken), 'a tracking link token reached the logs');
      assert.ok(!logs.includes(cart), 'a cart id reached the logs');
      assert.ok(!/"cvc"\s*:\s*"?\d/.test(logs) && !logs.includes('"918"'), 'a CVC reached the logs');
    });
  });
}

/** A concrete URL for a route pattern: the test order's number, its product, otherwise well-formed ids. */
function fill(path: string, number: string, productId: string): string {
  return path
    .replace(':number', number)
    .replace(/\/products\/:id/, `/products/${productId}`)
    .replace(':sku', 'MUG-1')
    .replace(':carrier', 'UPS')
    .replace(':index', '0')
    .replace(':size', 'thumb')
    .replace(':name', 'missing.eml')
    .replace(/:[A-Za-z]+/g, () => randomUUID());
}

async function placeTestOrderOrRefusal(t: TestApp, paymentMethod: string): Promise<number> {
  const cart = await createTestCart(t, [{ sku: 'MUG-1', quantity: 1 }]);
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${cart}/checkout`, headers: { 'idempotency-key': randomUUID() }, payload: checkoutBody({ payment: { paymentMethod } }) });
  return res.statusCode;
}
