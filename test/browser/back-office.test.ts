// A warehouse member's day in the back office, in a real browser: sign in, find the new
// order in the queue, verify, prepare, pack and hand it to the carrier; the timeline
// shows who did each step and the customer's shipping email is queued.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { signIn } from '../helpers/staff.ts';
import { outbox, orders } from '../../src/db/schema.ts';

describe('back office: processing an order', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, basicCatalog);
  });
  after(() => b?.close());

  it('a warehouse member verifies, prepares, packs and hands over a new order', async () => {
    // Some older work in the queue, so the screenshot shows a working day.
    for (const [name, email, items, hoursAgo] of [
      ['Ava Thompson', 'ava@example.com', [{ sku: 'MUG-1', quantity: 2 }], 27],
      ['Marcus Lee', 'marcus.lee@example.com', [{ sku: 'LAMP-2', quantity: 1 }, { sku: 'MUG-1', quantity: 1 }], 3.2],
    ] as const) {
      const older = await placeTestOrder(b, [...items], { body: { email, shippingAddress: { name } } });
      await b.ctx.db.update(orders).set({ createdAt: new Date(Date.now() - hoursAgo * 3600_000) }).where(eq(orders.number, older.number));
    }
    const order = await placeTestOrder(b, [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }], {
      body: { email: 'jane.doe@example.com', phone: '(304) 555-0142', shippingAddress: { name: 'Jane Doe', line1: '12 Market St' } },
    });

    const page = await b.newPage({ width: 1366, height: 900 });
    await signIn(page, b, 'warehouse', { name: 'Wren Warehouse' });

    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel('Search').fill(order.number.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row').filter({ hasText: order.number });
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /Jane Doe/);
    await page.getByRole('link', { name: 'Clear' }).click();
    assert.equal(await page.getByRole('row').count(), 4, 'header and three open orders');
    await screenshot(page, 'back-office-queue');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: order.number }).click();
    assert.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0, 'the warehouse cannot cancel');

    const step = async (button: string, notice: RegExp) => {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByRole('status').filter({ hasText: notice }).waitFor();
    };
    await step('Verify', /verified/);
    await step('Start preparing', /being prepared/);
    assert.equal(await page.getByRole('link', { name: 'Print pick list' }).count(), 1);
    await step('Mark packed', /packed/);
    assert.equal(await page.getByRole('link', { name: 'Print packing slip' }).count(), 1);

    // A typo in the tracking number is caught next to the field, with what was typed kept.
    await page.getByLabel('Carrier').selectOption('UPS');
    await page.getByLabel('Tracking number').fill('1Z999AA1');
    await page.getByRole('button', { name: 'Hand over to carrier' }).click();
    await page.getByText('This does not look like a UPS tracking number').first().waitFor();
    assert.equal(await page.getByLabel('Tracking number').inputValue(), '1Z999AA1');
    await screenshot(page, 'back-office-handover-refused');

    await page.getByLabel('Tracking number').fill('1Z 999 AA1 0123 4567 84');
    await page.getByRole('button', { name: 'Hand over to carrier' }).click();
    await page.getByRole('status').filter({ hasText: /handed over to the carrier/ }).waitFor();

    const entry = (what: string) => page.locator('.order-timeline li').filter({ has: page.getByText(what, { exact: true }) });
    for (const what of ['Verified', 'Started preparing', 'Packed', 'Handed over to UPS, tracking 1Z999AA10123456784']) {
      assert.equal(await entry(what).count(), 1, what);
      assert.match(await entry(what).innerText(), /Wren Warehouse/, `${what} shows who did it`);
    }
    assert.match(await entry('Order placed and paid').innerText(), /Customer/);
    assert.equal(await page.getByRole('link', { name: /1Z999AA10123456784/ }).getAttribute('href'), 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
    await screenshot(page, 'back-office-order');
    assert.deepEqual(await axeViolations(page), []);

    const [o] = await b.ctx.db.select().from(orders).where(eq(orders.number, order.number));
    assert.equal(o!.status, 'shipped');
    const mail = await b.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, o!.id), eq(outbox.template, 'order_shipped')));
    assert.equal(mail.length, 1);
    assert.equal(mail[0]!.recipient, 'jane.doe@example.com');

    await page.goto(`${b.baseUrl}/admin/orders/${order.number}/packing-slip`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('navigation', { name: 'Back office' }).isVisible(), false, 'no menus on paper');
    await screenshot(page, 'back-office-packing-slip-print');
    await page.goto(`${b.baseUrl}/admin/orders/${order.number}/pick-list`);
    await screenshot(page, 'back-office-pick-list-print');
  });

  it('a support member cancels an order with a reason and sees the refund', async () => {
    const order = await placeTestOrder(b, [{ sku: 'MUG-1', quantity: 3 }], { body: { email: 'sam.r@example.com', shippingAddress: { name: 'Sam Rivera' } } });
    const page = await b.newPage({ width: 1366, height: 900 });
    await signIn(page, b, 'support', { name: 'Sol Support' });
    await page.goto(`${b.baseUrl}/admin/orders/${order.number}`);

    await page.getByText('Cancel the order').click();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByText('Say why the order is cancelled.').first().waitFor();
    await screenshot(page, 'back-office-cancel-needs-reason');

    await page.getByLabel('Cancellation reason').fill('Customer called: ordered twice by mistake');
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('status').filter({ hasText: /cancelled; the stock is back/ }).waitFor();
    const cancelled = page.locator('.order-timeline li').filter({ hasText: 'Cancelled: Customer called: ordered twice by mistake' });
    assert.match(await cancelled.innerText(), /Sol Support/);
    assert.match(await page.locator('#payment-title + ul + h3 + ul').innerText(), /Succeeded/);

    await page.getByLabel('Internal note').fill('Told the customer the refund takes 5–10 days.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('status').filter({ hasText: 'Note added.' }).waitFor();
    await screenshot(page, 'back-office-order-cancelled');
  });
});
