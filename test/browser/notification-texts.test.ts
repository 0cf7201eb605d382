// An owner in a real browser changes the shipping email's intro, previews it against a shipped
// order, sends a test to themself and looks at the email that arrives. Screenshots of the
// editor and of the received email.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, type BrowserApp } from '../helpers/browser.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { insertPaidOrder } from '../helpers/order-fixture.ts';
import { signIn } from '../helpers/staff.ts';
import { outbox } from '../../src/db/schema.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { fileMailer, readMailFile } from '../../src/domain/notifications/mailer.ts';
import { startOutboxWorker } from '../../src/jobs/outbox-worker.ts';

describe('editable notifications in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  let dir: string;
  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, basicCatalog);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'casanova-notify-b-'));
  });
  after(async () => {
    await b?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('edits the shipped email intro, previews it against an order, sends a test and shows it', async () => {
    const page = await b.newPage({ width: 1280, height: 900 });
    const owner = await signIn(page, b, 'owner', { name: 'Olive Owner' });
    const actor = { kind: 'staff' as const, staffId: owner.id, email: owner.email };
    const o = await insertPaidOrder(b.ctx, { name: 'Jane Doe' });
    for (const step of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await step(b.ctx, o.number, actor);
    await orderService.ship(b.ctx, o.number, actor, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });

    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('link', { name: 'Order shipped' }).click();
    await page.getByLabel('Intro').fill('Hello from the workshop: order {{order_number}} is with {{carrier}} now. <b>not bold</b>');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('emails use these texts from now on').waitFor();

    await page.getByLabel('Order number').fill(o.number);
    await page.getByRole('button', { name: 'Preview' }).click();
    const intro = `Hello from the workshop: order ${o.number} is with UPS now. <b>not bold</b>`;
    assert.ok((await page.locator('pre.mail-text').innerText()).includes(intro));
    const frame = page.frameLocator('iframe.mail-frame');
    await frame.getByText(intro).waitFor();
    assert.equal(await frame.locator('b').count(), 0, 'markup is shown as text');
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.match(await page.locator('.changes').first().innerText(), /Intro: default →/);
    await screenshot(page, 'notifications-editor');

    await page.getByRole('button', { name: 'Send a test to me' }).click();
    await page.getByText(`is on its way to ${owner.email}`).waitFor();
    const worker = startOutboxWorker(b.ctx, { mailer: fileMailer(dir), pollMs: 60_000 });
    while ((await worker.runOnce()) > 0);
    await worker.stop();
    const [row] = await b.ctx.db.select().from(outbox).where(eq(outbox.recipient, owner.email)).orderBy(desc(outbox.id)).limit(1);
    assert.equal(row?.status, 'sent');
    const mail = await readMailFile(dir, `outbox-${row!.id}.eml`);
    const inbox = await b.newPage({ width: 700, height: 900 });
    await inbox.setContent(mail.html!);
    await inbox.getByText(intro).waitFor();
    await inbox.getByRole('link', { name: 'Track your order' }).waitFor();
    await screenshot(inbox, 'notifications-test-email');
  });
});
