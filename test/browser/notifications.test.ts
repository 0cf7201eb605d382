// The order confirmation as a customer sees it: an order placed through the API, delivered
// by the outbox worker to an .eml file, its HTML part opened in Chromium at desktop and
// phone widths. Screenshots land in test-output/ for a person to look at.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, type BrowserApp } from '../helpers/browser.ts';
import { addProducts } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { outbox } from '../../src/db/schema.ts';
import { fileMailer, readMailFile, listMailFiles } from '../../src/domain/notifications/mailer.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/jobs/outbox-worker.ts';

describe('the order confirmation email in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  let worker: OutboxWorker;
  let dir: string;
  before(async () => {
    b = await browserApp('pglite');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'casanova-mail-'));
    worker = startOutboxWorker(b.ctx, { mailer: fileMailer(dir) });
    await addProducts(b.ctx, [
      {
        slug: 'oak-linen-table-lamp',
        name: 'Oak & Linen Table Lamp',
        category: 'lighting',
        variants: [{ sku: 'LAMP-OAK-NAT', price: 8_900, stock: 20, options: { Colour: 'Natural oak', Shade: 'Off-white linen' } }],
      },
      { slug: 'stoneware-mug', name: 'Stoneware Mug, Set of 2', category: 'kitchen', variants: [{ sku: 'MUG-SAND-2', price: 2_400, stock: 50, options: { Glaze: 'Sand' } }] },
      { slug: 'wool-throw', name: 'Hand-Woven Merino Wool Throw Blanket with Fringed Edges', category: 'textiles', variants: [{ sku: 'THROW-MER-CHAR', price: 12_500, stock: 5 }] },
    ]);
  });
  after(async () => {
    await worker?.stop();
    await b?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads like a real shop’s receipt at desktop and phone widths', async () => {
    const order = await placeTestOrder(
      b,
      [
        { sku: 'LAMP-OAK-NAT', quantity: 1 },
        { sku: 'MUG-SAND-2', quantity: 2 },
        { sku: 'THROW-MER-CHAR', quantity: 1 },
      ],
      { body: { email: 'jane.porter@example.com', shippingAddress: { name: 'Jane Porter', line1: '1204 Juliana Street', line2: 'Apt 4B' } } },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await b.ctx.db.select().from(outbox).where(eq(outbox.template, 'order_confirmation'));
      if (row?.status === 'sent') break;
      assert.ok(Date.now() < deadline, 'the confirmation was written within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const [file] = await listMailFiles(dir, 1);
    const mail = await readMailFile(dir, file!.name);
    assert.equal(mail.subject, `Order ${order.number} confirmed`);
    await fs.writeFile('test-output/email-order-confirmation.txt', mail.text ?? '');
    await fs.copyFile(path.join(dir, file!.name), 'test-output/email-order-confirmation.eml');

    for (const [name, width] of [
      ['email-order-confirmation-desktop', 1024],
      ['email-order-confirmation-phone', 375],
    ] as const) {
      const page = await b.newPage({ width, height: 800 });
      await page.setContent(mail.html!, { waitUntil: 'load' });
      await screenshot(page, name);
      // Nothing may force sideways scrolling on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `${name}: content wider than the window`);
      assert.ok(await page.getByRole('link', { name: 'Track your order' }).isVisible());
      await page.close();
    }
  });
});
