// A customer asks for a return in a real browser — finds the order, chooses an item, the
// kind and the reason, describes the condition and attaches a photo — then staff approve,
// receive and refund it in the back office, and the customer sees the refund on the
// tracking view and in an email. Screenshots of every step at desktop and phone widths.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { and, eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { fixedClock } from '../helpers/test-app.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { signIn } from '../helpers/staff.ts';
import { seedCatalog } from '../../src/db/seed/seed.ts';
import { orders, outbox, refunds, returnCases, variants } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/orders/order-events.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { formatMoney } from '../../src/domain/shared/money.ts';

const warehouse: Actor = { kind: 'staff', staffId: randomUUID(), email: 'wes@casanova.test' };

describe('returns in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  const clock = fixedClock(new Date());
  before(async () => {
    b = await browserApp('pglite', { overrides: { clock } });
    await seedCatalog(b.ctx);
  });
  after(() => b?.close());

  it('a customer applies for a return with a photo; staff approve, receive and refund it; the customer sees the refund', async () => {
    const receipt = await placeTestOrder(b, [{ sku: 'CSH-LIN-SGE', quantity: 2 }, { sku: 'TWL-WAF-WHT', quantity: 1 }], {
      body: { email: 'maya.fields@example.com', phone: '(304) 555-0163', shippingAddress: { name: 'Maya Fields', line1: '77 Ann St' } },
    });
    for (const verb of [orderService.verify, orderService.startPreparing, orderService.markPacked]) await verb(b.ctx, receipt.number, warehouse);
    await orderService.ship(b.ctx, receipt.number, warehouse, { carrier: 'other', trackingNumber: 'PARCEL123456' });
    clock.advance(2 * 86_400_000);
    await orderService.markDelivered(b.ctx, receipt.number, warehouse);
    clock.advance(3 * 86_400_000);

    // Step 1: find the order.
    const page = await b.newPage({ width: 1280, height: 900 });
    await page.goto('/returns');
    await screenshot(page, 'returns-1-find-desktop');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Order number').fill(receipt.number.toLowerCase().replace(/-/g, ' '));
    await page.getByLabel('Email or phone').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Find my order' }).click();
    assert.match(await page.getByRole('alert').innerText(), /could not find an order/);
    assert.equal(await page.getByLabel('Email or phone').inputValue(), 'nobody@example.com');
    await page.getByLabel('Email or phone').fill('304-555-0163');
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.waitForURL(/\/returns\?t=/);
    assert.ok(!page.url().includes('0163') && !page.url().includes('maya'), 'no contact details in the address bar');

    // Step 2: a request with nothing chosen shows every problem next to its field.
    await screenshot(page, 'returns-2-choose-desktop');
    assert.deepEqual(await axeViolations(page), []);
    const kinds = await page.locator('.choice-name').allInnerTexts();
    assert.deepEqual(kinds, ['Return', 'Exchange', 'Refund only']);
    await page.getByLabel('Condition').fill('');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForSelector('.field-error');
    const errors = await page.locator('.field-error').allInnerTexts();
    assert.ok(errors.some((e) => /at least one item/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /Describe the condition/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /reason/.test(e)), errors.join('\n'));
    await screenshot(page, 'returns-2-errors-desktop');

    const token = new URL(page.url()).searchParams.get('t')!;
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#b07a5a' } }).jpeg().toBuffer();
    await page.getByLabel('Quantity of Washed Linen Cushion').selectOption('1');
    await page.getByLabel('Return', { exact: true }).check();
    await page.getByLabel('Reason').selectOption({ label: 'Arrived damaged' });
    await page.getByLabel('Condition').fill('One cover has a torn seam along the zip; it was like this when I opened the parcel.');
    await page.getByLabel('Photos (optional)').setInputFiles({ name: 'seam.jpg', mimeType: 'image/jpeg', buffer: photo });
    // A kept value survives a refusal: the cushion quantity stays chosen.
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/sent=RMA-/);

    // Step 3: the confirmation with the case number.
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'We have your request');
    const confirmation = await page.locator('#return-sent').innerText();
    const caseNumber = /SC-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(confirmation)?.[0];
    assert.ok(caseNumber, confirmation);
    // The address is partly hidden, as on the tracking page.
    assert.ok(!confirmation.includes('maya.fields@example.com'), confirmation);
    assert.match(confirmation, /We have emailed a copy to m\S+@/);
    await screenshot(page, 'returns-3-sent-desktop');
    assert.deepEqual(await axeViolations(page), []);

    const [rc] = await b.ctx.db.select().from(returnCases).innerJoin(orders, eq(orders.id, returnCases.orderId)).where(eq(orders.number, receipt.number));
    const rma = rc!.return_cases.number;
    assert.equal(rc!.return_cases.photos.length, 1);
    assert.equal(rc!.return_cases.reason, 'damaged');
    const [ack] = await b.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, rc!.orders.id), eq(outbox.template, 'return_received')));
    assert.equal(ack!.recipient, 'maya.fields@example.com');

    // The same steps on a phone.
    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.goto('/returns');
    await screenshot(phone, 'returns-1-find-phone');
    await phone.goto(`/returns?t=${encodeURIComponent(token)}`);
    await screenshot(phone, 'returns-2-choose-phone');
    await phone.goto(`/returns?t=${encodeURIComponent(token)}&sent=${rma}`);
    await screenshot(phone, 'returns-3-sent-phone');
    await phone.close();

    // Staff: the case in the list, its page with the photo, and the steps to the refund.
    const staffPage = await b.newPage({ width: 1280, height: 900 });
    await signIn(staffPage, b, 'support');
    await staffPage.goto('/admin/returns');
    await staffPage.getByRole('link', { name: rma }).click();
    await staffPage.waitForURL(new RegExp(`/admin/returns/${rma}$`));
    const photoSize = await staffPage.locator('.return-photos img').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));
    assert.ok(photoSize > 0, 'the photo loads for signed-in staff');
    // Nobody else gets the photo: no public URL, and the back-office route wants a session.
    const anonymous = await fetch(`${b.baseUrl}/admin/returns/${rma}/photos/0/large`, { redirect: 'manual' });
    assert.equal(anonymous.status, 303);
    const publicUrl = await fetch(`${b.baseUrl}/images/${rc!.return_cases.photos[0]}`);
    assert.equal(publicUrl.status, 404);
    assert.deepEqual(await staffPage.getByRole('button').allInnerTexts().then((all) => all.filter((n) => ['Approve', 'Decline', 'Mark received', 'Refund', 'Send replacement', 'Close'].includes(n))), ['Approve', 'Decline']);
    await screenshot(staffPage, 'returns-admin-case-requested');
    assert.deepEqual(await axeViolations(staffPage), []);

    await staffPage.getByRole('button', { name: 'Approve' }).click();
    assert.match(await staffPage.locator('.alert-ok').innerText(), /approved/);
    const stockBefore = (await b.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, 'CSH-LIN-SGE')))[0]!.stock;
    await staffPage.getByRole('button', { name: 'Mark received' }).click();
    assert.match(await staffPage.locator('.alert-error').innerText(), /condition/i);
    await staffPage.getByLabel(/Washed Linen Cushion/).selectOption('resellable');
    await staffPage.getByRole('button', { name: 'Mark received' }).click();
    assert.match(await staffPage.locator('.alert-ok').innerText(), /received/);
    assert.equal((await b.ctx.db.select({ stock: variants.stock }).from(variants).where(eq(variants.sku, 'CSH-LIN-SGE')))[0]!.stock, stockBefore + 1);

    // The amount is shown before the button: one cover's price and its tax share, plus shipping (the item arrived damaged).
    const line = receipt.items.find((i) => i.sku === 'CSH-LIN-SGE')!;
    const expected = line.unitPrice + Math.round(line.tax / 2) + receipt.totals.shipping;
    assert.match(await staffPage.locator('.refund-quote').innerText(), new RegExp(formatMoney(expected).replace(/[$.]/g, '\\$&')));
    await screenshot(staffPage, 'returns-admin-case-refund');
    await staffPage.getByRole('button', { name: 'Refund', exact: true }).click();
    assert.match(await staffPage.locator('.alert-ok').innerText(), new RegExp(`Refund of \\${formatMoney(expected)} sent`));
    await screenshot(staffPage, 'returns-admin-case-refunded');
    const [refund] = await b.ctx.db.select().from(refunds).where(eq(refunds.idempotencyKey, `return:${rc!.return_cases.id}`));
    assert.equal(refund!.amount, expected);
    assert.equal(refund!.status, 'succeeded');

    // The customer: the refund on the tracking view, and in an email.
    await page.goto(`/track?t=${encodeURIComponent(token)}`);
    const refundsText = await page.locator('section', { has: page.getByRole('heading', { name: 'Refunds' }) }).innerText();
    assert.match(refundsText, new RegExp(`Return ${rma}`));
    assert.ok(refundsText.includes(formatMoney(expected)), refundsText);
    assert.match(refundsText, /Refunded/);
    const returnsText = await page.locator('#returns').innerText();
    assert.match(returnsText, /Return · Refunded/);
    assert.ok(returnsText.includes(caseNumber!));
    await screenshot(page, 'returns-tracking-refunded-desktop');
    const [mail] = await b.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, rc!.orders.id), eq(outbox.template, 'return_refunded')));
    assert.equal(mail!.recipient, 'maya.fields@example.com');
    assert.equal((mail!.payload as { refund: { amount: number } }).refund.amount, expected);
    await page.close();
    await staffPage.close();
  });
});
