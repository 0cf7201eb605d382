// An agent edits an order in a real browser while the customer is on the phone: a new
// address and a second product on a verified order. The preview shows the old and new
// totals and that the customer will pay the difference; the customer pays it from the
// emailed link on the provider's page, and the order goes on to preparation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { signIn } from '../helpers/staff.ts';
import { addProducts, basicCatalog } from '../helpers/fixtures.ts';
import { placeTestOrder } from '../helpers/orders.ts';
import { orders, outbox } from '../../src/db/schema.ts';
import * as orderService from '../../src/domain/orders/order-service.ts';

describe('order edits in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
    await addProducts(b.ctx, basicCatalog);
  });
  after(() => b?.close());

  it('an agent changes the address and adds an item; the customer pays the difference by the link; the order goes on', async () => {
    const o = await placeTestOrder(b, [{ sku: 'LAMP-1', quantity: 1 }]);
    await orderService.verify(b.ctx, o.number, { kind: 'system', name: 'test' });
    const page = await b.newPage({ width: 1280, height: 900 });
    await signIn(page, b, 'support');
    await page.goto(`/admin/orders/${o.number}`);
    await page.getByRole('link', { name: 'Edit order' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}/edit`);
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel('Address line 1').fill('77 Juliana St');
    await page.getByLabel('SKU to add (1)').fill('LAMP-2');
    await page.getByLabel('Quantity to add (1)').fill('1');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.waitFor();
    const text = await preview.innerText();
    assert.match(text, /Ship to Jane Doe, 77 Juliana St/);
    assert.match(text, /Add 1 × Test Lamp \(Rust\)/);
    // Paid $50 + $6.95 + 6% = $60.37; now $105 (free shipping) + 6% = $111.30: $50.93 more.
    assert.match(text, /emailed a link to pay \$50\.93/);
    await screenshot(page, 'order-edit-preview');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: 'Confirm changes' }).click();
    await page.waitForURL(`**/admin/orders/${o.number}`);
    assert.match(await page.locator('main').innerText(), /Awaiting the customer’s payment of \$50\.93 for the changes/);
    assert.equal(await page.getByRole('button', { name: 'Start preparing' }).count(), 0, 'nothing to prepare before it is paid');
    await screenshot(page, 'order-edit-awaiting');

    const [order] = await b.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.number, o.number));
    const [mail] = await b.ctx.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.orderId, order!.id), eq(outbox.template, 'order_request_approved')));
    const link = (mail!.payload as { payment: { url: string } }).payment.url;
    const customer = await b.newPage({ width: 390, height: 844 });
    await customer.goto(new URL(link).pathname + new URL(link).search);
    assert.deepEqual(await axeViolations(customer), []);
    await customer.getByRole('button', { name: 'Pay $50.93' }).click();
    await customer.waitForURL(/\/sandbox\/pay\/sbx_pay_/);
    await customer.getByLabel('Card number').fill('4242 4242 4242 4242');
    await customer.getByLabel('Expiry').fill('09/29');
    await customer.getByLabel('CVC').fill('314');
    await customer.getByRole('button', { name: /^Pay/ }).click();
    await customer.waitForURL(/\/track\?t=/);
    assert.doesNotMatch(await customer.locator('main').innerText(), /Waiting for your payment/);
    assert.match(await customer.locator('main').innerText(), new RegExp(o.number));
    await screenshot(customer, 'order-edit-paid-tracking');

    await page.reload();
    assert.doesNotMatch(await page.locator('main').innerText(), /Awaiting the customer’s payment/);
    await page.getByRole('button', { name: 'Start preparing' }).click();
    await page.getByRole('status').filter({ hasText: /prepar/i }).first().waitFor();
    await screenshot(page, 'order-edit-done');
  });
});
