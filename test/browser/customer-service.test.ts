// Customer service in a real browser: a customer tracks an order, asks to cancel it and sees
// it cancelled and refunded; a customer writes through the contact page and a support agent
// answers from the inbox. Screenshots of /contact (desktop and phone), the inbox and cases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { DateTime, type WeekdayNumbers } from 'luxon';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { fixedClock } from '../helpers/test-app.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { signIn } from '../helpers/staff.ts';
import { orders, outbox, refunds, supportCases, variants } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/orders/order-events.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';
import { createOrderRequestFor } from '../../src/domain/requests/order-requests.ts';
import { formatMoney } from '../../src/domain/shared/money.ts';

const staff: Actor = { kind: 'staff', staffId: randomUUID(), email: 'sam@casanova.test' };
/** A time in New York `weeksAgo` weeks before `from`, on ISO weekday `weekday` at `hour`:`minute`. */
const nyWeekday = (from: Date, weeksAgo: number, weekday: WeekdayNumbers, hour: number, minute = 0) =>
  DateTime.fromJSDate(from, { zone: 'America/New_York' }).minus({ weeks: weeksAgo }).set({ weekday, hour, minute, second: 0, millisecond: 0 });

describe('customer service in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  // Starts now (checkout dates orders by the database clock); the contact page is also shown at set times.
  const clock = fixedClock(new Date());
  before(async () => {
    b = await browserApp('pglite', { overrides: { clock } });
    await addProducts(b.ctx, basicCatalog);
    await b.ctx.db.update(variants).set({ stock: 50 }).where(eq(variants.sku, 'LAMP-1'));
  });
  after(() => b?.close());

  it('a customer tracks an order, asks to cancel it, and sees it cancelled and refunded', async () => {
    const receipt = await placeTestOrder(b, [{ sku: 'LAMP-1', quantity: 1 }, { sku: 'MUG-1', quantity: 2 }], {
      body: { email: 'mia.keller@example.com', shippingAddress: { name: 'Mia Keller', line1: '77 Ann St' } },
    });
    const total = formatMoney(receipt.totals.total);
    const page = await b.newPage({ width: 1280, height: 900 });
    await page.goto('/track');
    await page.getByLabel('Order number').fill(receipt.number.toLowerCase());
    await page.getByLabel('Email or phone').fill('mia.keller@example.com');
    await Promise.all([page.waitForURL(/\/track\?t=/), page.getByRole('button', { name: 'Track order' }).click()]);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Order received');
    assert.ok(await page.getByRole('heading', { name: 'Change or cancel this order' }).isVisible());
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'customer-service-track-change-or-cancel');

    await page.locator('#cancel-message').fill('I ordered the wrong colour.');
    await Promise.all([page.waitForURL(/request=/), page.getByRole('button', { name: 'Ask to cancel' }).click()]);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Cancelled');
    const notice = await page.locator('#request-sent').innerText();
    assert.match(notice, new RegExp(`Your order is cancelled\\. ${total.replace('$', '\\$')} has been refunded to your card\\.`));
    assert.match(notice, /Your case number is SC-/);
    const refundRow = await page.getByRole('region', { name: 'Refunds' }).innerText();
    assert.match(refundRow, /Order cancelled\s+Refunded\s+\$/);
    assert.match(await page.getByRole('region', { name: 'Your requests' }).innerText(), /Cancellation request · Approved/);
    assert.equal(await page.getByRole('button', { name: 'Ask to cancel' }).count(), 0, 'nothing left to cancel');
    // The link lands on the notice, clear of the sticky header.
    await page.screenshot({ path: 'test-output/customer-service-cancelled-notice.png' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'customer-service-cancelled');

    const [order] = await b.ctx.db.select().from(orders).where(eq(orders.number, receipt.number));
    const [refund] = await b.ctx.db.select().from(refunds).where(eq(refunds.orderId, order!.id));
    assert.deepEqual([order!.status, refund!.status, refund!.amount], ['cancelled', 'succeeded', receipt.totals.total]);
    const mail = (await b.ctx.db.select().from(outbox).where(eq(outbox.orderId, order!.id))).map((m) => m.template);
    assert.ok(mail.includes('order_request_received') && mail.includes('order_cancelled') && mail.includes('refund_issued'), mail.join());
    await page.close();
  });

  it('a customer writes through the contact page and a support agent answers from the inbox', async () => {
    const realNow = clock.now();
    // Two weeks ago, Tuesday 10:30 in New York: open until lunch.
    clock.set(nyWeekday(realNow, 2, 2, 10, 30).toJSDate());
    const desk = await b.newPage({ width: 1280, height: 900 });
    await desk.goto('/contact');
    assert.equal(await desk.locator('.open-status').innerText(), 'Open now — until 12:00 ET');
    assert.equal(await desk.getByRole('main').getByRole('link', { name: '+1 (681) 510-1126' }).getAttribute('href'), 'tel:+16815101126');
    assert.deepEqual(await axeViolations(desk), []);
    await screenshot(desk, 'contact-desktop');

    // Saturday afternoon on a phone: closed until Monday.
    const saturday = nyWeekday(realNow, 2, 6, 15);
    clock.set(saturday.toJSDate());
    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.goto('/contact');
    assert.equal(await phone.locator('.open-status').innerText(), 'Closed — opens Monday 9:00 ET');
    await screenshot(phone, 'contact-phone');

    // A message with a mistake first: the error sits next to the field and the text stays.
    await phone.getByLabel('Name').fill('Noah Brandt');
    await phone.getByLabel('Email').fill('noah.brandt@example');
    await phone.getByLabel('Topic').selectOption({ label: 'Product question' });
    await phone.getByLabel('Message', { exact: true }).fill('Does the oat lamp come with a bulb?');
    await phone.getByRole('button', { name: 'Send message' }).click();
    assert.match(await phone.locator('#contact-email-error').innerText(), /valid email address/);
    assert.equal(await phone.getByLabel('Message', { exact: true }).inputValue(), 'Does the oat lamp come with a bulb?');
    await phone.screenshot({ path: 'test-output/contact-phone-error-viewport.png' });
    await screenshot(phone, 'contact-phone-error');
    await phone.getByLabel('Email').fill('noah.brandt@example.com');
    await Promise.all([phone.waitForURL(/sent=/), phone.getByRole('button', { name: 'Send message' }).click()]);
    const confirmation = await phone.locator('#contact-sent').innerText();
    const caseNumber = /SC-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(confirmation)![0];
    // Monday 9:00–12:00 and 14:00–15:00: four service hours.
    assert.match(confirmation, new RegExp(`expect our reply by ${saturday.plus({ days: 2 }).setLocale('en-US').toFormat('cccc, LLLL d')} at 15:00 ET`));
    // The confirmation shows below the sticky header, then the whole page from the top.
    await phone.screenshot({ path: 'test-output/contact-phone-sent-viewport.png' });
    await phone.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phone, 'contact-phone-sent');
    // Back to now: staff sessions and the new change request live in the present; the message is overdue by days.
    clock.set(realNow);

    // A change request waiting for staff, so the inbox shows more than one kind of case.
    const other = await placeTestOrder(b, [{ sku: 'LAMP-1', quantity: 2 }], { body: { email: 'lea.moreau@example.com', shippingAddress: { name: 'Léa Moreau' } } });
    await orderService.verify(b.ctx, other.number, staff);
    await orderService.startPreparing(b.ctx, other.number, staff);
    const [otherOrder] = await b.ctx.db.select().from(orders).where(eq(orders.number, other.number));
    const change = await createOrderRequestFor(b.ctx, otherOrder!, {
      type: 'modify',
      message: 'One lamp is enough, and please send it to my office.',
      changes: { shippingAddress: { name: 'Léa Moreau', line1: '200 Fifth St', line2: 'Suite 3', city: 'Parkersburg', state: 'WV', postalCode: '26101' }, items: [{ sku: 'LAMP-1', quantity: 1 }] },
    });

    const agent = await b.newPage({ width: 1280, height: 900 });
    await signIn(agent, b, 'support', { name: 'Rosa Alvarez' });
    await agent.goto('/admin/support');
    assert.ok(await agent.getByRole('link', { name: caseNumber }).isVisible());
    assert.match(await agent.locator('tr.overdue').innerText(), /Overdue/);
    assert.deepEqual(await axeViolations(agent), []);
    await screenshot(agent, 'support-inbox');

    await agent.getByRole('link', { name: change.caseNumber! }).click();
    assert.ok(await agent.getByRole('button', { name: 'Approve' }).isVisible());
    assert.match(await agent.locator('.request-changes').innerText(), /Test Lamp: 2 → 1/);
    assert.match(await agent.locator('.change-preview').innerText(), /goes back to the customer’s card/);
    assert.deepEqual(await axeViolations(agent), []);
    await screenshot(agent, 'support-case-request');

    await agent.goto('/admin/support');
    await agent.getByRole('link', { name: caseNumber }).click();
    assert.match(await agent.locator('.msg-customer').innerText(), /Does the oat lamp come with a bulb\?/);
    await agent.getByLabel('Message to the customer').fill('Hi Noah,\n\nYes: every lamp ships with a warm-white LED bulb.\n\nRosa');
    await Promise.all([agent.waitForURL(new RegExp(`/admin/support/${caseNumber}$`)), agent.getByRole('button', { name: 'Reply' }).click()]);
    assert.match(await agent.locator('.alert-ok').innerText(), /Reply emailed to noah\.brandt@example\.com\. The case is now waiting on customer\./);
    assert.match(await agent.locator('.msg-reply').innerText(), /every lamp ships with a warm-white LED bulb/);
    assert.match(await agent.locator('.page-head').innerText(), /Waiting on customer/);
    await screenshot(agent, 'support-case-replied');

    const [row] = await b.ctx.db.select().from(supportCases).where(eq(supportCases.number, caseNumber));
    const [reply] = await b.ctx.db.select().from(outbox).where(and(eq(outbox.caseId, row!.id), eq(outbox.template, 'support_reply')));
    assert.equal(reply!.recipient, 'noah.brandt@example.com');
    assert.ok(row!.firstRepliedAt);
  });
});
