// The back office beyond orders, in a real browser: an owner reads the dashboard after a
// month of trading, creates a product with a picture and finds it on the storefront, counts
// stock in, and reads the mail screen. Screenshots at 1280 wide for a person to look at.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { insertPaidOrder } from '../helpers/order-fixture.ts';
import { signIn } from '../helpers/staff.ts';
import { fixedClock } from '../helpers/test-app.ts';
import { outbox, products, refunds, returnCases, variants } from '../../src/db/schema.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { fileMailer, mailDir } from '../../src/domain/notifications/mailer.ts';
import { startOutboxWorker } from '../../src/jobs/outbox-worker.ts';

const HOUR = 3600_000;
const CUSTOMERS = ['Ava Thompson', 'Marcus Lee', 'Priya Shah', 'Jonas Berg', 'Lucia Romero', 'Noah Kim', 'Grace Okafor', 'Eli Walsh'];

describe('back office: dashboard, catalog, stock and mail screens', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  let dataDir: string;
  const realNow = Date.now();
  const clock = fixedClock(new Date(realNow));

  /** A month of orders at different stages, so the dashboard shows a working shop. */
  async function tradeForAMonth() {
    const actor = { kind: 'staff' as const, staffId: randomUUID(), email: 'wren@casanova.test' };
    let n = 0;
    for (let day = 29; day >= 0; day--) {
      const count = [2, 3, 1, 4, 2, 0, 3, 5, 2, 1][day % 10]!;
      for (let k = 0; k < count; k++) {
        const at = realNow - day * 24 * HOUR - (k * 2 + 1) * HOUR;
        const name = CUSTOMERS[n++ % CUSTOMERS.length]!;
        clock.set(new Date(at));
        const o = await insertPaidOrder(b.ctx, { items: [{ sku: n % 3 ? 'MUG-1' : 'LAMP-1', quantity: 1 + (n % 2) }], createdAt: new Date(at), name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` });
        if (day === 0 && k === 0) continue; // just paid
        const step = async (hours: number, verb: () => Promise<unknown>) => {
          clock.set(new Date(Math.min(clock.now().getTime() + hours * HOUR, realNow - 60_000)));
          await verb();
        };
        await step(1.5 + (n % 4), () => orderService.verify(b.ctx, o.number, actor));
        if (day === 0) continue;
        await step(2 + (n % 3), () => orderService.startPreparing(b.ctx, o.number, actor));
        if (day === 1 && k === 0) continue;
        await step(0.5 + (n % 2), () => orderService.markPacked(b.ctx, o.number, actor));
        if (day === 1) continue;
        await step(3, () => orderService.ship(b.ctx, o.number, actor, { carrier: 'other', trackingNumber: `LOC-${o.number}` }));
        if (day > 4) await step(40 + (n % 30), () => orderService.markDelivered(b.ctx, o.number, actor));
        if (day % 9 === 3 && k === 0) {
          clock.set(new Date(at + 5 * 24 * HOUR));
          await b.ctx.db.insert(returnCases).values({ number: `RMA-${o.number.slice(3)}`, orderId: o.id, type: 'return', reason: n % 2 ? 'damaged' : 'changed_mind', condition: 'unopened', createdAt: clock.now() });
          await b.ctx.db.insert(refunds).values({ orderId: o.id, paymentId: o.paymentId, amount: 1500, status: 'succeeded', reason: 'Returned', source: 'return', idempotencyKey: randomUUID(), createdAt: clock.now(), updatedAt: clock.now() });
        }
      }
    }
    // One order on hold, waiting for an answer from the customer.
    clock.set(new Date(realNow - 5 * HOUR));
    const held = await insertPaidOrder(b.ctx, { items: [{ sku: 'MUG-1', quantity: 1 }], createdAt: clock.now(), name: 'Dana Fox', email: 'dana@example.com' });
    await orderService.putOnHold(b.ctx, held.number, actor, { reason: 'Apartment number missing' });
    clock.set(new Date(realNow));
  }

  /** Sends the queued emails into the mail folder, and leaves one failed delivery for staff. */
  async function deliverMail() {
    const worker = startOutboxWorker(b.ctx, { mailer: fileMailer(mailDir(b.ctx.config)), pollMs: 3_600_000, batchSize: 50 });
    while ((await worker.runOnce()) > 0);
    await worker.stop();
    await b.ctx.db.insert(outbox).values({
      template: 'order_shipped',
      recipient: 'marcus@exampel.com',
      subject: 'Your order is on its way',
      payload: {},
      status: 'failed',
      attempts: 8,
      lastError: '550 5.1.1 <marcus@exampel.com>: Recipient address rejected: domain not found',
    });
  }

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'casanova-browser-screens-'));
    b = await browserApp('pglite', { overrides: { clock }, env: { DATA_DIR: dataDir } });
    await addProducts(b.ctx, basicCatalog);
    await b.ctx.db.update(variants).set({ stock: 400 });
    await b.ctx.db.update(variants).set({ stock: 3 }).where(eq(variants.sku, 'LAMP-2'));
    await b.ctx.db.update(variants).set({ stock: 0 }).where(eq(variants.sku, 'VASE-1'));
    await tradeForAMonth();
    await deliverMail();
  });
  after(async () => {
    await b?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an owner reads the dashboard, creates a product with a picture and sees it in the store', async () => {
    const page = await b.newPage({ width: 1280, height: 900 });
    await signIn(page, b, 'owner', { name: 'Olivia Owner' });

    assert.equal(await page.getByRole('heading', { name: 'Dashboard', level: 1 }).count(), 1);
    assert.equal(await page.getByRole('img', { name: 'Orders per day' }).count(), 1);
    assert.match(await page.locator('#chart-desc').textContent() ?? '', /orders in the last 30 days/);
    const toVerify = page.getByRole('link', { name: /To verify/ });
    assert.equal(await toVerify.getAttribute('href'), '/admin/orders?status=paid');
    await screenshot(page, 'back-office-dashboard');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Stoneware Pitcher');
    await page.getByLabel('Category', { exact: true }).selectOption('kitchen');
    await page.getByLabel('Description').fill('A speckled stoneware pitcher that pours without dripping.\n\nHolds a litre; dishwasher safe.');
    await page.getByLabel('Name 1').fill('Material');
    await page.getByLabel('Value 1').fill('Speckled stoneware');
    await page.getByRole('button', { name: 'Add a row' }).click();
    assert.equal(await page.getByLabel('Value 1').inputValue(), 'Speckled stoneware', 'adding a row keeps what was typed');
    await page.getByLabel('Name 2').fill('Capacity');
    await page.getByLabel('Value 2').fill('1 l (34 fl oz)');
    await page.getByLabel('SKU').fill('PTC-STN-1L');
    await page.getByLabel('Options').fill('colour=Speckled white');
    await page.getByLabel('Price ($)', { exact: true }).fill('48,0');
    await page.getByLabel('Opening stock').fill('24');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByText('Enter an amount in dollars, like 49.95.').first().waitFor();
    assert.equal(await page.getByLabel('Name 2').inputValue(), 'Capacity', 'a refused form keeps every row');
    await page.getByLabel('Price ($)', { exact: true }).fill('48');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('status').filter({ hasText: 'Stoneware Pitcher created' }).waitFor();

    const picture = await sharp({ create: { width: 1200, height: 1200, channels: 3, background: '#d9d2c5' } })
      .composite([{ input: Buffer.from('<svg width="1200" height="1200"><ellipse cx="600" cy="680" rx="300" ry="380" fill="#8a7f70"/></svg>') }])
      .png()
      .toBuffer();
    await page.getByLabel('Picture', { exact: true }).setInputFiles({ name: 'pitcher.png', mimeType: 'image/png', buffer: picture });
    await page.getByLabel('Alt text', { exact: true }).fill('Speckled stoneware pitcher on a linen cloth');
    await page.getByRole('button', { name: 'Upload picture' }).click();
    await page.getByRole('status').filter({ hasText: 'Picture added.' }).waitFor();
    assert.equal(await page.getByLabel('Alt text, picture 1 (main)').inputValue(), 'Speckled stoneware pitcher on a linen cloth');
    await screenshot(page, 'back-office-product-edit');
    assert.deepEqual(await axeViolations(page), []);

    const [created] = await b.ctx.db.select().from(products).where(eq(products.slug, 'stoneware-pitcher'));
    assert.ok(created);
    const store = await b.newPage({ width: 1280, height: 900 });
    await store.goto(`${b.baseUrl}/products/stoneware-pitcher`);
    assert.equal(await store.getByRole('heading', { name: 'Stoneware Pitcher', level: 1 }).count(), 1);
    assert.equal(await store.getByRole('img', { name: 'Speckled stoneware pitcher on a linen cloth' }).first().isVisible(), true);
    assert.match(await store.locator('main').innerText(), /\$48\.00/);
    assert.match(await store.locator('main').innerText(), /Speckled stoneware/);
    await store.goto(`${b.baseUrl}/products?q=pitcher`);
    assert.equal(await store.getByRole('link', { name: /Stoneware Pitcher/ }).count() > 0, true, 'listed in the store search');
    await screenshot(store, 'back-office-new-product-in-store');
  });

  it('stock: low stock first; an adjustment with a reason lands in the ledger', async () => {
    const page = await b.newPage({ width: 1280, height: 900 });
    await signIn(page, b, 'warehouse', { name: 'Wren Warehouse' });
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Stock' }).click();
    const low = page.getByRole('region', { name: /Low stock/ });
    assert.match(await low.innerText(), /LAMP-2/);
    await screenshot(page, 'back-office-stock');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: 'Adjust LAMP-2' }).first().click();
    await page.getByLabel('Units to add or remove').fill('12');
    await page.getByRole('form', { name: 'Add or remove units' }).getByLabel('Reason').fill('Delivery from the supplier, PO 1182');
    await page.getByRole('button', { name: 'Adjust stock' }).click();
    await page.getByRole('status').filter({ hasText: 'LAMP-2: +12 — now 15 in stock.' }).waitFor();
    const ledger = page.getByRole('region', { name: 'Stock ledger' });
    assert.match(await ledger.innerText(), /Wren Warehouse\s+\+12\s+15\s+Restocked · Delivery from the supplier, PO 1182/);
    await screenshot(page, 'back-office-stock-variant');
    assert.deepEqual(await axeViolations(page), []);
  });

  it('mail: the notification log, a failed delivery to retry, and an email rendered in a sandbox', async () => {
    const page = await b.newPage({ width: 1280, height: 900 });
    await signIn(page, b, 'support', { name: 'Sol Support' });
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Mail' }).click();
    assert.match(await page.getByRole('region', { name: /Failed deliveries/ }).innerText(), /Recipient address rejected/);
    await screenshot(page, 'back-office-mail');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('region', { name: 'Mail folder' }).getByRole('link').first().click();
    const frame = page.frameLocator('iframe.mail-frame');
    await frame.locator('body').waitFor();
    assert.ok((await frame.locator('body').innerText()).length > 20, 'the email renders inside the frame');
    await screenshot(page, 'back-office-mail-email');

    await page.goBack();
    await page.getByRole('button', { name: /Retry email/ }).click();
    await page.getByRole('status').filter({ hasText: /queued again/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Retry email/ }).count(), 0);
  });
});
