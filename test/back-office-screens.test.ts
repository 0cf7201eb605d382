// Scenario tests for the back-office screens beyond orders: the dashboard's numbers (in the
// shop's time zone), catalog editing with named validation errors, picture uploads, stock
// adjustments and their ledger, the mail screen with retries and sandboxed email HTML, the
// order notification API, and who may open what. On PGlite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { insertPaidOrder } from './helpers/order-fixture.ts';
import { addStaff, staffToken } from './helpers/staff.ts';
import { outbox, productImages, products, refunds, returnCases, stockLedger, variants } from '../src/db/schema.ts';
import type { Role } from '../src/domain/staff/roles.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { dashboard } from '../src/domain/reporting/dashboard-queries.ts';
import { fileMailer, mailDir } from '../src/domain/notifications/mailer.ts';
import { MAX_UPLOAD_BYTES } from '../src/domain/storage/images.ts';

type Form = Record<string, string>;
const encode = (form: Form) => new URLSearchParams(form).toString();
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no _csrf field on the page');
const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const unescape = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** A multipart/form-data body, as a browser sends a file upload form. */
function multipart(fields: Form, file?: { name: string; filename: string; type: string; bytes: Buffer }) {
  const boundary = `----casanova${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

for (const { kind, skip } of DB_KINDS) {
  describe(`back-office screens on ${kind}`, { skip }, () => {
    let t: TestApp;
    let dataDir: string;
    // Wednesday 10:00 in New York (the shop's default time zone), 15:00 UTC.
    const clock = fixedClock('2025-03-05T15:00:00Z');
    const sessions = new Map<Role, { session: string; csrf: string; name: string; id: string }>();

    async function signIn(role: Role) {
      const member = await addStaff(t.ctx, role, { name: `Test ${role}` });
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password, next: '/admin' }),
      });
      assert.equal(res.statusCode, 303, res.body);
      const session = res.cookies.find((c) => c.name === 'staff_session')!.value;
      const csrf = csrfIn((await t.app.inject({ url: '/admin/account', cookies: { staff_session: session } })).body);
      sessions.set(role, { session, csrf, name: member.name, id: member.id });
    }
    const as = (role: Role) => sessions.get(role)!;
    const get = (role: Role, url: string) => t.app.inject({ url, headers: { accept: 'text/html' }, cookies: { staff_session: as(role).session } });
    const post = (role: Role, url: string, form: Form = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        cookies: { staff_session: as(role).session },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ _csrf: as(role).csrf, ...form }),
      });
    const upload = (role: Role, productId: string, fields: Form, file?: Parameters<typeof multipart>[1]) => {
      const body = multipart(fields, file);
      return t.app.inject({
        method: 'POST',
        url: `/admin/products/${productId}/images?_csrf=${encodeURIComponent(as(role).csrf)}`,
        cookies: { staff_session: as(role).session },
        headers: body.headers,
        payload: body.payload,
      });
    };
    /** The page a redirect leads to, with its one-time notice. */
    const follow = async (role: Role, res: Awaited<ReturnType<typeof post>>) => {
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const notice = res.cookies.find((c) => c.name === 'admin_flash')?.value;
      return t.app.inject({ url: String(res.headers.location), cookies: { staff_session: as(role).session, ...(notice ? { admin_flash: notice } : {}) } });
    };
    const stockOf = async (sku: string) => (await t.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, sku)))[0]!.stock;

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'casanova-screens-'));
      t = await testApp(kind, { overrides: { clock }, env: { DATA_DIR: dataDir } });
      await addProducts(t.ctx, basicCatalog);
      await t.ctx.db.update(variants).set({ stock: 500 }).where(eq(variants.sku, 'MUG-1'));
      for (const role of ['owner', 'support', 'warehouse'] as const) await signIn(role);
    });
    after(async () => {
      await t?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    describe('dashboard', () => {
      it('counts revenue for today and this week in the shop’s time zone, less refunds that succeeded, and orders waiting per stage', async () => {
        const mug = [{ sku: 'MUG-1', quantity: 1 }];
        // 09:00 New York today.
        const today = await insertPaidOrder(t.ctx, { items: mug, createdAt: new Date('2025-03-05T14:00:00Z') });
        // 23:30 New York yesterday, though already "today" in UTC: this week, not today.
        const lateYesterday = await insertPaidOrder(t.ctx, { items: [{ sku: 'MUG-1', quantity: 2 }], createdAt: new Date('2025-03-05T04:30:00Z') });
        // Monday 01:00 New York: this week.
        const monday = await insertPaidOrder(t.ctx, { items: mug, createdAt: new Date('2025-03-03T06:00:00Z') });
        // Sunday 23:00 New York, Monday in UTC: last week.
        const sunday = await insertPaidOrder(t.ctx, { items: mug, createdAt: new Date('2025-03-03T04:00:00Z') });

        const staffActor = { kind: 'staff' as const, staffId: randomUUID(), email: 'sam@casanova.test' };
        await orderService.verify(t.ctx, today.number, staffActor); // an hour after it was paid
        await orderService.putOnHold(t.ctx, sunday.number, staffActor, { reason: 'Address looks wrong' });

        const refund = (orderId: string, paymentId: string, amount: number, status: string) =>
          t.ctx.db.insert(refunds).values({ orderId, paymentId, amount, status, reason: 'Damaged in transit', source: 'return', idempotencyKey: randomUUID(), createdAt: clock.now(), updatedAt: clock.now() });
        await refund(monday.id, monday.paymentId, 500, 'succeeded');
        await refund(monday.id, monday.paymentId, 700, 'pending'); // not paid out yet: not subtracted
        await t.ctx.db.insert(returnCases).values({ number: `RMA-${randomBytes(4).toString('hex').toUpperCase()}`, orderId: monday.id, type: 'return', reason: 'damaged', condition: 'opened', createdAt: clock.now() });

        const d = await dashboard(t.ctx);
        assert.equal(d.timeZone, 'America/New_York');
        assert.deepEqual([d.today.orders, d.today.gross, d.today.refunded, d.today.net], [1, today.total, 500, today.total - 500]);
        const weekGross = today.total + lateYesterday.total + monday.total;
        assert.deepEqual([d.week.orders, d.week.gross, d.week.net], [3, weekGross, weekGross - 500]);
        assert.equal(d.week.from.toISOString(), '2025-03-03T05:00:00.000Z', 'the week starts Monday 00:00 in New York');

        const waiting = Object.fromEntries(d.waiting.map((w) => [w.status, w.count]));
        assert.deepEqual(waiting, { paid: 2, verified: 1, on_hold: 1, preparing: 0, packed: 0 });
        assert.equal(d.stageDurations.paid?.medianMs !== undefined, true);
        assert.equal(d.stageDurations.paid!.samples, 2, 'two orders left "paid"');

        const perDay = Object.fromEntries(d.ordersPerDay.map((x) => [x.date, x.orders]));
        assert.equal(d.ordersPerDay.length, 30);
        assert.equal(d.ordersPerDay.at(-1)!.date, '2025-03-05');
        assert.deepEqual([perDay['2025-03-05'], perDay['2025-03-04'], perDay['2025-03-03'], perDay['2025-03-02']], [1, 1, 1, 1]);
        assert.equal(d.afterSalesPerWeek.at(-1)!.returns, 1);
        assert.deepEqual([d.afterSalesPerWeek.at(-1)!.refunds, d.afterSalesPerWeek.at(-1)!.refunded], [1, 500]);
        assert.deepEqual(d.returnReasons, [{ reason: 'damaged', count: 1 }]);

        const page = await get('warehouse', '/admin');
        assert.equal(page.statusCode, 200);
        for (const status of ['paid', 'on_hold', 'verified', 'preparing', 'packed']) assert.ok(page.body.includes(`href="/admin/orders?status=${status}"`), `a link to the ${status} tab`);
        assert.match(page.body, /<svg[^>]*role="img"/);
        assert.match(page.body, /<desc id="chart-desc">4 orders in the last 30 days/);
        assert.match(page.body, /Show the numbers/);
        assert.ok(page.body.includes('$'), 'revenue in dollars');
        assert.match(page.body, /Damaged: <strong>1<\/strong>/);
      });
    });

    describe('catalog', () => {
      it('refuses a product with problems, naming each field, and keeps what was typed', async () => {
        const res = await post('owner', '/admin/products', {
          name: ' ',
          slug: 'Not A Slug!',
          category: '',
          'new.sku': 'lamp 1',
          'new.options': 'colour',
          'new.price': '12.345',
          'new.compareAtPrice': '',
          specRows: '2',
          'specifications.0.name': 'Material',
          'specifications.0.value': '',
        });
        assert.equal(res.statusCode, 422);
        const body = unescape(res.body);
        assert.match(body, /Enter the product name\./);
        assert.match(body, /Use lower-case letters, digits and single dashes/);
        assert.match(body, /Choose a category\./);
        assert.match(body, /Use letters, digits, dots, dashes or underscores/);
        assert.match(body, /“colour” needs a name and a value/);
        assert.match(body, /Enter an amount in dollars/);
        assert.match(body, /Row 1: fill in both the name and the value/);
        assert.match(body, /href="#f-new-price"/, 'the summary links to the price field');
        assert.match(body, /value="Not A Slug!"/, 'what was typed stays');

        const taken = await post('owner', '/admin/products', { name: 'Another Lamp', slug: 'test-lamp', category: 'lighting', 'new.sku': 'LAMP-9', 'new.price': '10', 'new.compareAtPrice': '9' });
        assert.equal(taken.statusCode, 422);
        assert.match(unescape(taken.body), /The compare-at price is the old price shown struck through/);
        const slugTaken = await post('owner', '/admin/products', { name: 'Another Lamp', slug: 'test-lamp', category: 'lighting', 'new.sku': 'lamp-2', 'new.price': '10' });
        assert.equal(slugTaken.statusCode, 422);
        assert.match(unescape(slugTaken.body), /“Test Lamp” already uses the address \/products\/test-lamp/);
        const skuTaken = await post('owner', '/admin/products', { name: 'Another Lamp', category: 'lighting', 'new.sku': 'lamp-2', 'new.price': '10' });
        assert.match(unescape(skuTaken.body), /SKU LAMP-2 is already used by “Test Lamp”/);
        assert.equal((await t.ctx.db.select().from(products).where(eq(products.name, 'Another Lamp'))).length, 0, 'nothing was saved');
      });

      it('“Add a row” and “Remove” redraw the specifications without saving', async () => {
        const form = { name: 'Draft', category: 'kitchen', specRows: '3', 'specifications.0.name': 'A', 'specifications.0.value': '1', 'specifications.1.name': 'B', 'specifications.1.value': '2' };
        const added = await post('owner', '/admin/products', { ...form, intent: 'add-spec' });
        assert.equal(added.statusCode, 200);
        assert.match(added.body, /name="specRows" value="5"/, 'two filled rows and three blank');
        const removed = await post('owner', '/admin/products', { ...form, intent: 'remove-spec:0' });
        assert.match(removed.body, /name="specifications.0.name" value="B"/);
        assert.doesNotMatch(removed.body, /value="A"/);
        assert.equal((await t.ctx.db.select().from(products).where(eq(products.name, 'Draft'))).length, 0);
      });

      it('creates a product with its first variant in cents and its opening stock in the ledger, edits it, and the store shows it', async () => {
        const created = await post('owner', '/admin/products', {
          name: 'Walnut Serving Board',
          slug: '',
          category: 'kitchen',
          description: 'Oiled walnut, end grain.',
          active: 'on',
          specRows: '3',
          'specifications.0.name': 'Material',
          'specifications.0.value': 'Walnut',
          'specifications.1.name': 'Size',
          'specifications.1.value': '16 × 10 in',
          'new.sku': 'brd-wal-16',
          'new.options': 'size=16 in, finish=Oiled',
          'new.price': '$1,249.5',
          'new.compareAtPrice': '1399',
          'new.openingStock': '12',
        });
        const page = await follow('owner', created);
        assert.match(page.body, /Walnut Serving Board created/);
        const [product] = await t.ctx.db.select().from(products).where(eq(products.slug, 'walnut-serving-board'));
        assert.ok(product, 'slug made from the name');
        assert.deepEqual(product.specifications, [
          { name: 'Material', value: 'Walnut' },
          { name: 'Size', value: '16 × 10 in' },
        ]);
        const [variant] = await t.ctx.db.select().from(variants).where(eq(variants.productId, product.id));
        assert.deepEqual([variant!.sku, variant!.price, variant!.compareAtPrice, variant!.stock, variant!.options], ['BRD-WAL-16', 124950, 139900, 12, { size: '16 in', finish: 'Oiled' }]);
        const [ledger] = await t.ctx.db.select().from(stockLedger).where(eq(stockLedger.variantId, variant!.id));
        assert.deepEqual([ledger!.delta, ledger!.reason, ledger!.note, ledger!.staffId], [12, 'restock', 'Opening stock', as('owner').id]);

        const store = await t.app.inject({ url: '/products/walnut-serving-board' });
        assert.equal(store.statusCode, 200);
        assert.match(store.body, /\$1,249\.50/);

        // Edit: rename, drop a specification row, hide.
        const saved = await post('owner', `/admin/products/${product.id}`, {
          name: 'Walnut Board',
          slug: 'walnut-serving-board',
          category: 'kitchen',
          description: 'Oiled walnut.',
          specRows: '2',
          'specifications.0.name': '',
          'specifications.0.value': '',
          'specifications.1.name': 'Size',
          'specifications.1.value': '16 × 10 in',
        });
        assert.match((await follow('owner', saved)).body, /Product saved/);
        const [edited] = await t.ctx.db.select().from(products).where(eq(products.id, product.id));
        assert.deepEqual([edited!.name, edited!.active, edited!.specifications], ['Walnut Board', false, [{ name: 'Size', value: '16 × 10 in' }]]);
        assert.equal((await t.app.inject({ url: '/products/walnut-serving-board' })).statusCode, 404, 'a hidden product leaves the store at once');

        // Variants: a bad edit is refused by field, a good one saved, one added and removed.
        const prefix = `v-${variant!.id}.`;
        const bad = await post('owner', `/admin/products/${product.id}/variants/${variant!.id}`, { [`${prefix}sku`]: 'BRD-WAL-16', [`${prefix}price`]: '20', [`${prefix}compareAtPrice`]: '15' });
        assert.equal(bad.statusCode, 422);
        assert.match(unescape(bad.body), /make it higher than the price/);
        assert.match(bad.body, new RegExp(`id="f-v-${variant!.id}-compareAtPrice"`));
        const good = await post('owner', `/admin/products/${product.id}/variants/${variant!.id}`, { [`${prefix}sku`]: 'BRD-WAL-16', [`${prefix}price`]: '99', [`${prefix}options`]: 'size=16 in' });
        assert.match((await follow('owner', good)).body, /Variant BRD-WAL-16 saved/);
        assert.equal((await t.ctx.db.select().from(variants).where(eq(variants.id, variant!.id)))[0]!.price, 9900);
        const dup = await post('owner', `/admin/products/${product.id}/variants`, { 'new.sku': 'MUG-1', 'new.price': '5' });
        assert.match(unescape(dup.body), /SKU MUG-1 is already used by “Test Mug”/);
        const added = await post('owner', `/admin/products/${product.id}/variants`, { 'new.sku': 'BRD-WAL-20', 'new.price': '119', 'new.options': 'size=20 in' });
        assert.match((await follow('owner', added)).body, /Variant BRD-WAL-20 added/);
        const [second] = await t.ctx.db.select().from(variants).where(eq(variants.sku, 'BRD-WAL-20'));
        assert.deepEqual([second!.position, second!.stock], [1, 0]);
        assert.match((await follow('owner', await post('owner', `/admin/products/${product.id}/variants/${second!.id}/delete`))).body, /Variant removed/);
        const last = await post('owner', `/admin/products/${product.id}/variants/${variant!.id}/delete`);
        assert.equal(last.statusCode, 409);
        assert.match(last.body, /A product needs at least one variant/);
      });

      it('uploads pictures: refuses a non-image and a too-large file, requires alt text, accepts a PNG and serves its thumbnail; reorders and deletes', async () => {
        const [lamp] = await t.ctx.db.select().from(products).where(eq(products.slug, 'test-lamp'));
        const png = await sharp({ create: { width: 1400, height: 900, channels: 3, background: '#c49a5a' } }).png().toBuffer();

        const notImage = await upload('owner', lamp!.id, { alt: 'A lamp' }, { name: 'image', filename: 'lamp.png', type: 'image/png', bytes: Buffer.from('#!/bin/sh\necho not a picture\n') });
        assert.equal(notImage.statusCode, 415);
        assert.match(notImage.body, /Upload a JPEG, PNG, WebP, GIF or AVIF picture/);
        assert.match(notImage.body, /value="A lamp"/, 'the alt text typed stays');

        const tooLarge = await upload('owner', lamp!.id, { alt: 'A lamp' }, { name: 'image', filename: 'huge.png', type: 'image/png', bytes: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 1) });
        assert.equal(tooLarge.statusCode, 413);
        assert.match(tooLarge.body, /too large: pictures must be at most 8 MB/);

        const noAlt = await upload('owner', lamp!.id, { alt: ' ' }, { name: 'image', filename: 'lamp.png', type: 'image/png', bytes: png });
        assert.equal(noAlt.statusCode, 422);
        assert.match(noAlt.body, /Describe the picture for people who cannot see it/);

        const before = (await t.ctx.db.select().from(productImages).where(eq(productImages.productId, lamp!.id))).length;
        const ok = await upload('owner', lamp!.id, { alt: 'Lamp lit at dusk' }, { name: 'image', filename: 'lamp.png', type: 'image/png', bytes: png });
        const page = await follow('owner', ok);
        assert.match(page.body, /Picture added/);
        const images = await t.ctx.db.select().from(productImages).where(eq(productImages.productId, lamp!.id)).orderBy(productImages.position);
        assert.equal(images.length, before + 1);
        const added = images.at(-1)!;
        assert.deepEqual([added.alt, added.width, added.height], ['Lamp lit at dusk', 1000, 643]);
        const thumb = await t.app.inject({ url: `/images/${added.imageKey}/thumb.webp` });
        assert.equal(thumb.statusCode, 200);
        assert.equal(thumb.headers['content-type'], 'image/webp');
        assert.equal((await sharp(thumb.rawPayload).metadata()).width, 400);
        assert.match(page.body, new RegExp(`/images/${added.imageKey}/thumb.webp`));

        // Without the CSRF token in the address, an upload is refused.
        const body = multipart({ alt: 'x' }, { name: 'image', filename: 'lamp.png', type: 'image/png', bytes: png });
        const forged = await t.app.inject({ method: 'POST', url: `/admin/products/${lamp!.id}/images`, cookies: { staff_session: as('owner').session }, headers: body.headers, payload: body.payload });
        assert.equal(forged.statusCode, 403);

        // Move the new picture first, then delete it (and its stored sizes).
        assert.equal((await post('owner', `/admin/products/${lamp!.id}/images/${added.id}/move`, { direction: 'up' })).statusCode, 303);
        const [first] = await t.ctx.db.select().from(productImages).where(eq(productImages.productId, lamp!.id)).orderBy(productImages.position).limit(1);
        assert.equal(first!.id, added.id);
        const storePage = await t.app.inject({ url: '/products/test-lamp' });
        assert.ok(storePage.body.indexOf(added.imageKey) < storePage.body.indexOf(images[0]!.imageKey), 'the storefront shows the new first picture first');
        assert.equal((await post('owner', `/admin/products/${lamp!.id}/images/${added.id}`, { [`alt-${added.id}`]: '' })).statusCode, 422);
        assert.match((await follow('owner', await post('owner', `/admin/products/${lamp!.id}/images/${added.id}/delete`))).body, /Picture deleted/);
        assert.equal((await t.app.inject({ url: `/images/${added.imageKey}/large.webp` })).statusCode, 404);
      });
    });

    describe('stock', () => {
      it('lists low stock first, and an adjustment with a reason writes the ledger with who and why', async () => {
        const list = await get('warehouse', '/admin/stock');
        assert.equal(list.statusCode, 200);
        const low = list.body.slice(list.body.indexOf('id="low-title"'), list.body.indexOf('id="all-title"'));
        assert.match(low, /LAMP-2/);
        assert.match(low, /VASE-1/);
        assert.doesNotMatch(low, /MUG-1/);

        const noReason = await post('warehouse', '/admin/stock/MUG-1/adjust', { delta: 'lots', kind: 'restock', reason: '' });
        assert.equal(noReason.statusCode, 422);
        assert.match(noReason.body, /Enter a whole number of units/);
        assert.match(noReason.body, /Say why the stock changes/);
        const tooMany = await post('warehouse', '/admin/stock/LAMP-2/adjust', { delta: '-5', kind: 'write_off', reason: 'Broken' });
        assert.equal(tooMany.statusCode, 422);
        assert.match(tooMany.body, /Only 2 in stock: cannot remove 5/);

        const before = await stockOf('MUG-1');
        const adjusted = await post('warehouse', '/admin/stock/MUG-1/adjust', { delta: '-3', kind: 'write_off', reason: 'Dropped a box' });
        const page = await follow('warehouse', adjusted);
        assert.match(page.body, /MUG-1: -3 — now \d+ in stock/);
        assert.equal(await stockOf('MUG-1'), before - 3);
        const unexplained = await post('warehouse', '/admin/stock/MUG-1/set', { quantity: '480', countReason: ' ' });
        assert.equal(unexplained.statusCode, 422);
        assert.match(unexplained.body, /id="f-countReason-error">Say why the stock changes/);
        const set = await post('warehouse', '/admin/stock/MUG-1/set', { quantity: '480', countReason: 'Cycle count aisle 3' });
        await follow('warehouse', set);
        assert.equal(await stockOf('MUG-1'), 480);

        const [mug] = await t.ctx.db.select().from(variants).where(eq(variants.sku, 'MUG-1'));
        const ledger = await t.ctx.db.select().from(stockLedger).where(eq(stockLedger.variantId, mug!.id)).orderBy(stockLedger.id);
        const mine = ledger.filter((l) => l.staffId === as('warehouse').id).map((l) => [l.reason, l.delta, l.stockAfter, l.note]);
        assert.deepEqual(mine, [
          ['write_off', -3, before - 3, 'Dropped a box'],
          ['set', 480 - (before - 3), 480, 'Cycle count aisle 3'],
        ]);
        const history = await get('warehouse', '/admin/stock/MUG-1');
        assert.match(history.body, /Test warehouse/);
        assert.match(history.body, /Dropped a box/);
        assert.match(history.body, /Written off/);
      });
    });

    describe('mail', () => {
      it('shows failed deliveries with a Retry button that queues the email again', async () => {
        const [row] = await t.ctx.db
          .insert(outbox)
          .values({ template: 'order_shipped', recipient: 'jane@example.com', payload: {}, status: 'failed', attempts: 8, lastError: '550 mailbox unavailable' })
          .returning();
        const page = await get('support', '/admin/mail');
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /550 mailbox unavailable/);
        assert.match(page.body, new RegExp(`action="/admin/mail/${row!.id}/retry"`));

        const warehouseView = await get('warehouse', '/admin/mail');
        assert.equal(warehouseView.statusCode, 200, 'anyone who sees orders sees the log');
        assert.doesNotMatch(warehouseView.body, /\/retry"/, 'but only those allowed get the button');
        assert.equal((await post('warehouse', `/admin/mail/${row!.id}/retry`)).statusCode, 403);

        const retried = await follow('support', await post('support', `/admin/mail/${row!.id}/retry`));
        assert.match(retried.body, /queued again/);
        const [after] = await t.ctx.db.select().from(outbox).where(eq(outbox.id, row!.id));
        assert.equal(after!.status, 'pending');
        const again = await follow('support', await post('support', `/admin/mail/${row!.id}/retry`));
        assert.match(again.body, /Only a failed email can be retried; this one is pending/);
      });

      it('lists the mail folder and shows an email’s HTML only inside a sandbox that runs no script', async () => {
        await fileMailer(mailDir(t.ctx.config)).send({
          messageId: '<outbox-9001@127.0.0.1>',
          from: 'CasanovaSpace <orders@casanovaspace.com>',
          replyTo: 'help@casanovaspace.com',
          to: 'jane@example.com',
          subject: 'Your order is on its way',
          html: '<p>Hello Jane</p><script>parent.document.title = "owned"</script>',
          text: 'Hello Jane',
        });
        const page = await get('warehouse', '/admin/mail');
        assert.match(page.body, /href="\/admin\/mail\/files\/outbox-9001.eml">Your order is on its way/);
        const one = await get('warehouse', '/admin/mail/files/outbox-9001.eml');
        assert.equal(one.statusCode, 200);
        assert.match(one.body, /<iframe[^>]*src="\/admin\/mail\/files\/outbox-9001.eml\/html"[^>]*\ssandbox[\s>=]/, 'a sandboxed frame (an empty sandbox allows nothing)');
        assert.doesNotMatch(one.body, /<script/, 'the email is not inlined into the back-office page');

        const html = await get('warehouse', '/admin/mail/files/outbox-9001.eml/html');
        assert.equal(html.statusCode, 200);
        const csp = String(html.headers['content-security-policy']);
        assert.match(csp, /^sandbox;/);
        assert.match(csp, /default-src 'none'/);
        assert.doesNotMatch(csp, /script-src/);
        assert.equal(html.headers['x-frame-options'], 'SAMEORIGIN');
        assert.match(html.body, /Hello Jane/);

        assert.equal((await get('warehouse', '/admin/mail/files/..%2Fsecret.eml')).statusCode, 404);
        assert.equal((await t.app.inject({ url: '/admin/mail/files/outbox-9001.eml/html' })).statusCode, 303, 'signed out: to the sign-in page');
      });
    });

    describe('admin API', () => {
      it('GET /api/v1/admin/orders/{number}/notifications returns the order’s notification log', async () => {
        const order = await insertPaidOrder(t.ctx, { items: [{ sku: 'MUG-1', quantity: 1 }] });
        const actor = { kind: 'staff' as const, staffId: randomUUID(), email: 'sam@casanova.test' };
        for (const step of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await step(t.ctx, order.number, actor);
        await orderService.ship(t.ctx, order.number, actor, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
        const token = await staffToken(t, 'warehouse');
        const res = await t.app.inject({ url: `/api/v1/admin/orders/${order.number.toLowerCase()}/notifications`, headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.number, order.number);
        assert.deepEqual(
          body.items.map((n: { template: string; recipient: string; status: string }) => [n.template, n.recipient, n.status]),
          [['order_shipped', order.email, 'pending']],
        );
        assert.equal((await t.app.inject({ url: `/api/v1/admin/orders/${order.number}/notifications` })).statusCode, 401);
        const missing = await t.app.inject({ url: '/api/v1/admin/orders/CS-2222-2222/notifications', headers: { authorization: `Bearer ${token}` } });
        assert.equal(missing.statusCode, 404);
        const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
        assert.ok(spec.paths['/api/v1/admin/orders/{number}/notifications']?.get, 'documented in the OpenAPI document');
      });
    });

    describe('roles', () => {
      it('warehouse cannot edit the catalog or settings but can adjust stock; support cannot adjust stock', async () => {
        assert.equal((await get('warehouse', '/admin/products')).statusCode, 403);
        assert.equal((await get('warehouse', '/admin/products/new')).statusCode, 403);
        const [lamp] = await t.ctx.db.select().from(products).where(eq(products.slug, 'test-lamp'));
        const refused = await post('warehouse', `/admin/products/${lamp!.id}`, { name: 'Hijacked', category: 'lighting' });
        assert.equal(refused.statusCode, 403);
        assert.equal((await t.ctx.db.select().from(products).where(eq(products.id, lamp!.id)))[0]!.name, 'Test Lamp');
        assert.equal((await upload('warehouse', lamp!.id, { alt: 'x' })).statusCode, 403);
        assert.equal((await get('warehouse', '/admin/settings')).statusCode, 403);
        assert.equal((await post('warehouse', '/admin/settings', { storeName: 'Hijacked' })).statusCode, 403);

        assert.equal((await get('warehouse', '/admin/stock')).statusCode, 200);
        assert.equal((await post('warehouse', '/admin/stock/VASE-1/adjust', { delta: '4', kind: 'restock', reason: 'Supplier delivery' })).statusCode, 303);
        assert.equal((await get('support', '/admin/stock')).statusCode, 403);
        assert.equal((await post('support', '/admin/stock/VASE-1/adjust', { delta: '4', kind: 'restock', reason: 'x' })).statusCode, 403);
        assert.equal((await get('owner', '/admin/products')).statusCode, 200);

        const menu = (await get('warehouse', '/admin')).body;
        assert.doesNotMatch(menu, /href="\/admin\/products"/);
        assert.match(menu, /href="\/admin\/stock"/);
      });
    });
  });
}
