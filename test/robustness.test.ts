// Random and malformed input thrown at every API body and form (fast-check): the answer is
// always a 4xx — a validation failure names the field — and never a 5xx. Oversized bodies
// and uploads are refused early with 413.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { checkoutBody, createTestCart, placeTestOrder } from './helpers/orders.ts';
import { addStaff, staffToken } from './helpers/staff.ts';

/** Runs per endpoint: enough to find a crash, few enough for CI. */
const RUNS = { pglite: 50, postgres: 25 } as const;

/** A 4xx, never a 5xx; a 422 names at least one field. */
function assertRefusedWell(res: LightMyRequestResponse, what: string) {
  assert.ok(res.statusCode < 500, `${what} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  if (res.statusCode === 422 && res.headers['content-type']?.toString().includes('json')) {
    const fields = res.json().error?.details?.fields;
    assert.ok(fields && Object.keys(fields).length > 0, `${what}: a validation failure names the field: ${res.body.slice(0, 300)}`);
  }
}

/** JSON-ish values, including the shapes that break naive code. */
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '\u0000', '9'.repeat(400), '-1', 'NaN', '1e309', '__proto__', "' OR 1=1 --", '<script>', '\u202e\ud83d\ude00'),
  fc.constantFrom(-1, 0, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

/** A valid body with some of its fields (nested ones too) replaced, dropped or added. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths = leafPaths(valid);
  const edit = fc.record({ path: fc.constantFrom(...paths), value: fc.option(junk, { nil: undefined }) });
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce((body, e) => setPath(body, e.path, e.value), structuredClone(valid) as unknown)) },
    { weight: 1, arbitrary: junk },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), junk, { maxKeys: 5 }) },
  );
}

function leafPaths(v: unknown, prefix: string[] = []): string[][] {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return [prefix, ...Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...prefix, k]))].filter((p) => p.length > 0);
  }
  return [prefix];
}

function setPath(body: unknown, path: string[], value: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  let node = body as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') return body;
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return body;
}

/** Form fields as a browser sends them: strings, some missing, some junk. */
function formOf(fields: Record<string, string>): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '0', '-5', '99999999999', 'a\u0000b', "' OR 1=1 --", '<script>alert(1)</script>', 'CS-AAAA-AAAA', 'a@b.c', '13/99'));
  return fc
    .record(Object.fromEntries(Object.keys(fields).map((k) => [k, fc.option(value, { nil: undefined })])))
    .map((r) => Object.fromEntries(Object.entries({ ...fields, ...r }).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

for (const { kind, skip } of DB_KINDS) {
  describe(`robustness on ${kind}`, { skip }, () => {
    let t: TestApp;
    let owner: string;
    let number: string;
    let cartId: string;
    let ip = 0;
    const numRuns = RUNS[kind];
    /** Each request from its own address, so the rate limits (which are tested elsewhere) stay out of the way. */
    const send = (opts: InjectOptions) => t.app.inject({ remoteAddress: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`, ...opts });

    before(async () => {
      t = await testApp(kind);
      // Plenty of stock: the random checkouts that do succeed must not sell it out.
      await addProducts(t.ctx, [...basicCatalog, { slug: 'bulk-mug', name: 'Bulk Mug', variants: [{ sku: 'BULK-1', price: 900, stock: 1_000_000 }] }]);
      owner = await staffToken(t, 'owner');
      ({ number } = await placeTestOrder(t, [{ sku: 'BULK-1', quantity: 1 }]));
      cartId = await createTestCart(t, [{ sku: 'BULK-1', quantity: 1 }]);
    });
    after(() => t?.close());

    const apis: { name: string; method: InjectOptions['method']; url: () => string; valid: () => Record<string, unknown>; headers?: () => Record<string, string> }[] = [
      { name: 'add to cart', method: 'POST', url: () => `/api/v1/carts/${cartId}/items`, valid: () => ({ sku: 'BULK-1', quantity: 1 }) },
      { name: 'change a cart line', method: 'PATCH', url: () => `/api/v1/carts/${cartId}/items/BULK-1`, valid: () => ({ quantity: 2 }) },
      { name: 'checkout', method: 'POST', url: () => `/api/v1/carts/${cartId}/checkout`, valid: () => checkoutBody() as unknown as Record<string, unknown>, headers: () => ({ 'idempotency-key': randomUUID() }) },
      { name: 'tracking lookup', method: 'POST', url: () => '/api/v1/tracking', valid: () => ({ orderNumber: number, contact: 'jane.doe@example.com' }) },
      { name: 'order request', method: 'POST', url: () => `/api/v1/orders/${number}/requests`, valid: () => ({ contact: 'jane.doe@example.com', type: 'cancel', message: 'Please cancel.' }) },
      { name: 'return request', method: 'POST', url: () => '/api/v1/returns', valid: () => ({ orderNumber: number, contact: 'jane.doe@example.com', type: 'return', items: [{ sku: 'BULK-1', quantity: 1 }], reason: 'damaged', condition: 'Chipped rim' }) },
      { name: 'auth token', method: 'POST', url: () => '/api/v1/auth/token', valid: () => ({ email: 'nobody@example.com', password: 'not-the-password' }) },
      { name: 'admin transition', method: 'POST', url: () => `/api/v1/admin/orders/${number}/transitions`, valid: () => ({ to: 'on_hold', reason: 'Checking the address' }), headers: () => ({ authorization: `Bearer ${owner}` }) },
      { name: 'admin shipment', method: 'POST', url: () => `/api/v1/admin/orders/${number}/shipments`, valid: () => ({ carrier: 'UPS', trackingNumber: '1Z999' }), headers: () => ({ authorization: `Bearer ${owner}` }) },
      { name: 'admin note', method: 'POST', url: () => `/api/v1/admin/orders/${number}/notes`, valid: () => ({ text: 'Called the customer' }), headers: () => ({ authorization: `Bearer ${owner}` }) },
      { name: 'admin stock', method: 'PUT', url: () => '/api/v1/admin/variants/LAMP-1/stock', valid: () => ({ quantity: 50, reason: 'count' }), headers: () => ({ authorization: `Bearer ${owner}` }) },
      { name: 'admin request decline', method: 'POST', url: () => `/api/v1/admin/requests/${randomUUID()}/decline`, valid: () => ({ reason: 'Already packed' }), headers: () => ({ authorization: `Bearer ${owner}` }) },
      { name: 'admin return decision', method: 'POST', url: () => `/api/v1/admin/returns/${randomUUID()}/decline`, valid: () => ({ reason: 'Outside the window' }), headers: () => ({ authorization: `Bearer ${owner}` }) },
    ];

    for (const api of apis) {
      test(`API: ${api.name} answers random and malformed bodies with a 4xx naming the field`, async () => {
        await fc.assert(
          fc.asyncProperty(mutated(api.valid()), async (body) => {
            const res = await send({ method: api.method, url: api.url(), headers: { 'content-type': 'application/json', ...api.headers?.() }, payload: JSON.stringify(body) ?? 'null' });
            assertRefusedWell(res, `${api.name} with ${JSON.stringify(body)?.slice(0, 200)}`);
          }),
          { numRuns },
        );
        // Bytes that are not JSON at all, or not what the header says.
        for (const raw of ['{', '{"a":', 'nul', '\u0000\u0001', '[1,2', '"'.repeat(3)]) {
          const res = await send({ method: api.method, url: api.url(), headers: { 'content-type': 'application/json', ...api.headers?.() }, payload: raw });
          assertRefusedWell(res, `${api.name} with raw ${JSON.stringify(raw)}`);
        }
        const text = await send({ method: api.method, url: api.url(), headers: { 'content-type': 'text/plain', ...api.headers?.() }, payload: 'hello' });
        assertRefusedWell(text, `${api.name} as text/plain`);
      });
    }

    const forms: { name: string; url: () => string; fields: Record<string, string>; cookie?: () => Promise<string> }[] = [
      { name: 'add to cart form', url: () => '/cart/items', fields: { sku: 'BULK-1', quantity: '1' } },
      { name: 'cart update form', url: () => '/cart/update', fields: { sku: 'BULK-1', quantity: '2' }, cookie: async () => `cart=${cartId}` },
      { name: 'cart remove form', url: () => '/cart/remove', fields: { sku: 'BULK-1' }, cookie: async () => `cart=${cartId}` },
      {
        name: 'checkout form',
        url: () => '/checkout',
        fields: { email: 'a@example.com', phone: '304-555-0142', name: 'A B', line1: '1 Main St', city: 'Parkersburg', state: 'WV', postalCode: '26101', shippingMethod: 'standard', cardNumber: '4242424242424242', expiry: '12/30', cvc: '123', idempotencyKey: 'k' },
        cookie: async () => `cart=${await createTestCart(t, [{ sku: 'BULK-1', quantity: 1 }])}`,
      },
      { name: 'tracking form', url: () => '/track', fields: { orderNumber: 'CS-AAAA-AAAA', contact: 'a@example.com' } },
      { name: 'contact form', url: () => '/contact', fields: { name: 'Ann', email: 'ann@example.com', orderNumber: '', topic: 'order', message: 'Where is my parcel, please?' } },
      { name: 'returns lookup form', url: () => '/returns', fields: { orderNumber: 'CS-AAAA-AAAA', contact: 'a@example.com' } },
      { name: 'order request form', url: () => '/track/request?t=bad', fields: { type: 'cancel', message: 'Cancel please' } },
      { name: 'admin sign-in form', url: () => '/admin/login', fields: { email: 'x@example.com', password: 'nope', next: '/admin' } },
    ];

    for (const form of forms) {
      test(`form: ${form.name} answers random fields with a page, never a 5xx`, async () => {
        const cookie = form.cookie ? await form.cookie() : undefined;
        await fc.assert(
          fc.asyncProperty(formOf(form.fields), async (fields) => {
            const res = await send({ method: 'POST', url: form.url(), headers: cookie ? { cookie } : {}, payload: fields });
            assert.ok(res.statusCode < 500, `${form.name} with ${JSON.stringify(fields)} answered ${res.statusCode}`);
          }),
          { numRuns: Math.ceil(numRuns / 2) },
        );
      });
    }

    test('admin transition form answers random fields with a page, never a 5xx', async () => {
      const member = await addStaff(t.ctx, 'owner');
      const login = await send({ method: 'POST', url: '/admin/login', payload: { email: member.email, password: member.password } });
      const cookie = `staff_session=${login.cookies.find((c) => c.name === 'staff_session')!.value}`;
      const page = await send({ method: 'GET', url: `/admin/orders/${number}`, headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      await fc.assert(
        fc.asyncProperty(formOf({ to: 'on_hold', reason: 'Checking', carrier: 'UPS', trackingNumber: '1Z', _csrf: csrf }), async (fields) => {
          const res = await send({ method: 'POST', url: `/admin/orders/${number}/transitions`, headers: { cookie }, payload: { ...fields, _csrf: csrf } });
          assert.ok(res.statusCode < 500, `transition form with ${JSON.stringify(fields)} answered ${res.statusCode}`);
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });

    test('a NUL character in a query string or path is refused naming the field', async () => {
      for (const url of ['/products?q=%00', '/api/v1/products?q=a%00', '/api/v1/carts/%00abc', `/api/v1/admin/orders?q=%00`, '/track?t=%00', '/products/%00']) {
        const res = await send({ method: 'GET', url, headers: { authorization: `Bearer ${owner}` } });
        assertRefusedWell(res, url);
        assert.ok(res.statusCode >= 400, `${url} answered ${res.statusCode}`);
      }
    });

    test('oversized bodies and uploads are refused early with 413', async () => {
      const big = JSON.stringify({ sku: 'BULK-1', quantity: 1, padding: 'x'.repeat(1024 * 1024 + 10) });
      const json = await send({ method: 'POST', url: `/api/v1/carts/${cartId}/items`, headers: { 'content-type': 'application/json' }, payload: big });
      assert.equal(json.statusCode, 413);
      assert.equal(json.json().error.code, 'payload_too_large');
      const form = await send({ method: 'POST', url: '/contact', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `message=${'x'.repeat(65 * 1024)}` });
      assert.equal(form.statusCode, 413);

      // A 9 MB "picture" to the admin image form.
      const member = await addStaff(t.ctx, 'owner');
      const login = await send({ method: 'POST', url: '/admin/login', payload: { email: member.email, password: member.password } });
      const cookie = `staff_session=${login.cookies.find((c) => c.name === 'staff_session')!.value}`;
      const list = await send({ method: 'GET', url: '/admin/products', headers: { cookie } });
      const productId = /\/admin\/products\/([0-9a-f-]{36})/.exec(list.body)![1]!;
      const page = await send({ method: 'GET', url: `/admin/products/${productId}`, headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const boundary = '----casanova' + randomUUID();
      const upload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nHuge\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`),
        Buffer.alloc(9 * 1024 * 1024, 1),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await send({ method: 'POST', url: `/admin/products/${productId}/images?_csrf=${encodeURIComponent(csrf)}`, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: upload });
      assert.equal(res.statusCode, 413, res.body.slice(0, 200));
    });
  });
}
